"""Statistics of chapter 3 (区域科创版图, 001 图表3.1–3.3 and the city-cluster page) beyond the
regional tables of helpers.stats.regions: a cluster's firms from its provinces, the four regions
and three belts in one table, the top three cities against the fourth, the province metrics of
图表3.2 one row per province, and the three clusters' metrics against the national average.
Shares are fractions; multiples are plain ratios (1.24 = 1.24 times)."""

from __future__ import annotations

import pandas as pd

from helpers.stats import regions
from helpers.stats.descriptive import pp_gap, share
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
    share of its province's firms (a cities_with_shares row); None when every city listed is a
    municipality (or none is listed)."""
    prefecture = cities[cities["city"] != cities["province"]]
    if prefecture.empty:
        return None
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


# The three clusters' firms (图表3.1, the cluster page) ------------------------------------------
PROVENANCE = ["source_doc", "source_id", "inferred", "note"]


def cluster_parts(provinces: pd.DataFrame, cities: pd.DataFrame) -> pd.DataFrame:
    """The parts each cluster's firms add up, one row per part with `cluster`, `part` and
    `firms` (and the part's provenance): a cluster counted by city on its page
    (cluster_city_distribution: 粤港澳, 广东省9市口径 — 深圳, 广州, 其他城市) by those cities, any
    other by its provinces (the `cluster` column of provinces: 京津冀 = 北京, 天津, 河北);
    clusters in the order 京津冀, 长三角, 粤港澳 when present, parts largest first. A cluster
    without firms in the data (an export of one province) has no parts.

    Example: 北京 793, 天津 246, 河北 386 → 京津冀's three parts; 深圳 744, 广州 237, 其他 441 →
    粤港澳's three (广东省 itself is not a part)."""
    by_city = cities.rename(columns={"region": "cluster", "city": "part"})
    by_province = provinces[provinces["cluster"].fillna("").astype(str) != ""]
    by_province = by_province[~by_province["cluster"].isin(by_city["cluster"])]
    columns = ["cluster", "part", "firms", *[c for c in PROVENANCE if c in provinces]]
    parts = pd.concat(
        [by_province.rename(columns={"province": "part"})[columns], by_city[columns]],
        ignore_index=True,
    )
    order = {name: i for i, name in enumerate(("京津冀", "长三角", "粤港澳"))}
    parts = parts.assign(order=parts["cluster"].map(order).fillna(len(order)))
    parts = parts.sort_values(["order", "firms"], ascending=[True, False], kind="stable")
    parts = parts.drop(columns="order")
    parts = parts[_cluster_sums(parts) > 0].reset_index(drop=True)
    return parts.assign(share_of_cluster=share(parts["firms"], _cluster_sums(parts)))


def _cluster_sums(parts: pd.DataFrame) -> pd.Series:
    return parts.groupby("cluster")["firms"].transform("sum")


def cluster_firm_totals(parts: pd.DataFrame, national_total: float) -> pd.DataFrame:
    """Each cluster's firms added up from its parts (see cluster_parts), with the number of
    parts and the cluster's share of the nation's firms, clusters in the parts' order.

    Example: 793 + 246 + 386 = 1,425 of 12,192 → 0.1169."""
    totals = parts.groupby("cluster", sort=False, as_index=False).agg(
        firms=("firms", "sum"), parts=("part", "count")
    )
    return totals.assign(share_of_nation=share(totals["firms"], national_total))


def cluster_rows(parts: pd.DataFrame, cluster: str) -> pd.DataFrame:
    """The parts of one cluster (the rows its total adds up)."""
    return parts[parts["cluster"] == cluster]


def group_total(rows: pd.DataFrame, national_total: float) -> pd.DataFrame:
    """The firms of a group of rows (clusters, cities) together and their share of the
    nation's firms, as one row; no row for no rows (an export with no city listed).

    Example: 北京 793, 深圳 744, 上海 687 of 12,192 → 2,224 and 0.1824."""
    if rows.empty:
        return pd.DataFrame({"firms": pd.Series(dtype=float), "share": pd.Series(dtype=float)})
    firms = float(rows["firms"].sum())
    return pd.DataFrame({"firms": [firms], "share": [share(firms, national_total)]})


def leading_total(rows: pd.DataFrame, n: int, national_total: float) -> pd.DataFrame:
    """group_total of the first `n` rows (cities largest first); no row when there are fewer
    than `n` (a small export lists two cities: there is no top three).

    Example: the top 3 of 北京 793, 深圳 744, 上海 687, 宁波 400 → 2,224; of 北京 and 深圳 → none."""
    return group_total(rows.head(n) if len(rows) >= n else rows.iloc[:0], national_total)


def listed_rows(cluster_metrics: pd.DataFrame | None) -> pd.DataFrame:
    """The listed_firms rows of cluster_metrics (none when the data has no cluster metrics)."""
    if cluster_metrics is None:
        return pd.DataFrame(columns=["region", "metric", "value", *PROVENANCE])
    return cluster_metrics[cluster_metrics["metric"] == "listed_firms"]


def listed_shares(totals: pd.DataFrame, cluster_metrics: pd.DataFrame | None) -> pd.DataFrame:
    """The clusters' firm totals (cluster_firm_totals) with their listed firms (the
    listed_firms rows of cluster_metrics, see listed_rows) and `listed_share` = listed ÷ firms;
    NaN where the page gives no listed firms.

    Example: 84 listed of 1,425 → 0.0589."""
    listed = listed_rows(cluster_metrics).rename(columns={"region": "cluster"})
    listed = listed.set_index("cluster")["value"]
    table = totals.assign(listed_firms=totals["cluster"].map(listed).astype(float))
    listed_share = pd.Series(float("nan"), index=table.index)
    given = table["listed_firms"].notna()
    listed_share[given] = share(table.loc[given, "listed_firms"], table.loc[given, "firms"])
    return table.assign(listed_share=listed_share)


def within_provinces(parts: pd.DataFrame, provinces: pd.DataFrame) -> pd.DataFrame:
    """part_of_province for every cluster of `parts` counted by city (粤港澳 against 广东省),
    one row each."""
    rows = [part_of_province(parts, provinces, c) for c in dict.fromkeys(parts["cluster"])]
    rows = [r for r in rows if len(r)]
    if not rows:
        return part_of_province(parts.iloc[:0], provinces, "")
    return pd.concat(rows, ignore_index=True)


def within_rows(tables: tuple[pd.DataFrame, pd.DataFrame], cluster: str):
    """The rows a cluster's share of its province comes from: its parts (of `tables`' parts)
    and its province's row (of `tables`' provinces)."""
    parts, provinces = tables
    return cluster_rows(parts, cluster), provinces[provinces["cluster"] == cluster]


def part_of_province(parts: pd.DataFrame, provinces: pd.DataFrame, cluster: str) -> pd.DataFrame:
    """A cluster counted by city (see cluster_parts) against the province its cities lie in,
    as one row: `cluster`, `firms` (the cluster's), `province`, `province_firms` and
    `share_of_province`; no row when the cluster's parts are provinces or lie in several
    provinces.

    Example: 粤港澳's 1,422 firms in 广东省's 1,466 → 0.9700."""
    rows = cluster_rows(parts, cluster)
    members = provinces[provinces["cluster"] == cluster]
    columns = ["cluster", "firms", "province", "province_firms", "share_of_province"]
    if rows.empty or len(members) != 1 or rows["part"].isin(members["province"]).any():
        return pd.DataFrame(columns=columns)
    firms, province = float(rows["firms"].sum()), members.iloc[0]
    return pd.DataFrame(
        {
            "cluster": [cluster],
            "firms": [firms],
            "province": [province["province"]],
            "province_firms": [float(province["firms"])],
            "share_of_province": [share(firms, float(province["firms"]))],
        }
    )


# The typical cities (city pages of 001 §3.3) ------------------------------------------------------
def typical_cities(
    overview: pd.DataFrame, metrics: pd.DataFrame, field_patents: pd.DataFrame | None = None
) -> pd.DataFrame:
    """One row per typical city (city_overview): its firms and patent applications in total
    (`applications_total`, with the page's `qualifier` and `bound`), the applications per firm
    they give (`applications_per_firm`) beside the page's own (`applications_per_firm_stated`),
    its invention share and PCT patents per firm with the national figures (city_metrics) as a
    gap in percentage points (`invention_share_gap`) and a multiple (`pct_multiple`), and — with
    city_field_patents — the applications of the eight key fields and their share of the total
    (`key_field_applications`, `key_field_share`). Cities in the overview's order.

    Example: 北京 793 firms, 95,400 applications → 120.30 per firm (printed 120); invention share
    65.2% against 45.4% → +19.8 pp; PCT 2.24 against 1.65 → 1.3576×; key fields 84,256 → 0.8832."""
    wide = metrics.pivot(index="city", columns="metric", values="value")
    national = metrics.drop_duplicates("metric").set_index("metric")["national_avg"]
    table = overview.copy()
    table["applications_per_firm"] = multiple(
        table["patent_applications_total"].astype(float), table["firms"].astype(float)
    )
    for metric, column in (
        ("patent_applications_per_firm", "applications_per_firm_stated"),
        ("invention_share", "invention_share"),
        ("pct_per_firm", "pct_per_firm"),
    ):
        table[column] = table["city"].map(wide[metric]) if metric in wide else float("nan")
    table["national_invention_share"] = national.get("invention_share", float("nan"))
    table["national_pct_per_firm"] = national.get("pct_per_firm", float("nan"))
    table["invention_share_gap"] = pp_gap(
        table["invention_share"], table["national_invention_share"]
    )
    table["pct_multiple"] = [
        multiple(value, base) if pd.notna(value) and pd.notna(base) else float("nan")
        for value, base in zip(table["pct_per_firm"], table["national_pct_per_firm"], strict=True)
    ]
    table["key_field_applications"] = float("nan")  # without city_field_patents: unknown
    table["key_field_share"] = float("nan")
    if field_patents is not None:
        key = field_patents.groupby("city")["patent_applications"].sum()
        table["key_field_applications"] = table["city"].map(key).astype(float)
        table["key_field_share"] = share(
            table["key_field_applications"], table["patent_applications_total"].astype(float)
        )
    return table


def city_metric_rows(metrics: pd.DataFrame, city: str) -> pd.DataFrame:
    """The rows of city_metrics of one city (what its gaps and multiples are computed from)."""
    return metrics[metrics["city"] == city]


def share_gaps(clusters: pd.DataFrame, metric: str = "invention_share") -> pd.DataFrame:
    """The rows of one share metric of a cluster_ratios table with `gap`, the value's gap to the
    national average in percentage points (a share's distance is read in points, not as a
    ratio).

    Example: 54.8% against 45% → +9.8 pp."""
    rows = clusters[(clusters["metric"] == metric) & clusters["national_avg"].notna()]
    return rows.assign(gap=pp_gap(rows["value"], rows["national_avg"]))
