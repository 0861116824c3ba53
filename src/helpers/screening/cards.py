"""One firm's assessment as a reader sees it (`make assess`, notebooks/assess.ipynb): per tier a
table of its conditions (value, outcome, reason), a table of the points, and what would qualify
the firm — the one missing condition with its gap, the conditions not met, the data needed."""

from __future__ import annotations

import math
from dataclasses import dataclass

import pandas as pd

import helpers.screening.closeness as closeness
import helpers.screening.present as present
import helpers.screening.reasons as r
from helpers.report.format import format_with_unit
from helpers.report.labels import label
from helpers.report.words import join
from helpers.screening.assess import Assessment, assess, indicator_name
from helpers.screening.attributes import ATTRIBUTES
from helpers.screening.evaluate import MET, NOT_MET, Screening, screen
from helpers.screening.rules import load_criteria, load_points


@dataclass
class Card:
    firm: dict
    assessment: Assessment
    result: Screening  # the same firm screened as a one-row table (closeness)
    language: str


def firm_values(row: pd.Series) -> dict:
    """The firm's attributes without missing cells (a missing cell is as good as no column)."""
    return {
        k: v
        for k, v in row.items()
        if not (v is None or v is pd.NA or (isinstance(v, float) and math.isnan(v)))
    }


def make_card(firm: dict, language: str = "zh") -> Card:
    frame = pd.DataFrame([firm])
    return Card(firm, assess(firm, language), screen(frame), language)


def _value_text(rule, value, language: str) -> str:
    if rule.logic != "leaf" or value is None or (isinstance(value, float) and math.isnan(value)):
        return ""
    attribute = ATTRIBUTES[rule.attribute]
    if attribute.kind == "bool":
        return r.answer(bool(value), language)
    if attribute.kind == "category":
        return r.category_text(str(value), language)
    return r.number(float(value), attribute.unit, language)


def conditions_table(card: Card, tier: str) -> pd.DataFrame:
    """The tier's rules in reading order (indexed by criterion_id): id and condition (indented),
    value, outcome, reason."""
    rules = {rule.id: rule for rule in card.result.roots[tier].walk()}
    rows = card.assessment.conditions[card.assessment.conditions["tier"] == tier]
    return pd.DataFrame(
        {
            # id and condition in the one left-aligned column (indented by depth)
            "screen_condition": [
                f"{present.INDENT * 2 * d}{c}{present.INDENT}"
                + present.condition_words(rules[c], card.language)
                for d, c in zip(rows["depth"], rows["criterion_id"], strict=True)
            ],
            "screen_value": [
                _value_text(rules[c], v, card.language)
                for c, v in zip(rows["criterion_id"], rows["value"], strict=True)
            ],
            "screen_outcome": rows["outcome_words"].to_numpy(),
            "screen_reason": rows["reason"].to_numpy(),
        },
        index=pd.Index(rows["criterion_id"].to_numpy(), name="criterion_id"),
    )


def points_range(low: float, high: float, language: str) -> str:
    """'95分', or '66–92分' when some indicators are unknown."""
    if math.isclose(low, high):
        return format_with_unit(low, "分", language)
    return label(
        "screening.points.total_range",
        language,
        low=format_with_unit(low, "分", language),
        high=format_with_unit(high, "分", language),
    )


def points_table(card: Card, tier: str) -> pd.DataFrame:
    """One row per scored indicator of `tier`, then the total: dimension, indicator, points,
    maximum, reason."""
    language = card.language
    points = card.assessment.points[card.assessment.points["tier"] == tier]
    rules = load_points()
    rows = []
    for row in points.itertuples():
        group = rules[rules["indicator_id"] == row.indicator_id]
        rows.append(
            {
                "screen_dimension": label(f"ch06.dimensions.{row.dimension}", language),
                "screen_indicator": indicator_name(group, language),
                "screen_points": points_range(row.low, row.high, language),
                "screen_max_points": format_with_unit(row.max_points, "分", language),
                "screen_reason": row.reason,
            }
        )
    return pd.DataFrame(rows)


def tier_total(card: Card, tier: str) -> tuple[float, float, float] | None:
    """(low, high, max_points) of the tier's total score, or None when the tier has no points."""
    totals = card.assessment.totals
    found = totals[(totals["tier"] == tier) & (totals["dimension"] == "")]
    if found.empty:
        return None
    row = found.iloc[0]
    return float(row["low"]), float(row["high"]), float(row["max_points"])


def next_steps(card: Card) -> list[str]:
    """Per tier one sentence: met; one condition short (its reason, with the gap); the conditions
    not met; and the conditions that need data."""
    language, result = card.language, card.result
    reasons = card.assessment.conditions.set_index("criterion_id")["reason"]
    sentences = []
    for tier, root in result.roots.items():
        name = present.tier_name(tier, language)
        code = int(result.outcomes[root.id].iloc[0])
        units = closeness.conditions(root)
        codes = {rule.id: int(result.outcomes[rule.id].iloc[0]) for rule in units}
        if code == MET:
            sentences.append(label("ch06.assess.next_met", language, tier=name))
            continue
        blocker = closeness.blocker(result, tier).iloc[0]
        if blocker is not None and not pd.isna(blocker):
            sentences.append(
                label("ch06.assess.next_one", language, tier=name, reason=reasons[blocker])
            )
        else:
            failed = [present.condition_name(u, language) for u in units if codes[u.id] == NOT_MET]
            if failed:
                sentences.append(
                    label(
                        "ch06.assess.next_many",
                        language,
                        tier=name,
                        n=format_with_unit(len(failed), "项", language),
                        items=join(failed, language),
                    )
                )
        unknown = [
            present.condition_name(u, language) for u in units if codes[u.id] not in (MET, NOT_MET)
        ]
        if unknown:
            sentences.append(
                label(
                    "ch06.assess.next_unknown", language, tier=name, items=join(unknown, language)
                )
            )
    return sentences


__all__ = [
    "Card",
    "conditions_table",
    "firm_values",
    "load_criteria",
    "make_card",
    "next_steps",
    "points_range",
    "points_table",
    "tier_total",
]
