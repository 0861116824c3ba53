"""Comparing recomputed figures with the published ones: a published share of 49.8% and a
recomputed 0.49818 agree up to the published rounding; 49.8% vs 0.512 is a finding."""

from __future__ import annotations

from decimal import Decimal

import pandas as pd

STATUS_ORDER = {"mismatch": 0, "rounding": 1, "ok": 2}


def stated_decimals(value: float) -> int:
    """Decimal places a published number was printed with (0.498 -> 3, 12950 -> 0)."""
    exponent = Decimal(repr(float(value))).normalize().as_tuple().exponent
    return max(0, -int(exponent))


def status(stated: float, recomputed: float, decimals: int | None = None) -> str:
    """'ok' if equal, 'rounding' if within half a unit of the stated precision, else 'mismatch'."""
    if abs(recomputed - stated) < 1e-12:
        return "ok"
    decimals = stated_decimals(stated) if decimals is None else decimals
    tolerance = 0.5 * 10.0**-decimals + 1e-12
    return "rounding" if abs(recomputed - stated) <= tolerance else "mismatch"


def reconcile(
    items: pd.DataFrame, source: str = "source", item: str = "item", decimals: str | None = None
) -> pd.DataFrame:
    """Table with columns source, item, stated, recomputed, difference, status (mismatches first).

    `items` needs columns `source`, `item`, `stated`, `recomputed` and optionally `decimals`
    (the published precision when the stored value lost it, e.g. 0.40 stored as 0.4)."""
    table = items.rename(columns={source: "source", item: "item"}).copy()
    table["difference"] = table["recomputed"] - table["stated"]
    precision = table[decimals] if decimals and decimals in table else [None] * len(table)
    table["status"] = [
        status(s, r, d if d is None or pd.notna(d) else None)
        for s, r, d in zip(table["stated"], table["recomputed"], precision, strict=True)
    ]
    table = table.sort_values("status", key=lambda s: s.map(STATUS_ORDER), kind="stable")
    return table[["source", "item", "stated", "recomputed", "difference", "status"]].reset_index(
        drop=True
    )
