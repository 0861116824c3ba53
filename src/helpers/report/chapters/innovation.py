"""Chapter 2's figures and sentences (科创力, 001 图表2.2–2.10): the charts drawn from the tables
helpers.stats.innovation_tables computes, the values each figure's reading sentence is filled
with, the checks whose items are named in the edition's words, and the placeholder a figure
leaves when the data lacks its input."""

from __future__ import annotations

import pandas as pd

from helpers.report import charts, words
from helpers.report.chapter import FIGURE_DATA_BELOW, Chapter
from helpers.report.format import format_qualified, is_qualified, printed_qualifier
from helpers.stats import innovation_tables as st
from helpers.stats.reconcile import stated_decimals

QUALITY_COLUMNS = ("invention_share_stated", "grant_rate_stated")
# A figure the data cannot give: its label key and the tables whose inputs it lacks.
PLACEHOLDERS = {
    "fig2_2_profile": ("ch02.fig_2_2", ["typical_profile"]),
    "fig2_3_scale": ("ch02.fig_2_3", ["tech_scale_by_population"]),
    "fig2_4_growth": ("ch02.fig_2_4", ["patents_per_firm_by_year"]),
    "fig2_6_quality": ("ch02.fig_2_6", ["invention_quality"]),
    "fig2_7_influence": ("ch02.fig_2_7", ["tech_influence_by_batch"]),
    "fig2_8_globalisation": ("ch02.fig_2_8", ["pct_holdings", "overseas_market_reach"]),
    "fig2_9_pct_growth": ("ch02.fig_2_9", ["pct_growth"]),
    "fig2_10_pct_holders": ("ch02.fig_2_10", ["pct_holdings_by_year", "pct_holdings"]),
}


def placeholder(ch: Chapter, name: str, **values) -> None:
    """A figure's numbered title and the sentence naming the inputs the data lacks for it
    (Chapter.missing), `values` filling its title."""
    key, tables = PLACEHOLDERS[name]
    ch.missing("figure", name, key, tables=tables, **values)


def check_stated(ch: Chapter, rows: pd.DataFrame, value, unit: str, label_key: str, **values):
    """A figure the report prints (the `value` column of its text_figures rows) against ours,
    the check named by the label `label_key` (filled with `values`)."""
    ch.check(rows, ch.t(label_key, **values), rows["value"], value, unit=unit)  # its cell


def metric_name(ch: Chapter, metric: str) -> str:
    """A metric of 图表2.2 in the edition's words (专利被引总量（次/家）)."""
    return ch.t(f"ch02.fig_2_2.metrics.{metric}")


# --------------------------------------------------------------------------- 图表2.2


def named_multiples(ch: Chapter, multiples: pd.DataFrame) -> pd.DataFrame:
    """The recomputed multiples for their statistics: the metric's code as `metric_id` (the
    key's id) and its words as `metric` (the label's)."""
    return multiples.assign(
        metric_id=multiples["metric"], metric=multiples["metric"].map(lambda m: metric_name(ch, m))
    )


def check_multiples(ch: Chapter, multiples: pd.DataFrame, stated: pd.DataFrame) -> None:
    """Each recomputed multiple against the one printed in 图表2.2."""
    ch.check(
        stated,
        [
            ch.t(
                "checks.multiple_of",
                metric=metric_name(ch, row.metric),
                numerator=ch.name(row.numerator),
                denominator=ch.name(row.denominator),
            )
            for row in multiples.itertuples()
        ],
        multiples["multiple_stated"],
        multiples["multiple"],
        unit="倍",
    )


def metric_label(ch: Chapter, metric: str, inferred: set, multiples_only: set) -> str:
    """A metric's name on 图2.2's axis: † when any of its figures is inferred, and a second
    line saying so when it is printed only as multiples."""
    text = metric_name(ch, metric) + (ch.t("inferred.mark") if metric in inferred else "")
    return text + ("\n" + ch.t("inferred.multiples_only") if metric in multiples_only else "")


def profile_figure(ch: Chapter, profile: pd.DataFrame, stated: pd.DataFrame):
    """图2.2: each population's value of each metric on a log scale relative to the SMEs,
    labelled with the multiples as printed (`stated`; the recomputed ones are in the table and
    the reconciliation); a metric printed only as multiples (技术规模) is placed by chaining
    them."""
    populations = list(st.POPULATIONS)
    chained = st.chained_positions(profile, stated)
    inferred = st.inferred_metrics(profile, stated)
    multiples_only = set(chained["metric"])
    rows = pd.concat([chained, profile[["metric", "population", "value"]]], ignore_index=True)
    # firm-level data: 小巨人 from the firms, the other populations as published (said so)
    name = {p: ch.name(p) for p in populations} | ch.population_names(profile, "population")
    printed = {
        (r.metric, name[r.numerator]): ch.fmtu(
            r.multiple_stated, "倍", decimals=1 if r.multiple_stated < 10 else 0
        )
        for r in stated.itertuples()
    }
    return charts.dot_profile_chart(
        rows.assign(population=rows["population"].map(name)),
        "metric",
        "population",
        "value",
        population_order=[name[p] for p in populations],
        metric_labels={m: metric_label(ch, m, inferred, multiples_only) for m in rows["metric"]},
        multiples=printed,
        value_labels={
            (r.metric, name[r.population]): ch.fmt(r.value, r.unit) for r in profile.itertuples()
        },
        position="position",
        axis_label=ch.t("ch02.fig_2_2.axis"),
    )


def profile(
    ch: Chapter, profile: pd.DataFrame, stated: pd.DataFrame, multiples: pd.DataFrame
) -> None:
    """图2.2 with its sentence, and the table of the multiples recomputed and as printed."""
    source = ch.source_line("typical_profile", "typical_profile_multiples")
    widest, widest_multiple = st.widest_multiple(multiples)
    ch.figure(
        profile_figure(ch, profile, stated),
        "fig2_2_profile",
        "ch02.fig_2_2",
        source,
        data=ch.with_unit_words(profile[["metric", "population", "value", "unit"]]).assign(
            metric=profile["metric"].map(lambda m: metric_name(ch, m))
        ),
        cit_lg=ch.fmt(
            st.multiple_of(multiples, "citations_per_firm", st.LITTLE_GIANTS), "倍", decimals=1
        ),
        cit_champ=ch.fmt(
            st.multiple_of(multiples, "citations_per_firm", st.CHAMPIONS), "倍", decimals=0
        ),
        widest_metric=ch.name(widest),
        widest=ch.fmt(widest_multiple, "倍", decimals=0),
    )
    columns = ["metric", "numerator", "denominator", "multiple", "multiple_stated"]
    ch.save_table(
        multiples[columns].assign(metric=multiples["metric"].map(lambda m: metric_name(ch, m))),
        "fig2_2_multiples",
        source=source,
        units={"multiple": "倍", "multiple_stated": "倍"},
        inferred=multiples["inferred"],
    )


# --------------------------------------------------------------------------- 图表2.3, 2.7


def check_batch_means(
    ch: Chapter, means: pd.DataFrame, table: pd.DataFrame, batch_count: str, unit: str
) -> None:
    """Each mean over every batch (st.batch_means) against the batches' means weighted by
    their firm counts, each citing the printed mean's row (the 小巨人's 全部 row)."""
    every = table[table["batch"] == st.ALL]
    if "population" in every:
        every = every[every["population"] == st.LITTLE_GIANTS]
    # A loop, not one call: each mean is another column of that row (its own printed figure).
    for column, recomputed in zip(means["column"], means["recomputed"], strict=True):
        what = ch.t(f"columns.{column}")
        item = ch.t("checks.weighted_mean", what=what, batches=batch_count)
        ch.check(every, item, every[column], recomputed, unit=unit)


def scale_figure(ch: Chapter, scale: pd.DataFrame):
    """图2.3: applications and valid invention patents per firm, by batch and listed board."""
    long = scale.melt(
        id_vars="group", value_vars=list(st.SCALE_COLUMNS), var_name="metric", value_name="per_firm"
    )
    long["metric"] = long["metric"].map(
        {
            "patent_applications_per_firm": ch.t("ch02.fig_2_3.applications"),
            "valid_invention_patents_per_firm": ch.t("ch02.fig_2_3.valid_inventions"),
        }
    )
    group_name = ch.population_names(scale, "group")  # says which groups are published
    long["group"] = long["group"].map(group_name)
    return charts.grouped_bar_chart(
        long,
        "group",
        "metric",
        "per_firm",
        value_label=ch.t("ch02.fig_2_3.axis"),
        category_order=[group_name[g] for g in scale["group"]],
    )


def scale(ch: Chapter, scale: pd.DataFrame, ratios: st.ScaleRatios, batch_count: str) -> None:
    """图2.3 with its sentence (the ratios st.scale_ratios gives, as recorded), and its table."""
    column = "patent_applications_per_firm"
    by_batch = st.little_giants_by_batch(scale)
    batch_means = by_batch.drop(index=st.ALL)[column]
    bse = ratios.vs_bse
    source = ch.source_line("tech_scale_by_population")
    ch.figure(
        scale_figure(ch, scale),
        "fig2_3_scale",
        "ch02.fig_2_3",
        source,
        data=FIGURE_DATA_BELOW,
        batches=batch_count,
        trend=ch.t("ch02.fig_2_3.trend") if words.decreasing(batch_means) else "",
        first=ch.name(ratios.first),
        first_apps=ch.fmt(batch_means.iloc[0], "件/家", decimals=0),
        all=ch.fmt(by_batch.loc[st.ALL, column], "件/家", decimals=0),
        first_ratio=ch.fmt(ratios.first_vs_all, "倍", decimals=1),
        star_ratio=ch.fmt(ratios.vs_star, "share", decimals=0),
        bse_clause=ch.t(f"ch02.fig_2_3.bse_{words.relation_kind(bse)}", ratio=ch.fmt(bse, "倍")),
    )
    ch.save_table(
        scale[["population", "batch", *st.SCALE_COLUMNS]],
        "fig2_3_scale",
        source=source,
        table="tech_scale_by_population",
    )


def influence_figure(ch: Chapter, influence: pd.DataFrame):
    """图2.7: citations per firm by batch, the mean over every batch highlighted."""
    return charts.bar_chart(
        influence.assign(batch=influence["batch"].map(ch.name)),
        "batch",
        "citations_per_firm",
        value_label=ch.t("ch02.fig_2_7.axis"),
        sort=False,
        horizontal=False,
        unit="次/家",
        language=ch.language,
        highlight=[ch.name(st.ALL)],
    )


def influence(
    ch: Chapter,
    influence: pd.DataFrame,
    first: str,
    multiple: float,
    stated: pd.DataFrame,
    batch_count: str,
) -> None:
    """图2.7 with its sentence (the first batch's multiple, recomputed and as printed in
    `stated`), and its table."""
    by_batch = st.little_giants_by_batch(influence)
    source = ch.source_line("tech_influence_by_batch")
    ch.figure(
        influence_figure(ch, influence),
        "fig2_7_influence",
        "ch02.fig_2_7",
        source,
        data=FIGURE_DATA_BELOW,
        batches=batch_count,
        first=ch.name(first),
        first_citations=ch.fmt(by_batch.loc[first, "citations_per_firm"], "次/家", decimals=0),
        multiple=ch.fmt(multiple, "倍"),
        stated=ch.fmt(stated["value"].iloc[0], "倍", decimals=1),
        licences=ch.fmt(by_batch.loc[st.ALL, "licences_per_firm"], "次/家"),
    )
    ch.save_table(
        influence[["batch", *st.INFLUENCE_COLUMNS]],
        "fig2_7_influence",
        source=source,
        table="tech_influence_by_batch",
    )


# --------------------------------------------------------------------------- 图表2.4


def growth_published(
    ch: Chapter, cagr_row: pd.DataFrame, requirement_row: pd.DataFrame, batch_count: str
) -> None:
    """图2.4 when the yearly series were not extracted: the published rate and the MIIT
    requirement, the caption saying which series are missing."""
    cagr, requirement = cagr_row["value"].iloc[0], requirement_row["value"].iloc[0]
    years = st.years_of(cagr_row)
    rates = pd.DataFrame(
        {
            "series": [
                ch.t("ch02.fig_2_4.cagr_label", **years),
                ch.t("ch02.fig_2_4.requirement_label"),
            ],
            "rate": [cagr, requirement],
        }
    )
    fig = charts.bar_chart(
        rates,
        "series",
        "rate",
        value_label=ch.t("ch02.fig_2_4.rate_axis"),
        percent=True,
        horizontal=False,
        sort=False,
    )
    ch.figure(
        fig,
        "fig2_4_growth",
        "ch02.fig_2_4",
        ch.source_line(
            pd.concat([cagr_row, requirement_row]),
            note=ch.t("ch02.fig_2_4.missing_series", **years),
        ),
        data=rates.rename(columns={"series": "indicator", "rate": "value"}),
        data_units={"value": "share"},
        batches=batch_count,
        reading=ch.t(
            "ch02.fig_2_4.reading_published",
            cagr=ch.fmt(cagr, "share"),
            compare=words.compare(cagr, requirement, ch.language),
            **years,
            requirement=ch.fmt(requirement, "share", decimals=0),
        ),
    )


def growth_firms(
    ch: Chapter, series: pd.Series, cagr: float, requirement_row: pd.DataFrame, batch_count: str
) -> None:
    """图2.4 from firm-level data: applications per firm in each year of the growth window of
    the cut-off (st.growth_series), its compound growth against the MIIT requirement."""
    requirement = requirement_row["value"].iloc[0]
    years = st.window_years(ch.cutoff)
    first_year, last_year = years["start"], years["end"]
    fig = charts.bar_chart(
        series.rename_axis("year").reset_index().astype({"year": str}),
        "year",
        "applications_per_firm",
        value_label=ch.t("ch02.fig_2_4.axis"),
        sort=False,
        horizontal=False,
        unit="件/家",
        language=ch.language,
    )
    ch.figure(
        fig,
        "fig2_4_growth",
        "ch02.fig_2_4",
        ch.source_line("patents_per_firm_by_year"),
        data=series.rename("applications_per_firm").rename_axis("year").reset_index(),
        data_units={"applications_per_firm": "件/家"},
        batches=batch_count,
        reading=ch.t(
            "ch02.fig_2_4.reading_firms",
            start_year=first_year,
            end_year=last_year,
            start=ch.fmt(series.loc[first_year], "件/家", decimals=1),
            direction=words.direction(series.loc[first_year], series.loc[last_year], ch.language),
            end=ch.fmt(series.loc[last_year], "件/家", decimals=1),
            cagr=ch.fmt(cagr, "share"),
            compare=words.compare(cagr, requirement, ch.language),
            requirement=ch.fmt(requirement, "share", decimals=0),
        ),
    )


# --------------------------------------------------------------------------- 图表2.5, 2.6


def density(ch: Chapter, ratios: pd.DataFrame, density: float | None) -> None:
    """图2.5: the published density ratios to the boards; with firm-level data the sentence
    adds the 小巨人's own density (`density`)."""
    # The ratios as the report prints them, with its hedge words (约1.1倍, 近3倍): drawn pale
    # and hatched, never as exact values.
    hedges = [printed_qualifier(text) for text in ratios["label"]]
    printed = [
        format_qualified(r, "倍", q, ch.language, decimals=stated_decimals(r))
        for r, q in zip(ratios["ratio"], hedges, strict=True)
    ]
    shown = pd.DataFrame(
        {
            "board": ratios["board"].map(ch.name).to_numpy(),
            "ratio": ratios["ratio"].to_numpy(),
            "label": printed,
            "hedged": [is_qualified(q) for q in hedges],
        }
    )
    fig = charts.bar_chart(
        shown,
        "board",
        "ratio",
        value_label=ch.t("ch02.fig_2_5.axis"),
        horizontal=False,
        labels="label",
        hedged="hedged",
    )
    reading = ch.t("ch02.fig_2_5.reading_published", star=printed[0], bse=printed[1])
    if density is not None:
        unit = "件有效发明专利/千人"
        reading += " " + ch.t(
            "ch02.fig_2_5.reading_firms", density=ch.fmt(density, unit, decimals=1)
        )
    note = ch.t("common.hedged_note") if shown["hedged"].any() else ""
    source = ch.source_line(ratios.drop(columns=["board", "ratio"]), note=note)
    drawn = pd.DataFrame(
        {"board": ratios["board"].to_numpy(), "density_ratio": shown["ratio"], "qualifier": hedges}
    )
    ch.figure(
        fig,
        "fig2_5_density_ratios",
        "ch02.fig_2_5",
        source,
        reading=reading,
        data=drawn.assign(qualifier=drawn["qualifier"].fillna("")),
        data_units={"density_ratio": "倍"},
    )


def versus(ch: Chapter, quality: pd.DataFrame, column: str) -> str:
    """'高于北交所企业（37.4%）、低于科创板企业（65.8%）' for one column of the quality table."""
    by_population = quality.set_index("population")
    mine = by_population.loc[st.LITTLE_GIANTS, column]
    return ch.t("words.list_separator").join(
        ch.t(
            "ch02.fig_2_6.versus",
            compare=words.compare(mine, by_population.loc[board, column], ch.language),
            board=ch.name(board),
            value=ch.fmt(by_population.loc[board, column], "share"),
        )
        for board in ("北交所", "科创板")
    )


def quality_figure(ch: Chapter, quality: pd.DataFrame):
    """图2.6: invention share and grant rate of the 小巨人 and the two boards."""
    long = quality.melt(
        id_vars="population", value_vars=list(QUALITY_COLUMNS), var_name="metric", value_name="rate"
    )
    long["metric"] = long["metric"].map(
        {
            "invention_share_stated": ch.t("ch02.fig_2_6.invention_share"),
            "grant_rate_stated": ch.t("ch02.fig_2_6.grant_rate"),
        }
    )
    population_name = ch.population_names(quality, "population")  # says which are published
    long["population"] = long["population"].map(population_name)
    return charts.grouped_bar_chart(
        long,
        "metric",
        "population",
        "rate",
        value_label=ch.t("ch02.fig_2_6.axis"),
        percent=True,
        series_order=[population_name[p] for p in [st.LITTLE_GIANTS, "科创板", "北交所"]],
    )


def quality(ch: Chapter, quality: pd.DataFrame) -> None:
    """图2.6 with its sentence."""
    mine = quality.set_index("population").loc[st.LITTLE_GIANTS]
    ch.figure(
        quality_figure(ch, quality),
        "fig2_6_quality",
        "ch02.fig_2_6",
        ch.source_line("invention_quality"),
        data=quality[["population", *QUALITY_COLUMNS]],
        data_table="invention_quality",
        data_units=dict.fromkeys(QUALITY_COLUMNS, "share"),
        share=ch.fmt(mine["invention_share_stated"], "share"),
        share_versus=versus(ch, quality, "invention_share_stated"),
        rate=ch.fmt(mine["grant_rate_stated"], "share"),
        rate_versus=versus(ch, quality, "grant_rate_stated"),
    )


# --------------------------------------------------------------------------- 图表2.8


def globalisation_figure(ch: Chapter, pct_bins: pd.DataFrame, overseas_bins: pd.DataFrame):
    """图2.8: the firms' shares by PCT holdings and by overseas markets, as two stacked bars."""
    stacked = pd.concat(
        [
            pct_bins.assign(group=ch.t("ch02.fig_2_8.pct"), part=pct_bins["bin"].map(ch.name)),
            overseas_bins.assign(
                group=ch.t("ch02.fig_2_8.overseas"), part=overseas_bins["bin"].map(ch.name)
            ),
        ]
    )[["group", "part", "share"]]
    return charts.stacked_share_bars(stacked, "group", "part", "share")


def globalisation(
    ch: Chapter,
    pct_bins: pd.DataFrame | None,
    overseas_bins: pd.DataFrame | None,
    abroad: float | None,
    batch_count: str,
) -> None:
    """图2.8 with its sentence (or its placeholder when either table is missing), then the
    table of each binning the data gives."""
    if pct_bins is not None and overseas_bins is not None:
        ch.figure(
            globalisation_figure(ch, pct_bins, overseas_bins),
            "fig2_8_globalisation",
            "ch02.fig_2_8",
            ch.source_line("pct_holdings", "overseas_market_reach"),
            data=pd.concat(
                [
                    bins[["bin", "firms", "share"]].assign(group=ch.t(f"ch02.fig_2_8.{group}"))
                    for group, bins in (("pct", pct_bins), ("overseas", overseas_bins))
                ]
            )[["group", "bin", "firms", "share"]],
            data_units={"share": "share", "firms": "家"},
            batches=batch_count,
            no_pct=ch.fmt(pct_bins["share"].iloc[0], "share"),
            top_bin=ch.name(pct_bins["bin"].iloc[-1]),
            many_pct=ch.fmt(pct_bins["share"].iloc[-1], "share"),
            abroad=ch.fmt(abroad, "家"),
            top_market_bin=ch.name(overseas_bins["bin"].iloc[-1]),
            wide=ch.fmt(overseas_bins["share"].iloc[-1], "share"),
        )
    else:
        placeholder(ch, "fig2_8_globalisation", batches=batch_count)
    for bins, column, name, table in (
        (pct_bins, "pct_bin", "fig2_8_pct_bins", "pct_holdings"),
        (overseas_bins, "market_bin", "fig2_8_overseas_bins", "overseas_market_reach"),
    ):
        if bins is not None:
            ch.save_table(
                bins[[column, "firms", "share", "share_stated"]],
                name,
                source=ch.source_line(table),
                table=table,
                units={"share": "share"},
            )


def text_figures(
    ch: Chapter,
    pct: st.PctShare,
    applications: pd.DataFrame,
    published_text: pd.DataFrame,
) -> None:
    """The sentence checking the chapter's text figures: the last year's applications and the
    PCT share of applications, each beside its published value."""
    published = published_text.loc["patent_applications_2022"]
    ch.text(
        "ch02.text_stats",
        year=int(applications["end_year"].iloc[0]),
        applications=ch.fmt(applications["value"].iloc[0], "件"),
        published_year=int(published["end_year"]),
        published=ch.fmt(published["value"], "件"),
        pct=ch.fmt(pct.pct_per_firm, "件/家"),
        apps=ch.fmt(pct.applications_per_firm, "件/家", decimals=0),
        pct_share=ch.fmt(pct.share, "share"),
        published_pct_share=ch.fmt(
            published_text.loc["pct_share_of_applications", "value"], "share"
        ),
    )


# --------------------------------------------------------------------------- 图表2.9, 2.10


def pct_growth(ch: Chapter, pct_growth: pd.DataFrame, years: dict[str, int]) -> None:
    """图2.9: the PCT compound growth of all 小巨人 and of the A-share-listed ones."""
    growth_of = pct_growth.set_index("population")["pct_cagr_2020_2022_stated"]
    fig = charts.bar_chart(
        pct_growth.assign(population=pct_growth["population"].map(ch.name)),
        "population",
        "pct_cagr_2020_2022_stated",
        value_label=ch.t("ch02.fig_2_9.axis"),
        sort=False,
        percent=True,
        horizontal=False,
    )
    listed, every = growth_of["A股上市小巨人"], growth_of[st.LITTLE_GIANTS]
    ch.figure(
        fig,
        "fig2_9_pct_growth",
        "ch02.fig_2_9",
        ch.source_line("pct_growth"),
        data=pct_growth[["population", "pct_cagr_2020_2022_stated"]],
        data_table="pct_growth",
        data_units={"pct_cagr_2020_2022_stated": "share"},
        listed=ch.fmt(listed, "share"),
        compare=words.compare(listed, every, ch.language),
        all=ch.fmt(every, "share"),
        **years,
    )


def pct_holders_figure(ch: Chapter, by_year: pd.DataFrame, bins: pd.DataFrame, years):
    """图2.10: firms by PCT bin in the two years, the bins in their order."""
    return charts.grouped_bar_chart(
        by_year.assign(year=by_year["year"].astype(str), pct_bin=by_year["pct_bin"].map(ch.name)),
        "pct_bin",
        "year",
        "firms",
        value_label=ch.t("ch02.fig_2_10.axis"),
        category_order=[ch.name(b) for b in bins["pct_bin"] if b in set(by_year["pct_bin"])],
        series_order=[str(y) for y in years],
    )


def pct_holders(ch: Chapter, by_year: pd.DataFrame, bins: pd.DataFrame, change: st.BinGrowth):
    """图2.10 with its sentence on the firms in one bin (st.bin_growth); when some bins of a year
    are missing (published: only some survived extraction) the sentence says so."""
    complete = st.has_every_bin(by_year, bins)
    ch.figure(
        pct_holders_figure(ch, by_year, bins, (change.start, change.end)),
        "fig2_10_pct_holders",
        "ch02.fig_2_10",
        ch.source_line("pct_holdings_by_year"),
        data=by_year[["year", "pct_bin", "firms"]],
        data_table="pct_holdings_by_year",
        reading=ch.t(
            "ch02.fig_2_10.reading_complete" if complete else "ch02.fig_2_10.reading",
            bin=ch.name(change.bin),
            start=ch.fmt(change.before, "家"),
            direction=words.direction(change.before, change.after, ch.language),
            end=ch.fmt(change.after, "家"),
            growth=ch.fmt(change.growth, "share", signed=True),
            start_year=change.start,
        ),
        start=change.start,
        end=change.end,
    )


def pct_year_on_year(ch: Chapter, changes: pd.DataFrame, previous_label: str) -> None:
    """PREVIOUS: firms by PCT bin in this edition and the previous one, and the bin that moved
    most (st.bins_year_on_year)."""
    this_edition = ch.t("changes.ch02.pct_yoy.this_edition")
    previous_edition = ch.t("changes.ch02.pct_yoy.previous_edition")
    long = pd.concat(
        [
            changes.assign(edition=previous_edition, value=changes["previous"]),
            changes.assign(edition=this_edition, value=changes["firms"]),
        ]
    ).dropna(subset=["value"])
    fig = charts.grouped_bar_chart(
        long.assign(pct_bin=long["pct_bin"].map(ch.name)),
        "pct_bin",
        "edition",
        "value",
        value_label=ch.t("changes.ch02.pct_yoy.axis"),
        category_order=[ch.name(b) for b in changes["pct_bin"]],
        series_order=[previous_edition, this_edition],
    )
    moved = changes.dropna(subset=["change"])
    most = moved.loc[moved["change"].abs().idxmax()]
    ch.figure(
        fig,
        "fig2_10_pct_holders_yoy",
        "changes.ch02.pct_yoy",
        ch.t("common.clause_separator").join(
            [ch.source_line("pct_holdings"), ch.t("changes.previous_note", folder=previous_label)]
        ),
        data=changes[["pct_bin", "previous", "firms", "change"]].rename(
            columns={"previous": "previous_edition", "change": "change_vs_previous"}
        ),
        data_units={"previous_edition": "家", "firms": "家", "change_vs_previous": "家"},
        bin=ch.name(most["pct_bin"]),
        direction=words.direction(most["previous"], most["firms"], ch.language),
        value=ch.fmtu(most["firms"], "家"),
        previous=ch.fmtu(most["previous"], "家"),
    )
