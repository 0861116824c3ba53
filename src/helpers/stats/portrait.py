"""Statistics of the 上奇 portrait of the national-level 专精特新 firms (seed 000), which prints
distributions in bins, totals with their parts and averages beside them: the range of means a
binned distribution allows, average deal size, the mix of patent types against the printed total,
and whether a printed figure agrees with the one recomputed from its parts."""

from __future__ import annotations

import math

import pandas as pd

from helpers.stats.innovation import ratio
from helpers.stats.reconcile import status


def mean_bounds(firms: pd.Series, lower: pd.Series, upper: pd.Series) -> tuple[float, float]:
    """The smallest and largest mean a binned distribution allows: every firm at its bin's lower
    edge (smallest) or upper edge (largest). Unit: that of the edges (万元, 年). An open top bin
    (upper edge missing) holding firms makes the largest mean infinite: the bins then bound the
    mean from below only. Counts must be non-negative with a positive sum; edges aligned with them.

    Example: 4 firms in 50–100万元 and 60 in 100–500万元 → (50·4 + 100·60) / 64 = 96.9万元 and
    (100·4 + 500·60) / 64 = 475万元."""
    firms = pd.Series(firms, dtype=float)
    lower = pd.Series(lower, dtype=float, index=firms.index)
    upper = pd.Series(upper, dtype=float, index=firms.index)
    if (firms < 0).any() or firms.sum() <= 0:
        raise ValueError(
            f"mean_bounds: counts must be non-negative with a positive sum, got {firms.tolist()}"
        )
    if lower.isna().any():
        raise ValueError(f"mean_bounds: every bin needs a lower edge, got {lower.tolist()}")
    closed = upper.notna()
    if (upper[closed] < lower[closed]).any():
        raise ValueError("mean_bounds: a bin's upper edge is below its lower edge")
    total = firms.sum()
    smallest = float((lower * firms).sum() / total)
    if (firms[~closed] > 0).any():
        return smallest, math.inf
    return smallest, float((upper[closed] * firms[closed]).sum() / total)


def position(value: float, low: float, high: float) -> str:
    """Where a value lies against a range: 'below', 'within' (edges included) or 'above'."""
    if low > high:
        raise ValueError(f"position: the range is empty ({low} > {high})")
    if value < low:
        return "below"
    return "above" if value > high else "within"


def average_size(amount, count):
    """Average size per item, e.g. 平均单笔融资额 = financing amount / number of deals. Unit: the
    amount's unit per item (亿元/笔). Scalars or aligned Series; ValueError when a count is zero
    or negative or an amount negative.

    Example: 4046.6亿元 over 2768 deals → 1.4619亿元 per deal."""
    return ratio(amount, count, "amount", "count", "average_size")


def type_mix(
    frame: pd.DataFrame, group: str, part: str, value: str, total: str = "合计"
) -> pd.DataFrame:
    """The parts of each group (rows whose `part` is not `total`) with their share of the parts'
    sum, beside the group's printed total. Columns: group, part, value, share (fraction of the
    parts' sum), parts_sum, stated_total (NaN where no total row is printed). Groups and parts keep
    the table's order.

    Example: 发明 161,400, 实用新型 183,000, 外观 31,700 → parts_sum 376,100; invention share
    161,400 / 376,100 = 42.9%."""
    parts = frame[frame[part] != total]
    totals = frame[frame[part] == total].set_index(group)[value]
    if totals.index.duplicated().any():
        raise ValueError(f"type_mix: several '{total}' rows in one {group}")
    sums = parts.groupby(group, sort=False)[value].transform("sum")
    if (sums <= 0).any():
        raise ValueError(f"type_mix: a {group} whose parts sum to zero")
    return pd.DataFrame(
        {
            group: parts[group].to_numpy(),
            part: parts[part].to_numpy(),
            value: parts[value].to_numpy(),
            "share": (parts[value] / sums).to_numpy(),
            "parts_sum": sums.to_numpy(),
            "stated_total": parts[group].map(totals).astype(float).to_numpy(),
        }
    )


def agrees(stated: float, recomputed: float, decimals: int | None = None) -> bool:
    """Whether a printed figure agrees with the one recomputed from its parts: equal, or within
    half a unit of the printed precision (`decimals`, else the digits of `stated`; -2 = hundreds),
    as in the reconciliation (helpers.stats.reconcile.status)."""
    return status(float(stated), float(recomputed), decimals) != "mismatch"
