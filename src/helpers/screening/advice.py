"""What would have to change for a firm to meet a tier it does not meet, in the edition's words:
one line per condition of the tier (helpers.screening.closeness.conditions) that is not met
(“上年度主营业务收入占营业收入比重须由85%提高到90%”), that the data cannot decide (the
attribute is missing: data to add), or that only a review decides. Conditions with
alternatives (`any`) say each way out; a lower tier not met points at that tier's own lines."""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

import helpers.screening.closeness as closeness
import helpers.screening.present as present
from helpers.report import words
from helpers.report.labels import label
from helpers.screening.evaluate import MET, NOT_MET, OUTCOMES, REVIEW, UNKNOWN, Screening
from helpers.screening.rules import Rule


@dataclass(frozen=True)
class Change:
    """One condition of a tier the firm does not meet: `kind` is not_met / unknown / review,
    `criterion_id` the condition's id (for the files, never shown), `text` the sentence."""

    kind: str
    criterion_id: str
    text: str
    name: str = ""  # the condition in words (lines that only name it are grouped on a card)


def _value(frame: pd.DataFrame, column: str):
    if column not in frame.columns:
        return None
    value = frame[column].iloc[0]
    return None if pd.isna(value) else value


def _leaf_change(rule: Rule, frame: pd.DataFrame, language: str, roots: dict) -> str:
    name = words.mid_sentence(present.condition_name(rule, language, roots), language)
    if rule.operator == "tier":
        tier = present.tier_name(present.lower_tier(rule, roots), language)
        return label("screening.change.tier", language, tier=tier)
    if rule.operator == "bool":
        return label("screening.change.yes", language, name=name)
    if rule.operator == "in":
        value = _value(frame, rule.attribute)
        return label(
            "screening.change.one_of",
            language,
            name=name,
            value=present.value_text(rule, value, language),
            requirement=present.requirement(rule, language),
        )
    value = _value(frame, rule.attribute)
    high = _value(frame, f"{rule.attribute}_max")
    shown = value if rule.operator in (">=", ">") or high is None else high
    direction = "raise" if rule.operator in (">=", ">") else "lower"
    strict = "_strict" if rule.operator in (">", "<") else ""
    return label(
        f"screening.change.{direction}{strict}",
        language,
        name=name,
        value=present.value_text(rule, shown, language),
        threshold=present.threshold_text(rule, language),
    )


def _change(rule: Rule, codes: dict, frame: pd.DataFrame, language: str, roots: dict) -> str:
    """The sentence for a condition that is not met (a leaf, or alternatives / all of)."""
    if rule.logic == "leaf":
        return _leaf_change(rule, frame, language, roots)
    failing = [c for c in rule.children if codes[c.id] != MET]
    parts = [_change(c, codes, frame, language, roots) for c in failing]
    if rule.logic == "any":
        return label("screening.change.any", language, items=present.join_or(parts, language))
    return label("words.clause_separator", language).join(parts)


def changes(result: Screening, prepared: pd.DataFrame, tier: str, language: str) -> list[Change]:
    """For the one firm of `result` (a one-row screening; `prepared`: its row with the derived
    and score attributes), what would have to change for it to meet `tier`: the conditions not
    met first, then those lacking data, then those only a review decides. Empty when it meets
    the tier."""
    roots = result.roots
    root = roots[tier]
    if int(result.outcomes[root.id].iloc[0]) == MET:
        return []
    codes = {rule_id: int(result.outcomes[rule_id].iloc[0]) for rule_id in result.outcomes}
    found = {"not_met": [], "unknown": [], "review": []}
    for rule in closeness.conditions(root):
        code = codes[rule.id]
        if rule.operator == "tier" and code in (UNKNOWN, REVIEW):
            # the lower tier's own lines say what it lacks: point at them
            text = _leaf_change(rule, prepared, language, roots)
            found[OUTCOMES[code]].append(Change(OUTCOMES[code], rule.id, text))
        elif code == NOT_MET:
            text = _change(rule, codes, prepared, language, roots)
            found["not_met"].append(Change("not_met", rule.id, text))
        elif code == UNKNOWN:
            name = words.mid_sentence(present.condition_name(rule, language, roots), language)
            text = label("screening.change.unknown", language, name=name)
            found["unknown"].append(Change("unknown", rule.id, text, name))
        elif code == REVIEW:
            name = words.mid_sentence(present.condition_name(rule, language, roots), language)
            text = label("screening.change.review", language, name=name)
            found["review"].append(Change("review", rule.id, text, name))
    return [*found["not_met"], *found["unknown"], *found["review"]]
