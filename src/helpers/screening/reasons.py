"""Why a rule came out as it did, in the edition's words (labels `screening.*`): one sentence
per leaf (“上年度研发费用占营业收入比例 2.1%，低于 3%”), per composite rule and per points
indicator. Numbers go through helpers.report.format; comparisons through helpers.report.words."""

from __future__ import annotations

import math

from helpers.report.format import format_value, format_with_unit
from helpers.report.labels import label, translate
from helpers.report.words import compare, join
from helpers.screening.attributes import ATTRIBUTES
from helpers.screening.evaluate import MET, NOT_MET, OUTCOMES, REVIEW
from helpers.screening.rules import Rule

PERCENT_UNITS = ("share", "rate")


def name(attribute: str, language: str = "zh") -> str:
    """The attribute's words: rd_share → 上年度研发费用占营业收入比例."""
    return label(f"screening.attributes.{attribute}", language)


def number(value, unit: str | None, language: str = "zh") -> str:
    """A value with its unit; whole numbers without decimals (3%, 1,000万元, not 3.0%)."""
    scaled = value * 100 if unit in PERCENT_UNITS else value
    decimals = 0 if math.isclose(scaled, round(scaled), abs_tol=1e-9) else None
    if unit in PERCENT_UNITS:
        return format_value(value, unit, language, decimals=decimals)
    return format_with_unit(value, unit, language, decimals=decimals)


def number_apart(value, threshold, unit: str | None, language: str = "zh") -> str:
    """A firm's value written with enough decimals (up to 4) not to read as its threshold:
    2.999% against 3% is 2.999%, not 3.0% ('must rise from 3.0% to 3%')."""
    if threshold is None or float(value) == float(threshold):
        return number(value, unit, language)
    scale = 100 if unit in PERCENT_UNITS else 1
    scaled, limit = float(value) * scale, float(threshold) * scale
    if round(scaled, 1) != round(limit, 1):  # one decimal tells them apart, as number() writes
        return number(value, unit, language)
    decimals = next((d for d in range(2, 5) if round(scaled, d) != round(limit, d)), 4)
    if unit in PERCENT_UNITS:
        return format_value(value, unit, language, decimals=decimals)
    return format_with_unit(value, unit, language, decimals=decimals)


def answer(value, language: str = "zh") -> str:
    """是 / 否 (yes / no) for a yes/no value."""
    return label(f"screening.answer.{'yes' if value else 'no'}", language)


def gap_text(gap: float, unit: str | None, language: str = "zh") -> str:
    """The shortfall without sign; shares in percentage points (0.9个百分点)."""
    if unit in PERCENT_UNITS:
        return format_with_unit(abs(gap) * 100, "pp", language)
    return number(abs(gap), unit, language)


def outcome_word(code: int, language: str = "zh") -> str:
    return label(f"screening.outcome.{OUTCOMES[int(code)]}", language)


def leaf_reason(
    rule: Rule, value, code: int, language: str = "zh", *, high=None, present: bool = True
) -> str:
    """A leaf's reason from the firm's value (`high`: the upper bound of a score interval)."""
    if rule.operator in ("tier", "review"):
        return label(f"screening.reason.{rule.operator}_{OUTCOMES[int(code)]}", language)
    indicator = name(rule.attribute, language)
    if not present:
        return label(
            "screening.reason.missing_column", language, indicator=indicator, column=rule.attribute
        )
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return label("screening.reason.missing_value", language, indicator=indicator)
    if rule.operator == "bool":
        key = "yes" if code == MET else "no"
        return label(f"screening.reason.{key}", language, indicator=indicator)
    if rule.operator == "in":
        key = "in_met" if code == MET else "in_not_met"
        shown = category_text(str(value), language)
        return label(f"screening.reason.{key}", language, indicator=indicator, value=shown)
    unit = ATTRIBUTES[rule.attribute].unit
    threshold = number(rule.threshold, unit, language)
    if high is not None and not math.isclose(high, value) and code not in (MET, NOT_MET):
        return label(
            "screening.reason.interval",
            language,
            indicator=indicator,
            low=number(value, unit, language),
            high=number(high, unit, language),
            threshold=threshold,
        )
    shown = value if rule.operator in (">=", ">") or high is None else high
    fields = {
        "indicator": indicator,
        "value": number(shown, unit, language),
        "relation": compare(shown, rule.threshold, language),
        "threshold": threshold,
    }
    if code == NOT_MET:
        gap = gap_text(shown - rule.threshold, unit, language)
        return label("screening.reason.compare_gap", language, gap=gap, **fields)
    return label("screening.reason.compare", language, **fields)


def rule_name(rule: Rule, language: str = "zh", roots: dict | None = None) -> str:
    """A rule in words (never its code): a leaf by its attribute, a lower tier by that tier's
    name (`roots`: the trees it belongs to), any other by its label."""
    if rule.logic == "leaf" and rule.attribute is not None:
        return name(rule.attribute, language)
    if rule.operator == "tier" and roots is not None:
        tier = next(t for t, root in roots.items() if root.id == rule.categories[0])
        return label(
            "screening.logic.tier", language, tier=label(f"screening.tier_names.{tier}", language)
        )
    return label(f"screening.rules.{rule.id.replace('.', '_')}", language)


def node_reason(rule: Rule, codes: dict[str, int], language: str = "zh", roots=None) -> str:
    """A composite rule's reason from its children's codes (criterion_id → code)."""
    children = rule.children
    code = codes[rule.id]
    met = [rule_name(c, language, roots) for c in children if codes[c.id] == MET]
    failed = [rule_name(c, language, roots) for c in children if codes[c.id] == NOT_MET]
    unknown = [
        rule_name(c, language, roots) for c in children if codes[c.id] not in (MET, NOT_MET, REVIEW)
    ]
    review = [rule_name(c, language, roots) for c in children if codes[c.id] == REVIEW]
    logic = rule.logic
    if code == MET:
        if logic == "all" and len(children) == 1:
            return label("screening.reason.single_met", language)
        if logic == "all":
            return label("screening.reason.all_met", language, n=len(children))
        return label("screening.reason.any_met", language, items=join(met, language))
    if code == NOT_MET:
        if logic == "all":
            return label("screening.reason.all_not_met", language, items=join(failed, language))
        return label("screening.reason.any_not_met", language, n=len(children))
    if code == REVIEW:
        return label("screening.reason.review", language, items=join(review, language))
    return label(f"screening.reason.{logic}_unknown", language, items=join(unknown, language))


def category_text(value: str, language: str = "zh") -> str:
    return translate(value, language)
