"""Charts of the 上奇 portrait chapter (notebooks/04_portrait.ipynb): bars labelled with a count and
its recomputed share, with the printed average beside them; printed vs recomputed values side by
side; and the mix of patent types per measure. The article has no charts of its own, so none of
these reproduces a published figure. House style and saving: helpers.report.charts."""

from __future__ import annotations

import matplotlib.pyplot as plt
import pandas as pd

from helpers.report.charts import HIGHLIGHT, PALETTE, finish, setup_style, wrap_label
from helpers.report.format import format_value

LABEL_SIZE = 10  # data labels: at least 8 pt once the chart is scaled to an A4 text column


def labelled_bars(
    table: pd.DataFrame,
    category: str,
    value: str,
    label: str,
    *,
    value_label: str = "",
    note: str = "",
    highlight: list[str] | None = None,
    title: str = "",
):
    """Horizontal bars in the table's order (first row on top: bins from low to high), each
    labelled with the text of column `label` (e.g. '1,567 · 32.3%'); `note` (e.g. the printed
    average) is written under the axis, where it cannot cover a bar."""
    setup_style()
    data = table.astype({value: float}).iloc[::-1]
    colors = [HIGHLIGHT if highlight and c in highlight else PALETTE[0] for c in data[category]]
    fig, ax = plt.subplots(figsize=(8, max(2.6, 0.45 * len(data) + 1.1)))
    bars = ax.barh([str(c) for c in data[category]], data[value], color=colors)
    ax.bar_label(bars, labels=list(data[label]), padding=3, fontsize=LABEL_SIZE)
    ax.grid(axis="y", visible=False)
    ax.grid(axis="x", visible=True)
    ax.set_axisbelow(True)
    ax.set_xlabel(value_label)
    ax.margins(x=0.22)
    if note:
        ax.annotate(
            note,
            xy=(0, 0),
            xycoords="axes fraction",
            xytext=(0, -38 if value_label else -24),
            textcoords="offset points",
            ha="left",
            va="top",
            fontsize=LABEL_SIZE,
            color=HIGHLIGHT,
        )
    return finish(fig, ax, title)


def paired_bars(
    table: pd.DataFrame,
    category: str,
    series: str,
    value: str,
    label: str,
    *,
    category_order: list[str],
    series_order: list[str],
    value_label: str = "",
    title: str = "",
):
    """Vertical bars of two or three series side by side per category (e.g. the printed and
    the recomputed average deal size of each segment), each labelled with column `label`, with
    a legend naming every series."""
    setup_style()
    fig, ax = plt.subplots(figsize=(8, 4.2))
    width = 0.8 / len(series_order)
    for i, name in enumerate(series_order):
        part = table[table[series] == name].set_index(category).reindex(category_order)
        offsets = [p - 0.4 + width * (i + 0.5) for p in range(len(category_order))]
        bars = ax.bar(offsets, part[value].astype(float), width=width, label=name, color=PALETTE[i])
        ax.bar_label(bars, labels=list(part[label].fillna("")), padding=2, fontsize=LABEL_SIZE)
    ax.set_xticks(range(len(category_order)), [wrap_label(str(c), 16) for c in category_order])
    ax.set_ylabel(value_label)
    ax.set_axisbelow(True)
    ax.legend(ncols=len(series_order), loc="upper right")
    ax.margins(y=0.2)
    return finish(fig, ax, title)


def mix_bars(
    table: pd.DataFrame,
    group: str,
    part: str,
    share: str,
    *,
    part_order: list[str],
    totals: dict[str, str] | None = None,
    min_label: float = 0.09,
    title: str = "",
):
    """Horizontal 100% bars, one per group in the table's order, split into `part_order`
    segments labelled with their share where wide enough (at least `min_label`); a legend below
    names every part, and `totals` (group → text) is written at the right end of each bar."""
    setup_style()
    groups = list(dict.fromkeys(table[group]))
    fig, ax = plt.subplots(figsize=(8.5, 0.8 * len(groups) + 1.6))
    for row, name in enumerate(groups):
        shares = table[table[group] == name].set_index(part)[share].reindex(part_order)
        left = 0.0
        for i, (segment, value) in enumerate(shares.fillna(0.0).astype(float).items()):
            ax.barh(
                row,
                value,
                left=left,
                color=PALETTE[i % len(PALETTE)],
                edgecolor="white",
                label=segment if row == 0 else None,
            )
            if value >= min_label:
                ax.text(
                    left + value / 2,
                    row,
                    format_value(value, "share"),
                    ha="center",
                    va="center",
                    fontsize=LABEL_SIZE,
                    color="white",
                )
            left += value
        if totals and name in totals:
            ax.text(1.01, row, totals[name], ha="left", va="center", fontsize=LABEL_SIZE)
    ax.set_yticks(range(len(groups)), groups)
    ax.set_xlim(0, 1)
    ax.xaxis.set_major_formatter(plt.FuncFormatter(lambda v, _: f"{v:.0%}"))
    ax.invert_yaxis()
    ax.grid(visible=False)
    ax.legend(ncols=len(part_order), loc="upper center", bbox_to_anchor=(0.5, -0.12))
    return finish(fig, ax, title)
