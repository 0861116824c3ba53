"""In the built editions: the synthetic sample is marked on every PDF page (book, chapters,
profiles) and inside every chart, its book's first finding says the numbers are invented; no page
of a book or chapter ends with a heading; the root index carries the packaged font."""

import html
import re

import pytest
from pypdf import PdfReader

from helpers.report.charts import SYNTHETIC_MARK_ID
from helpers.report.labels import label
from helpers.report.pdf import layout, stranded_headings
from helpers.workflow.webfont import FONT_FILE, FONTS_FOLDER

LANGUAGES = ("zh", "en")
EDITIONS = {("data/published", "zh"): "zh", ("data/published", "en"): "en"}
EDITIONS.update({("data/sample", lang): f"sample-{lang}" for lang in LANGUAGES})


def edition_folder(editions, data_dir: str, language: str):
    return editions(data_dir, language) / EDITIONS[data_dir, language]


def mark(language: str) -> str:
    return label("common.synthetic_mark", language)


@pytest.mark.parametrize("language", LANGUAGES)
def test_every_pdf_page_of_the_sample_says_it_is_synthetic(editions, language):
    edition = edition_folder(editions, "data/sample", language)
    files = sorted(edition.rglob("*.pdf"))
    assert edition / "pdf" / "report.pdf" in files
    assert any(path.parent.name == "profiles" for path in files)
    unmarked = [
        (str(path.relative_to(edition)), number)
        for path in files
        for number, page in enumerate(PdfReader(path).pages, 1)
        if mark(language) not in page.extract_text()
    ]
    assert unmarked == []


@pytest.mark.parametrize("language", LANGUAGES)
def test_the_published_editions_carry_no_synthetic_mark(editions, language):
    edition = edition_folder(editions, "data/published", language)
    book = PdfReader(edition / "pdf" / "report.pdf")
    assert not any(mark(language) in page.extract_text() for page in book.pages)
    assert not any(
        SYNTHETIC_MARK_ID in svg.read_text(encoding="utf-8")
        for svg in (edition / "figures").glob("*.svg")
    )


@pytest.mark.parametrize("language", LANGUAGES)
def test_every_chart_of_the_sample_has_the_mark_drawn_in(editions, language):
    edition = edition_folder(editions, "data/sample", language)
    svgs = sorted((edition / "figures").glob("*.svg"))
    assert svgs
    unmarked = [
        svg.name
        for svg in svgs
        if f'id="{SYNTHETIC_MARK_ID}"' not in (text := svg.read_text(encoding="utf-8"))
        or f"<!-- {mark(language)} -->" not in text
    ]
    assert unmarked == []
    assert {p.stem for p in (edition / "figures").glob("*.png")} == {p.stem for p in svgs}


@pytest.mark.parametrize("language", LANGUAGES)
def test_the_sample_books_first_finding_says_the_numbers_are_invented(editions, language):
    edition = edition_folder(editions, "data/sample", language)
    page = (edition / "html" / "report.html").read_text(encoding="utf-8")
    findings = re.search(r'<ol class="findings">\s*<li>(.*?)</li>', page, flags=re.S)
    assert html.unescape(findings.group(1)) == label("book.findings.synthetic", language)
    published = edition_folder(editions, "data/published", language) / "html" / "report.html"
    assert label("book.findings.synthetic", language) not in published.read_text(encoding="utf-8")


# Laying out a book takes about half a second a page: the Chinese book of the issue (its page 19)
# and the longest one, the synthetic English, whose banner and notes make chapter openings tallest;
# chapter 3's own page (it opens on the 31 provinces' chart) in both sample editions.
LAID_OUT = [
    ("data/published", "zh", "report.html"),
    ("data/sample", "en", "report.html"),
    ("data/sample", "zh", "03_regions.html"),
    ("data/sample", "en", "03_regions.html"),
]


@pytest.mark.parametrize(("data_dir", "language", "page"), LAID_OUT)
def test_no_page_ends_with_a_heading(editions, data_dir, language, page):
    """Page 19 of the Chinese book held chapter 3's title alone: its first chart went over."""
    folder = edition_folder(editions, data_dir, language) / "html"
    document = layout((folder / page).read_text(encoding="utf-8"), folder)
    assert stranded_headings(document) == []


def test_the_root_index_carries_the_packaged_font(editions):
    reports = editions("data/published", "zh")
    index = (reports / "index.html").read_text(encoding="utf-8")
    assert f'src: url("{FONTS_FOLDER}/{FONT_FILE}")' in index
    assert (reports / FONTS_FOLDER / FONT_FILE).is_file()
