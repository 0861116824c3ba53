"""One house style for every chart, and saving figures as PNG and SVG with deterministic bytes.

A chart function takes a tidy table and returns a matplotlib Figure; `save_figure` writes it."""

from __future__ import annotations

import textwrap
import warnings
from pathlib import Path

import matplotlib

matplotlib.use("Agg")  # no display on build machines; notebooks show the saved PNG instead

import matplotlib.pyplot as plt
import pandas as pd
from matplotlib import font_manager
from matplotlib.ticker import FuncFormatter, PercentFormatter

from helpers.report.fonts import FONT_FAMILY, font_path

PALETTE = ["#1f4e79", "#c55a11", "#7f7f7f", "#2e75b6", "#f4b183", "#a9d18e", "#ffd966", "#8064a2"]
HIGHLIGHT = "#c00000"
MUTED = "#bfbfbf"

# "A byte diff should mean the picture changed": no dates, creators or random ids in files.
SAVE_METADATA = {"png": {"Software": None}, "svg": {"Date": None, "Creator": None}}


def setup_style() -> None:
    """Register the packaged Chinese font and apply the house style (idempotent)."""
    path = str(font_path())
    if path not in {f.fname for f in font_manager.fontManager.ttflist}:
        font_manager.fontManager.addfont(path)
    plt.rcParams.update(
        {
            "font.family": "sans-serif",
            "font.sans-serif": [FONT_FAMILY],
            "axes.unicode_minus": True,
            "figure.dpi": 100,
            "savefig.dpi": 150,
            "figure.figsize": (8, 4.5),
            "axes.spines.top": False,
            "axes.spines.right": False,
            "axes.titlesize": 13,
            "axes.titleweight": "normal",
            "axes.titlelocation": "left",
            "axes.labelsize": 10,
            "xtick.labelsize": 9,
            "ytick.labelsize": 9,
            "legend.frameon": False,
            "axes.prop_cycle": matplotlib.cycler(color=PALETTE),
            "svg.hashsalt": "zjtx-report",
            "svg.fonttype": "path",
            "axes.grid": True,
            "axes.grid.axis": "y",
            "grid.color": "#e5e5e5",
            "grid.linewidth": 0.6,
        }
    )


def wrap_label(text: str, width: int = 7) -> str:
    """Break a long category name over lines of `width` characters (CJK has no spaces to break
    at), so neighbouring tick labels do not run into each other."""
    if len(text) <= width or " " in text:
        return textwrap.fill(text, width=max(width * 2, 14)) if " " in text else text
    return "\n".join(text[i : i + width] for i in range(0, len(text), width))


def finish(fig, ax, title: str = ""):
    """Common last step of every chart: optional title, tight layout."""
    if title:
        ax.set_title(title)
    fig.tight_layout()
    return fig


def percent_axis(axis, decimals: int = 0) -> None:
    """Format an axis that holds fractions as percentages."""
    axis.set_major_formatter(PercentFormatter(xmax=1, decimals=decimals))


class MissingGlyphError(ValueError):
    """A chart would show boxes instead of characters."""


def save_figure(fig, name: str, figures_dir: Path) -> dict[str, Path]:
    """Write `name`.png and `name`.svg to figures_dir; returns the paths. Bytes depend only on
    the picture (fixed metadata and SVG id salt). A character the font lacks is an error, not a
    box in the report."""
    figures_dir = Path(figures_dir)
    figures_dir.mkdir(parents=True, exist_ok=True)
    paths = {}
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        for fmt in ("png", "svg"):
            path = figures_dir / f"{name}.{fmt}"
            fig.savefig(path, format=fmt, metadata=SAVE_METADATA[fmt], bbox_inches="tight")
            paths[fmt] = path
    missing = sorted({str(w.message) for w in caught if "missing from font" in str(w.message)})
    if missing:
        raise MissingGlyphError(f"chart {name}: " + "; ".join(missing))
    for other in caught:  # keep every other warning visible
        warnings.warn_explicit(other.message, other.category, other.filename, other.lineno)
    return paths


def bar_chart(
    table: pd.DataFrame,
    category: str,
    value: str,
    *,
    title: str = "",
    value_label: str = "",
    highlight: list[str] | None = None,
    horizontal: bool = True,
    value_format: str = "{:,.0f}",
    percent: bool = False,
    sort: bool = True,
):
    """Single-series bar chart, each bar labelled with its value: largest first, or in the
    table's order with sort=False (years, batches)."""
    setup_style()
    data = table.astype({value: float})
    if sort:
        data = data.sort_values(value, ascending=horizontal)
    elif horizontal:
        data = data.iloc[::-1]  # barh draws bottom-up; keep the table's first row on top
    colors = [HIGHLIGHT if highlight and c in highlight else PALETTE[0] for c in data[category]]
    fig, ax = plt.subplots(figsize=(8, max(3.0, 0.42 * len(data) + 1)) if horizontal else (8, 4.5))
    if horizontal:
        bars = ax.barh(data[category], data[value], color=colors)
        ax.grid(axis="y", visible=False)
        ax.grid(axis="x", visible=True)
        ax.set_xlabel(value_label)
        if percent:
            percent_axis(ax.xaxis)
    else:
        bars = ax.bar(data[category], data[value], color=colors)
        ax.set_ylabel(value_label)
        if percent:
            percent_axis(ax.yaxis)
    labels = [(f"{v:.1%}" if percent else value_format.format(v)) for v in data[value]]
    ax.bar_label(bars, labels=labels, padding=3, fontsize=8)
    ax.margins(x=0.12) if horizontal else ax.margins(y=0.12)
    return finish(fig, ax, title)


def grouped_bar_chart(
    table: pd.DataFrame,
    category: str,
    series: str,
    value: str,
    *,
    title: str = "",
    value_label: str = "",
    percent: bool = False,
    category_order: list[str] | None = None,
    series_order: list[str] | None = None,
    value_format: str = "{:,.0f}",
):
    """Bars of several series side by side per category (e.g. shares of three populations)."""
    setup_style()
    wide = table.pivot(index=category, columns=series, values=value).astype(float)
    if category_order:
        wide = wide.reindex(category_order)
    if series_order:
        wide = wide[series_order]
    fig, ax = plt.subplots(figsize=(9, 4.8))
    n_series = len(wide.columns)
    width = 0.8 / n_series
    positions = range(len(wide))
    for i, name in enumerate(wide.columns):
        offsets = [p - 0.4 + width * (i + 0.5) for p in positions]
        bars = ax.bar(offsets, wide[name], width=width, label=name, color=PALETTE[i % len(PALETTE)])
        labels = [
            "" if pd.isna(v) else (f"{v:.0%}" if percent else value_format.format(v))
            for v in wide[name]
        ]
        ax.bar_label(bars, labels=labels, padding=2, fontsize=7)
    ax.set_xticks(list(positions), [wrap_label(str(c)) for c in wide.index], rotation=0)
    ax.set_ylabel(value_label)
    if percent:
        percent_axis(ax.yaxis)
    ax.legend(ncols=n_series, loc="upper right")
    ax.margins(y=0.15)
    return finish(fig, ax, title)


def stacked_share_bars(
    table: pd.DataFrame,
    group: str,
    part: str,
    value: str,
    *,
    title: str = "",
):
    """Horizontal 100% stacked bars, one per group, segments in the table's row order (low to
    high bins) and labelled in place; groups may have different parts (e.g. two binnings)."""
    setup_style()
    groups = list(dict.fromkeys(table[group]))
    fig, ax = plt.subplots(figsize=(9, 0.9 * len(groups) + 1.2))
    for row, name in enumerate(groups):
        left = 0.0
        for i, segment in enumerate(table[table[group] == name].itertuples(index=False)):
            share_ = float(getattr(segment, value))
            ax.barh(row, share_, left=left, color=PALETTE[i % len(PALETTE)], edgecolor="white")
            if share_ >= 0.08:
                ax.text(
                    left + share_ / 2,
                    row,
                    f"{getattr(segment, part)}\n{share_:.1%}",
                    ha="center",
                    va="center",
                    fontsize=8,
                    color="white",
                )
            left += share_
    ax.set_yticks(range(len(groups)), groups)
    percent_axis(ax.xaxis)
    ax.set_xlim(0, 1)
    ax.invert_yaxis()
    ax.grid(visible=False)
    return finish(fig, ax, title)


def dot_profile_chart(
    table: pd.DataFrame,
    metric: str,
    population: str,
    value: str,
    *,
    population_order: list[str],
    metric_labels: dict[str, str] | None = None,
    multiples: dict[tuple[str, str], str] | None = None,
    axis_label: str = "",
    title: str = "",
):
    """One row per metric, a dot per population placed at its multiple of the first population
    on a log scale (values differ by orders of magnitude), labelled with the actual value, and
    the multiple between neighbouring populations written between the dots.
    `multiples` maps (metric, population) to the label placed left of that population's dot."""
    import numpy as np

    setup_style()
    metrics = list(dict.fromkeys(table[metric]))
    fig, ax = plt.subplots(figsize=(9, 0.9 * len(metrics) + 1.4))
    for row, name in enumerate(metrics):
        part = table[table[metric] == name].set_index(population).reindex(population_order)
        actual = part[value].astype(float)
        values = actual / actual.iloc[0]  # multiples of the first population: rows comparable
        ax.plot(values, [row] * len(values), color=MUTED, linewidth=2, zorder=1)
        for i, (pop, v) in enumerate(values.items()):
            if np.isnan(v):
                continue
            ax.scatter(v, row, s=90, color=PALETTE[i], zorder=2, label=pop if row == 0 else None)
            ax.annotate(
                f"{actual.iloc[i]:,.4g}",
                (v, row),
                textcoords="offset points",
                xytext=(0, 9),
                ha="center",
                fontsize=8,
            )
            label = (multiples or {}).get((name, pop))
            previous = values.iloc[i - 1] if i > 0 else np.nan
            if label and not np.isnan(previous):
                middle = float(np.sqrt(previous * v))  # geometric midpoint on a log axis
                ax.annotate(
                    label,
                    (middle, row),
                    textcoords="offset points",
                    xytext=(0, -14),
                    ha="center",
                    fontsize=8,
                    color=HIGHLIGHT,
                )
    ax.set_xscale("log")
    ax.xaxis.set_major_formatter(FuncFormatter(lambda v, _: f"{v:g}×"))
    ax.set_xlabel(axis_label)
    ax.set_yticks(range(len(metrics)), [(metric_labels or {}).get(m, m) for m in metrics])
    ax.set_ylim(len(metrics) - 0.4, -0.6)
    ax.grid(axis="y", visible=False)
    ax.grid(axis="x", visible=True)
    ax.legend(ncols=len(population_order), loc="upper center", bbox_to_anchor=(0.5, -0.12))
    return finish(fig, ax, title)
