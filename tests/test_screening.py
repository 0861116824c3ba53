"""Screening against the MIIT tier criteria: three-valued rule evaluation, points, reasons, and
004's worked examples (A企业 95 points, B企业 at least 66, C企业 小巨人). Expected values by hand."""

import math

import numpy as np
import pandas as pd
import pytest

from helpers import screening
from helpers.screening import MET, NOT_MET, UNKNOWN
from helpers.screening.rules import build_tree

M, N, U = MET, NOT_MET, UNKNOWN


def tree(rows):
    """A criteria tree from (criterion_id, parent_id, logic, criterion attribute row) tuples; leaves
    reuse ids of the published tree so that their attributes are known."""
    columns = ["tier", "criterion_id", "parent_id", "logic", "dimension", "indicator"]
    columns += ["operator", "threshold", "unit", "text"]
    frame = pd.DataFrame(
        [
            ("T", cid, parent, logic, None, None, op, t, unit, cid)
            for cid, parent, logic, op, t, unit in rows
        ],
        columns=columns,
    )
    return build_tree(frame)


# Two leaves under one node: ZJ.2.a rd_expense >= 100 万元, ZJ.4.4 maker_china_top500 (yes/no).
def two_leaf_tree(logic):
    return tree(
        [
            ("ROOT", None, logic, None, None, None),
            ("ZJ.2.a", "ROOT", "leaf", ">=", 100.0, "万元"),
            ("ZJ.4.4", "ROOT", "leaf", "bool", None, None),
        ]
    )


# rd_expense: 150 met, 50 not met, NaN unknown; maker: True met, False not met, None unknown
VALUES = {M: (150.0, True), N: (50.0, False), U: (np.nan, None)}
KLEENE = [
    # (first, second, all, any): all = min, any = max of NOT_MET < UNKNOWN < MET
    (M, M, M, M),
    (M, N, N, M),
    (M, U, U, M),
    (N, N, N, N),
    (N, U, N, U),
    (U, U, U, U),
    (U, M, U, M),
    (N, M, N, M),
]


@pytest.mark.parametrize(("first", "second", "all_", "any_"), KLEENE)
def test_all_and_any_propagate_three_outcomes(first, second, all_, any_):
    firm = pd.DataFrame(
        {"rd_expense": [VALUES[first][0]], "maker_china_top500": [VALUES[second][1]]}
    )
    for logic, expected in (("all", all_), ("any", any_)):
        result = screening.evaluate(firm, two_leaf_tree(logic))
        assert result.outcomes[["ZJ.2.a", "ZJ.4.4"]].iloc[0].tolist() == [first, second]
        assert result.outcomes["ROOT"].iloc[0] == expected


def test_a_missing_column_is_unknown_never_passing_or_failing():
    result = screening.evaluate(pd.DataFrame({"other": [1, 2]}), two_leaf_tree("all"))
    assert result.outcomes["ROOT"].tolist() == [U, U]
    assert set(result.missing_columns) == {"rd_expense", "maker_china_top500"}


@pytest.mark.parametrize(
    ("operator", "value", "code", "gap"),
    [
        (">=", 100.0, M, 0.0),  # at the threshold: 以上 includes it
        (">=", 99.5, N, -0.5),
        (">", 100.0, N, 0.0),
        (">", 100.5, M, 0.5),
        ("<=", 100.0, M, 0.0),  # 以下 includes it
        ("<=", 120.0, N, 20.0),
        ("<", 100.0, N, 0.0),
        ("<", 80.0, M, -20.0),
        (">=", np.nan, U, np.nan),
    ],
)
def test_operators_and_signed_gaps(operator, value, code, gap):
    rules = tree(
        [
            ("ROOT", None, "all", None, None, None),
            ("ZJ.3.a", "ROOT", "leaf", operator, 100.0, "万元"),
        ]
    )
    result = screening.evaluate(pd.DataFrame({"revenue": [value]}), rules)
    assert result.outcomes["ZJ.3.a"].iloc[0] == code
    got = float(result.gaps["ZJ.3.a"].iloc[0])
    assert (math.isnan(got) and math.isnan(gap)) or got == pytest.approx(gap)


def test_a_score_interval_is_met_only_when_its_whole_range_passes():
    # ZJ.4.0: score_zj_total >= 60; [66, 92] met, [28, 98] unknown, [20, 55] not met
    rules = tree(
        [("ROOT", None, "all", None, None, None), ("ZJ.4.0", "ROOT", "leaf", ">=", 60.0, "分")]
    )
    firms = pd.DataFrame({"score_zj_total": [66, 28, 20], "score_zj_total_max": [92, 98, 55]})
    assert screening.evaluate(firms, rules).outcomes["ZJ.4.0"].tolist() == [M, U, N]


@pytest.mark.parametrize(
    ("firm", "zh", "en"),
    [
        (
            {"rd_share": 0.021},
            "上年度研发费用占营业收入比例 2.1%，低于 3%，差 0.9个百分点",
            "R&D spending as a share of revenue last year: 2.1%, lower than 3%, short by 0.9 pp",
        ),
        (
            {"rd_share": 0.0537},
            "上年度研发费用占营业收入比例 5.4%，高于 3%",
            "R&D spending as a share of revenue last year: 5.4%, higher than 3%",
        ),
        (
            {"rd_share": None},
            "上年度研发费用占营业收入比例：无数据，无法判定",
            "R&D spending as a share of revenue last year: no data; cannot be decided",
        ),
        (
            {},
            "上年度研发费用占营业收入比例：数据中没有 rd_share 列，无法判定",
            "R&D spending as a share of revenue last year: the data have no column rd_share; cannot be decided",
        ),
    ],
)
def test_leaf_reasons_in_both_languages(firm, zh, en):
    for language, expected in (("zh", zh), ("en", en)):
        conditions = screening.assess(firm, language).conditions.set_index("criterion_id")
        assert conditions.loc["ZJ.2.b", "reason"] == expected


def test_money_reasons_and_composite_reasons():
    card = screening.assess({"revenue": 400, "equity_financing_2y": 2500}).conditions
    reasons = card.set_index("criterion_id")["reason"]
    # 400 < 1000: short by 600 万元; the 1000万元以下 branch with 2500 >= 2000 qualifies
    assert reasons["ZJ.3.a"] == "上年度营业收入总额 400万元，低于 1,000万元，差 600万元"
    assert reasons["ZJ.3.b"] == "2项条件全部满足"
    # a composite names the branch that qualifies in words, never by its rule code
    assert reasons["ZJ.3"] == "满足其一：营业收入1000万元以下且股权融资达标"


# ---- points ---------------------------------------------------------------------------------


def points(firm, indicator):
    scores = screening.score(pd.DataFrame([firm]))
    return float(scores.low[indicator].iloc[0]), float(scores.high[indicator].iloc[0])


@pytest.mark.parametrize(
    ("firm", "indicator", "expected"),
    [
        ({"rd_share": 0.05}, "CX.P2", (20, 20)),  # 5%以上: 5% itself is band A
        ({"rd_share": 0.0499}, "CX.P2", (15, 15)),  # 3%-5%
        ({"rd_share": 0.0099}, "CX.P2", (0, 0)),  # 1%以下
        ({}, "CX.P2", (0, 20)),  # unknown: anywhere from the lowest to the highest band
        ({"debt_ratio": 0.55}, "CX.P4", (10, 10)),  # 55%以下 includes 55%
        ({"debt_ratio": 0.5501}, "CX.P4", (5, 5)),
        ({"debt_ratio": 0.80}, "CX.P4", (0, 0)),
        ({"strategic_emerging_industry": False}, "CX.P5", (5, 5)),
        ({"ip_class": "自主研发Ⅰ类"}, "ZJ.P10", (8, 8)),
        ({"niche_years": 14}, "ZJ.P3", (5, 5)),  # 7 full two-year steps, capped at 5
        ({"niche_years": 5}, "ZJ.P3", (2, 2)),  # two full steps
        ({"niche_years": 1}, "ZJ.P3", (0, 0)),
        # 质量管理水平: 3 per item, at most 5
        ({"iso9001": True, "own_brand": True}, "ZJ.P6", (5, 5)),
        (
            {
                "iso9001": True,
                "own_brand": False,
                "quality_award_provincial": False,
                "standards_participation": False,
            },
            "ZJ.P6",
            (3, 3),
        ),
        ({"iso9001": True}, "ZJ.P6", (3, 5)),  # three items unknown could add up to the cap
        # 上年度研发费用投入: the better of amount and share
        ({"rd_share": 0.0537}, "ZJ.P11", (4, 10)),  # 4%-6% → 4; amount unknown could give 10
        ({"rd_share": 0.0537, "rd_expense": 1020}, "ZJ.P11", (10, 10)),  # 500万元以上
        ({"rd_share": 0.02, "rd_expense": 50}, "ZJ.P11", (0, 0)),  # neither reaches band E
        ({"local_feature_points": 12}, "ZJ.P9", (12, 12)),
        ({"local_feature_points": 40}, "ZJ.P9", (15, 15)),  # capped at the indicator's 15
        ({}, "ZJ.P9", (0, 15)),
    ],
)
def test_points_rules(firm, indicator, expected):
    assert points(firm, indicator) == expected


def test_rd_share_is_derived_from_spending_and_revenue():
    # 150 / 5000 = 3% → CX.P2 band B, 15 points
    assert points({"rd_expense": 150, "revenue": 5000}, "CX.P2") == (15, 15)


def test_published_points_rules_add_up_to_100_per_tier():
    rules = screening.load_points().drop_duplicates("indicator_id")
    by_dimension = rules.groupby(["tier", "dimension"], sort=False)["max_points"].sum()
    assert by_dimension.to_dict() == {
        ("创新型中小企业", "创新能力"): 40,
        ("创新型中小企业", "成长性"): 30,
        ("创新型中小企业", "专业化"): 30,
        ("专精特新中小企业", "专业化"): 25,
        ("专精特新中小企业", "精细化"): 25,
        ("专精特新中小企业", "特色化"): 15,
        ("专精特新中小企业", "创新能力"): 35,
    }


# ---- 004's worked examples --------------------------------------------------------------------

# The worked examples as firm rows, with the readings the seed leaves open (see the module).
from helpers.screening.examples import FIRM_A, FIRM_B, FIRM_C  # noqa: E402


def totals(card, tier):
    rows = card.totals[card.totals["tier"] == tier].set_index("dimension")
    return {d: (row["low"], row["high"]) for d, row in rows.iterrows()}


def test_firm_a_is_innovative_with_95_points():
    card = screening.assess(FIRM_A)
    assert totals(card, "创新型中小企业") == {
        "创新能力": (40, 40),
        "成长性": (25, 25),
        "专业化": (30, 30),
        "": (95, 95),
    }
    assert card.tiers["创新型中小企业"] == "met"
    reasons = card.conditions.set_index("criterion_id")["reason"]
    assert reasons["CX.1.a"] == "创新型中小企业评价总得分 95分，高于 60分"


def test_firm_b_scores_at_least_66_with_the_seeds_points_per_item():
    card = screening.assess(FIRM_B)
    got = card.points.set_index("indicator_id")
    # the seed's points: 5, 10, 5, 5 | 5, 8, 5 | 8, 4, 3, 8 (数字化 and 地方特色 left out)
    stated = {"ZJ.P1": 5, "ZJ.P2": 10, "ZJ.P3": 5, "ZJ.P4": 5, "ZJ.P6": 5, "ZJ.P7": 8, "ZJ.P8": 5}
    stated |= {"ZJ.P10": 8, "ZJ.P11": 4, "ZJ.P12": 3, "ZJ.P13": 8}
    assert got.loc[list(stated), "low"].to_dict() == stated
    # unknown: 数字化水平 0-5, 地方特色 0-15, R&D amount could lift 4 to 10
    assert totals(card, "专精特新中小企业") == {
        "专业化": (25, 25),
        "精细化": (18, 23),
        "特色化": (0, 15),
        "创新能力": (23, 29),
        "": (66, 92),
    }
    total = card.totals.set_index(["tier", "dimension"]).loc[("专精特新中小企业", ""), "words"]
    assert total == "至少66分，至多92分"
    conditions = card.conditions.set_index("criterion_id")["outcome"]
    assert conditions[["ZJ.1", "ZJ.2.b", "ZJ.4.0", "ZJ.4"]].tolist() == ["met"] * 4
    # revenue and R&D spending are not printed: the tier stays unknown, never failed
    assert conditions[["ZJ.2.a", "ZJ.3"]].tolist() == ["unknown", "unknown"]
    assert card.tiers["专精特新中小企业"] == "unknown"


def test_firm_b_qualifies_once_revenue_is_at_least_its_brand_revenue():
    # brand revenue 1.9亿元 last year ≤ revenue: 19000万元; R&D 5.37% of it = 1020.3万元 ≥ 100
    card = screening.assess(FIRM_B | {"revenue": 19000, "rd_expense": 0.0537 * 19000})
    assert card.tiers["专精特新中小企业"] == "met"
    # by the MIIT table 1020万元 of R&D gives 10 points, not the seed's 4: total at least 72
    assert totals(card, "专精特新中小企业")[""] == (72, 92)


def test_firm_c_is_a_little_giant_on_the_condition_004_quotes():
    card = screening.assess(FIRM_C)
    assert card.tiers["专精特新“小巨人”企业"] == "met"
    rows = card.conditions.set_index("criterion_id")
    assert rows.loc["XJR.1.a", "gap"] == pytest.approx(0.2388 - 0.10)
    assert rows.loc["XJR.1.a", "reason"] == "主导产品全国细分市场占有率 23.9%，高于 10%"
    assert rows.loc["ZJ.4.2", "outcome"] == "met"  # 近两年研发费用均值 1250万元 ≥ 1000


def test_a_table_screens_like_one_firm_at_a_time():
    firms = pd.DataFrame([FIRM_A, FIRM_B, FIRM_C])
    table = screening.screen(firms).labelled()
    for position, firm in enumerate((FIRM_A, FIRM_B, FIRM_C)):
        assert table.iloc[position].to_dict() == screening.assess(firm).tiers


def test_english_card_has_no_chinese_reasons_for_numbers():
    card = screening.assess(FIRM_B, "en")
    reasons = card.points.set_index("indicator_id")["reason"]
    assert reasons["ZJ.P11"] == (
        "R&D spending as a share of revenue last year: 5.4%: band D, 4 points; R&D input last "
        "year: between 4 points and 10 points (no data for R&D spending last year)"
    )
    assert reasons["ZJ.P13"] == "Level of the R&D institution: provincial: band B, 8 points"
