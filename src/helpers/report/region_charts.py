"""Charts of the regional chapter and the region profiles: the tile-grid map of the provinces,
the Lorenz curve, the bubble chart of 图表3.2 and a region's metrics against the national
average. House style, saving and the common chart kinds are in helpers.report.charts."""

from __future__ import annotations

import matplotlib
import matplotlib.pyplot as plt
import pandas as pd
from matplotlib.ticker import FuncFormatter

from helpers.report.charts import (
    HIGHLIGHT,
    MUTED,
    PALETTE,
    batch_colors,
    finish,
    percent_axis,
    setup_style,
    wrap_label,
)
from helpers.report.format import format_value


def tile_map(
    table: pd.DataFrame,
    row: str,
    col: str,
    label: str,
    value: str,
    *,
    value_label: str = "",
    unit: str = "家",
    title: str = "",
):
    """A tile-grid map: one equal square per unit at (row, col) of a grid (row 0 at the top),
    coloured by `value` on one sequential scale, labelled with `label` and the value. No
    boundary geometry: positions come from the table (data/reference/provinces.csv tile_row,
    tile_col)."""
    from matplotlib import colormaps
    from matplotlib.colors import Normalize

    setup_style()
    data = table.astype({row: int, col: int, value: float})
    rows, cols = int(data[row].max()) + 1, int(data[col].max()) + 1
    fig, ax = plt.subplots(figsize=(0.95 * cols + 1.6, 0.85 * rows + 0.6))
    cmap = colormaps["Blues"]
    norm = Normalize(vmin=0, vmax=float(data[value].max()) or 1.0)
    for item in data.itertuples(index=False):
        r, c, v = getattr(item, row), getattr(item, col), getattr(item, value)
        color = cmap(0.12 + 0.88 * norm(v))
        ax.add_patch(plt.Rectangle((c, -r - 1), 0.94, 0.94, color=color, linewidth=0))
        text_color = "white" if norm(v) > 0.5 else "#1a1a1a"
        ax.text(
            c + 0.47,
            -r - 0.4,
            str(getattr(item, label)),
            ha="center",
            va="center",
            fontsize=8,
            color=text_color,
        )
        ax.text(
            c + 0.47,
            -r - 0.72,
            format_value(v, unit),
            ha="center",
            va="center",
            fontsize=7,
            color=text_color,
        )
    ax.set_xlim(-0.1, cols + 0.05)
    ax.set_ylim(-rows - 0.1, 0.05)
    ax.set_aspect("equal")
    ax.axis("off")
    mappable = matplotlib.cm.ScalarMappable(norm=norm, cmap=cmap)
    bar = fig.colorbar(mappable, ax=ax, fraction=0.03, pad=0.02)
    bar.set_label(value_label)
    bar.ax.yaxis.set_major_formatter(FuncFormatter(lambda v, _: format_value(v, unit)))
    return finish(fig, ax, title)


def lorenz_chart(
    curve: pd.DataFrame,
    x: str,
    y: str,
    *,
    x_label: str = "",
    y_label: str = "",
    equality_label: str = "",
    curve_label: str = "",
    title: str = "",
):
    """A Lorenz curve (cumulative share of units against cumulative share of the total) with
    the line of equality; both axes as percentages."""
    setup_style()
    fig, ax = plt.subplots(figsize=(5.5, 5))
    ax.plot([0, 1], [0, 1], color=MUTED, linestyle="--", label=equality_label or None)
    ax.plot(
        curve[x], curve[y], color=PALETTE[0], marker="o", markersize=3, label=curve_label or None
    )
    ax.fill_between(curve[x], curve[y], curve[x], color=PALETTE[3], alpha=0.15)
    ax.set_xlim(0, 1)
    ax.set_ylim(0, 1)
    percent_axis(ax.xaxis)
    percent_axis(ax.yaxis)
    ax.set_xlabel(x_label)
    ax.set_ylabel(y_label)
    ax.grid(axis="both", visible=True)
    if equality_label or curve_label:
        ax.legend(loc="upper left")
    return finish(fig, ax, title)


def bubble_chart(
    table: pd.DataFrame,
    x: str,
    y: str,
    size: str,
    label: str,
    *,
    x_label: str = "",
    y_label: str = "",
    x_reference: float | None = None,
    y_reference: float | None = None,
    labelled: list[str] | None = None,
    title: str = "",
):
    """Bubbles at (x, y) with area proportional to `size`, labelled (all, or only `labelled`),
    with optional reference lines (e.g. the national means) as in 001 图表3.2."""
    setup_style()
    data = table.astype({x: float, y: float, size: float})
    fig, ax = plt.subplots(figsize=(9, 5.5))
    scale = 1500 / max(float(data[size].max()), 1.0)
    ax.scatter(
        data[x], data[y], s=data[size] * scale, color=PALETTE[3], alpha=0.45, edgecolor="white"
    )
    for item in data.itertuples(index=False):
        name = str(getattr(item, label))
        if labelled is None or name in labelled:
            ax.annotate(
                name, (getattr(item, x), getattr(item, y)), ha="center", va="center", fontsize=7
            )
    for value, line in ((x_reference, ax.axvline), (y_reference, ax.axhline)):
        if value is not None:
            line(value, color=HIGHLIGHT, linestyle="--", linewidth=0.8)
    ax.set_xlabel(x_label)
    ax.set_ylabel(y_label)
    ax.grid(axis="both", visible=True)
    return finish(fig, ax, title)


def metric_ratio_chart(
    table: pd.DataFrame,
    metric: str,
    ratio: str,
    *,
    value_labels: list[str] | None = None,
    axis_label: str = "",
    reference_label: str = "",
    title: str = "",
):
    """Several metrics with different units on one chart: each as a horizontal bar of its ratio
    to a reference (the national average = 1), labelled with the values; the reference line at 1."""
    setup_style()
    data = table.astype({ratio: float}).iloc[::-1]
    fig, ax = plt.subplots(figsize=(8.5, 0.5 * len(data) + 1.4))
    colors = [PALETTE[0] if v >= 1 else PALETTE[1] for v in data[ratio]]
    bars = ax.barh([wrap_label(str(m), 12) for m in data[metric]], data[ratio], color=colors)
    labels = (
        list(reversed(value_labels))
        if value_labels
        else [format_value(v, "倍") for v in data[ratio]]
    )
    ax.bar_label(bars, labels=labels, padding=3, fontsize=8)
    ax.axvline(1, color=HIGHLIGHT, linestyle="--", linewidth=1, label=reference_label or None)
    ax.grid(axis="y", visible=False)
    ax.grid(axis="x", visible=True)
    ax.set_xlabel(axis_label)
    ax.xaxis.set_major_formatter(FuncFormatter(lambda v, _: f"{v:g}×"))
    ax.margins(x=0.25)
    if reference_label:
        ax.legend(loc="lower right")
    return finish(fig, ax, title)


def stacked_count_bars(
    table: pd.DataFrame,
    category: str,
    series: str,
    value: str,
    *,
    series_order: list[str],
    value_label: str = "",
    unit: str = "家",
    title: str = "",
    colors: list[str] | None = None,
):
    """Horizontal bars of counts stacked by series (e.g. provinces by batch), largest total on
    top, each bar labelled with its total and the series in a legend (segments are too thin to
    label in place). Series colours: `colors`, or the batch palette (distinct for any number of
    series, each keeping its colour when more are added)."""
    setup_style()
    wide = table.pivot(index=category, columns=series, values=value).fillna(0).astype(float)
    wide = wide.reindex(columns=series_order, fill_value=0.0)
    totals = wide.sum(axis=1)
    order = list(dict.fromkeys(table[category]))  # the table's order: ties stay as ranked
    wide, totals = wide.reindex(order), totals.reindex(order)
    fig, ax = plt.subplots(figsize=(8, max(3.0, 0.42 * len(wide) + 1.4)))
    positions = range(len(wide))
    left = pd.Series(0.0, index=wide.index)
    colors = colors or batch_colors(len(series_order))
    for i, name in enumerate(series_order):
        ax.barh(
            list(positions),
            wide[name],
            left=left,
            color=colors[i],
            edgecolor="white",
            linewidth=0.4,
            label=name,
        )
        left = left + wide[name]
    for position, total in zip(positions, totals, strict=True):
        ax.text(total, position, " " + format_value(total, unit), va="center", fontsize=8)
    ax.set_yticks(list(positions), [str(c) for c in wide.index])
    ax.invert_yaxis()
    ax.grid(axis="y", visible=False)
    ax.grid(axis="x", visible=True)
    ax.set_xlabel(value_label)
    ax.margins(x=0.1)
    ax.legend(ncols=len(series_order), loc="lower right", fontsize=8, frameon=False)
    return finish(fig, ax, title)
