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
from helpers.stats import regions
from helpers.stats.descriptive import rank, share

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


def field_shares(fields: pd.DataFrame) -> pd.DataFrame:
    """Patent applications by industry field with each field's share of the region's
    applications (NaN when it has none), most applications first (ties in the table's order).

    Example: 300, 100 and 600 applications → shares 0.3, 0.1, 0.6, ordered 600, 300, 100."""
    frame = fields.copy()
    frame["patent_applications"] = frame["patent_applications"].astype(float)
    total = frame["patent_applications"].sum()
    frame["share"] = frame["patent_applications"] / total if total > 0 else float("nan")
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
    its firms, their rank among the regions of its level (1 = most, ties share the best rank)
    and the parts the data gives for it."""
    cities = reference.table("cities").set_index("city")["province"]
    is_city = region in cities.index
    province = cities[region] if is_city else region
    own_level = "province" if level == "province" else "city"
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
    metrics = metrics_part(tables, own_level, region, is_city, firms)
    if metrics is not None:
        profile.parts["metrics"] = metrics
    if tables.get("region_breakdowns") is not None:
        profile.parts.update(breakdown_parts(tables["region_breakdowns"], own_level, region))
    elif is_city:
        profile.parts.update(city_page_parts(tables, region))
    if "fields" in profile.parts:
        profile.parts["fields"] = field_shares(profile.parts["fields"])
    profile.parts = {p: profile.parts[p] for p in PARTS if p in profile.parts}
    return profile


def metric_extremes(metrics: pd.DataFrame) -> tuple[pd.Series, pd.Series]:
    """The metric furthest above and the one furthest below the national average: the rows of
    the largest and the smallest `ratio` (the first of equal ones)."""
    return metrics.loc[metrics["ratio"].idxmax()], metrics.loc[metrics["ratio"].idxmin()]
