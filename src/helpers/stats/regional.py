"""Statistics of chapter 3 (区域科创版图, 001 图表3.1–3.3 and the city-cluster page) beyond the
regional tables of helpers.stats.regions: a cluster's firms from its provinces, the four regions
and three belts in one table, the top three cities against the fourth, the province metrics of
图表3.2 one row per province, and the three clusters' metrics against the national average.
Shares are fractions; multiples are plain ratios (1.24 = 1.24 times)."""

from __future__ import annotations

import pandas as pd

from helpers.stats import regions
from helpers.stats.innovation import multiple


def cluster_members(provinces: pd.DataFrame, cluster: str) -> pd.DataFrame:
    """The rows of `provinces` in `cluster` (the `cluster` column of data/reference/provinces.csv:
    长三角 is 上海市, 江苏省, 浙江省 and 安徽省)."""
    return provinces[provinces["cluster"] == cluster]


def cluster_totals(provinces: pd.DataFrame) -> pd.DataFrame:
    """Firms and provinces per cluster of the rows given (one row per cluster, in order of
    first appearance); provinces outside every cluster are left out.

    Example: 上海 687 and 江苏 1,477 in 长三角, 北京 793 in 京津冀 → 长三角 2,164 (2 provinces),
    京津冀 793 (1)."""
    grouped = provinces.dropna(subset=["cluster"]).groupby("cluster", sort=False, as_index=False)
    return grouped.agg(firms=("firms", "sum"), provinces=("province", "count"))


def hhi_if_equal(units: int) -> float:
    """The HHI (0–10,000 scale) of firms spread evenly over `units` provinces: 10,000 / units.

    Example: 31 provinces → 322.58."""
    if units <= 0:
        raise ValueError(f"hhi_if_equal: needs at least one unit, got {units}")
    return 10_000 / units


def macro_regions(provinces: pd.DataFrame) -> pd.DataFrame:
    """The regions of both schemes (helpers.stats.regions.macro_regions: the NBS four regions,
    then the three belts) in one table, each row with its `scheme` (region_nbs, region_3belt);
    within a scheme largest first."""
    tables = [
        regions.macro_regions(provinces, scheme).assign(scheme=scheme) for scheme in regions.SCHEMES
    ]
    return pd.concat(tables, ignore_index=True)


def scheme_regions(macro: pd.DataFrame, scheme: str) -> pd.DataFrame:
    """The rows of one scheme of a macro_regions table, largest first."""
    return macro[macro["scheme"] == scheme].reset_index(drop=True)


def region_provinces(provinces: pd.DataFrame, scheme: str, region: str) -> pd.DataFrame:
    """The provinces of one region of a scheme (the rows a region's figures add up)."""
    return provinces[provinces[scheme] == region]


def top3_vs_fourth(cities: pd.DataFrame) -> float:
    """How many times the fourth city's firms the top three cities' mean is (cities largest
    first).

    Example: 793, 744, 687 and 400 firms → mean 741.33 / 400 = 1.85."""
    if len(cities) < 4:
        raise ValueError(f"top3_vs_fourth: needs four cities, got {len(cities)}")
    return float(multiple(cities["firms"].head(3).mean(), cities["firms"].iloc[3]))


def leading_prefecture_city(cities: pd.DataFrame) -> pd.Series:
    """The city, other than a municipality (a city that is its own province), with the largest
    share of its province's firms (a cities_with_shares row)."""
    prefecture = cities[cities["city"] != cities["province"]]
    return prefecture.loc[prefecture["share_of_province"].idxmax()]


def province_metrics(region_metrics: pd.DataFrame) -> pd.DataFrame:
    """The province rows of region_metrics one row per province (`province`), one column per
    metric (firms, employees_per_firm, valid_invention_patents_per_firm …), provinces in the
    order of their names."""
    rows = region_metrics[region_metrics["level"] == "province"]
    wide = rows.pivot(index="region", columns="metric", values="value").reset_index()
    return wide.rename(columns={"region": "province"}).rename_axis(columns=None)


def province_metric_rows(region_metrics: pd.DataFrame, province: str) -> pd.DataFrame:
    """The rows of region_metrics a province's metrics come from (every metric of it)."""
    rows = region_metrics[region_metrics["level"] == "province"]
    return rows[rows["region"] == province]


def national_averages(region_metrics: pd.DataFrame) -> pd.Series:
    """The national average of each metric (metric → national_avg) the province rows of
    region_metrics give."""
    rows = region_metrics[region_metrics["level"] == "province"]
    return rows.drop_duplicates("metric").set_index("metric")["national_avg"]


def cluster_ratios(cluster_metrics: pd.DataFrame) -> pd.DataFrame:
    """The clusters' metrics (cluster_metrics, its `region` as `cluster`) with `ratio` = value
    ÷ the national average; NaN where no national average is published (listed firms).

    Example: 142.79 件/家 against a national 115 → 1.2417."""
    table = cluster_metrics.rename(columns={"region": "cluster"})
    compared = table["national_avg"].notna()
    ratio = pd.Series(float("nan"), index=table.index)
    ratio[compared] = [
        multiple(value, national)
        for value, national in zip(
            table.loc[compared, "value"], table.loc[compared, "national_avg"], strict=True
        )
    ]
    return table.assign(ratio=ratio)


def cluster_field_patents(cluster_fields: pd.DataFrame) -> pd.DataFrame:
    """cluster_field_patents with its `region` as `cluster` (one row per cluster and field)."""
    return cluster_fields.rename(columns={"region": "cluster"})


def fields_by_patents(fields: pd.DataFrame) -> list[str]:
    """The fields of a cluster_field_patents table, most patent applications of the clusters
    together first.

    Example: 新材料 100 + 50 and 新一代信息技术 80 + 90 → 新一代信息技术, 新材料."""
    totals = fields.groupby("field")["patent_applications"].sum()
    return list(totals.sort_values(ascending=False).index)
