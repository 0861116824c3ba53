"""Statistics of one region's profile (notebooks/profile.ipynb): what a PatSnap 2023 city page
shows — firm count and national rank, listings by board, patent applications by industry field,
the eight per-firm metrics against the national average — plus the batch and industry mix and
the share of the nation and of the province, for any province or city. Shares are fractions.

With published tables a region gets what is published for it (counts for the 31 provinces and the
cities of 图表3.3, everything for the five city pages); with firm-level data every region gets
every part (region_metrics, region_breakdowns)."""

from __future__ import annotations

from dataclasses import dataclass, field

import pandas as pd

from helpers.data import reference
from helpers.stats import regional, regions
from helpers.stats.descriptive import pp_gap, rank, share
from helpers.stats.innovation import multiple

# The parts of a profile after its overview, in the profile's order.
PARTS = ("boards", "fields", "metrics", "batches", "industries")
# region_breakdowns' dimension of each part it gives, and the column naming its categories.
BREAKDOWN_PARTS = (
    ("boards", "board", "board"),
    ("batches", "batch", "batch"),
    ("industries", "industry_field", "field"),
)
FIELD_COLUMNS = ["field", "patent_applications", "source_doc", "source_id", "inferred", "note"]


@dataclass
class RegionProfile:
    region: str
    level: str  # province or city (a municipality is a province that is also a city)
    is_city: bool
    province: str
    firms: int
    firms_rows: pd.DataFrame
    rank: int
    rank_of: int
    national_total: int
    national_rows: pd.DataFrame
    province_firms: int | None = None
    province_rows: pd.DataFrame | None = None
    parts: dict[str, pd.DataFrame] = field(default_factory=dict)
    # The sections every profile has (see gather); None where the data has nothing for them.
    ranking: pd.DataFrame | None = None  # the regions of its level, largest first
    ranked_among: str = "province"  # province, city (the listed cities) or all_cities
    cities_listed: pd.DataFrame | None = None  # the cities of firms_by_city (>= 150 firms)
    cities: pd.DataFrame | None = None  # the listed cities of its province
    city_ranking: pd.Series | None = None  # a municipality's row among the listed cities
    macro: pd.DataFrame | None = None  # its three-belt and NBS region
    cluster: pd.Series | None = None  # its city cluster (京津冀, 长三角, 粤港澳)
    cluster_metrics: pd.DataFrame | None = None  # the cluster's metrics against the nation
    growth: pd.DataFrame | None = None  # 2021 (000) → 2023 (001): nation, belt, province
    financing: pd.DataFrame | None = None  # 000's financing by province, with shares

    @property
    def mean_firms(self) -> float:
        """The mean firms of the regions it is ranked among (the provinces' 12,192 / 31)."""
        return float(self.ranking["firms"].mean())

    @property
    def multiple_of_mean(self) -> float:
        """The region's firms ÷ the mean of the regions it is ranked among."""
        return float(multiple(self.firms, self.mean_firms))

    @property
    def small(self) -> bool:
        """Fewer firms than regions.SMALL_REGION_FIRMS: averages read with care, no growth."""
        return self.firms < regions.SMALL_REGION_FIRMS

    @property
    def share_of_nation(self) -> float:
        """The region's firms ÷ the firms of all provinces."""
        return float(share(self.firms, self.national_total))

    @property
    def share_of_province(self) -> float | None:
        """A city's firms ÷ its province's firms; None for a province (or a municipality)."""
        if self.province_firms is None or self.province == self.region:
            return None
        return float(share(self.firms, self.province_firms))

    def missing(self) -> list[str]:
        """The parts the data has nothing on for this region, in the profile's order."""
        return [p for p in PARTS if p not in self.parts]


def region_counts(tables: dict, level: str) -> pd.DataFrame:
    """Firm counts (name, firms and the rows' provenance) of every region of a level: from
    region_metrics (firm-level data) when given, else firms_by_province / firms_by_city."""
    metrics = tables.get("region_metrics")
    if metrics is not None:
        rows = metrics[(metrics["level"] == level) & (metrics["metric"] == "firms")]
        return rows.rename(columns={"region": "name", "value": "firms"})
    table = tables["firms_by_province" if level == "province" else "firms_by_city"]
    return table.rename(columns={level: "name"})


def field_shares(fields: pd.DataFrame, printed_total: float | None = None) -> pd.DataFrame:
    """Patent applications by industry field with each field's share (NaN when there are none)
    of the printed total of the region's applications when one is given (a city page's
    '总计9.54万余件', which counts applications outside the eight fields too), else of the
    fields' sum (firm-level data, whose fields cover every application); `base` holds that
    total. Most applications first (ties in the table's order).

    Example: 300, 100 and 600 applications → shares 0.3, 0.1, 0.6 of their 1,000, ordered
    600, 300, 100; of a printed 2,000: 0.15, 0.05, 0.3."""
    frame = fields.copy()
    frame["patent_applications"] = frame["patent_applications"].astype(float)
    total = frame["patent_applications"].sum() if printed_total is None else float(printed_total)
    frame["share"] = frame["patent_applications"] / total if total > 0 else float("nan")
    frame["base"] = total
    return frame.sort_values("patent_applications", ascending=False, kind="stable").reset_index(
        drop=True
    )


def breakdown_parts(breakdowns: pd.DataFrame, level: str, region: str) -> dict[str, pd.DataFrame]:
    """A region's parts from region_breakdowns (firm-level data): firms by board, batch and
    industry field (each category in the column the part names it by: board, batch, field),
    and patent applications by field where the folder has patents."""
    mine = breakdowns[(breakdowns["level"] == level) & (breakdowns["region"] == region)]
    parts = {}
    for part, dimension, column in BREAKDOWN_PARTS:
        rows = mine[mine["dimension"] == dimension]
        if len(rows):
            parts[part] = rows.rename(columns={"category": column}).reset_index(drop=True)
    # patent applications by field need patents (without, the column is empty)
    fields = mine[(mine["dimension"] == "industry_field") & mine["patent_applications"].notna()]
    if len(fields):
        named = fields.rename(columns={"category": "field"})
        parts["fields"] = named[FIELD_COLUMNS].reset_index(drop=True)
    return parts


def city_page_parts(tables: dict, city: str) -> dict[str, pd.DataFrame]:
    """A city's listings by board and patent applications by field from the published city
    pages (city_capital_markets, city_field_patents), where they print it."""
    parts = {}
    for part, name in (("boards", "city_capital_markets"), ("fields", "city_field_patents")):
        table = tables.get(name)
        if table is not None and (table["city"] == city).any():
            parts[part] = table[table["city"] == city].reset_index(drop=True)
    return parts


def metrics_part(tables: dict, level: str, region: str, is_city: bool, firms: int):
    """The region's page metrics against the national average (regions.metrics_vs_national)
    from region_metrics (firm-level data) or, for a city with a published page, city_metrics;
    None when the data has none."""
    metrics = tables.get("region_metrics")
    if metrics is not None:
        mine = metrics[(metrics["level"] == level) & (metrics["region"] == region)]
        return regions.metrics_vs_national(mine, firms)
    pages = tables.get("city_metrics")
    if is_city and pages is not None:
        mine = pages[pages["city"] == region]
        if len(mine):
            return regions.metrics_vs_national(mine, firms)
    return None


def gather(tables: dict[str, pd.DataFrame | None], region: str, level: str) -> RegionProfile:
    """Everything the data has on `region` (canonical name, level from helpers.parameters):
    its firms, their rank among the regions of its level (1 = most, ties share the best rank),
    the sections every profile has (ranking, cities, macro-region and cluster, 2021 → 2023,
    financing) and the parts the data gives for it."""
    cities = reference.table("cities").set_index("city")["province"]
    is_city = region in cities.index
    province = cities[region] if is_city else region
    own_level = "province" if level == "province" else "city"
    listed = listed_cities(tables)
    # A city is ranked among the cities firms_by_city lists (>= 150 firms) when it is one of
    # them, so its rank says among which cities; else among every city of the data.
    is_listed = listed is not None and bool((listed["city"] == region).any())
    if own_level == "city" and is_listed:
        counts = listed.rename(columns={"city": "name"}).drop(columns=["province", "rank"])
    else:
        counts = region_counts(tables, own_level)
    provinces = region_counts(tables, "province")
    rows = counts[counts["name"] == region]
    if rows.empty:
        raise LookupError(f"{region}: no firm count in the data ({own_level} table)")
    firms = int(rows["firms"].iloc[0])
    ranks = rank(counts["firms"].astype(float).reset_index(drop=True))
    province_rows = provinces[provinces["name"] == province]
    profile = RegionProfile(
        region=region,
        level=own_level,
        is_city=is_city,
        province=province,
        firms=firms,
        firms_rows=rows,
        rank=int(ranks[counts["name"].reset_index(drop=True) == region].iloc[0]),
        rank_of=len(counts),
        national_total=int(provinces["firms"].sum()),
        national_rows=provinces,
        province_firms=int(province_rows["firms"].iloc[0]) if len(province_rows) else None,
        province_rows=province_rows,
    )
    profile.ranking = ranking(counts, region, profile.national_total)
    profile.ranked_among = own_level if own_level == "province" or is_listed else "all_cities"
    profile.cities_listed = listed
    profile.cities = province_cities(profile.cities_listed, provinces, province)
    if own_level == "province" and is_city and profile.cities_listed is not None:
        profile.city_ranking = city_rank(profile.cities_listed, region)
    profile.macro = macro_position(provinces, province, region, firms, own_level)
    profile.cluster = cluster_position(tables, provinces, region, province, firms, is_city)
    profile.cluster_metrics = cluster_comparison(tables, profile.cluster)
    profile.growth = growth_2021_2023(tables, provinces, province)
    profile.financing = financing_position(tables, province)
    metrics = metrics_part(tables, own_level, region, is_city, firms)
    if metrics is not None:
        profile.parts["metrics"] = with_gaps(metrics)
    if tables.get("region_breakdowns") is not None:
        profile.parts.update(breakdown_parts(tables["region_breakdowns"], own_level, region))
    elif is_city:
        profile.parts.update(city_page_parts(tables, region))
    if "fields" in profile.parts:
        total = printed_applications_total(tables, region)
        profile.parts["fields"] = field_shares(profile.parts["fields"], total)
    profile.parts = {p: profile.parts[p] for p in PARTS if p in profile.parts}
    return profile


def metric_extremes(metrics: pd.DataFrame) -> tuple[pd.Series, pd.Series]:
    """The metric furthest above and the one furthest below the national average: the rows of
    the largest and the smallest `ratio` (the first of equal ones)."""
    return metrics.loc[metrics["ratio"].idxmax()], metrics.loc[metrics["ratio"].idxmin()]


# The sections every profile has ---------------------------------------------------------------
PROVENANCE = ["source_doc", "source_id", "inferred", "note"]
# Metrics compared with the nation in percentage points (a share or a rate), not as a multiple.
POINT_UNITS = ("share", "rate")


def ranking(counts: pd.DataFrame, region: str, national_total: int) -> pd.DataFrame:
    """The regions of a level (region_counts: name, firms) largest first (ties in the table's
    order) with rank, share of the nation's firms and `is_region` marking `region`.

    Example: 60, 30 and 10 firms of 100 → ranks 1, 2, 3 and shares 0.6, 0.3, 0.1."""
    frame = counts.sort_values("firms", ascending=False, kind="stable").reset_index(drop=True)
    frame = frame.assign(firms=frame["firms"].astype(int))
    frame["rank"] = rank(frame["firms"].astype(float))
    frame["share"] = share(frame["firms"], national_total)
    frame["is_region"] = frame["name"] == region
    return frame


def rank_window(ranking: pd.DataFrame, bars: int) -> pd.DataFrame:
    """At most `bars` rows of a ranking (largest first, `is_region` marking the region): all of
    it when it is no longer, else the `bars` rows centred on the region's row (a national export
    lists hundreds of cities with 150 firms; a chart of them all is unreadable).

    Example: 100 rows, the region's the 50th (row 49), 31 bars → rows 34 to 64; the region's
    the 2nd → rows 0 to 30; the 99th → rows 69 to 99."""
    if len(ranking) <= bars:
        return ranking
    marked = ranking["is_region"].to_numpy().nonzero()[0]
    where = int(marked[0]) if len(marked) else 0
    start = min(max(where - bars // 2, 0), len(ranking) - bars)
    return ranking.iloc[start : start + bars]


def listed_cities(tables: dict) -> pd.DataFrame | None:
    """The cities firms_by_city lists (001 图表3.3: those with at least 150 firms; the same
    rule for firm-level data) with their province and rank among them; None without it."""
    table = tables.get("firms_by_city")
    if table is None or table.empty:
        return None
    provinces = reference.table("cities").set_index("city")["province"]
    frame = table.sort_values("firms", ascending=False, kind="stable").reset_index(drop=True)
    frame["province"] = frame["city"].map(provinces)
    frame["rank"] = rank(frame["firms"].astype(float))
    return frame


def province_cities(
    listed: pd.DataFrame | None, provinces: pd.DataFrame, province: str
) -> pd.DataFrame | None:
    """The listed cities of `province` (not a municipality, which is its own only city) with
    their share of the province's firms, largest first; `rest` in attrs: the province's firms
    outside them. An empty table when none of its cities is listed; None without city counts.

    Example: 苏州 398, 无锡 232, 南京 208, 常州 166 of 江苏's 1,477 → 0.2695, 0.1571, 0.1408,
    0.1124; 473 elsewhere."""
    if listed is None:
        return None
    mine = listed[(listed["province"] == province) & (listed["city"] != province)].copy()
    province_firms = float(provinces.loc[provinces["name"] == province, "firms"].iloc[0])
    mine["share_of_province"] = share(mine["firms"].astype(float), province_firms)
    mine = mine.reset_index(drop=True)
    mine.attrs["rest"] = int(province_firms - mine["firms"].sum())
    mine.attrs["province_firms"] = int(province_firms)
    return mine


def city_rank(listed: pd.DataFrame, city: str) -> pd.Series | None:
    """A municipality's row among the listed cities (its rank as a city), if listed."""
    rows = listed[listed["city"] == city]
    return rows.iloc[0] if len(rows) else None


def macro_position(
    provinces: pd.DataFrame, province: str, region: str, firms: int, level: str
) -> pd.DataFrame:
    """The region's place in its three-belt region (region_3belt, the scheme compared with
    000) and its NBS region (region_nbs), one row each: `scheme`, `macro` (东部 …), the macro
    region's `firms`, `provinces` and `share` of the nation, the region's `share_of_macro`,
    and — for a province in a macro region of several provinces — its `rank_in` among them.

    Example: 江苏 1,477 in 东部 (11 provinces, 8,183 firms of 12,192) → 东部's share 0.6712,
    江苏's share of it 0.1805, rank 1 of 11."""
    ref = reference.table("provinces").set_index("province")
    frame = provinces.assign(**{s: provinces["name"].map(ref[s]) for s in regions.SCHEMES})
    rows = []
    for scheme in ("region_3belt", "region_nbs"):
        macro = ref.loc[province, scheme]
        members = frame[frame[scheme] == macro].sort_values("firms", ascending=False)
        total = float(members["firms"].sum())
        ranks = rank(members["firms"].astype(float).reset_index(drop=True))
        at = members["name"].reset_index(drop=True) == province
        ranked = level == "province" and len(members) > 1
        rows.append(
            {
                "scheme": scheme,
                "macro": macro,
                "firms": total,
                "provinces": len(members),
                "share": share(total, float(frame["firms"].sum())),
                "share_of_macro": share(firms, total),
                "rank_in": float(ranks[at].iloc[0]) if ranked else float("nan"),
            }
        )
    return pd.DataFrame(rows)


def cluster_position(
    tables: dict, provinces: pd.DataFrame, region: str, province: str, firms: int, is_city: bool
) -> pd.Series | None:
    """The region's city cluster (京津冀, 长三角, 粤港澳; a city's from cities.csv, so 粤港澳
    only for Guangdong's nine cities) as one row: the cluster's `firms` (its provinces', or
    its cities' where the data counts it by city: 粤港澳), `share_of_nation`, `members` (the
    parts it is counted from) and `within`: the region's share of the cluster, or — for the
    province a cluster counted by city lies in (广东) — the cluster's share of the province
    (`within_kind` says which). None outside every cluster.

    Example: 浙江 1,436 of 长三角's 4,201 → 0.3418; 粤港澳's 1,422 of 广东's 1,466 → 0.9700."""
    table = reference.table("cities" if is_city else "provinces")
    column = "city" if is_city else "province"
    cluster = table.set_index(column)["cluster"].get(region, "")
    if not cluster:
        return None
    ref = reference.table("provinces")[["province", "cluster"]]
    named = provinces.rename(columns={"name": "province"}).merge(ref, on="province", how="left")
    by_city = tables.get("cluster_city_distribution")
    if by_city is None:
        by_city = pd.DataFrame(columns=["region", "city", "firms", *PROVENANCE])
    parts = regional.cluster_parts(
        named.assign(cluster=named["cluster"].replace("", None)), by_city
    )
    mine = parts[parts["cluster"] == cluster]
    if mine.empty:
        return None
    total = float(mine["firms"].sum())
    counted_by_city = not mine["part"].isin(named["province"]).any()
    if counted_by_city and not is_city:  # the province a cluster of its cities lies in
        within, kind = share(total, float(firms)), "cluster_of_region"
    elif counted_by_city and region not in set(mine["part"]):
        within, kind = float("nan"), "region_of_cluster"  # among 其他城市
    else:
        within, kind = share(float(firms), total), "region_of_cluster"
    return pd.Series(
        {
            "cluster": cluster,
            "firms": total,
            "share_of_nation": share(total, float(provinces["firms"].sum())),
            "members": len(mine),
            "within": within,
            "within_kind": kind,
            "by_city": counted_by_city,
            "rows": mine,
        }
    )


def cluster_comparison(tables: dict, cluster: pd.Series | None) -> pd.DataFrame | None:
    """The cluster's page metrics (cluster_metrics) against the national average: `ratio`
    for a per-firm metric, `gap` in percentage points for a share; listed firms with no
    national figure keep neither. None outside every cluster or without cluster_metrics.

    Example: 粤港澳 142.79 件/家 against 115 → ratio 1.2417; invention share 0.477 against
    0.45 → gap 2.7 points."""
    metrics = tables.get("cluster_metrics")
    if cluster is None or metrics is None:
        return None
    mine = metrics[metrics["region"] == cluster["cluster"]]
    if mine.empty:
        return None
    return with_gaps(regional.cluster_ratios(mine))


def with_gaps(metrics: pd.DataFrame) -> pd.DataFrame:
    """A metrics table (metric, unit, value, national_avg, ratio) with `gap`: the difference
    from the national average in percentage points for a share or a rate (NaN otherwise),
    and `ratio` NaN for those (a multiple of a growth rate or a share says little).

    Example: a CAGR of 0.256 against 0.156 → gap 10.0 points, no ratio."""
    frame = metrics.copy()
    points = frame["unit"].isin(POINT_UNITS) & frame["national_avg"].notna()
    frame["gap"] = float("nan")
    frame.loc[points, "gap"] = pp_gap(
        frame.loc[points, "value"].astype(float), frame.loc[points, "national_avg"].astype(float)
    )
    frame.loc[frame["metric"].isin(regions.GROWTH_METRICS), "ratio"] = float("nan")
    return frame


def growth_2021_2023(tables: dict, provinces: pd.DataFrame, province: str) -> pd.DataFrame | None:
    """Firms in 2021 (000: 4,851 national-level firms, its three belts and its top three
    provinces) and in 2023 (001: the provinces' firms, 12,192) side by side, one row for the
    nation, the province's belt (region_3belt) and the province when 000 prints it: `scope`,
    `name`, `firms_2021`, `firms_2023`, `growth` (2023 ÷ 2021 − 1; NaN when 2021 had fewer
    than SMALL_REGION_FIRMS firms), `share_2021`, `share_2023`, `share_change` and `gap`
    (growth above the nation's) in percentage points; `rows_2021` and `rows_2023` cite them.
    None without 000's belts.

    Example: 东部 2,846 of 4,851 → 8,183 of 12,192: growth 1.8753, share 0.5867 → 0.6712,
    +8.4 points; the nation 1.5133, so 东部 36.2 points above it."""
    belts = tables.get("sq_macro_regions")
    if belts is None or belts.empty:
        return None
    ref = reference.table("provinces").set_index("province")
    national_2021, national_2023 = float(belts["firms"].sum()), float(provinces["firms"].sum())
    belt = ref.loc[province, "region_3belt"]
    in_belt = provinces[provinces["name"].map(ref["region_3belt"]) == belt]
    scopes = [
        ("nation", "", national_2021, national_2023, belts, provinces),
        (
            "belt",
            belt,
            float(belts.loc[belts["region"] == belt, "firms"].sum()),
            float(in_belt["firms"].sum()),
            belts[belts["region"] == belt],
            in_belt,
        ),
    ]
    printed = tables.get("sq_provinces")
    if printed is not None and (printed["province"] == province).any():
        row = printed[printed["province"] == province]
        mine = provinces[provinces["name"] == province]
        scopes.append(
            (
                "province",
                province,
                float(row["firms"].iloc[0]),
                float(mine["firms"].iloc[0]),
                row,
                mine,
            )
        )
    frame = pd.DataFrame(
        [
            {
                "scope": scope,
                "name": name,
                "firms_2021": before,
                "firms_2023": after,
                "rows_2021": rows_2021,
                "rows_2023": rows_2023,
            }
            for scope, name, before, after, rows_2021, rows_2023 in scopes
        ]
    )
    grows = frame["firms_2021"] >= regions.SMALL_REGION_FIRMS
    frame["growth"] = float("nan")
    frame.loc[grows, "growth"] = frame.loc[grows, "firms_2023"] / frame.loc[grows, "firms_2021"] - 1
    frame["share_2021"] = share(frame["firms_2021"], national_2021)
    frame["share_2023"] = share(frame["firms_2023"], national_2023)
    frame["share_change"] = pp_gap(frame["share_2023"], frame["share_2021"])
    frame["gap"] = pp_gap(frame["growth"], frame["growth"].iloc[0])
    return frame


def financing_position(tables: dict, province: str) -> pd.DataFrame | None:
    """000's financing by province (2016-01 to 2021-08; it prints the top three only) with each
    province's `share` of all financing (sq_financing, 全部) and `is_region` marking the
    region's province; `total` and its rows in attrs. None without it.

    Example: 上海 645.4 of 4,046.6 亿元 → 0.1595."""
    by_province = tables.get("sq_financing_by_province")
    financing = tables.get("sq_financing")
    if by_province is None or financing is None:
        return None
    total_rows = financing[financing["segment"] == "全部"]
    total = float(total_rows["amount"].iloc[0])
    frame = by_province.sort_values("rank", kind="stable").reset_index(drop=True)
    frame["share"] = share(frame["amount"].astype(float), total)
    frame["is_region"] = frame["province"] == province
    frame.attrs.update(by_province.attrs)
    frame.attrs["total"] = total
    frame.attrs["total_rows"] = total_rows
    frame.attrs["deals"] = float(total_rows["deals"].iloc[0])
    return frame


def printed_applications_total(tables: dict, region: str) -> float | None:
    """The total patent applications a city page prints for the region (city_overview:
    '总计9.54万余件', applications outside the eight fields included), if it prints one."""
    rows = printed_total_rows(tables, region)
    if rows is None:
        return None
    return float(rows["patent_applications_total"].iloc[0])


def announced_firms(batches: pd.DataFrame | None) -> float | None:
    """The firms announced in all batches (cultivation_batches: 001's 12,950), if given."""
    if batches is None or "announced" not in batches:
        return None
    return float(batches["announced"].sum())


def printed_total_rows(tables: dict, region: str) -> pd.DataFrame | None:
    """The city_overview row printing the region's total patent applications, if a published
    city page prints one (firm-level data's fields cover every application: no printed total)."""
    overview = tables.get("city_overview")
    if overview is None or overview.attrs.get("firm_level") or "city" not in overview:
        return None
    if not (overview["city"] == region).any():
        return None
    return overview[overview["city"] == region]
