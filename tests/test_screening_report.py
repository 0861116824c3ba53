"""helpers.report.chapters.screening: chapter 06's computations on the screening's tables against
hand-computed values, its statistics under the keys of notebooks/statistics/06_screening.yml and
assess.yml (fixed ids: provinces by GB/T 2260 code, criteria and firms by their own codes; each
condition's value in its own declared unit), and its figures, tables and checks run on small
tables. Expected values by hand."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from helpers import screening
from helpers.data.catalog import load_published
from helpers.report.chapter import STRICT_ENV, Chapter
from helpers.report.chapters import screening as show
from helpers.screening import cards, present
from helpers.screening.attributes import SCORE_ATTRIBUTES
from helpers.screening.examples import EXAMPLES, FIRM_B

ROOTS = screening.load_criteria()
CRITERIA = load_published("miit_criteria")
CX, ZJ, XJR = ROOTS  # 创新型中小企业, 专精特新中小企业, 专精特新“小巨人”企业


@pytest.fixture(autouse=True)
def lab(monkeypatch):
    """As in JupyterLab: the build's strict mode is not what these tests are about."""
    monkeypatch.delenv(STRICT_ENV, raising=False)


def statistics(folder, notebook: str) -> pd.DataFrame:
    return pd.read_csv(folder / "statistics" / f"{notebook}.csv", dtype={"value": str})


# Computations -------------------------------------------------------------------------------
def test_each_tier_is_coded_by_its_root_criterion():
    assert show.tier_codes(ROOTS) == {CX: "CX", ZJ: "ZJ", XJR: "XJR"}
    assert show.rules_by_id(ROOTS)["ZJ.2.b"].unit == "share"


def test_screening_needs_one_tested_column_besides_the_scores():
    others = sorted(show.tested_attributes(ROOTS) - set(SCORE_ATTRIBUTES))
    assert "rd_share" in others and "score_cx_total" not in others
    # every column but the scores missing: nothing to screen; one of them present: screened
    assert not show.can_screen(others, ROOTS, SCORE_ATTRIBUTES)
    assert show.can_screen(others[1:], ROOTS, SCORE_ATTRIBUTES)
    assert show.can_screen([], ROOTS, SCORE_ATTRIBUTES)


def test_tier_table_adds_the_firms_missing_two_or_more_and_the_share_met():
    counts = pd.DataFrame(
        {
            "tier": [CX, ZJ],
            "firms": [100, 200],
            "met": [60, 50],
            "not_met": [30, 120],
            "unknown": [10, 30],
            "missing_one": [25, 100],
        }
    )
    table = show.tier_table(counts, ROOTS)
    # not met by two or more: 30 − 25 = 5, 120 − 100 = 20; met: 60/100, 50/200
    assert table["not_met_other"].tolist() == [5, 20]
    assert table["met_share"].tolist() == [0.6, 0.25]
    assert table["tier_code"].tolist() == ["CX", "ZJ"]


def grouped(groups, firms, counts: dict[str, list[int]]) -> pd.DataFrame:
    """A summary.counts_by table: firms and `<tier>|<count>` per group (counts by tier)."""
    table = pd.DataFrame({"group": groups, "firms": firms})
    for tier in ROOTS:
        for count in show.GROUP_COUNTS:
            table[f"{tier}|{count}"] = counts.get(f"{tier}|{count}", [0] * len(groups))
    return table


def test_group_table_gives_each_group_an_id_and_the_share_meeting_the_focus_tier():
    table = show.group_table(grouped(["江苏省", ""], [40, 10], {f"{ZJ}|met": [10, 5]}), ZJ)
    # 10 of 40 and 5 of 10 meet 专精特新; the firms without a province: 'none'
    assert table["met_share"].tolist() == [0.25, 0.5]
    assert table["group_id"].tolist() == ["江苏省", "none"]


def test_group_rows_give_one_row_per_group_and_tier():
    table = show.group_table(
        grouped(["江苏省", "浙江省"], [40, 30], {f"{XJR}|missing_one": [4, 3]}), ZJ
    )
    rows = show.group_rows(table, ROOTS)
    assert len(rows) == 6  # 2 groups × 3 tiers, tiers in the criteria's order
    assert rows["tier_code"].tolist() == ["CX", "CX", "ZJ", "ZJ", "XJR", "XJR"]
    assert rows["missing_one"].tolist() == [0, 0, 0, 0, 4, 3]


def test_groups_are_ranked_with_ties_broken_by_firms():
    table = grouped(["A", "B", "C"], [10, 20, 30], {f"{ZJ}|missing_one": [5, 7, 7]})
    # 7 and 7 one short: C (30 firms) before B (20 firms), then A
    assert show.most_one_short(table, ZJ)["group"].tolist() == ["C", "B", "A"]
    shares = table.assign(met_share=[0.5, 0.5, 0.8])
    assert show.by_met_share(shares)["group"].tolist() == ["C", "B", "A"]


BLOCKING = pd.DataFrame(
    {
        "tier": [ZJ, ZJ, XJR],
        "criterion_id": ["ZJ.2.a", "ZJ.2.b", "XJR.1.a"],
        "not_met": [40, 60, 20],
        "only_blocker": [10, 30, 30],
    }
)
COUNTS = pd.DataFrame({"tier": [CX, ZJ, XJR], "missing_one": [0, 50, 40]})


def test_the_condition_blocking_most_often_and_its_share_of_the_tier():
    conditions = show.condition_names(ROOTS, present.condition_name, "zh")
    blocking = show.blocking_table(BLOCKING, ROOTS, conditions)
    assert blocking["condition"].iloc[1] == "上年度研发费用占营业收入比例"
    most = show.most_blocking(blocking, COUNTS)
    # ZJ.2.b and XJR.1.a both block 30 firms alone: the first; 30 of 专精特新's 50 one short
    assert most["criterion_id"].tolist() == ["ZJ.2.b"]
    assert most["only_share"].iloc[0] == pytest.approx(30 / 50)
    assert show.most_blocking(blocking.assign(only_blocker=0), COUNTS).empty


def test_closest_keeps_the_first_candidates_of_each_tier():
    candidates = pd.DataFrame(
        {
            "tier": [CX, CX, CX, ZJ],
            "firm_id": ["S-1", "S-2", "S-3", "S-4"],
            "criterion_id": ["CX.1.b", "CX.1.c", "CX.1.c", "ZJ.1"],
        }
    )
    conditions = show.condition_names(ROOTS, present.condition_name, "zh")
    rows = show.closest(candidates, 2, ROOTS, conditions)
    assert rows["firm_id"].tolist() == ["S-1", "S-2", "S-4"]
    assert rows["tier_code"].tolist() == ["CX", "CX", "ZJ"]
    assert rows["condition"].iloc[2] == "从事特定细分市场时间"


def test_the_worked_examples_totals_and_004s():
    worked = screening.screen(show.example_firms(EXAMPLES), ROOTS)
    totals = show.example_totals(worked, load_published("qzd_example_assessments"))
    # 004: A企业 95 points (40 + 25 + 30); B企业 66 (5+10+5+5 + 5+8+5 + 8+4+3+8) of the items
    # it gives, 92 at most with the indicators it does not give
    assert totals["firm"].tolist() == ["A企业", "B企业"]
    assert totals[["low", "high", "stated"]].to_numpy().tolist() == [[95, 95, 95], [66, 92, 66]]


def test_a_cards_totals_values_and_points():
    card = cards.make_card(FIRM_B, "zh")
    totals = show.card_totals(card)
    assert totals["tier_code"].tolist() == ["CX", "ZJ", "XJR"]
    assert totals[["low", "high"]].iloc[1].tolist() == [66, 92]
    assert np.isnan(totals["low"].iloc[2])  # the 小巨人 screening has no points
    values = show.card_values(card).set_index("criterion_id")
    # B: 14 years in its niche against 2 (gap 12); R&D 5.37% of revenue against 3% (+2.37 pp)
    assert values.loc["ZJ.1", ["value", "gap", "unit"]].tolist() == [14, 12, "年"]
    assert values.loc["ZJ.2.b", "gap"] == pytest.approx(0.0237)
    assert "ZJ.2.a" not in values.index  # B's R&D spending is not given
    points = show.card_points(card)
    assert points.loc[points["indicator_id"] == "CX.P3", ["low", "high"]].iloc[0].tolist() == [
        0,
        20,
    ]


@pytest.fixture
def chapter(tmp_path, sample_tables):
    return Chapter("06_screening", data_dir=sample_tables, output_dir=str(tmp_path))


def test_tier_counts_are_recorded_and_shown(chapter, tmp_path):
    counts = show.tier_table(
        pd.DataFrame(
            {
                "tier": list(ROOTS),
                "firms": [100, 100, 100],
                "met": [90, 60, 50],
                "not_met": [5, 30, 40],
                "unknown": [5, 10, 10],
                "missing_one": [5, 20, 35],
            }
        ),
        ROOTS,
    )
    show.record_tiers(chapter, counts)
    show.tiers(chapter, counts, CRITERIA, 100)
    rows = statistics(tmp_path, "06_screening").set_index("key")
    assert rows.loc["06_screening.tiers.zj.not_met_other", "value"] == "10"  # 30 − 20
    assert rows.loc["06_screening.tiers.xjr.met_share", "value"] == "0.5"
    assert rows.loc["06_screening.tiers.cx.unknown", "label"] == "创新型中小企业：无法判定的企业数"
    assert len(rows) == 21  # 3 tiers × (6 counts, awaiting review among them, + the share met)
    assert rows.loc["06_screening.tiers.zj.review", "value"] == "0"
    table = pd.read_csv(tmp_path / "tables" / "06_screening_tiers.csv")
    assert table["screen_met"].tolist() == [90, 60, 50]
    assert (tmp_path / "figures" / "06_screening_tiers.svg").exists()


def test_groups_are_keyed_by_gb_code_and_none(chapter, tmp_path):
    table = show.group_table(
        grouped(["江苏省", ""], [40, 10], {f"{ZJ}|met": [10, 5], f"{CX}|unknown": [2, 1]}), ZJ
    )
    show.record_groups(chapter, table, "province", ROOTS, ZJ)
    rows = statistics(tmp_path, "06_screening").set_index("key")
    assert rows.loc["06_screening.province.320000.firms", "label"] == "江苏省：企业数"
    assert rows.loc["06_screening.province.320000.cx.unknown", "value"] == "2"
    assert rows.loc["06_screening.province.none.zj.met_share", "value"] == "0.5"
    assert rows.loc["06_screening.province.none.firms", "label"] == "（未填写）：企业数"
    # firms, 4 counts per tier (met, awaiting review, unknown, one short), the share met
    assert len(rows) == 2 * (1 + 3 * 4 + 1)


def test_blocking_is_recorded_charted_and_tabled(chapter, tmp_path):
    conditions = show.condition_names(ROOTS, present.condition_name, "zh")
    blocking = show.blocking_table(BLOCKING, ROOTS, conditions)
    most = show.most_blocking(blocking, COUNTS)
    show.record_blocking(chapter, blocking, most)
    show.blocking(chapter, blocking, most, CRITERIA)
    rows = statistics(tmp_path, "06_screening").set_index("key")
    assert rows.loc["06_screening.blocking.zj.zj_2_b.only_share", "value"] == "0.6"
    assert rows.loc["06_screening.blocking.xjr.xjr_1_a.not_met", "value"] == "20"
    assert rows.loc["06_screening.blocking.zj.zj_2_a.only", "label"] == (
        "专精特新中小企业：仅差“上年度研发费用总额”的企业数"
    )
    assert (tmp_path / "figures" / "06_screening_blocking.svg").exists()


def test_chart_labels_take_at_most_two_lines(chapter):
    label = show.chart_label(chapter, ZJ, "很长的条件名称" * 10)
    lines = label.split("\n")
    assert len(lines) == 2 and all(len(line) <= 16 for line in lines)


def test_candidates_values_are_recorded_in_their_conditions_units(chapter, tmp_path):
    conditions = show.condition_names(ROOTS, present.condition_name, "zh")
    candidates = pd.DataFrame(
        {
            "tier": [ZJ, ZJ],
            "firm_id": ["SYN-00279", "SYN-00355"],
            "name": ["甲", "乙"],
            "province": ["江苏省", "浙江省"],
            "industry_field": ["新材料", "新材料"],
            "criterion_id": ["ZJ.2.b", "ZJ.2.a"],
            "value": [0.0299, 99.0],
            "threshold": [0.03, 100.0],
            "gap": [-0.0001, -1.0],
            "closeness": [0.0033, 0.01],
            "unit": ["share", "万元"],
        }
    )
    closest = show.closest(candidates, 10, ROOTS, conditions)
    show.record_candidates(chapter, closest)
    show.candidates(
        chapter,
        candidates,
        closest,
        conditions,
        present.value_threshold_gap,
        CRITERIA,
        10,
    )
    rows = statistics(tmp_path, "06_screening").set_index("key")
    assert rows.loc["06_screening.candidates.zj.zj_2_b.syn_00279.gap", "unit"] == "占比"
    assert rows.loc["06_screening.candidates.zj.zj_2_a.syn_00355.value", "unit"] == "万元"
    table = pd.read_csv(tmp_path / "tables" / "06_screening_candidates.csv")
    assert table["firm_id"].tolist() == ["SYN-00279", "SYN-00355"]


def test_the_worked_examples_are_recorded_and_checked(chapter, tmp_path):
    worked = screening.screen(show.example_firms(EXAMPLES), ROOTS)
    show.examples(chapter, worked, load_published("qzd_example_assessments"))
    rows = statistics(tmp_path, "06_screening").set_index("key")
    assert rows.loc["06_screening.examples.a.total", "value"] == "95"
    assert rows.loc["06_screening.examples.b.total_high", "value"] == "92"
    checks = list(chapter.checks.values())
    # A: the total and 3 dimensions; B: the total and 3 dimensions — all as 004 prints them
    assert len(checks) == 8
    assert all(check["stated"] == check["recomputed"] for check in checks)


def test_a_card_is_recorded_under_its_declared_keys_and_shown(tmp_path, sample_tables):
    ch = Chapter("assess", data_dir=sample_tables, output_dir=str(tmp_path))
    card = cards.make_card(FIRM_B, "zh")
    points_rules = load_published("miit_points")
    show.record_card(ch, card, points_rules)
    show.card_verdict(ch, card, cards.points_range, cards.range_explained)
    show.card_tiers(ch, card, points_rules, cards.conditions_table, cards.points_table)
    rows = statistics(tmp_path, "assess").set_index("key")
    assert rows.loc["assess.zj.total_low", "value"] == "66"
    assert rows.loc["assess.zj.zj_1.gap", ["value", "unit"]].tolist() == ["12", "年"]
    # the indicator in words, never its code
    assert rows.loc["assess.cx.cx_p3.high", "label"] == (
        "创新型中小企业：上年度主营业务收入增长率得分（上限）"
    )
    assert "assess.xjr.total_low" not in rows.index  # no points for the 小巨人 screening
    tables = sorted(p.name for p in (tmp_path / "tables").glob("assess_*.csv"))
    assert tables == [
        "assess_cx_conditions.csv",
        "assess_cx_points.csv",
        "assess_xjr_conditions.csv",
        "assess_zj_conditions.csv",
        "assess_zj_points.csv",
    ]
