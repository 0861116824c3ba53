"""Checks that can fail: a firm-level edition compares its figures with the figures the seeds
print for the same population, or shows no comparison; it never compares a figure with itself,
and it says how many figures had no published value."""

import math

import pandas as pd
import pytest

from helpers.report.chapter import Chapter
from helpers.stats import reconcile


def test_a_figure_without_a_published_value_is_listed_not_compared():
    items = pd.DataFrame(
        {
            "source": ["a", "b", "c"],
            "item": ["printed", "own figure", "off"],
            "stated": [0.126, math.nan, 0.5],
            "recomputed": [0.1266, 0.359, 0.5004],
        }
    )
    table = reconcile.reconcile(items)
    # hand-checked: 0.1266 vs 0.126 is beyond ±0.0005 -> mismatch; 0.5004 within -> rounding
    assert table["status"].tolist() == ["mismatch", "rounding", "unpublished"]
    assert reconcile.status(math.nan, 1.0) == "unpublished"


@pytest.fixture
def chapter(tmp_path, sample_tables):
    return Chapter("01_cultivation", data_dir=sample_tables, output_dir=str(tmp_path))


@pytest.fixture
def chapter02(tmp_path, sample_tables):
    return Chapter("02_innovation", data_dir=sample_tables, output_dir=str(tmp_path))


def test_the_sample_is_checked_against_what_001_printed(chapter):
    """The sample is 001's population (the same batches and counts at the same cut-off): its
    other fields' share, 1,543 of 12,192 = 12.66%, is checked against 001's printed 12.6% and
    disagrees — as in the published edition — instead of agreeing with its own rounding."""
    shares = chapter.table("industry_shares_by_population")
    little = shares[shares["population"] == "小巨人"].assign(share=1543 / 12192)
    other = little[little["category"] == "其他领域"]
    chapter.check_table(other, "category", "share_stated", "share", unit="share")
    [check] = chapter.checks.values()
    assert check["stated"] == 0.126
    assert reconcile.status(check["stated"], check["recomputed"]) == "mismatch"


def test_a_firm_level_figure_is_never_its_own_published_value(chapter02):
    """A text figure aggregated from the firms (the firms with overseas markets) is this data's
    own: checking it against a recomputation from the same firms would compare it with itself."""
    chapter = chapter02
    text = chapter.table("text_figures")
    row = text[text["source_doc"] == "firm-level"].iloc[[0]]
    chapter.check(row, "own", float(row["value"].iloc[0]), float(row["value"].iloc[0]))
    [check] = chapter.checks.values()
    assert math.isnan(check["stated"])
    table = chapter.reconciliation()
    assert table["status"].tolist() == ["unpublished"]


def test_the_reconciliation_counts_only_comparisons(chapter02, monkeypatch):
    chapter = chapter02
    shown = []
    monkeypatch.setattr(chapter, "_show", lambda kind, **values: shown.append(values))
    batches = chapter.table("cultivation_batches")
    shares = batches.assign(analysed_share=batches["analysed"] / batches["analysed"].sum())
    chapter.check_table(shares, "batch", "analysed_share_stated", "analysed_share", unit="share")
    text = chapter.table("text_figures")
    own = text[text["source_doc"] == "firm-level"].iloc[[0]]
    chapter.check(own, "own", 1.0, 1.0)
    chapter.reconciliation()
    texts = " ".join(str(v.get("text", "")) for v in shown)
    assert "共核对5项" in texts  # the five batch shares; not the figure without a published value
    assert "另有1项数字没有同一口径的公开值" in texts
