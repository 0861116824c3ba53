"""Statistics of the national-context chapter (seeds 002–004): the tier pyramid 创新型 → 专精特新
→ 小巨人, growth implied by a stated "比2018年末增长51%", the remainder of a share distribution whose
minor parts were not printed, and the MIIT recognition criteria as a numbered outline.

Fractions are fractions (0.51 = 51%); the rates and multiples reuse helpers.stats.innovation, so
their validation (finite numbers, positive denominators) is the same everywhere. Tables keep the
published rows' own columns (source_doc, source_id, inferred …), so a number computed from a
row still names the row it came from."""

from __future__ import annotations

import math

import pandas as pd

from helpers.stats.innovation import cagr, multiple, scalar
from helpers.stats.innovation import growth as simple_growth

# The tiers of quality SMEs from the base of the pyramid to its top (sme_tiers.tier).
TIER_ORDER = ("创新型中小企业", "专精特新中小企业", "专精特新“小巨人”企业")
LITTLE_GIANTS = TIER_ORDER[-1]
# The two populations of 004 图11 (vc_pe_penetration.population).
NATIONAL_LITTLE_GIANTS = "国家级专精特新“小巨人”企业"
ALL_SPECIALISED = "专精特新企业"
# The population the national financing and listing figures describe (sme_loans and
# listing_fundraising name none; sme_financing_programmes calls it its actor).
NATIONAL_SPECIALISED_SMES = "专精特新中小企业（全国）"


def base_from_growth(end_value, growth) -> float:
    """The base-year value implied by an end value and its stated growth since the base year,
    e.g. 5200万户 in 2022, "比2018年末增长51%" → 5200万 / 1.51 = 3444万 in 2018.

    Unit: the end value's. Formula: end_value / (1 + growth). ValueError when growth <= -1 (no
    base grows into a positive value that way) or end_value < 0."""
    end_value = scalar(end_value, "end_value", "base_from_growth")
    growth = scalar(growth, "growth", "base_from_growth")
    if growth <= -1:
        raise ValueError(f"base_from_growth: growth must be > -1 (a fraction), got {growth:g}")
    if end_value < 0:
        raise ValueError(f"base_from_growth: end_value must be >= 0, got {end_value:g}")
    return end_value / (1 + growth)


def cagr_from_growth(growth, base_year: int, end_year: int) -> float:
    """Compound annual growth implied by a total growth over base_year → end_year (51% over
    2018–2022 → 1.51 ** (1/4) − 1 = 10.85%/yr), through helpers.stats.cagr on an index series
    {base_year: 1, end_year: 1 + growth}. Unit: fraction per year. Errors as stats.cagr."""
    growth = scalar(growth, "growth", "cagr_from_growth")
    if growth <= -1:
        raise ValueError(f"cagr_from_growth: growth must be > -1 (a fraction), got {growth:g}")
    return cagr({base_year: 1.0, end_year: 1 + growth})


def growth_index(growth, base: float = 100.0) -> float:
    """The end value of an index that is `base` in the base year: 51% growth → 151; a stated
    multiple m is growth m − 1 (1.3倍 → 130)."""
    growth = scalar(growth, "growth", "growth_index")
    if growth <= -1:
        raise ValueError(f"growth_index: growth must be > -1 (a fraction), got {growth:g}")
    return base * (1 + growth)


def tier_pyramid(
    tiers: pd.DataFrame, tier: str = "tier", firms: str = "firms", order=TIER_ORDER
) -> pd.DataFrame:
    """The tiers from the base of the pyramid to its top (`order`), each with its count and its
    size relative to the tier below (专精特新 ÷ 创新型 = 98,000 ÷ 200,000 = 0.49) and to the base.

    Columns added: level (1 = base), below (the tier below; NaN at the base), share_of_below
    (NaN at the base), share_of_base. ValueError naming the tier when a tier of `order` is
    missing or given twice."""
    counts = tiers[tier].value_counts()
    for name in order:
        if counts.get(name, 0) != 1:
            found = int(counts.get(name, 0))
            raise ValueError(f"tier_pyramid: tier {name!r} must appear once, found {found} rows")
    table = tiers.set_index(tier).loc[list(order)].reset_index()
    values = table[firms].astype(float)
    table["level"] = range(1, len(table) + 1)
    table["below"] = table[tier].shift(1)
    below = values.shift(1)
    table["share_of_below"] = [
        math.nan if pd.isna(b) else multiple(v, b) for v, b in zip(values, below, strict=True)
    ]
    table["share_of_base"] = [multiple(v, values.iloc[0]) for v in values]
    return table


def remainder_share(shares: pd.Series) -> float:
    """The share left to the parts that were not printed: 1 − the printed shares (61.4% + 22.9%
    + 9.0% printed → 6.7% for the other industries). NaN entries are the unprinted parts and are
    skipped. ValueError when the printed shares exceed 1 (by more than rounding, 0.001)."""
    printed = shares.dropna().astype(float)
    total = float(printed.sum())
    if total > 1.001:
        raise ValueError(f"remainder_share: the printed shares add up to {total:.4f}, above 1")
    return max(0.0, 1 - total)


def shown_decimals(value: float, scale: int = 0, most: int = 2) -> int:
    """The fewest decimals (at most `most`) that show `value` × 10**scale exactly: 0.03 as a
    percentage (scale 2) → 0 ("3%"), 0.035 → 1 ("3.5%"), 1000 → 0."""
    scaled = scalar(value, "value", "shown_decimals") * 10**scale
    for decimals in range(most + 1):
        if abs(round(scaled, decimals) - scaled) < 1e-9:
            return decimals
    return most


def criteria_outline(criteria: pd.DataFrame) -> pd.DataFrame:
    """The rule tree of `miit_criteria` (criterion_id, parent_id, tier) in reading order, each
    row with its depth (0 = a tier's root) and its outline number within the tier: children of
    the root are 1, 2, 3 …, theirs 1.1, 1.2 …, in the order of the table.

    ValueError naming the criterion for a duplicate id, an unknown parent, a parent in another
    tier, or a row that cannot be reached from a root (a cycle)."""
    duplicated = criteria["criterion_id"][criteria["criterion_id"].duplicated()]
    if len(duplicated):
        raise ValueError(f"criteria_outline: duplicate criterion_id {duplicated.iloc[0]!r}")
    by_id = criteria.set_index("criterion_id", drop=False)
    children: dict[str | None, list[str]] = {}
    for row in criteria.itertuples(index=False):
        parent = None if pd.isna(row.parent_id) else str(row.parent_id)
        if parent is not None:
            if parent not in by_id.index:
                raise ValueError(
                    f"criteria_outline: criterion {row.criterion_id!r} has unknown parent {parent!r}"
                )
            if by_id.loc[parent, "tier"] != row.tier:
                raise ValueError(
                    f"criteria_outline: criterion {row.criterion_id!r} is in tier {row.tier!r} "
                    f"but its parent {parent!r} is not"
                )
        children.setdefault(parent, []).append(str(row.criterion_id))
    rows: list[dict] = []

    def visit(criterion: str, depth: int, number: str) -> None:
        rows.append({"criterion_id": criterion, "depth": depth, "outline": number})
        for i, child in enumerate(children.get(criterion, []), start=1):
            visit(child, depth + 1, f"{number}.{i}" if number else str(i))

    for root in children.get(None, []):
        visit(root, 0, "")
    unreached = [c for c in criteria["criterion_id"] if c not in {r["criterion_id"] for r in rows}]
    if unreached:
        raise ValueError(f"criteria_outline: criterion {unreached[0]!r} is not under any root")
    outline = pd.DataFrame(rows)
    return outline.merge(criteria, on="criterion_id", how="left", validate="1:1")


# The tier pyramid (sme_tiers) -------------------------------------------------------------------
def tiers_of(tiers: pd.DataFrame, period: str) -> pd.DataFrame:
    """The rows of sme_tiers for one period as the table writes it ('2023', '2022-12-31')."""
    return tiers[tiers["period"] == period]


def tier_rows(tiers: pd.DataFrame, tier: str = LITTLE_GIANTS) -> pd.DataFrame:
    """The rows of one tier in every period, in the table's order."""
    return tiers[tiers["tier"] == tier]


def tier_growth(rows: pd.DataFrame, start: str, end: str) -> float:
    """Growth of a tier's firms from period `start` to period `end` (rows of one tier, see
    tier_rows): 9,000 at the end of 2022 → 12,000 in 2023 is 12,000 / 9,000 − 1 = 0.3333.
    Unit: fraction. ValueError when a period has no row or several."""
    counts = {}
    for period in (start, end):
        found = rows.loc[rows["period"] == period, "firms"]
        if len(found) != 1:
            raise ValueError(f"tier_growth: period {period!r} must appear once, found {len(found)}")
        counts[period] = float(found.iloc[0])
    return float(simple_growth(counts[start], counts[end]))


def tier_table(pyramid: pd.DataFrame, tiers: pd.DataFrame) -> pd.DataFrame:
    """The pyramid's rows (see tier_pyramid) followed by the table's rows of the other periods
    (the counts it is compared with), renumbered from 0."""
    earlier = tiers[~tiers["period"].isin(pyramid["period"])]
    return pd.concat([pyramid, earlier], ignore_index=True)


# SMEs 2018 → 2022 (sme_counts_by_year) -----------------------------------------------------------
def implied_growth(counts: pd.DataFrame) -> pd.DataFrame:
    """Each indicator of sme_counts_by_year with what its stated growth since the base year
    implies. Columns added: start (base_year) and end (year) as whole years; growth (the stated
    growth, or the stated multiple − 1: 1.3倍 → 0.3); multiple_of_base (1 + growth: 51% → 1.51);
    cagr (the compound annual growth over start → end, see cagr_from_growth: 51% over 2018–2022 →
    0.1085). A row stating neither growth nor multiple gets NaN in all three."""
    stated = counts["growth_vs_base_stated"].astype(float)
    from_multiple = counts["multiple_vs_base_stated"].astype(float) - 1
    table = counts.assign(
        start=counts["base_year"].astype(int),
        end=counts["year"].astype(int),
        growth=stated.where(stated.notna(), from_multiple),
    )
    table["multiple_of_base"] = [
        math.nan if pd.isna(g) else growth_index(g, base=1.0) for g in table["growth"]
    ]
    table["cagr"] = [
        math.nan if pd.isna(g) else cagr_from_growth(g, int(s), int(e))
        for g, s, e in zip(table["growth"], table["start"], table["end"], strict=True)
    ]
    return table


# Financing and listings (sme_loans, sme_financing_programmes, listing_fundraising) ---------------
def national_figures(programmes: pd.DataFrame) -> pd.DataFrame:
    """The nationwide rows of sme_financing_programmes (those without a province), indexed by
    their indicator (kept as a column too)."""
    national = programmes[programmes["province"].isna()]
    return national.set_index("indicator", drop=False)


def fundraising_uses(fundraising: pd.DataFrame) -> pd.DataFrame:
    """The rows of listing_fundraising in 亿元: what the listed firms plan to spend their funds
    raised on (their sum is the amount whose share of all A-share fundraising is stated)."""
    return fundraising[fundraising["unit"] == "亿元"]


def financing_figures(
    loans: pd.DataFrame, national: pd.DataFrame, fundraising: pd.DataFrame
) -> pd.DataFrame:
    """One table of the national financing and listing figures, one row per figure with its
    actor, indicator, value_stated, unit, qualifier, period and provenance: the loan balance
    (亿元) and its growth (rate) from sme_loans, the nationwide programme rows, then the listing
    rows (all of NATIONAL_SPECIALISED_SMES where the table names no actor)."""
    loan_rows = [
        loans.assign(
            indicator=indicator,
            value_stated=loans[column],
            unit=unit,
            qualifier=None,
            actor=NATIONAL_SPECIALISED_SMES,
        )
        for indicator, column, unit in (
            ("贷款余额", "loan_balance", "亿元"),
            ("贷款余额增速", "growth_stated", "rate"),
        )
    ]
    listings = fundraising.assign(actor=NATIONAL_SPECIALISED_SMES)
    return pd.concat([*loan_rows, national, listings], ignore_index=True)


# Industry distribution (qzd_industry_distribution) ----------------------------------------------
def printed_shares(distribution: pd.DataFrame) -> pd.DataFrame:
    """The rows whose share is printed (share_stated given)."""
    return distribution[distribution["share_stated"].notna()]


def unprinted(distribution: pd.DataFrame) -> pd.DataFrame:
    """The rows named in the legend without a printed share."""
    return distribution[distribution["share_stated"].isna()]


def first_in_legend(distribution: pd.DataFrame, n: int) -> pd.DataFrame:
    """The first `n` rows in the order of the legend (legend_order 1, 2, …)."""
    return distribution.nsmallest(n, "legend_order")


def declared_totals(frame: pd.DataFrame, totals) -> pd.DataFrame:
    """The totals a catalogue declares for a table (`totals:` entries with column, equals and an
    optional `where` subset) beside the sum of their parts in `frame`: one row per total with
    column, stated and recomputed. E.g. 0.614 + 0.229 of 工业制造业 and 科学研究和技术服务业
    against the stated 0.843."""
    rows = []
    for total in totals:
        part = frame
        for column, values in (total.get("where") or {}).items():
            part = part[part[column].isin(values)]
        rows.append(
            {
                "column": total["column"],
                "stated": float(total["equals"]),
                "recomputed": float(part[total["column"]].sum()),
            }
        )
    return pd.DataFrame(rows, columns=["column", "stated", "recomputed"])


# VC/PE penetration (vc_pe_penetration) ----------------------------------------------------------
def penetration_multiple(
    penetration: pd.DataFrame,
    population: str = NATIONAL_LITTLE_GIANTS,
    reference: str = ALL_SPECIALISED,
) -> float:
    """How many times one population's VC/PE penetration is the reference population's:
    0.265 ÷ 0.134 = 1.98. Unit: ×. KeyError naming a population the table lacks."""
    rates = penetration.set_index("population")["penetration_stated"]
    for name in (population, reference):
        if name not in rates.index:
            raise KeyError(f"penetration_multiple: no population {name!r} in the table")
    return float(multiple(rates.loc[population], rates.loc[reference]))


# Recognition criteria (miit_criteria, see criteria_outline) --------------------------------------
def thresholds(outline: pd.DataFrame) -> pd.DataFrame:
    """The conditions (leaves) of a criteria outline that set a threshold (not the yes/no ones)."""
    return outline[(outline["logic"] == "leaf") & outline["threshold"].notna()]


def criteria_counts(outline: pd.DataFrame) -> pd.DataFrame:
    """The size of a criteria outline as one row: tiers (distinct tiers), conditions (leaves)
    and inferred_rows (rows marked inferred when transcribed)."""
    return pd.DataFrame(
        {
            "tiers": [outline["tier"].nunique()],
            "conditions": [int((outline["logic"] == "leaf").sum())],
            "inferred_rows": [int(outline["inferred"].astype(bool).sum())],
        }
    )


def scoring_counts(outline: pd.DataFrame) -> pd.DataFrame:
    """The conditions (leaves) of a criteria outline by kind of scoring (硬性条件, 备选条件,
    评分门槛): one row per kind with its count, most first (value_counts' order)."""
    kinds = outline.loc[outline["logic"] == "leaf", "scoring"].value_counts()
    return kinds.rename_axis("kind").reset_index(name="conditions")


# Units a row is shown and recorded in ----------------------------------------------------------
# The tables print some counts in units the formatter knows by another name: 场 (events) and 条
# (chains) are counted like 个, 名 (people) like 人; an index (指数) is a plain number; 百分点
# are percentage points (pp); tonnes (吨), the one weight, a plain number. The printed unit
# stays in `unit_stated`.
RECORDED_UNITS = {
    "场": "个",
    "条": "个",
    "名": "人",
    "指数": "number",
    "百分点": "pp",
    "吨": "number",
}


def recorded_units(rows: pd.DataFrame) -> pd.DataFrame:
    """The rows with `unit` in the unit each is recorded and formatted in (RECORDED_UNITS; other
    units unchanged) and the printed unit in `unit_stated`."""
    return rows.assign(unit_stated=rows["unit"], unit=rows["unit"].replace(RECORDED_UNITS))


# R&D of the little giants (sme_rd_indicators) ----------------------------------------------------
RD_INTENSITY = "平均研发强度"
RD_INTENSITY_MULTIPLE = "平均研发强度相当于当年规模以上工业企业平均研发强度的倍数"
DIGITAL_MULTIPLE = "数字化转型深度应用比例相当于一般中小企业的倍数"


def implied_reference(value, multiple_of_reference) -> float:
    """The reference a value is stated to be a multiple of: 8.9% R&D intensity, 6.3 times that
    of all industrial firms above designated size → 0.089 / 6.3 = 0.0141. Unit: the value's.
    ValueError when the multiple is not positive."""
    return float(multiple(value, multiple_of_reference))


def rd_comparison(rd: pd.DataFrame) -> pd.DataFrame:
    """The little giants' R&D intensity beside the intensity of all industrial firms above
    designated size that its stated multiple implies (implied_reference), as two rows:
    `population` (the row's, then 规模以上工业企业) and `intensity`; `implied` marks the
    computed one, whose value is also in `implied_intensity` (NaN on the stated row). Rows of
    sme_rd_indicators indexed by indicator.

    Example: 8.9%, 6.3 times → 0.089 and 0.0141."""
    intensity = float(rd.loc[RD_INTENSITY, "value_stated"])
    implied = implied_reference(intensity, float(rd.loc[RD_INTENSITY_MULTIPLE, "value_stated"]))
    return pd.DataFrame(
        {
            "population": [rd.loc[RD_INTENSITY, "population"], "规模以上工业企业"],
            "intensity": [intensity, implied],
            "implied": [False, True],
            "implied_intensity": [float("nan"), implied],
        }
    )


def rd_intensity_rows(rd: pd.DataFrame) -> pd.DataFrame:
    """The two rows of sme_rd_indicators (indexed by indicator) the implied intensity of all
    industrial firms comes from: the little giants' intensity and its stated multiple."""
    return rd.loc[[RD_INTENSITY, RD_INTENSITY_MULTIPLE]]


# The three features of the specialised firms (sme_features of 002, dzb_little_giant_features of
# 003: the same three figures, attributed to different populations) ------------------------------
def paired_features(sme: pd.DataFrame, dzb: pd.DataFrame, ids) -> pd.DataFrame:
    """The features of both documents side by side, matched by their fixed id (`ids`: a
    function giving a feature's id, helpers.data.ids.category_id): one row per feature with
    `feature_id`, 002's `feature`, `population` and `share_stated`, and 003's as `feature_003`,
    `share_003` (003 names every feature's population 专精特新“小巨人”企业); in 002's order.
    `same_population` says whether both documents name the same population."""
    left = sme.assign(feature_id=sme["feature"].map(ids))
    right = dzb.assign(feature_id=dzb["feature"].map(ids))[
        ["feature_id", "feature", "share_stated"]
    ]
    right = right.rename(columns={"feature": "feature_003", "share_stated": "share_003"})
    table = left.merge(right, on="feature_id", how="left", validate="1:1")
    return table.assign(same_population=table["population"] == "专精特新“小巨人”企业")


# Financing programmes of provinces and banks (sme_financing_programmes) ---------------------------
def provincial_programmes(programmes: pd.DataFrame) -> pd.DataFrame:
    """The rows of sme_financing_programmes that name a province (a province's market, a bank's
    product, a province's matchmaking), in the table's order."""
    return programmes[programmes["province"].notna()]


def financing_per_firm(rows: pd.DataFrame, amount: str, firms: str) -> float:
    """An actor's financing per firm in 万元 from its rows (indexed by indicator): `amount` in
    亿元 over `firms` in 家 — 山东's equity markets: 33亿元 for 1,552 firms → 212.63万元 per firm.
    ValueError when the units are not 亿元 and 家, or there are no firms."""
    if rows.loc[amount, "unit"] != "亿元" or rows.loc[firms, "unit"] != "家":
        raise ValueError(
            f"financing_per_firm: needs {amount!r} in 亿元 and {firms!r} in 家, got "
            f"{rows.loc[amount, 'unit']!r} and {rows.loc[firms, 'unit']!r}"
        )
    return float(
        multiple(float(rows.loc[amount, "value_stated"]) * 10_000, rows.loc[firms, "value_stated"])
    )


# Shandong (dzb_shandong_industry) ----------------------------------------------------------------
def coverage(rows: pd.DataFrame) -> pd.DataFrame:
    """The rows that say how many of a whole they are (value_stated of out_of_stated: 197 of the
    207 industrial groups) with `coverage` = value ÷ whole.

    Example: 197 of 207 → 0.9517; 41 of 41 → 1."""
    counted = rows[rows["out_of_stated"].notna()]
    return counted.assign(
        coverage=[
            float(multiple(v, w))
            for v, w in zip(counted["value_stated"], counted["out_of_stated"], strict=True)
        ]
    )


def implied_from_gap(rows: pd.DataFrame, pairs: dict[str, str]) -> pd.DataFrame:
    """The rate a stated gap is measured against (`pairs`: indicator of a rate → indicator of
    its gap in percentage points above another rate; rows indexed by indicator): Shandong's
    industry grew 6.9%, 3.1 points above the nation → the nation grew 6.9% − 3.1 pp = 3.8%.
    One row per pair with `indicator` (the rate's), `gap_indicator` and `implied` (a
    fraction). Unit: fraction."""
    found = []
    for rate, gap in pairs.items():
        if rate in rows.index and gap in rows.index:
            implied = (
                float(rows.loc[rate, "value_stated"]) - float(rows.loc[gap, "value_stated"]) / 100
            )
            found.append({"indicator": rate, "gap_indicator": gap, "implied": implied})
    return pd.DataFrame(found, columns=["indicator", "gap_indicator", "implied"])


# The rates of 003's Shandong page whose gap to another rate it states.
SHANDONG_GAPS = {
    "规上工业增加值增长": "规上工业增加值增速高于全国",
    "高技术制造业投资增长": "高技术制造业投资增速高于全部投资",
}


def share_of(part, whole) -> float:
    """A count as a share of a larger count of another table (山东's 16,075 专精特新中小企业 of
    the nation's 98,000 → 0.1640). Unit: fraction."""
    return float(multiple(part, whole))


# The report's recommendations (001 recommendations) ---------------------------------------------
# Which text_figures item of 001 states the number of recommendations to each audience.
RECOMMENDATION_COUNT_ITEMS = {"企业": "suggestions_to_firms", "政府": "suggestions_to_government"}


def recommendation_counts(recommendations: pd.DataFrame, text: pd.DataFrame) -> pd.DataFrame:
    """Recommendations per audience (企业, 政府) in the table's order, with the number the
    summary states (`stated`, from `text`: text_figures indexed by item; NaN where none).

    Example: four rows to firms and three to government, the summary's 四方面 / 三方面 →
    items 4 and 3, stated 4 and 3."""
    counts = recommendations.groupby("audience", sort=False).size().rename("items").reset_index()
    items = counts["audience"].map(RECOMMENDATION_COUNT_ITEMS)
    counts["stated"] = [
        float(text.loc[i, "value"]) if isinstance(i, str) and i in text.index else float("nan")
        for i in items
    ]
    return counts


def stated_recommendation_counts(text: pd.DataFrame) -> pd.DataFrame:
    """The text_figures rows (indexed by item) stating the numbers of recommendations."""
    return text.loc[[i for i in RECOMMENDATION_COUNT_ITEMS.values() if i in text.index]]


# 山东's regional equity markets: financing and firms quoted on their specialised boards.
BOARD_FINANCING = ("帮助专精特新企业实现各类融资", "累计挂牌专精特新企业")


def board_financing_per_firm(provincial: pd.DataFrame) -> pd.DataFrame:
    """For every actor of the provincial programmes that states both the financing it helped
    raise and the firms quoted on its board (BOARD_FINANCING), the financing per firm in 万元
    (see financing_per_firm), one row per actor with `actor`, `province` and `per_firm`.

    Example: 山东's markets, 33亿元 for 1,552 firms → 212.63."""
    rows = []
    for actor, own in provincial.groupby("actor", sort=False):
        indexed = own.set_index("indicator")
        if all(i in indexed.index for i in BOARD_FINANCING):
            rows.append(
                {
                    "actor": actor,
                    "province": own["province"].iloc[0],
                    "per_firm": financing_per_firm(indexed, *BOARD_FINANCING),
                }
            )
    return pd.DataFrame(rows, columns=["actor", "province", "per_firm"])


def board_financing_rows(provincial: pd.DataFrame, actor: str) -> pd.DataFrame:
    """The two rows of an actor a financing per firm comes from (see board_financing_per_firm)."""
    own = provincial[provincial["actor"] == actor]
    return own[own["indicator"].isin(BOARD_FINANCING)]


def gap_rows(rows: pd.DataFrame, indicator: str, gap_indicator: str) -> pd.DataFrame:
    """The two rows (of a table indexed by indicator) a rate implied by a stated gap comes
    from (see implied_from_gap)."""
    return rows.loc[[indicator, gap_indicator]]


def national_count(tiers: pd.DataFrame, tier: str = "专精特新中小企业") -> pd.DataFrame:
    """The row of one tier of a document's tier counts (dzb_sme_tiers: 003's 9.8万
    专精特新中小企业 nationwide)."""
    return tiers[tiers["tier"] == tier]
