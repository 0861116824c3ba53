"""Chapter 3's figures, sentences and tables (区域科创版图, 001 图表3.1–3.3 and the city-cluster
page): the charts drawn from the tables helpers.stats.regions and helpers.stats.regional
compute, the values each figure's reading sentence is filled with, in the edition's words, and
the words its statistics' labels take from the label files (a scheme's, a metric's)."""

from __future__ import annotations

import pandas as pd

from helpers.report import charts, region_charts, words
from helpers.report.chapter import Chapter
from helpers.stats import regional, regions
from helpers.stats.descriptive import lorenz_curve


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
    fig = region_charts.lorenz_chart(
        lorenz_curve(provinces["firms"]),
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
    ch.figure(fig, "fig3_1c_tile_map", "ch03.fig_3_1c", ch.source_line("firms_by_province"))


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
        employees=ch.fmt(national["employees_per_firm"], "人"),
        patents=ch.fmt(national["valid_invention_patents_per_firm"], "件/家"),
        top=ch.name(top["province"]),
        top_value=ch.fmt(top["valid_invention_patents_per_firm"], "件/家"),
    )


def cities(ch: Chapter, cities: pd.DataFrame, multiple: float) -> None:
    """fig3_3_cities (图表3.3): firms per city with its sentence (the top three against the fourth, the
    city with the largest share of its province), and the cities' table (a
    cities_with_shares table, largest first)."""
    fourth = cities.iloc[3]
    leading = regional.leading_prefecture_city(cities)
    fig = charts.bar_chart(
        cities.assign(city=cities["city"].map(ch.name)),
        "city",
        "firms",
        value_label=ch.t("ch03.fig_3_3.axis"),
    )
    ch.figure(
        fig,
        "fig3_3_cities",
        "ch03.fig_3_3",
        ch.source_line("firms_by_city"),
        min_firms=ch.fmt(cities["firms"].min(), "家"),
        cities=ch.fmt(len(cities), "项"),
        top3=ch.names(cities["city"].head(3)),
        multiple=ch.fmt(multiple, "倍", decimals=1),
        fourth=ch.name(fourth["city"]),
        top=ch.name(cities["city"].iloc[0]),
        top_share=ch.fmt(cities["share_of_nation"].iloc[0], "share"),
        province_note=ch.t(
            "ch03.fig_3_3.province_note",
            city=ch.name(leading["city"]),
            province=ch.name(leading["province"]),
            share=ch.fmt(leading["share_of_province"], "share"),
        ),
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
        top_cluster=ch.name(top["cluster"]),
        top_field=ch.name(top["field"]),
        top_value=ch.fmt(top["patent_applications"], "件"),
    )
