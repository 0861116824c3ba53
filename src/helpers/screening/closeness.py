"""How close a firm is to a tier, vectorised over the firm table: the conditions of a tier (its
rule tree with nested `all` rules flattened: ZJ = ZJ.1, ZJ.2.a, ZJ.2.b, ZJ.3, ZJ.4), how many of
them a firm would still have to meet (its shortfall), and, for a firm missing exactly one, which.

Shortfall, per firm and rule: a leaf is 0 when met, 1 when not met and unknown (infinite) when its
value is missing; a condition only a review decides counts 0 (the data shows nothing missing); a
lower tier's leaf is that tier's shortfall; `all` adds its children's, `any` takes the smallest.
A firm "misses by exactly one condition" when its shortfall is 1: one condition is not met and
every other one it needs is met or awaits review (an unknown one never counts as met)."""

from __future__ import annotations

import numpy as np
import pandas as pd

from helpers.screening.evaluate import MET, NOT_MET, REVIEW, Screening
from helpers.screening.rules import Rule, root_of


def conditions(root: Rule) -> list[Rule]:
    """The conditions of a tier as a reader counts them: the root's children, with `all`
    children replaced by their own conditions (an `all` of `all`s is one list); an `any` below
    the root is one condition (ZJ.3: revenue, or smaller revenue with financing)."""

    def flatten(rule: Rule, top: bool) -> list[Rule]:
        if rule.logic == "leaf" or (rule.logic == "any" and not top):
            return [rule]
        return [c for child in rule.children for c in flatten(child, False)]

    return flatten(root, True)


def _shortfall(rule: Rule, result: Screening, memo: dict) -> np.ndarray:
    if rule.id in memo:
        return memo[rule.id]
    if rule.operator == "tier":
        value = _shortfall(root_of(result.roots, rule.categories[0]), result, memo)
    elif rule.logic == "leaf":
        codes = result.outcomes[rule.id].to_numpy()
        done = (codes == MET) | (codes == REVIEW)
        value = np.where(done, 0.0, np.where(codes == NOT_MET, 1.0, np.inf))
    else:
        stacked = np.vstack([_shortfall(c, result, memo) for c in rule.children])
        value = stacked.sum(axis=0) if rule.logic == "all" else stacked.min(axis=0)
    memo[rule.id] = value
    return value


def _memo(result: Screening, tier: str) -> dict:
    # One memo for every tier: a tier's leaf reuses the lower tier's shortfall (ids are unique).
    return result.cache.setdefault("shortfall", {})


def shortfall(result: Screening, tier: str) -> pd.Series:
    """Per firm, how many conditions of `tier` it would still have to meet (inf: unknown)."""
    values = _shortfall(result.roots[tier], result, _memo(result, tier))
    return pd.Series(values, index=result.outcomes.index)


def missing_one(result: Screening, tier: str) -> pd.Series:
    """Firms that do not meet `tier` and miss it by exactly one condition (True)."""
    not_met = result.outcomes[result.roots[tier].id] == NOT_MET
    return not_met & (shortfall(result, tier) == 1)


def blocker(result: Screening, tier: str) -> pd.Series:
    """For each firm that misses `tier` by exactly one condition: the criterion_id of that
    condition (one of `conditions(root)`); None for every other firm. Under an `any`, the first
    alternative that is one condition away is named."""
    key = ("blocker", tier)
    if key in result.cache:
        return result.cache[key]
    root = result.roots[tier]
    units = {rule.id for rule in conditions(root)}
    memo = _memo(result, tier)
    n = len(result.outcomes)

    def visit(rule: Rule) -> np.ndarray:
        """criterion_id of the single missing condition where this rule's shortfall is 1."""
        short = _shortfall(rule, result, memo)
        if rule.id in units:
            return np.where(short == 1, rule.id, None).astype(object)
        found = np.full(n, None, dtype=object)
        for child in rule.children:
            child_short = _shortfall(child, result, memo)
            take = (short == 1) & (child_short == 1) & pd.isna(found)
            if take.any():
                found = np.where(take, visit(child), found)
        return found

    found = pd.Series(visit(root), index=result.outcomes.index, dtype=object)
    result.cache[key] = found.where(result.outcomes[root.id] == NOT_MET, None)
    return result.cache[key]


def condition_outcomes(result: Screening, tier: str) -> pd.DataFrame:
    """Outcome codes of the tier's conditions (columns in the order of `conditions`)."""
    return result.outcomes[[rule.id for rule in conditions(result.roots[tier])]]
