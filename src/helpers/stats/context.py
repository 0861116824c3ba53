"""Statistics of the national-context chapter (seeds 002–004): the tier pyramid 创新型 → 专精特新
→ 小巨人, growth implied by a stated "比2018年末增长51%", the remainder of a share distribution whose
minor parts were not printed, and the MIIT recognition criteria as a numbered outline.

Fractions are fractions (0.51 = 51%); the rates and multiples reuse helpers.stats.innovation, so
their validation (finite numbers, positive denominators) is the same everywhere."""

from __future__ import annotations

import math

import pandas as pd

from helpers.stats.innovation import cagr, multiple, scalar


def base_from_growth(end_value, growth) -> float:
    """The base-year value implied by an end value and its stated growth since the base year,
    e.g. 5200万户 in 2022, "比2018年末增长51%" → 5200万 / 1.51 = 3444万 in 2018.

    Unit: the end value's. Formula: end_value / (1 + growth). ValueError when growth <= -1 (no
    base grows into a positive value that way) or end_value < 0."""
    end_value = scalar(end_value, "end_value", "base_from_growth")
    growth = scalar(growth, "growth", "base_from_growth")
    if growth <= -1:
        raise ValueError(f"base_from_growth: growth must be > -1 (a fraction), got {growth:g}")
    if end_value < 0:
        raise ValueError(f"base_from_growth: end_value must be >= 0, got {end_value:g}")
    return end_value / (1 + growth)


def cagr_from_growth(growth, base_year: int, end_year: int) -> float:
    """Compound annual growth implied by a total growth over base_year → end_year (51% over
    2018–2022 → 1.51 ** (1/4) − 1 = 10.85%/yr), through helpers.stats.cagr on an index series
    {base_year: 1, end_year: 1 + growth}. Unit: fraction per year. Errors as stats.cagr."""
    growth = scalar(growth, "growth", "cagr_from_growth")
    if growth <= -1:
        raise ValueError(f"cagr_from_growth: growth must be > -1 (a fraction), got {growth:g}")
    return cagr({base_year: 1.0, end_year: 1 + growth})


def growth_index(growth, base: float = 100.0) -> float:
    """The end value of an index that is `base` in the base year: 51% growth → 151; a stated
    multiple m is growth m − 1 (1.3倍 → 130)."""
    growth = scalar(growth, "growth", "growth_index")
    if growth <= -1:
        raise ValueError(f"growth_index: growth must be > -1 (a fraction), got {growth:g}")
    return base * (1 + growth)


def tier_pyramid(tiers: pd.DataFrame, tier: str, firms: str, order: list[str]) -> pd.DataFrame:
    """The tiers from the base of the pyramid to its top (`order`), each with its count and its
    size relative to the tier below (专精特新 ÷ 创新型 = 98,000 ÷ 200,000 = 0.49) and to the base.

    Columns added: level (1 = base), share_of_below (NaN at the base), share_of_base. ValueError
    naming the tier when a tier of `order` is missing or given twice."""
    counts = tiers[tier].value_counts()
    for name in order:
        if counts.get(name, 0) != 1:
            found = int(counts.get(name, 0))
            raise ValueError(f"tier_pyramid: tier {name!r} must appear once, found {found} rows")
    table = tiers.set_index(tier).loc[order].reset_index()
    values = table[firms].astype(float)
    table["level"] = range(1, len(table) + 1)
    below = values.shift(1)
    table["share_of_below"] = [
        math.nan if pd.isna(b) else multiple(v, b) for v, b in zip(values, below, strict=True)
    ]
    table["share_of_base"] = [multiple(v, values.iloc[0]) for v in values]
    return table


def remainder_share(shares: pd.Series) -> float:
    """The share left to the parts that were not printed: 1 − the printed shares (61.4% + 22.9%
    + 9.0% printed → 6.7% for the other industries). NaN entries are the unprinted parts and are
    skipped. ValueError when the printed shares exceed 1 (by more than rounding, 0.001)."""
    printed = shares.dropna().astype(float)
    total = float(printed.sum())
    if total > 1.001:
        raise ValueError(f"remainder_share: the printed shares add up to {total:.4f}, above 1")
    return max(0.0, 1 - total)


def shown_decimals(value: float, scale: int = 0, most: int = 2) -> int:
    """The fewest decimals (at most `most`) that show `value` × 10**scale exactly: 0.03 as a
    percentage (scale 2) → 0 ("3%"), 0.035 → 1 ("3.5%"), 1000 → 0."""
    scaled = scalar(value, "value", "shown_decimals") * 10**scale
    for decimals in range(most + 1):
        if abs(round(scaled, decimals) - scaled) < 1e-9:
            return decimals
    return most


def criteria_outline(criteria: pd.DataFrame) -> pd.DataFrame:
    """The rule tree of `miit_criteria` (criterion_id, parent_id, tier) in reading order, each
    row with its depth (0 = a tier's root) and its outline number within the tier: children of
    the root are 1, 2, 3 …, theirs 1.1, 1.2 …, in the order of the table.

    ValueError naming the criterion for a duplicate id, an unknown parent, a parent in another
    tier, or a row that cannot be reached from a root (a cycle)."""
    duplicated = criteria["criterion_id"][criteria["criterion_id"].duplicated()]
    if len(duplicated):
        raise ValueError(f"criteria_outline: duplicate criterion_id {duplicated.iloc[0]!r}")
    by_id = criteria.set_index("criterion_id", drop=False)
    children: dict[str | None, list[str]] = {}
    for row in criteria.itertuples(index=False):
        parent = None if pd.isna(row.parent_id) else str(row.parent_id)
        if parent is not None:
            if parent not in by_id.index:
                raise ValueError(
                    f"criteria_outline: criterion {row.criterion_id!r} has unknown parent {parent!r}"
                )
            if by_id.loc[parent, "tier"] != row.tier:
                raise ValueError(
                    f"criteria_outline: criterion {row.criterion_id!r} is in tier {row.tier!r} "
                    f"but its parent {parent!r} is not"
                )
        children.setdefault(parent, []).append(str(row.criterion_id))
    rows: list[dict] = []

    def visit(criterion: str, depth: int, number: str) -> None:
        rows.append({"criterion_id": criterion, "depth": depth, "outline": number})
        for i, child in enumerate(children.get(criterion, []), start=1):
            visit(child, depth + 1, f"{number}.{i}" if number else str(i))

    for root in children.get(None, []):
        visit(root, 0, "")
    unreached = [c for c in criteria["criterion_id"] if c not in {r["criterion_id"] for r in rows}]
    if unreached:
        raise ValueError(f"criteria_outline: criterion {unreached[0]!r} is not under any root")
    outline = pd.DataFrame(rows)
    return outline.merge(criteria, on="criterion_id", how="left", validate="1:1")
