"""One count of the published figures that disagree with their parts: tables/reconciliation.csv
(each printed figure once), the appendix (in total and per document), each chapter's check
section, the key findings, statistics.csv and the build summary name the same figures; the
README's "Findings so far" gives the Chinese edition's count. Then a copy of data/published with
one printed share altered (batch 1's 1.3% of 图表1.4 printed as 2.0%) makes one more figure
disagree, and every one of those places moves with it."""

import re
import shutil
from pathlib import Path

import pytest

from helpers.report.html import visible_text
from helpers.workflow.datapackage import read_published

pytestmark = pytest.mark.build
REPO = Path(__file__).parents[1]
ALTERED_ITEM = "第一批 占比"  # chapter 1's words for batch 1's printed share


@pytest.fixture(scope="module")
def altered(tmp_path_factory) -> str:
    """data/published with batch 1's printed share of 图表1.4 changed from 0.013 to 0.020."""
    folder = tmp_path_factory.mktemp("one-count") / "altered"
    shutil.copytree(REPO / "data" / "published", folder)
    path = folder / "001_cultivation_batches.csv"
    text = path.read_text(encoding="utf-8")
    assert text.count("1,第一批,248,155,155,0.013,") == 1
    path.write_text(text.replace("1,第一批,248,155,155,0.013,", "1,第一批,248,155,155,0.02,"))
    return str(folder)


def places(edition: Path, summary: str) -> dict[str, list[str]]:
    """Each place that counts the disagreeing figures -> the figures it names (its count is
    the list's length, after checking the number it prints)."""
    merged = read_published(edition / "tables" / "reconciliation.csv")
    assert not merged["check_id"].duplicated().any(), "a figure listed twice"
    mismatches = merged[merged["status"] == "mismatch"]
    found = {"tables/reconciliation.csv": mismatches["item"].tolist()}

    statistics = read_published(edition / "statistics.csv").set_index("key")
    count = int(float(statistics.loc["99_reconciliation.published_checks.mismatch", "value"]))
    found["statistics.csv"] = mismatches["item"].tolist()[:count] + [""] * (count - len(mismatches))

    # The appendix: its summary, the sentence of each mismatch, the documents' counts.
    appendix = visible_text((edition / "html" / "99_reconciliation.html").read_text("utf-8"))
    total = int(re.search(r"(\d+)项不一致", appendix).group(1))
    listed = appendix.split("不一致的公开数字", 1)[1] if total else ""
    named = [item for item in mismatches["item"] if f"{item}（" in listed]
    by_document = re.findall(r"本文件共核对[\d,]+项，其中(\d+)项不一致", appendix)
    assert sum(map(int, by_document)) == total
    found["appendix"] = named + [""] * (total - len(named))

    # The chapters' check sections: each names its own mismatches, once.
    chapters = []
    for page in sorted((edition / "html").glob("0[0-9]_*.html")):
        text = visible_text(page.read_text("utf-8"))
        # 不一致：<item>（<document>）公开值为… (an item or a document may hold brackets)
        own = [item for item in mismatches["item"] if f"不一致：{item}（" in text]
        stated = re.search(r"共核对[\d,]+项：.*?(\d+)项不一致", text)
        assert int(stated.group(1)) == len(own), page.name
        chapters += own
    found["chapters (with the appendix's own)"] = chapters + [
        item
        for item, notebook in zip(mismatches["item"], mismatches["notebook"], strict=True)
        if notebook == "99_reconciliation"
    ]

    # The key findings: the count and every item.
    book = visible_text((edition / "html" / "report.html").read_text("utf-8"))
    sentence = re.search(r"附录核对了[\d,]+项公开数字，其中(\d+)项与其分项不符.*?。", book)
    found["key findings"] = [
        item for item in mismatches["item"] if f"{item}（" in sentence.group(0)
    ] + [""] * (int(sentence.group(1)) - len(mismatches))

    # The build summary printed by make report.
    counted = re.search(r"reconciliation: .*?(\d+) mismatch", summary)
    lines = re.findall(r"^  mismatch: (.*?) \(", summary, flags=re.M)
    assert int(counted.group(1)) == len(lines)
    found["build summary"] = lines
    return found


def assert_one_count(found: dict[str, list[str]]) -> list[str]:
    first = sorted(found["tables/reconciliation.csv"])
    for place, items in found.items():
        assert sorted(items) == first, place
    return first


@pytest.mark.parametrize(
    ("data_dir", "edition"), [("data/published", "zh"), ("data/sample", "sample-zh")]
)
def test_every_place_gives_the_same_disagreeing_figures(editions, data_dir, edition):
    reports = editions(data_dir, "zh")
    summary = editions.done[(data_dir, "zh", "beijing")][1]
    items = assert_one_count(places(reports / edition, summary))
    if data_dir == "data/published":  # the README's count is the book's
        readme = (REPO / "README.md").read_text(encoding="utf-8")
        paragraph = readme.split("Findings so far", 1)[1].split("\n\n", 1)[0]
        assert f"{len(items)} published figures disagree" in paragraph
        assert len(items) == 12  # 001 and 000's seven, PatSnap 2025's two, three publicity counts


def test_one_more_disagreeing_figure_moves_every_place(editions, altered):
    reports = editions(altered, "zh", regions="none")
    summary = editions.done[(altered, "zh", "none")][1]
    items = assert_one_count(places(reports / "altered-zh", summary))
    before = assert_one_count(
        places(reports / "zh", editions.done[("data/published", "zh", "beijing")][1])
    )
    assert sorted([*before, ALTERED_ITEM]) == items
