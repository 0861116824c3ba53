"""Chapter 1's figures from 001's summary and 图表1.3, and the totals and top-N shares of its
figures (helpers.stats.cultivation), on hand-computed values."""

import math

import pandas as pd
import pytest

from helpers.stats import cultivation as st

KEY, BASES = "十大重点产业领域", "四个瓶颈“基础”环节"


def text(**items) -> pd.DataFrame:
    """text_figures rows indexed by item (as the chapter loads them)."""
    frame = pd.DataFrame({"item": list(items), "value": list(items.values())})
    return frame.set_index("item", drop=False)


def directions() -> pd.DataFrame:
    fields = ["新一代信息技术", "高端机械装备", "高端机械装备", "新材料", "高端机械装备"]
    return pd.DataFrame(
        {
            "group": [KEY] * 5 + [BASES] * 2,
            "item": ["A", "B", "C", "D", "E", "F", "G"],
            "field": [*fields, None, None],
        }
    )


def test_direction_counts_items_fields_and_the_stated_count():
    counts = st.direction_counts(directions(), text(key_fields_count=10))
    assert counts["group"].tolist() == [KEY, BASES]
    assert counts["items"].tolist() == [5, 2]
    # A, D in fields of their own, B, C, E in 高端机械装备: three fields; the bases none
    assert counts["fields"].tolist() == [3, 0]
    assert counts["stated"].iloc[0] == 10
    assert math.isnan(counts["stated"].iloc[1])  # the text states no count of the bases here


def test_stated_counts_and_merged_directions():
    stated = st.stated_counts(text(key_fields_count=10, bottleneck_bases_count=4, other=1))
    assert stated.index.tolist() == ["key_fields_count", "bottleneck_bases_count"]
    merged = st.merged_directions(directions())
    assert merged["field"].tolist() == ["高端机械装备"]
    assert merged["items"].tolist() == [["B", "C", "E"]]


def test_key_fields_and_top_fields():
    fields = pd.DataFrame(
        {
            "field": ["a", "b", "c", "d"],
            "firms": [100, 300, 200, 50],
            "key_field": [True, True, False, True],
            "rank": [3, 1, 2, 4],
        }
    )
    assert st.key_fields_firms(fields) == 450  # 100 + 300 + 50
    assert st.top_fields(fields, 2)["field"].tolist() == ["b", "c"]


def test_listed_firms_added_over_the_exchanges():
    markets = pd.DataFrame(
        {
            "market": [
                "A股主板上市",
                "A股创业板上市",
                "港交所上市",
                "新加坡交易所上市",
                "参与一级市场融资",
            ],
            "firms": [171, 672, 12, 1, 5062],
        }
    )
    rows = st.listing_rows(markets)
    assert "参与一级市场融资" not in rows["market"].tolist()
    listed = st.listed_upper_bound(rows, 12192)
    assert listed["firms"].iloc[0] == 856  # 171 + 672 + 12 + 1
    assert listed["share"].iloc[0] == pytest.approx(856 / 12192)  # 0.0702


def test_board_totals():
    boards = pd.DataFrame(
        {"listed_total": [3182, 1296, 550, 210], "little_giants": [171, 301, 274, 97]}
    )
    total = st.board_totals(boards).iloc[0]
    assert (total["listed_total"], total["little_giants"]) == (5238, 843)
    assert total["share"] == pytest.approx(843 / 5238)  # 0.1609
    top_two = st.board_totals(boards.iloc[2:]).iloc[0]
    assert top_two["share"] == pytest.approx(371 / 760)  # 科创板 + 北交所: 0.4882


def test_target_progress():
    target = text(little_giants_target_14th_fyp=10000).iloc[[0]]
    recognised = text(little_giants_recognised=12000).iloc[[0]]
    row = st.target_progress(target, recognised, 12950).iloc[0]
    assert row["target"] == 10000
    assert row["announced_multiple"] == pytest.approx(1.295)
    assert row["recognised_multiple"] == pytest.approx(1.2)


def test_contribution_implied():
    summary = text(
        firm_count_share_national=0.0004, rd_output_share_national=0.05, citations_growth_yoy=0.3
    )
    citations = pd.DataFrame({"batch": ["第一批", "全部"], "citations_per_firm": [373.84, 234.08]})
    everyone = st.all_little_giants(citations)
    assert everyone["citations_per_firm"].tolist() == [234.08]
    row = st.contribution_implied(summary, everyone).iloc[0]
    assert row["output_intensity"] == pytest.approx(125)  # 0.05 / 0.0004
    assert row["citations_previous_year"] == pytest.approx(180.0615, abs=1e-4)  # 234.08 / 1.3


def test_helpers_refuse_impossible_inputs():
    with pytest.raises(ValueError):
        st.target_multiple(12950, 0)
    with pytest.raises(ValueError):
        st.value_before_growth(234.08, -1)
