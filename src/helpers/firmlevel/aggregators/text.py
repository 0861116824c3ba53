"""Figures printed in the text (text_figures, region_text_figures): the items firm data can give
are recomputed (rounded as printed; label, bound and unit as published); the others stay
published with their provenance."""

from __future__ import annotations

import numpy as np
import pandas as pd

from helpers import stats
from helpers.firmlevel.aggregators.registry import aggregates


def _recompute_items(
    data,
    name: str,
    values: dict[str, float],
    not_given: tuple[str, ...] = (),
    years: dict[str, tuple[int, int]] | None = None,
) -> pd.DataFrame:
    """The published text-figure table with the items in `values` recomputed (firm-level
    provenance; rounded as printed by shape.finish); the other items stay as published, except
    `not_given`: items whose input is absent from the firm data have no row (a published
    figure of another population would otherwise pass for this data's). `years` gives a
    recomputed item's (start_year, end_year) when the table has those columns."""
    frame = data.published(name).astype(object)
    frame = frame[~frame["item"].isin(not_given)]
    recomputed = frame["item"].isin([k for k, v in values.items() if pd.notna(v)])
    for row in frame.index[recomputed]:
        item = frame.loc[row, "item"]
        frame.loc[row, "value"] = float(values[item])
        if years and item in years and "start_year" in frame.columns:
            frame.loc[row, ["start_year", "end_year"]] = list(years[item])
    for column in ("source_doc", "source_id", "inferred", "note"):
        frame.loc[recomputed, column] = pd.NA
    return frame


def _share(part, total) -> float:
    return stats.share(part, total) if total else np.nan


@aggregates("region_text_figures")
def region_text_figures(data) -> pd.DataFrame:
    n = data.analysed_count
    provinces = pd.Series(data.counts("province"), dtype="int64")
    cities = pd.Series(data.counts("city"), dtype="int64")
    employees, given, yrd = data.aggregate(
        "coalesce(sum(employees), 0)",
        "count(employees)",
        "count(*) FILTER (WHERE cluster = '长三角')",
    )
    values = {
        "top3_provinces_share": _share(provinces.nlargest(3).sum(), n),
        "top3_cities_vs_fourth": stats.multiple(
            float(cities.nlargest(3).mean()), float(cities.nlargest(4).iloc[-1])
        )
        if len(cities) >= 4
        else np.nan,
        "yrd_firms": float(yrd),
        # the integer sum over the firms that give it: the same double as pandas' mean
        "avg_employees_per_firm": float(employees) / given if given else np.nan,
    }
    # The items of an absent optional column (a list as MIIT announces it has no employees).
    needs = {"avg_employees_per_firm": "firms.employees", "top3_cities_vs_fourth": "firms.city"}
    not_given = tuple(item for item, need in needs.items() if not data.has(need))
    return _recompute_items(data, "region_text_figures", values, not_given)


@aggregates(
    "text_figures",
    needs=("patents", "listings", "firms.overseas_markets", "firms.industry_field"),
)
def text_figures(data) -> pd.DataFrame:
    national = data.national
    n = data.analysed_count
    # The items keep their published names (…_2022, …_2020_2022); their years are the
    # cut-off's growth window, in the rows' start_year / end_year.
    window = stats.growth_window(data.cutoff)
    last_year = window[-1]
    latest = f"applications_{last_year}"
    a_share, listed, overseas, key_fields, applications = data.aggregate(
        "count(*) FILTER (WHERE a_share)",
        "count(*) FILTER (WHERE listed)",
        "count(*) FILTER (WHERE overseas_markets > 0)",
        "count(*) FILTER (WHERE key_field)",
        f"CASE WHEN count({latest}) = count(*) THEN sum({latest})::DOUBLE END",
    )
    batch1 = data.metrics_by("batch_no").get(1)
    values = {
        "little_giants_announced": float(data.count("SELECT count(*) FROM firms")),
        "analysed_firms": float(n),
        "a_share_listed_firms": float(a_share),
        "listed_share": _share(listed, n),
        "firms_with_overseas_markets": float(overseas),
        "key_fields_share": _share(key_fields, n),
        # NaN when a carry-in row hides a firm's year
        "patent_applications_2022": applications if n and applications is not None else np.nan,
        "pct_share_of_applications": national["pct_share"],
        "patent_applications_cagr_2020_2022": national["applications_cagr_2020_2022"],
        "batch1_citations_multiple": stats.multiple(
            batch1["citations_per_firm"], national["citations_per_firm"], on_zero="nan"
        )
        if batch1
        else np.nan,
    }
    years = {
        "patent_applications_2022": (last_year, last_year),
        "patent_applications_cagr_2020_2022": (window[0], last_year),
    }
    return _recompute_items(data, "text_figures", values, years=years)
