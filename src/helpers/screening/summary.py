"""What the screening chapter shows, as tables computed over the whole firm table at once: firms
per tier and outcome (met / awaiting review / not met / unknown / missing exactly one condition), the same by a
group column (province, industry field), the conditions that block most often, the closest
candidates with their gap, and the criteria tree as readable rows."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd

import helpers.screening.closeness as closeness
import helpers.screening.values as v
from helpers.screening.attributes import ATTRIBUTES
from helpers.screening.evaluate import MET, NOT_MET, REVIEW, UNKNOWN, Screening, with_scores
from helpers.screening.rules import Rule

COUNTS = ("met", "review", "not_met", "unknown", "missing_one")


def read_firms(tables_dir: Path) -> pd.DataFrame:
    """The validated firms of aggregated firm-level data (the published-shaped folder the build
    made of the export: helpers.firmlevel.tables.read_firm_rows). An attribute column absent
    from the export is left out (a missing attribute, derived where it can be:
    helpers.screening.values), not kept as a column of empty cells."""
    from helpers.firmlevel.tables import given_firm_columns, read_firm_rows

    firms = read_firm_rows(Path(tables_dir))
    if firms is None:
        raise ValueError(f"read_firms: {tables_dir} holds no firm-level data")
    given = given_firm_columns(Path(tables_dir))
    return firms.drop(columns=[c for c in ATTRIBUTES if c in firms and c not in given])


def outcome_flags(result: Screening, tier: str) -> pd.DataFrame:
    """One boolean column per count of COUNTS for `tier` (missing_one is part of not_met)."""
    codes = result.tiers[tier]
    return pd.DataFrame(
        {
            "met": codes == MET,
            "review": codes == REVIEW,
            "not_met": codes == NOT_MET,
            "unknown": codes == UNKNOWN,
            "missing_one": closeness.missing_one(result, tier),
        }
    )


def tier_counts(result: Screening) -> pd.DataFrame:
    """One row per tier: firms, met, review (every condition the data decides is met; the
    rest only a review decides), not_met, unknown, missing_one."""
    rows = []
    for tier in result.roots:
        flags = outcome_flags(result, tier)
        rows.append({"tier": tier, "firms": len(flags), **flags.sum().astype(int).to_dict()})
    return pd.DataFrame(rows)


def counts_by(result: Screening, groups: pd.Series, order: list[str] | None = None) -> pd.DataFrame:
    """Per group (e.g. province): firms, then per tier `<tier>|met`, `|review`, `|unknown`,
    `|missing_one`
    (a wide table, tiers in the criteria's order). Groups by firms, largest first, unless
    `order` is given; groups without firms have no row. Counted with one factorisation of the
    groups and np.bincount (no per-group Python work)."""
    codes, uniques = pd.factorize(pd.Series(groups.to_numpy()).fillna(""), sort=True)
    size = len(uniques)
    table = pd.DataFrame({"group": uniques, "firms": np.bincount(codes, minlength=size)})
    for tier in result.roots:
        flags = outcome_flags(result, tier)
        for outcome in ("met", "review", "unknown", "missing_one"):
            weights = flags[outcome].to_numpy(dtype=float)
            counted = np.bincount(codes, weights=weights, minlength=size)
            table[f"{tier}|{outcome}"] = counted.astype(np.int64)
    if order is not None:
        position = {g: i for i, g in enumerate(order)}
        table = table[table["group"].isin(position)]
        table = table.sort_values("group", key=lambda s: s.map(position), kind="stable")
    else:
        table = table.sort_values("firms", ascending=False, kind="stable")
    return table.reset_index(drop=True)


def blocking(result: Screening) -> pd.DataFrame:
    """One row per tier and condition: `not_met` = firms not meeting the tier for which this
    condition is not met; `only_blocker` = firms for which it is the one condition missing."""
    rows = []
    for tier, root in result.roots.items():
        failed = result.tiers[tier] == NOT_MET
        blockers = closeness.blocker(result, tier)
        for rule in closeness.conditions(root):
            not_met = int(((result.outcomes[rule.id] == NOT_MET) & failed).sum())
            rows.append(
                {
                    "tier": tier,
                    "criterion_id": rule.id,
                    "not_met": not_met,
                    "only_blocker": int((blockers == rule.id).sum()),
                }
            )
    return pd.DataFrame(rows)


def _leaves(roots: dict[str, Rule]) -> dict[str, Rule]:
    return {r.id: r for root in roots.values() for r in root.walk()}


def candidates(result: Screening, firms: pd.DataFrame) -> pd.DataFrame:
    """Firms missing exactly one condition of a tier, one row per firm and tier: the firm's
    id, name, province and industry field, the condition, the firm's value, the threshold, the
    gap (value − threshold, in the rule's unit) and `closeness` (|gap| / threshold; NaN for a
    yes/no or composite condition). Sorted by tier, then closest first."""
    rules = _leaves(result.roots)
    chosen_rows = pd.concat([closeness.blocker(result, t).dropna() for t in result.roots]).index
    rows = firms.index.isin(chosen_rows)
    scores = result.scores
    # Values only for the candidates: deriving and scoring the whole table again is not needed.
    picked = type(scores)(scores.low[rows], scores.high[rows], scores.indicators)
    prepared = with_scores(v.with_derived(firms[rows]), picked)
    parts = []
    for tier in result.roots:
        blockers = closeness.blocker(result, tier)
        chosen = blockers.dropna()
        if chosen.empty:
            continue
        part = pd.DataFrame(
            {
                "tier": tier,
                "firm_id": firms.loc[chosen.index, "firm_id"].to_numpy(),
                "name": firms.loc[chosen.index, "name"].to_numpy(),
                "province": firms.loc[chosen.index, "province"].to_numpy(),
                "industry_field": firms.loc[chosen.index, "industry_field"].to_numpy(),
                "criterion_id": chosen.to_numpy(),
            },
            index=chosen.index,
        )
        value = np.full(len(part), np.nan)
        gap = np.full(len(part), np.nan)
        threshold = np.full(len(part), np.nan)
        for criterion_id in part["criterion_id"].unique():
            rule = rules[criterion_id]
            mask = (part["criterion_id"] == criterion_id).to_numpy()
            if not rule.numeric:
                continue
            rows = part.index[mask]
            value[mask] = v.numbers(prepared.loc[rows], rule.attribute)
            gap[mask] = result.gaps.loc[rows, criterion_id].to_numpy(dtype=float)
            threshold[mask] = rule.threshold
        part["value"], part["threshold"], part["gap"] = value, threshold, gap
        with np.errstate(divide="ignore", invalid="ignore"):
            part["closeness"] = np.abs(gap) / np.abs(threshold)
        part["unit"] = [
            ATTRIBUTES[rules[c].attribute].unit if rules[c].numeric else None
            for c in part["criterion_id"]
        ]
        parts.append(part.sort_values(["closeness", "firm_id"], kind="stable", na_position="last"))
    columns = ["tier", "firm_id", "name", "province", "industry_field", "criterion_id"]
    columns += ["value", "threshold", "gap", "closeness", "unit"]
    if not parts:
        return pd.DataFrame(columns=columns)
    return pd.concat(parts, ignore_index=True)[columns]


def criteria_rows(roots: dict[str, Rule]) -> pd.DataFrame:
    """The criteria tree as rows in reading order: tier, criterion_id, depth, logic, the rule
    (attribute, operator, threshold, unit for a leaf; number of children for a composite) and
    its published text."""
    rows = []
    for tier, root in roots.items():
        depth = {root.id: 0}
        for rule in root.walk():
            if rule.parent in depth:
                depth[rule.id] = depth[rule.parent] + 1
            rows.append(
                {
                    "tier": tier,
                    "criterion_id": rule.id,
                    "depth": depth[rule.id],
                    "logic": rule.logic,
                    "attribute": rule.attribute,
                    "operator": rule.operator,
                    "threshold": rule.threshold,
                    "unit": rule.unit,
                    "children": len(rule.children),
                    "text": rule.text,
                }
            )
    return pd.DataFrame(rows)
