"""The screening's rules and tiers in the edition's words (labels `screening.*`): a tier's name,
a condition's name (a leaf by its attribute, a composite rule by `screening.rules`) and the
condition as a sentence (“上年度研发费用占营业收入比例不低于3%”)."""

from __future__ import annotations

import pandas as pd

import helpers.screening.reasons as r
from helpers.report.format import format_value, format_with_unit
from helpers.report.labels import label
from helpers.screening.attributes import ATTRIBUTES
from helpers.screening.rules import Rule

INDENT = "\u2003"  # an em space per level: kept by HTML (not ASCII whitespace), not Chinese


def tier_name(tier: str, language: str = "zh") -> str:
    return label(f"screening.tier_names.{tier}", language)


def tier_short(tier: str, language: str = "zh") -> str:
    return label(f"screening.tiers_short.{tier}", language)


def condition_name(rule: Rule, language: str = "zh") -> str:
    if rule.logic == "leaf":
        return r.name(rule.attribute, language)
    return label(f"screening.rules.{rule.id.replace('.', '_')}", language)


def condition_words(rule: Rule, language: str = "zh") -> str:
    """The rule as one sentence: a leaf's test, a composite's name and how many of its
    children it needs."""
    if rule.logic in ("all", "any"):
        return label(
            f"screening.logic.{rule.logic if len(rule.children) > 1 else 'single'}",
            language,
            name=condition_name(rule, language),
            n=len(rule.children),
        )
    indicator = r.name(rule.attribute, language)
    if rule.operator == "bool":
        return label("screening.logic.bool", language, indicator=indicator)
    return label(
        "screening.logic.compare",
        language,
        indicator=indicator,
        operator=label(f"screening.operators.{rule.operator}", language),
        threshold=r.number(rule.threshold, ATTRIBUTES[rule.attribute].unit, language),
    )


def criteria_display(roots: dict[str, Rule], language: str = "zh") -> pd.DataFrame:
    """The criteria tree as a reader's table: `screen_condition` = id and condition, indented by
    depth (one left-aligned column: the report's tables right-align every column but the
    first); `screen_criterion` and, in Chinese, `screen_text` (the text as 004 prints it) for the files."""
    rows = []
    for root in roots.values():
        depth = {root.id: 0}
        for rule in root.walk():
            if rule.parent in depth:
                depth[rule.id] = depth[rule.parent] + 1
            words = condition_words(rule, language)
            rows.append(
                {
                    "screen_criterion": rule.id,
                    "screen_condition": f"{INDENT * 2 * depth[rule.id]}{rule.id}{INDENT}{words}",
                    **({"screen_text": rule.text} if language == "zh" else {}),
                }
            )
    return pd.DataFrame(rows)


def value_threshold_gap(
    value: float, threshold: float, gap: float, unit: str | None, language: str
):
    """The firm's value, the threshold and the gap as text, with as many decimals as it takes
    for the value not to read as the threshold (2.998% is not shown as 3.0% against 3%)."""
    percent = unit in r.PERCENT_UNITS
    scale = 100 if percent else 1
    decimals = 0
    while decimals < 4 and round(value * scale, decimals) == round(threshold * scale, decimals):
        decimals += 1
    if percent:
        shown = format_value(value, unit, language, decimals=max(decimals, 1))
        gap_text = format_with_unit(abs(gap) * 100, "pp", language, decimals=max(decimals, 1))
    else:
        shown = format_with_unit(value, unit, language, decimals=decimals)
        gap_text = format_with_unit(abs(gap), unit, language, decimals=decimals)
    return shown, r.number(threshold, unit, language), gap_text
