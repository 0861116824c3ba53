"""Screening firms against the MIIT tier criteria (《优质中小企业梯度培育管理暂行办法》, 工信部企业
〔2022〕63号, as 004 transcribes them): the rule tree of `miit_criteria` (all / any / leaf) and the
points rules of `miit_points`, for one firm (a dict) or a whole firm table (vectorised).

    result = screening.screen(firms)          # outcomes, gaps, points of every firm
    result.tiers                              # 创新型 / 专精特新 / 小巨人: met, not met, unknown
    card = screening.assess(firm, "zh")       # one firm, every condition with its reason in words

Three outcomes per rule: MET, NOT_MET, UNKNOWN. A missing column or value never counts as passing
or failing: `all` is met only when every child is met and not met when one child is not met,
`any` mirrors that (Kleene's three-valued logic: all = min, any = max of NOT_MET < UNKNOWN < MET).
Points are intervals: a missing value scores between the lowest and the highest points of its
indicator, so a total reads "at least 66" when some indicators are unknown."""

from helpers.screening.assess import Assessment, assess
from helpers.screening.attributes import ATTRIBUTES, CRITERION_ATTRIBUTES, SCORE_ATTRIBUTES
from helpers.screening.evaluate import (
    MET,
    NOT_MET,
    OUTCOMES,
    UNKNOWN,
    Screening,
    evaluate,
    screen,
)
from helpers.screening.points import Scores, score
from helpers.screening.rules import Rule, load_criteria, load_points

__all__ = [
    "ATTRIBUTES",
    "CRITERION_ATTRIBUTES",
    "MET",
    "NOT_MET",
    "OUTCOMES",
    "SCORE_ATTRIBUTES",
    "UNKNOWN",
    "Assessment",
    "Rule",
    "Scores",
    "Screening",
    "assess",
    "evaluate",
    "load_criteria",
    "load_points",
    "score",
    "screen",
]
