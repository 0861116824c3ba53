"""One firm's assessment, like 004's worked examples: tier by tier, condition by condition with its
outcome, value, threshold, gap and reason, and the points of every indicator with their bounds."""

from __future__ import annotations

import math
from dataclasses import dataclass

import pandas as pd

import helpers.screening.present as present
import helpers.screening.reasons as r
import helpers.screening.values as v
from helpers.report.format import format_with_unit
from helpers.report.labels import label
from helpers.screening.attributes import ATTRIBUTES
from helpers.screening.evaluate import OUTCOMES, screen, with_scores
from helpers.screening.points import band_index
from helpers.screening.rules import load_points


@dataclass
class Assessment:
    """`conditions`: one row per criterion (tier, criterion_id, depth, logic, text, outcome,
    value, threshold, unit, gap, reason, and in words: name, requirement, value_words);
    `points`: one row per indicator (tier, dimension, indicator_id, low, high, max_points,
    reason); `totals`: per tier and dimension ('' = the total) low, high, max_points and the
    words; `tiers`: tier → met / review / not_met / unknown; `prepared`: the firm's row with its
    derived and score attributes."""

    conditions: pd.DataFrame
    points: pd.DataFrame
    totals: pd.DataFrame
    tiers: dict[str, str]
    missing_columns: tuple[str, ...]
    prepared: pd.DataFrame | None = None


def _scalar(frame: pd.DataFrame, column: str):
    if column not in frame.columns:
        return None
    value = frame[column].iloc[0]
    if value is None or value is pd.NA or (isinstance(value, float) and math.isnan(value)):
        return None
    return value


def indicator_name(rows: pd.DataFrame, language: str) -> str:
    attributes = rows["attribute"].unique()
    if len(attributes) == 1:
        return r.name(attributes[0], language)
    return label(f"screening.indicators.{rows['indicator_id'].iloc[0].replace('.', '_')}", language)


def _best_band(rows: pd.DataFrame, frame: pd.DataFrame, low: float):
    """(points, attribute, band row) of the known attribute that gives the most points."""
    best = None
    for attribute, group in rows.groupby("attribute", sort=False):
        if rows["method"].iloc[0] == "per_step":
            position, got = (0, low) if _scalar(frame, attribute) is not None else (-1, 0)
        else:
            position = int(band_index(group, frame, attribute)[0])
            got = float(group["points"].iloc[position]) if position >= 0 else 0
        if position >= 0 and (best is None or got > best[0]):
            best = (got, attribute, group.iloc[position])
    return best


def _points_reason(rows: pd.DataFrame, frame, low: float, high: float, language: str) -> str:
    first = rows.iloc[0]
    method = first["method"]
    indicator = indicator_name(rows, language)
    pts = {k: format_with_unit(x, "分", language) for k, x in (("low", low), ("high", high))}
    attributes = list(dict.fromkeys(rows["attribute"]))
    missing = [a for a in attributes if _scalar(frame, a) is None]
    missing_words = r.join([r.name(a, language) for a in missing], language)
    if len(missing) == len(attributes):
        return label("screening.points.unknown", language, indicator=indicator, **pts)
    if method == "input":
        return label("screening.points.stated", language, indicator=indicator, value=pts["low"])
    if method == "per_item":
        if missing and high > low:
            return label(
                "screening.points.partly",
                language,
                indicator=indicator,
                missing=missing_words,
                **pts,
            )
        return label(
            "screening.points.flag_items",
            language,
            indicator=indicator,
            n=sum(bool(v.flags(frame, a)[0] == 1) for a in attributes),
            each=format_with_unit(first["points"], "分", language),
            cap=format_with_unit(first["max_points"], "分", language),
        )
    best = _best_band(rows, frame, low)
    if best is None:
        return label("screening.points.unknown", language, indicator=indicator, **pts)
    got, attribute, band = best
    value = _scalar(frame, attribute)
    unit = ATTRIBUTES[attribute].unit
    if ATTRIBUTES[attribute].kind == "bool":
        shown = r.answer(v.flags(frame, attribute)[0] == 1, language)
    elif unit is None:
        shown = r.category_text(str(value), language)
    else:
        shown = r.number(float(value), unit, language)
    text = label(
        "screening.points.band",
        language,
        indicator=r.name(attribute, language),
        value=shown,
        band=band["band"],
        points=format_with_unit(got, "分", language),
    )
    if missing and high > low:
        text += label("words.clause_separator", language) + label(
            "screening.points.partly", language, indicator=indicator, missing=missing_words, **pts
        )
    return text


def assess(firm, language: str = "zh", roots=None, rules=None) -> Assessment:
    """The assessment of one firm (a dict or a Series of its attributes)."""
    frame = pd.DataFrame([dict(firm)])
    result = screen(frame, roots, rules)
    rules = load_points() if rules is None else rules
    prepared = with_scores(v.with_derived(frame), result.scores)
    codes = {c: int(result.outcomes[c].iloc[0]) for c in result.outcomes.columns}
    rows = []
    for tier, root in result.roots.items():
        depth = {root.id: 0}
        for rule in root.walk():
            if rule.parent in depth:
                depth[rule.id] = depth[rule.parent] + 1
            row = {
                "tier": tier,
                "criterion_id": rule.id,
                "depth": depth[rule.id],
                "logic": rule.logic,
                "text": rule.text,
                "outcome": OUTCOMES[codes[rule.id]],
                "outcome_words": r.outcome_word(codes[rule.id], language),
                "value": None,
                "threshold": rule.threshold,
                "unit": rule.unit,
                "gap": None,
                "name": present.tier_name(tier, language)
                if rule is root
                else present.condition_name(rule, language, result.roots),
                "requirement": present.requirement(rule, language),
                "value_words": "",
            }
            if rule.logic == "leaf" and rule.attribute is None:
                row["reason"] = r.leaf_reason(rule, None, codes[rule.id], language)
            elif rule.logic == "leaf":
                value = _scalar(prepared, rule.attribute)
                high = _scalar(prepared, f"{rule.attribute}_max")
                row["value"] = value
                row["value_words"] = present.value_text(rule, value, language, high=high)
                if rule.id in result.gaps and value is not None:
                    row["gap"] = float(result.gaps[rule.id].iloc[0])
                row["reason"] = r.leaf_reason(
                    rule,
                    None if value is None else (float(value) if rule.numeric else value),
                    codes[rule.id],
                    language,
                    high=None if high is None else float(high),
                    present=rule.attribute in prepared.columns,
                )
            else:
                row["reason"] = r.node_reason(rule, codes, language, result.roots)
            rows.append(row)
    scores = result.scores
    # The points rules name their tiers as 2022 did: the rulebook's own name of the tier goes by
    # its code (创新型中小企业's points score 科技和创新型中小企业 under the 2026 measures).
    tier_of = {root.id: tier for tier, root in result.roots.items()}
    points = []
    for indicator_id, group in rules.groupby("indicator_id", sort=False):
        low = float(scores.low[indicator_id].iloc[0])
        high = float(scores.high[indicator_id].iloc[0])
        first = group.iloc[0]
        code = str(indicator_id).split(".")[0]
        points.append(
            {
                "tier": tier_of.get(code, first["tier"]),
                "dimension": first["dimension"],
                "indicator_id": indicator_id,
                "indicator": first["indicator"],
                "indicator_words": indicator_name(group, language),
                "low": low,
                "high": high,
                "max_points": float(first["max_points"]),
                "reason": _points_reason(group, frame, low, high, language),
            }
        )
    totals = []
    for code in dict.fromkeys(scores.indicators["tier_code"]):
        tier = tier_of.get(code, code)
        for dimension in [*scores.dimensions(code), None]:
            low, high = (float(s.iloc[0]) for s in scores.total(code, dimension))
            ids = scores._ids(code, dimension)
            key = "total" if math.isclose(low, high) else "total_range"
            words = label(
                f"screening.points.{key}",
                language,
                low=format_with_unit(low, "分", language),
                high=format_with_unit(high, "分", language),
            )
            totals.append(
                {
                    "tier": tier,
                    "dimension": dimension or "",
                    "low": low,
                    "high": high,
                    "max_points": float(scores.indicators.loc[ids, "max_points"].sum()),
                    "words": words,
                }
            )
    tiers = {tier: OUTCOMES[codes[root.id]] for tier, root in result.roots.items()}
    return Assessment(
        pd.DataFrame(rows),
        pd.DataFrame(points),
        pd.DataFrame(totals),
        tiers,
        result.missing_columns,
        prepared,
    )
