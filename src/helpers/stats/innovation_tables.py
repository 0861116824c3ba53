"""Tables of chapter 2 (科创力, 001 图表2.2–2.10) derived from the published (or firm-level)
tables: the typical profile's multiples recomputed, the batch means checked against their
weighted average, the ratios the text quotes (first batch ÷ all, 小巨人 ÷ a listed board), the
shares of the PCT and overseas-market bins, and the year-on-year changes of the PCT bins. The
metric formulas themselves (multiple, cagr, growth, pct_share …) are in helpers.stats.innovation.

Shares are fractions; multiples are plain ratios (2.6 = 2.6×)."""

from __future__ import annotations

from typing import NamedTuple

import pandas as pd

from helpers.stats.changes import year_on_year
from helpers.stats.descriptive import share_of_sum, weighted_mean
from helpers.stats.innovation import cagr, growth, growth_window, multiple, pct_share

LITTLE_GIANTS = "小巨人"
CHAMPIONS = "制造业单项冠军"
ALL = "全部"  # the row of a by-batch table that holds the mean over every batch
# 图表2.2's populations, in the chart's order: each multiple is of the population before it.
POPULATIONS = ("专精特新中小企业", LITTLE_GIANTS, CHAMPIONS)
SCALE_COLUMNS = ("patent_applications_per_firm", "valid_invention_patents_per_firm")
INFLUENCE_COLUMNS = ("citations_per_firm", "licences_per_firm")
# The published figures printed only as text: 小巨人's invention-patent density ÷ each board's.
DENSITY_RATIO_ITEMS = {
    "科创板": "invention_density_ratio_vs_star",
    "北交所": "invention_density_ratio_vs_bse",
}


def by_item(text_figures: pd.DataFrame | None) -> pd.DataFrame | None:
    """A text_figures table indexed by its `item` (None stays None: a folder without it)."""
    return None if text_figures is None else text_figures.set_index("item")


# --------------------------------------------------------------------------- 图表2.2


def profile_values(profile: pd.DataFrame) -> pd.DataFrame:
    """The typical profile as a metric × population table of its values."""
    return profile.pivot(index="metric", columns="population", values="value")


def profile_multiples(profile: pd.DataFrame, stated: pd.DataFrame) -> pd.DataFrame:
    """The published multiples (rows of typical_profile_multiples: metric, numerator,
    denominator, multiple_stated) with `multiple` recomputed from the profile's values
    (numerator's value ÷ denominator's); rows of a metric the profile does not give (printed
    only as multiples) are left out.

    Example: citations 234 (小巨人) and 89 (专精特新中小企业) → 234 / 89 = 2.629."""
    values = profile_values(profile)
    recomputed = [
        multiple(values.loc[metric, numerator], values.loc[metric, denominator])
        if metric in values.index
        else float("nan")
        for metric, numerator, denominator in zip(
            stated["metric"], stated["numerator"], stated["denominator"], strict=True
        )
    ]
    return stated.assign(multiple=recomputed).dropna(subset=["multiple"])


def chained_positions(
    profile: pd.DataFrame, stated: pd.DataFrame, populations=POPULATIONS
) -> pd.DataFrame:
    """For each metric printed only as multiples (not in the profile), every population's
    position relative to the first one: 1 for the first, then the stated multiples chained.
    Columns metric, population, value (NaN: no value is printed) and position.

    Example: multiples 2.1 (小巨人 ÷ 专精特新中小企业) and 9.6 (单项冠军 ÷ 小巨人) → positions
    1, 2.1 and 2.1 × 9.6 = 20.16."""
    only_multiples = stated[~stated["metric"].isin(profile["metric"])]
    rows = []
    for metric, group in only_multiples.groupby("metric", sort=False):
        chain = group.set_index("numerator").reindex(list(populations[1:]))["multiple_stated"]
        positions = [1.0, *chain.cumprod()]
        for population, position in zip(populations, positions, strict=True):
            rows.append(
                {
                    "metric": metric,
                    "population": population,
                    "value": float("nan"),
                    "position": position,
                }
            )
    return pd.DataFrame(rows, columns=["metric", "population", "value", "position"])


def inferred_metrics(*tables: pd.DataFrame) -> set[str]:
    """The metrics with any row marked `inferred` in the tables given."""
    return {
        metric
        for table in tables
        for metric in table.loc[table["inferred"].fillna(False).astype(bool), "metric"]
    }


def widest_multiple(multiples: pd.DataFrame, numerator: str = CHAMPIONS) -> tuple[str, float]:
    """The metric whose recomputed multiple is largest among the rows of `numerator` (单项冠军
    ÷ 小巨人 by default), and that multiple."""
    rows = multiples[multiples["numerator"] == numerator].set_index("metric")["multiple"]
    metric = rows.idxmax()
    return metric, float(rows[metric])


def multiple_of(multiples: pd.DataFrame, metric: str, numerator: str) -> float:
    """The recomputed multiple of one metric for one numerator population."""
    rows = multiples[(multiples["metric"] == metric) & (multiples["numerator"] == numerator)]
    return float(rows["multiple"].iloc[0])


# --------------------------------------------------------------------------- 图表2.3, 2.7


def with_groups(table: pd.DataFrame) -> pd.DataFrame:
    """The table with a `group` column, the bar each row is: its batch for the 小巨人 (and for
    a table of batches only), else its population (科创板, 北交所)."""
    if "population" not in table:
        return table.assign(group=table["batch"])
    return table.assign(
        group=table["batch"].where(table["population"] == LITTLE_GIANTS, table["population"])
    )


def little_giants_by_batch(table: pd.DataFrame) -> pd.DataFrame:
    """The 小巨人 rows of a by-batch table (all of a table without populations), indexed by
    batch, the 全部 row included."""
    if "population" in table:
        table = table[table["population"] == LITTLE_GIANTS]
    return table.set_index("batch")


def batch_means(table: pd.DataFrame, batches: pd.DataFrame, columns) -> pd.DataFrame:
    """For each of `columns` of a by-batch table: the stated mean over every batch (its 全部
    row) and that mean recomputed as the batches' means weighted by their analysed firms
    (`analysed` of cultivation_batches). Columns column, stated, recomputed.

    Example: means 100 and 200 over 1 and 3 firms → (100 × 1 + 200 × 3) / 4 = 175."""
    rows = little_giants_by_batch(table)
    weights = batches.set_index("batch")["analysed"]
    recomputed = []
    for column in columns:
        by_batch = rows.drop(index=ALL)[column]
        recomputed.append(weighted_mean(by_batch, weights.reindex(by_batch.index)))
    stated = [rows.loc[ALL, column] for column in columns]
    return pd.DataFrame({"column": list(columns), "stated": stated, "recomputed": recomputed})


def first_batch_multiple(table: pd.DataFrame, column: str) -> tuple[str, float]:
    """The first batch of a by-batch table (its first 小巨人 row) and its `column` as a multiple
    of the mean over every batch (the 全部 row).

    Example: 373.84 against 234.08 → 1.597."""
    rows = little_giants_by_batch(table)
    first = rows.index[0]
    return first, multiple(rows.loc[first, column], rows.loc[ALL, column])


def board_multiple(scale: pd.DataFrame, board: str, column: str) -> float:
    """The 小巨人's mean over every batch as a multiple of a listed board's (科创板, 北交所).

    Example: 115 applications per firm against 396 → 0.290."""
    mine = little_giants_by_batch(scale).loc[ALL, column]
    theirs = scale.loc[scale["population"] == board, column].iloc[0]
    return multiple(mine, theirs)


class ScaleRatios(NamedTuple):
    """The ratios 图表2.3's text quotes, of patent applications per firm."""

    first: str  # the first batch
    first_vs_all: float  # the first batch's mean ÷ the mean over every batch
    vs_star: float  # the 小巨人's mean over every batch ÷ 科创板's
    vs_bse: float  # … ÷ 北交所's


def scale_ratios(scale: pd.DataFrame, column: str = "patent_applications_per_firm") -> ScaleRatios:
    """The first batch's `column` as a multiple of the mean over every batch, and that mean as
    a multiple of 科创板's and of 北交所's (first_batch_multiple, board_multiple).

    Example: 183, 115, 396 and 115 applications per firm → 1.591, 0.290 and 1.0."""
    first, first_vs_all = first_batch_multiple(scale, column)
    return ScaleRatios(
        first,
        first_vs_all,
        board_multiple(scale, "科创板", column),
        board_multiple(scale, "北交所", column),
    )


# --------------------------------------------------------------------------- 图表2.4, 2.9


def years_of(rows: pd.DataFrame) -> dict[str, int]:
    """The one span (start_year, end_year) of a table's rows as {'start', 'end'}; ValueError
    when the rows span different years."""
    spans = rows[["start_year", "end_year"]].drop_duplicates()
    if len(spans) != 1:
        raise ValueError(f"years_of: the rows span {len(spans)} different periods, not one")
    start, end = spans.iloc[0]
    return {"start": int(start), "end": int(end)}


def window_years(cutoff: str) -> dict[str, int]:
    """The first and last year of the growth window of a cut-off as {'start', 'end'}
    (2023-07-31 → 2020 and 2022; see helpers.stats.innovation.growth_window)."""
    window = growth_window(cutoff)
    return {"start": window[0], "end": window[-1]}


def growth_series(yearly: pd.DataFrame, cutoff: str, column: str = "applications_per_firm"):
    """The 小巨人's yearly `column` over the growth window of the cut-off, indexed by year."""
    years = window_years(cutoff)
    series = yearly[yearly["population"] == LITTLE_GIANTS].set_index("year")[column]
    return series.loc[years["start"] : years["end"]]


def growth_rate(series: pd.Series) -> float:
    """The compound annual growth rate of a year-indexed series (first to last year)."""
    return cagr(series)


# --------------------------------------------------------------------------- 图表2.5, 2.6


def density_ratios(published_text: pd.DataFrame) -> pd.DataFrame:
    """The published ratios of the 小巨人's invention-patent density to each board's (rows of
    text_figures indexed by item), with the `board` and its `ratio`, in the boards' order."""
    rows = published_text.loc[list(DENSITY_RATIO_ITEMS.values())]
    return rows.assign(board=list(DENSITY_RATIO_ITEMS), ratio=rows["value"].to_numpy())


def little_giants_value(table: pd.DataFrame, column: str) -> float:
    """`column` of the 小巨人 row of a by-population table (invention_density, quality)."""
    return table.loc[table["population"] == LITTLE_GIANTS, column].iloc[0]


def profile_value(profile: pd.DataFrame, metric: str, population: str = LITTLE_GIANTS) -> float:
    """One value of the typical profile (a metric of a population)."""
    return profile_values(profile).loc[metric, population]


# --------------------------------------------------------------------------- 图表2.8–2.10


def bin_shares(bins: pd.DataFrame, column: str) -> pd.DataFrame:
    """A table of firms by bin with each bin's `share` of all its firms and the bin's name as
    `bin` (from `column`: pct_bin, market_bin).

    Example: 9,334 of 12,192 firms in 0件 → 0.766."""
    return bins.assign(share=share_of_sum(bins["firms"]), bin=bins[column])


def with_overseas_markets(overseas: pd.DataFrame) -> pd.DataFrame:
    """The bins of overseas_market_reach with at least one overseas market."""
    return overseas[overseas["markets_min"] > 0]


class PctShare(NamedTuple):
    """PCT patents per firm as a share of patent applications per firm (the 小巨人's)."""

    pct_per_firm: float
    applications_per_firm: float
    share: float


def pct_share_of_applications(profile: pd.DataFrame, scale: pd.DataFrame) -> PctShare:
    """The 小巨人's PCT patents per firm (typical profile) ÷ their patent applications per firm
    (the 全部 row of the scale table).

    Example: 1.65 PCT patents against 115 applications per firm → 0.01435."""
    pct = profile_value(profile, "pct_per_firm")
    applications = little_giants_by_batch(scale).loc[ALL, "patent_applications_per_firm"]
    return PctShare(pct, applications, pct_share(pct, applications))


class BinGrowth(NamedTuple):
    """The firms in one bin in two years and the growth between them."""

    bin: str
    rows: pd.DataFrame  # the bin's rows of both years
    start: int
    end: int
    before: float
    after: float
    growth: float

    @property
    def years(self) -> dict[str, int]:
        return {"start": self.start, "end": self.end}


def holding_years(cutoff: str) -> dict[str, int]:
    """The two years 图表2.10 compares for data cut off at `cutoff`, as {'start', 'end'}: the
    cut-off's year and the year before (2023-07-31 → 2022 and 2023)."""
    year = int(str(cutoff)[:4])
    return {"start": year - 1, "end": year}


def last_two_years(by_year: pd.DataFrame) -> pd.DataFrame | None:
    """The rows of a by-year table in its latest year and the year before (None when it has
    fewer than two years)."""
    years = sorted(by_year["year"].unique())[-2:]
    return by_year[by_year["year"].isin(years)] if len(years) == 2 else None


def bin_growth(by_year: pd.DataFrame, bin_: str) -> BinGrowth:
    """The growth of the firms in one bin from the first to the last year of a by-year table
    (year, pct_bin, firms).

    Example: 1,617 firms in 2022 and 2,404 in 2023 → 2404 / 1617 − 1 = +0.487."""
    rows = by_year[by_year["pct_bin"] == bin_]
    firms = rows.set_index("year")["firms"]
    start, end = int(by_year["year"].min()), int(by_year["year"].max())
    before, after = firms.loc[start], firms.loc[end]
    return BinGrowth(bin_, rows, start, end, before, after, growth(before, after))


def has_every_bin(by_year: pd.DataFrame, bins: pd.DataFrame) -> bool:
    """Whether every year of a by-year table has a row for each bin of `bins` (published: only
    some bins survived extraction; firm-level data gives them all)."""
    return bool(by_year.groupby("year")["pct_bin"].nunique().eq(len(bins)).all())


def bins_year_on_year(bins: pd.DataFrame, previous: pd.DataFrame) -> pd.DataFrame:
    """The PCT bins' firms against the previous edition's (helpers.stats.changes.year_on_year:
    pct_bin, firms, previous, change), with `bin` and the current rows' provenance (source_doc,
    source_id) so each change is sourced to its own bin's row; a bin only the previous edition
    has keeps no provenance and no change."""
    changes = year_on_year(bins, previous, "pct_bin", "firms")
    provenance = [c for c in ("source_doc", "source_id") if c in bins]
    joined = changes.merge(bins[["pct_bin", *provenance]], on="pct_bin", how="left")
    return joined.assign(bin=joined["pct_bin"])
