"""Charts of the national-context chapter (seeds 002–004): the tier pyramid, two shares with
the multiple between them, and a share distribution whose unprinted remainder is shown muted.
House style, saving and the common chart kinds are in helpers.report.charts."""

from __future__ import annotations

import matplotlib.pyplot as plt
import pandas as pd

from helpers.report.charts import MUTED, PALETTE, bar_chart, draw_hedged, finish, setup_style

MIN_LABEL_SIZE = 8  # points: data labels stay readable at A4


def readable_labels(fig, size: float = MIN_LABEL_SIZE):
    """Raise every text drawn inside the axes (data labels, annotations) to at least `size`
    points; returns the figure."""
    for ax in fig.axes:
        for text in ax.texts:
            if text.get_fontsize() < size:
                text.set_fontsize(size)
    return fig


def tier_pyramid(
    table: pd.DataFrame,
    tier: str,
    value: str,
    label: str,
    *,
    hedged: str | None = None,
    title: str = "",
):
    """Centred bars stacked from the base tier (first row) to the top, each as wide as its
    count (so the picture keeps the proportions), named on the left and labelled with `label`
    (e.g. '超20万家 · 塔基') on the right; a tier whose column `hedged` is true (a count the
    source printed with 超 or 近) is drawn pale and hatched (charts.draw_hedged)."""
    setup_style()
    data = table.astype({value: float}).reset_index(drop=True)
    widest = float(data[value].max())
    fig, ax = plt.subplots(figsize=(8, 0.9 * len(data) + 1.0))
    for level, row in data.iterrows():
        width = float(row[value])
        color = PALETTE[int(level) % len(PALETTE)]
        bars = ax.barh(level, width, left=-width / 2, height=0.82, color=color)
        if hedged and row[hedged]:
            draw_hedged(bars[0])
        ax.text(
            -widest / 2 - widest * 0.03, level, str(row[tier]), ha="right", va="center", fontsize=10
        )
        ax.text(
            widest / 2 + widest * 0.03, level, str(row[label]), ha="left", va="center", fontsize=9
        )
    ax.set_xlim(-widest * 1.15, widest * 1.15)
    ax.set_ylim(-0.6, len(data) - 0.4)
    ax.axis("off")
    return readable_labels(finish(fig, ax, title))


def shares_with_multiple(
    table: pd.DataFrame,
    category: str,
    value: str,
    multiple_text: str,
    *,
    value_label: str = "",
    title: str = "",
):
    """Vertical percentage bars in the table's order (a reference group, then the group
    compared with it), and the multiple between the last and the first written above them."""
    fig = bar_chart(
        table,
        category,
        value,
        value_label=value_label,
        percent=True,
        horizontal=False,
        sort=False,
        title=title,
    )
    ax = fig.axes[0]
    top = float(table[value].max())
    ax.annotate(
        multiple_text,
        xy=(len(table) - 1, top * 1.12),
        xytext=(0, top * 1.12),
        ha="center",
        va="center",
        fontsize=10,
        color=PALETTE[1],
        arrowprops={"arrowstyle": "->", "color": PALETTE[1]},
    )
    ax.set_ylim(0, top * 1.3)
    return readable_labels(fig)


def shares_with_remainder(
    table: pd.DataFrame,
    category: str,
    value: str,
    remainder: str,
    *,
    value_label: str = "",
    title: str = "",
):
    """Horizontal percentage bars, largest first, with the row named `remainder` (the parts a
    publication did not print, computed as what is left) drawn last and muted."""
    printed = table[table[category] != remainder].sort_values(value, ascending=False)
    data = pd.concat([printed, table[table[category] == remainder]])
    fig = bar_chart(
        data, category, value, value_label=value_label, percent=True, sort=False, title=title
    )
    ax = fig.axes[0]
    bars = ax.containers[0]
    # barh draws the table bottom-up, so the last row (the remainder) is the first bar.
    bars[0].set_color(MUTED)
    return readable_labels(fig)
