"""A region profile's statistics (helpers.stats.profile) on small tables with hand-computed
values, and its presentation helpers (helpers.report.chapters.profile) on a small table."""

from __future__ import annotations

import math

import pandas as pd
import pytest

from helpers import pipeline
from helpers.firmlevel.aggregators.regions import METRIC_UNITS
from helpers.report.chapter import STRICT_ENV
from helpers.report.chapters import profile as show
from helpers.report.profile import ProfileChapter, unpublished_parts
from helpers.stats import profile as st
from helpers.stats import regions

PROVENANCE = {"source_doc": "001", "source_id": "图表3.1", "inferred": False, "note": ""}


def published(**rows) -> pd.DataFrame:
    """A published-shaped table from columns, with provenance."""
    frame = pd.DataFrame(rows)
    return frame.assign(**{k: [v] * len(frame) for k, v in PROVENANCE.items()})


@pytest.fixture
def published_tables() -> dict:
    """Three provinces (60 + 30 + 10 = 100 firms) and three cities; Ningbo has a city page
    (boards, fields, metrics), the rest counts only."""
    return {
        "firms_by_province": published(
            province=["江苏省", "浙江省", "西藏自治区"], firms=[60, 30, 10]
        ),
        "firms_by_city": published(city=["杭州市", "苏州市", "宁波市"], firms=[15, 15, 12]),
        "city_capital_markets": published(
            city=["宁波市", "宁波市", "杭州市"],
            board=["科创板", "新三板", "科创板"],
            firms=[2, 5, 9],
        ),
        "city_field_patents": published(
            city=["宁波市"] * 3,
            field=["新材料", "新一代信息技术", "高端机械装备"],
            patent_applications=[300, 100, 600],
        ),
        "city_metrics": published(
            city=["宁波市"] * 3,
            metric=["pct_per_firm", "invention_share", "applications_cagr_2020_2022"],
            unit=["件/家", "share", "rate"],
            value=[2.0, 0.3, 0.1],
            national_avg=[1.0, 0.4, 0.2],
        ),
        "region_metrics": None,
        "region_breakdowns": None,
    }


# Counts, rank and shares ---------------------------------------------------------------------
def test_a_province_from_published_counts(published_tables):
    profile = st.gather(published_tables, "浙江省", "province")
    # 30 firms, second of 60 / 30 / 10; 30 of 100 firms nationally
    assert (profile.firms, profile.rank, profile.rank_of) == (30, 2, 3)
    assert profile.national_total == 100
    assert profile.share_of_nation == pytest.approx(0.3)
    assert profile.share_of_province is None  # a province is its own province
    assert not profile.is_city and profile.level == "province"
    assert profile.firms_rows["name"].tolist() == ["浙江省"]
    # nothing is published by province beyond the count
    assert profile.missing() == list(st.PARTS)


def test_a_city_from_published_tables_ranks_ties_first_and_has_its_page(published_tables):
    profile = st.gather(published_tables, "宁波市", "city")
    # 12 firms after 15 and 15 (ties share rank 1, so the next is 3rd)
    assert (profile.firms, profile.rank, profile.rank_of) == (12, 3, 3)
    assert profile.share_of_nation == pytest.approx(12 / 100)  # 0.12
    assert profile.share_of_province == pytest.approx(12 / 30)  # 0.4 of 浙江省
    assert profile.province == "浙江省" and profile.is_city
    assert profile.small  # 12 firms < 150
    assert profile.parts["boards"]["firms"].tolist() == [2, 5]  # Ningbo's rows only
    # fields: 600 / 300 / 100 of 1,000 applications, most first
    fields = profile.parts["fields"]
    assert fields["field"].tolist() == ["高端机械装备", "新材料", "新一代信息技术"]
    assert fields["share"].tolist() == pytest.approx([0.6, 0.3, 0.1])
    # metrics in page order; a small region's growth rate is left out
    metrics = profile.parts["metrics"]
    assert metrics["metric"].tolist() == ["invention_share", "pct_per_firm"]
    assert metrics["ratio"].tolist() == pytest.approx([0.3 / 0.4, 2.0 / 1.0])  # 0.75, 2.0
    assert profile.missing() == ["batches", "industries"]


def test_a_region_without_a_count_is_an_error(published_tables):
    with pytest.raises(LookupError, match="南京市: no firm count"):
        st.gather(published_tables, "南京市", "city")


def test_region_counts_from_firm_level_metrics():
    metrics = pd.DataFrame(
        {
            "level": ["province", "province", "city"],
            "region": ["江苏省", "浙江省", "宁波市"],
            "metric": ["firms", "grant_rate", "firms"],
            "value": [60.0, 0.4, 12.0],
        }
    )
    counts = st.region_counts({"region_metrics": metrics}, "province")
    assert counts["name"].tolist() == ["江苏省"] and counts["firms"].tolist() == [60.0]


# Firm-level parts ----------------------------------------------------------------------------
def firm_level_tables() -> dict:
    """Two provinces (8 + 2 = 10 firms) and one city, with metrics and breakdowns."""
    rows = [
        ("province", "江苏省", "firms", "家", 8.0, None),
        ("province", "浙江省", "firms", "家", 2.0, None),
        ("city", "宁波市", "firms", "家", 2.0, None),
        ("province", "江苏省", "grant_rate", "share", 0.5, 0.4),
        ("province", "江苏省", "citations_per_firm", "次/家", 100.0, 200.0),
    ]
    metrics = pd.DataFrame(
        rows, columns=["level", "region", "metric", "unit", "value", "national_avg"]
    ).assign(source_doc="firm-level", source_id="firms.csv", inferred=False, note="")
    parts = [
        ("batch", "第一批", 3, None),
        ("batch", "第二批", 5, None),
        ("board", "科创板", 1, None),
        ("industry_field", "新材料", 6, 40.0),
        ("industry_field", "其他领域", 2, 10.0),
    ]
    breakdowns = pd.DataFrame(
        [("province", "江苏省", *row) for row in parts],
        columns=["level", "region", "dimension", "category", "firms", "patent_applications"],
    ).assign(source_doc="firm-level", source_id="firms.csv", inferred=False, note="")
    return {"region_metrics": metrics, "region_breakdowns": breakdowns}


def test_a_province_from_firm_level_tables_has_every_part():
    profile = st.gather(firm_level_tables(), "江苏省", "province")
    assert (profile.firms, profile.rank, profile.rank_of) == (8, 1, 2)
    assert profile.share_of_nation == pytest.approx(0.8)  # 8 of 10
    assert list(profile.parts) == list(st.PARTS) and profile.missing() == []
    assert profile.parts["batches"]["batch"].tolist() == ["第一批", "第二批"]
    assert profile.parts["boards"]["board"].tolist() == ["科创板"]
    # industries keep their firms under `field` (the key and label name it so)
    industries = profile.parts["industries"]
    assert industries["field"].tolist() == ["新材料", "其他领域"]
    assert industries["firms"].tolist() == [6, 2]
    # patent applications by field: 40 and 10 of 50 → 0.8 and 0.2
    assert profile.parts["fields"]["share"].tolist() == pytest.approx([0.8, 0.2])
    # grant rate 0.5 / 0.4 = 1.25; citations 100 / 200 = 0.5 (page order: grant rate first)
    metrics = profile.parts["metrics"]
    assert metrics["metric"].tolist() == ["grant_rate", "citations_per_firm"]
    assert metrics["ratio"].tolist() == pytest.approx([1.25, 0.5])


def test_breakdown_parts_leave_out_fields_without_patents():
    breakdowns = firm_level_tables()["region_breakdowns"].assign(patent_applications=None)
    parts = st.breakdown_parts(breakdowns, "province", "江苏省")
    assert sorted(parts) == ["batches", "boards", "industries"]
    assert st.breakdown_parts(breakdowns, "province", "浙江省") == {}


# Small helpers -------------------------------------------------------------------------------
def test_field_shares_of_a_region_without_applications_are_missing():
    fields = pd.DataFrame({"field": ["新材料", "其他领域"], "patent_applications": [0, 0]})
    shares = st.field_shares(fields)
    assert shares["field"].tolist() == ["新材料", "其他领域"]  # ties keep the table's order
    assert all(math.isnan(s) for s in shares["share"])


def test_field_shares_sum_to_one_most_first():
    fields = pd.DataFrame({"field": ["a", "b", "c"], "patent_applications": [1, 3, 4]})
    shares = st.field_shares(fields)
    # 4, 3, 1 of 8 → 0.5, 0.375, 0.125
    assert shares["field"].tolist() == ["c", "b", "a"]
    assert shares["share"].tolist() == pytest.approx([0.5, 0.375, 0.125])


def test_metric_extremes_are_the_largest_and_smallest_ratio():
    metrics = pd.DataFrame({"metric": ["a", "b", "c", "d"], "ratio": [1.2, 0.5, 1.8, 0.5]})
    best, worst = st.metric_extremes(metrics)
    assert best["metric"] == "c" and worst["metric"] == "b"  # the first of equal ones


def test_a_municipality_is_no_share_of_its_province():
    tables = {
        "firms_by_province": published(province=["北京市", "天津市"], firms=[8, 2]),
        "firms_by_city": published(city=["北京市"], firms=[8]),
    }
    profile = st.gather(tables, "北京市", "city")
    assert profile.province == "北京市" and profile.share_of_province is None


# Declarations of the keys the profile records ------------------------------------------------
def test_every_page_metric_has_a_key_declared_with_its_unit():
    """One key per metric (a pattern has one unit): every page metric's key is declared in
    profile.yml with the metric's unit in the firm-level tables and its `value` column."""
    for metric in regions.PAGE_METRICS:
        key = f"metrics.{metric}"
        spec = pipeline.statistic_spec("profile_jiangsu", key)
        assert (spec.key, spec.unit, spec.value) == (key, METRIC_UNITS[metric], "value"), key
    assert pipeline.statistic_spec("profile_jiangsu", "metrics.grant_rate.ratio").unit == "倍"


# Presentation helpers on a small table -------------------------------------------------------
@pytest.fixture
def chapter(tmp_path, monkeypatch):
    monkeypatch.delenv(STRICT_ENV, raising=False)
    return ProfileChapter("profile_ningbo", output_dir=str(tmp_path))


def test_metrics_are_recorded_with_their_own_units_and_named(chapter, tmp_path):
    metrics = published(
        metric=["invention_share", "pct_per_firm"],
        unit=["share", "件/家"],
        value=[0.3, 2.0],
        national_avg=[0.4, 1.0],
        ratio=[0.75, 2.0],
    )
    named = show.named_metrics(chapter, metrics)
    assert named["metric"].tolist() == ["发明专利占比", "平均PCT专利申请"]
    assert named["metric_id"].tolist() == ["invention_share", "pct_per_firm"]
    chapter.record_table(named, "metrics.{metric_id}", unit_column="unit", region="宁波市")
    chapter.record_table(named, "metrics.{metric_id}.ratio", region="宁波市")
    rows = pd.read_csv(tmp_path / "statistics" / "profile_ningbo.csv").set_index("key")
    assert rows.loc["profile_ningbo.metrics.invention_share", "unit"] == "占比"
    assert rows.loc["profile_ningbo.metrics.pct_per_firm", "unit"] == "件/家"
    assert rows.loc["profile_ningbo.metrics.pct_per_firm", "label"] == "宁波市：平均PCT专利申请"
    ratio = rows.loc["profile_ningbo.metrics.invention_share.ratio"]
    assert ratio["value"] == 0.75 and ratio["unit"] == "倍"
    assert ratio["label"] == "宁波市：发明专利占比与全国平均之比"
    # the sentence: pct 2.00 times the average at best, invention share 0.75 at worst
    reading = show.metrics_reading(chapter, st.with_gaps(named), region="宁波市")
    assert "平均PCT专利申请最突出" in reading and "0.75倍" in reading
    # a share is also compared in percentage points: 30.0% against 40.0% → 10.0 points lower
    assert "发明专利占比30.0%（全国40.0%，低10.0个百分点）" in reading


def test_an_unknown_metric_names_where_to_declare_it(chapter):
    metrics = pd.DataFrame({"metric_id": ["robots_per_firm"], "metric": ["x"], "value": [1.0]})
    with pytest.raises(
        pipeline.StatisticsDeclarationError, match=r"robots_per_firm' is not declared.*profile\.yml"
    ):
        chapter.record_table(metrics, "metrics.{metric_id}", region="宁波市")


def test_a_metric_in_another_unit_than_declared_stops(chapter):
    metrics = show.named_metrics(
        chapter, published(metric=["invention_share"], unit=["件/家"], value=[0.3])
    )
    with pytest.raises(pipeline.StatisticsDeclarationError, match=r"declared in 'share'"):
        chapter.record_table(metrics, "metrics.{metric_id}", unit_column="unit", region="宁波市")


def test_the_fields_sentence_names_the_top_field_or_nothing(chapter):
    fields = st.field_shares(
        pd.DataFrame({"field": ["新材料", "高端机械装备"], "patent_applications": [1, 3]})
    )
    assert show.fields_reading(chapter, fields, "宁波市") == (
        "累计专利申请最多的产业领域是高端机械装备（3件），占各产业领域合计（4件）的75.0%。"
    )
    assert show.fields_reading(chapter, fields.assign(patent_applications=0.0), "宁波市") == ""


def test_field_shares_of_a_printed_total_name_it(chapter):
    """A city page's printed total (9.54万余件 for Beijing) is the base, not the fields' sum:
    3 of a printed 10 → 30.0%; the four fields shown hold 4 of 10 → 40.0%."""
    fields = st.field_shares(
        published(field=["新材料", "高端机械装备"], patent_applications=[1, 3]), 10
    )
    printed = pd.DataFrame(
        {"city": ["宁波市"], "patent_applications_total": [10], "bound": ["at_least"]}
    )
    assert fields["share"].tolist() == pytest.approx([0.3, 0.1])
    assert show.fields_reading(chapter, fields, "宁波市", printed) == (
        "累计专利申请最多的产业领域是高端机械装备（3件），占城市页所印累计专利申请总量（10件余）"
        "的30.0%；八个重点行业合计4件，占40.0%。"
    )


def test_published_data_names_the_parts_it_lacks(chapter, published_tables):
    profile = st.gather(published_tables, "浙江省", "province")
    assert unpublished_parts(chapter, profile) == list(st.PARTS)


# The sections every profile has: ranking, cities, belt, cluster, 2021 → 2023, financing ---------
def with_000(tables: dict) -> dict:
    """000's belts (东部 40 + 西部 10 = 50 firms in 2021), its top province (浙江 20), and
    financing (上海 6 and 江苏 4 of 20 亿元 in 10 deals)."""
    return {
        **tables,
        "sq_macro_regions": published(region=["东部", "西部"], firms=[40, 10]),
        "sq_provinces": published(province=["浙江省"], rank=[1], firms=[20]),
        "sq_financing": published(segment=["全部"], deals=[10], amount=[20.0]),
        "sq_financing_by_province": published(
            province=["上海市", "江苏省"], rank=[1, 2], amount=[6.0, 4.0]
        ),
    }


def test_rank_among_the_provinces_and_the_multiple_of_their_mean(published_tables):
    profile = st.gather(published_tables, "江苏省", "province")
    # 60, 30, 10 firms: mean 33.33; 江苏 60 / 33.33 = 1.8
    assert profile.mean_firms == pytest.approx(100 / 3)
    assert profile.multiple_of_mean == pytest.approx(1.8)
    assert profile.ranking["name"].tolist() == ["江苏省", "浙江省", "西藏自治区"]
    assert profile.ranking["is_region"].tolist() == [True, False, False]
    assert profile.ranked_among == "province"


def test_a_listed_city_is_ranked_among_the_listed_cities(published_tables):
    profile = st.gather(published_tables, "宁波市", "city")
    assert profile.ranked_among == "city" and profile.rank_of == 3
    assert (profile.rank, profile.firms) == (3, 12)


def test_a_provinces_cities_and_their_share_of_it(published_tables):
    # 浙江 30: 杭州 15 (0.5) and 宁波 12 (0.4), 3 elsewhere; 苏州 is 江苏's
    profile = st.gather(published_tables, "浙江省", "province")
    assert profile.cities["city"].tolist() == ["杭州市", "宁波市"]
    assert profile.cities["share_of_province"].tolist() == pytest.approx([0.5, 0.4])
    assert profile.cities.attrs["rest"] == 3
    # 西藏 has no listed city: an empty table, not None
    assert st.gather(published_tables, "西藏自治区", "province").cities.empty


def test_belt_share_and_rank_within_it(published_tables):
    # 东部: 江苏 60 + 浙江 30 = 90 of 100 → 0.9; 江苏 60 / 90 = 0.6667, rank 1 of 2
    belt = st.gather(published_tables, "江苏省", "province").macro.iloc[0]
    assert (belt["scheme"], belt["macro"], belt["firms"]) == ("region_3belt", "东部", 90)
    assert belt["share"] == pytest.approx(0.9)
    assert belt["share_of_macro"] == pytest.approx(60 / 90)
    assert belt["rank_in"] == 1
    # 西藏 is the only province of 西部 here: no rank ("first of one")
    alone = st.gather(published_tables, "西藏自治区", "province").macro.iloc[0]
    assert alone["provinces"] == 1 and math.isnan(alone["rank_in"])


def test_cluster_share_from_its_provinces(published_tables):
    # 长三角 here: 江苏 60 + 浙江 30 = 90 of 100; 浙江 holds 30 / 90
    cluster = st.gather(published_tables, "浙江省", "province").cluster
    assert cluster["cluster"] == "长三角" and cluster["firms"] == 90
    assert cluster["share_of_nation"] == pytest.approx(0.9)
    assert cluster["within"] == pytest.approx(1 / 3) and cluster["members"] == 2
    assert st.gather(published_tables, "西藏自治区", "province").cluster is None


def test_growth_2021_2023_in_points_with_a_base_threshold(published_tables):
    growth = st.gather(with_000(published_tables), "浙江省", "province").growth
    assert growth["scope"].tolist() == ["nation", "belt", "province"]
    # nation 50 → 100: 1.0; 东部 40 → 90: 1.25, 25 points above; share 0.8 → 0.9, +10 points
    # 浙江 20 → 30: 0.5, 50 points below the nation's; share 0.4 → 0.3, −10 points
    # (浙江's 20 firms of 2021 are below the 30-firm threshold in the real data's rule: see below)
    assert growth["firms_2021"].tolist() == [50, 40, 20]
    assert growth["firms_2023"].tolist() == [100, 90, 30]
    assert growth.loc[1, "growth"] == pytest.approx(1.25)
    assert growth.loc[1, "gap"] == pytest.approx(25.0)
    assert growth.loc[1, "share_change"] == pytest.approx(10.0)
    assert math.isnan(growth.loc[2, "growth"])  # 20 firms in 2021 < 30: no growth rate
    assert growth.loc[2, "share_change"] == pytest.approx(-10.0)
    # 西部 10 → 10: a base of 10 firms, below the threshold: no growth rate either
    west = st.gather(with_000(published_tables), "西藏自治区", "province").growth
    assert west["scope"].tolist() == ["nation", "belt"] and math.isnan(west.loc[1, "growth"])


def test_financing_shares_of_the_printed_total(published_tables):
    financing = st.gather(with_000(published_tables), "江苏省", "province").financing
    # 6 and 4 of 20 亿元 → 0.3 and 0.2; 江苏 marked
    assert financing["share"].tolist() == pytest.approx([0.3, 0.2])
    assert financing["is_region"].tolist() == [False, True]
    assert financing.attrs["total"] == 20 and financing.attrs["deals"] == 10


def test_a_growth_rate_is_a_gap_in_points_not_a_multiple():
    metrics = pd.DataFrame(
        {
            "metric": ["applications_cagr_2020_2022", "pct_per_firm"],
            "unit": ["rate", "件/家"],
            "value": [0.256, 2.24],
            "national_avg": [0.156, 1.65],
            "ratio": [0.256 / 0.156, 2.24 / 1.65],
        }
    )
    gaps = st.with_gaps(metrics)
    # 25.6% − 15.6% = 10.0 points and no multiple; PCT keeps its multiple, no gap
    assert gaps.loc[0, "gap"] == pytest.approx(10.0) and math.isnan(gaps.loc[0, "ratio"])
    assert math.isnan(gaps.loc[1, "gap"]) and gaps.loc[1, "ratio"] == pytest.approx(1.3576, 1e-4)
