"""The combined report (helpers.report.book, helpers.workflow.book), built from a small fake staged
edition: key findings follow the statistics, the contents link every chapter and section, the
PDF has one outline entry per heading, no timestamps and the same bytes when rendered again."""

from __future__ import annotations

import argparse
import csv
import re
from pathlib import Path

import pytest

from helpers.report import book
from helpers.report.html import render_page

CHAPTER = "01_cultivation"
STATISTICS = {
    "batches.announced_total": 12950,
    "batches.analysed_total": 12192,
    "batches.share.batch1": 0.0127,
    "batches.share.batch2": 0.0885,
    "batches.share.batch3": 0.2403,
    "batches.share.batch4": 0.3574,
    "batches.share.batch5": 0.3011,
    "batches.kept_after_review.batch1": 0.625,
    "industries.key_fields_share": 0.8734,
    "industries.share.new_materials": 0.2422,
    "industries.share.next_gen_it": 0.2287,
    "industries.share.other": 0.1266,
    "markets.a_share_listed": 843,
    "markets.a_share_listed_share": 0.0691,
    "boards.little_giant_share.star_market": 0.4982,
    "boards.little_giant_share.chinext": 0.2323,
}

HEADINGS = {
    "zh": ("一、培育现状", "1.1 五批", "1.2 领域"),
    "en": ("1. Cultivation", "1.1 Batches", "1.2 Fields"),
}


def stage(folder: Path, language: str = "zh", **changes) -> Path:
    """A staged edition with one chapter: its page (h1, two h2, the page chrome) and statistics."""
    values = {**STATISTICS, **changes}
    (folder / "statistics").mkdir(parents=True, exist_ok=True)
    with (folder / "statistics" / f"{CHAPTER}.csv").open("w", encoding="utf-8", newline="") as f:
        writer = csv.writer(f, lineterminator="\n")
        writer.writerow(["key", "value", "unit", "label", "source", "notebook"])
        for key, value in values.items():
            writer.writerow([f"{CHAPTER}.{key}", value, "", "", "", CHAPTER])
    titles = HEADINGS[language]
    body = (
        f"<div><h1>{titles[0]}</h1></div><p>正文 text</p>"
        f"<div><h2>{titles[1]}</h2></div><p>甲</p><div><h2>{titles[2]}</h2></div><p>乙</p>"
    )
    page = render_page(
        title=titles[0],
        body_html=body,
        language=language,
        edition_note="edition note",
        nav={"contents": ("index.html", "目录")},
    )
    (folder / "html").mkdir(parents=True, exist_ok=True)
    (folder / "html" / f"{CHAPTER}.html").write_text(page, encoding="utf-8")
    return folder


def findings(folder: Path, language: str = "zh") -> list[str]:
    return book.key_findings(book.Statistics.read(folder, [CHAPTER]), language)


def render(folder: Path, language: str = "zh", synthetic: bool = False) -> str:
    return book.render_book(
        folder,
        [CHAPTER],
        language=language,
        data_label="data/x",
        synthetic=synthetic,
        cutoff="2023-07-31",
        version="v1-test",
    )


def test_findings_fill_numbers_and_words_from_the_statistics(tmp_path):
    first = findings(stage(tmp_path / "a"))
    assert first[0] == (
        "五批累计公示12,950家“小巨人”企业，本报告按智慧芽口径分析其中12,192家；"
        "第四批数量最多，占35.7%。"
    )
    assert (
        "合计占87.3%（近九成），其中新材料最多（24.2%），其次为新一代信息技术（22.9%）" in first[1]
    )
    assert "高于创业板的23.2%" in first[2]
    # Another input: batch 5 largest, IT ahead of materials, STAR below ChiNext, 60.1% of firms.
    second = findings(
        stage(
            tmp_path / "b",
            **{
                "batches.share.batch5": 0.40,
                "industries.share.next_gen_it": 0.30,
                "industries.key_fields_share": 0.601,
                "boards.little_giant_share.star_market": 0.20,
            },
        )
    )
    assert "第五批数量最多，占40.0%" in second[0]
    assert "合计占60.1%（约六成），其中新一代信息技术最多（30.0%），其次为新材料" in second[1]
    assert "低于创业板的23.2%" in second[2]
    english = findings(stage(tmp_path / "c", language="en"), "en")
    assert english[0].startswith("The five batches announced 12,950 Little Giants")
    assert "; Batch 4 is the largest, with 35.7%" in english[0]
    assert "higher than their 23.2% share of ChiNext" in english[2]
    # A sixth batch: the count and the largest batch's name come from the statistics.
    six = {"batches.share.batch6": 0.45}
    assert findings(stage(tmp_path / "d", **six))[0].startswith("六批累计公示12,950家")
    assert "第六批数量最多，占45.0%" in findings(stage(tmp_path / "e", **six))[0]
    sixth = findings(stage(tmp_path / "f", language="en", **six), "en")[0]
    assert sixth.startswith("The six batches announced")
    assert "; Batch 6 is the largest, with 45.0%" in sixth


def test_missing_statistic_names_the_file_and_the_key(tmp_path):
    folder = stage(tmp_path)
    path = folder / "statistics" / f"{CHAPTER}.csv"
    lines = [
        line for line in path.read_text().splitlines() if "markets.a_share_listed," not in line
    ]
    path.write_text("\n".join(lines) + "\n")
    with pytest.raises(
        book.BookInputError, match=r"01_cultivation\.markets\.a_share_listed.*01_cultivation\.csv"
    ):
        findings(folder)


def test_book_html_cover_contents_and_chapters(tmp_path):
    page = render(stage(tmp_path), synthetic=True)
    assert '<html lang="zh-CN">' in page
    assert "示例数据" in page.split('id="contents"')[0]  # on the cover
    assert "v1-test" in page and "2023年7月31日" in page
    assert "edition note" not in page  # the chapter pages' header is not the book's
    assert page.count('class="page-nav"') == 1  # the book's own link to the edition's index
    assert page.count("<main") == 1 and page.count('<form class="site-search"') == 1
    # Every contents link has its target, each heading once.
    targets = re.findall(r'<a href="#([^"]+)"', page)
    ids = re.findall(r'\sid="([^"]+)"', page)
    assert len(ids) == len(set(ids))
    assert set(targets) <= set(ids)
    assert {"ch-01_cultivation", "ch-01_cultivation-s1", "ch-01_cultivation-s2"} <= set(targets)
    assert page.count('class="chapter-title"') == 1
    # Methods: populations from the statistics, groupings from the reference table.
    assert "五批公示名单合计12,950家，该报告纳入分析12,192家" in page
    assert "高端装备制造：高端机械装备、航空航天装备" in page
    assert "高端机械装备：电力装备、农机装备、高档数控机床和机器人" in page


def test_english_front_matter_has_no_chinese(tmp_path):
    page = render(stage(tmp_path, language="en"), language="en", synthetic=True)
    front = page.split('<section class="book-chapter"')[0]
    front = re.sub(r"<style.*?</style>", "", front, flags=re.S)
    assert not re.findall(r"[\u3000-\u9fff\uff00-\uffef]", front)
    assert "Synthetic sample" in front and "Power equipment" in front


def test_book_pdf_outline_metadata_and_bytes(tmp_path):
    from pypdf import PdfReader

    from helpers.report.pdf import render_pdf

    folder = stage(tmp_path)
    page = render(folder)
    first, second = tmp_path / "1.pdf", tmp_path / "2.pdf"
    render_pdf(page, folder / "html", first)
    render_pdf(page, folder / "html", second)
    assert first.read_bytes() == second.read_bytes()
    reader = PdfReader(first)
    info = reader.metadata
    assert info["/Title"] == "专精特新“小巨人”企业研究报告"
    assert "/CreationDate" not in info and "/ModDate" not in info
    assert reader.trailer["/Root"]["/Lang"] == "zh-CN"

    def titles(items, depth=0):
        for item in items:
            if isinstance(item, list):
                yield from titles(item, depth + 1)
            else:
                yield depth, item.title

    outline = list(titles(reader.outline))
    assert outline == [
        (0, "目录"),
        (0, "主要发现"),
        (0, "研究方法与口径"),
        (1, "研究对象与日期"),
        (1, "口径说明"),
        (0, "一、培育现状"),
        (1, "1.1 五批"),
        (1, "1.2 领域"),
        (0, "版本说明"),  # the colophon: the build version and fingerprints, at the end
    ]
    assert "v1-test" in info["/Creator"]  # and in the PDF's metadata
    # Continuous page numbers: the contents point at the chapter's page.
    contents = reader.pages[1].extract_text()
    chapter_page = next(i for i, p in enumerate(reader.pages) if "正文" in p.extract_text())
    assert re.search(rf"一、培育现状\s*\.+\s*{chapter_page + 1}\b", contents)


def test_build_step_skips_when_nothing_changed(tmp_path, monkeypatch, capsys):
    from helpers.workflow import book as step

    staging = stage(tmp_path / "build" / "zh" / "reports")
    monkeypatch.setattr("helpers.pipeline.chapters", lambda: [CHAPTER])
    monkeypatch.setattr(step, "build_version", lambda: "v1-test")
    rendered = []
    pages = tmp_path / "build" / "zh" / "pdf-pages" / f"{CHAPTER}.pdf"  # the chapter's PDF
    pages.parent.mkdir(parents=True)
    pages.write_bytes(b"%PDF-1.7")

    def assemble(edition, chapters, page, current):  # write_pdf without WeasyPrint and qpdf
        rendered.append(current)
        step.book_outputs(edition.staging)[1].parent.mkdir(exist_ok=True)
        step.book_outputs(edition.staging)[1].write_bytes(b"%PDF-1.7")
        step.pdf_marker(edition).write_text(step.pdf_fingerprint(edition, chapters, current))

    monkeypatch.setattr(step, "write_pdf", assemble)
    args = argparse.Namespace(
        build=str(tmp_path / "build"),
        data_dir="data/published",
        language="zh",
        cutoff="2023-07-31",
        staging=str(staging),
    )
    for _ in range(2):
        step.build_book(args)
        (staging / "pdf").mkdir(exist_ok=True)
        (staging / "pdf" / "report.pdf").touch()
    assert "up to date: book" in capsys.readouterr().out
    assert len(rendered) == 1
    assert (staging / "html" / "report.html").exists()
    # A changed statistic is a changed input: built again.
    path = staging / "statistics" / f"{CHAPTER}.csv"
    path.write_text(path.read_text().replace("0.4982", "0.1"))
    step.build_book(args)
    assert len(rendered) == 2


def test_the_book_pdf_without_a_chapters_pages_is_refused_in_one_line(tmp_path, monkeypatch):
    from helpers.workflow import book as step
    from helpers.workflow.editions import Edition

    stage(tmp_path / "build" / "zh" / "reports")
    monkeypatch.setattr("helpers.pipeline.chapters", lambda: [CHAPTER])
    args = argparse.Namespace(
        build=str(tmp_path / "build"),
        data_dir="data/published",
        language="zh",
        cutoff="2023-07-31",
        staging=str(tmp_path / "build" / "zh" / "reports"),
    )
    with pytest.raises(SystemExit) as stop:
        step.write_pdf(Edition(args), [CHAPTER], "<html></html>", "f")
    assert str(stop.value.code) == (
        f"book: the PDFs of {CHAPTER} are not built in {tmp_path}/build/zh/reports; "
        "run make report (or make book) to build them first"
    )
