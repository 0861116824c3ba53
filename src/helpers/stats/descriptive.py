"""Descriptive statistics of the report: shares, shares within groups, percentage-point gaps, ranks.

Shares are fractions (0–1); a percentage is only a display format."""

from __future__ import annotations

import pandas as pd


def share(part, total):
    """Share of a total: part / total. Unit: fraction (0.498 = 49.8%).

    Works on scalars and aligned Series. A zero or negative total raises ValueError (a share of
    nothing is undefined, and silently returning inf or NaN would hide a data error)."""
    totals = pd.Series(total) if not pd.api.types.is_scalar(total) else pd.Series([total])
    if (totals <= 0).any():
        raise ValueError(f"share: total must be positive, got {total!r}")
    return part / total


def share_of_sum(values: pd.Series) -> pd.Series:
    """Each value's share of the Series' sum. Unit: fraction; the shares sum to 1."""
    return share(values, values.sum())


def share_within(frame: pd.DataFrame, value: str, group: str | list[str]) -> pd.Series:
    """Share of `value` within each group of `group` columns. Unit: fraction; sums to 1 per group.

    Example: firms by (province, industry) -> share of each industry within its province."""
    group_totals = frame.groupby(group)[value].transform("sum")
    if (group_totals <= 0).any():
        empty = frame.loc[group_totals <= 0, group]
        raise ValueError(
            f"share_within: groups with a zero total: {empty.drop_duplicates().values.tolist()}"
        )
    return frame[value] / group_totals


def pp_gap(share_a, share_b):
    """Gap between two shares in percentage points: (a - b) * 100. Unit: pp (5.0 = 5 points)."""
    return (share_a - share_b) * 100


def rank(values: pd.Series, ascending: bool = False) -> pd.Series:
    """Rank, 1 = largest by default; ties share the best rank ('min'), as in league tables
    (1, 2, 2, 4). Unit: position (integer)."""
    return values.rank(ascending=ascending, method="min").astype("Int64")


def top_n_share(values: pd.Series, n: int) -> float:
    """Concentration: share of the total held by the n largest values. Unit: fraction."""
    if n <= 0:
        raise ValueError(f"top_n_share: n must be positive, got {n}")
    return float(values.nlargest(n).sum() / values.sum())


def weighted_mean(values: pd.Series, weights: pd.Series) -> float:
    """Mean of `values` weighted by `weights` (e.g. per-batch averages weighted by each batch's
    firm count gives the all-batch average). Unit: that of `values`. Weights must be
    non-negative with a positive sum, and aligned with the values (same index)."""
    if not values.index.equals(weights.index):
        raise ValueError("weighted_mean: values and weights must have the same index")
    if (weights < 0).any() or weights.sum() <= 0:
        raise ValueError(
            f"weighted_mean: weights must be non-negative with a positive sum, got {weights.tolist()}"
        )
    return float((values * weights).sum() / weights.sum())


def concentration_ratio(values: pd.Series, n: int) -> float:
    """CRn: the share of the total held by the n largest units (CR3, CR5). Unit: fraction.
    Same as top_n_share; named as in the concentration literature."""
    return top_n_share(values, n)


def hhi(values: pd.Series) -> float:
    """Herfindahl–Hirschman index: the sum of squared shares (fractions), between 1/N (equal
    units) and 1 (one unit holds everything). Unit: index (0–1; ×10,000 for the antitrust
    scale). Values must be non-negative with a positive sum."""
    values = pd.Series(values, dtype=float)
    if (values < 0).any() or values.sum() <= 0:
        raise ValueError(
            f"hhi: values must be non-negative with a positive sum, got {values.tolist()}"
        )
    shares = values / values.sum()
    return float((shares**2).sum())


def lorenz_curve(values: pd.Series) -> pd.DataFrame:
    """Points of the Lorenz curve: units sorted from smallest to largest, with the cumulative
    share of units (x) and of the total (y), starting at (0, 0). Unit: fractions."""
    values = pd.Series(values, dtype=float).sort_values(kind="stable").reset_index(drop=True)
    if (values < 0).any() or values.sum() <= 0:
        raise ValueError("lorenz_curve: values must be non-negative with a positive sum")
    n = len(values)
    x = [0.0] + [(i + 1) / n for i in range(n)]
    y = [0.0, *(values.cumsum() / values.sum()).tolist()]
    return pd.DataFrame({"units_share": x, "total_share": y})


def gini(values: pd.Series) -> float:
    """Gini coefficient from the Lorenz curve (trapezoids): 0 = equal, (N-1)/N = all in one.
    Unit: index (0–1)."""
    curve = lorenz_curve(values)
    x, y = curve["units_share"].to_numpy(), curve["total_share"].to_numpy()
    area = float(((x[1:] - x[:-1]) * (y[1:] + y[:-1]) / 2).sum())
    return 1 - 2 * area


def cumulative_share(values: pd.Series) -> pd.Series:
    """Running share of the total in the Series' order (rank tables: top 1, top 2 …). Unit:
    fraction; the last value is 1."""
    return share(values.cumsum(), values.sum())
