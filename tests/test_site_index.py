"""The HTML edition as a small site: the chapters' download lists, the edition's own index page
(helpers.workflow.site), the chapter pages' previous/contents/next links, the profile pages' links
back to the edition, the top-level index's link to each edition, and the chapters'
reconciliation tables read like the appendix's."""

from __future__ import annotations

import csv
import re

import pandas as pd
import pytest

from helpers.report.chapter import FIGURE_DATA_BELOW, Chapter
from helpers.report.html import chapter_nav, profile_nav, render_page, visible_text
from helpers.workflow.datapackage import read_published
from helpers.workflow.editions import render_index
from helpers.workflow.site import downloads, render_edition_index


@pytest.fixture
def shown(monkeypatch):
    """What a chapter displays, as HTML strings (IPython's display collected)."""
    import IPython.display

    pieces: list[str] = []
    monkeypatch.setattr(
        IPython.display, "display", lambda *objects: pieces.extend(o.data for o in objects)
    )
    return pieces


# Chapter reconciliation ---------------------------------------------------------------------


def test_chapter_reconciliation_formats_by_unit_with_the_appendix_verdicts(tmp_path, shown):
    chapter = Chapter("04_portrait", output_dir=str(tmp_path))
    financing = chapter.table("sq_financing")
    chapter.check(financing, "全部融资笔数", 2768, 2768, unit="笔")
    # 4046.6 / 2768 = 1.46192…: printed 1.7 (one decimal), shown with the unit's two, recomputed
    # with one more: 1.70亿元 vs 1.462亿元, a difference of -0.238亿元.
    chapter.check(financing, "平均单笔融资额", 1.7, 4046.6 / 2768, decimals=1, unit="亿元")
    # 2846 / 4851 = 0.58668…: printed 58.7%, recomputed 58.67%, -0.03 pp (rounding)
    chapter.check(financing, "东部 占比", 0.587, 2846 / 4851, unit="share")
    chapter.check(financing, "倍数", 1.5, 373.84 / 234.08, decimals=1, unit="倍")
    table = chapter.reconciliation()
    assert table["status"].tolist() == ["mismatch", "mismatch", "rounding", "ok"]
    page = "".join(shown)
    rows = re.findall(r"<tr class=\"(\w+)\">(.*?)</tr>", page, flags=re.S)
    cells = [(css, re.findall(r"<td>(.*?)</td>", row)[1:]) for css, row in rows]
    assert cells == [
        ("mismatch", ["平均单笔融资额", "1.70亿元", "1.462亿元", "−0.238亿元", "不一致"]),
        ("mismatch", ["倍数", "1.50倍", "1.597倍", "+0.097倍", "不一致"]),
        ("rounding", ["东部 占比", "58.7%", "58.67%", "−0.03个百分点", "舍入内"]),
        ("ok", ["全部融资笔数", "2,768笔", "2,768笔", "0笔", "一致"]),
    ]
    assert 'class="data-table reconciliation-table"' in page
    headers = re.findall(r"<th>(.*?)</th>", page)
    assert headers == ["来源", "项目", "公开值", "重新计算值", "差异", "结论"]
    # the mismatches are explained first, before the table, with the same values
    first = page.index("不一致：平均单笔融资额")
    assert first < page.index("<table") and "公开值为1.70亿元" in page[first:]
    assert "共核对4项" in page


def test_chapter_reconciliation_in_english_has_no_chinese_units(tmp_path, shown):
    chapter = Chapter("04_portrait", output_dir=str(tmp_path), language="en")
    financing = chapter.table("sq_financing")
    chapter.check(financing, "Average deal", 1.7, 4046.6 / 2768, decimals=1, unit="亿元")
    chapter.check(financing, "Deals", 12950, 12950, unit="家")
    chapter.reconciliation()
    # a figure keeps its number with its unit's first word (no-break spaces: appendix.bound_figure)
    text = visible_text("".join(shown)).replace("\u00a0", " ")
    assert "CNY 170 million" in text and "CNY 146.2 million" in text  # English money in CNY
    assert "12,950 firms" in text and "disagrees" in text and "Verdict" in text
    assert not re.search(r"[\u4e00-\u9fff]", text.replace("Average deal", ""))


def test_chapter_lists_its_figures_and_tables_for_the_index(tmp_path, shown):
    import matplotlib.pyplot as plt

    chapter = Chapter("01_cultivation", output_dir=str(tmp_path))
    batches = chapter.table("cultivation_batches")
    fig, _ = plt.subplots()
    below = FIGURE_DATA_BELOW  # its data is the table saved next under its name
    chapter.figure(fig, "fig1_4_batches", "ch01.fig_1_4", source="s", reading="r", data=below)
    chapter.save_table(batches[["batch", "announced"]], "fig1_4_batches", source="s")
    fig, _ = plt.subplots()
    chapter.figure(fig, "fig1_4_batches", "ch01.fig_1_4", "s", "r", data=below)  # a re-run
    chapter.check(batches, "x", 1, 1, unit="家")
    chapter.reconciliation()
    path = tmp_path / "statistics" / "01_cultivation.downloads.csv"
    with path.open(encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle))
    assert [(r["kind"], r["name"], r["number"]) for r in rows] == [
        ("figure", "fig1_4_batches", "图1.1"),
        ("table", "fig1_4_batches", ""),
        ("table", "reconciliation", ""),
    ]
    assert rows[0]["files"] == (
        "figures/01_cultivation_fig1_4_batches.png;figures/01_cultivation_fig1_4_batches.svg"
    )
    assert rows[2]["title"] == "本章复核：重新计算值与公开值对比"
    entries = downloads(tmp_path, "01_cultivation")  # the figure's data listed with it
    assert [e["kind"] for e in entries] == ["figure", "table"]
    assert [f for f, _ in entries[0]["files"]] == ["PNG", "SVG", "CSV", "XLSX"]
    assert entries[0]["title"] == rows[0]["title"] and rows[0]["title"]


def test_a_figure_publishes_the_data_it_draws_beside_it(tmp_path, shown):
    """A figure given its frame saves it as tables/<notebook>_<name>.csv (BOM, its numbers, a
    formula-like cell neutralised) and .xlsx, described with the edition's headers, and links
    both beside the chart; the index lists them with the figure."""
    import matplotlib.pyplot as plt
    import openpyxl

    chapter = Chapter("01_cultivation", output_dir=str(tmp_path), language="en")
    drawn = pd.DataFrame({"field": ["=HYPERLINK(1)", "新材料"], "firms": [2, 3]})
    fig, _ = plt.subplots()
    chapter.figure(
        fig,
        "fig1_5_fields",
        "ch01.fig_1_5",
        "s",
        "r",
        data=drawn,
        data_units={"firms": "家"},
        batches="6",
        key_share="1%",
        qualifier="",
        top3="a",
    )
    csv_path = tmp_path / "tables" / "01_cultivation_fig1_5_fields.csv"
    raw = csv_path.read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf")
    assert raw.decode("utf-8-sig").splitlines() == [
        "field,firms,data_source",
        "'=HYPERLINK(1),2,s",
        "新材料,3,s",
    ]
    book = openpyxl.load_workbook(tmp_path / "tables" / "01_cultivation_fig1_5_fields.xlsx")
    sheet = book.worksheets[0]
    assert [c.value for c in sheet[1]] == ["Industry field", "Firms"]
    assert [sheet.cell(3, 2).value, sheet.cell(3, 2).number_format] == [3, "#,##0"]
    about = (tmp_path / "statistics" / "01_cultivation_fig1_5_fields.table.json").read_text()
    assert '"title": "Industry field"' in about and '"unit": "家"' in about
    page = "".join(shown)
    chart = page.index("../figures/01_cultivation_fig1_5_fields.svg")
    assert page.index("../tables/01_cultivation_fig1_5_fields.csv", chart) < page.index(
        '<p class="reading">', chart
    )
    entries = downloads(tmp_path, "01_cultivation")
    assert [f for f, _ in entries[0]["files"]] == ["PNG", "SVG", "CSV", "XLSX"]


def test_a_figure_without_its_data_or_with_unnamed_columns_is_refused(tmp_path):
    import matplotlib.pyplot as plt

    chapter = Chapter("01_cultivation", output_dir=str(tmp_path))
    values = {"batches": "6", "key_share": "1%", "qualifier": "", "top3": "a"}
    fig, _ = plt.subplots()
    with pytest.raises(TypeError, match="data"):
        chapter.figure(fig, "fig1_5_fields", "ch01.fig_1_5", "s", "r", **values)
    with pytest.raises(TypeError, match="FIGURE_DATA_BELOW"):
        chapter.figure(fig, "fig1_5_fields", "ch01.fig_1_5", "s", "r", data=None, **values)
    unnamed = pd.DataFrame({"field": ["a"], "not_a_column_label": [1]})
    with pytest.raises(KeyError, match="not_a_column_label"):
        chapter.figure(fig, "fig1_5_fields", "ch01.fig_1_5", "s", "r", data=unnamed, **values)
    plt.close(fig)


# The edition's index page -------------------------------------------------------------------


def stage(tmp_path, title="一、培育现状 <b>&"):
    """A fake staged edition: two chapters, the book, a profiles index, merged CSVs and one
    chapter's download list (a figure with its data, a titled table, an untitled table and a
    listed file that is missing)."""
    (tmp_path / "html").mkdir()
    (tmp_path / "pdf").mkdir()
    (tmp_path / "figures").mkdir()
    (tmp_path / "tables").mkdir()
    (tmp_path / "statistics").mkdir()
    (tmp_path / "profiles").mkdir()
    for chapter, heading in (("01_a", title), ("02_b", "二、科创力")):
        escaped = heading.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
        (tmp_path / "html" / f"{chapter}.html").write_text(
            f"<html><head><title>{escaped}</title></head></html>", encoding="utf-8"
        )
        (tmp_path / "pdf" / f"{chapter}.pdf").write_bytes(b"%PDF")
    for name in ("html/report.html", "pdf/report.pdf", "profiles/index.html", "statistics.csv"):
        (tmp_path / name).write_text("x", encoding="utf-8")
    for name in ("figures/01_a_f.png", "figures/01_a_f.svg", "tables/01_a_f.csv"):
        (tmp_path / name).write_text("x", encoding="utf-8")
    for name in ("tables/01_a_t.csv", "tables/01_a_t.xlsx", "tables/01_a_u.csv"):
        (tmp_path / name).write_text("x", encoding="utf-8")
    pd.DataFrame(
        [
            ("figure", "f", "图1.1", "批次 <分布>", "figures/01_a_f.png;figures/01_a_f.svg"),
            ("table", "f", "", "", "tables/01_a_f.csv;tables/01_a_f.xlsx"),
            ("table", "t", "表1.1", "名单", "tables/01_a_t.csv;tables/01_a_t.xlsx"),
            ("table", "u", "", "", "tables/01_a_u.csv"),
            ("table", "gone", "", "", "tables/01_a_gone.csv"),
        ],
        columns=["kind", "name", "number", "title", "files"],
    ).to_csv(tmp_path / "statistics" / "01_a.downloads.csv", index=False)
    return tmp_path


def page(staging, language="zh", synthetic=False, **changes):
    values = {
        "language": language,
        "data_label": "公开报告的图表与文字数字（data/published）",
        "synthetic": synthetic,
        "cutoff": "2023-07-31",
        "version": "v1-2-gabc",
        **changes,
    }
    return render_edition_index(staging, ["01_a", "02_b"], **values)


def hrefs(text: str) -> list[str]:
    return re.findall(r'href="([^"]*)"', text)


def test_edition_index_introduces_the_edition_and_links_everything_staged(tmp_path):
    text = page(stage(tmp_path))
    assert '<html lang="zh-CN">' in text
    assert "<h1>专精特新“小巨人”企业研究报告 · 中文版</h1>" in text
    assert "数据来源</dt><dd>公开报告的图表与文字数字（data/published）</dd>" in text
    assert "2023年7月31日" in text and "<code>v1-2-gabc</code>" in text
    assert "示例数据" not in text
    links = hrefs(text)
    assert links == [
        "data:,",
        "../index.html",
        "html/report.html",
        "pdf/report.pdf",
        "html/01_a.html",
        "pdf/01_a.pdf",
        "html/02_b.html",
        "pdf/02_b.pdf",
        "profiles/index.html",
        "statistics.csv",  # no reconciliation.csv staged: no link to it
        "figures/01_a_f.png",
        "figures/01_a_f.svg",
        "tables/01_a_f.csv",  # the figure's data beside it; its missing XLSX not linked
        "tables/01_a_t.csv",
        "tables/01_a_t.xlsx",
        "tables/01_a_u.csv",
    ]
    for link in links[2:]:
        assert (tmp_path / link).is_file(), link
    # strings from the data are escaped; an untitled table gets a numbered name
    assert "一、培育现状 &lt;b&gt;&amp;" in text and "批次 &lt;分布&gt;" in text
    assert "<b>图1.1</b> 批次 &lt;分布&gt;" in text and "<b>表1.1</b> 名单" in text
    assert "数据表1" in text and "gone" not in text
    assert "本章无可下载的图表。" in text  # 02_b lists nothing


def test_edition_index_of_the_synthetic_sample_in_english_says_so_without_chinese(tmp_path):
    text = page(
        stage(tmp_path, title="1. Cultivation"),
        language="en",
        synthetic=True,
        data_label="firm-level data (data/sample, synthetic sample)",
    )
    assert '<html lang="en">' in text and "English edition" in text
    assert "Synthetic sample" in text and "31 July 2023" in text
    # the data label says it is the sample; the page does not add it again
    assert "<dd>firm-level data (data/sample, synthetic sample)</dd>" in text
    # Chinese only where the fake staged pages and download list have it (data, not words)
    given = {"二", "科创力", "图", "批次", "分布", "表", "名单"}
    assert set(re.findall(r"[\u4e00-\u9fff]+", visible_text(text))) <= given


@pytest.mark.parametrize(
    ("kind", "synthetic", "language", "expected"),
    [
        ("firm-level", True, "zh", "示例数据（合成）"),
        ("firm-level", True, "en", "sample data (synthetic)"),
        ("firm-level", False, "zh", "企业数据：sample"),
        ("firm-level", False, "en", "firm data: sample"),
        ("published", False, "zh", "公开报告数据"),
        ("published", False, "en", "published report data"),
    ],
)
def test_the_data_source_goes_by_its_title_never_its_path(kind, synthetic, language, expected):
    """The cover's and the edition index's data source (helpers.workflow.book.data_label): its
    title, and a firm-level folder by its name."""
    from helpers.paths import REPO_ROOT
    from helpers.workflow.book import data_label

    checked = {"kind": kind, "synthetic": synthetic, "data_path": REPO_ROOT / "data" / "sample"}
    assert data_label(checked, language) == expected


def test_edition_index_is_byte_reproducible(tmp_path):
    staging = stage(tmp_path)
    assert page(staging) == page(staging)


def test_chapter_pages_link_previous_next_and_the_edition_index(tmp_path):
    from helpers.pipeline import chapters

    order = chapters()
    first, second, last = order[0], order[1], order[-1]
    nav = chapter_nav(tmp_path / "html" / f"{first}.html", "zh")
    assert nav == {
        "previous": None,
        "contents": ("../index.html", "目录"),
        "next": (f"{second}.html", "下一章"),
    }
    nav = chapter_nav(tmp_path / "html" / f"{last}.html", "en")
    assert nav["previous"] == (f"{order[-2]}.html", "Previous chapter") and nav["next"] is None
    assert nav["contents"] == ("../index.html", "Contents")
    assert chapter_nav(tmp_path / "profiles" / "beijing.html", "zh") is None
    assert chapter_nav(tmp_path / "html" / "report.html", "zh") is None


def test_profile_pages_link_the_edition_index_and_the_profiles_index(tmp_path):
    assert profile_nav(tmp_path / "profiles" / "beijing.html", "en") == {
        "contents": ("../index.html", "Contents"),
        "profiles": ("index.html", "All regional profiles"),
    }
    # the profiles' index (helpers.workflow.profiles.write_index) links back to the edition only
    index = profile_nav(tmp_path / "profiles" / "index.html", "zh")
    assert index == {"contents": ("../index.html", "目录")}
    page = render_page(title="地区画像", body_html="<h1>x</h1>", language="zh", nav=index)
    assert '<nav class="page-nav">\n<a class="nav-contents" href="../index.html">目录</a>' in page
    assert profile_nav(tmp_path / "html" / "01_cultivation.html", "zh") is None
    assert profile_nav(tmp_path / "profiles" / "beijing.pdf", "zh") is None


def test_top_level_index_links_each_edition_index_it_has():
    record = {
        "edition": "zh",
        "language": "zh",
        "data_dir": "data/published",
        "data_kind": "published",
        "synthetic": False,
        "cutoff": "2023-07-31",
        "chapters": [{"id": "01_a", "title": "一"}],
    }
    with_site = render_index([{**record, "site": True}])
    assert 'href="zh/index.html"' in with_site and "edition&#39;s home page" in with_site
    assert 'href="zh/index.html"' not in render_index([record])  # published before: no page


# The built editions -------------------------------------------------------------------------

VERDICTS = {
    "zh": ("不一致", "舍入内", "一致", "无公开值"),
    "en": ("disagrees", "rounding", "equal", "no published value"),
}


@pytest.fixture(scope="module")
def built(request):
    """reports/ with the published Chinese and the synthetic English edition (built by the
    shared session build, or SITE_REPORTS=folder already built)."""
    import os
    from pathlib import Path

    if os.environ.get("SITE_REPORTS"):
        return Path(os.environ["SITE_REPORTS"]).resolve()
    editions = request.getfixturevalue("editions")
    editions("data/sample", "en")
    return editions("data/published", "zh")


@pytest.mark.build
@pytest.mark.edition  # the shared editions (built)
@pytest.mark.parametrize(("edition", "language"), [("zh", "zh"), ("sample-en", "en")])
def test_built_chapters_end_with_reconciliation_tables_formatted_by_unit(built, edition, language):
    """Every chapter's reconciliation table: the appendix's layout, values with their units'
    words (no bare fractions, no scientific notation), a verdict from the appendix's words in
    every row, mismatches first; in English no Chinese unit."""
    import json

    record = json.loads((built / edition / "edition.json").read_text(encoding="utf-8"))
    order = {verdict: rank for rank, verdict in enumerate(VERDICTS[language])}
    for chapter in record["chapters"]:
        if chapter["id"].startswith("99_"):
            continue  # the appendix: tests/test_reader_text.py
        page = (built / edition / "html" / f"{chapter['id']}.html").read_text(encoding="utf-8")
        tables = re.findall(
            r'<table class="data-table reconciliation-table">(.*?)</table>', page, flags=re.S
        )
        assert len(tables) == 1, chapter["id"]
        rows = [
            re.findall(r"<td>(.*?)</td>", row)
            for row in re.findall(r"<tr.*?</tr>", tables[0], flags=re.S)[1:]
        ]
        assert rows, chapter["id"]
        verdicts = [row[-1] for row in rows]
        assert set(verdicts) <= set(order), (chapter["id"], verdicts)
        assert [order[v] for v in verdicts] == sorted(order[v] for v in verdicts)
        for row in rows:
            for value in row[2:5]:
                assert "e-0" not in value and "np." not in value, value
                # a unit's word or sign beside the number: %, 家/firms, 亿元/CNY, 个百分点/pp …
                assert not re.fullmatch(r"[+-]?[\d,]+(\.\d+)?", value), (chapter["id"], row)
            if language == "en":
                assert not re.search(r"[\u4e00-\u9fff]", "".join(row[2:])), row


@pytest.mark.build
@pytest.mark.edition  # the shared editions (built)
def test_built_edition_indexes_say_what_they_are(built):
    """The published Chinese and the synthetic English edition's index pages: the English one
    says synthetic sample and has no Chinese; every link on both is a staged file."""
    from test_english_edition import CJK

    for edition, says in (("zh", "数据来源"), ("sample-en", "Synthetic sample")):
        text = (built / edition / "index.html").read_text(encoding="utf-8")
        assert says in text
        for link in hrefs(text)[2:]:  # after the icon and the link to all editions
            assert (built / edition / link).is_file(), (edition, link)
        if edition == "zh":
            assert "示例数据" not in text  # published tables: not the synthetic sample
    english = visible_text((built / "sample-en" / "index.html").read_text(encoding="utf-8"))
    assert CJK.findall(english) == []


@pytest.mark.build
@pytest.mark.edition  # the shared editions (built)
def test_built_profiles_index_counts_the_profiles_it_lists(built):
    """The profiles' index says how many profiles, provinces and cities it lists: the tests'
    editions build Beijing (zh) and Beijing and Tibet (en), provinces both."""
    zh = (built / "zh" / "profiles" / "index.html").read_text(encoding="utf-8")
    assert "共1份画像（省份1个，企业数不少于150家的城市0个）" in zh
    assert 'class="tile-map"' in zh and '<a style="' in zh  # the provinces' tiles link pages
    assert (built / "zh" / "profiles" / "index.csv").exists()  # the tables for a spreadsheet
    en = (built / "sample-en" / "profiles" / "index.html").read_text(encoding="utf-8")
    assert "Profiles built: 2 (provinces: 2; cities with at least 150 firms: 0)." in en


@pytest.mark.build
@pytest.mark.edition  # the shared editions (built)
def test_built_english_reconciliation_spreadsheet_names_units_in_english(built):
    checks = read_published(built / "sample-en" / "tables" / "reconciliation.csv")
    units = set(checks["unit"].dropna())
    assert "CNY 100 million" in units or "firms" in units, units
    assert not [u for u in units if re.search(r"[\u4e00-\u9fff]", u)], units
    chinese = read_published(built / "zh" / "tables" / "reconciliation.csv")
    assert {"亿元", "占比"} <= set(chinese["unit"].dropna())  # the same units in Chinese words
