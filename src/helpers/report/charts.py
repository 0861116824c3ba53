"""One house style for every chart, and saving figures as PNG and SVG with deterministic bytes.

A chart function takes a tidy table and returns a matplotlib Figure; `save_figure` writes it."""

from __future__ import annotations

import functools
import itertools
import warnings
from pathlib import Path

import matplotlib

matplotlib.use("Agg")  # no display on build machines; notebooks show the saved PNG instead

import matplotlib.pyplot as plt
import pandas as pd
from matplotlib import font_manager
from matplotlib.ticker import FuncFormatter, PercentFormatter

from helpers.report.fonts import FONT_FAMILY, font_path
from helpers.report.format import format_value

# Where a chart is printed: the PDF shows every figure at the A4 text width (210 mm minus two
# 16 mm margins, report.css), or smaller when it is taller than 160 mm (img max-height: room for
# a chapter's title, notes and section heading above it). Text must stay at least MIN_PRINTED_PT
# there, whatever the figure's size in inches.
PRINT_WIDTH_IN = (210 - 2 * 16) / 25.4
PRINT_MAX_HEIGHT_IN = 160 / 25.4
SAVE_PAD_IN = 0.1  # matplotlib's pad_inches around bbox_inches="tight"
MIN_PRINTED_PT = 8.0
# Data labels of the house charts: 8 pt printed for a figure up to 9.5 in wide (9.5 / 7.0 x 8).
DATA_LABEL_PT = 10.5

PALETTE = ["#1f4e79", "#c55a11", "#7f7f7f", "#2e75b6", "#f4b183", "#a9d18e", "#ffd966", "#8064a2"]
HIGHLIGHT = "#c00000"
MUTED = "#bfbfbf"
# One colour per batch, the same in every chart and edition (batch 3 is green this year and
# next): Tableau's qualitative tab10 and then the lighter tab20 shades (matplotlib's, chosen for
# distinct hues), then evenly turned hues (batch_colors) for as many batches as there are.
BATCH_PALETTE = [
    *(matplotlib.colors.to_hex(c) for c in matplotlib.colormaps["tab10"].colors),
    *(matplotlib.colors.to_hex(c) for c in matplotlib.colormaps["tab20"].colors[1::2]),
]
GOLDEN_TURN = 0.618033988749895  # hue step that never repeats and keeps neighbours apart

# "A byte diff should mean the picture changed": no dates, creators or random ids in files.
SAVE_METADATA = {"png": {"Software": None}, "svg": {"Date": None, "Creator": None}}


def batch_colors(n: int) -> list[str]:
    """Colours of batches 1 … n (hex): BATCH_PALETTE, then hues turned by the golden ratio, so
    that a batch keeps its colour when batches are added and no two batches share one."""
    colors = BATCH_PALETTE[:n]
    for k in range(len(BATCH_PALETTE), n):
        hue = (k - len(BATCH_PALETTE) + 1) * GOLDEN_TURN % 1
        colors.append(matplotlib.colors.to_hex(matplotlib.colors.hsv_to_rgb((hue, 0.75, 0.7))))
    return colors


def tint(color: str, amount: float) -> str:
    """`color` mixed with white: amount 0 = the colour, 1 = white (hex)."""
    rgb = matplotlib.colors.to_rgb(color)
    return matplotlib.colors.to_hex([c + (1 - c) * amount for c in rgb])


def draw_hedged(bar) -> None:
    """A bar whose value the source printed with a hedge word (约30%, 超60%, 近3倍): pale,
    hatched and outlined in its colour, so it never reads as an exact value."""
    color = matplotlib.colors.to_hex(bar.get_facecolor())
    bar.set_facecolor(tint(color, 0.7))
    bar.set_edgecolor(color)
    bar.set_hatch("///")
    bar.set_linewidth(1.0)


# The edition's language for value labels a chart writes itself (11.33万 in Chinese, 113,306 in
# English), set by the Chapter that draws it; a call may still give its own.
_language = "zh"


def setup_style(language: str | None = None) -> None:
    """Register the packaged Chinese font and apply the house style (idempotent); with
    `language`, the language the charts of this kernel label their values in."""
    global _language
    if language:
        _language = language
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
            "font.size": DATA_LABEL_PT,
            "axes.titlesize": 13,
            "axes.titleweight": "normal",
            "axes.titlelocation": "left",
            "axes.labelsize": 11,
            "xtick.labelsize": DATA_LABEL_PT,
            "ytick.labelsize": DATA_LABEL_PT,
            "legend.fontsize": DATA_LABEL_PT,
            "legend.frameon": False,
            "axes.prop_cycle": matplotlib.cycler(color=PALETTE),
            "svg.hashsalt": "zjtx-report",
            "svg.fonttype": "path",
            "axes.grid": True,
            "axes.axisbelow": True,  # grid lines behind the bars, not across them
            "axes.grid.axis": "y",
            "grid.color": "#e5e5e5",
            "grid.linewidth": 0.6,
        }
    )


# Where a Chinese label may break: between the words of this list (one a line: 新一代,
# 信息技术, …), never inside one; a Chinese run no listed word covers may break anywhere.
CHART_WORDS_FILE = "chart_words.zh.txt"


def _is_cjk(character: str) -> bool:
    """A Chinese character (CJK ideographs; punctuation is not one)."""
    return "\u3400" <= character <= "\u9fff" or "\uf900" <= character <= "\ufaff"


@functools.cache
def chart_words() -> frozenset[str]:
    """The Chinese words a label may break between (labels/chart_words.zh.txt)."""
    from helpers.report.labels import LABELS_DIR

    path = LABELS_DIR / CHART_WORDS_FILE
    lines = path.read_text(encoding="utf-8").splitlines() if path.exists() else []
    return frozenset(w.strip() for w in lines if w.strip() and not w.startswith("#"))


def label_words(text: str) -> list[tuple[str, bool]]:
    """`text` as (piece, space before it): the pieces a label may break between. Breaks fall
    at spaces and between two Chinese words (chart_words, longest first; a run no listed word
    covers, character by character); anything else joined without a space stays together: a
    Latin word, punctuation, A股, PCT专利, and whatever stands in brackets: 长三角（上海）."""
    words = chart_words()
    longest = max((len(w) for w in words), default=1)
    pieces: list[list] = []  # [text, space before, is a Chinese word]
    space = False
    depth = 0  # brackets open before the piece: no break inside them
    i = 0
    while i < len(text):
        if text[i].isspace():
            space, i = True, i + 1
            continue
        if _is_cjk(text[i]):
            size = next(
                (n for n in range(min(longest, len(text) - i), 1, -1) if text[i : i + n] in words),
                1,
            )
            piece, cjk = text[i : i + size], True
        else:
            end = i
            while end < len(text) and not text[end].isspace() and not _is_cjk(text[end]):
                end += 1
            piece, cjk = text[i:end], False
        i += len(piece)
        if pieces and (depth > 0 or (not space and not (cjk and pieces[-1][2]))):
            pieces[-1][0] += (" " if space else "") + piece  # no break: glued to the one before
            pieces[-1][2] = cjk
        else:
            pieces.append([piece, space, cjk])
        depth += sum(c in "（(《【[“" for c in piece) - sum(c in "）)》】]”" for c in piece)
        space = False
    return [(piece, before) for piece, before, _ in pieces]


@functools.lru_cache(maxsize=4096)
def text_em(text: str) -> float:
    """How wide `text` is drawn in the report font, in em (a Chinese character is 1)."""
    from matplotlib.font_manager import FontProperties
    from matplotlib.textpath import TextToPath

    size = 100.0
    prop = FontProperties(fname=str(font_path()), size=size)
    return TextToPath().get_text_width_height_descent(text, prop, ismath=False)[0] / size


def wrap_label(text: str, width: float = 7) -> str:
    """Break a category name over the fewest lines at most `width` em wide (1 em: a Chinese
    character), as equal as they can be, only between words (`label_words`: at spaces, and in
    Chinese between the words of chart_words — 节能与 / 新能源汽车 —), so neighbouring tick
    labels never run into each other and no word is cut. A word wider than `width` keeps its
    own line."""
    lines = [line for line in str(text).split("\n")]
    return "\n".join(_wrap_line(line, width) for line in lines)


def _wrap_line(text: str, width: float) -> str:
    if text_em(text) <= width:
        return text
    pieces = label_words(text)
    n = len(pieces)

    def line(i: int, j: int) -> str:  # pieces i .. j-1 on one line
        return "".join((" " if k > i and pieces[k][1] else "") + pieces[k][0] for k in range(i, j))

    limit = max(width, *(text_em(piece) for piece, _ in pieces))
    # best[j] = (lines, widest line, breaks) for pieces 0 .. j-1: fewest lines, then balanced
    best: list[tuple[int, float, tuple[int, ...]] | None] = [(0, 0.0, ())] + [None] * n
    for j in range(1, n + 1):
        for i in range(j):
            if best[i] is None:
                continue
            wide = text_em(line(i, j))
            if wide > limit + 1e-9:
                continue
            lines, widest, breaks = best[i]
            candidate = (lines + 1, max(widest, wide), (*breaks, i))
            if best[j] is None or candidate[:2] < best[j][:2]:
                best[j] = candidate
    _, _, breaks = best[n]
    starts = [*breaks[1:], n] if breaks else [n]
    bounds = list(zip(breaks, starts, strict=True))
    return "\n".join(line(i, j) for i, j in bounds)


def finish(fig, ax, title: str = ""):
    """Common last step of every chart: optional title, tight layout."""
    if title:
        ax.set_title(title)
    fig.tight_layout()
    return fig


def percent_axis(axis, decimals: int = 0) -> None:
    """Format an axis that holds fractions as percentages."""
    axis.set_major_formatter(PercentFormatter(xmax=1, decimals=decimals))


def _texts(fig) -> list:
    """Every visible, non-empty text of the figure (titles, ticks, labels, legends, data labels)."""
    from matplotlib.text import Text

    return [t for t in fig.findobj(Text) if t.get_visible() and t.get_text().strip()]


def printed_scale(fig) -> float:
    """How much the saved figure is scaled when printed (its tight bounding box plus padding
    fitted to the A4 text width, or to the maximum height when taller): 0.78 for a 9-inch-wide
    chart, so its 8 pt labels print at 6.2 pt."""
    bbox = fig.get_tightbbox(fig.canvas.get_renderer())
    width, height = bbox.width + 2 * SAVE_PAD_IN, bbox.height + 2 * SAVE_PAD_IN
    return min(PRINT_WIDTH_IN / width, PRINT_MAX_HEIGHT_IN / height)


def smallest_printed_size(fig) -> float:
    """The smallest font size (pt) of any text of the figure as printed in the PDF."""
    sizes = [t.get_fontsize() for t in _texts(fig)]
    return min(sizes) * printed_scale(fig) if sizes else float("inf")


def readable(fig, minimum: float = MIN_PRINTED_PT):
    """Raise every text that would print below `minimum` points to that size, lay the figure
    out again and repeat (larger text widens the figure, which shrinks it in print); returns
    the figure."""
    for _ in range(5):
        needed = minimum / printed_scale(fig) + 1e-6
        small = [t for t in _texts(fig) if t.get_fontsize() < needed - 1e-3]
        if not small:
            break
        for text in small:
            text.set_fontsize(round(needed + 0.05, 1))
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")  # "not compatible with tight_layout" on odd layouts
            fig.tight_layout()
    thin_ticks(fig)
    return fig


def thin_ticks(fig) -> None:
    """Fewer ticks on a numeric axis whose labels would touch (on a chart printed small, with
    its text raised to print size, 1,000 1,200 1,400 run together): the axis takes the next
    rounder step until its labels keep a gap."""
    from matplotlib.ticker import MaxNLocator

    # the layout only (ticks and texts placed, nothing rasterised): the same boxes, less CPU
    fig.draw_without_rendering()
    renderer = fig.canvas.get_renderer()
    for ax in fig.axes:
        for axis in (ax.xaxis, ax.yaxis):
            if not isinstance(axis.get_major_locator(), MaxNLocator):
                continue  # categories (fixed ticks) wrap instead; log axes have their own
            for _ in range(8):
                labels = [t for t in axis.get_ticklabels() if t.get_visible() and t.get_text()]
                boxes = [
                    t.get_window_extent(renderer).padded(0.3 * t.get_fontsize() * fig.dpi / 72)
                    for t in labels
                ]
                if len(labels) <= 2 or not any(a.overlaps(b) for a, b in itertools.pairwise(boxes)):
                    break
                axis.set_major_locator(MaxNLocator(nbins=len(labels) - 2, steps=[1, 2, 2.5, 5, 10]))
                fig.draw_without_rendering()


def overlapping_texts(fig, texts=None) -> list[tuple[str, str]]:
    """Pairs of texts drawn inside the axes (data labels, annotations) whose boxes overlap."""
    renderer = fig.canvas.get_renderer()
    if texts is None:
        texts = [t for ax in fig.axes for t in ax.texts if t.get_visible() and t.get_text().strip()]
    boxes = [(t.get_text(), t.get_window_extent(renderer)) for t in texts]
    return [
        (a, b)
        for i, (a, box_a) in enumerate(boxes)
        for b, box_b in boxes[i + 1 :]
        if box_a.overlaps(box_b)
    ]


class MissingGlyphError(ValueError):
    """A chart would show boxes instead of characters."""


# The mark across a chart of the synthetic sample (mark_synthetic): its id in the SVG.
SYNTHETIC_MARK_ID = "synthetic-mark"
SYNTHETIC_MARK_COLOR = "#9c5700"


def mark_synthetic(fig, text: str, angle: float = 25.0):
    """Draw `text` (示例数据（合成）) across the middle of the figure, large, tilted and
    translucent: a chart of invented numbers says so even when cut out of its page. It fills at
    most 70% of the drawn area either way, so the saved image keeps its size; returns the
    figure."""
    renderer = fig.canvas.get_renderer()
    drawn = fig.get_tightbbox(renderer).transformed(fig.dpi_scale_trans)  # display pixels
    centre = fig.transFigure.inverted().transform(
        ((drawn.x0 + drawn.x1) / 2, (drawn.y0 + drawn.y1) / 2)
    )
    mark = fig.text(
        *centre,
        text,
        fontsize=100,
        rotation=angle,
        ha="center",
        va="center",
        rotation_mode="anchor",
        color=SYNTHETIC_MARK_COLOR,
        alpha=0.18,
        gid=SYNTHETIC_MARK_ID,
        zorder=10,
    )
    extent = mark.get_window_extent(renderer)
    scale = min(0.7 * drawn.width / extent.width, 0.7 * drawn.height / extent.height)
    mark.set_fontsize(round(100 * scale, 1))
    return fig


def save_figure(fig, name: str, figures_dir: Path, mark: str = "") -> dict[str, Path]:
    """Write `name`.png and `name`.svg to figures_dir; returns the paths. Every text is first
    raised to at least 8 pt as printed at A4 (`readable`); with `mark` (the synthetic sample's
    示例数据（合成）) the text is drawn across the chart (`mark_synthetic`). Bytes depend only on
    the picture (fixed metadata and SVG id salt). A character the font lacks is an error, not a
    box in the report."""
    figures_dir = Path(figures_dir)
    figures_dir.mkdir(parents=True, exist_ok=True)
    paths = {}
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        readable(fig)
        if mark:
            mark_synthetic(fig, mark)
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
    unit: str | None = None,
    language: str | None = None,
    percent: bool = False,
    sort: bool = True,
    labels: str | None = None,
    hedged: str | None = None,
):
    """Single-series bar chart, each bar labelled with its value as a sentence writes it in
    its `unit` (helpers.report.format; `percent` is unit 'share', the default a count), or
    with the texts of column `labels`: largest first, or in the table's order with sort=False
    (years, batches). Bars whose column `hedged` is true (a figure the source printed as 约30%
    or 超60%) are drawn hatched and pale, never as exact values; their labels say the word."""
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
    unit = unit or ("share" if percent else "项")
    language = language or _language
    texts = (
        list(data[labels])
        if labels
        else [format_value(v, unit, language, compact=True) for v in data[value]]
    )
    ax.bar_label(bars, labels=texts, padding=3, fontsize=DATA_LABEL_PT)
    if hedged:
        for bar, hedge in zip(bars, data[hedged], strict=True):
            if hedge:
                draw_hedged(bar)
    if not percent and data[value].abs().max() >= 1000:  # 1,400 on the axis, as on the bars
        (ax.xaxis if horizontal else ax.yaxis).set_major_formatter(
            FuncFormatter(lambda v, _: f"{v:,.0f}")
        )
    ax.margins(x=0.12) if horizontal else ax.margins(y=0.12)
    return finish(fig, ax, title)


def wrap_tick_labels(ax, names: list[str], share: float = 0.88) -> None:
    """Wrap the x tick labels (one per category, evenly spaced) to the room a category has on
    the laid-out axes (`share` of its width), at word boundaries (wrap_label), and lay the
    figure out again."""
    fig = ax.figure
    renderer = fig.canvas.get_renderer()
    width_pt = ax.get_window_extent(renderer).width * 72 / fig.dpi
    size = ax.xaxis.get_ticklabels()[0].get_fontsize() if names else DATA_LABEL_PT
    room = share * width_pt / max(len(names), 1) / size
    ax.set_xticks(ax.get_xticks(), [wrap_label(name, room) for name in names])
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # "not compatible with tight_layout" on odd layouts
        fig.tight_layout()


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
    unit: str | None = None,
    language: str | None = None,
    category_colors: list[str] | None = None,
):
    """Bars of several series side by side per category (e.g. shares of three populations),
    a legend naming every series and each bar labelled with its value. Category names wrap to
    the room a category has; when the value labels are wider than their bars they are turned
    upright, so neighbours never overlap. With `category_colors` (one per category, in order:
    batch_colors for batches) each category has its colour and the series are shades of it,
    the first full and later ones lighter, and each legend entry shows its series' shades of
    every category. A category missing some series has its bars centred on its name."""
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
    texts = []
    # labels as a sentence writes them (helpers.report.format); shares whole, as on the axis
    shown_unit = unit or ("share" if percent else "项")
    language = language or _language
    options = {"decimals": 0} if percent and unit is None else {}
    # Each bar's place in its category: the category's bars side by side, centred on its name
    # (第五批 has no 认定 count: its one bar stands under its name, not left of it).
    present = wide.notna()
    rank = present.cumsum(axis=1) - 1
    count = present.sum(axis=1)
    legend_handles = []
    for i, name in enumerate(wide.columns):
        offsets = [
            p - width * count.iloc[p] / 2 + width * (rank.iloc[p, i] + 0.5) for p in positions
        ]
        shade = 0.55 * i / max(n_series - 1, 1)
        color = (
            [tint(c, shade) for c in category_colors[: len(wide)]]
            if category_colors
            else PALETTE[i % len(PALETTE)]
        )
        bars = ax.bar(offsets, wide[name], width=width, label=name, color=color)
        drawn = [bar for bar, v in zip(bars.patches, wide[name], strict=True) if pd.notna(v)]
        legend_handles.append(tuple(drawn) if category_colors else bars)
        labels = [
            "" if pd.isna(v) else format_value(v, shown_unit, language, compact=True, **options)
            for v in wide[name]
        ]
        texts += ax.bar_label(bars, labels=labels, padding=2, fontsize=DATA_LABEL_PT)
    ax.set_xticks(list(positions), [str(c) for c in wide.index], rotation=0)
    ax.set_ylabel(value_label)
    if percent:
        percent_axis(ax.yaxis)
    elif wide.abs().max().max() >= 1000:
        ax.yaxis.set_major_formatter(FuncFormatter(lambda v, _: f"{v:,.0f}"))
    # With a colour per category, a series is its shade of every category's colour: its legend
    # entry shows them side by side (a grey swatch would match no bar).
    from matplotlib.legend_handler import HandlerTuple

    ax.legend(
        legend_handles,
        list(wide.columns),
        ncols=n_series,
        loc="lower right",
        bbox_to_anchor=(1, 1),
        handler_map={tuple: HandlerTuple(ndivide=None, pad=0)},
        handlelength=2.0 if not category_colors else 0.5 * len(wide),
    )
    ax.margins(y=0.15)
    fig.tight_layout()
    wrap_tick_labels(ax, [str(c) for c in wide.index])
    renderer = fig.canvas.get_renderer()
    bar_width = abs(ax.transData.transform((width, 0))[0] - ax.transData.transform((0, 0))[0])
    if any(t.get_window_extent(renderer).width > bar_width * 1.05 for t in texts):
        for text in texts:
            text.set_rotation(90)
        ax.margins(y=0.3)
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
    high bins); groups may have different parts (e.g. two binnings). Every segment is labelled
    with its part and share: in place when it is wide enough, else to the right of the bar with
    a leader line (so no series goes unnamed)."""
    setup_style()
    groups = list(dict.fromkeys(table[group]))
    fig, ax = plt.subplots(figsize=(8, 1.1 * len(groups) + 1.2))
    for row, name in enumerate(groups):
        left = 0.0
        outside = []
        for i, segment in enumerate(table[table[group] == name].itertuples(index=False)):
            share_ = float(getattr(segment, value))
            ax.barh(row, share_, left=left, color=PALETTE[i % len(PALETTE)], edgecolor="white")
            text = f"{getattr(segment, part)} {format_value(share_, 'share')}"
            if share_ >= 0.12:
                ax.text(
                    left + share_ / 2,
                    row,
                    text.replace(" ", "\n", 1),
                    ha="center",
                    va="center",
                    fontsize=DATA_LABEL_PT,
                    color="white",
                )
            else:
                outside.append((left + share_ / 2, text))
            left += share_
        step = min(0.32, 0.9 / max(len(outside), 1))
        for j, (middle, text) in enumerate(outside):
            ax.annotate(
                text,
                xy=(middle, row),
                xytext=(1.04, row + (j - (len(outside) - 1) / 2) * step),
                textcoords="data",
                ha="left",
                va="center",
                fontsize=DATA_LABEL_PT,
                annotation_clip=False,
                arrowprops={"arrowstyle": "-", "color": "#595959", "linewidth": 0.7},
            )
    ax.set_yticks(range(len(groups)), groups)
    percent_axis(ax.xaxis)
    ax.set_xlim(0, 1)
    ax.invert_yaxis()
    ax.grid(visible=False)
    return finish(fig, ax, title)


def _spread(positions: list[float], widths: list[float], gap: float) -> list[float]:
    """Centres of labels (sorted by position) moved right as little as needed so that
    neighbours keep `gap` between their boxes; the first label stays where it is."""
    placed: list[float] = []
    for i, (position, width) in enumerate(zip(positions, widths, strict=True)):
        if placed:
            position = max(position, placed[-1] + (widths[i - 1] + width) / 2 + gap)
        placed.append(position)
    return placed


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
    value_labels: dict[tuple[str, str], str] | None = None,
    position: str | None = None,
):
    """One row per metric, a dot per population placed at its multiple of the first population
    on a log scale (values differ by orders of magnitude), labelled with the actual value, and
    the multiple between neighbouring populations written between the dots.
    `multiples` maps (metric, population) to the label placed left of that population's dot;
    `value_labels` maps (metric, population) to the value's text (say '36.0%'; default: the
    number with four significant digits); `position` names a column giving the multiple of the
    first population where `value` is missing (a row printed only as multiples): that dot has
    no value label. Labels of dots close together are moved apart, never on top of each other,
    and a dot hidden by an equal one is drawn as a ring around it."""
    import numpy as np

    setup_style()
    metrics = list(dict.fromkeys(table[metric]))
    fig, ax = plt.subplots(figsize=(8, 1.0 * len(metrics) + 1.4))
    ax.set_xscale("log")
    placed_labels = []  # (row, side, log10 x, population index, text, colour)
    low, high = np.inf, -np.inf
    for row, name in enumerate(metrics):
        part = table[table[metric] == name].set_index(population).reindex(population_order)
        actual = part[value].astype(float)
        values = actual / actual.iloc[0]  # multiples of the first population: rows comparable
        if position is not None and position in part:
            values = values.where(values.notna(), part[position].astype(float))
        ax.plot(values, [row] * len(values), color=MUTED, linewidth=2, zorder=1)
        drawn: list[float] = []
        for i, (pop, v) in enumerate(values.items()):
            if np.isnan(v):
                continue
            low, high = min(low, v), max(high, v)
            hidden = any(abs(np.log10(v) - np.log10(d)) < 0.01 for d in drawn)
            ax.scatter(
                v,
                row,
                s=230 if hidden else 110,
                facecolors="none" if hidden else PALETTE[i],
                edgecolors=PALETTE[i],
                linewidths=2.2 if hidden else 0,
                zorder=2,
                label=pop if row == 0 else None,
            )
            drawn.append(v)
            if not np.isnan(actual.iloc[i]):
                text = (value_labels or {}).get((name, pop), format_value(actual.iloc[i], "number"))
                placed_labels.append((row, "above", np.log10(v), i, text, PALETTE[i]))
            label = (multiples or {}).get((name, pop))
            previous = values.iloc[i - 1] if i > 0 else np.nan
            if label and not np.isnan(previous):
                middle = float(np.sqrt(previous * v))  # geometric midpoint on a log axis
                placed_labels.append((row, "below", np.log10(middle), i, label, HIGHLIGHT))
    span = np.log10(high) - np.log10(low) if np.isfinite(high) and high > low else 1.0
    ax.set_xlim(10 ** (np.log10(low) - 0.06 * span), 10 ** (np.log10(high) + 0.06 * span))
    ax.xaxis.set_major_formatter(FuncFormatter(lambda v, _: f"{v:g}×"))
    ax.set_xlabel(axis_label)
    ax.set_yticks(range(len(metrics)), [(metric_labels or {}).get(m, m) for m in metrics])
    ax.set_ylim(len(metrics) - 0.4, -0.6)
    ax.grid(axis="y", visible=False)
    ax.grid(axis="x", visible=True)
    ax.legend(ncols=len(population_order), loc="upper center", bbox_to_anchor=(0.5, -0.16))
    fig.tight_layout()
    # Move labels of one row and side apart in display space (widths known once drawn).
    renderer = fig.canvas.get_renderer()
    to_display = ax.transData.transform
    for key in sorted({(r, side) for r, side, *_ in placed_labels}):
        group = sorted(
            (x, i, text, colour)
            for r, side, x, i, text, colour in placed_labels
            if (r, side) == key
        )
        row, side = key
        texts = [
            ax.annotate(
                text,
                (10**x, row),
                textcoords="offset points",
                xytext=(0, 10 if side == "above" else -12),
                ha="center",
                va="bottom" if side == "above" else "top",
                fontsize=DATA_LABEL_PT,
                color=colour if side == "above" else HIGHLIGHT,
            )
            for x, _, text, colour in group
        ]
        centres = [to_display((10**x, row))[0] for x, *_ in group]
        widths = [t.get_window_extent(renderer).width for t in texts]
        spread = _spread(centres, widths, gap=6.0)
        points = 72.0 / fig.dpi
        for text, centre, moved in zip(texts, centres, spread, strict=True):
            text.xyann = ((moved - centre) * points, text.xyann[1])
    return finish(fig, ax, title)
