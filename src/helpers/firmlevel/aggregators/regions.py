"""Chapter 03 tables: provinces, cities, the three clusters and the five city pages (PatSnap
2023, 图表3.1–3.x): counts, patents per key industry field and the page metrics."""

from __future__ import annotations

import numpy as np
import pandas as pd

from helpers.data import reference
from helpers.data.errors import DataInputError, Problem
from helpers.firmlevel.aggregators.registry import aggregates, allowed
from helpers.firmlevel.derive import board_reference
from helpers.parameters import close_matches

# Units of the metrics on the cluster and city pages, as printed there.
METRIC_UNITS = {
    "patent_applications_per_firm": "件/家",
    "invention_share": "share",
    "pct_per_firm": "件/家",
    "applications_cagr_2020_2022": "rate",
    "licences_per_firm": "次/家",
    "grant_rate": "share",
    "citations_per_firm": "次/家",
    "overseas_markets_per_firm": "个/家",
    "listed_firms": "家",
}
OTHER_CITIES = "其他城市"


@aggregates("firms_by_province")
def firms_by_province(data) -> pd.DataFrame:
    provinces = reference.values("provinces", "province")
    counts = data.counts("province")
    frame = pd.DataFrame(
        {"province": provinces, "firms": [int(counts.get(p, 0)) for p in provinces]}
    )
    return frame.sort_values("firms", ascending=False, kind="stable")


@aggregates("firms_by_city")
def firms_by_city(data) -> pd.DataFrame:
    """Cities with at least data.city_min_firms firms, largest first (ties in reference order).
    data/reference/cities.csv holds every prefecture-level city and province-administered
    county-level unit, so such a city that is not there is a misspelling (or a district or
    county): refused in one line with the closest names."""
    found = data.counts("city")  # largest first, then by name
    counts = pd.Series(dict(sorted(found.items(), key=lambda c: (-c[1], c[0]))), dtype="int64")
    known = reference.values("cities", "city")
    shown = counts[counts >= data.city_min_firms]
    unknown = [c for c in shown.index if c not in known]
    if unknown:
        raise DataInputError(_unknown_city(data, unknown[0], int(shown[unknown[0]])))
    order = {c: i for i, c in enumerate(known)}
    frame = pd.DataFrame({"city": shown.index, "firms": shown.to_numpy().astype(int)})
    frame["order"] = frame["city"].map(order)
    frame = frame.sort_values(["firms", "order"], ascending=[False, True], kind="stable")
    return frame.drop(columns="order")


@aggregates("cities_from_counties", needs=("firms.city",))
def cities_from_counties(data) -> pd.DataFrame:
    """The analysed firms whose city was written as a county-level unit and counted in its
    prefecture-level city (helpers.firmlevel.counties), per name as written and province."""
    rows = [
        {
            "province": m["province"],
            "county": m["county"],
            "city": m["city"],
            "firms": m["analysed"],
        }
        for m in data.county_cities
        if m["analysed"]
    ]
    return pd.DataFrame(rows, columns=["province", "county", "city", "firms"])


def _unknown_city(data, city: str, firms: int) -> Problem:
    """The first row of a city name that matches no city of the reference, with what to do."""
    spellings = reference.aliases("cities")
    close = close_matches(str(city).casefold(), list(spellings), n=8)
    suggestions = list(dict.fromkeys(spellings[c] for c in close))[:3]
    row = data.firms.index[data.firms["city"] == city][0]
    return Problem(
        data.files["firms"],
        f"{firms} firms give this city, which matches no prefecture-level city in "
        "data/reference/cities.csv: correct the spelling"
        + (f" (close matches: {', '.join(suggestions)})" if suggestions else "")
        + ", or give the prefecture-level city of a district or county",
        row=int(row),
        column="city",
        value=city,
    )


def _groups(data, column: str, names: list[str]) -> dict:
    """{name: analysed firms} of each named group (cluster or city) that has firms, in the
    order of `names`."""
    sizes = data.counts(column)
    return {name: int(sizes[name]) for name in names if sizes.get(name)}


def _metrics_by_group(data, table: str, column: str, groups: list[str]) -> pd.DataFrame:
    """Long table group x metric with the national average, for the cluster and city pages."""
    national = data.national
    metrics = allowed(data, table, "metric")
    rows = []
    by_group = data.metrics_by(column)
    for name in (g for g in groups if g in by_group):
        values = by_group[name]
        rows += [
            {
                column: name,
                "metric": metric,
                "unit": METRIC_UNITS[metric],
                "value": values[metric],
                "national_avg": national.get(metric, np.nan),
            }
            for metric in metrics
        ]
    # no firm in any of the groups (an export of one province): the table has no rows
    return pd.DataFrame(rows, columns=[column, "metric", "unit", "value", "national_avg"])


def _field_patents(data, key: str, groups: list[str]) -> pd.DataFrame:
    """Patent applications per key industry field of each group (cluster or city)."""
    fields = reference.table("industry_fields")
    key_fields = fields.loc[fields["key_field"] == "true", "field"].tolist()
    sums = data.counts(key, "industry_field", value="sum(applications)")
    rows = []
    for name in _groups(data, key, groups):
        rows += [
            {"group": name, "field": field, "patent_applications": int(sums.get((name, field), 0))}
            for field in key_fields
        ]
    return pd.DataFrame(rows, columns=["group", "field", "patent_applications"])


@aggregates("cluster_metrics", needs=("patents", "listings", "firms.overseas_markets"))
def cluster_metrics(data) -> pd.DataFrame:
    regions = allowed(data, "cluster_metrics", "region")
    frame = _metrics_by_group(data, "cluster_metrics", "cluster", regions)
    frame.loc[frame["metric"] == "listed_firms", "national_avg"] = np.nan  # a count, no average
    return frame.rename(columns={"cluster": "region"})


@aggregates("cluster_field_patents", needs=("patents", "firms.industry_field"))
def cluster_field_patents(data) -> pd.DataFrame:
    frame = _field_patents(data, "cluster", allowed(data, "cluster_field_patents", "region"))
    return frame.rename(columns={"group": "region"})


@aggregates("cluster_city_distribution")
def cluster_city_distribution(data) -> pd.DataFrame:
    named = [c for c in allowed(data, "cluster_city_distribution", "city") if c != OTHER_CITIES]
    rows = []
    regions = allowed(data, "cluster_city_distribution", "region")
    counts = data.counts("cluster", "city")
    for region, size in _groups(data, "cluster", regions).items():
        rows += [
            {"region": region, "city": c, "firms": int(counts.get((region, c), 0))} for c in named
        ]
        rest = int(size - sum(counts.get((region, c), 0) for c in named))
        rows.append({"region": region, "city": OTHER_CITIES, "firms": rest})
    return pd.DataFrame(rows, columns=["region", "city", "firms"])  # no rows without its firms


@aggregates("city_overview", needs=("patents",))
def city_overview(data) -> pd.DataFrame:
    sums = data.counts("city", value="sum(applications)")
    rows = [
        {
            "city": city,
            "firms": size,
            "patent_applications_total": int(sums[city]),
            "qualifier": None,  # an exact sum, not a printed lower bound (余)
            "bound": "exact",
        }
        for city, size in _groups(data, "city", allowed(data, "city_overview", "city")).items()
    ]
    columns = ["city", "firms", "patent_applications_total", "qualifier", "bound"]
    return pd.DataFrame(rows, columns=columns)


@aggregates("city_capital_markets", needs=("listings",))
def city_capital_markets(data) -> pd.DataFrame:
    boards = board_reference()["board"].tolist()
    counts = data.board_counts("city")
    rows = []
    for city in allowed(data, "city_capital_markets", "city"):
        rows += [
            {"city": city, "board": b, "firms": counts[(city, b)]}
            for b in boards
            if counts.get((city, b))
        ]
    return pd.DataFrame(rows, columns=["city", "board", "firms"])


@aggregates("city_field_patents", needs=("patents", "firms.industry_field"))
def city_field_patents(data) -> pd.DataFrame:
    frame = _field_patents(data, "city", allowed(data, "city_field_patents", "city"))
    return frame.rename(columns={"group": "city"})


@aggregates("city_metrics", needs=("patents", "listings", "firms.overseas_markets"))
def city_metrics(data) -> pd.DataFrame:
    cities = allowed(data, "city_metrics", "city")
    return _metrics_by_group(data, "city_metrics", "city", cities)
