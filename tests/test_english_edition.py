"""The English edition has no Chinese outside proper names: every word comes from the label
files, numbers are the Chinese edition's (`make report LANGUAGE=en`, published and sample)."""

import re
from pathlib import Path

import pytest
from pypdf import PdfReader

from helpers.report.html import visible_text
from helpers.workflow.datapackage import read_published

REPO = Path(__file__).parents[1]
pytestmark = pytest.mark.build
# CJK ideographs and punctuation, full-width forms, and Chinese quotation marks.
CJK = re.compile(r"[\u3000-\u303f\u3400-\u9fff\uff00-\uffef“”‘’]+")


def chinese_in(reports: Path, edition: str) -> dict[str, list[str]]:
    found = {}
    folder = reports / edition
    for page in sorted([*(folder / "html").glob("*.html"), *(folder / "profiles").glob("*.html")]):
        found[page.name] = CJK.findall(visible_text(page.read_text(encoding="utf-8")))
    for pdf in sorted([*(folder / "pdf").glob("*.pdf"), *(folder / "profiles").glob("*.pdf")]):
        found[pdf.name] = CJK.findall("".join(p.extract_text() for p in PdfReader(pdf).pages))
    found["statistics.csv"] = CJK.findall(
        (folder / "statistics.csv").read_text(encoding="utf-8-sig")
    )
    return {name: hits for name, hits in found.items() if hits}


@pytest.mark.parametrize(
    ("data_dir", "edition"), [("data/published", "en"), ("data/sample", "sample-en")]
)
def test_english_edition_counts_no_chinese_characters(editions, data_dir, edition):
    reports = editions(data_dir, "en", regions="beijing tibet")  # a big and a tiny region
    assert chinese_in(reports, edition) == {}


def test_numbers_are_identical_in_both_editions(editions):
    editions("data/published", "zh")
    reports = editions("data/published", "en", regions="beijing tibet")

    def values(edition):
        statistics = read_published(reports / edition / "statistics.csv")
        return dict(zip(statistics["key"], statistics["value"], strict=True))

    english, chinese = values("en"), values("zh")
    assert english == chinese and len(english) > 90
