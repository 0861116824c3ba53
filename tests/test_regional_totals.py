"""Chapter 3's totals and top-N shares, the three clusters' firms and the typical cities
(helpers.stats.regional), on hand-computed values."""

import math

import pandas as pd
import pytest

from helpers.stats import regional as st

PROVENANCE = {"source_doc": "001", "source_id": "图表3.1", "inferred": False, "note": None}


def provinces() -> pd.DataFrame:
    rows = [
        ("江苏省", 1477, "长三角"),
        ("广东省", 1466, "粤港澳"),
        ("浙江省", 1436, "长三角"),
        ("北京市", 793, "京津冀"),
        ("山东省", 1034, ""),
        ("天津市", 246, "京津冀"),
    ]
    frame = pd.DataFrame(rows, columns=["province", "firms", "cluster"])
    return frame.assign(**PROVENANCE)


def gba() -> pd.DataFrame:
    frame = pd.DataFrame(
        {
            "region": ["粤港澳"] * 3,
            "city": ["深圳市", "广州市", "其他城市"],
            "firms": [744, 237, 441],
        }
    )
    return frame.assign(**{**PROVENANCE, "source_id": "城市群对比页"})


def test_cluster_parts_by_province_and_by_city():
    parts = st.cluster_parts(provinces(), gba())
    assert parts["cluster"].tolist() == ["京津冀"] * 2 + ["长三角"] * 2 + ["粤港澳"] * 3
    # 广东省 is not a part: 粤港澳 is counted by its cities; 山东省 is in no cluster
    assert parts["part"].tolist() == [
        "北京市",
        "天津市",
        "江苏省",
        "浙江省",
        "深圳市",
        "其他城市",
        "广州市",
    ]
    assert parts["share_of_cluster"].iloc[0] == pytest.approx(793 / 1039)
    assert parts["share_of_cluster"].iloc[4] == pytest.approx(744 / 1422)  # 0.5232


def test_cluster_totals_within_province_and_together():
    parts = st.cluster_parts(provinces(), gba())
    totals = st.cluster_firm_totals(parts, 12192)
    assert totals["firms"].tolist() == [1039, 2913, 1422]
    assert totals["share_of_nation"].iloc[2] == pytest.approx(1422 / 12192)  # 0.1166
    together = st.group_total(totals, 12192).iloc[0]
    assert together["firms"] == 5374
    assert together["share"] == pytest.approx(5374 / 12192)
    within = st.within_provinces(parts, provinces())
    assert within["cluster"].tolist() == ["粤港澳"]
    assert within["share_of_province"].iloc[0] == pytest.approx(1422 / 1466)  # 0.9700
    rows, province = st.within_rows((parts, provinces()), "粤港澳")
    assert rows["firms"].sum() == 1422 and province["province"].tolist() == ["广东省"]


def test_listed_shares_and_share_gaps():
    parts = st.cluster_parts(provinces(), gba())
    totals = st.cluster_firm_totals(parts, 12192)
    metrics = pd.DataFrame(
        {
            "region": ["京津冀", "粤港澳", "京津冀"],
            "metric": ["listed_firms", "listed_firms", "invention_share"],
            "value": [84.0, 115.0, 0.548],
            "national_avg": [None, None, 0.45],
        }
    )
    listed = st.listed_shares(totals, metrics)
    assert listed["listed_share"].iloc[0] == pytest.approx(84 / 1039)
    assert math.isnan(listed["listed_share"].iloc[1])  # 长三角: no listed firms given here
    assert listed["listed_share"].iloc[2] == pytest.approx(115 / 1422)  # 0.0809
    assert st.listed_rows(None).empty
    gaps = st.share_gaps(metrics.rename(columns={"region": "cluster"}))
    assert gaps["gap"].tolist() == pytest.approx([9.8])  # (0.548 − 0.45) × 100


def test_typical_cities():
    overview = pd.DataFrame(
        {
            "city": ["北京市", "宁波市"],
            "firms": [793, 349],
            "patent_applications_total": [95400, 36600],
            "qualifier": ["余", "余"],
        }
    )
    metrics = pd.DataFrame(
        {
            "city": ["北京市"] * 3 + ["宁波市"] * 3,
            "metric": ["patent_applications_per_firm", "invention_share", "pct_per_firm"] * 2,
            "value": [120, 0.652, 2.24, 105, 0.294, 0.5],
            "national_avg": [115, 0.454, 1.65] * 2,
        }
    )
    fields = pd.DataFrame({"city": ["北京市", "北京市"], "patent_applications": [41600, 42656]})
    table = st.typical_cities(overview, metrics, fields).set_index("city")
    assert table.loc["北京市", "applications_per_firm"] == pytest.approx(95400 / 793)  # 120.30
    assert table.loc["北京市", "applications_per_firm_stated"] == 120
    assert table.loc["北京市", "invention_share_gap"] == pytest.approx(19.8)  # 65.2 − 45.4
    assert table.loc["宁波市", "invention_share_gap"] == pytest.approx(-16.0)
    assert table.loc["北京市", "pct_multiple"] == pytest.approx(2.24 / 1.65)  # 1.3576
    assert table.loc["宁波市", "pct_multiple"] == pytest.approx(0.5 / 1.65)  # 0.3030
    assert table.loc["北京市", "key_field_share"] == pytest.approx(84256 / 95400)  # 0.8832
    assert math.isnan(table.loc["宁波市", "key_field_share"])  # no field rows for 宁波
    without = st.typical_cities(overview, metrics)
    assert without["key_field_share"].isna().all()
    assert st.city_metric_rows(metrics, "宁波市")["value"].tolist() == [105, 0.294, 0.5]
