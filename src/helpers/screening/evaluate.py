"""The criteria tree evaluated for a whole firm table at once (numpy, no loop over firms): one
outcome code per firm and rule, the gap to each numeric leaf's threshold, the tiers' outcomes."""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
import pandas as pd

import helpers.screening.values as v
from helpers.screening.attributes import ATTRIBUTES
from helpers.screening.points import Scores, score
from helpers.screening.rules import Rule, load_criteria

# Ordered so that `all` is the minimum and `any` the maximum of the children's codes.
NOT_MET, UNKNOWN, MET = 0, 1, 2
OUTCOMES = {NOT_MET: "not_met", UNKNOWN: "unknown", MET: "met"}


def _numeric(rule: Rule, frame: pd.DataFrame) -> tuple[np.ndarray, np.ndarray]:
    """Codes and gaps (value − threshold, in the rule's unit) of a numeric leaf. A score
    attribute with a `<name>_max` column is an interval: met only when its whole range passes."""
    low = v.numbers(frame, rule.attribute)
    high = v.numbers(frame, f"{rule.attribute}_max") if f"{rule.attribute}_max" in frame else low
    high = np.where(np.isnan(high), low, high)
    t = rule.threshold
    with np.errstate(invalid="ignore"):
        if rule.operator == ">=":
            met, failed, gap = low >= t, high < t, low - t
        elif rule.operator == ">":
            met, failed, gap = low > t, high <= t, low - t
        elif rule.operator == "<=":
            met, failed, gap = high <= t, low > t, high - t
        elif rule.operator == "<":
            met, failed, gap = high < t, low >= t, high - t
        else:
            raise ValueError(f"criterion {rule.id}: unknown operator {rule.operator!r}")
    codes = np.where(met, MET, np.where(failed, NOT_MET, UNKNOWN)).astype(np.int8)
    return codes, gap.astype(np.float32)


def _leaf(rule: Rule, frame: pd.DataFrame) -> tuple[np.ndarray, np.ndarray | None]:
    if rule.operator == "bool":
        flag = v.flags(frame, rule.attribute)
        codes = np.where(np.isnan(flag), UNKNOWN, np.where(flag == 1, MET, NOT_MET))
        return codes.astype(np.int8), None
    return _numeric(rule, frame)


@dataclass
class Screening:
    """Outcome codes (NOT_MET / UNKNOWN / MET) per firm and criterion_id, gaps of numeric leaves,
    the points, and which attributes the table lacked altogether."""

    outcomes: pd.DataFrame
    gaps: pd.DataFrame
    roots: dict[str, Rule]
    scores: Scores | None = None
    missing_columns: tuple[str, ...] = ()
    # helpers.screening.closeness keeps its per-tier arrays here (computed once per result)
    cache: dict = field(default_factory=dict, repr=False, compare=False)

    @property
    def tiers(self) -> pd.DataFrame:
        """One column per tier (root rule) with the outcome codes."""
        return pd.DataFrame({tier: self.outcomes[r.id] for tier, r in self.roots.items()})

    def labelled(self) -> pd.DataFrame:
        """The tiers' outcomes as words: met / not_met / unknown."""
        return self.tiers.apply(lambda column: column.map(OUTCOMES))

    def blocking(self, tier: str) -> pd.DataFrame:
        """For firms that do not meet `tier`: which of its root's direct conditions are not met
        (True) — the conditions that block it. Unknown conditions are not counted as blocking."""
        root = self.roots[tier]
        ids = [child.id for child in root.children] if root.logic == "all" else [root.id]
        return self.outcomes[ids] == NOT_MET

    def missing_one(self, tier: str) -> pd.Series:
        """Firms for which exactly one direct condition of an `all` tier is not met and every
        other is met: the closest candidates."""
        root = self.roots[tier]
        ids = [child.id for child in root.children]
        codes = self.outcomes[ids]
        return ((codes == NOT_MET).sum(axis=1) == 1) & ((codes == MET).sum(axis=1) == len(ids) - 1)


def evaluate(frame: pd.DataFrame, roots: dict[str, Rule] | None = None) -> Screening:
    """Every rule of the criteria tree (default: the published one) for every row of `frame`."""
    roots = load_criteria() if roots is None else roots
    frame = v.with_derived(frame)
    codes: dict[str, np.ndarray] = {}
    gaps: dict[str, np.ndarray] = {}
    missing = []

    def visit(rule: Rule) -> np.ndarray:
        if rule.logic == "leaf":
            if rule.attribute not in frame.columns and rule.attribute not in missing:
                missing.append(rule.attribute)
            codes[rule.id], gap = _leaf(rule, frame)
            if gap is not None:
                gaps[rule.id] = gap
            return codes[rule.id]
        stacked = np.vstack([visit(child) for child in rule.children])
        combine = np.min if rule.logic == "all" else np.max
        codes[rule.id] = combine(stacked, axis=0).astype(np.int8)
        return codes[rule.id]

    for root in roots.values():
        visit(root)
    ordered = [r.id for root in roots.values() for r in root.walk()]
    return Screening(
        outcomes=pd.DataFrame({i: codes[i] for i in ordered}, index=frame.index),
        gaps=pd.DataFrame(gaps, index=frame.index),
        roots=roots,
        missing_columns=tuple(m for m in missing if m in ATTRIBUTES),
    )


def with_scores(frame: pd.DataFrame, scores: Scores) -> pd.DataFrame:
    """The frame with the score attributes the criteria test (score_cx_total, …, with `_max`
    upper bounds). A firm table's own score columns are used where given, as exact values."""
    computed = scores.columns()
    own = [c for c in computed.columns if c in frame.columns]
    merged = frame.assign(**computed.drop(columns=own))
    for column in own:
        if not column.endswith("_max") and f"{column}_max" not in frame.columns:
            merged[f"{column}_max"] = merged[column]
    return merged


def screen(frame: pd.DataFrame, roots=None, rules=None) -> Screening:
    """Points first (the score attributes the criteria test), then the criteria tree."""
    scores = score(frame, rules)
    result = evaluate(with_scores(frame, scores), roots)
    result.scores = scores
    return result
