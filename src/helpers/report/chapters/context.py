"""Chapter 5's figures, sentences and tables (政策与市场背景, seeds 002–004): the charts drawn
from the tables helpers.stats.context computes, the values each figure's reading sentence is
filled with, and the published numbers as readers see them (with the hedge word the source
printed: 超12,000 / over 12,000)."""

from __future__ import annotations

import pandas as pd

from helpers.data import catalog
from helpers.report import charts, context_charts, words
from helpers.report.chapter import Chapter
from helpers.report.format import format_qualified, is_money, is_qualified
from helpers.report.format import qualified as hedged
from helpers.stats import context as st

WORD_JOINER = "\u2060"
NO_BREAK_SPACE = "\u00a0"  # indents the criteria outline (HTML would collapse plain spaces)
# The series of 图5.2: label word (ch05.fig_smes.<key>) -> indicator of sme_counts_by_year.
SME_SERIES = {"count": "中小微企业数量", "new_per_day": "平均每天新设企业数"}


# Numbers and words as readers see them --------------------------------------------------------
def qualified(ch: Chapter, value, unit: str, qualifier=None, **options) -> str:
    """A published number as a sentence writes it, with the hedge word it was printed with
    (超 → 超20万 / over 200,000; 多 → 110多; no qualifier → the number alone); an amount of
    money with its unit (约3,060亿元 / about CNY 306 billion). `options` as Chapter.fmt."""
    if is_money(unit):
        return format_qualified(value, unit, qualifier, ch.language, compact=True, **options)
    return hedged(ch.fmt(value, unit, **options), qualifier, ch.language)


def period_words(ch: Chapter, period) -> str:
    """A period of the tables as readers see it: a year ('2023' → 2023年) or a date
    ('2022-12-31' → 2022年12月31日)."""
    period = str(period)
    if len(period) == 4:
        return ch.t("ch05.year", year=period)
    return words.format_date(period, ch.language)


def money(ch: Chapter, value) -> str:
    """An amount in 亿元 with its unit and as many decimals as it has (2.72万亿元, 211.47亿元 /
    CNY 2.72 trillion)."""
    return ch.fmtu(value, "亿元", decimals=st.shown_decimals(value))


def unbroken(text: str) -> str:
    """A short table cell kept on one line: word joiners between its characters (Chinese would
    otherwise break anywhere)."""
    return WORD_JOINER.join(text)


def unbroken_name(ch: Chapter, value: str) -> str:
    """A category name in the edition's words, kept on one line in Chinese (English breaks
    between words)."""
    name = ch.name(value)
    return unbroken(name) if ch.language == "zh" else name


def value_with_unit(ch: Chapter, value, unit: str, qualifier=None) -> str:
    """A figure of the financing table with its hedge word and unit, on one line: 1,100多个,
    约30%, 2.72万亿元 (只, counted funds, formatted like 个)."""
    decimals = st.shown_decimals(value, 2 if unit in ("share", "rate") else 0)
    text = qualified(ch, value, "个" if unit == "只" else unit, qualifier, decimals=decimals)
    if is_money(unit):  # its unit is part of the amount (2.72万亿元 / CNY 2.72 trillion)
        return unbroken(text)
    return unbroken(ch.t(f"ch05.value_with_unit.{unit}", value=text))


# 5.1 The tier pyramid -------------------------------------------------------------------------
def check_counts(ch: Chapter, tiers: pd.DataFrame, other: pd.DataFrame, period: str) -> None:
    """Check each tier's count in another document's table (003, 004) against 002's count of
    the same tier in `period`: the documents should agree."""
    # A loop, not check_table (one source for every row): each cites its row and 002's.
    for index, row in other.iterrows():
        ours = tiers[(tiers["tier"] == row["tier"]) & (tiers["period"] == period)]
        ch.check(
            (other.loc[[index]], ours),
            ch.t("ch05.checks.same_count", tier=ch.name(row["tier"]), doc=row["source_doc"]),
            other.loc[[index], "firms"],  # the other document's printed count
            ours["firms"].iloc[0],
            unit="家",
        )


def tier_pyramid_figure(ch: Chapter, pyramid: pd.DataFrame):
    """图5.1: the pyramid of tiers, each bar labelled with its count as printed and the level
    the source names (塔基, 塔身, 塔尖)."""
    shown = pyramid.assign(
        name=pyramid["tier"].map(ch.name),
        text=[
            ch.t(
                "ch05.fig_tiers.bar_label",
                firms=qualified(ch, firms, "家", qualifier),
                level=ch.name(level),
            )
            for firms, qualifier, level in zip(
                pyramid["firms"],
                pyramid["qualifier"],
                pyramid["pyramid_level_stated"],
                strict=True,
            )
        ],
        hedged=pyramid["qualifier"].map(is_qualified),
    )
    return context_charts.tier_pyramid(shown, "name", "firms", "text", hedged="hedged")


def tier_pyramid(
    ch: Chapter, pyramid: pd.DataFrame, tiers: pd.DataFrame, earlier: pd.DataFrame, growth: float
) -> None:
    """图5.1 with its sentence and its table: the pyramid (see stats.context.tier_pyramid), the
    little giants of an `earlier` period (one row of sme_tiers) and their growth since."""
    innovative, specialised, giants = (pyramid.iloc[i] for i in range(3))
    then = earlier.iloc[0]
    ch.figure(
        tier_pyramid_figure(ch, pyramid),
        "fig5_1_tier_pyramid",
        "ch05.fig_tiers",
        ch.source_line(
            st.tiers_of(tiers, pyramid["period"].iloc[0]),
            note=ch.t("common.hedged_note") if pyramid["qualifier"].map(is_qualified).any() else "",
        ),
        date=period_words(ch, pyramid["period"].iloc[0]),
        innovative=qualified(ch, innovative["firms"], "家", innovative["qualifier"]),
        specialised=qualified(ch, specialised["firms"], "家", specialised["qualifier"]),
        giants=qualified(ch, giants["firms"], "家", giants["qualifier"]),
        specialised_share=ch.fmt(specialised["share_of_below"], "share"),
        giants_share=ch.fmt(giants["share_of_below"], "share"),
        giants_2022=qualified(ch, then["firms"], "家", then["qualifier"]),
        date_2022=period_words(ch, then["period"]),
        direction=words.direction(then["firms"], giants["firms"], ch.language),
        growth=ch.fmt(growth, "share"),
    )
    table = st.tier_table(pyramid, tiers)
    columns = ["tier", "tier_date", "qualifier", "firms", "stage_stated", "pyramid_level_stated"]
    saved = table.assign(tier_date=table["period"].map(lambda p: period_words(ch, p)))[
        [*columns, "share_of_below"]
    ]
    # Readers see each count with the word the source printed it with (超200,000), never as
    # an exact value; the spreadsheet keeps the number and the word apart.
    cells = saved.drop(columns="qualifier")
    shown = ch.display_frame(cells, {"firms": "家", "share_of_below": "share"})
    shown.columns = cells.columns  # save_table names the columns in the edition's words
    shown["firms"] = [
        hedged(ch.fmt(n, "家", compact=False), q, ch.language)
        for n, q in zip(saved["firms"], saved["qualifier"], strict=True)
    ]
    ch.save_table(saved, "fig5_1_tier_pyramid", source=ch.source_line(tiers), shown=shown)


# 5.2 SMEs 2018 → 2022 -------------------------------------------------------------------------
def sme_index_table(ch: Chapter, smes: pd.DataFrame) -> pd.DataFrame:
    """图5.2's bars: each series (SME_SERIES) at 1 in its base year and at its multiple of the
    base in its end year, series and years in the edition's words."""
    rows = []
    for key, indicator in SME_SERIES.items():
        row = smes.loc[indicator]
        series = ch.t(f"ch05.fig_smes.{key}")
        rows += [
            {"series": series, "year": ch.t("ch05.year", year=int(row["start"])), "multiple": 1.0},
            {
                "series": series,
                "year": ch.t("ch05.year", year=int(row["end"])),
                "multiple": row["multiple_of_base"],
            },
        ]
    return pd.DataFrame(rows)


def sme_growth_figure(ch: Chapter, smes: pd.DataFrame):
    """图5.2: both series as multiples of their base year, side by side."""
    table = sme_index_table(ch, smes)
    start = int(smes.loc[SME_SERIES["count"], "start"])
    fig = charts.grouped_bar_chart(
        table,
        "series",
        "year",
        "multiple",
        value_label=ch.t("ch05.fig_smes.axis", start=start),
        category_order=[ch.t(f"ch05.fig_smes.{key}") for key in SME_SERIES],
        series_order=list(dict.fromkeys(table["year"])),
        unit="倍",
        language=ch.language,
    )
    context_charts.readable_labels(fig)
    fig.set_size_inches(8, 3.6)  # two categories: a shorter chart
    return fig


def sme_growth(ch: Chapter, smes: pd.DataFrame, counts: pd.DataFrame) -> None:
    """图5.2 with its sentence: `smes` from stats.context.implied_growth of `counts`
    (sme_counts_by_year, the figure's source)."""
    sme, new = smes.loc[SME_SERIES["count"]], smes.loc[SME_SERIES["new_per_day"]]
    ch.figure(
        sme_growth_figure(ch, smes),
        "fig5_2_sme_growth",
        "ch05.fig_smes",
        ch.source_line(counts),
        start=int(sme["start"]),
        end=int(sme["end"]),
        count=qualified(ch, sme["count"], "家", sme["qualifier"]),
        growth=ch.fmt(sme["growth_vs_base_stated"], "rate"),
        cagr=ch.fmt(sme["cagr"], "rate"),
        daily=ch.fmt(new["count"], "家"),
        multiple=ch.fmt(new["multiple_vs_base_stated"], "倍", decimals=1),
        daily_cagr=ch.fmt(new["cagr"], "rate"),
        compare=words.compare(new["cagr"], sme["cagr"], ch.language),
    )


# 5.3 Financing and listings -------------------------------------------------------------------
CUMULATIVE = "在A股上市的专精特新中小企业（累计）"
CUMULATIVE_SHARE = "占A股已上市企业的比例"
NEW_LISTED = "A股新上市企业中的专精特新中小企业"
NEW_SHARE = "专精特新中小企业占A股新上市企业的比例"
USES_SHARE = "上述两项合计占A股融资总额的比例"


def listings(ch: Chapter, national: pd.DataFrame, fundraising: pd.DataFrame) -> None:
    """图5.3 with its sentence: the specialised SMEs' share of all A-share listed firms and of
    the new listings of 2023 H1 (`national`: stats.context.national_figures; `fundraising`:
    listing_fundraising indexed by indicator)."""
    a_share, a_share_share = national.loc[CUMULATIVE], national.loc[CUMULATIVE_SHARE]
    new_listed, new_share = fundraising.loc[NEW_LISTED], fundraising.loc[NEW_SHARE]
    rows = [a_share_share, new_share]
    # The shares as printed, with their hedge words (约30%, 超60%): pale and hatched bars
    shares = pd.DataFrame(
        {
            "item": [ch.t("ch05.fig_listings.cumulative"), ch.t("ch05.fig_listings.new_h1")],
            "share": [row["value_stated"] for row in rows],
            "label": [qualified(ch, r["value_stated"], "share", r["qualifier"], decimals=0) for r in rows],
            "hedged": [is_qualified(row["qualifier"]) for row in rows],
        }
    )
    fig = charts.bar_chart(
        shares,
        "item",
        "share",
        value_label=ch.t("ch05.fig_listings.axis"),
        percent=True,
        sort=False,
        labels="label",
        hedged="hedged",
    )
    ch.figure(
        fig,
        "fig5_3_listings",
        "ch05.fig_listings",
        ch.source_line(
            national.loc[national["unit"] != "只"],
            fundraising.head(2),
            note=ch.t("common.hedged_note") if shares["hedged"].any() else "",
        ),
        a_share=qualified(ch, a_share["value_stated"], "家", a_share["qualifier"]),
        a_share_share=qualified(
            ch, a_share_share["value_stated"], "share", a_share_share["qualifier"], decimals=0
        ),
        new_listed=qualified(ch, new_listed["value_stated"], "家", new_listed["qualifier"]),
        new_share=qualified(
            ch, new_share["value_stated"], "share", new_share["qualifier"], decimals=0
        ),
    )


def financing_reading(
    ch: Chapter,
    loans: pd.DataFrame,
    national: pd.DataFrame,
    fundraising: pd.DataFrame,
    uses_total: float,
) -> None:
    """The sentence on loans, the national SME development fund and the planned uses of the
    funds raised (their total: `uses_total`)."""
    loan = loans.iloc[0]
    fund = national[national["actor"] == "国家中小企业发展基金"]
    uses = st.fundraising_uses(fundraising)

    def stated(rows, indicator, unit, **options):
        row = rows.loc[indicator]
        return qualified(ch, row["value_stated"], unit, row["qualifier"], **options)

    ch.text(
        "ch05.financing_reading",
        balance=money(ch, loan["loan_balance"]),
        growth=ch.fmt(loan["growth_stated"], "rate"),
        period=ch.name(loan["period"]),
        funds=ch.fmt(fund.loc["累计设立子基金", "value_stated"], "个"),
        projects=stated(fund, "投资项目", "个"),
        grown=stated(fund, "获投资后成长为“小巨人”的企业", "家"),
        rd_uses=stated(uses, uses.index[0], "亿元", decimals=0),
        line_uses=stated(uses, uses.index[1], "亿元", decimals=0),
        # a sum of hedged figures is itself approximate (约1.04万亿元)
        uses_total=hedged(
            money(ch, uses_total), "约" if uses["qualifier"].map(is_qualified).any() else None,
            ch.language,
        ),
        uses_share=ch.fmt(fundraising.loc[USES_SHARE, "value_stated"], "share", decimals=0),
    )


FINANCING_COLUMNS = [
    "actor",
    "indicator",
    "value_stated",
    "unit",
    "qualifier",
    "period",
    "inferred",
    "source_doc",
    "source_id",
]


def financing_table(ch: Chapter, figures: pd.DataFrame, *sources: pd.DataFrame) -> None:
    """表5.1: the national financing and listing figures (stats.context.financing_figures),
    each value with its hedge word and unit as printed; `sources`: the published tables."""
    shown = pd.DataFrame(
        {
            "item": figures["indicator"].map(ch.name),
            "population": figures["actor"].map(lambda a: unbroken_name(ch, a)),
            "value": [
                value_with_unit(ch, v, u, q)
                for v, u, q in zip(
                    figures["value_stated"], figures["unit"], figures["qualifier"], strict=True
                )
            ],
            "period": figures["period"].map(lambda p: unbroken_name(ch, p)),
        }
    )
    ch.save_table(
        figures[FINANCING_COLUMNS],
        "tab5_1_financing",
        source=ch.source_line(*sources),
        title=ch.t("ch05.tab_financing.title"),
        shown=shown,
    )


# 5.4 Industry distribution --------------------------------------------------------------------
def check_stated_totals(ch: Chapter, table: str, rows: pd.DataFrame, checked: pd.DataFrame):
    """Check the totals the catalogue declares for `table` (the text's “二者合计占比84.3%”)
    against the sum of their parts in `rows`; `checked`: the rows the check names."""
    totals = catalog.table_spec(table, ch.source.tables_dir).totals
    # A loop, not check_table: a declared total has no category to name it by.
    for total in st.declared_totals(rows, totals).itertuples():
        ch.check(
            checked,
            ch.t("ch05.checks.top_two_total"),
            total.stated,
            total.recomputed,
            unit="share",
        )


def industries_figure(ch: Chapter, printed: pd.DataFrame, remainder: float, unprinted: int):
    """图5.4: the printed shares, largest first, and the unprinted industries' remainder
    muted below them."""
    remainder_name = ch.t("ch05.fig_industries.remainder", n=unprinted)
    bars = pd.concat(
        [
            printed.assign(name=printed["industry"].map(ch.name))[["name", "share_stated"]],
            pd.DataFrame({"name": [remainder_name], "share_stated": [remainder]}),
        ],
        ignore_index=True,
    )
    return context_charts.shares_with_remainder(
        bars,
        "name",
        "share_stated",
        remainder_name,
        value_label=ch.t("ch05.fig_industries.axis"),
    )


def industries(
    ch: Chapter,
    distribution: pd.DataFrame,
    top_two: pd.DataFrame,
    top_two_share: float,
    remainder: float,
) -> None:
    """图5.4 with its sentence: qzd_industry_distribution, its first two industries in the
    legend with their sum, and the remainder of the industries not printed."""
    unprinted = st.unprinted(distribution)
    first, second = top_two.iloc[0], top_two.iloc[1]
    ch.figure(
        industries_figure(ch, st.printed_shares(distribution), remainder, len(unprinted)),
        "fig5_4_industries",
        "ch05.fig_industries",
        ch.source_line(distribution, note=ch.t("ch05.fig_industries.reproduces")),
        as_of=ch.as_of("qzd_industry_distribution"),
        first=ch.name(first["industry"]),
        first_share=ch.fmt(first["share_stated"], "share"),
        second=ch.name(second["industry"]),
        second_share=ch.fmt(second["share_stated"], "share"),
        top_two=ch.fmt(top_two_share, "share"),
        qualifier=words.tenths(top_two_share, ch.language),
        remainder=ch.fmt(remainder, "share"),
        unprinted=ch.names(unprinted["industry"]),
    )


# 5.5 VC/PE penetration ------------------------------------------------------------------------
def vcpe(ch: Chapter, penetration: pd.DataFrame, ratio: float) -> None:
    """图5.5 with its sentence: all specialised firms' penetration beside the national little
    giants', and the multiple between them (`ratio`)."""
    rates = penetration.set_index("population", drop=False)
    everyone, giants = rates.loc[st.ALL_SPECIALISED], rates.loc[st.NATIONAL_LITTLE_GIANTS]
    pair = rates.loc[[st.ALL_SPECIALISED, st.NATIONAL_LITTLE_GIANTS]]
    fig = context_charts.shares_with_multiple(
        pair.assign(name=pair["population"].map(ch.name)),
        "name",
        "penetration_stated",
        ch.fmtu(ratio, "倍"),
        value_label=ch.t("ch05.fig_vcpe.axis"),
    )
    ch.figure(
        fig,
        "fig5_5_vcpe",
        "ch05.fig_vcpe",
        ch.source_line(penetration, note=ch.t("ch05.fig_vcpe.reproduces")),
        year=int(everyone["year"]),
        all_rate=ch.fmt(everyone["penetration_stated"], "share"),
        giants_rate=ch.fmt(giants["penetration_stated"], "share"),
        ratio=ch.fmt(ratio, "倍"),
        compare=words.compare(
            giants["penetration_stated"], everyone["penetration_stated"], ch.language
        ),
    )


# 5.6 Recognition criteria ---------------------------------------------------------------------
def requirement(ch: Chapter, row) -> str:
    """What a row of the criteria outline requires: how its children combine (all / any), or
    its condition (须具备, 前3名以内, ≥ 60分, ≥ 3%)."""
    if row["logic"] != "leaf":
        return ch.t(f"ch05.criteria.logic.{row['logic']}")
    if row["operator"] == "bool":
        return ch.t("ch05.criteria.must_hold")
    if row["unit"] == "名":
        return ch.t("ch05.criteria.rank_within", value=ch.fmt(row["threshold"], "项"))
    scale = 2 if row["unit"] == "share" else 0
    decimals = st.shown_decimals(row["threshold"], scale)
    value = ch.fmtu(row["threshold"], row["unit"], decimals=decimals)
    return f"{row['operator'].replace('>=', '≥').replace('<=', '≤')} {value}"


def condition(ch: Chapter, row) -> str:
    """A row of the criteria outline as a line of the table: indented by its depth, its
    outline number, and the tier, indicator or dimension it names."""
    if row["depth"] == 0:
        text = ch.name(row["tier"])
    elif row["logic"] == "leaf":
        text = ch.name(row["indicator"])
    elif pd.isna(row["dimension"]):
        text = ch.t("ch05.criteria.unnamed_group")
    else:
        text = ch.name(row["dimension"])
    number = f"{row['outline']} " if row["outline"] else ""
    return NO_BREAK_SPACE * 3 * row["depth"] + number + text


def criteria_shown(ch: Chapter, outline: pd.DataFrame) -> pd.DataFrame:
    """表5.2 as readers see it: condition, requirement and kind of each row of the outline."""
    rows = [row for _, row in outline.iterrows()]
    return pd.DataFrame(
        {
            "criterion": [condition(ch, row) for row in rows],
            "requirement": [unbroken(requirement(ch, row)) for row in rows],
            "scoring": outline["scoring"].map(lambda s: "" if pd.isna(s) else unbroken(ch.name(s))),
        }
    )


CRITERIA_COLUMNS = [
    "tier",
    "criterion_id",
    "outline",
    "logic",
    "indicator",
    "operator",
    "threshold",
    "unit",
    "scoring",
    "inferred",
    "text",
]


def criteria(
    ch: Chapter,
    outline: pd.DataFrame,
    criteria: pd.DataFrame,
    counts: pd.DataFrame,
    kinds: pd.DataFrame,
) -> None:
    """The criteria's sentence and 表5.2 generated from `miit_criteria` (`outline`:
    stats.context.criteria_outline; `counts`: criteria_counts; `kinds`: scoring_counts)."""
    size = counts.iloc[0]
    ch.text(
        "ch05.criteria_reading",
        tiers=words.numeral(size["tiers"], ch.language),
        conditions=ch.fmt(size["conditions"], "项"),
        kinds=ch.names(
            [
                ch.t("ch05.criteria.kind_count", kind=ch.name(k), n=ch.fmt(n, "项"))
                for k, n in zip(kinds["kind"], kinds["conditions"], strict=True)
            ]
        ),
        inferred=ch.fmt(size["inferred_rows"], "项"),
        mark=ch.t("inferred.mark"),
    )
    ch.save_table(
        outline[CRITERIA_COLUMNS],
        "tab5_2_criteria",
        source=ch.source_line(criteria, note=ch.t("ch05.criteria_note")),
        title=ch.t("ch05.tab_criteria.title"),
        shown=criteria_shown(ch, outline),
    )
