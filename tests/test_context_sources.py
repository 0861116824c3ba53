"""Chapter 5's statistics of the rest of 002–004 and of 001's recommendations
(helpers.stats.context): R&D, the three features, the provinces' programmes, Shandong and the
recommendations, on hand-computed values."""

import math

import pandas as pd
import pytest

from helpers.stats import context as st


def test_recorded_units_keep_the_printed_unit():
    rows = pd.DataFrame({"unit": ["场", "名", "条", "指数", "百分点", "吨", "家", "亿元"]})
    recorded = st.recorded_units(rows)
    assert recorded["unit"].tolist() == ["个", "人", "个", "number", "pp", "number", "家", "亿元"]
    assert recorded["unit_stated"].tolist() == rows["unit"].tolist()


def rd_rows() -> pd.DataFrame:
    frame = pd.DataFrame(
        {
            "population": ["小巨人"] * 3,
            "indicator": [st.RD_INTENSITY, st.RD_INTENSITY_MULTIPLE, "研发人员占比"],
            "value_stated": [0.089, 6.3, 0.28],
            "unit": ["share", "倍", "share"],
        }
    )
    return frame.set_index("indicator", drop=False)


def test_rd_comparison_implies_the_intensity_of_all_industrial_firms():
    table = st.rd_comparison(rd_rows())
    assert table["population"].tolist() == ["小巨人", "规模以上工业企业"]
    assert table["intensity"].tolist() == pytest.approx([0.089, 0.089 / 6.3])  # 0.0141
    assert math.isnan(table["implied_intensity"].iloc[0])
    assert table["implied_intensity"].iloc[1] == pytest.approx(0.014127, abs=1e-6)
    assert st.rd_intensity_rows(rd_rows())["value_stated"].tolist() == [0.089, 6.3]
    with pytest.raises(ValueError):
        st.implied_reference(0.089, 0)


def test_paired_features_match_by_id_and_say_whose_they_are():
    sme = pd.DataFrame(
        {
            "population": ["专精特新“小巨人”企业", "专精特新中小企业"],
            "feature": ["高技术领域（002）", "基础领域"],
            "share_stated": [0.4, 0.6],
        }
    )
    dzb = pd.DataFrame({"feature": ["基础领域", "高技术领域（003）"], "share_stated": [0.6, 0.4]})
    ids = {"高技术领域（002）": "high", "高技术领域（003）": "high", "基础领域": "base"}.get
    paired = st.paired_features(sme, dzb, ids)
    assert paired["feature_id"].tolist() == ["high", "base"]  # 002's order
    assert paired["share_003"].tolist() == [0.4, 0.6]
    assert paired["feature_003"].tolist() == ["高技术领域（003）", "基础领域"]
    assert paired["same_population"].tolist() == [True, False]


def programmes() -> pd.DataFrame:
    return pd.DataFrame(
        {
            "actor": ["基金", "山东专板", "山东专板", "山东专板", "银行"],
            "province": [None, "山东省", "山东省", "山东省", "北京市"],
            "indicator": ["子基金", *st.BOARD_FINANCING, "市场", "贷款规模"],
            "value_stated": [31, 33, 1552, 2, 100],
            "unit": ["只", "亿元", "家", "家", "亿元"],
        }
    )


def test_provincial_programmes_and_financing_per_quoted_firm():
    provincial = st.provincial_programmes(programmes())
    assert provincial["actor"].tolist() == ["山东专板"] * 3 + ["银行"]
    per_firm = st.board_financing_per_firm(provincial)
    assert per_firm["actor"].tolist() == ["山东专板"]  # the bank states no firms quoted
    assert per_firm["per_firm"].iloc[0] == pytest.approx(33 * 10_000 / 1552)  # 212.63万元
    rows = st.board_financing_rows(provincial, "山东专板")
    assert rows["indicator"].tolist() == list(st.BOARD_FINANCING)
    wrong = provincial.set_index("indicator").assign(unit=["万元", "家", "家", "亿元"])
    with pytest.raises(ValueError, match="亿元"):
        st.financing_per_firm(wrong, *st.BOARD_FINANCING)


def shandong() -> pd.DataFrame:
    frame = pd.DataFrame(
        {
            "indicator": [
                "规上工业增加值增长",
                "规上工业增加值增速高于全国",
                "拥有的工业中类",
                "大类",
            ],
            "value_stated": [0.069, 3.1, 197, 41],
            "out_of_stated": [None, None, 207, 41],
        }
    )
    return frame.set_index("indicator", drop=False)


def test_coverage_and_the_rate_a_gap_implies():
    covered = st.coverage(shandong())
    assert covered["coverage"].tolist() == pytest.approx([197 / 207, 1.0])  # 0.9517, 1
    implied = st.implied_from_gap(shandong(), st.SHANDONG_GAPS)
    assert implied["indicator"].tolist() == ["规上工业增加值增长"]  # the other pair is absent
    assert implied["implied"].iloc[0] == pytest.approx(0.038)  # 6.9% − 3.1 pp
    rows = st.gap_rows(shandong(), "规上工业增加值增长", "规上工业增加值增速高于全国")
    assert rows["value_stated"].tolist() == [0.069, 3.1]


def test_share_of_a_national_count():
    tiers = pd.DataFrame(
        {"tier": ["专精特新中小企业", "专精特新“小巨人”企业"], "firms": [98000, 12000]}
    )
    nation = st.national_count(tiers)
    assert nation["firms"].tolist() == [98000]
    assert st.share_of(16075, 98000) == pytest.approx(0.16403, abs=1e-5)


def test_recommendation_counts_against_the_summary():
    recommendations = pd.DataFrame({"audience": ["企业"] * 4 + ["政府"] * 3})
    text = pd.DataFrame({"item": ["suggestions_to_firms"], "value": [4]}).set_index(
        "item", drop=False
    )
    counts = st.recommendation_counts(recommendations, text)
    assert counts["audience"].tolist() == ["企业", "政府"]
    assert counts["items"].tolist() == [4, 3]
    assert counts["stated"].iloc[0] == 4
    assert math.isnan(counts["stated"].iloc[1])  # the text here states no count for 政府
    assert st.stated_recommendation_counts(text).index.tolist() == ["suggestions_to_firms"]


@pytest.mark.parametrize(
    ("language", "expected"),
    [
        ("zh", ["20,000家以上", "1,000多个", "2倍多", "超15项", "52%左右", "3.1个百分点", "8.0%"]),
        (
            "en",
            [
                "20,000 or more",
                "more than 1,000",
                "more than 2×",
                "over 15",
                "about 52%",
                "3.1 percentage points",
                "8.0%",
            ],
        ),
    ],
)
def test_printed_figures_keep_their_hedge_where_the_source_puts_it(tmp_path, language, expected):
    from helpers.report.chapter import Chapter
    from helpers.report.chapters.context import printed_decimals, printed_value

    ch = Chapter("05_context", output_dir=str(tmp_path), language=language)
    digits = printed_decimals(ch, "dzb_shandong_industry", "indicator")
    assert digits["规模以上民营工业增加值同比增长"] == 1  # written 0.080: printed 8.0%
    shown = [
        printed_value(ch, 20000, "家", "以上"),
        printed_value(ch, 1000, "个", "多"),
        printed_value(ch, 2, "倍", "多"),
        printed_value(ch, 15, "项", "超"),
        printed_value(ch, 0.52, "share", "左右"),
        printed_value(ch, 3.1, "百分点"),
        printed_value(ch, 0.08, "rate", None, digits["规模以上民营工业增加值同比增长"]),
    ]
    assert [s.replace("\u2060", "") for s in shown] == expected
