"""Sentences are filled from computed values, words included: change an input table and the
sentence changes with it (which batch is largest, which board leads)."""

import csv
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from helpers.report.html import visible_text

REPO = Path(__file__).parents[1]
pytestmark = pytest.mark.build


def swap(path: Path, key: str, a: str, b: str, columns: list[str]) -> None:
    """Swap the values of `columns` between the rows whose `key` is a and b."""
    with path.open(encoding="utf-8", newline="") as handle:
        rows = list(csv.DictReader(handle))
    first, second = (next(r for r in rows if r[key] == v) for v in (a, b))
    for column in columns:
        first[column], second[column] = second[column], first[column]
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=list(rows[0]), lineterminator="\n")
        writer.writeheader()
        writer.writerows(rows)


def chapter_text(data_dir: Path, staging: Path) -> str:
    result = subprocess.run(
        [
            sys.executable,
            "-m",
            "helpers.workflow",
            "chapter",
            "--notebook",
            "notebooks/01_cultivation.ipynb",
            "--staging",
            str(staging),
            "--data-dir",
            str(data_dir),
            "--build",
            str(staging.parent),
        ],
        cwd=REPO,
        capture_output=True,
        text=True,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    return visible_text((staging / "html" / "01_cultivation.html").read_text(encoding="utf-8"))


def test_swapping_two_batches_changes_which_batch_the_sentence_calls_largest(tmp_path):
    original = chapter_text(REPO / "data" / "published", tmp_path / "a" / "reports")
    assert "第四批数量最多（35.7%）" in original
    assert "“小巨人”占科创板上市企业的49.8%、北交所的46.2%，在沪深主板中占5.4%" in original

    changed_data = tmp_path / "published"
    shutil.copytree(REPO / "data" / "published", changed_data)
    batches = changed_data / "001_cultivation_batches.csv"
    swap(
        batches,
        "batch_no",
        "4",
        "5",
        ["announced", "reviewed", "analysed", "analysed_share_stated"],
    )
    boards = changed_data / "001_a_share_boards.csv"
    swap(boards, "board", "科创板", "创业板", ["listed_total", "little_giants", "share_stated"])
    changed = chapter_text(changed_data, tmp_path / "b" / "reports")
    assert "第五批数量最多（35.7%）" in changed and "第四批数量最多" not in changed
    assert "“小巨人”占创业板上市企业的49.8%、北交所的46.2%" in changed
