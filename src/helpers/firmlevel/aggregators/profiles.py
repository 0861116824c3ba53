"""Firm-level-only tables for chapter 03 and the region profiles (notebooks/profile.ipynb):
every province and every city with firms gets the page metrics of 001's five city pages, the
per-firm employees and valid invention patents of 图表3.2 (bubble chart), and its mix by batch,
industry field (firms and patent applications) and listing board. Published data has these for
the five city pages only; declared under `outputs:` in data/firm_schema.yml."""

from __future__ import annotations

import numpy as np
import pandas as pd

from helpers.data import reference
from helpers.data.batches import batch_name
from helpers.firmlevel.aggregators.regions import METRIC_UNITS
from helpers.firmlevel.aggregators.registry import aggregates, allowed, batch_numbers
from helpers.firmlevel.derive import board_reference

EXTRA_UNITS = {
    "firms": "家",
    "employees_per_firm": "人",
    "valid_invention_patents_per_firm": "件/家",
}


def regions(data) -> list[tuple[str, str]]:
    """(level, region) for every province, then every city, that has firms; provinces in
    reference order, cities by firm count (largest first, then by name)."""
    provinces = set(data.counts("province"))
    found = [("province", p) for p in reference.values("provinces", "province") if p in provinces]
    counts = data.counts("city")
    cities = sorted(counts, key=lambda c: (-int(counts[c]), c))
    return found + [("city", city) for city in cities]


@aggregates("region_metrics", needs=("patents", "listings", "firms.overseas_markets"))
def region_metrics(data) -> pd.DataFrame:
    metrics = allowed(data, "region_metrics", "metric")
    units = {**METRIC_UNITS, **EXTRA_UNITS}
    national = data.national
    rows = []
    for level, region in regions(data):
        values = data.metrics_by(level)[region]
        rows += [
            {
                "level": level,
                "region": region,
                "metric": metric,
                "unit": units[metric],
                "value": values[metric],
                "national_avg": np.nan if metric in ("firms", "listed_firms") else national[metric],
            }
            for metric in metrics
        ]
    return pd.DataFrame(rows)


@aggregates("region_breakdowns", uses=("patents", "listings"))
def region_breakdowns(data) -> pd.DataFrame:
    """Firms (and patent applications for fields) per batch, industry field and board. Batches
    need only the firm list; fields need its industry_field column (patent applications are
    left empty without patents), boards need listings."""
    batches = {no: batch_name(no) for no in batch_numbers(data)}
    fields = reference.values("industry_fields", "field")
    boards = board_reference()["board"].tolist()
    counts = {}  # level -> (region, category) -> firms, one query per level and dimension
    for level in ("province", "city"):
        counts[level] = {"batch": data.counts(level, "batch_no")}
        if data.has("firms.industry_field"):
            counts[level]["industry_field"] = data.counts(level, "industry_field")
            counts[level]["applications"] = data.counts(
                level, "industry_field", value="sum(applications)"
            )
        if data.has("listings"):
            # a firm listed on two boards counts on each
            counts[level]["board"] = data.board_counts(level)
    rows = []
    for level, region in regions(data):
        base = {"level": level, "region": region}
        found = counts[level]
        rows += [
            {
                **base,
                "dimension": "batch",
                "category": name,
                "firms": found["batch"].get((region, no), 0),
            }
            for no, name in batches.items()
        ]
        if data.has("firms.industry_field"):
            rows += [
                {
                    **base,
                    "dimension": "industry_field",
                    "category": field,
                    "firms": found["industry_field"].get((region, field), 0),
                    "patent_applications": int(found["applications"].get((region, field), 0))
                    if data.has("patents")
                    else pd.NA,
                }
                for field in fields
            ]
        if data.has("listings"):
            rows += [
                {
                    **base,
                    "dimension": "board",
                    "category": b,
                    "firms": found["board"].get((region, b), 0),
                }
                for b in boards
            ]
    columns = ["level", "region", "dimension", "category", "firms", "patent_applications"]
    return pd.DataFrame(rows, columns=columns)
