"""The screening's rules and tiers in the edition's words (labels `screening.*`), never by their
codes: a tier's name, a condition's name (a leaf by its attribute, a lower tier by that tier's
name, any other rule by `screening.rules.<id>`), what it requires (“不低于3%”, “是”, “Ⅰ类高价值、
自主研发Ⅰ类或Ⅰ类”) and the firm's value as a reader reads it."""

from __future__ import annotations

import math

import pandas as pd

import helpers.screening.reasons as r
from helpers.report.format import format_value, format_with_unit
from helpers.report.labels import label
from helpers.screening.attributes import ATTRIBUTES
from helpers.screening.rules import Rule, root_of

INDENT = "\u2003"  # an em space per level: kept by HTML (not ASCII whitespace), not Chinese


def tier_name(tier: str, language: str = "zh") -> str:
    return label(f"screening.tier_names.{tier}", language)


def tier_short(tier: str, language: str = "zh") -> str:
    return label(f"screening.tiers_short.{tier}", language)


def join_or(items, language: str = "zh") -> str:
    """Alternatives in the edition's punctuation: 甲、乙或丙 / A, B or C."""
    items = [str(i) for i in items]
    if len(items) <= 1:
        return "".join(items)
    separator = label("words.list_separator", language)
    return separator.join(items[:-1]) + label("screening.list_or", language) + items[-1]


def lower_tier(rule: Rule, roots: dict) -> str:
    """The name (as in the data) of the tier a `tier` leaf stands for."""
    code = rule.categories[0]
    return next(tier for tier, root in roots.items() if root.id == code)


def condition_name(rule: Rule, language: str = "zh", roots: dict | None = None) -> str:
    """A condition in plain words: a leaf by the attribute it tests, a lower tier's leaf as
    'meets that tier', any other rule by its own label."""
    if rule.operator == "tier" and roots is not None:
        tier = tier_name(lower_tier(rule, roots), language)
        return label("screening.logic.tier", language, tier=tier)
    if rule.logic == "leaf" and rule.attribute is not None:
        return r.name(rule.attribute, language)
    return label(f"screening.rules.{rule.id.replace('.', '_')}", language)


def threshold_text(rule: Rule, language: str = "zh") -> str:
    unit = ATTRIBUTES[rule.attribute].unit if rule.attribute else rule.unit
    return r.number(rule.threshold, unit, language)


def requirement(rule: Rule, language: str = "zh") -> str:
    """What the condition asks for, without its name: 不低于3%, 是, one of the categories,
    all / one of the conditions below, or what only a review decides."""
    if rule.logic in ("all", "any"):
        key = rule.logic if len(rule.children) > 1 else "single"
        return label(f"screening.requirement.{key}", language, n=len(rule.children))
    if rule.operator == "tier":
        return label("screening.requirement.tier", language)
    if rule.operator == "review":
        if rule.threshold is None:
            return label("screening.requirement.review", language)
        threshold = format_with_unit(rule.threshold, rule.unit, language)
        return label("screening.requirement.review_threshold", language, threshold=threshold)
    if rule.operator == "bool":
        return label("screening.requirement.yes", language)
    if rule.operator == "in":
        names = [r.category_text(c, language) for c in rule.categories]
        return label("screening.requirement.one_of", language, items=join_or(names, language))
    return label(
        "screening.requirement.compare",
        language,
        operator=label(f"screening.operators.{rule.operator}", language),
        threshold=threshold_text(rule, language),
    )


def condition_words(rule: Rule, language: str = "zh", roots: dict | None = None) -> str:
    """The condition as one phrase: its name and what it requires."""
    if rule.logic == "leaf" and rule.operator in (">=", ">", "<=", "<", "bool", "in"):
        return label(
            "screening.logic.named",
            language,
            name=condition_name(rule, language, roots),
            requirement=requirement(rule, language),
        )
    if rule.logic == "leaf":
        return condition_name(rule, language, roots)
    return label(
        "screening.logic.named",
        language,
        name=condition_name(rule, language, roots),
        requirement=requirement(rule, language),
    )


def value_text(rule: Rule, value, language: str = "zh", high=None) -> str:
    """The firm's value of a leaf as a reader reads it ('' when it has none): 是/否, a category,
    a number with its unit (never rounded onto its threshold: 2.999%, not 3.0%, against 3%),
    a range of points."""
    if rule.logic != "leaf" or rule.attribute is None:
        return ""
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return label("screening.value.missing", language)
    attribute = ATTRIBUTES[rule.attribute]
    if attribute.kind == "bool":
        return r.answer(bool(value), language)
    if attribute.kind == "category":
        return r.category_text(str(value), language)
    if high is not None and not math.isclose(float(high), float(value)):
        return label(
            "screening.points.range_short",
            language,
            low=r.number(float(value), attribute.unit, language),
            high=r.number(float(high), attribute.unit, language),
        )
    return r.number_apart(float(value), rule.threshold, attribute.unit, language)


def criteria_display(roots: dict[str, Rule], language: str = "zh") -> pd.DataFrame:
    """The rule trees as a reader's table, one row per rule in reading order: the tier, the
    condition indented by its depth (one left-aligned column: the report's tables right-align
    every column but the first), what it requires, and the trust mark of its source; the rule
    ids stay in the files (`screen_criterion`), never on the page."""
    rows = []
    for tier, root in roots.items():
        depth = {root.id: 0}
        for rule in root.walk():
            if rule.parent in depth:
                depth[rule.id] = depth[rule.parent] + 1
            name = (
                tier_name(tier, language) if rule is root else condition_name(rule, language, roots)
            )
            rows.append(
                {
                    "screen_criterion": rule.id,
                    "screen_condition": f"{INDENT * 2 * depth[rule.id]}{name}",
                    "screen_requirement": requirement(rule, language),
                    "screen_trust": label(f"screening.trust.{rule.trust}", language)
                    if rule.trust
                    else "",
                    "inferred": bool(rule.inferred),
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


def lower_root(rule: Rule, roots: dict) -> Rule:
    """The root of the lower tier a `tier` leaf stands for."""
    return root_of(roots, rule.categories[0])
