"""helpers.stats.context: hand-computed values for the national-context chapter (seeds 002–004)."""

import math

import pandas as pd
import pytest

from helpers.stats import context


def test_base_from_growth_hand_computed():
    # 002: 5200万户 at the end of 2022, 51% more than at the end of 2018 → 52,000,000 / 1.51.
    assert context.base_from_growth(52_000_000, 0.51) == pytest.approx(34_437_086.09, abs=0.01)
    assert context.base_from_growth(130, 0.3) == pytest.approx(100)


@pytest.mark.parametrize("growth", [-1, -1.5])
def test_base_from_growth_refuses_growth_at_or_below_minus_one(growth):
    with pytest.raises(ValueError, match="growth must be > -1"):
        context.base_from_growth(100, growth)


def test_cagr_from_growth_hand_computed():
    # 1.51 ** (1/4) = 1.108522… (1.108522² = 1.228821, ² = 1.510001) → 10.85%/yr over 2018–2022.
    assert context.cagr_from_growth(0.51, 2018, 2022) == pytest.approx(0.108522, abs=1e-6)
    # 1.3 ** (1/4) = 1.067790… → 6.78%/yr; 21% over two years is exactly 10%/yr.
    assert context.cagr_from_growth(0.3, 2018, 2022) == pytest.approx(0.067790, abs=1e-6)
    assert context.cagr_from_growth(0.21, 2020, 2022) == pytest.approx(0.10)


def test_cagr_from_growth_needs_a_span():
    with pytest.raises(ValueError, match="at least two years"):
        context.cagr_from_growth(0.51, 2022, 2022)


def test_growth_index():
    assert context.growth_index(0.51) == pytest.approx(151)
    assert context.growth_index(0.3, base=1) == pytest.approx(1.3)


def test_tier_pyramid_shares_of_the_tier_below():
    tiers = pd.DataFrame(
        {"tier": ["小巨人", "创新型", "专精特新"], "firms": [12_000, 200_000, 98_000]}
    )
    table = context.tier_pyramid(tiers, "tier", "firms", ["创新型", "专精特新", "小巨人"])
    assert table["tier"].tolist() == ["创新型", "专精特新", "小巨人"]
    assert table["level"].tolist() == [1, 2, 3]
    assert math.isnan(table["share_of_below"].iloc[0])
    # 98,000 / 200,000 = 0.49; 12,000 / 98,000 = 0.122449; 12,000 / 200,000 = 0.06.
    assert table["share_of_below"].iloc[1:].tolist() == pytest.approx([0.49, 0.122449], abs=1e-6)
    assert table["share_of_base"].tolist() == pytest.approx([1, 0.49, 0.06])


def test_tier_pyramid_names_a_missing_or_repeated_tier():
    tiers = pd.DataFrame({"tier": ["创新型", "创新型"], "firms": [1, 2]})
    with pytest.raises(ValueError, match="'创新型' must appear once, found 2"):
        context.tier_pyramid(tiers, "tier", "firms", ["创新型"])
    with pytest.raises(ValueError, match="'小巨人' must appear once, found 0"):
        context.tier_pyramid(tiers.head(1), "tier", "firms", ["创新型", "小巨人"])


def test_remainder_share_of_unprinted_parts():
    # 004 图12: 61.4% + 22.9% + 9.0% printed, six industries not → 1 − 0.933 = 0.067.
    shares = pd.Series([0.614, 0.229, 0.09, None, None])
    assert context.remainder_share(shares) == pytest.approx(0.067)
    assert context.remainder_share(pd.Series([0.5, 0.5005])) == 0.0  # rounding above 1
    with pytest.raises(ValueError, match=r"add up to 1\.2000"):
        context.remainder_share(pd.Series([0.6, 0.6]))


@pytest.mark.parametrize(
    ("value", "scale", "expected"),
    [(0.03, 2, 0), (0.035, 2, 1), (0.1, 2, 0), (1000, 0, 0), (2.5, 0, 1), (1 / 3, 0, 2)],
)
def test_shown_decimals(value, scale, expected):
    assert context.shown_decimals(value, scale) == expected


def _criteria(rows):
    return pd.DataFrame(rows, columns=["tier", "criterion_id", "parent_id", "logic"])


def test_criteria_outline_numbers_in_table_order():
    criteria = _criteria(
        [
            ("A", "A", None, "any"),
            ("A", "A.1", "A", "all"),
            ("A", "A.1.a", "A.1", "leaf"),
            ("A", "A.1.b", "A.1", "leaf"),
            ("A", "A.2", "A", "leaf"),
            ("B", "B", None, "all"),
            ("B", "B.x", "B", "leaf"),
        ]
    )
    outline = context.criteria_outline(criteria)
    assert outline["criterion_id"].tolist() == ["A", "A.1", "A.1.a", "A.1.b", "A.2", "B", "B.x"]
    assert outline["outline"].tolist() == ["", "1", "1.1", "1.2", "2", "", "1"]
    assert outline["depth"].tolist() == [0, 1, 2, 2, 1, 0, 1]
    assert outline["logic"].tolist() == ["any", "all", "leaf", "leaf", "leaf", "all", "leaf"]


def test_criteria_outline_children_listed_before_their_parent():
    criteria = _criteria([("A", "A.1", "A", "leaf"), ("A", "A", None, "all")])
    assert context.criteria_outline(criteria)["criterion_id"].tolist() == ["A", "A.1"]


@pytest.mark.parametrize(
    ("rows", "message"),
    [
        ([("A", "A", None, "all"), ("A", "A", None, "all")], "duplicate criterion_id 'A'"),
        ([("A", "A", None, "all"), ("A", "A.1", "Z", "leaf")], "'A.1' has unknown parent 'Z'"),
        ([("A", "A", None, "all"), ("B", "B.1", "A", "leaf")], "'B.1' is in tier 'B'"),
        (
            [("A", "A", None, "all"), ("A", "X", "Y", "all"), ("A", "Y", "X", "all")],
            "'X' is not under any root",
        ),
    ],
)
def test_criteria_outline_names_the_bad_criterion(rows, message):
    with pytest.raises(ValueError, match=message):
        context.criteria_outline(_criteria(rows))


def test_published_criteria_outline():
    from helpers.data.catalog import load_published

    outline = context.criteria_outline(load_published("miit_criteria"))
    row = outline.set_index("criterion_id").loc["ZJ.3.b.2"]
    assert (row["outline"], row["depth"]) == ("3.2.2", 3)
    assert outline.groupby("tier")["depth"].min().eq(0).all()


def test_context_charts_keep_labels_readable_and_mute_the_remainder():
    from matplotlib.colors import to_hex

    from helpers.report import charts, context_charts

    shares = pd.DataFrame({"name": ["B", "rest", "A"], "share": [0.2, 0.1, 0.7]})
    fig = context_charts.shares_with_remainder(shares, "name", "share", "rest")
    bars = fig.axes[0].containers[0]
    # Drawn bottom-up: the remainder first (muted), then B, then A on top.
    assert [round(b.get_width(), 3) for b in bars] == [0.1, 0.2, 0.7]
    assert to_hex(bars[0].get_facecolor()) == charts.MUTED
    assert min(t.get_fontsize() for t in fig.axes[0].texts) >= context_charts.MIN_LABEL_SIZE

    tiers = pd.DataFrame({"tier": ["base", "top"], "firms": [200, 12], "text": ["200", "12"]})
    fig = context_charts.tier_pyramid(tiers, "tier", "firms", "text")
    widths = [p.get_width() for p in fig.axes[0].patches]
    assert widths == [200, 12]  # as wide as the counts: the proportions are kept
    assert [p.get_x() for p in fig.axes[0].patches] == [-100, -6]  # centred

    pair = pd.DataFrame({"name": ["all", "giants"], "rate": [0.134, 0.265]})
    fig = context_charts.shares_with_multiple(pair, "name", "rate", "1.98×")
    assert "1.98×" in [t.get_text() for t in fig.axes[0].texts]
