"""004's worked examples (第四章 案例A/B/C) as firm rows, with the readings the seed leaves open.
The tests check that they evaluate to the tiers and points 004 states; chapter 06 reconciles
them against `qzd_example_assessments`."""

# A企业 (创新型): 2022 revenue 400余万元; R&D 300%以上 of revenue; main revenue growth 800%以上;
# debt ratio 60%以上 (read as 60%); single product in 《战略性新兴产业分类》, revenue mainly from it
# (read as 100%). ip_class is not printed: 40 points for 创新能力 with 20 for R&D leave 20 for IP,
# which only 'Ⅰ类高价值' gives.
FIRM_A = {
    "revenue": 400,
    "rd_share": 3.0,
    "ip_class": "Ⅰ类高价值",
    "main_revenue_growth": 8.0,
    "debt_ratio": 0.60,
    "strategic_emerging_industry": True,
    "main_revenue_share": 1.0,
}

# B企业 (专精特新), as printed: shares and rates of its table; 14 years in its niche; 补短板; three
# quality systems and 4 own brands; 6 granted invention patents on its own technology (自主研发Ⅰ类).
# 净利润 printed as “增长8.99%”, scored by the seed as the 8%-10% band of 净利润率. Its 8 points for
# 评定认定 match no item of the MIIT table but equal 研发机构级别 省级: entered as 省级 (inferred).
FIRM_B = {
    "main_revenue_share": 0.9972,
    "main_revenue_growth_2y": 0.1537,
    "niche_years": 14,
    "main_product_role": "补短板锻长板填空白",
    "iso9001": True,
    "own_brand": True,
    "net_profit_margin": 0.0899,
    "debt_ratio": 0.4411,
    "ip_class": "自主研发Ⅰ类",
    "rd_share": 0.0537,
    "rd_staff_share": 0.1446,
    "rd_institution_level": "省级",
}

# C企业 (小巨人): 2021 revenue 4亿元以上; R&D 1000万+ (2020) and 1500万+ (2021); market share 23.88%,
# rank 3, 较高知名度和影响力 shown.
FIRM_C = {
    "market_share": 0.2388,
    "market_rank": 3,
    "well_known": True,
    "revenue": 40000,
    "rd_expense_2y_mean": 1250,
}

EXAMPLES = {"A企业": FIRM_A, "B企业": FIRM_B, "C企业": FIRM_C}

# What each example's firm row reads into 004's text, by attribute: the chapter states these
# assumptions beside the results (labels ch06.examples.assumption.<firm>.<attribute>).
ASSUMPTIONS = {
    "A企业": ("ip_class", "debt_ratio", "main_revenue_share"),
    "B企业": ("rd_institution_level", "net_profit_margin", "ip_class"),
    "C企业": ("revenue", "rd_expense_2y_mean"),
}

# The condition 004 itself judged, where it judged one condition rather than a tier: C企业 is
# assessed on the 小巨人 refinement condition only (market share and reputation).
JUDGED_CONDITION = {"C企业": "XJR.1"}
