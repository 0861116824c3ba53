"""Chapter 4's figures and sentences (国家级“专精特新”企业画像, seed 000, 上奇): the charts drawn
from the tables helpers.stats.portrait computes, the sentences filled from them in the edition's
words (with the article's hedge words: 近1.03亿元, 3年左右), and the tables saved beside them.
The article prints no charts: every figure here is the report's own."""

from __future__ import annotations

import pandas as pd

from helpers.report import portrait_charts, words
from helpers.report.chapter import FIGURE_DATA_BELOW, Chapter
from helpers.report.format import format_value, money_axis
from helpers.report.format import qualified as hedged
from helpers.stats import portrait as st

PATENT_TYPES = ["发明专利", "实用新型专利", "外观设计专利"]
AMOUNT_UNITS = {"rank": "position", "amount": "亿元", "amount_share": "share"}


# Words -----------------------------------------------------------------------------------------
def qualified(ch: Chapter, value_text: str, qualifier) -> str:
    """'近1.03亿元', '3年左右' / 'nearly CNY 103 million': the value with the article's hedge
    word, if it printed one (helpers.report.format.qualified)."""
    return hedged(value_text, qualifier, ch.language)


def bar_labels(ch: Chapter, counts, shares, unit: str, with_unit: bool = True) -> list[str]:
    """'2,846家 · 58.7%' beside each bar (the number alone where the axis names the unit)."""
    return [
        ch.t(
            "ch04.bar_label",
            count=ch.fmtu(c, unit) if with_unit else ch.fmt(c, unit),
            share=ch.fmt(s, "share"),
        )
        for c, s in zip(counts, shares, strict=True)
    ]


def formatted(ch: Chapter, frame: pd.DataFrame, units: dict, decimals: dict | None = None):
    """Cells as readers see them, under the frame's own column names (save_table's `shown`):
    numbers by their unit as a table shows them (amounts with the one decimal the article
    prints), names translated."""
    shown = pd.DataFrame(index=frame.index)
    for column in frame.columns:
        unit, places = units.get(column), (decimals or {}).get(column)
        options = {} if places is None else {"decimals": places}
        if unit is None:
            shown[column] = [ch.name(str(v)) for v in frame[column]]
        else:
            shown[column] = [format_value(v, unit, ch.language, **options) for v in frame[column]]
    return shown


def share_verdict(ch: Chapter, frame: pd.DataFrame, name_column: str) -> str:
    """The sentence on a table's printed shares: they agree with the recomputed ones, or which
    do not (both values named)."""
    wrong = st.share_disagreements(frame)
    if wrong.empty:
        return ch.t("ch04.verdict.agree")
    items = [
        ch.t(
            "ch04.verdict.item",
            name=ch.name(row[name_column]),
            stated=ch.fmt(row["share_stated"], "share", decimals=2),
            recomputed=ch.fmt(row["share"], "share", decimals=2),
        )
        for _, row in wrong.iterrows()
    ]
    return ch.t("ch04.verdict.disagree", items=ch.t("words.list_separator").join(items))


def list_of(ch: Chapter, values, unit: str, *, with_unit: bool = False, **options) -> str:
    """'464、422、361': several numbers of one unit in the edition's list punctuation (each with
    its unit's words when `with_unit`: 645.4亿元、592.1亿元 / CNY 64.54 billion, …)."""
    shown = ch.fmtu if with_unit else ch.fmt
    return words.join([shown(v, unit, **options) for v in values], ch.language)


# Checks ---------------------------------------------------------------------------------------
def check_financing(ch: Chapter, financing: pd.DataFrame) -> None:
    """Each segment's printed average deal size against amount ÷ deals (at its printed
    precision), then all deals and all amounts against the listed and unlisted parts."""
    # A loop, not check_table (one source, one precision): each its segment's row and decimals.
    for segment, row in st.deal_size_checks(financing).iterrows():
        ch.check(
            financing.loc[[segment]],
            ch.t("ch04.checks.avg_deal", segment=ch.name(row["segment"])),
            row["stated"],
            row["recomputed"],
            decimals=row["decimals"],
            unit="亿元",
        )
    parts, every = st.segment_parts(financing), financing.loc[[st.ALL]]
    deals, amount = every["deals"], every["amount"]  # the printed totals' cells
    ch.check(every, ch.t("ch04.checks.deals_sum"), deals, parts["deals"].sum(), 0, "笔")
    ch.check(every, ch.t("ch04.checks.amount_sum"), amount, parts["amount"].sum(), 1, "亿元")


def check_patent_totals(ch: Chapter, mix: pd.DataFrame, patents: pd.DataFrame) -> None:
    """Each measure's printed total (where printed: its 合计 row, as st.type_mix reads it)
    against the sum of its three types, at the printed hundreds."""
    totals = mix.drop_duplicates("measure")
    # A loop, not check_table (one source for every row): each total cites its measure's rows.
    for measure, parts_sum, stated in zip(
        totals["measure"], totals["parts_sum"], totals["stated_total"], strict=True
    ):
        if pd.notna(stated):
            rows = patents[patents["measure"] == measure]
            ch.check(
                rows,
                ch.t("ch04.checks.patents_total", measure=ch.name(measure)),
                rows.loc[rows["patent_type"] == "合计", "patents"],  # the printed total's cell
                parts_sum,
                decimals=-2,
                unit="件",
            )


# Figures and tables ----------------------------------------------------------------------------
def intro(ch: Chapter, total_firms: float, loaded: list[pd.DataFrame]) -> None:
    """The chapter's opening paragraph; with firm-level data, the note that these tables are
    the article's own (firm data cannot give them)."""
    ch.text("ch04.intro", firms=ch.fmt(total_firms, "家"))
    if ch.source.is_firm_level and not any((t["source_doc"] == "firm-level").any() for t in loaded):
        ch.text("ch04.published_only")


def labelled(
    ch: Chapter,
    frame: pd.DataFrame,
    column: str,
    value: str,
    labels,
    axis: str,
    axis_values: dict | None = None,
    **options,
):
    """Bars of `value` per category `column` (names in the edition's words), each labelled;
    the axis title is the label `axis` filled with `axis_values` (its unit)."""
    return portrait_charts.labelled_bars(
        frame.assign(**{column: frame[column].map(ch.name)}, label=labels),
        column,
        value,
        "label",
        value_label=ch.t(axis, **(axis_values or {})),
        **options,
    )


def regions(ch: Chapter, regions: pd.DataFrame) -> None:
    """图4.1: firms by macro region with their shares, the printed shares' verdict; its table."""
    labels = bar_labels(ch, regions["firms"], regions["share"], "家")
    by_firms = regions.sort_values("firms", ascending=False)
    ch.figure(
        labelled(ch, regions, "region", "firms", labels, "ch04.fig_regions.axis"),
        "fig4_1_regions",
        "ch04.fig_regions",
        ch.source_line("sq_macro_regions"),
        data=FIGURE_DATA_BELOW,
        top=ch.name(by_firms["region"].iloc[0]),
        top_firms=ch.fmt(by_firms["firms"].iloc[0], "家"),
        top_share=ch.fmt(by_firms["share"].iloc[0], "share"),
        low=ch.name(by_firms["region"].iloc[-1]),
        low_share=ch.fmt(by_firms["share"].iloc[-1], "share"),
        verdict=share_verdict(ch, regions, "region"),
    )
    ch.save_table(
        regions[["region", "firms", "share", "share_stated"]],
        "fig4_1_regions",
        source=ch.source_line("sq_macro_regions"),
        table="sq_macro_regions",
        units={"share": "share"},
    )


TOP_THREE = {  # table -> (label key, figure name)
    "sq_provinces": ("ch04.fig_provinces", "fig4_2_provinces"),
    "sq_industries": ("ch04.fig_industries", "fig4_3_industries"),
}


def top_three(ch: Chapter, frame: pd.DataFrame, column: str, together: float, total_firms, table):
    """图4.2 / 图4.3: the printed top three provinces or industries (`column`) of `table` with
    their firms and shares of all firms (`together`: the three's share); its table."""
    key, name = TOP_THREE[table]
    labels = bar_labels(ch, frame["firms"], frame["share"], "家")
    ch.figure(
        labelled(ch, frame, column, "firms", labels, f"{key}.axis"),
        name,
        key,
        ch.source_line(table),
        data=FIGURE_DATA_BELOW,
        top3=ch.names(frame[column]),
        counts=list_of(ch, frame["firms"], "家"),
        firms=ch.fmt(total_firms, "家"),
        share=ch.fmt(together, "share"),
        qualifier=words.tenths(together, ch.language),
    )
    ch.save_table(
        frame[["rank", column, "firms", "share"]],
        name,
        source=ch.source_line(table),
        table=table,
        units={"rank": "position", "share": "share"},
    )


def _binned(ch: Chapter, frame, key: str, unit: str, bounds, mean_row):
    """A binned distribution's chart (the largest bin highlighted, the printed mean in a note)
    and the clause comparing the printed mean with the smallest mean the bins allow."""
    floor, ceiling = bounds
    average = st.stated_value(mean_row)
    average_text = qualified(ch, ch.fmtu(average, unit), mean_row["qualifier"].iloc[0])
    floor_text = ch.fmtu(floor, unit, decimals=2 if unit == "亿元" else 1)
    top = frame.loc[frame["firms"].idxmax()]
    fig = labelled(
        ch,
        frame,
        "bin",
        "firms",
        bar_labels(ch, frame["firms"], frame["share"], "家"),
        f"{key}.axis",
        note=ch.t(f"{key}.note", average=average_text, floor=floor_text),
        highlight=[ch.name(top["bin"])],
    )
    where = "below" if st.position(average, floor, ceiling) == "below" else "within"
    mean_clause = ch.t(f"{key}.mean_{where}", average=average_text, floor=floor_text)
    return fig, top, mean_clause


def _save_bins(ch: Chapter, frame, name: str, table: str, mean_row) -> None:
    ch.save_table(
        frame[["bin", "firms", "share", "share_stated"]],
        name,
        source=ch.source_line(table, mean_row),
        table=table,
        units={"share": "share"},
    )


def capital(ch: Chapter, capital, bounds, mean_row, under, under_share, under_row) -> None:
    """图4.4: registered capital bins, the printed average against the smallest mean the bins
    allow (`bounds`, 亿元), the firms under 1亿元 (`under`: their bins) and its printed share."""
    fig, top, mean_clause = _binned(ch, capital, "ch04.fig_capital", "亿元", bounds, mean_row)
    table = "sq_registered_capital_bins"
    ch.figure(
        fig,
        "fig4_4_capital",
        "ch04.fig_capital",
        ch.source_line(table, mean_row),
        data=FIGURE_DATA_BELOW,
        top_bin=ch.name(top["bin"]),
        top_share=ch.fmt(top["share"], "share"),
        under=ch.fmt(int(under["firms"].sum()), "家"),
        under_share=ch.fmt(under_share, "share"),
        under_stated=ch.fmt(st.stated_value(under_row), "share", decimals=2),
        mean_clause=mean_clause,
    )
    _save_bins(ch, capital, "fig4_4_capital", table, mean_row)


def ages(ch: Chapter, ages, bounds, mean_row, older_firms, older_share, lifespan_row) -> None:
    """图4.5: firm age bins, the printed average against the bins, the firms 20 years and older
    the article's “1 to 20 years” leaves out, and the SME lifespan it quotes."""
    fig, top, mean_clause = _binned(ch, ages, "ch04.fig_ages", "年", bounds, mean_row)
    lifespan = st.stated_value(lifespan_row)
    # The article says the ages lie "between 1 and 20 years"; its own bins say otherwise.
    range_clause = ch.t(
        "ch04.fig_ages.range_conflict",
        firms=ch.fmt(older_firms, "家"),
        share=ch.fmt(older_share, "share"),
    )
    ch.figure(
        fig,
        "fig4_5_ages",
        "ch04.fig_ages",
        ch.source_line("sq_firm_age_bins", mean_row, lifespan_row),
        data=FIGURE_DATA_BELOW,
        top_bin=ch.name(top["bin"]),
        top_share=ch.fmt(top["share"], "share"),
        mean_clause=mean_clause,
        range_clause=range_clause if older_firms > 0 else "",
        lifespan=qualified(ch, ch.fmtu(lifespan, "年"), lifespan_row["qualifier"].iloc[0]),
        compare=words.compare(lifespan, st.stated_value(mean_row), ch.language),
    )
    _save_bins(ch, ages, "fig4_5_ages", "sq_firm_age_bins", mean_row)


def markets(ch: Chapter, markets, a_shares, a_share, a_share_share, firms_row) -> None:
    """图4.6: firms listed on each board, quoted on the NEEQ or with early-stage funding, the
    A-share boards together (`a_shares`: their rows); its table."""
    top_board = a_shares.loc[a_shares["firms"].idxmax()]
    by_market = markets.set_index("market")["firms"]
    labels = bar_labels(ch, markets["firms"], markets["share"], "家")
    ch.figure(
        labelled(ch, markets, "market", "firms", labels, "ch04.fig_markets.axis"),
        "fig4_6_markets",
        "ch04.fig_markets",
        ch.source_line("sq_listings_by_board"),
        data=FIGURE_DATA_BELOW,
        a_share=ch.fmt(a_share, "家"),
        a_share_share=ch.fmt(a_share_share, "share"),
        top_board=ch.name(top_board["market"]),
        top_firms=ch.fmt(top_board["firms"], "家"),
        neeq_name=ch.name("新三板挂牌"),
        neeq=ch.fmt(by_market["新三板挂牌"], "家"),
        early_name=ch.name("获早期轮次融资"),
        early=ch.fmt(by_market["获早期轮次融资"], "家"),
    )
    ch.save_table(
        markets[["market", "firms", "share"]],
        "fig4_6_markets",
        source=ch.source_line("sq_listings_by_board", firms_row),
        table="sq_listings_by_board",
        units={"share": "share"},
    )


def financing_figure(ch: Chapter, financing: pd.DataFrame):
    """图4.7: each segment's printed average deal size beside amount ÷ deals."""
    stated_name = ch.t("ch04.fig_financing.stated")
    recomputed_name = ch.t("ch04.fig_financing.recomputed")
    segments = financing["segment"].map(ch.name)
    stated = financing["avg_deal_stated"]
    # the amounts in the axis's unit (亿元; CNY million in English), labelled as it counts them
    axis = money_axis([*stated, *financing["avg_deal"]], "亿元", ch.language)
    long = pd.concat(
        [
            pd.DataFrame(
                {
                    "segment": segments,
                    "series": stated_name,
                    "value": stated * axis.factor,
                    "label": [axis.digits(v, ch.language) for v in stated],  # 1.70, as tabled
                }
            ),
            pd.DataFrame(
                {
                    "segment": segments,
                    "series": recomputed_name,
                    "value": financing["avg_deal"] * axis.factor,
                    "label": [axis.digits(v, ch.language) for v in financing["avg_deal"]],
                }
            ),
        ]
    )
    return portrait_charts.paired_bars(
        long,
        "segment",
        "series",
        "value",
        "label",
        category_order=[ch.name(s) for s in financing["segment"]],
        series_order=[stated_name, recomputed_name],
        value_label=ch.t("ch04.fig_financing.axis", unit=axis.words),
    )


def financing(ch: Chapter, financing: pd.DataFrame, listed_vs_unlisted: float) -> None:
    """图4.7 with its sentence (deals and amounts of all, listed and unlisted firms, whether
    each printed average agrees with amount ÷ deals), and its table."""
    checks = st.deal_size_checks(financing)
    clauses = [
        ch.t(
            f"ch04.fig_financing.{'agree' if row['agrees'] else 'disagree'}",
            segment=ch.name(row["segment"]),
            stated=ch.fmtu(row["stated"], "亿元"),  # the unit's two decimals: 1.70亿元
            recomputed=ch.fmtu(row["recomputed"], "亿元"),
        )
        for _, row in checks.iterrows()
    ]
    every, listed, unlisted = (financing.loc[s] for s in (st.ALL, st.LISTED, st.UNLISTED))
    ch.figure(
        financing_figure(ch, financing),
        "fig4_7_financing",
        "ch04.fig_financing",
        ch.source_line("sq_financing"),
        data=FIGURE_DATA_BELOW,
        period=ch.t("ch04.fig_financing.period"),
        deals=ch.fmt(every["deals"], "笔"),
        amount=qualified(
            ch, ch.fmtu(every["amount"], "亿元", decimals=1), every["amount_qualifier"]
        ),
        listed_deals=ch.fmt(listed["deals"], "笔"),
        listed_amount=ch.fmtu(listed["amount"], "亿元", decimals=1),
        unlisted_deals=ch.fmt(unlisted["deals"], "笔"),
        unlisted_amount=ch.fmtu(unlisted["amount"], "亿元", decimals=1),
        clauses=ch.t("words.clause_separator").join(clauses),
        ratio=ch.fmt(listed_vs_unlisted, "倍"),
        cause=ch.t("ch04.fig_financing.cause") if not checks["agrees"].all() else "",
    )
    table = financing[["segment", "deals", "amount", "avg_deal_stated", "avg_deal"]]
    units = {"deals": "笔", "amount": "亿元", "avg_deal_stated": "亿元", "avg_deal": "亿元"}
    ch.save_table(
        table,
        "fig4_7_financing",
        source=ch.source_line("sq_financing"),
        shown=formatted(ch, table, units, {"amount": 1}),
    )


def _amounts(ch: Chapter, frame: pd.DataFrame, column: str, key: str):
    """Bars of the financing amount per province or industry in the axis's unit (亿元; CNY
    billion in English), each with its share of all."""
    axis = money_axis(frame["amount"], "亿元", ch.language)
    labels = [
        ch.t("ch04.bar_label", count=axis.digits(a, ch.language, 1), share=ch.fmt(s, "share"))
        for a, s in zip(frame["amount"], frame["amount_share"], strict=True)
    ]
    scaled = frame.assign(amount=frame["amount"] * axis.factor)
    return labelled(ch, scaled, column, "amount", labels, f"{key}.axis", {"unit": axis.words})


def _save_amounts(ch: Chapter, frame: pd.DataFrame, column: str, name: str, source: str):
    table = frame[["rank", column, "amount", "amount_share"]]
    ch.save_table(
        table, name, source=source, shown=formatted(ch, table, AMOUNT_UNITS, {"amount": 1})
    )


def financing_provinces(ch: Chapter, frame: pd.DataFrame, top3_share: float, all_row) -> None:
    """图4.8: the printed top three provinces by financing amount and their shares of all
    financing (`all_row`: its printed total); its table."""
    key, name = "ch04.fig_financing_provinces", "fig4_8_financing_provinces"
    source = ch.source_line("sq_financing_by_province", all_row)
    ch.figure(
        _amounts(ch, frame, "province", key),
        name,
        key,
        source,
        data=FIGURE_DATA_BELOW,
        top3=ch.names(frame["province"]),
        amounts=list_of(ch, frame["amount"], "亿元", with_unit=True, decimals=1),
        share=ch.fmt(top3_share, "share"),
    )
    _save_amounts(ch, frame, "province", name, source)


def financing_industries(ch: Chapter, frame: pd.DataFrame, top3_sum: float, all_row) -> None:
    """图4.9: the printed top three industries by financing amount; whether the three add up to
    more than all financing (the article's industries overlap); its table."""
    key, name = "ch04.fig_financing_industries", "fig4_9_financing_industries"
    source = ch.source_line("sq_financing_by_industry", all_row)
    total = all_row["amount"].iloc[0]
    # Parts of a total cannot exceed it: if they do, the industries overlap and do not add up.
    exceeds = words.compare_kind(top3_sum, total) == "higher"
    ch.figure(
        _amounts(ch, frame, "industry", key),
        name,
        key,
        source,
        data=FIGURE_DATA_BELOW,
        top=ch.name(frame["industry"].iloc[0]),
        top_amount=ch.fmtu(frame["amount"].iloc[0], "亿元", decimals=1),
        top_share=ch.fmt(frame["amount_share"].iloc[0], "share"),
        sum_clause=ch.t(
            f"{key}.{'exceeds' if exceeds else 'within'}",
            sum=ch.fmtu(top3_sum, "亿元", decimals=1),
            total=ch.fmtu(total, "亿元", decimals=1),
            share=ch.fmt(st.share(top3_sum, total), "share"),
        ),
    )
    _save_amounts(ch, frame, "industry", name, source)


def patent_totals(ch: Chapter, mix: pd.DataFrame) -> tuple[dict, str]:
    """The text at the end of each measure's bar (三类之和…, with the printed total where it
    disagrees) and the clauses naming the measures whose printed totals disagree."""
    totals = {
        ch.name(m): ch.t("ch04.fig_patents.total", sum=ch.fmtu(s, "件"))
        for m, s in zip(mix["measure"], mix["parts_sum"], strict=True)
    }
    clauses = []
    for _, row in st.total_disagreements(mix).iterrows():
        name, parts_sum, stated = ch.name(row["measure"]), row["parts_sum"], row["stated_total"]
        totals[name] = ch.t(
            "ch04.fig_patents.total_disagree",
            sum=ch.fmtu(parts_sum, "件"),
            stated=ch.fmtu(stated, "件"),
        )
        clauses.append(
            ch.t(
                "ch04.fig_patents.total_disagree_clause",
                measure=name,
                sum=ch.fmt(parts_sum, "件"),
                stated=ch.fmt(stated, "件"),
                difference=ch.fmt(parts_sum - stated, "件"),
            )
        )
    return totals, "".join(clauses)


def patents(ch: Chapter, mix: pd.DataFrame, lists: pd.DataFrame) -> None:
    """图4.10: the mix of patent types per measure with the parts' sums, the invention shares
    compared, the printed totals and utility models that disagree, and the industries and
    provinces the article names; its table."""
    totals, total_clauses = patent_totals(ch, mix)
    share_of, count_of = st.type_table(mix, "share"), st.type_table(mix, "patents")
    granted_utility = count_of["存量授权专利", "实用新型专利"]
    applied_utility = count_of["存量申请专利", "实用新型专利"]
    named = lists[lists["topic"].isin(["授权发明专利主要产业", "授权发明专利主要省份"])]
    listed = named.groupby("topic", sort=False)["item"].apply(list)
    fig = portrait_charts.mix_bars(
        mix.assign(
            measure=mix["measure"].map(ch.name), patent_type=mix["patent_type"].map(ch.name)
        ),
        "measure",
        "patent_type",
        "share",
        part_order=[ch.name(t) for t in PATENT_TYPES],
        totals=totals,
    )
    utility_clause = ch.t(
        "ch04.fig_patents.utility_conflict",
        granted=ch.fmt(granted_utility, "件"),
        applied=ch.fmt(applied_utility, "件"),
    )
    ch.figure(
        fig,
        "fig4_10_patents",
        "ch04.fig_patents",
        ch.source_line("sq_patents_by_type", named),
        data=FIGURE_DATA_BELOW,
        stock_share=ch.fmt(share_of["存量申请专利", "发明专利"], "share"),
        new_share=ch.fmt(share_of["新增申请专利", "发明专利"], "share"),
        compare=words.compare(
            share_of["新增申请专利", "发明专利"], share_of["存量申请专利", "发明专利"], ch.language
        ),
        granted_share=ch.fmt(share_of["存量授权专利", "发明专利"], "share"),
        total_clauses=total_clauses or ch.t("ch04.fig_patents.totals_agree"),
        utility_clause=utility_clause if granted_utility > applied_utility else "",
        top_industries=ch.names(listed["授权发明专利主要产业"]),
        top_provinces=ch.names(listed["授权发明专利主要省份"]),
    )
    ch.save_table(
        mix[["measure", "patent_type", "patents", "share", "parts_sum", "stated_total"]],
        "fig4_10_patents",
        source=ch.source_line("sq_patents_by_type"),
        table="sq_patents_by_type",
        units={"share": "share", "parts_sum": "件", "stated_total": "件"},
    )


def patent_shares(ch: Chapter, national, enterprise, national_row, enterprise_row) -> None:
    """The two printed shares of the national totals, marked † where the table infers their
    scope, with the note that says so."""
    mark = ch.t("inferred.mark") if ch.is_inferred(national_row, enterprise_row) else ""
    ch.text(
        "ch04.fig_patents.shares",
        national=ch.fmt(national, "share"),
        enterprise=ch.fmt(enterprise, "share"),
        mark=mark,
    )
    if mark:
        ch.text("ch04.fig_patents.inferred_note", mark=mark)


def standards(ch: Chapter, standards: pd.DataFrame, total: float) -> None:
    """图4.11: standards co-drafted by level with their shares; its table."""
    ranked = standards.sort_values("standards", ascending=False)
    labels = bar_labels(ch, standards["standards"], standards["share"], "个", with_unit=False)
    ch.figure(
        labelled(ch, standards, "level", "standards", labels, "ch04.fig_standards.axis"),
        "fig4_11_standards",
        "ch04.fig_standards",
        ch.source_line("sq_standards_by_level"),
        data=FIGURE_DATA_BELOW,
        total=ch.fmt(total, "个"),
        top=ch.name(ranked["level"].iloc[0]),
        top_count=ch.fmt(ranked["standards"].iloc[0], "个"),
        top_share=ch.fmt(ranked["share"].iloc[0], "share"),
        second=ch.name(ranked["level"].iloc[1]),
        second_share=ch.fmt(ranked["share"].iloc[1], "share"),
    )
    ch.save_table(
        standards[["level", "standards", "share"]],
        "fig4_11_standards",
        source=ch.source_line("sq_standards_by_level"),
        table="sq_standards_by_level",
        units={"share": "share"},
    )


def leaders(ch: Chapter, top_firms, patent_leaders, standard_leaders, patent_share) -> None:
    """表4.1: the named top firms by granted invention patents and national standards, and the
    sentence naming the first of each."""
    shown = pd.DataFrame(
        {
            "ranking": top_firms["ranking"].map(ch.name),
            "rank": [ch.fmt(r, "position") for r in top_firms["rank"]],
            "firm": top_firms["firm"].map(ch.name),
            "value": [
                ch.fmtu(v, u) for v, u in zip(top_firms["value"], top_firms["unit"], strict=True)
            ],
        }
    )
    ch.save_table(
        top_firms[["ranking", "rank", "firm", "value", "unit"]],
        "table4_1_leaders",
        source=ch.source_line("sq_top_firms"),
        number=ch.t("ch04.table_leaders.number"),
        title=ch.t("ch04.table_leaders.title"),
        shown=shown,
    )
    ch.text(
        "ch04.table_leaders.reading",
        patent_top=ch.name(patent_leaders["firm"].iloc[0]),
        patent_value=ch.fmt(patent_leaders["value"].iloc[0], "件"),
        patent_share=ch.fmt(patent_share, "share"),
        standard_top=ch.name(standard_leaders["firm"].iloc[0]),
        standard_value=ch.fmt(standard_leaders["value"].iloc[0], "个"),
    )
