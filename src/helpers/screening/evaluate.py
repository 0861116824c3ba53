"""The criteria trees evaluated for a whole firm table at once (numpy, no loop over firms): one
outcome code per firm and rule, the gap to each numeric leaf's threshold, the tiers' outcomes.

Four outcomes, ordered so that `all` is the minimum and `any` the maximum of the children's
codes: NOT_MET < UNKNOWN (the data lacks the attribute) < REVIEW (data cannot decide it: only a
review can) < MET. A `tier` leaf takes the outcome of the lower tier it names (evaluated first),
so a firm meets a tier only if it meets the tiers below it."""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
import pandas as pd

import helpers.screening.values as v
from helpers.screening.attributes import ATTRIBUTES
from helpers.screening.points import Scores, score
from helpers.screening.rules import Rule, load_criteria, root_of

NOT_MET, UNKNOWN, REVIEW, MET = 0, 1, 2, 3
OUTCOMES = {NOT_MET: "not_met", UNKNOWN: "unknown", REVIEW: "review", MET: "met"}


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


def _leaf(rule: Rule, frame: pd.DataFrame, codes: dict, roots: dict):
    """A leaf's codes, and its gaps where it compares a number (else None)."""
    n = len(frame)
    if rule.operator == "review":
        return np.full(n, REVIEW, dtype=np.int8), None
    if rule.operator == "tier":
        return codes[root_of(roots, rule.categories[0]).id].copy(), None
    if rule.operator == "bool":
        flag = v.flags(frame, rule.attribute)
        found = np.where(np.isnan(flag), UNKNOWN, np.where(flag == 1, MET, NOT_MET))
        return found.astype(np.int8), None
    if rule.operator == "in":
        given = v.categories(frame, rule.attribute) != ""
        listed = v.category_positions(frame, rule.attribute, rule.categories) >= 0
        found = np.where(listed, MET, np.where(given, NOT_MET, UNKNOWN))
        return found.astype(np.int8), None
    return _numeric(rule, frame)


@dataclass
class Screening:
    """Outcome codes (NOT_MET / UNKNOWN / REVIEW / MET) per firm and criterion_id, gaps of
    numeric leaves, the points, and which attributes the table lacked altogether."""

    outcomes: pd.DataFrame
    gaps: pd.DataFrame
    roots: dict[str, Rule]
    scores: Scores | None = None
    missing_columns: tuple[str, ...] = ()
    rulebook: object = None  # the helpers.screening.rulebooks.Rulebook screened under, if any
    # helpers.screening.closeness keeps its per-tier arrays here (computed once per result)
    cache: dict = field(default_factory=dict, repr=False, compare=False)

    @property
    def tiers(self) -> pd.DataFrame:
        """One column per tier (root rule) with the outcome codes."""
        return pd.DataFrame({tier: self.outcomes[r.id] for tier, r in self.roots.items()})

    def labelled(self) -> pd.DataFrame:
        """The tiers' outcomes as words: met / not_met / unknown / review."""
        return self.tiers.apply(lambda column: column.map(OUTCOMES))


def evaluate(frame: pd.DataFrame, roots: dict[str, Rule] | None = None) -> Screening:
    """Every rule of the criteria trees (default: 004's) for every row of `frame`, tiers in
    their order (a tier leaf reads a tier evaluated before it)."""
    roots = load_criteria() if roots is None else roots
    frame = v.with_derived(frame)
    codes: dict[str, np.ndarray] = {}
    gaps: dict[str, np.ndarray] = {}
    missing = []

    def visit(rule: Rule) -> np.ndarray:
        if rule.logic == "leaf":
            needed = rule.attribute is not None
            if needed and rule.attribute not in frame.columns and rule.attribute not in missing:
                missing.append(rule.attribute)
            codes[rule.id], gap = _leaf(rule, frame, codes, roots)
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
    """Points first (the score attributes the criteria test), then the criteria trees."""
    scores = score(frame, rules)
    result = evaluate(with_scores(frame, scores), roots)
    result.scores = scores
    return result
