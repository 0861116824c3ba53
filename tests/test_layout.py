"""Layout a reader trusts, and a synthetic edition nobody can mistake: a page never ends with a
heading (helpers.report.pdf.stranded_headings), the synthetic sample's mark runs on every PDF
page and across every chart, chart labels wrap between words, legends match their bars,
sections are numbered in the order shown and the root index carries the packaged font."""

import itertools

import matplotlib.pyplot as plt
import pandas as pd
import pytest
from PIL import Image
from pypdf import PdfReader

from helpers.report import charts
from helpers.report.html import render_fragment, render_page
from helpers.report.pdf import layout, render_pdf, stranded_headings

MARK = "示例数据（合成）"


def page(body: str, language: str = "zh") -> str:
    return render_page(title="T", body_html=body, language=language)


def paragraphs(n: int) -> str:
    return "".join(f"<p>第{i}段正文，用于填满页面。</p>" for i in range(n))


# A page never ends with a heading ------------------------------------------------------------
def test_a_heading_forced_to_the_end_of_a_page_is_found(tmp_path):
    body = (
        "<h1>第一章</h1>"
        + render_fragment("data_note", text="数据来源：说明")
        + '<div style="break-before: page">'
        + paragraphs(3)
        + "</div>"
    )
    # the note under the title does not count as content: the title is left alone
    assert stranded_headings(layout(page(body), tmp_path)) == [(1, "第一章")]


def test_a_note_closing_a_section_is_no_stranded_heading(tmp_path):
    body = (
        "<h1>主要发现</h1><ol><li>一</li></ol>"
        + render_fragment("data_note", text="以上数字均取自统计表。")
        + '<div style="break-before: page">'
        + paragraphs(3)
        + "</div>"
    )
    assert stranded_headings(layout(page(body), tmp_path)) == []


@pytest.fixture(scope="module")
def tall_chart(tmp_path_factory):
    """A chart as tall as the 31 provinces' (8 x 14 in), saved as the report saves charts."""
    folder = tmp_path_factory.mktemp("tall")
    table = pd.DataFrame({"province": [f"省份{i}" for i in range(31)], "firms": range(31)})
    return charts.save_figure(charts.bar_chart(table, "province", "firms"), "tall", folder)["png"]


@pytest.mark.parametrize("synthetic", [False, True])
def test_a_chapter_opening_on_a_tall_chart_keeps_its_title_with_it(tmp_path, tall_chart, synthetic):
    """图3.1 after chapter 3's title, notes (the synthetic banner and a two-line data note) and
    section heading: the chart fits below them (report.css img max-height), so the title's page
    shows the chart (it used to stand alone on page 19)."""
    banner = (
        render_fragment("synthetic_banner", text="本页基于合成示例数据生成：" * 3, mark=MARK)
        if synthetic
        else ""
    )
    body = (
        "<h1>三、专精特新“小巨人”企业的区域科创版图</h1>"
        + banner
        + render_fragment("data_note", text="数据来源：示例数据（合成样本）；" * 6)
        + "<h2>3.1 省份分布与集中度</h2>"
        + render_fragment("figure_title", number="图3.1", title="省份分布")
        + f'<div><img src="{tall_chart.as_uri()}"></div>'
        + render_fragment("figure_source", source="资料来源：示例")
        + paragraphs(40)
    )
    assert stranded_headings(layout(page(body), tmp_path)) == []


# The synthetic sample's mark -----------------------------------------------------------------
def test_the_banner_runs_the_mark_in_the_header_of_every_pdf_page(tmp_path):
    body = (
        "<h1>第一章</h1>"
        + render_fragment("synthetic_banner", text="本页基于合成示例数据生成。", mark=MARK)
        + paragraphs(150)
    )
    target = tmp_path / "chapter.pdf"
    render_pdf(page(body), tmp_path, target)
    texts = [p.extract_text() for p in PdfReader(target).pages]
    assert len(texts) > 2
    assert all(MARK in text for text in texts)


def test_a_page_without_the_banner_has_no_mark(tmp_path):
    target = tmp_path / "chapter.pdf"
    render_pdf(page("<h1>第一章</h1>" + paragraphs(80)), tmp_path, target)
    assert not any(MARK in p.extract_text() for p in PdfReader(target).pages)


def bars():
    return pd.DataFrame({"batch": ["第一批", "第二批", "第三批"], "firms": [248, 1744, 2930]})


def test_a_chart_of_the_synthetic_sample_carries_the_mark_and_keeps_its_size(tmp_path):
    plain = charts.save_figure(charts.bar_chart(bars(), "batch", "firms"), "plain", tmp_path)
    marked = charts.save_figure(
        charts.bar_chart(bars(), "batch", "firms"), "marked", tmp_path, mark=MARK
    )
    svg = marked["svg"].read_text(encoding="utf-8")
    assert f'id="{charts.SYNTHETIC_MARK_ID}"' in svg and f"<!-- {MARK} -->" in svg
    assert charts.SYNTHETIC_MARK_ID not in plain["svg"].read_text(encoding="utf-8")
    assert Image.open(marked["png"]).size == Image.open(plain["png"]).size
    again = charts.save_figure(
        charts.bar_chart(bars(), "batch", "firms"), "again", tmp_path, mark=MARK
    )
    assert again["png"].read_bytes() == marked["png"].read_bytes()
    assert again["svg"].read_bytes() == marked["svg"].read_bytes()


# Legends and bars ----------------------------------------------------------------------------
def batches_chart():
    """图1.1's shape: two series, the fifth batch without a review count, a colour per batch."""
    long = pd.DataFrame(
        {
            "batch": ["第一批", "第一批", "第二批", "第二批", "第五批"],
            "series": ["公示", "认定", "公示", "认定", "公示"],
            "firms": [248, 155, 1744, 1079, 3671],
        }
    )
    colors = charts.batch_colors(5)
    return charts.grouped_bar_chart(
        long,
        "batch",
        "series",
        "firms",
        category_order=["第一批", "第二批", "第五批"],
        series_order=["公示", "认定"],
        category_colors=[colors[0], colors[1], colors[4]],
    )


def test_a_category_missing_a_series_has_its_bar_under_its_name():
    fig = batches_chart()
    ax = fig.axes[0]
    drawn = [p for p in ax.patches if p.get_height() == p.get_height() and p.get_height() > 0]
    fifth = [p for p in drawn if p.get_height() == 3671]
    assert len(fifth) == 1
    centre = fifth[0].get_x() + fifth[0].get_width() / 2
    assert centre == pytest.approx(ax.get_xticks()[2])
    plt.close(fig)


def test_each_legend_entry_shows_the_colours_of_its_bars():
    from matplotlib.colors import to_hex

    fig = batches_chart()
    ax = fig.axes[0]
    legend = ax.get_legend()
    handles = legend.legend_handles
    names = [t.get_text() for t in legend.get_texts()]
    assert names == ["公示", "认定"]
    containers = {c.get_label(): c for c in ax.containers if hasattr(c, "patches")}
    for name, handle in zip(names, handles, strict=True):
        shown = {to_hex(p.get_facecolor()) for p in getattr(handle, "patches", [handle])}
        bars_of_series = {
            to_hex(p.get_facecolor())
            for p in containers[name].patches
            if p.get_height() == p.get_height()
        }
        assert shown and shown <= bars_of_series, name
    plt.close(fig)


def test_tick_labels_of_grouped_bars_never_overlap_in_either_language():
    fields = ["新一代信息技术", "高端机械装备", "新材料", "节能与新能源汽车"]
    fields += ["生物医药及高性能医疗器械", "航空航天装备", "海洋工程装备及高技术船舶"]
    fields += ["先进轨道交通装备"]
    english = ["Next-gen IT", "High-end machinery", "New materials", "NEV & energy saving"]
    english += ["Biomedicine & devices", "Aerospace", "Marine engineering", "Rail transit"]
    for names in (fields, english):
        long = pd.DataFrame(
            [(n, s, 1000.0 * (i + 1)) for i, n in enumerate(names) for s in ("甲", "乙", "丙")],
            columns=["field", "cluster", "value"],
        )
        fig = charts.grouped_bar_chart(long, "field", "cluster", "value", category_order=names)
        charts.readable(fig)
        ticks = [t for t in fig.axes[0].get_xticklabels() if t.get_text()]
        assert charts.overlapping_texts(fig, ticks) == []
        for tick, name in zip(ticks, names, strict=True):
            assert tick.get_text().replace("\n", "").replace(" ", "") == name.replace(" ", "")
            # every line ends between two words (新一代 / 信息技术, never 新一代信 / 息技术)
            ends, at = set(), 0
            for piece, _ in charts.label_words(name):
                at += len(piece.replace(" ", ""))
                ends.add(at)
            at = 0
            for line in tick.get_text().split("\n"):
                at += len(line.replace(" ", ""))
                assert at in ends, tick.get_text()
        plt.close(fig)


# Sections, tables and the root index -----------------------------------------------------------
@pytest.fixture
def shown(monkeypatch):
    """What a chapter displays, as HTML strings (IPython's display collected)."""
    import IPython.display

    pieces: list[str] = []
    monkeypatch.setattr(
        IPython.display, "display", lambda *objects: pieces.extend(o.data for o in objects)
    )
    return pieces


def test_sections_are_numbered_in_the_order_shown(tmp_path, shown):
    """Chapter 6 with published tables shows its criteria and its worked examples only: 6.1 and
    6.2, not 6.1 and 6.6; a cell run again keeps its number."""
    from helpers.report.chapter import Chapter

    ch = Chapter("06_screening", output_dir=str(tmp_path))
    ch.heading("ch06.section_criteria", level=2)
    ch.heading("ch06.section_examples", level=2)
    ch.heading("ch06.section_criteria", level=2)
    headings = [piece for piece in shown if piece.startswith("<h2>")]
    assert headings[0].startswith("<h2>6.1 ") and headings[1].startswith("<h2>6.2 ")
    assert headings[2] == headings[0]
    card = Chapter("assess", output_dir=str(tmp_path))  # a card or a profile: no numbers
    card.heading("ch06.section_criteria", level=2)
    assert shown[-1] == "<h2>" + card.t("ch06.section_criteria") + "</h2>"


def test_published_shares_stand_under_the_published_heading():
    """其他领域: 001 printed 12.6%; the recomputed 1543/12192 stands under its own heading."""
    from helpers.report.chapters.cultivation import SHARES_COLUMNS, shares_table

    wide = pd.DataFrame(
        {"小巨人": [1543 / 12192], "科创板": [0.08], "北交所": [0.276]},
        index=pd.Index(["其他领域"], name="category"),
    )
    rows = pd.DataFrame(
        {
            "category": ["其他领域"] * 3,
            "population": ["小巨人", "科创板", "北交所"],
            "share_stated": [0.126, 0.08, 0.276],
        }
    )
    table = shares_table(wide, rows).set_index("category")
    assert list(table.columns) == list(SHARES_COLUMNS)
    assert table.loc["其他领域", "little_giants_stated"] == 0.126
    assert table.loc["其他领域", "little_giants_recomputed"] == pytest.approx(0.12656, abs=1e-5)


def test_the_root_index_carries_the_packaged_font(tmp_path):
    from fontTools.ttLib import TTFont

    from helpers.workflow.editions import write_index
    from helpers.workflow.webfont import FONT_FILE, FONTS_FOLDER

    index = write_index(tmp_path)
    text = index.read_text(encoding="utf-8")
    font = tmp_path / FONTS_FOLDER / FONT_FILE
    assert f'src: url("{FONTS_FOLDER}/{FONT_FILE}")' in text
    assert text.index("@font-face") < text.index("</head>")
    cmap = TTFont(font).getBestCmap()
    assert all(ord(c) in cmap for c in "专精特新版本")
    before = index.read_bytes(), font.read_bytes()
    write_index(tmp_path)  # written again: the same bytes
    assert (index.read_bytes(), font.read_bytes()) == before


def test_numeric_ticks_never_run_together_on_a_chart_printed_small():
    """图3.1 printed 160 mm high: its axis text raised to print size, 1,000 1,200 1,400 touched."""
    table = pd.DataFrame({"province": [f"省份{i}" for i in range(31)], "firms": range(0, 1550, 50)})
    fig = charts.bar_chart(table, "province", "firms")
    charts.readable(fig)
    renderer = fig.canvas.get_renderer()
    labels = [t for t in fig.axes[0].get_xticklabels() if t.get_visible() and t.get_text()]
    boxes = [t.get_window_extent(renderer) for t in labels]
    assert len(labels) >= 3
    assert not any(a.overlaps(b) for a, b in itertools.pairwise(boxes))
    plt.close(fig)
