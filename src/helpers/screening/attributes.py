"""The firm attributes the rulebooks and the points rules test: column name → unit and kind
(number / bool / category). Which attribute a condition reads is the rulebook's data
(`rulebook_conditions.attribute`); CRITERION_ATTRIBUTES only serves trees built from 004's
`miit_criteria`, which has no such column. The words for each attribute are in the label files
(`screening.attributes.<name>`)."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Attribute:
    unit: str | None  # a helpers.report.format unit; None for yes/no and categories
    kind: str  # number / bool / category


def _n(unit):
    return Attribute(unit, "number")


BOOL = Attribute(None, "bool")
CATEGORY = Attribute(None, "category")

ATTRIBUTES: dict[str, Attribute] = {
    # money in 万元, shares and growth rates as fractions, as in the published tables
    "revenue": _n("万元"),
    "main_revenue_share": _n("share"),
    "main_revenue_growth": _n("rate"),
    "main_revenue_growth_2y": _n("rate"),
    "net_profit_margin": _n("rate"),
    "debt_ratio": _n("share"),
    "rd_expense": _n("万元"),
    "rd_share": _n("share"),
    "rd_expense_2y_mean": _n("万元"),
    "rd_staff_share": _n("share"),
    "niche_years": _n("年"),
    "equity_financing_2y": _n("万元"),
    "equity_financing_3y": _n("万元"),
    "provincial_award_rank": _n("名"),
    "national_award_rank": _n("名"),
    "market_share": _n("share"),
    "local_feature_points": _n("分"),
    "sci_award_3y": BOOL,
    "honours_valid": BOOL,
    "rd_institution_provincial": BOOL,
    "maker_china_top500": BOOL,
    "well_known": BOOL,
    "strategic_emerging_industry": BOOL,
    "quality_award_provincial": BOOL,
    "iso9001": BOOL,
    "own_brand": BOOL,
    "standards_participation": BOOL,
    "ip_class": CATEGORY,
    "main_product_role": CATEGORY,
    "digital_level": CATEGORY,
    "rd_institution_level": CATEGORY,
    # the 2026 measures (工信部企业〔2026〕2号) and the 2022 小巨人 growth condition
    "rd_expense_prior": _n("万元"),
    "rd_share_prior": _n("share"),
    "rd_expense_2y_total": _n("万元"),  # derived: helpers.screening.values.with_derived
    "revenue_cagr_2y": _n("rate"),
    "net_profit_growth_2y": _n("rate"),
    "class1_ip_count": _n("项"),  # 4项以上: IP items, not only patents
    "market_rank": _n("名"),
}

# Attributes computed from other columns only (helpers.screening.values.with_derived).
DERIVED_ATTRIBUTES = ("rd_expense_2y_total",)

# Scores computed by helpers.screening.points (lower bound; `<name>_max` holds the upper bound):
# a tier's code (the id of its root criterion) and a dimension, or None for the total.
SCORE_ATTRIBUTES: dict[str, tuple[str, str | None]] = {
    "score_cx_total": ("CX", None),
    "score_cx_innovation": ("CX", "创新能力"),
    "score_cx_growth": ("CX", "成长性"),
    "score_cx_specialisation": ("CX", "专业化"),
    "score_zj_total": ("ZJ", None),
}
ATTRIBUTES.update({name: _n("分") for name in SCORE_ATTRIBUTES})

# Leaf criterion_id of data/published/004_miit_criteria.csv → the attribute it tests.
CRITERION_ATTRIBUTES: dict[str, str] = {
    "CX.1.a": "score_cx_total",
    "CX.1.b": "score_cx_innovation",
    "CX.1.c": "score_cx_growth",
    "CX.1.d": "score_cx_specialisation",
    "CX.2.1": "sci_award_3y",
    "CX.2.2": "honours_valid",
    "CX.2.3": "rd_institution_provincial",
    "CX.2.4": "equity_financing_3y",
    "ZJ.1": "niche_years",
    "ZJ.2.a": "rd_expense",
    "ZJ.2.b": "rd_share",
    "ZJ.3.a": "revenue",
    "ZJ.3.b.1": "revenue",
    "ZJ.3.b.2": "equity_financing_2y",
    "ZJ.4.0": "score_zj_total",
    "ZJ.4.1.a": "provincial_award_rank",
    "ZJ.4.1.b": "national_award_rank",
    "ZJ.4.2": "rd_expense_2y_mean",
    "ZJ.4.3": "equity_financing_2y",
    "ZJ.4.4": "maker_china_top500",
    "XJR.1.a": "market_share",
    "XJR.1.b": "well_known",
}

# 研发机构级别 values that count as 省部级以上 (CX.2.3) when the yes/no column is absent.
PROVINCIAL_OR_ABOVE = ("国家级", "省级")
TRUE_WORDS = {"true": True, "1": True, "yes": True, "是": True, "y": True}
FALSE_WORDS = {"false": False, "0": False, "no": False, "否": False, "n": False}
