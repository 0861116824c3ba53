"""One firm's assessment as an SME owner reads it (`make assess`, notebooks/assess.ipynb), under
the rulebook in force on the assessment date: per tier a table of its conditions in plain words
(what each requires, the firm's value, the outcome, the points of a score), the points of every
scored indicator, the verdict, and for each tier not met what would have to change. Rule codes
stay in the tables' files (`screen_criterion`), never on the page."""

from __future__ import annotations

import math
from dataclasses import dataclass

import pandas as pd

import helpers.screening.advice as advice
import helpers.screening.present as present
from helpers.report.format import format_with_unit
from helpers.report.labels import label
from helpers.report.words import capitalised, join, mid_sentence
from helpers.screening.assess import Assessment, assess, indicator_name
from helpers.screening.evaluate import Screening, screen
from helpers.screening.rulebooks import Rulebook
from helpers.screening.rules import load_criteria, load_points


@dataclass
class Card:
    firm: dict
    assessment: Assessment
    result: Screening  # the same firm screened as a one-row table (closeness)
    language: str
    rulebook: Rulebook | None = None  # None: 004's criteria and points
    date: str = ""  # the assessment date that chose the rulebook


def firm_values(row: pd.Series) -> dict:
    """The firm's attributes without missing cells (a missing cell is as good as no column)."""
    return {
        k: v
        for k, v in row.items()
        if not (v is None or v is pd.NA or (isinstance(v, float) and math.isnan(v)))
    }


def make_card(
    firm: dict, language: str = "zh", rulebook: Rulebook | None = None, date: str = ""
) -> Card:
    """The card of one firm under `rulebook` (default: 004's criteria and points)."""
    frame = pd.DataFrame([firm])
    roots = rulebook.roots if rulebook is not None else None
    rules = rulebook.points if rulebook is not None else None
    result = screen(frame, roots, rules)
    result.rulebook = rulebook
    return Card(firm, assess(firm, language, roots, rules), result, language, rulebook, date)


def points_rules(card: Card) -> pd.DataFrame:
    return card.rulebook.points if card.rulebook is not None else load_points()


def conditions_table(card: Card, tier: str) -> pd.DataFrame:
    """The tier's conditions in reading order: `screen_criterion` (the id, for the files only),
    the condition in plain words (indented by depth), what it requires, the firm's value, the
    outcome, and for a score condition the firm's points (the column only where the tier has
    one)."""
    rows = card.assessment.conditions[card.assessment.conditions["tier"] == tier]
    scores = rows["criterion_id"].map(_score_points(card))
    table = pd.DataFrame(
        {
            "screen_criterion": rows["criterion_id"].to_numpy(),
            "screen_condition": [
                f"{present.INDENT * 2 * depth}{name}"
                for depth, name in zip(rows["depth"], rows["name"], strict=True)
            ],
            "screen_requirement": rows["requirement"].to_numpy(),
            "screen_value": rows["value_words"].fillna("").to_numpy(),
            "screen_outcome": rows["outcome_words"].to_numpy(),
            "screen_points": scores.fillna("").to_numpy(),
        }
    )
    # a tier without a score condition has no points to show
    return table if scores.notna().any() else table.drop(columns=["screen_points"])


def _score_points(card: Card) -> dict[str, str]:
    """criterion id → the firm's points, for the conditions that test a score."""
    found = {}
    for root in card.result.roots.values():
        for rule in root.walk():
            if rule.attribute and rule.attribute.startswith("score_"):
                row = card.assessment.conditions.set_index("criterion_id").loc[rule.id]
                found[rule.id] = row["value_words"]
    return found


def points_range(low: float, high: float, language: str) -> str:
    """'95分', or '至少66分，至多92分' when some indicators are unknown."""
    if math.isclose(low, high):
        return format_with_unit(low, "分", language)
    return label(
        "screening.points.total_range",
        language,
        low=format_with_unit(low, "分", language),
        high=format_with_unit(high, "分", language),
    )


def points_table(card: Card, tier: str) -> pd.DataFrame:
    """One row per scored indicator of `tier`: dimension, indicator, points, maximum, reason."""
    language = card.language
    points = card.assessment.points[card.assessment.points["tier"] == tier]
    rules = points_rules(card)
    rows = []
    for row in points.itertuples():
        group = rules[rules["indicator_id"] == row.indicator_id]
        rows.append(
            {
                "screen_indicator_id": row.indicator_id,
                "screen_dimension": capitalised(
                    label(f"ch06.dimensions.{row.dimension}", language), language
                ),
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


def unknown_indicators(card: Card, tier: str) -> list[str]:
    """The scored indicators of `tier` whose points are a range (the data lacks a value)."""
    points = card.assessment.points
    rows = points[(points["tier"] == tier) & (points["high"] > points["low"])]
    rules = points_rules(card)
    return [
        indicator_name(rules[rules["indicator_id"] == i], card.language)
        for i in rows["indicator_id"]
    ]


def range_explained(card: Card, tier: str) -> str:
    """Why a total is 'at least 66, at most 92': what the known indicators give, which lack
    data, and what those could add; '' when the total is exact."""
    total = tier_total(card, tier)
    if total is None or math.isclose(total[0], total[1]):
        return ""
    low, high, _ = total
    missing = unknown_indicators(card, tier)
    return label(
        "screening.points.range_explained",
        card.language,
        tier=present.tier_name(tier, card.language),
        range=points_range(low, high, card.language),
        low=format_with_unit(low, "分", card.language),
        high=format_with_unit(high, "分", card.language),
        n=format_with_unit(len(missing), "项", card.language),
        missing=join(missing, card.language),
    )


def changes(card: Card, tier: str) -> list[advice.Change]:
    """What would have to change for the firm to meet `tier` (helpers.screening.advice)."""
    return advice.changes(card.result, card.assessment.prepared, tier, card.language)


def next_steps(card: Card) -> list[str]:
    """One line per tier: met; else what would have to change, condition by condition (from
    what to what), then the data to add and what only a review decides, each named once."""
    language = card.language
    sentences = []
    for tier in card.result.roots:
        name = present.tier_name(tier, language)
        found = changes(card, tier)
        if not found:
            sentences.append(label("ch06.assess.next_met", language, tier=name))
            continue
        parts = [c.text for c in found if c.kind == "not_met" or not c.name]
        for kind in ("unknown", "review"):
            named = [mid_sentence(c.name, language) for c in found if c.kind == kind and c.name]
            if named:
                parts.append(
                    label(f"screening.change.{kind}", language, name=join(named, language))
                )
        items = label("words.clause_separator", language).join(parts)
        sentences.append(label("ch06.assess.next_change", language, tier=name, items=items))
    return sentences


def outcome_words(code: str, language: str) -> str:
    return label(f"screening.outcome.{code}", language)


__all__ = [
    "Card",
    "changes",
    "conditions_table",
    "firm_values",
    "load_criteria",
    "make_card",
    "next_steps",
    "outcome_words",
    "points_range",
    "points_table",
    "range_explained",
    "tier_total",
    "unknown_indicators",
]
