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


# The chapter's tables (notebooks/05_context.ipynb) ------------------------------------------------
def _tiers():
    # sme_tiers shaped: three tiers in 2023, the 小巨人 also at the end of 2022.
    return pd.DataFrame(
        {
            "tier": [*context.TIER_ORDER, context.LITTLE_GIANTS],
            "period": ["2023", "2023", "2023", "2022-12-31"],
            "firms": [200_000, 98_000, 12_000, 9_000],
        },
        index=[2, 3, 4, 5],
    )


def test_tier_pyramid_names_the_tier_below():
    pyramid = context.tier_pyramid(context.tiers_of(_tiers(), "2023"))
    assert pd.isna(pyramid["below"].iloc[0])
    assert pyramid["below"].iloc[1:].tolist() == list(context.TIER_ORDER[:2])


def test_tiers_of_a_period_and_rows_of_a_tier():
    tiers = _tiers()
    assert context.tiers_of(tiers, "2023").index.tolist() == [2, 3, 4]
    assert context.tier_rows(tiers).index.tolist() == [4, 5]  # the 小巨人 by default


def test_tier_growth_hand_computed():
    # 9,000 at the end of 2022 → 12,000 in 2023: 12,000 / 9,000 − 1 = 0.3333.
    giants = context.tier_rows(_tiers())
    assert context.tier_growth(giants, "2022-12-31", "2023") == pytest.approx(1 / 3)
    with pytest.raises(ValueError, match="period '2021' must appear once, found 0"):
        context.tier_growth(giants, "2021", "2023")


def test_tier_table_puts_the_earlier_periods_after_the_pyramid():
    tiers = _tiers()
    table = context.tier_table(context.tier_pyramid(context.tiers_of(tiers, "2023")), tiers)
    assert table["period"].tolist() == ["2023", "2023", "2023", "2022-12-31"]
    assert table["firms"].tolist() == [200_000, 98_000, 12_000, 9_000]
    assert table.index.tolist() == [0, 1, 2, 3]


def test_implied_growth_from_a_stated_growth_or_multiple():
    counts = pd.DataFrame(
        {
            "indicator": ["smes", "daily", "neither"],
            "year": [2022, 2022, 2022],
            "count": [52_000_000, 23_800, 1],
            "base_year": [2018, 2018, 2020],
            "growth_vs_base_stated": pd.array([0.51, None, None], dtype="Float64"),
            "multiple_vs_base_stated": pd.array([None, 1.3, None], dtype="Float64"),
        }
    ).set_index("indicator", drop=False)
    table = context.implied_growth(counts)
    assert table["start"].tolist() == [2018, 2018, 2020]
    assert table["end"].tolist() == [2022, 2022, 2022]
    # 51% stated; 1.3倍 → 1.3 − 1 = 0.3 growth.
    assert table["growth"].iloc[:2].tolist() == pytest.approx([0.51, 0.3])
    assert table["multiple_of_base"].iloc[:2].tolist() == pytest.approx([1.51, 1.3])
    # 1.51 ** (1/4) − 1 = 0.108522; 1.3 ** (1/4) − 1 = 0.067790 (see test_cagr_from_growth).
    assert table["cagr"].iloc[:2].tolist() == pytest.approx([0.108522, 0.067790], abs=1e-6)
    assert table.loc["neither", ["growth", "multiple_of_base", "cagr"]].isna().all()


def _programmes():
    return pd.DataFrame(
        {
            "actor": ["基金", "专精特新中小企业（全国）", "某省专板"],
            "province": [None, None, "山东省"],
            "indicator": ["投资项目", "占A股已上市企业的比例", "累计挂牌专精特新企业"],
            "value_stated": [1100.0, 0.3, 1552.0],
            "unit": ["个", "share", "家"],
            "qualifier": ["多", "约", None],
            "period": ["累计", "2023年上半年", "2023年6月末"],
        }
    )


def test_national_figures_are_the_rows_without_a_province():
    national = context.national_figures(_programmes())
    assert national.index.tolist() == ["投资项目", "占A股已上市企业的比例"]
    assert national["indicator"].tolist() == national.index.tolist()  # kept as a column


def test_financing_figures_one_row_per_figure():
    loans = pd.DataFrame(
        {"period": ["2023年上半年"], "loan_balance": [27200.0], "growth_stated": [0.204]}
    )
    fundraising = pd.DataFrame(
        {"indicator": ["募资A", "募资B", "占比"], "value_stated": [3060.0, 7326.0, 0.58]}
    ).assign(unit=["亿元", "亿元", "share"])
    national = context.national_figures(_programmes())
    figures = context.financing_figures(loans, national, fundraising)
    # 2 loan rows + 2 national rows + 3 listing rows, renumbered.
    assert figures.index.tolist() == list(range(7))
    assert figures["indicator"].tolist()[:2] == ["贷款余额", "贷款余额增速"]
    assert figures["value_stated"].tolist()[:2] == [27200.0, 0.204]
    assert figures["unit"].tolist() == ["亿元", "rate", "个", "share", "亿元", "亿元", "share"]
    assert figures["qualifier"].iloc[:2].isna().all()
    nationwide = context.NATIONAL_SPECIALISED_SMES  # the actor where the table names none
    assert figures["actor"].tolist() == [nationwide] * 2 + ["基金"] + [nationwide] * 4
    # The uses of funds raised are the rows in 亿元: 3,060 + 7,326 = 10,386.
    assert context.fundraising_uses(fundraising)["value_stated"].sum() == 10_386


def test_printed_and_unprinted_shares_and_the_first_in_the_legend():
    distribution = pd.DataFrame(
        {
            "industry": ["B", "A", "C", "D"],
            "legend_order": [2, 1, 3, 4],
            "share_stated": pd.array([0.229, 0.614, 0.09, None], dtype="Float64"),
        }
    )
    printed = context.printed_shares(distribution)
    assert printed["industry"].tolist() == ["B", "A", "C"]
    assert context.unprinted(distribution)["industry"].tolist() == ["D"]
    top_two = context.first_in_legend(printed, 2)
    assert top_two["industry"].tolist() == ["A", "B"]
    # 0.614 + 0.229 = 0.843
    assert top_two["share_stated"].sum() == pytest.approx(0.843)


def test_declared_totals_sum_the_parts_named_by_where():
    frame = pd.DataFrame({"industry": ["A", "B", "C"], "share": [0.614, 0.229, 0.09]})
    totals = [
        {"column": "share", "equals": 0.843, "where": {"industry": ["A", "B"]}},
        {"column": "share", "equals": 1},
    ]
    checked = context.declared_totals(frame, totals)
    assert checked["stated"].tolist() == [0.843, 1.0]
    # 0.614 + 0.229 = 0.843; all three: 0.933
    assert checked["recomputed"].tolist() == pytest.approx([0.843, 0.933])
    assert context.declared_totals(frame, []).empty


def test_penetration_multiple_hand_computed():
    penetration = pd.DataFrame(
        {
            "population": [context.ALL_SPECIALISED, context.NATIONAL_LITTLE_GIANTS],
            "penetration_stated": [0.134, 0.265],
        }
    )
    # 0.265 / 0.134 = 1.977612
    assert context.penetration_multiple(penetration) == pytest.approx(1.977612, abs=1e-6)
    with pytest.raises(KeyError, match="no population '其他'"):
        context.penetration_multiple(penetration, "其他")


def _outline():
    criteria = pd.DataFrame(
        [
            ("A", "A", None, "all", None, None, False),
            ("A", "A.1", "A", "leaf", 60.0, "评分门槛", False),
            ("A", "A.2", "A", "leaf", None, "硬性条件", True),
            ("B", "B", None, "any", None, None, False),
            ("B", "B.1", "B", "leaf", 1000.0, "备选条件", True),
            ("B", "B.2", "B", "leaf", 0.03, "备选条件", False),
        ],
        columns=["tier", "criterion_id", "parent_id", "logic", "threshold", "scoring", "inferred"],
    )
    return context.criteria_outline(criteria)


def test_thresholds_are_the_leaves_with_a_threshold():
    assert context.thresholds(_outline())["criterion_id"].tolist() == ["A.1", "B.1", "B.2"]


def test_criteria_counts_and_scoring_counts():
    counts = context.criteria_counts(_outline())
    # 2 tiers (A, B); 4 leaves; 2 rows marked inferred (A.2, B.1).
    assert counts.iloc[0].tolist() == [2, 4, 2]
    kinds = context.scoring_counts(_outline())
    assert kinds.to_dict("list") == {
        "kind": ["备选条件", "评分门槛", "硬性条件"],
        "conditions": [2, 1, 1],
    }
