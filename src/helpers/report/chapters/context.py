"""Chapter 5's figures, sentences and tables (政策与市场背景, seeds 002–004): the charts drawn
from the tables helpers.stats.context computes, the values each figure's reading sentence is
filled with, and the published numbers as readers see them (with the hedge word the source
printed: 超12,000 / over 12,000)."""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from helpers.data import catalog
from helpers.data.tableio import read_table_text
from helpers.report import charts, context_charts, words
from helpers.report.chapter import FIGURE_DATA_BELOW, Chapter
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
            ch.t(
                "ch05.checks.same_count", tier=ch.name(row["tier"]), doc=ch.name(row["source_doc"])
            ),
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
        data=FIGURE_DATA_BELOW,
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
        data=sme_index_table(ch, smes).rename(columns={"series": "indicator"}),
        data_units={"multiple": "倍"},
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
            "label": [
                qualified(ch, r["value_stated"], "share", r["qualifier"], decimals=0) for r in rows
            ],
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
        data=pd.DataFrame(
            {
                "item": shares["item"],
                "value_stated": shares["share"],
                "qualifier": [row["qualifier"] for row in rows],
            }
        ),
        data_units={"value_stated": "share"},
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
            money(ch, uses_total),
            "约" if uses["qualifier"].map(is_qualified).any() else None,
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
    printed = st.printed_shares(distribution)
    # the bars: the printed shares, then the remainder the unprinted industries share (derived)
    remainder_row = {
        "industry": ch.t("ch05.fig_industries.remainder", n=len(unprinted)),
        "share_stated": remainder,
        "inferred": True,
    }
    drawn = pd.concat(
        [
            printed[["industry", "share_stated"]].assign(inferred=False),
            pd.DataFrame([remainder_row]),
        ],
        ignore_index=True,
    )
    ch.figure(
        industries_figure(ch, printed, remainder, len(unprinted)),
        "fig5_4_industries",
        "ch05.fig_industries",
        ch.source_line(distribution, note=ch.t("ch05.fig_industries.reproduces")),
        data=drawn,
        data_units={"share_stated": "share"},
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
        data=pair[["population", "year", "penetration_stated"]],
        data_units={"penetration_stated": "share"},
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


# The rest of 002–004 and 001's recommendations ------------------------------------------------
def printed_value(ch: Chapter, value, printed_unit: str, qualifier=None, decimals=None) -> str:
    """A figure of 002–004 as printed, on one line: its hedge word, number and unit (1,552家,
    120余场, 117.1, 3.1个百分点, 约52%); the number formatted in the unit it is recorded in
    (stats.context.RECORDED_UNITS), the unit's words from `ch05.printed_unit` where the
    financing table has none; `decimals`: the decimals the source printed a share or rate
    with (8.0%: see printed_decimals), else as many as the value has."""
    unit = st.RECORDED_UNITS.get(printed_unit, printed_unit)
    if qualifier in OWN_QUALIFIERS:  # a hedge word the shared formatter does not know
        bare = printed_value(ch, value, printed_unit, decimals=decimals)
        return unbroken(ch.t(f"ch05.printed_qualifier.{qualifier}", value=bare))
    if decimals is not None and unit in ("share", "rate"):
        text = qualified(ch, value, unit, qualifier, decimals=decimals)
        return unbroken(ch.t(f"ch05.value_with_unit.{unit}", value=text))
    if printed_unit not in PRINTED_UNITS:
        return value_with_unit(ch, value, unit, qualifier)
    scale = 2 if unit in ("share", "rate") else 0
    number = ch.fmt(value, unit, decimals=st.shown_decimals(value, scale))
    if qualifier in BETWEEN_NUMBER_AND_UNIT and unit != "倍":  # 1,000多个, 18,000余家; 2倍多
        number = hedged(number, qualifier, ch.language)
        return unbroken(ch.t(f"ch05.printed_unit.{printed_unit}", value=number))
    # any other hedge goes around the figure with its unit: 超15项, 20,000家以上
    text = ch.t(f"ch05.printed_unit.{printed_unit}", value=number)
    return unbroken(hedged(text, qualifier, ch.language))


def printed_decimals(ch: Chapter, table: str, key: str, column: str = "value_stated") -> dict:
    """The decimals each row of a table prints its shares and rates with, by its `key` value,
    from the digits its file writes (0.080 → 8.0%, 0.15 → 15%): a fraction's digits less two;
    the shares of one table are not all printed alike."""
    spec = catalog.table_spec(table, ch.source.tables_dir)
    text = read_table_text(Path(ch.source.tables_dir) / spec.file)
    cells = dict(zip(text[key], text[column].astype(str), strict=True))
    return {k: max(len(v.partition(".")[2]) - 2, 0) for k, v in cells.items()}


# Units whose words these sections give themselves (ch05.printed_unit): those the financing
# table's words (value_with_unit) do not cover, and 个 and 家, which an English table or
# sentence leaves to the item's name (41 industrial divisions, not 41 projects).
PRINTED_UNITS = ("户", "场", "名", "项", "倍", "种", "条", "指数", "百分点", "吨", "个", "家")
# Hedge words written between a number and its unit (1,000多个), not around both.
BETWEEN_NUMBER_AND_UNIT = ("多", "余")
# Hedge words of 003's company cases the shared formatter has no words for (不低于5%: at least).
OWN_QUALIFIERS = ("不低于",)


def rd(ch: Chapter, rd: pd.DataFrame, comparison: pd.DataFrame, giants: pd.DataFrame) -> None:
    """The R&D of the little giants (002, sme_rd_indicators indexed by indicator): a figure of
    their R&D intensity beside the one of all industrial firms its stated multiple implies
    (`comparison`: stats.context.rd_comparison), and its sentence; `giants`: the row of
    sme_tiers with the little giants of the same date (近9000家)."""
    then = giants.iloc[0]
    times = rd.loc[st.RD_INTENSITY_MULTIPLE]
    names = [
        ch.t("ch05.rd.implied_name", name=ch.name(p)) if implied else ch.t("ch05.rd.giants_name")
        for p, implied in zip(comparison["population"], comparison["implied"], strict=True)
    ]
    pair = comparison.assign(name=names).iloc[::-1]  # the reference first, then the 小巨人
    fig = context_charts.shares_with_multiple(
        pair,
        "name",
        "intensity",
        ch.fmtu(times["value_stated"], "倍", decimals=1),
        value_label=ch.t("ch05.rd.axis"),
    )

    def stated(indicator):
        row = rd.loc[indicator]
        return printed_value(ch, row["value_stated"], row["unit"], row["qualifier"])

    ch.figure(
        fig,
        "fig5_rd_intensity",
        "ch05.rd",
        ch.source_line(rd, note=ch.t("ch05.rd.note")),
        data=pair[["population", "intensity", "implied"]].rename(columns={"implied": "inferred"}),
        data_units={"intensity": "share"},
        date=period_words(ch, then["period"]),
        giants=qualified(ch, then["firms"], "家", then["qualifier"]),
        staff=stated("研发人员占比"),
        intensity=stated(st.RD_INTENSITY),
        multiple=ch.fmt(times["value_stated"], "倍", decimals=1),
        implied=ch.fmt(comparison["intensity"].iloc[-1], "share", decimals=2),
        patents=stated("企业平均授权发明专利数"),
        digital=stated(st.DIGITAL_MULTIPLE),
    )


def features(ch: Chapter, paired: pd.DataFrame) -> None:
    """The three features 002 and 003 both print (`paired`: stats.context.paired_features), with
    the population each names, as a sentence and a table."""
    differing = paired[~paired["same_population"]]
    ch.text(
        "ch05.features.reading",
        shares=ch.names(
            [
                qualified(ch, v, "share", q, decimals=0)
                for v, q in zip(paired["share_stated"], paired["qualifier"], strict=True)
            ]
        ),
        differing=ch.names(
            [ch.t("ch05.features.quoted", text=ch.name(f)) for f in differing["feature"]]
        ),
        population=ch.names(dict.fromkeys(differing["population"])),
    )
    shown = pd.DataFrame(
        {
            "feature": paired["feature"].map(ch.name),
            "population_002": paired["population"].map(lambda p: unbroken_name(ch, p)),
            "share_002": [
                unbroken(qualified(ch, v, "share", q, decimals=0))
                for v, q in zip(paired["share_stated"], paired["qualifier"], strict=True)
            ],
            "population_003": unbroken_name(ch, "专精特新“小巨人”企业"),
            "share_003": [
                unbroken(qualified(ch, v, "share", q, decimals=0))
                for v, q in zip(paired["share_003"], paired["qualifier"], strict=True)
            ],
        }
    )
    ch.save_table(
        paired,
        "tab5_features",
        source=ch.source_line("sme_features", "dzb_little_giant_features"),
        title=ch.t("ch05.features.title"),
        shown=shown,
    )


PROGRAMME_COLUMNS = ["province", "actor", "indicator", "value_stated", "unit_stated", "qualifier"]


def programmes(
    ch: Chapter, provincial: pd.DataFrame, per_firm: pd.DataFrame, figures: pd.DataFrame
) -> None:
    """The provinces' and banks' programmes of 002 (`provincial`: stats.context.recorded_units
    of provincial_programmes) as a sentence and a table, with the financing per quoted firm of
    a board that states both (`per_firm`: board_financing_per_firm), then 004's sentence on the
    listed firms' market values (`figures`: qzd_key_figures indexed by indicator)."""
    sentences = [
        ch.t(
            "ch05.programmes.reading",
            n=ch.fmt(provincial["actor"].nunique(), "项"),
            provinces=ch.names(dict.fromkeys(provincial["province"])),
        )
    ]
    for row in per_firm.itertuples():
        rows = st.board_financing_rows(provincial, row.actor).set_index("indicator")
        amount, firms = (rows.loc[i] for i in st.BOARD_FINANCING)
        sentences.append(
            ch.t(
                "ch05.programmes.per_firm",
                actor=ch.name(row.actor),
                period=ch.name(amount["period"]),
                firms=printed_value(
                    ch, firms["value_stated"], firms["unit_stated"], firms["qualifier"]
                ),
                amount=printed_value(
                    ch, amount["value_stated"], amount["unit_stated"], amount["qualifier"]
                ),
                per_firm=ch.fmtu(row.per_firm, "万元", decimals=0),
            )
        )
    ch.text("ch05.paragraph", text="".join(sentences))
    shown = pd.DataFrame(
        {
            "province": provincial["province"].map(ch.name),
            "actor": provincial["actor"].map(lambda a: ch.name(a)),
            "item": provincial["indicator"].map(ch.name),
            "value": [
                printed_value(ch, v, u, q)
                for v, u, q in zip(
                    provincial["value_stated"],
                    provincial["unit_stated"],
                    provincial["qualifier"],
                    strict=True,
                )
            ],
            "period": provincial["period"].map(lambda p: unbroken_name(ch, p)),
        }
    )
    ch.save_table(
        provincial[[*PROGRAMME_COLUMNS, "period", "inferred", "source_doc", "source_id", "note"]],
        "tab5_programmes",
        source=ch.source_line(provincial),
        title=ch.t("ch05.programmes.title"),
        shown=shown,
    )
    market_values(ch, figures)


MARKET_VALUE = ("市值在50亿元以下的比例", "市值达千亿的企业数")
CLOUD = ("在阿里云上的比例", "在钉钉上的比例", "阿里云累计服务并支持数字化转型的企业数")


def key_figure(ch: Chapter, figures: pd.DataFrame, indicator: str) -> str:
    """A row of qzd_key_figures (indexed by indicator) as printed."""
    row = figures.loc[indicator]
    return printed_value(ch, row["value_stated"], row["unit"], row["qualifier"])


def market_values(ch: Chapter, figures: pd.DataFrame) -> None:
    """004's sentence on the listed specialised firms' market values (qzd_key_figures)."""
    below, large = (figures.loc[i] for i in MARKET_VALUE)
    ch.text(
        "ch05.market_values",
        year=below["period"],
        below=key_figure(ch, figures, MARKET_VALUE[0]),
        large=key_figure(ch, figures, MARKET_VALUE[1]),
        population=ch.name(large["population"]),
    )


def digital(ch: Chapter, rd: pd.DataFrame, figures: pd.DataFrame, levels: pd.DataFrame) -> None:
    """The little giants' digitalisation: 002's multiple (sme_rd_indicators), 004's cloud
    figures (qzd_key_figures) and its industries' investment levels (图9,
    qzd_digital_investment_levels) as a sentence and a table."""
    digital_row = rd.loc[st.DIGITAL_MULTIPLE]
    top = levels[levels["level"] == levels["level"].min()]
    bottom = levels[levels["level"] == levels["level"].max()]
    ch.text(
        "ch05.digital.reading",
        cloud=key_figure(ch, figures, CLOUD[0]),
        dingtalk=key_figure(ch, figures, CLOUD[1]),
        served=key_figure(ch, figures, CLOUD[2]),
        digital_population=ch.name(digital_row["population"]),
        digital=printed_value(
            ch, digital_row["value_stated"], digital_row["unit"], digital_row["qualifier"]
        ),
        levels=ch.fmt(levels["level"].nunique(), "项"),
        top=ch.names(top["industry"]),
        bottom=ch.names(bottom["industry"]),
        mark=ch.t("inferred.mark"),
    )
    shown = pd.DataFrame(
        {
            "industry": levels["industry"].map(ch.name),
            "level": levels["level"].map(lambda v: ch.fmt(v, "position")),
            "level_label": levels["level_label"].map(lambda v: "–" if pd.isna(v) else ch.name(v)),
        }
    )
    ch.save_table(
        levels,
        "tab5_digital_levels",
        source=ch.source_line(levels, note=ch.t("ch05.digital.note")),
        title=ch.t("ch05.digital.title"),
        shown=shown,
        table="qzd_digital_investment_levels",
    )


SHANDONG_COLUMNS = [
    "indicator",
    "value_stated",
    "unit_stated",
    "qualifier",
    "out_of_stated",
    "period",
    "national_rank_stated",
]


def shandong(
    ch: Chapter,
    rows: pd.DataFrame,
    covered: pd.DataFrame,
    implied: pd.DataFrame,
    national_share: float,
    national: pd.DataFrame,
) -> None:
    """003's Shandong page (dzb_shandong_industry indexed by indicator, recorded units): its
    sentence — with the coverage of the industrial classes (`covered`: stats.context.coverage),
    the national rates its stated gaps imply (`implied`: implied_from_gap) and its specialised
    SMEs as a share of 003's national count (`national_share`, `national`: that row of
    dzb_sme_tiers) — and the table of every figure as printed."""
    cover = covered.set_index("indicator")["coverage"]
    rates = implied.set_index("indicator")["implied"]
    digits = printed_decimals(ch, "dzb_shandong_industry", "indicator")

    def value(indicator):
        row = rows.loc[indicator]
        return printed_value(
            ch, row["value_stated"], row["unit_stated"], row["qualifier"], digits[indicator]
        )

    growth, investment = st.SHANDONG_GAPS
    ch.text(
        "ch05.shandong.reading",
        period=ch.name(rows.loc[growth, "period"]),
        growth=value(growth),
        gap=value(st.SHANDONG_GAPS[growth]),
        national_growth=ch.fmt(rates[growth], "rate"),
        divisions=value("拥有的工业大类"),
        groups=ch.fmt(cover["拥有的工业中类"], "share"),
        classes=ch.fmt(cover["拥有的工业小类"], "share"),
        smes=value("专精特新中小企业"),
        national_smes=qualified(
            ch, national["firms"].iloc[0], "家", national["bound"].map(BOUND_WORDS).iloc[0]
        ),
        share=ch.fmt(national_share, "share"),
        champions=value("国家制造业单项冠军"),
        investment=value(investment),
        investment_gap=value(st.SHANDONG_GAPS[investment]),
        all_investment=ch.fmt(rates[investment], "rate"),
    )
    shown = pd.DataFrame(
        {
            "item": rows["indicator"].map(ch.name),
            "value": [value(indicator) for indicator in rows["indicator"]],
            "out_of": [
                "–" if pd.isna(w) else printed_value(ch, w, u, None)
                for w, u in zip(rows["out_of_stated"], rows["unit_stated"], strict=True)
            ],
            "national_rank": rows["national_rank_stated"].map(
                lambda r: "–" if pd.isna(r) else ch.fmt(r, "position")
            ),
            "period": rows["period"].map(lambda p: unbroken_name(ch, p)),
        }
    )
    ch.save_table(
        rows[[*SHANDONG_COLUMNS, "inferred", "source_doc", "source_id", "note"]],
        "tab5_shandong",
        source=ch.source_line(rows),
        title=ch.t("ch05.shandong.title"),
        shown=shown,
    )


# The hedge word of a bound (003's dzb_sme_tiers gives a bound, not the word: 9.8万 is approx).
BOUND_WORDS = {"approx": "约", "at_least": "超", "at_most": "不足"}


def cases(ch: Chapter, cases: pd.DataFrame) -> None:
    """003's company cases (dzb_company_cases, recorded units) as a sentence and a table."""
    ch.text("ch05.cases.reading", firms=ch.names(dict.fromkeys(cases["firm"])))
    shown = pd.DataFrame(
        {
            "firm": cases["firm"].map(ch.name),
            "item": cases["indicator"].map(ch.name),
            "value": [
                printed_value(ch, v, u, q)
                for v, u, q in zip(
                    cases["value_stated"], cases["unit_stated"], cases["qualifier"], strict=True
                )
            ],
        }
    )
    columns = ["firm", "province", "indicator", "value_stated", "unit_stated", "qualifier"]
    ch.save_table(
        cases[[*columns, "inferred", "source_doc", "source_id", "note"]],
        "tab5_cases",
        source=ch.source_line(cases),
        title=ch.t("ch05.cases.title"),
        shown=shown,
    )


def recommendations(ch: Chapter, recommendations: pd.DataFrame, counts: pd.DataFrame) -> None:
    """001's recommendations, quoted as the report's (`counts`:
    stats.context.recommendation_counts), as a sentence and a table of their headlines."""
    ch.text(
        "ch05.recommendations.reading",
        counts=ch.names(
            [
                ch.t("ch05.recommendations.count", audience=ch.name(a), n=ch.fmt(n, "项"))
                for a, n in zip(counts["audience"], counts["items"], strict=True)
            ]
        ),
    )
    shown = pd.DataFrame(
        {
            "recommendation": recommendations["recommendation"].map(ch.name),
            "audience": recommendations["audience"].map(ch.name),
            "number": recommendations["number"].map(lambda n: str(int(n))),
        }
    )
    ch.save_table(
        recommendations,
        "tab5_recommendations",
        source=ch.source_line(recommendations, note=ch.t("ch05.recommendations.note")),
        title=ch.t("ch05.recommendations.title"),
        shown=shown,
        table="recommendations",
    )
