"""A region profile's sentences and figures (notebooks/profile.ipynb): the overview, the charts
of listings by board, patent applications by field, the eight page metrics against the national
average, the batch and the industry mix, each with its reading sentence filled from the values
helpers.stats.profile computes, in the edition's words; a placeholder where a firm-level folder
lacks the inputs of a part."""

from __future__ import annotations

import pandas as pd

from helpers.report import charts, region_charts, words
from helpers.report.chapter import Chapter

# Re-exported: the profile notebook names its page metrics as chapter 3 names its clusters'.
from helpers.report.chapters.regions import named_metrics as named_metrics
from helpers.report.profile import lacking_inputs, unpublished_parts
from helpers.stats import regions
from helpers.stats.profile import RegionProfile, metric_extremes


def overview(ch: Chapter, profile: RegionProfile, region: str) -> None:
    """The overview sentences: firms, rank among the provinces or cities and share of the nation
    (and of the province, for a city); the units a province's figures fold in; a warning for a
    small region; and which parts the published data has nothing on for it."""
    ch.text(
        "ch03.profile.overview",
        region=region,
        firms=ch.fmt(profile.firms, "家"),
        rank_of=ch.fmt(profile.rank_of, "项"),
        level=ch.t(f"ch03.profile.level.{profile.level}"),
        rank=ch.fmt(profile.rank, "项"),
        share=ch.fmt(profile.share_of_nation, "share"),
    )
    if profile.share_of_province is not None:
        ch.text(
            "ch03.profile.overview_city",
            region=region,
            province=ch.name(profile.province),
            share=ch.fmt(profile.share_of_province, "share"),
        )
    folded_units = regions.folded_units(profile.region)
    if folded_units:
        ch.text("ch03.profile.folds", region=region, units=ch.names(folded_units))
    if profile.small:
        ch.text(
            "ch03.profile.small_warning",
            region=region,
            firms=ch.fmt(profile.firms, "家"),
            threshold=ch.fmt(regions.SMALL_REGION_FIRMS, "家"),
        )
    missing = unpublished_parts(ch, profile)
    if missing:
        parts = [ch.t(f"ch03.profile.parts.{part}") for part in missing]
        ch.text("ch03.profile.missing", region=region, parts=words.join(parts, ch.language))


def placeholder(ch: Chapter, part: str, region: str) -> None:
    """In place of a part's figure, when a firm-level folder lacks its inputs: its title and the
    inputs that would give it. Nothing when no input lacks (the overview names what the
    published data does not give)."""
    needs = lacking_inputs(ch, part)
    if needs:
        ch.missing("figure", part, f"ch03.profile.fig_{part}", needs=needs, region=region)


def boards(ch: Chapter, boards: pd.DataFrame, region: str) -> None:
    """Firms listed or quoted by board, in the table's order."""
    figure = charts.bar_chart(
        boards.assign(board=boards["board"].map(ch.name)),
        "board",
        "firms",
        value_label=ch.t("ch03.profile.fig_boards.axis"),
        sort=False,
    )
    ch.figure(
        figure,
        "boards",
        "ch03.profile.fig_boards",
        ch.source_line(boards),
        region=region,
        reading="",
    )


def fields_reading(ch: Chapter, fields: pd.DataFrame) -> str:
    """The field with the most patent applications (the first row of a field_shares table),
    with its applications and share; '' when the region has none."""
    top = fields.iloc[0]
    if not top["patent_applications"] > 0:
        return ""
    return ch.t(
        "ch03.profile.field_sentence",
        field=ch.name(top["field"]),
        value=ch.fmt(top["patent_applications"], "件"),
        share=ch.fmt(top["share"], "share"),
    )


def fields(ch: Chapter, fields: pd.DataFrame, region: str) -> None:
    """Patent applications by industry field, most first, and the top field's sentence."""
    figure = charts.bar_chart(
        fields.assign(field=fields["field"].map(ch.name)),
        "field",
        "patent_applications",
        value_label=ch.t("ch03.profile.fig_fields.axis"),
    )
    ch.figure(
        figure,
        "fields",
        "ch03.profile.fig_fields",
        ch.source_line(fields),
        region=region,
        reading=fields_reading(ch, fields),
    )


def metrics_reading(ch: Chapter, metrics: pd.DataFrame, small: bool, region: str) -> str:
    """The metric furthest above and the one furthest below the national average (of a
    named_metrics table); a small region's sentence adds that no growth rate is computed."""
    best, worst = metric_extremes(metrics)
    reading = ch.t(
        "ch03.profile.metric_sentence",
        region=region,
        best=best["metric"],
        best_ratio=ch.fmt(best["ratio"], "倍"),
        worst=worst["metric"],
        worst_ratio=ch.fmt(worst["ratio"], "倍"),
        compare=words.compare(worst["value"], worst["national_avg"], ch.language),
    )
    if small:
        reading += " " + ch.t("ch03.profile.missing_growth")
    return reading


def metrics(ch: Chapter, metrics: pd.DataFrame, small: bool, region: str) -> None:
    """The page metrics (a named_metrics table) as ratios to the national average, each bar
    labelled 'value / national average' in its unit, with the sentence."""
    shown = [
        f"{ch.fmt(value, unit)} / {ch.fmt(national, unit)}"
        for value, national, unit in zip(
            metrics["value"], metrics["national_avg"], metrics["unit"], strict=True
        )
    ]
    figure = region_charts.metric_ratio_chart(
        metrics,
        "metric",
        "ratio",
        value_labels=shown,
        axis_label=ch.t("ch03.profile.fig_metrics.axis"),
        reference_label=ch.t("ch03.profile.fig_metrics.reference"),
    )
    ch.figure(
        figure,
        "metrics",
        "ch03.profile.fig_metrics",
        ch.source_line(metrics),
        region=region,
        reading=metrics_reading(ch, metrics, small, region),
    )


def batches(ch: Chapter, batches: pd.DataFrame, region: str) -> None:
    """Firms by batch, in batch order, as upright bars."""
    _mix(ch, batches, "batches", "batch", region, ranked=False)


def industries(ch: Chapter, industries: pd.DataFrame, region: str) -> None:
    """Firms by industry field, most first."""
    _mix(ch, industries, "industries", "field", region, ranked=True)


def _mix(ch: Chapter, frame: pd.DataFrame, part: str, column: str, region: str, ranked: bool):
    """Firms by the categories of `column`: ranked as horizontal bars, else in the table's
    order as upright bars."""
    figure = charts.bar_chart(
        frame.assign(**{column: frame[column].map(ch.name)}),
        column,
        "firms",
        value_label=ch.t(f"ch03.profile.fig_{part}.axis"),
        sort=ranked,
        horizontal=ranked,
    )
    ch.figure(
        figure,
        part,
        f"ch03.profile.fig_{part}",
        ch.source_line(frame),
        region=region,
        reading="",
    )
