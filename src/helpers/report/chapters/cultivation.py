"""Chapter 1's figures and sentences (培育现状, 001 图表1.4–1.7): the charts drawn from the tables
helpers.stats.cultivation computes, and the values each figure's reading sentence is filled
with, in the edition's words."""

from __future__ import annotations

import pandas as pd

from helpers.report import charts, words
from helpers.report.chapter import FIGURE_DATA_BELOW, Chapter
from helpers.report.format import qualified as hedged
from helpers.stats import cultivation as stats
from helpers.stats.context import shown_decimals

SERIES = ("announced", "reviewed")


def batches_figure(ch: Chapter, batches: pd.DataFrame):
    """图1.4: announced and reviewed firms per batch, batch k in its own colour in every chart
    and edition however many batches there are."""
    long = batches.melt(
        id_vars="batch", value_vars=list(SERIES), var_name="series", value_name="firms"
    ).dropna()
    long["series"] = long["series"].map({s: ch.t(f"ch01.fig_1_4.{s}") for s in SERIES})
    long["batch"] = long["batch"].map(ch.name)
    palette = charts.batch_colors(batches["batch_no"].max())
    return charts.grouped_bar_chart(
        long,
        "batch",
        "series",
        "firms",
        value_label=ch.t("ch01.fig_1_4.axis"),
        category_order=[ch.name(b) for b in batches["batch"]],
        category_colors=[palette[n - 1] for n in batches["batch_no"]],
    )


def batches_reading(ch: Chapter, batches: pd.DataFrame, batch_count: str) -> dict:
    """The values of 图1.4's title and sentence; a list without review results (no
    kept-after-review share for the first batch) gets the sentence that does not name it."""
    first = batches.loc[batches["batch_no"].idxmin()]
    largest = batches.loc[batches["analysed_share"].idxmax()]
    values = {
        "as_of": ch.as_of("cultivation_batches"),
        "batches": batch_count,
        "announced": ch.fmt(batches["announced"].sum(), "家"),
        "analysed": ch.fmt(batches["analysed"].sum(), "家"),
        "largest": ch.name(largest["batch"]),
        "largest_share": ch.fmt(largest["analysed_share"], "share"),
        "first": ch.name(first["batch"]),
        "first_kept": "",
        "reading": None,
    }
    if pd.notna(first["kept_after_review"]):
        values["first_kept"] = ch.fmt(first["kept_after_review"], "share")
    else:
        values["reading"] = ch.t(
            "partial.ch01.fig_1_4_unreviewed",
            **{k: values[k] for k in ("batches", "announced", "analysed", "largest")},
            largest_share=values["largest_share"],
        )
    return values


def batches(ch: Chapter, batches: pd.DataFrame, batch_count: str) -> None:
    """图1.4 with its sentence, and its table."""
    source = ch.source_line("cultivation_batches")
    figure = batches_figure(ch, batches)
    ch.figure(
        figure,
        "fig1_4_batches",
        "ch01.fig_1_4",
        source,
        data=FIGURE_DATA_BELOW,
        **batches_reading(ch, batches, batch_count),
    )
    columns = ["batch", "announced", "reviewed", "analysed", "analysed_share"]
    ch.save_table(
        batches[[*columns, "analysed_share_stated", "kept_after_review"]],
        "fig1_4_batches",
        source=source,
        table="cultivation_batches",
        units={"analysed_share": "share", "kept_after_review": "share"},
    )


def fields(ch: Chapter, fields: pd.DataFrame, key_share: float, batch_count: str) -> None:
    """图1.5 with its sentence: the fields' firms, the key fields' share and the top three."""
    ch.figure(
        fields_figure(ch, fields),
        "fig1_5_fields",
        "ch01.fig_1_5",
        ch.source_line("industry_fields"),
        data=fields[["field", "firms"]].sort_values("firms", ascending=False, kind="stable"),
        data_table="industry_fields",
        batches=batch_count,
        key_share=ch.fmt(key_share, "share"),
        qualifier=words.tenths(key_share, ch.language),
        top3=ch.names(fields.nsmallest(3, "rank")["field"]),
    )


def shares_vs_boards(ch: Chapter, wide: pd.DataFrame, gaps: pd.DataFrame, rows) -> None:
    """图1.5b with its sentence (the gaps against the STAR Market), and its table; `rows`: the
    published table, whose sources say which populations are published."""
    names = ch.population_names(rows, "population")
    ch.figure(
        shares_vs_boards_figure(ch, wide, names),
        "fig1_5_shares_vs_boards",
        "ch01.fig_1_5b",
        ch.source_line("industry_shares_by_population"),
        data=FIGURE_DATA_BELOW,
        clauses=gap_clauses(ch, gaps),
    )
    ch.save_table(
        shares_table(wide, rows),
        "fig1_5_shares_vs_boards",
        source=ch.source_line("industry_shares_by_population", "industry_fields"),
        units=dict.fromkeys(SHARES_COLUMNS, "share"),
    )


# 图1.5b's table: the 小巨人's share as 001 printed it and as recomputed from the field counts
# under headings that say which, beside the boards' shares (printed only as shares).
SHARES_COLUMNS = ("little_giants_stated", "little_giants_recomputed", "科创板", "北交所")


def shares_table(wide: pd.DataFrame, rows: pd.DataFrame) -> pd.DataFrame:
    """The table of 图1.5b: per category the 小巨人's published share (`share_stated` of
    `rows`, the published table; empty where none is printed), its recomputed share (`wide`)
    and the STAR Market's and Beijing Stock Exchange's published shares.

    Example: 其他领域 printed 12.6%, recomputed 1543/12192 = 12.66% → 0.126 and 0.1266 side by
    side, never 12.7% under the published heading."""
    stated = rows[rows["population"] == "小巨人"].set_index("category")["share_stated"]
    table = wide.reset_index().rename(columns={"小巨人": "little_giants_recomputed"})
    table["little_giants_stated"] = table["category"].map(stated)
    return table[["category", *SHARES_COLUMNS]]


def markets(ch: Chapter, markets: pd.DataFrame, a_share: float, share: float, batch_count: str):
    """图1.6 with its sentence, and its table."""
    source = ch.source_line("capital_markets")
    reading = markets_reading(ch, markets, a_share, share)
    ch.figure(
        markets_figure(ch, markets),
        "fig1_6_markets",
        "ch01.fig_1_6",
        source,
        data=FIGURE_DATA_BELOW,
        batches=batch_count,
        **reading,
    )
    ch.save_table(
        markets[["market", "firms", "share", "share_stated", "change_yoy"]],
        "fig1_6_markets",
        source=source,
        table="capital_markets",
        units={"share": "share"},
        signed=("change_yoy",),
    )


def boards(ch: Chapter, boards: pd.DataFrame) -> None:
    """图1.7 with its sentence, and its table."""
    source = ch.source_line("a_share_boards")
    ch.figure(
        boards_figure(ch, boards),
        "fig1_7_boards",
        "ch01.fig_1_7",
        source,
        data=FIGURE_DATA_BELOW,
        **boards_reading(ch, boards),
    )
    ch.save_table(
        boards[["board", "listed_total", "little_giants", "share", "share_stated"]],
        "fig1_7_boards",
        source=source,
        table="a_share_boards",
        units={"share": "share"},
    )


def fields_figure(ch: Chapter, fields: pd.DataFrame):
    """图1.5: firms per industry field, most first."""
    return charts.bar_chart(
        fields.assign(field=fields["field"].map(ch.name)),
        "field",
        "firms",
        value_label=ch.t("ch01.fig_1_5.axis"),
    )


def shares_vs_boards_figure(ch: Chapter, wide: pd.DataFrame, names: dict):
    """图1.5b: the category shares of the 小巨人 beside the firms listed on the STAR Market and
    the Beijing Stock Exchange; `names`: each population's name (Chapter.population_names)."""
    long = wide.reset_index().melt(id_vars="category", var_name="population", value_name="share")
    return charts.grouped_bar_chart(
        long.assign(
            category=long["category"].map(ch.name),
            population=long["population"].map(names),
        ),
        "category",
        "population",
        "share",
        value_label=ch.t("ch01.fig_1_5b.axis"),
        percent=True,
        category_order=[ch.name(c) for c in wide.sort_values("小巨人", ascending=False).index],
        series_order=[names[p] for p in ["小巨人", "科创板", "北交所"]],
    )


def gap_clauses(ch: Chapter, gaps: pd.DataFrame) -> str:
    """'“小巨人”占比更高的是A（+3.1个百分点）…；占比更低的是…': the categories where the
    小巨人's share is higher, then lower, than the STAR Market's, each with its gap."""

    def items(part: pd.DataFrame) -> str:
        return ch.names(
            [
                ch.t("ch01.fig_1_5b.gap_item", name=ch.name(c), gap=ch.fmtu(g, "pp", signed=True))
                for c, g in zip(part["category"], part["gap"], strict=True)
            ]
        )

    clauses = [
        ch.t(f"ch01.fig_1_5b.{side}", items=items(part))
        for side, part in (("higher", gaps[gaps["gap"] > 0]), ("lower", gaps[gaps["gap"] < 0]))
        if len(part)
    ]
    return ch.t("words.clause_separator").join(clauses)


def markets_figure(ch: Chapter, markets: pd.DataFrame):
    """图1.6: firms per capital market, most first."""
    return charts.bar_chart(
        markets.assign(market=markets["market"].map(ch.name)),
        "market",
        "firms",
        value_label=ch.t("ch01.fig_1_6.axis"),
    )


def markets_reading(ch: Chapter, markets: pd.DataFrame, a_share: float, share: float) -> dict:
    """The values of 图1.6's sentence: the A-share listed firms and those in primary-market
    financing (参与一级市场融资), each with its share."""
    primary = markets.set_index("market").loc["参与一级市场融资"]
    return {
        "a_share": ch.fmt(a_share, "家"),
        "a_share_share": ch.fmt(share, "share"),
        "qualifier": words.tenths(share, ch.language),
        "primary": ch.fmt(primary["firms"], "家"),
        "primary_share": ch.fmt(primary["share"], "share"),
    }


def boards_figure(ch: Chapter, boards: pd.DataFrame):
    """图1.7: the 小巨人's share of each A-share board, the two largest highlighted."""
    top_two = boards.sort_values("share", ascending=False)["board"].head(2)
    return charts.bar_chart(
        boards.assign(board=boards["board"].map(ch.name)),
        "board",
        "share",
        value_label=ch.t("ch01.fig_1_7.axis"),
        percent=True,
        horizontal=False,
        highlight=[ch.name(b) for b in top_two],
    )


def boards_reading(ch: Chapter, boards: pd.DataFrame) -> dict:
    """The values of 图1.7's sentence: the boards where the 小巨人's share is largest, second
    and lowest."""
    ranked = boards.sort_values("share", ascending=False)
    picks = {"top": 0, "second": 1, "lowest": -1}
    values = {name: ch.name(ranked["board"].iloc[i]) for name, i in picks.items()}
    values |= {f"{n}_share": ch.fmt(ranked["share"].iloc[i], "share") for n, i in picks.items()}
    return values


def markets_year_on_year(ch: Chapter, markets: pd.DataFrame, previous, previous_note: str):
    """PREVIOUS: 图表1.6's “相比去年同期” column from the previous edition's same table: each
    market's change recorded, the table saved and its sentence shown; a sentence instead when
    the previous edition's data has no listings."""
    from helpers.report.changes import previous_gives
    from helpers.stats.changes import year_on_year

    if not previous_gives(ch, previous, "capital_markets"):
        return
    table = year_on_year(markets, previous.table("capital_markets"), "market", "firms")
    table = table.rename(columns={"previous": "previous_edition", "change": "change_vs_previous"})
    ch.record_table(table, "markets.change_vs_previous.{market}", source=markets)
    shown = table.assign(  # counts as printed, the change with its sign (+55)
        market=table["market"].map(ch.name),
        firms=[ch.fmt(v, "家") for v in table["firms"]],
        previous_edition=[ch.fmt(v, "家") for v in table["previous_edition"]],
        change_vs_previous=[ch.fmt(v, "家", signed=True) for v in table["change_vs_previous"]],
    )
    separator = ch.t("common.clause_separator")
    ch.save_table(
        table,
        "fig1_6_markets_yoy",
        source=separator.join([ch.source_line("capital_markets"), previous_note]),
        title=ch.t("changes.ch01.markets_yoy.title"),
        shown=shown,
    )
    a_share = table[table["market"].str.startswith("A股")]
    before, now = a_share["previous_edition"].sum(), a_share["firms"].sum()
    ch.text(
        "changes.ch01.markets_yoy.reading",
        direction=words.direction(before, now, ch.language),
        a_share=ch.fmtu(now, "家"),
        change=ch.fmtu(now - before, "家", signed=True),
    )


MOVE_COLUMNS = {
    "entered": "firms_entered",
    "left": "firms_left",
    "revoked": "firms_revoked",
    "net": "firms_net",
}


def firm_moves(ch: Chapter, moves: pd.DataFrame, batches: pd.DataFrame, previous_note: str):
    """PREVIOUS with firm-level data in both editions: the firms that entered, left and had
    their title revoked, recorded, said in a sentence and tabled by province and by field."""
    from helpers.stats.changes import moves_by

    counts = {
        "entered": int((moves["move"] == "entered").sum()),
        "left": int((moves["move"] == "left").sum()),
        "revoked": int(moves["revoked"].sum()),
    }
    ch.record("changes.firms_entered", counts["entered"], source=batches)
    ch.record("changes.firms_left", counts["left"], source=batches)
    ch.record("changes.firms_revoked", counts["revoked"], source=batches)
    by_province = moves_by(moves, "province")
    by_field = moves_by(moves, "industry_field").rename(columns={"industry_field": "field"})
    entered_most = by_province.sort_values(["entered", "province"], ascending=[False, True])
    ch.text(
        "changes.ch01.firms.reading"
        if counts["entered"]
        else "changes.ch01.firms.reading_no_entries",
        **{name: ch.fmtu(count, "家") for name, count in counts.items()},
        top_entered=ch.name(entered_most["province"].iloc[0]) if len(entered_most) else "",
    )
    separator = ch.t("common.clause_separator")
    for frame, name in ((by_province, "by_province"), (by_field, "by_field")):
        ch.save_table(
            frame.rename(columns=MOVE_COLUMNS),
            f"changes_firms_{name}",
            source=separator.join([ch.source_line("cultivation_batches"), previous_note]),
            title=ch.t(f"changes.ch01.firms.{name}"),
            units={column: "家" for column in MOVE_COLUMNS.values()},
        )


# 001's summary figures and 图表1.3, and the totals and top-N shares of the figures --------------
# The hedge word of a text figure's bound (text_figures records the bound, not the word).
BOUND_WORDS = {"approx": "约", "at_least": "超", "at_most": "不足"}


def bounded(ch: Chapter, value, unit: str, bound, **options) -> str:
    """A text figure with the hedge its `bound` records (text_figures: approx → 约30%, at_least →
    超…, at_most → 不足…; exact → the number alone), in the shared formatter's words;
    `options` as Chapter.fmt."""
    return hedged(ch.fmt(value, unit, **options), BOUND_WORDS.get(bound), ch.language)


def target(
    ch: Chapter,
    progress: pd.DataFrame,
    recognised_row: pd.DataFrame,
    announced: float,
    batch_count: str,
) -> None:
    """The sentence on the 14th Five-Year Plan's target against the firms this data announces
    and those the report says were recognised (its text_figures row), from
    stats.target_progress."""
    row, recognised = progress.iloc[0], recognised_row.iloc[0]
    ch.text(
        "ch01.target_reading",
        target=ch.fmt(row["target"], "家"),
        as_of=ch.as_of("cultivation_batches"),
        batches=batch_count,
        announced=ch.fmt(announced, "家"),
        announced_multiple=ch.fmt(row["announced_multiple"], "倍"),
        recognised=bounded(ch, recognised["value"], "家", recognised["bound"]),
        recognised_multiple=bounded(
            ch, row["recognised_multiple"], "倍", recognised["bound"], decimals=1
        ),
    )


def directions(
    ch: Chapter, directions: pd.DataFrame, counts: pd.DataFrame, merged: pd.DataFrame
) -> None:
    """The sentence and the table of 图表1.3 (key_directions): the ten key fields and the four
    bottleneck foundations, where each comes from and the 图表1.5 field a key field is counted
    in (`counts`: stats.direction_counts; `merged`: stats.merged_directions)."""
    key_group, bases_group = stats.DIRECTION_COUNT_ITEMS
    groups = counts.set_index("group")
    first = directions.groupby("group", sort=False).first()
    ch.text(
        "ch01.directions_reading",
        published=ch.t("ch01.directions_published"),
        key_count=ch.fmt(groups.loc[key_group, "items"], "项"),
        key_document=ch.name(first.loc[key_group, "policy_document"]),
        key_year=int(first.loc[key_group, "policy_year"]),
        fields=ch.fmt(groups.loc[key_group, "fields"], "项"),
        merged=ch.names(
            [
                ch.t("ch01.directions_merged", items=ch.names(row.items), field=ch.name(row.field))
                for row in merged.itertuples()
            ]
        ),
        bases_count=ch.fmt(groups.loc[bases_group, "items"], "项"),
        bases_document=ch.name(first.loc[bases_group, "policy_document"]),
        bases_year=int(first.loc[bases_group, "policy_year"]),
    )
    shown = pd.DataFrame(
        {
            "direction": directions["item"].map(ch.name),
            "group": directions["group"].map(ch.name),
            "policy_document": directions["policy_document"].map(ch.name),
            "policy_year": directions["policy_year"].map(lambda y: str(int(y))),
            "counted_in": directions["field"].map(lambda f: "–" if pd.isna(f) else ch.name(f)),
        }
    )
    columns = ["item", "group", "policy_document", "policy_year", "field", "inferred", "note"]
    ch.save_table(
        directions[columns],
        "tab1_1_directions",
        source=ch.source_line(directions),
        title=ch.t("ch01.tab_directions.title"),
        shown=shown,
        table="key_directions",
    )


def fields_totals(ch: Chapter, key_firms: float, top3_firms: float, top3_share: float) -> None:
    """The sentence on the firms of the key fields and of the three largest fields with their
    share (the three the figure's sentence names)."""
    ch.text(
        "ch01.fields_totals_reading",
        key_firms=ch.fmt(key_firms, "家"),
        top3_firms=ch.fmt(top3_firms, "家"),
        top3_share=ch.fmt(top3_share, "share"),
    )


def markets_listed(ch: Chapter, listed: pd.DataFrame) -> None:
    """The sentence on the firms listed on any exchange, added up (stats.listed_upper_bound)."""
    share = listed["share"].iloc[0]
    ch.text(
        "ch01.markets_listed_reading",
        listed=ch.fmt(listed["firms"].iloc[0], "家"),
        listed_share=ch.fmt(share, "share"),
        qualifier=words.tenths(share, ch.language),
    )


def boards_total(ch: Chapter, total: pd.DataFrame, top_two: pd.DataFrame, names) -> None:
    """The sentence on the four A-share boards together (`total`: stats.board_totals) and the
    two where the 小巨人 weigh most (`top_two`: board_totals of those, named by `names`)."""
    ch.text(
        "ch01.boards_total_reading",
        listed_total=ch.fmt(total["listed_total"].iloc[0], "家"),
        giants=ch.fmt(total["little_giants"].iloc[0], "家"),
        share=ch.fmt(total["share"].iloc[0], "share"),
        top_two=ch.names(names),
        top_two_giants=ch.fmt(top_two["little_giants"].iloc[0], "家"),
        top_two_share=ch.fmt(top_two["share"].iloc[0], "share"),
    )


def contribution(
    ch: Chapter, summary: pd.DataFrame, implied: pd.DataFrame, citations: pd.DataFrame
) -> None:
    """The sentence on the 小巨人's contribution the report's summary states (`summary`:
    text_figures rows indexed by item), what it implies (`implied`:
    stats.contribution_implied) and the citations per firm (`citations`: the 全部 row of
    tech_influence_by_batch)."""
    applications = summary.loc["patent_applications_2022"]
    firms = summary.loc["firm_count_share_national", "value"]
    output = summary.loc["rd_output_share_national", "value"]
    growth = summary.loc["citations_growth_yoy"]
    row = implied.iloc[0]
    ch.text(
        "ch01.contribution_reading",
        year=int(applications["end_year"]),
        applications=bounded(ch, applications["value"], "件", applications["bound"]),
        firm_share=ch.fmt(firms, "share", decimals=shown_decimals(firms, 2)),
        output_share=ch.fmt(output, "share", decimals=shown_decimals(output, 2)),
        intensity=ch.fmt(row["output_intensity"], "倍", decimals=0),
        citations=ch.fmt(citations["citations_per_firm"].iloc[0], "次/家"),
        growth=bounded(ch, growth["value"], "rate", growth["bound"], decimals=0),
        previous=ch.fmt(row["citations_previous_year"], "次/家", decimals=0),
    )
