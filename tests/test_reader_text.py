"""What a reader sees carries no raw identifiers: every built HTML page's visible text and every
PDF's extracted text, in both languages and from both data sources, is free of numpy reprs
(`np.int64(4)`), scientific notation (`1e-05`), other Python reprs (`True`, `nan`, `<… object
at 0x…>`) and snake_case keys (`invention_share`); URLs and file names offered for download
are allowed. The English edition has no Chinese outside proper names (its own test's helper)."""

import re
from pathlib import Path

import pytest
from pypdf import PdfReader
from test_english_edition import CJK

from helpers.report.html import visible_text

pytestmark = pytest.mark.build

RAW = {
    "numpy repr": re.compile(r"\bnp\.[A-Za-z_]+"),
    "scientific notation": re.compile(r"\d(?:\.\d+)?[eE][-+]\d"),
    "Python repr": re.compile(
        r"\b(?:True|False|None|nan|NaN|NaT|dtype|Timestamp)\b|object at 0x|\[\s*'|'\s*\]"
    ),
    "snake_case key": re.compile(r"\b[a-z]+_[a-z_]+\b"),
}
# Allowed: links and the names of files a reader may download (figures, tables, data folders).
ALLOWED = re.compile(
    r"https?://\S+|[\w./-]+\.(?:csv|xlsx|html|pdf|png|svg|yml|yaml|parquet|md|txt|zip)\b"
)
EDITIONS = [
    ("data/published", "zh", "zh"),
    ("data/published", "en", "en"),
    ("data/sample", "zh", "sample-zh"),
    ("data/sample", "en", "sample-en"),
]


def reader_texts(folder: Path) -> dict[str, str]:
    """File (relative to the edition folder) -> the text a reader sees: HTML pages without tags,
    styles and scripts; PDFs as pypdf extracts them."""
    texts = {}
    for page in sorted(folder.rglob("*.html")):
        texts[str(page.relative_to(folder))] = visible_text(page.read_text(encoding="utf-8"))
    for pdf in sorted(folder.rglob("*.pdf")):
        pages = PdfReader(pdf).pages
        texts[str(pdf.relative_to(folder))] = "\n".join(p.extract_text() for p in pages)
    return texts


def raw_identifiers(text: str, cjk: bool = False) -> dict[str, list[str]]:
    """Kind -> each hit with a little context, once each; `cjk` also looks for Chinese."""
    text = ALLOWED.sub(" ", text)
    patterns = dict(RAW, **({"Chinese": CJK} if cjk else {}))
    found = {}
    for kind, pattern in patterns.items():
        hits = [
            text[max(m.start() - 25, 0) : m.end() + 25].replace("\n", " ")
            for m in pattern.finditer(text)
        ]
        if hits:
            found[kind] = list(dict.fromkeys(hits))
    return found


def edition_problems(folder: Path, english: bool) -> dict[str, dict[str, list[str]]]:
    problems = {}
    for name, text in reader_texts(folder).items():
        found = raw_identifiers(text, cjk=english)
        if found:
            problems[name] = found
    return problems


@pytest.mark.parametrize(
    ("text", "kinds"),
    [
        ("共4项", set()),
        ("np.int64(4)", {"numpy repr"}),
        ("差异 9.9e-05", {"scientific notation"}),
        ("1.2E-07", {"scientific notation"}),
        ("invention_share 45%", {"snake_case key"}),
        ("inferred: True", {"Python repr"}),
        ("下载 tables/02_innovation_fig2_2_multiples.csv", set()),
        ("见 https://example.org/some_path", set()),
        ("占比 0.36 e-commerce", set()),
    ],
)
def test_the_scan_finds_raw_identifiers_and_spares_file_names(text, kinds):
    assert set(raw_identifiers(text)) == kinds


def test_the_english_scan_finds_chinese():
    assert set(raw_identifiers("Source: 智慧芽", cjk=True)) == {"Chinese"}


@pytest.mark.parametrize(("data_dir", "language", "edition"), EDITIONS)
def test_no_raw_identifiers_where_a_reader_looks(editions, data_dir, language, edition):
    reports = editions(data_dir, language)
    assert edition_problems(reports / edition, english=language == "en") == {}
