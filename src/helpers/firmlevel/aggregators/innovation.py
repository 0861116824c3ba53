"""Chapter 02 tables: patents, PCT and overseas markets per batch and population (PatSnap 2023,
图表2.2–2.10), and the firm-level-only tables (`outputs` of data/firm_schema.yml)."""

from __future__ import annotations

import pandas as pd

from helpers import stats
from helpers.firmlevel.aggregators.registry import (
    LITTLE_GIANTS,
    POPULATIONS,
    aggregates,
    allowed,
    metrics_by_batch,
    with_published,
)
from helpers.firmlevel.derive import yearly_flow_sums
from helpers.firmlevel.shape import stated


def _bins(values: pd.Series, binning: stats.Binning, labels: list[str]) -> pd.DataFrame:
    counted = stats.bin_counts(values.astype(int).reset_index(drop=True), binning)
    counted["bin"] = labels
    counted["min"] = list(binning.edges)
    counted["max"] = [e - 1 for e in binning.edges[1:]] + [pd.NA]
    return counted


# The label, lower-bound and upper-bound columns of the published distribution tables.
PCT_BIN_COLUMNS = ("pct_bin", "pct_min", "pct_max")
MARKET_BIN_COLUMNS = ("market_bin", "markets_min", "markets_max")


def _binned_table(data, name: str, column: str, binning, columns: tuple[str, str, str]):
    """A distribution table (图表2.8) of the analysed firms' `column`: bin label, its bounds,
    firms and the printed share, in the published table's `columns` (label, min, max)."""
    label, low, high = columns
    counted = _bins(data.firm_values(column), binning, allowed(data, name, label))
    return pd.DataFrame(
        {
            label: counted["bin"],
            low: counted["min"],
            high: counted["max"],
            "firms": counted["firms"],
            "share_stated": [stated(s) for s in counted["share"]],
        }
    )


@aggregates("pct_holdings", needs=("patents",))
def pct_holdings(data) -> pd.DataFrame:
    return _binned_table(data, "pct_holdings", "pct_applications", stats.PCT_BINS, PCT_BIN_COLUMNS)


@aggregates("pct_holdings_by_year", needs=("patents",))
def pct_holdings_by_year(data) -> pd.DataFrame:
    labels = allowed(data, "pct_holdings_by_year", "pct_bin")
    frames = []
    for year in (data.cutoff_year, data.cutoff_year - 1):
        values = data.firm_values(f"pct_through_{year}")
        if values.isna().any():
            continue  # a carry-in row hides the split: that year cannot be binned
        counted = _bins(values, stats.PCT_BINS, labels)
        frames.append(
            pd.DataFrame({"year": year, "pct_bin": counted["bin"], "firms": counted["firms"]})
        )
    return pd.concat(frames, ignore_index=True)


@aggregates("overseas_market_reach", needs=("firms.overseas_markets",))
def overseas_market_reach(data) -> pd.DataFrame:
    name, bins = "overseas_market_reach", stats.OVERSEAS_MARKET_BINS
    return _binned_table(data, name, "overseas_markets", bins, MARKET_BIN_COLUMNS)


@aggregates("pct_growth", needs=("patents", "listings"))
def pct_growth(data) -> pd.DataFrame:
    # The column keeps the published name; the years are the cut-off's growth window.
    years = stats.growth_window(data.cutoff)
    rows = [
        {
            "population": population,
            "pct_cagr_2020_2022_stated": stated(data.metrics_where(where)["pct_cagr_2020_2022"]),
            "start_year": years[0],
            "end_year": years[-1],
        }
        for population, where in POPULATIONS.items()
    ]
    return pd.DataFrame(rows)


def _per_batch(data, columns: list[str], population: str | None = None) -> pd.DataFrame:
    """One row per batch (and 全部) with the group metrics `columns`."""
    rows = []
    for batch, values in metrics_by_batch(data):
        head = {"population": population} if population else {}
        rows.append({**head, "batch": batch, **{c: values[c] for c in columns}})
    return pd.DataFrame(rows)


@aggregates("tech_scale_by_population", needs=("patents",))
def tech_scale_by_population(data) -> pd.DataFrame:
    columns = ["patent_applications_per_firm", "valid_invention_patents_per_firm"]
    mine = _per_batch(data, columns, population=LITTLE_GIANTS)
    return with_published(mine, data.published("tech_scale_by_population"))


@aggregates("tech_influence_by_batch", needs=("patents",))
def tech_influence_by_batch(data) -> pd.DataFrame:
    return _per_batch(data, ["citations_per_firm", "licences_per_firm"])


@aggregates("invention_quality", needs=("patents",))
def invention_quality(data) -> pd.DataFrame:
    values = data.national
    row = {
        "population": LITTLE_GIANTS,
        "invention_share_stated": stated(values["invention_share"]),
        "grant_rate_stated": stated(values["grant_rate"]),
    }
    return with_published(pd.DataFrame([row]), data.published("invention_quality"))


@aggregates("typical_profile", needs=("patents",))
def typical_profile(data) -> pd.DataFrame:
    published = data.published("typical_profile")
    values = data.national
    mine = published[published["population"] == LITTLE_GIANTS][["metric", "population", "unit"]]
    mine = mine.assign(value=[values[m] for m in mine["metric"]])
    order = {m: i for i, m in enumerate(dict.fromkeys(published["metric"]))}
    ranks = {p: i for i, p in enumerate(dict.fromkeys(published["population"]))}
    frame = with_published(mine, published)
    return frame.sort_values(
        ["metric", "population"],
        key=lambda s: s.map(order) if s.name == "metric" else s.map(ranks),
        kind="stable",
    )


# Firm-level only ------------------------------------------------------------------------


@aggregates("patents_per_firm_by_year", needs=("patents",), uses=("listings",))
def patents_per_firm_by_year(data) -> pd.DataFrame:
    """Yearly means of all analysed firms, and of the A-share-listed ones when the folder has
    listings (without, that population has no rows)."""
    flows = ["applications", "invention_applications", "pct_applications"]
    # Years covered by a carry-in row (of any analysed firm) are left out.
    yearly = yearly_flow_sums(data.con, flows, table=data.analysed_sql)
    rows = []
    for index, (population, where) in enumerate(POPULATIONS.items()):
        (size,) = data.aggregate("count(*)", where=where)
        if not size:
            continue
        for year, sums in yearly.items():
            totals = sums[index]
            per_firm = {
                f"{f}_per_firm": stats.per_firm(float(t), size)
                for f, t in zip(flows, totals, strict=True)
            }
            rows.append(
                {
                    "population": population,
                    "year": int(year),
                    "firms": size,
                    **per_firm,
                    "note": f"1月1日至{data.cutoff}" if year == data.cutoff_year else "",
                }
            )
    return pd.DataFrame(rows)


@aggregates("invention_density", needs=("patents", "firms.employees"))
def invention_density(data) -> pd.DataFrame:
    size, patents, employees = data.aggregate(
        "count(*)",
        "coalesce(sum(valid_invention_patents), 0)",
        "coalesce(sum(employees), 0)",
        where="employees IS NOT NULL",
    )
    patents, employees = int(patents), int(employees)
    row = {
        "population": LITTLE_GIANTS,
        "firms": int(size),
        "valid_invention_patents": patents,
        "employees": employees,
        "density": float(stats.patent_density(patents, employees, on_zero="nan")),
    }
    return pd.DataFrame([row])
