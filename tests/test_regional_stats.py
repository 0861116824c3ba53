"""Chapter 3's statistics (helpers.stats.regional) on small tables whose numbers are worked out
by hand in the comments, and chapter 3's show module (helpers.report.chapters.regions) recording
statistics with their own source rows and drawing a figure from a small table."""

import math

import pandas as pd
import pytest

from helpers.pipeline import StatisticsDeclarationError
from helpers.report import cited
from helpers.report.chapter import STRICT_ENV, Chapter
from helpers.report.chapters import regions as show
from helpers.stats import regional, regions


def provinces_frame() -> pd.DataFrame:
    """Four provinces, largest first, as helpers.stats.regions.provinces_ranked gives them."""
    return pd.DataFrame(
        {
            "province": ["江苏省", "北京市", "上海市", "西藏自治区"],
            "firms": [1477, 793, 687, 4],
            "cluster": ["长三角", "京津冀", "长三角", None],
            "region_nbs": ["东部", "东部", "东部", "西部"],
            "region_3belt": ["东部", "东部", "东部", "西部"],
        }
    )


# Clusters and macro-regions ------------------------------------------------------------------
def test_a_clusters_members_and_totals():
    provinces = provinces_frame()
    members = regional.cluster_members(provinces, "长三角")
    assert members["province"].tolist() == ["江苏省", "上海市"]
    # 长三角: 1477 + 687 = 2164 firms in 2 provinces
    assert regional.cluster_totals(members).to_dict("records") == [
        {"cluster": "长三角", "firms": 2164, "provinces": 2}
    ]
    # every cluster in order of first appearance; 西藏 belongs to none and is left out
    totals = regional.cluster_totals(provinces)
    assert totals["cluster"].tolist() == ["长三角", "京津冀"]
    assert totals["firms"].tolist() == [2164, 793]


def test_hhi_of_an_even_spread():
    assert regional.hhi_if_equal(4) == 2500  # 10,000 / 4
    assert regional.hhi_if_equal(31) == pytest.approx(322.5806, abs=1e-4)  # 10,000 / 31
    with pytest.raises(ValueError, match="at least one"):
        regional.hhi_if_equal(0)


def test_both_schemes_in_one_table_by_hand():
    provinces = pd.DataFrame(
        {
            "province": ["A", "B", "C"],
            "firms": [60, 30, 10],
            "region_nbs": ["东部", "中部", "东北"],
            "region_3belt": ["东部", "中部", "东部"],
        }
    )
    macro = regional.macro_regions(provinces)
    # NBS: 东部 60 (0.6), 中部 30 (0.3), 东北 10 (0.1); belts: 东部 60 + 10 = 70 (0.7), 中部 30 (0.3)
    assert macro["scheme"].tolist() == ["region_nbs"] * 3 + ["region_3belt"] * 2
    assert macro["region"].tolist() == ["东部", "中部", "东北", "东部", "中部"]
    assert macro["firms"].tolist() == [60, 30, 10, 70, 30]
    assert macro["provinces"].tolist() == [1, 1, 1, 2, 1]
    assert macro["share"].tolist() == pytest.approx([0.6, 0.3, 0.1, 0.7, 0.3])
    belts = regional.scheme_regions(macro, "region_3belt")
    assert belts["region"].tolist() == ["东部", "中部"] and belts.index.tolist() == [0, 1]
    east = regional.region_provinces(provinces, "region_3belt", "东部")
    assert east["province"].tolist() == ["A", "C"]


# Cities ------------------------------------------------------------------------------------
def test_top_three_cities_against_the_fourth():
    cities = pd.DataFrame({"city": list("ABCD"), "firms": [793, 744, 687, 400]})
    # (793 + 744 + 687) / 3 = 741.33; / 400 = 1.8533
    assert regional.top3_vs_fourth(cities) == pytest.approx(2224 / 3 / 400)
    with pytest.raises(ValueError, match="four cities"):
        regional.top3_vs_fourth(cities.head(3))


def test_leading_prefecture_city_skips_municipalities():
    cities = pd.DataFrame(
        {
            "city": ["北京市", "深圳市", "宁波市"],
            "province": ["北京市", "广东省", "浙江省"],
            "share_of_province": [1.0, 0.5075, 0.2430],  # 北京市 is its own province
        }
    )
    assert regional.leading_prefecture_city(cities)["city"] == "深圳市"


# Province metrics (图表3.2) -----------------------------------------------------------------
def region_metrics_frame() -> pd.DataFrame:
    return pd.DataFrame(
        {
            "level": ["province"] * 4 + ["city"],
            "region": ["江苏省", "江苏省", "北京市", "北京市", "北京市"],
            "metric": ["employees_per_firm", "firms", "employees_per_firm", "firms", "firms"],
            "value": [200.0, 1477.0, 300.0, 793.0, 793.0],
            "national_avg": [251.0, None, 251.0, None, None],
        }
    )


def test_province_metrics_one_row_per_province():
    metrics = regional.province_metrics(region_metrics_frame())
    assert metrics.columns.tolist() == ["province", "employees_per_firm", "firms"]
    assert metrics["province"].tolist() == ["北京市", "江苏省"]  # in the order of their names
    assert metrics["employees_per_firm"].tolist() == [300.0, 200.0]
    rows = regional.province_metric_rows(region_metrics_frame(), "北京市")
    assert rows.index.tolist() == [2, 3]  # the province's rows, not the city's
    national = regional.national_averages(region_metrics_frame())
    assert national["employees_per_firm"] == 251.0 and math.isnan(national["firms"])


# Clusters against the national average --------------------------------------------------------
def test_cluster_ratios_by_hand():
    table = pd.DataFrame(
        {
            "region": ["粤港澳", "粤港澳", "京津冀"],
            "metric": ["patent_applications_per_firm", "listed_firms", "pct_per_firm"],
            "unit": ["件/家", "家", "件/家"],
            "value": [142.79, 115.0, 1.57],
            "national_avg": [115.0, None, 1.65],
        }
    )
    clusters = regional.cluster_ratios(table)
    assert "cluster" in clusters and "region" not in clusters
    # 142.79 / 115 = 1.2417; 1.57 / 1.65 = 0.9515; listed firms have no national average
    assert clusters["ratio"].iloc[0] == pytest.approx(1.241652, abs=1e-6)
    assert math.isnan(clusters["ratio"].iloc[1])
    assert clusters["ratio"].iloc[2] == pytest.approx(0.951515, abs=1e-6)


def test_fields_ordered_by_the_clusters_patents_together():
    fields = regional.cluster_field_patents(
        pd.DataFrame(
            {
                "region": ["京津冀", "长三角", "京津冀", "长三角"],
                "field": ["新材料", "新材料", "新一代信息技术", "新一代信息技术"],
                "patent_applications": [100, 50, 80, 90],
            }
        )
    )
    assert fields.columns.tolist() == ["cluster", "field", "patent_applications"]
    # 新一代信息技术 80 + 90 = 170 before 新材料 100 + 50 = 150
    assert regional.fields_by_patents(fields) == ["新一代信息技术", "新材料"]


# The show module: statistics citing their own rows, a figure from a small table ---------------
@pytest.fixture
def chapter(tmp_path, monkeypatch):
    monkeypatch.delenv(STRICT_ENV, raising=False)
    return Chapter("03_regions", output_dir=str(tmp_path))


def test_cumulative_shares_cite_the_provinces_they_add_up(chapter):
    provinces = regions.provinces_ranked(chapter.table("firms_by_province")).head(3)
    first_k = provinces.assign(rank=range(1, len(provinces) + 1))
    chapter.record_table(
        first_k, "provinces.cumulative_share.{province}", source=cited.up_to(provinces)
    )
    second = chapter.statistics["03_regions.provinces.cumulative_share.440000"]  # 广东省
    assert second["label"] == "前2名省份（至广东省）累计占比"
    assert float(second["value"]) == pytest.approx((1477 + 1466) / 12192)
    assert second["source"] == "智慧芽2023 图表3.1"
    assert len(chapter.statistics) == 3


def test_city_shares_cite_the_city_and_its_province(chapter):
    provinces = regions.provinces_ranked(chapter.table("firms_by_province"))
    cities = regions.cities_with_shares(chapter.table("firms_by_city"), provinces)
    firms_by_province = chapter.table("firms_by_province")
    chapter.record_table(cities, "cities.share_of_nation.{city}", also=[firms_by_province])
    of_province = cited.same(provinces, "province", row_first=True)
    chapter.record_table(cities, "cities.share_of_province.{city}", source=of_province)
    ningbo = chapter.statistics["03_regions.cities.share_of_province.330200"]
    assert ningbo["label"] == "宁波市企业占浙江省比例"
    assert float(ningbo["value"]) == pytest.approx(349 / 1436)
    assert ningbo["source"] == "智慧芽2023 图表3.3和图表3.1"
    assert len(chapter.statistics) == 2 * len(cities)


def test_cluster_metrics_in_their_declared_units(chapter):
    table = pd.DataFrame(
        {
            "region": ["粤港澳", "粤港澳"],
            "metric": ["patent_applications_per_firm", "listed_firms"],
            "unit": ["件/家", "家"],
            "value": [142.79, 115.0],
            "national_avg": [115.0, None],
            "source_doc": ["001", "001"],
            "source_id": ["城市群对比页", "城市群对比页"],
        }
    )
    record_clusters(chapter, table)
    recorded = chapter.statistics
    assert sorted(recorded) == [
        "03_regions.clusters.listed_firms.greater_bay_area",
        "03_regions.clusters.patent_applications_per_firm.greater_bay_area",
        "03_regions.clusters.patent_applications_per_firm.greater_bay_area.ratio",
    ]
    ratio = recorded["03_regions.clusters.patent_applications_per_firm.greater_bay_area.ratio"]
    assert ratio["label"] == "粤港澳：平均专利申请量与全国平均之比"
    assert float(ratio["value"]) == pytest.approx(142.79 / 115)
    with pytest.raises(StatisticsDeclarationError, match="declared in '件/家'"):
        record_clusters(chapter, table.assign(unit=["次/家", "家"]))
    with pytest.raises(StatisticsDeclarationError, match=r"grant_rate\.greater_bay_area' is not"):
        record_clusters(chapter, table.assign(metric=["grant_rate", "listed_firms"]))


def record_clusters(chapter, table: pd.DataFrame) -> None:
    """As notebooks/03_regions.ipynb records cluster_metrics: each metric under its own key in
    its declared unit, and its ratio to the national average where there is one."""
    named = show.named_metrics(chapter, regional.cluster_ratios(table))
    chapter.record_table(named, "clusters.{metric_id}.{cluster}", unit_column="unit")
    chapter.record_table(named, "clusters.{metric_id}.{cluster}.ratio")


def test_a_macro_region_cites_its_provinces_and_names_its_scheme(chapter):
    provinces = regions.provinces_ranked(chapter.table("firms_by_province"))
    macro = regional.macro_regions(provinces)
    chapter.record_table(
        show.named_schemes(chapter, macro),
        "macro.{scheme_id}.{region}.firms",
        source=cited.picked(regional.region_provinces, provinces, "scheme_id", "region"),
    )
    east = chapter.statistics["03_regions.macro.region_nbs.east.firms"]
    assert east["label"] == "四大区域（国家统计局）：东部企业数"
    assert east["source"] == "智慧芽2023 图表3.1"
    assert len(chapter.statistics) == len(macro)  # four regions and three belts


def test_cluster_fields_figure_from_a_small_table(chapter, tmp_path):
    fields = regional.cluster_field_patents(
        pd.DataFrame(
            {
                "region": ["京津冀", "长三角"],
                "field": ["新材料", "新材料"],
                "patent_applications": [100, 50],
                "source_doc": ["001", "001"],
                "source_id": ["城市群对比页", "城市群对比页"],
            }
        )
    )
    show.cluster_fields(chapter, fields)
    assert (tmp_path / "figures" / "03_regions_fig3_5_cluster_fields.svg").exists()
