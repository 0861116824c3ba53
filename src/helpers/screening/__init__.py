"""Screening firms against the MIIT tier measures, read as rulebooks versioned by date
(helpers.screening.rulebooks; data/published/catalog_miit.yml: the 2022 interim measures and the
2026 measures, each a set of condition rows with its dates, and the transition rules): the rule
trees of a rulebook's conditions (all / any / leaf) and the points rules of its points table,
for one firm (a dict) or a whole firm table (vectorised). No threshold is written in code.

    book = rulebooks.for_date("2026-06-01")     # the rulebook in force that day
    result = book.screen(firms)                 # outcomes, gaps, points of every firm
    result.tiers                                # per tier: met, review, not met, unknown
    card = cards.make_card(firm, "zh", book)    # one firm, every condition in words

Four outcomes per rule: MET, REVIEW (every condition data can decide is met; the rest only a
review decides: the platform's development score, a market position in words, a product-field
judgement), UNKNOWN (the data lacks the attribute) and NOT_MET. A missing column or value never
counts as passing or failing: `all` is the minimum and `any` the maximum of NOT_MET < UNKNOWN <
REVIEW < MET (Kleene's logic with review between unknown and met). A `tier` leaf stands for the
tier below, so tiers nest. Points are intervals: a missing value scores between the lowest and
the highest points of its indicator, so a total reads "at least 66, at most 92" when some
indicators are unknown. `screen(frame)` without a rulebook uses 004's transcription of the 2022
criteria (its worked examples' tests)."""

from helpers.screening.assess import Assessment, assess
from helpers.screening.attributes import ATTRIBUTES, CRITERION_ATTRIBUTES, SCORE_ATTRIBUTES
from helpers.screening.evaluate import (
    MET,
    NOT_MET,
    OUTCOMES,
    REVIEW,
    UNKNOWN,
    Screening,
    evaluate,
    screen,
)
from helpers.screening.points import Scores, score
from helpers.screening.rulebooks import NoRulebook, Rulebook, for_date, load_rulebooks
from helpers.screening.rules import Rule, load_criteria, load_points

__all__ = [
    "ATTRIBUTES",
    "CRITERION_ATTRIBUTES",
    "MET",
    "NOT_MET",
    "OUTCOMES",
    "REVIEW",
    "SCORE_ATTRIBUTES",
    "UNKNOWN",
    "Assessment",
    "NoRulebook",
    "Rule",
    "Rulebook",
    "Scores",
    "Screening",
    "assess",
    "evaluate",
    "for_date",
    "load_criteria",
    "load_points",
    "load_rulebooks",
    "score",
    "screen",
]
