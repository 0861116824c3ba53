"""Chapter 4 (the 上奇 portrait, seed 000): the tables helpers.stats.portrait derives from the
published sq_* tables, against values worked out by hand in the comments."""

import math

import pandas as pd
import pytest

from helpers.stats import portrait as st

TYPES = ["发明专利", "实用新型专利", "外观设计专利"]


def test_key_row_is_the_one_row_of_an_indicator():
    figures = pd.DataFrame(
        {"indicator": ["企业数", "平均寿命"], "value_stated": [4851, 3], "source_doc": "000"}
    )
    row = st.key_row(figures, "平均寿命")
    assert len(row) == 1 and row["source_doc"].iloc[0] == "000"  # provenance kept
    assert st.stated_value(row) == 3


@pytest.mark.parametrize("indicator", ["平均年龄", "企业数"])
def test_key_row_refuses_a_missing_or_doubled_indicator(indicator):
    figures = pd.DataFrame({"indicator": ["企业数", "企业数"], "value_stated": [4851, 4800]})
    with pytest.raises(ValueError, match="expected one"):
        st.key_row(figures, indicator)


def test_with_shares_of_the_sum():
    # 2846 + 1303 + 702 = 4851; 2846 / 4851 = 0.586683, 1303 / 4851 = 0.268604,
    # 702 / 4851 = 0.144712
    regions = pd.DataFrame({"region": ["东部", "中部", "西部"], "firms": [2846, 1303, 702]})
    shares = st.with_shares(regions)["share"]
    assert shares.tolist() == pytest.approx([0.586683, 0.268604, 0.144712], abs=1e-6)
    assert "share" not in regions  # the table loaded is left as it was


def test_with_shares_of_another_column():
    # standards 4442 and 5069 of 9511: 4442 / 9511 = 0.467038
    standards = pd.DataFrame({"standards": [4442, 5069]})
    assert st.with_shares(standards, "standards")["share"].iloc[0] == pytest.approx(
        0.467038, abs=1e-6
    )


def test_with_shares_of_a_printed_total():
    # 464 / 4851 = 0.095650, 422 / 4851 = 0.086992; the top three need not add up to the total
    provinces = pd.DataFrame({"province": ["浙江省", "广东省"], "firms": [464, 422]})
    shares = st.with_shares_of(provinces, 4851)["share"]
    assert shares.tolist() == pytest.approx([0.095650, 0.086992], abs=1e-6)
    # 645.4 / 4046.6 = 0.159492 under its own name
    amounts = pd.DataFrame({"amount": [645.4]})
    shared = st.with_shares_of(amounts, 4046.6, "amount", "amount_share")
    assert shared["amount_share"].iloc[0] == pytest.approx(0.159492, abs=1e-6)


def test_share_of_rows_of_a_table_or_a_number():
    # bins 20–30 and 30+: 1258 + 108 = 1366 of 1 + 44 + 785 + 2655 + 1258 + 108 = 4851 → 0.281591
    ages = pd.DataFrame({"lower_years": [1, 3, 5, 10, 20, 30]})
    ages["firms"] = [1, 44, 785, 2655, 1258, 108]
    older = ages[ages["lower_years"] >= 20]
    assert st.share_of_rows(older, ages) == pytest.approx(0.281591, abs=1e-6)
    # three leaders' 409 + 229 + 213 = 851 granted inventions of 49,300 → 0.017262
    leaders = pd.DataFrame({"value": [409, 229, 213]})
    assert st.share_of_rows(leaders, 49300, "value") == pytest.approx(0.017262, abs=1e-6)


def test_bin_mean_bounds_scaled_to_another_unit():
    # 4 firms in 50–100万元, 60 in 100–500万元: (50·4 + 100·60) / 64 = 96.875万元 and
    # (100·4 + 500·60) / 64 = 475万元; × 1e-4 → 0.0096875 and 0.0475亿元
    bins = pd.DataFrame({"firms": [4, 60], "lower_wan": [50, 100], "upper_wan": [100, 500]})
    floor, ceiling = st.bin_mean_bounds(bins, "lower_wan", "upper_wan", scale=1e-4)
    assert (floor, ceiling) == (pytest.approx(0.0096875), pytest.approx(0.0475))


def test_bin_mean_bounds_of_an_open_top_bin():
    # (1·1 + 10·3) / 4 = 7.75 years from below; the open bin 10+ holds firms: no upper bound
    bins = pd.DataFrame({"firms": [1, 3], "lower": [1, 10], "upper": [10, None]})
    floor, ceiling = st.bin_mean_bounds(bins, "lower", "upper")
    assert floor == pytest.approx(7.75) and ceiling == math.inf


def test_bins_up_to_and_from_an_edge():
    capital = pd.DataFrame(
        {
            "bin": ["a", "b", "c", "d"],
            "lower_wan": [50, 5000, 10000, 100000],
            "upper_wan": [5000, 10000, 100000, None],
        }
    )
    # bins ending at or below 10,000万元 (1亿元): a and b; the open top bin never counts
    assert st.bins_up_to(capital, "upper_wan", 10_000)["bin"].tolist() == ["a", "b"]
    # bins starting at or above 10,000: c and d
    assert st.bins_from(capital, "lower_wan", 10_000)["bin"].tolist() == ["c", "d"]


def test_a_share_rows():
    markets = pd.DataFrame({"market": ["A股主板上市", "新三板挂牌", "A股科创板上市"]})
    assert st.a_share_rows(markets)["market"].tolist() == ["A股主板上市", "A股科创板上市"]


def financing_table(stated=(1.7, 2.67, 1.21)):
    return pd.DataFrame(
        {
            "segment": [st.ALL, st.LISTED, st.UNLISTED],
            "deals": [2768, 1024, 1744],
            "amount": [4046.6, 2154.6, 1892.0],
            "avg_deal_stated": list(stated),
        }
    )


def test_deal_sizes_by_segment():
    # 4046.6 / 2768 = 1.461922; 2154.6 / 1024 = 2.104102; 1892 / 1744 = 1.084862
    financing = st.deal_sizes(financing_table())
    assert financing.index.tolist() == [st.ALL, st.LISTED, st.UNLISTED]
    assert financing["segment"].tolist() == financing.index.tolist()  # the column is kept
    assert financing["avg_deal"].tolist() == pytest.approx([1.461922, 2.104102, 1.084862], abs=1e-6)
    assert st.segment_parts(financing).index.tolist() == [st.LISTED, st.UNLISTED]
    # 2.104102 / 1.084862 = 1.939510
    assert st.listed_vs_unlisted(financing) == pytest.approx(1.939510, abs=1e-6)


def test_deal_size_checks_at_the_printed_precision():
    # printed 1.46 (two decimals) vs 1.461922: 0.0019 apart, within 0.005 → agrees;
    # 2.67 vs 2.104102 and 1.2 (one decimal) vs 1.084862 (0.115 > 0.05) do not
    checks = st.deal_size_checks(st.deal_sizes(financing_table((1.46, 2.67, 1.2))))
    assert checks["decimals"].tolist() == [2, 2, 1]
    assert checks["agrees"].tolist() == [True, False, False]
    assert checks["stated"].tolist() == [1.46, 2.67, 1.2]
    assert checks.index.tolist() == [st.ALL, st.LISTED, st.UNLISTED]


def patent_mix():
    frame = pd.DataFrame(
        {
            "measure": ["存量授权专利"] * 4 + ["新增申请专利"] * 3 + ["新增授权专利"] * 4,
            "patent_type": ["合计", *TYPES, *TYPES, "合计", *TYPES],
            "patents": [264000, 49300, 183900, 31700, 10200, 875, 1434, 36100, 8440, 23500, 4177],
        }
    )
    return st.type_mix(frame, "measure", "patent_type", "patents")


def test_of_type_and_type_table():
    mix = patent_mix()
    inventions = st.of_type(mix, "发明专利")
    assert inventions["measure"].tolist() == ["存量授权专利", "新增申请专利", "新增授权专利"]
    # 49300 / (49300 + 183900 + 31700) = 49300 / 264900 = 0.186108
    assert inventions["share"].iloc[0] == pytest.approx(0.186108, abs=1e-6)
    assert st.type_table(mix, "patents")["新增申请专利", "实用新型专利"] == 875


def test_total_disagreements_at_the_printed_hundreds():
    # 存量授权: parts 264,900 vs printed 264,000 (900 apart > 50) → disagrees;
    # 新增授权: 8440 + 23500 + 4177 = 36,117 vs 36,100 (17 apart) → agrees; 新增申请: none printed
    wrong = st.total_disagreements(patent_mix())
    assert wrong["measure"].tolist() == ["存量授权专利"]
    assert wrong[["parts_sum", "stated_total"]].iloc[0].tolist() == [264900, 264000]


def test_ranking_rows():
    top = pd.DataFrame({"ranking": ["甲", "甲", "乙"], "rank": [1, 2, 1]})
    assert st.ranking(top, "甲")["rank"].tolist() == [1, 2]


def test_share_disagreements_at_four_decimals():
    # 0.5867 vs 0.586683 (rounds to 0.5867) agrees; 0.30 vs 0.20 does not; no printed share: left out
    frame = pd.DataFrame(
        {
            "region": ["东部", "中部", "西部"],
            "share_stated": [0.5867, None, 0.30],
            "share": [0.586683, 0.1, 0.20],
        }
    )
    assert st.share_disagreements(frame)["region"].tolist() == ["西部"]
