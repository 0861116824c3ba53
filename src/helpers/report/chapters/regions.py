"""Chapter 3's figures, sentences and tables (区域科创版图, 001 图表3.1–3.3 and the city-cluster
page): the charts drawn from the tables helpers.stats.regions and helpers.stats.regional
compute, the values each figure's reading sentence is filled with, in the edition's words, and
the words its statistics' labels take from the label files (a scheme's, a metric's)."""

from __future__ import annotations

import pandas as pd

from helpers.report import charts, region_charts, words
from helpers.report.chapter import FIGURE_DATA_BELOW, Chapter
from helpers.report.format import qualified as hedged
from helpers.report.sources import FIRM_LEVEL
from helpers.stats import regional, regions
from helpers.stats.descriptive import lorenz_curve

CITY_MIN_FIRMS = 150  # the cities 001 图表3.3 lists (and firm-level data's firms_by_city)
# 图表3.3 draws at most as many cities as 001's (twenty): a national export may list hundreds,
# which its table keeps
CHART_CITIES = 20


# Words of the statistics' labels --------------------------------------------------------------
def named_schemes(ch: Chapter, macro: pd.DataFrame) -> pd.DataFrame:
    """A regional.macro_regions table for its statistics: the scheme's code as `scheme_id` (the
    key's id) and its words as `scheme` (the label's)."""
    return macro.assign(
        scheme_id=macro["scheme"],
        scheme=[ch.t(f"ch03.schemes.{scheme}") for scheme in macro["scheme"]],
    )


def named_metrics(ch: Chapter, metrics: pd.DataFrame) -> pd.DataFrame:
    """Metrics (a regional.cluster_ratios table, a region profile's page metrics) with `metric`
    in the edition's words and the metric's code in `metric_id` (for its key), as they are
    recorded and charted."""
    return metrics.assign(
        metric_id=metrics["metric"],
        metric=[ch.t(f"ch03.metrics.{metric}") for metric in metrics["metric"]],
    )


# Figures and tables --------------------------------------------------------------------------
def provinces(
    ch: Chapter,
    provinces: pd.DataFrame,
    by_batch: pd.DataFrame | None,
    folded: dict | None,
    cr3: float,
    cr5: float,
) -> None:
    """fig3_1_provinces (图表3.1) with its sentence, the rule on the units MIIT lists beside the provinces (and the
    rows this data folded into them), and the provinces' table (firms per batch where the data
    has batches by province)."""
    top, smallest = provinces.iloc[0], provinces.iloc[-1]
    ch.figure(
        provinces_figure(ch, provinces, by_batch),
        "fig3_1_provinces",
        "ch03.fig_3_1",
        ch.source_line("firms_by_province"),
        data=FIGURE_DATA_BELOW,
        as_of=ch.as_of("firms_by_province"),
        top=ch.name(top["province"]),
        top_firms=ch.fmt(top["firms"], "家"),
        top_share=ch.fmt(top["share"], "share"),
        top3=ch.names(provinces["province"].head(3)),
        cr3=ch.fmt(cr3, "share"),
        cr5=ch.fmt(cr5, "share"),
        qualifier=words.tenths(cr5, ch.language),
        small=ch.name(smallest["province"]),
        small_firms=ch.fmt(smallest["firms"], "家"),
    )
    ch.text("ch03.folds.rule")
    if folded:
        ch.text(
            "ch03.folds.folded",
            rows=ch.fmt(folded["rows"], "项"),
            names=ch.names(folded["names"]),
            provinces=ch.names(folded["provinces"]),
        )
    table = regions.with_batch_columns(
        provinces[["rank", "province", "firms", "share", "cumulative_share"]],
        by_batch,
        column_key=ch.id,
    )
    batch_columns = [c for c in table.columns if c.startswith("batch_")]
    ch.save_table(
        table,
        "fig3_1_provinces",
        source=ch.source_line("firms_by_province"),
        table="firms_by_province",
        units={"rank": "position", "share": "share", "cumulative_share": "share"}
        | dict.fromkeys(batch_columns, "家"),
    )


def provinces_figure(ch: Chapter, provinces: pd.DataFrame, by_batch: pd.DataFrame | None):
    """fig3_1_provinces (图表3.1): firms per province, largest first; stacked by batch where the data has batches
    by province (firm-level data), each batch in its own colour."""
    if by_batch is None:
        return charts.bar_chart(
            provinces.assign(province=provinces["province"].map(ch.name)),
            "province",
            "firms",
            value_label=ch.t("ch03.fig_3_1.axis"),
        )
    return region_charts.stacked_count_bars(
        by_batch.assign(
            province=by_batch["province"].map(ch.name), batch=by_batch["batch"].map(ch.name)
        ),
        "province",
        "batch",
        "firms",
        series_order=[ch.name(b) for b in by_batch.attrs["batches"]],
        value_label=ch.t("ch03.fig_3_1.axis"),
    )


def concentration(ch: Chapter, provinces: pd.DataFrame, cr3: float, cr5: float, hhi: float):
    """fig3_1b_lorenz (the Lorenz curve of the provinces' firms, its sentence comparing the HHI
    with an even spread) and fig3_1c_tile_map (the tile-grid map)."""
    equal_hhi = regional.hhi_if_equal(len(provinces))
    curve = lorenz_curve(provinces["firms"])
    # each point after the origin adds the next province, smallest first (as lorenz_curve sorts)
    ordered = provinces.sort_values("firms", kind="stable")
    curve_data = curve.assign(
        province=[None, *ordered["province"]], firms=[None, *ordered["firms"]]
    )[["province", "firms", "units_share", "total_share"]]
    fig = region_charts.lorenz_chart(
        curve,
        "units_share",
        "total_share",
        x_label=ch.t("ch03.fig_3_1b.x_axis"),
        y_label=ch.t("ch03.fig_3_1b.y_axis"),
        equality_label=ch.t("ch03.fig_3_1b.equality"),
        curve_label=ch.t("ch03.fig_3_1b.curve"),
    )
    ch.figure(
        fig,
        "fig3_1b_lorenz",
        "ch03.fig_3_1b",
        ch.source_line("firms_by_province"),
        data=curve_data,
        data_units={"firms": "家", "units_share": "share", "total_share": "share"},
        cr3=ch.fmt(cr3, "share"),
        cr5=ch.fmt(cr5, "share"),
        hhi=ch.fmt(hhi, "分"),
        hhi_equal=ch.fmt(equal_hhi, "分"),
        provinces=ch.fmt(len(provinces), "项"),
        compare=words.compare(hhi, equal_hhi, ch.language),
        # an equal spread has the smallest HHI there is: the only other case is "as even"
        verdict=ch.t(
            "ch03.fig_3_1b.more"
            if words.compare_kind(hhi, equal_hhi) == "higher"
            else "ch03.fig_3_1b.even"
        ),
    )
    labels = provinces["short_name"] if ch.language == "zh" else provinces["province"].map(ch.name)
    fig = region_charts.tile_map(
        provinces.assign(label=labels),
        "tile_row",
        "tile_col",
        "label",
        "firms",
        value_label=ch.t("ch03.fig_3_1c.legend"),
    )
    ch.figure(
        fig,
        "fig3_1c_tile_map",
        "ch03.fig_3_1c",
        ch.source_line("firms_by_province"),
        data=provinces[["province", "firms", "tile_row", "tile_col"]],
        data_units={"firms": "家"},
    )


def macro_regions(ch: Chapter, macro: pd.DataFrame) -> None:
    """fig3_1d_macro_regions: the four regions and the three belts as 100% bars, with its sentence, and its
    table (a regional.macro_regions table)."""
    stacked = macro.assign(
        group=[ch.t(f"ch03.schemes.{scheme}") for scheme in macro["scheme"]],
        part=macro["region"].map(ch.name),
    )
    nbs = regional.scheme_regions(macro, "region_nbs")
    belts = regional.scheme_regions(macro, "region_3belt")
    ch.figure(
        charts.stacked_share_bars(stacked, "group", "part", "share"),
        "fig3_1d_macro_regions",
        "ch03.fig_3_2m",
        ch.source_line("firms_by_province"),
        data=FIGURE_DATA_BELOW,
        nbs_top=ch.name(nbs["region"].iloc[0]),
        nbs_top_share=ch.fmt(nbs["share"].iloc[0], "share"),
        nbs_low=ch.name(nbs["region"].iloc[-1]),
        nbs_low_share=ch.fmt(nbs["share"].iloc[-1], "share"),
        belt_top=ch.name(belts["region"].iloc[0]),
        belt_top_share=ch.fmt(belts["share"].iloc[0], "share"),
    )
    ch.save_table(
        stacked.assign(scheme=stacked["group"])[
            ["scheme", "region", "provinces", "firms", "share"]
        ],
        "fig3_1d_macro_regions",
        source=ch.source_line("firms_by_province"),
        units={"provinces": "项", "firms": "家", "share": "share"},
    )


def bubbles(ch: Chapter, metrics: pd.DataFrame, national: pd.Series) -> None:
    """fig3_2_bubbles (图表3.2): employees and valid invention patents per firm by province, bubbles
    sized by firms, the national averages as reference lines, with its sentence (a
    regional.province_metrics table and regional.national_averages)."""
    top = metrics.loc[metrics["valid_invention_patents_per_firm"].idxmax()]
    fig = region_charts.bubble_chart(
        metrics.assign(province=metrics["province"].map(ch.name)),
        "employees_per_firm",
        "valid_invention_patents_per_firm",
        "firms",
        "province",
        x_label=ch.t("ch03.fig_3_2.x_axis"),
        y_label=ch.t("ch03.fig_3_2.y_axis"),
        x_reference=float(national["employees_per_firm"]),
        y_reference=float(national["valid_invention_patents_per_firm"]),
        labelled=[ch.name(p) for p in metrics.nlargest(12, "firms")["province"]],
    )
    ch.figure(
        fig,
        "fig3_2_bubbles",
        "ch03.fig_3_2",
        ch.source_line("region_metrics"),
        data=metrics[
            ["province", "firms", "employees_per_firm", "valid_invention_patents_per_firm"]
        ],
        data_units={
            "firms": "家",
            "employees_per_firm": "人",
            "valid_invention_patents_per_firm": "件/家",
        },
        employees=ch.fmt(national["employees_per_firm"], "人"),
        patents=ch.fmt(national["valid_invention_patents_per_firm"], "件/家"),
        top=ch.name(top["province"]),
        top_value=ch.fmt(top["valid_invention_patents_per_firm"], "件/家"),
    )


def cities(ch: Chapter, cities: pd.DataFrame, multiple: float | None) -> None:
    """fig3_3_cities (图表3.3): firms per city with its sentence (the top three against the fourth, the
    city with the largest share of its province), and the cities' table (a
    cities_with_shares table, largest first). With fewer than four cities (`multiple` None) the
    sentence leaves out the comparison; with none (a small export), a numbered sentence saying
    so stands in for the figure. The chart draws the first CHART_CITIES, and says so when the
    table lists more."""
    if cities.empty:
        min_firms = ch.fmt(CITY_MIN_FIRMS, "家")
        ch.missing("figure", "fig3_3_cities", "ch03.fig_3_3", needs=["cities"], min_firms=min_firms)
        return
    leading = regional.leading_prefecture_city(cities)
    province_note = (
        ""
        # a one-province export: its share of the province is its share of the nation, said
        if leading is None or leading["share_of_province"] == leading["share_of_nation"]
        else ch.t(
            "ch03.fig_3_3.province_note",
            city=ch.name(leading["city"]),
            province=ch.name(leading["province"]),
            share=ch.fmt(leading["share_of_province"], "share"),
        )
    )
    drawn = cities.head(CHART_CITIES)
    fig = charts.bar_chart(
        drawn.assign(city=drawn["city"].map(ch.name)),
        "city",
        "firms",
        value_label=ch.t("ch03.fig_3_3.axis"),
    )
    compared = {}  # the top three against the fourth, when there is a fourth
    if multiple is not None:
        compared = {
            "top3": ch.names(cities["city"].head(3)),
            "multiple": ch.fmt(multiple, "倍", decimals=1),
            "fourth": ch.name(cities["city"].iloc[3]),
        }
    values = {
        "min_firms": ch.fmt(CITY_MIN_FIRMS, "家"),  # the list's threshold, not its smallest city
        "cities": ch.fmt(len(cities), "项"),
        "top": ch.name(cities["city"].iloc[0]),
        "top_share": ch.fmt(cities["share_of_nation"].iloc[0], "share"),
        "province_note": province_note,
        "drawn_note": ""
        if len(cities) <= CHART_CITIES
        else ch.t("ch03.fig_3_3.drawn_note", drawn=ch.fmt(CHART_CITIES, "项")),
        **compared,
    }
    reading = None if compared else ch.t("ch03.fig_3_3.reading_few", **values)
    ch.figure(
        fig,
        "fig3_3_cities",
        "ch03.fig_3_3",
        ch.source_line("firms_by_city"),
        reading,
        data=FIGURE_DATA_BELOW,
        **values,
    )
    columns = ["rank", "city", "province", "firms", "share_of_nation", "province_firms"]
    ch.save_table(
        cities[[*columns, "share_of_province"]],
        "fig3_3_cities",
        source=ch.source_line("firms_by_city", "firms_by_province"),
        units={
            "rank": "position",
            "firms": "家",
            "province_firms": "家",
            "share_of_nation": "share",
            "share_of_province": "share",
        },
    )


def cities_from_counties(ch: Chapter, mapped: pd.DataFrame | None) -> None:
    """The firms whose city was written as a county or district and counted in its
    prefecture-level city (firm-level data only; nothing when none was): recorded and said in
    one sentence."""
    if mapped is None or mapped.empty:
        return
    firms = ch.record("cities.firms_from_counties", int(mapped["firms"].sum()), source=mapped)
    ch.text("ch03.counties.mapped", firms=ch.fmt(firms, "家"), count=firms)


def clusters(ch: Chapter, clusters: pd.DataFrame) -> None:
    """fig3_4_clusters: each cluster's metrics as multiples of the national average, with its sentence
    (the largest multiple, the lowest), and the clusters' table with the values in their units
    (a regional.cluster_ratios table)."""
    compared = clusters[clusters["ratio"].notna()]
    best = compared.loc[compared["ratio"].idxmax()]
    lowest = compared.loc[compared["ratio"].idxmin()]
    names = list(dict.fromkeys(clusters["cluster"]))
    fig = charts.grouped_bar_chart(
        compared.assign(
            metric=compared["metric"].map(lambda m: ch.t(f"ch03.metrics.{m}")),
            cluster=compared["cluster"].map(ch.name),
        ),
        "metric",
        "cluster",
        "ratio",
        value_label=ch.t("ch03.fig_3_4.axis"),
        unit="倍",
        language=ch.language,
        series_order=[ch.name(c) for c in names],
    )
    fig.axes[0].axhline(1, color=charts.HIGHLIGHT, linestyle="--", linewidth=1)
    ch.figure(
        fig,
        "fig3_4_clusters",
        "ch03.fig_3_4",
        ch.source_line("cluster_metrics"),
        data=FIGURE_DATA_BELOW,
        clusters=ch.names(names),
        best=ch.name(best["cluster"]),
        metric=ch.t(f"ch03.metrics.{best['metric']}"),
        ratio=ch.fmt(best["ratio"], "倍"),
        lowest=ch.name(lowest["cluster"]),
        low_metric=ch.t(f"ch03.metrics.{lowest['metric']}"),
        compare=words.compare(lowest["value"], lowest["national_avg"], ch.language),
    )
    units = clusters["unit"]
    table = clusters.rename(columns={"cluster": "region"})[
        ["region", "metric", "value", "national_avg"]
    ]
    ch.save_table(
        table.assign(
            metric=table["metric"].map(lambda m: ch.t(f"ch03.metrics.{m}")),
            value=[ch.fmt(v, u) for v, u in zip(table["value"], units, strict=True)],
            national_avg=[
                "–" if pd.isna(v) else ch.fmt(v, u)
                for v, u in zip(table["national_avg"], units, strict=True)
            ],
        ),
        "fig3_4_clusters",
        source=ch.source_line("cluster_metrics"),
    )


def cluster_fields(ch: Chapter, fields: pd.DataFrame) -> None:
    """fig3_5_cluster_fields: each cluster's patent applications per key industry field, fields with the most
    applications first, with its sentence (a regional.cluster_field_patents table)."""
    top = fields.loc[fields["patent_applications"].idxmax()]
    fig = charts.grouped_bar_chart(
        fields.assign(field=fields["field"].map(ch.name), cluster=fields["cluster"].map(ch.name)),
        "field",
        "cluster",
        "patent_applications",
        value_label=ch.t("ch03.fig_3_5.axis"),
        category_order=[ch.name(f) for f in regional.fields_by_patents(fields)],
        series_order=[ch.name(c) for c in dict.fromkeys(fields["cluster"])],
    )
    ch.figure(
        fig,
        "fig3_5_cluster_fields",
        "ch03.fig_3_5",
        ch.source_line("cluster_field_patents"),
        data=fields[["cluster", "field", "patent_applications"]],
        data_units={"patent_applications": "件"},
        top_cluster=ch.name(top["cluster"]),
        top_field=ch.name(top["field"]),
        top_value=ch.fmt(top["patent_applications"], "件"),
    )


# Totals and top-N shares, the clusters' firms, the typical cities -------------------------------
def cities_totals(
    ch: Chapter, cities: pd.DataFrame, top3: pd.DataFrame, shown: pd.DataFrame
) -> None:
    """The sentence on the top three cities together and all the cities shown (`top3`,
    `shown`: regional.group_total of those rows; `top3` without a row when fewer than three
    cities are listed, `shown` without a row when none is)."""
    if shown.empty:
        return
    if top3.empty:
        ch.text(
            "ch03.totals.cities_reading_few",
            cities=ch.fmt(len(cities), "项"),
            shown_firms=ch.fmt(shown["firms"].iloc[0], "家"),
            shown_share=ch.fmt(shown["share"].iloc[0], "share"),
        )
        return
    ch.text(
        "ch03.totals.cities_reading",
        top3=ch.names(cities["city"].head(3)),
        top3_firms=ch.fmt(top3["firms"].iloc[0], "家"),
        top3_share=ch.fmt(top3["share"].iloc[0], "share"),
        cities=ch.fmt(len(cities), "项"),
        shown_firms=ch.fmt(shown["firms"].iloc[0], "家"),
        shown_share=ch.fmt(shown["share"].iloc[0], "share"),
    )


def cluster_parts_text(ch: Chapter, parts: pd.DataFrame) -> str:
    """A cluster's parts with their firms and share of the cluster: 深圳市744家（52.3%）、…"""
    return ch.names(
        [
            ch.t(
                "ch03.totals.part",
                part=ch.name(row.part),
                firms=ch.fmt(row.firms, "家"),
                share=ch.fmt(row.share_of_cluster, "share"),
            )
            for row in parts.itertuples()
        ]
    )


def cluster_totals(
    ch: Chapter,
    totals: pd.DataFrame,
    parts: pd.DataFrame,
    together: pd.DataFrame,
    within: pd.DataFrame,
    listed: pd.DataFrame,
) -> None:
    """The clusters' firms with their sentence and table (`totals`: regional.listed_shares of
    cluster_firm_totals; `parts`: cluster_parts; `together`: group_total of the clusters;
    `within`: part_of_province of the cluster counted by city; `listed`: the listed_firms rows
    of cluster_metrics the listed shares come from). No cluster with firms (an export of a
    province outside them): a numbered sentence saying so stands in for the table."""
    if totals.empty:
        ch.missing("table", "tab3_clusters", "ch03.totals", needs=["clusters"])
        return
    by_city = set(within["cluster"])  # the cluster its page counts by city (粤港澳: 9 cities)
    clauses = []
    for row in totals.itertuples():
        own = regional.cluster_rows(parts, row.cluster)
        clauses.append(
            ch.t(
                "ch03.totals.cluster_by_city"
                if row.cluster in by_city
                else "ch03.totals.cluster_by_province",
                cluster=ch.name(row.cluster),
                firms=ch.fmt(row.firms, "家"),
                n=ch.fmt(len(own), "项"),
                parts=cluster_parts_text(ch, own),
            )
        )
    sentences = [
        ch.t(
            "ch03.totals.clusters_reading",
            firms=ch.fmt(together["firms"].iloc[0], "家"),
            share=ch.fmt(together["share"].iloc[0], "share"),
            clauses=ch.t("words.clause_separator").join(clauses),
        )
    ]
    # cities counting more firms than their province (two tables of other dates or lists) are
    # said to disagree, never given a negative remainder
    sentences += [
        ch.t(
            "ch03.totals.within_province"
            if row.firms <= row.province_firms
            else "ch03.totals.within_province_exceeds",
            cluster=ch.name(row.cluster),
            province=ch.name(row.province),
            share=ch.fmt(row.share_of_province, "share"),
            rest=ch.fmt(abs(row.province_firms - row.firms), "家"),
        )
        for row in within.itertuples()
    ]
    compared = totals[totals["listed_share"].notna()]
    if len(compared) > 1:
        top = compared.loc[compared["listed_share"].idxmax()]
        low = compared.loc[compared["listed_share"].idxmin()]
        sentences.append(
            ch.t(
                "ch03.totals.listed",
                top=ch.name(top["cluster"]),
                top_share=ch.fmt(top["listed_share"], "share"),
                low=ch.name(low["cluster"]),
                low_share=ch.fmt(low["listed_share"], "share"),
            )
        )
    ch.text("ch03.totals.paragraph", text="".join(sentences))
    table = totals.assign(
        parts=[cluster_parts_text(ch, regional.cluster_rows(parts, c)) for c in totals["cluster"]]
    )
    columns = ["cluster", "firms", "share_of_nation", "parts", "listed_firms", "listed_share"]
    shown = pd.DataFrame(
        {
            "region": table["cluster"].map(ch.name),
            "firms": table["firms"].map(lambda v: ch.fmt(v, "家")),
            "share_of_nation": table["share_of_nation"].map(lambda v: ch.fmt(v, "share")),
            "parts": table["parts"],
            "listed_firms": table["listed_firms"].map(lambda v: ch.fmt(v, "家")),
            "listed_share": table["listed_share"].map(lambda v: ch.fmt(v, "share")),
        }
    )
    ch.save_table(
        table[columns],
        "tab3_clusters",
        source=ch.source_line(parts, "firms_by_province", "cluster_city_distribution", listed),
        title=ch.t("ch03.totals.title"),
        shown=shown,
    )


def typical_cities(ch: Chapter, typical: pd.DataFrame, together: pd.DataFrame) -> None:
    """The typical cities of 001's city pages: a figure of their PCT patents per firm against
    the national average, its sentence (their firms and applications together, the most and
    least PCT patents, the invention shares furthest above and below the nation's) and their
    table (`typical`: regional.typical_cities; `together`: group_total of its rows)."""
    names = typical["city"].map(ch.name)
    pct = typical.dropna(subset=["pct_multiple"]).sort_values("pct_multiple", ascending=False)
    labels = [
        ch.t(
            "ch03.typical.bar_label",
            value=ch.fmtu(value, "件/家"),
            multiple=ch.fmtu(ratio, "倍"),
        )
        for value, ratio in zip(pct["pct_per_firm"], pct["pct_multiple"], strict=True)
    ]
    fig = region_charts.metric_ratio_chart(
        pct.assign(city=pct["city"].map(ch.name)),
        "city",
        "pct_multiple",
        value_labels=labels,
        axis_label=ch.t("ch03.typical.axis"),
        reference_label=ch.t("ch03.typical.reference"),
    )
    for text in fig.axes[0].texts:  # the value labels stay readable where the line crosses them
        text.set_bbox({"facecolor": "white", "edgecolor": "none", "pad": 1, "alpha": 0.85})
    top, low = pct.iloc[0], pct.iloc[-1]
    gaps = typical.dropna(subset=["invention_share_gap"])
    above = gaps.loc[gaps["invention_share_gap"].idxmax()]
    below = gaps.loc[gaps["invention_share_gap"].idxmin()]
    applications = typical["patent_applications_total"].sum()
    at_least = typical["qualifier"].dropna().unique()
    ch.figure(
        fig,
        "fig3_typical_pct",
        "ch03.typical",
        ch.source_line("city_overview", "city_metrics", "city_field_patents"),
        data=pct[["city", "pct_per_firm", "national_pct_per_firm", "pct_multiple"]],
        data_units={
            "pct_per_firm": "件/家",
            "national_pct_per_firm": "件/家",
            "pct_multiple": "倍",
        },
        cities=ch.names(typical["city"]),
        n=ch.fmt(len(typical), "项"),
        firms=ch.fmt(together["firms"].iloc[0], "家"),
        share=ch.fmt(together["share"].iloc[0], "share"),
        applications=hedged_count(ch, applications, "件", at_least[0] if len(at_least) else None),
        top=ch.name(top["city"]),
        top_value=ch.fmtu(top["pct_per_firm"], "件/家"),
        national=ch.fmtu(top["national_pct_per_firm"], "件/家"),
        top_multiple=ch.fmt(top["pct_multiple"], "倍"),
        low=ch.name(low["city"]),
        low_value=ch.fmtu(low["pct_per_firm"], "件/家"),
        low_multiple=ch.fmt(low["pct_multiple"], "倍"),
        above=ch.name(above["city"]),
        above_gap=ch.fmtu(above["invention_share_gap"], "pp", signed=True),
        below=ch.name(below["city"]),
        below_gap=ch.fmtu(below["invention_share_gap"], "pp", signed=True),
        national_share=ch.fmt(above["national_invention_share"], "share"),
    )
    shown = pd.DataFrame(
        {
            "city": names,
            "firms": typical["firms"].map(lambda v: ch.fmt(v, "家")),
            "applications_total": [
                hedged_count(ch, v, "件", q, compact=False)
                for v, q in zip(
                    typical["patent_applications_total"], typical["qualifier"], strict=True
                )
            ],
            "applications_per_firm": [
                ch.t(
                    "ch03.typical.per_firm",
                    value=ch.fmt(v, "件/家", decimals=1),
                    stated=ch.fmt(s, "件/家"),
                )
                if pd.notna(s) and printed
                else ch.fmt(v, "件/家", decimals=1)
                for v, s, printed in zip(
                    typical["applications_per_firm"],
                    typical["applications_per_firm_stated"],
                    # a firm-level row's own per-firm figure is no printed one
                    typical["source_doc"].astype(str) != FIRM_LEVEL,
                    strict=True,
                )
            ],
            "key_field_share": typical.get(
                "key_field_share", pd.Series(float("nan"), index=typical.index)
            ).map(lambda v: ch.fmt(v, "share")),
            "invention_share_vs": [
                ch.t(
                    "ch03.typical.with_gap",
                    value=ch.fmt(v, "share"),
                    gap=ch.fmtu(g, "pp", signed=True),
                )
                for v, g in zip(
                    typical["invention_share"], typical["invention_share_gap"], strict=True
                )
            ],
            "pct_vs": [
                ch.t(
                    "ch03.typical.with_multiple",
                    value=ch.fmt(v, "件/家"),
                    multiple=ch.fmtu(m, "倍"),
                )
                for v, m in zip(typical["pct_per_firm"], typical["pct_multiple"], strict=True)
            ],
        }
    )
    columns = [
        "city",
        "firms",
        "patent_applications_total",
        "qualifier",
        "applications_per_firm",
        "applications_per_firm_stated",
        "key_field_applications",
        "key_field_share",
        "invention_share",
        "national_invention_share",
        "invention_share_gap",
        "pct_per_firm",
        "national_pct_per_firm",
        "pct_multiple",
    ]
    ch.save_table(
        typical[[c for c in columns if c in typical]],
        "tab3_typical_cities",
        source=ch.source_line("city_overview", "city_metrics", "city_field_patents"),
        title=ch.t("ch03.typical.table_title"),
        shown=shown,
    )


def hedged_count(ch: Chapter, value, unit: str, qualifier, **options) -> str:
    """A count with the hedge word the source printed it with (11.31万余 / over 113,100);
    `options` as Chapter.fmt (compact=False in a table: 113,100余)."""
    return hedged(ch.fmt(value, unit, **options), qualifier, ch.language)


def check_per_firm(ch: Chapter, typical: pd.DataFrame) -> None:
    """Check each typical city's applications per firm as its page prints them against its
    total ÷ its firms (a regional.typical_cities table), each citing its own city's row."""
    # A loop, not check_table (one source for every row): each city cites its own page.
    for index, row in typical[typical["applications_per_firm_stated"].notna()].iterrows():
        ch.check(
            typical.loc[[index]],
            ch.t("ch03.typical.check", name=ch.name(row["city"])),
            row["applications_per_firm_stated"],
            row["applications_per_firm"],
            decimals=0,
            unit="件/家",
        )
