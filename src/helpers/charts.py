"""One house style for every chart, and saving figures as PNG and SVG with deterministic bytes.

A chart function takes a tidy table and returns a matplotlib Figure; `save_figure` writes it."""

from __future__ import annotations

from pathlib import Path

import matplotlib

matplotlib.use("Agg")  # no display on build machines; notebooks show the saved PNG instead

import matplotlib.pyplot as plt  # noqa: E402
import pandas as pd  # noqa: E402
from matplotlib import font_manager  # noqa: E402
from matplotlib.ticker import FuncFormatter, PercentFormatter  # noqa: E402

from helpers.fonts import FONT_FAMILY, font_path  # noqa: E402

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


def percent_axis(axis, decimals: int = 0) -> None:
    """Format an axis that holds fractions as percentages."""
    axis.set_major_formatter(PercentFormatter(xmax=1, decimals=decimals))


def thousands_axis(axis) -> None:
    axis.set_major_formatter(FuncFormatter(lambda v, _: f"{v:,.0f}"))


def save_figure(fig, name: str, figures_dir: Path) -> dict[str, Path]:
    """Write `name`.png and `name`.svg to figures_dir; returns the paths. Bytes depend only on
    the picture (fixed metadata and SVG id salt)."""
    figures_dir = Path(figures_dir)
    figures_dir.mkdir(parents=True, exist_ok=True)
    paths = {}
    for fmt in ("png", "svg"):
        path = figures_dir / f"{name}.{fmt}"
        fig.savefig(path, format=fmt, metadata=SAVE_METADATA[fmt], bbox_inches="tight")
        paths[fmt] = path
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
):
    """Single-series bar chart, largest first, each bar labelled with its value."""
    setup_style()
    data = table.astype({value: float}).sort_values(value, ascending=horizontal)
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
    if title:
        ax.set_title(title)
    fig.tight_layout()
    return fig


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
            "" if pd.isna(v) else (f"{v:.0%}" if percent else f"{v:,.0f}") for v in wide[name]
        ]
        ax.bar_label(bars, labels=labels, padding=2, fontsize=7)
    ax.set_xticks(list(positions), wide.index, rotation=0)
    ax.set_ylabel(value_label)
    if percent:
        percent_axis(ax.yaxis)
    ax.legend(ncols=n_series, loc="upper right")
    ax.margins(y=0.15)
    if title:
        ax.set_title(title)
    fig.tight_layout()
    return fig


def stacked_share_bars(
    table: pd.DataFrame,
    group: str,
    part: str,
    value: str,
    *,
    title: str = "",
    part_order: list[str] | None = None,
    group_order: list[str] | None = None,
):
    """Horizontal 100% stacked bars: the composition of each group (shares given as fractions)."""
    setup_style()
    wide = table.pivot(index=group, columns=part, values=value).fillna(0)
    if part_order:
        wide = wide[part_order]
    if group_order:
        wide = wide.reindex(group_order)
    fig, ax = plt.subplots(figsize=(9, 0.7 * len(wide) + 1.6))
    left = pd.Series(0.0, index=wide.index)
    for i, name in enumerate(wide.columns):
        bars = ax.barh(wide.index, wide[name], left=left, label=name, color=PALETTE[i % len(PALETTE)])
        labels = [f"{v:.0%}" if v >= 0.04 else "" for v in wide[name]]
        ax.bar_label(bars, labels=labels, label_type="center", fontsize=8, color="white")
        left += wide[name]
    percent_axis(ax.xaxis)
    ax.set_xlim(0, 1)
    ax.invert_yaxis()
    ax.grid(visible=False)
    ax.legend(ncols=min(len(wide.columns), 6), loc="upper center", bbox_to_anchor=(0.5, -0.12))
    if title:
        ax.set_title(title)
    fig.tight_layout()
    return fig
