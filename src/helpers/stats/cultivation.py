"""Statistics of chapter 1 (培育现状, 001 图表1.4–1.7): each batch's share of the analysed firms,
the share kept after review, the industry fields ranked with their shares, the 小巨人's industry
mix against the firms listed on the boards, and the listed firms' shares. Shares are fractions."""

from __future__ import annotations

import pandas as pd

from helpers.stats.descriptive import pp_gap, rank, share, share_of_sum


def batch_shares(batches: pd.DataFrame) -> pd.DataFrame:
    """The batches with `analysed_share` (each batch's analysed firms ÷ all analysed firms) and
    `kept_after_review` (reviewed ÷ announced; NaN where a list has no review result).

    Example: analysed 155 and 1,034 of 12,192 → 0.0127 and 0.0848."""
    return batches.assign(
        analysed_share=share(batches["analysed"], batches["analysed"].sum()),
        kept_after_review=share(batches["reviewed"], batches["announced"]),
    )


def first_batch(batches: pd.DataFrame) -> pd.DataFrame:
    """The row of the earliest batch (smallest batch_no), as a one-row table."""
    return batches.loc[[batches["batch_no"].idxmin()]]


def field_shares(fields: pd.DataFrame, reference: pd.DataFrame) -> pd.DataFrame:
    """The industry fields with their category and key-field flag from the reference table, each
    field's share of all firms and its rank (1 = most firms).

    Example: 4,000 and 1,000 firms in two fields → shares 0.8 and 0.2, ranks 1 and 2."""
    table = fields.merge(
        reference[["field", "category", "key_field"]], on="field", how="left", validate="1:1"
    )
    return table.assign(share=share_of_sum(table["firms"]), rank=rank(table["firms"]))


def key_fields_share(fields: pd.DataFrame) -> float:
    """The share of the firms in the key fields (`key_field` true) of a field_shares table."""
    return float(fields.loc[fields["key_field"].astype(bool), "share"].sum())


def category_shares(fields: pd.DataFrame) -> pd.DataFrame:
    """Firms and shares by industry category (the coarser 产业门类) of a field_shares table."""
    categories = fields.groupby("category", as_index=False)["firms"].sum()
    return categories.assign(share=share_of_sum(categories["firms"]))


def shares_by_population(
    industry_shares: pd.DataFrame, categories: pd.DataFrame, recomputed: str = "小巨人"
) -> pd.DataFrame:
    """Category shares of each population side by side (one column per population), the
    `recomputed` population's from the category counts and the others as published (the boards'
    mixes are published only as shares). Rows in the order of the category names."""
    rows = industry_shares.merge(categories[["category", "share"]], on="category", how="left")
    rows["share"] = rows["share"].where(rows["population"] == recomputed, rows["share_stated"])
    wide = rows.pivot(index="category", columns="population", values="share")
    return wide.rename_axis(columns=None)


def share_gaps(wide: pd.DataFrame, population: str, other: str) -> pd.DataFrame:
    """Each category's gap in percentage points between two populations' shares (population −
    other), largest first, as a table of category and gap.

    Example: 0.40 against 0.25 → +15.0 pp."""
    gaps = pp_gap(wide[population], wide[other]).sort_values(ascending=False)
    return gaps.rename("gap").rename_axis("category").reset_index()


def market_shares(markets: pd.DataFrame, analysed_total: float) -> pd.DataFrame:
    """The capital markets with each one's firms as a share of the analysed firms."""
    return markets.assign(share=share(markets["firms"], analysed_total))


def a_share_listed(markets: pd.DataFrame) -> pd.DataFrame:
    """The rows of the A-share boards (market names starting with A股)."""
    return markets[markets["market"].str.startswith("A股")]


def board_shares(boards: pd.DataFrame) -> pd.DataFrame:
    """Each board's 小巨人 as a share of all the firms listed on it.

    Example: 120 of 500 listed firms → 0.24."""
    return boards.assign(share=share(boards["little_giants"], boards["listed_total"]))
