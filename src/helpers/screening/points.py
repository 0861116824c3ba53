"""Points of the 评价得分 conditions from the published points rules (`miit_points`), for a whole
firm table at once. Every indicator's points are an interval [low, high]: equal when the firm's
value is known, the indicator's lowest and highest points when it is missing (per_item: what the
known items give, up to what the missing ones could add). Totals add the bounds, so a total reads
"at least low" while any indicator is unknown."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

import helpers.screening.values as v
from helpers.screening.attributes import SCORE_ATTRIBUTES
from helpers.screening.rules import load_points


def band_index(rows: pd.DataFrame, frame: pd.DataFrame, attribute: str) -> np.ndarray:
    """For each firm, the position (0..) in `rows` of the band its `attribute` falls in; -1 when
    the value is missing or falls in no band. `rows` are the band or category rows of one
    attribute."""
    found = np.full(len(frame), -1)
    method = rows["method"].iloc[0]
    if method == "category":
        return v.category_positions(frame, attribute, rows["category"].astype(str).tolist())
    values = v.numbers(frame, attribute)
    for position, (lower, upper, closed) in enumerate(
        zip(rows["lower"], rows["upper"], rows["closed"], strict=True)
    ):
        mask = ~np.isnan(values)
        if not pd.isna(lower):
            mask &= values >= lower if closed == "left" else values > lower
        if not pd.isna(upper):
            mask &= values < upper if closed == "left" else values <= upper
        found[mask & (found < 0)] = position
    return found


def _banded(rows: pd.DataFrame, frame: pd.DataFrame) -> tuple[np.ndarray, np.ndarray]:
    """band / category: the best of the indicator's attributes (上年度研发费用投入: amount or share)."""
    low = np.zeros(len(frame))
    high = np.zeros(len(frame))
    for attribute, group in rows.groupby("attribute", sort=False):
        points = group["points"].to_numpy(dtype=float)
        found = band_index(group, frame, attribute)
        known = found >= 0
        got = np.where(known, points[np.maximum(found, 0)], np.nan)
        low = np.maximum(low, np.where(known, got, points.min()))
        high = np.maximum(high, np.where(known, got, points.max()))
    return low, high


def _indicator(rows: pd.DataFrame, frame: pd.DataFrame) -> tuple[np.ndarray, np.ndarray]:
    method = rows["method"].iloc[0]
    cap = float(rows["max_points"].iloc[0])
    if method in ("band", "category"):
        return _banded(rows, frame)
    if method == "per_step":
        row = rows.iloc[0]
        years = v.numbers(frame, row["attribute"])
        got = np.minimum(np.floor(years / float(row["lower"])) * float(row["points"]), cap)
        got = np.where(years < 0, 0.0, got)
        return np.where(np.isnan(got), 0.0, got), np.where(np.isnan(got), cap, got)
    if method == "per_item":
        items = np.column_stack([v.flags(frame, a) for a in rows["attribute"]])
        points = rows["points"].to_numpy(dtype=float)
        sure = np.where(items == 1, points, 0.0).sum(axis=1)
        maybe = np.where(np.isnan(items), points, 0.0).sum(axis=1)
        return np.minimum(sure, cap), np.minimum(sure + maybe, cap)
    if method == "input":
        got = np.clip(v.numbers(frame, rows["attribute"].iloc[0]), 0, cap)
        return np.where(np.isnan(got), 0.0, got), np.where(np.isnan(got), cap, got)
    raise ValueError(f"points rule {rows['indicator_id'].iloc[0]}: unknown method {method!r}")


@dataclass
class Scores:
    """Points per firm (rows, the firm table's index) and indicator (columns, indicator_id)."""

    low: pd.DataFrame
    high: pd.DataFrame
    # one row per indicator_id: tier, tier_code, dimension, indicator, max_points, method
    indicators: pd.DataFrame

    def _tier_rows(self, tier: str) -> pd.DataFrame:
        """The indicators of a tier given by its code (CX) or by its name in the points rules."""
        rows = self.indicators
        return rows[(rows["tier_code"] == tier) | (rows["tier"] == tier)]

    def _ids(self, tier: str, dimension: str | None = None) -> list[str]:
        rows = self._tier_rows(tier)
        if dimension is not None:
            rows = rows[rows["dimension"] == dimension]
        return rows.index.tolist()

    def total(self, tier: str, dimension: str | None = None) -> tuple[pd.Series, pd.Series]:
        """(low, high) of a tier's total, or of one dimension of it."""
        ids = self._ids(tier, dimension)
        return self.low[ids].sum(axis=1), self.high[ids].sum(axis=1)

    def dimensions(self, tier: str) -> list[str]:
        return list(dict.fromkeys(self._tier_rows(tier)["dimension"]))

    def columns(self) -> pd.DataFrame:
        """The score attributes the criteria test (score_cx_total, …, each with `_max`)."""
        out = {}
        for name, (tier, dimension) in SCORE_ATTRIBUTES.items():
            out[name], out[f"{name}_max"] = self.total(tier, dimension)
        return pd.DataFrame(out, index=self.low.index)


def score(frame: pd.DataFrame, rules: pd.DataFrame | None = None) -> Scores:
    """Points of every firm of `frame` under every points rule (default: the published ones)."""
    rules = load_points() if rules is None else rules
    if "tier_code" not in rules:  # the tier's code is the indicator id's first part: CX.P1 → CX
        rules = rules.assign(tier_code=rules["indicator_id"].astype(str).str.split(".").str[0])
    frame = v.with_derived(frame)
    low, high = {}, {}
    for indicator_id, rows in rules.groupby("indicator_id", sort=False):
        low[indicator_id], high[indicator_id] = _indicator(rows, frame)
    indicators = rules.drop_duplicates("indicator_id").set_index("indicator_id")[
        ["tier", "tier_code", "dimension", "indicator", "max_points", "method"]
    ]
    return Scores(
        pd.DataFrame(low, index=frame.index), pd.DataFrame(high, index=frame.index), indicators
    )
