"""Statistics of chapter 1 (培育现状, 001 图表1.4–1.7): each batch's share of the analysed firms,
the share kept after review, the industry fields ranked with their shares, the 小巨人's industry
mix against the firms listed on the boards, and the listed firms' shares. Shares are fractions."""

from __future__ import annotations

import pandas as pd

from helpers.stats.context import base_from_growth
from helpers.stats.descriptive import pp_gap, rank, share, share_of_sum
from helpers.stats.innovation import multiple


def batch_shares(batches: pd.DataFrame) -> pd.DataFrame:
    """The batches with `analysed_share` (each batch's analysed firms ÷ all analysed firms) and
    `kept_after_review` (reviewed ÷ announced; NaN where a list has no review result, or no
    firm of the batch: batch 7 without batch 6 keeps batch 6's row with no firms).

    Example: analysed 155 and 1,034 of 12,192 → 0.0127 and 0.0848."""
    announced = batches["announced"].astype("Float64")
    return batches.assign(
        analysed_share=share(batches["analysed"], batches["analysed"].sum()),
        kept_after_review=share(batches["reviewed"], announced.where(announced > 0)),
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


# 001's summary and 图表1.3 (text_figures, key_directions, published in every edition) -----------
# Which text_figures item states the size of each group of key_directions (十大 / 四个).
DIRECTION_COUNT_ITEMS = {
    "十大重点产业领域": "key_fields_count",
    "四个瓶颈“基础”环节": "bottleneck_bases_count",
}


def direction_counts(directions: pd.DataFrame, text: pd.DataFrame) -> pd.DataFrame:
    """Each group of key_directions (图表1.3) with the number of its items (`items`), the number
    of 图表1.5 fields its items are counted in (`fields`; 0 where none is) and the count the
    summary states for it (`stated`, from `text`: text_figures indexed by item; NaN where the
    text states none), groups in the table's order.

    Example: ten key fields counted in eight fields of 图表1.5 (three merged into one) and four
    bases → items 10 and 4, fields 8 and 0, stated 10 and 4."""
    grouped = directions.groupby("group", sort=False)
    counts = grouped.size().rename("items").reset_index()
    counts["fields"] = grouped["field"].nunique().to_numpy()
    items = counts["group"].map(DIRECTION_COUNT_ITEMS)
    counts["stated"] = [
        float(text.loc[i, "value"]) if isinstance(i, str) and i in text.index else float("nan")
        for i in items
    ]
    return counts


def stated_counts(text: pd.DataFrame) -> pd.DataFrame:
    """The text_figures rows (indexed by item) stating the sizes of key_directions' groups."""
    return text.loc[[i for i in DIRECTION_COUNT_ITEMS.values() if i in text.index]]


def merged_directions(directions: pd.DataFrame) -> pd.DataFrame:
    """The key fields counted together in one 图表1.5 field (电力装备, 农机装备 and 高档数控机床和
    机器人 in 高端机械装备): one row per such field with its `items` (a list), fields in the
    order of first appearance."""
    fielded = directions.dropna(subset=["field"])
    grouped = fielded.groupby("field", sort=False)["item"].agg(list).reset_index(name="items")
    return grouped[grouped["items"].map(len) > 1].reset_index(drop=True)


def key_fields_firms(fields: pd.DataFrame) -> int:
    """The firms in the key fields (`key_field` true) of a field_shares table."""
    return int(fields.loc[fields["key_field"].astype(bool), "firms"].sum())


def top_fields(fields: pd.DataFrame, n: int = 3) -> pd.DataFrame:
    """The `n` fields with the most firms (rank 1 first; a tie at the n-th place keeps the
    table's order) of a field_shares table."""
    return fields.sort_values("rank", kind="stable").head(n)


def listing_rows(markets: pd.DataFrame) -> pd.DataFrame:
    """The rows of capital_markets that count listed firms (A股…上市, 港交所上市, 新加坡交易所上市:
    every market but primary-market funding)."""
    return markets[markets["market"].str.endswith("上市")]


def listed_upper_bound(listings: pd.DataFrame, analysed_total: float) -> pd.DataFrame:
    """The firms listed on any stock exchange, added over the listing rows of capital_markets
    (see listing_rows), as one row with `firms` and their `share` of the analysed firms. The
    rows count dual listings twice (图表1.6: 包含双重上市、转板等情况), so the sum is an upper
    bound of the listed firms.

    Example: 843 on A-share boards, 12 in Hong Kong, 1 in Singapore of 12,192 → 856, 0.0702."""
    firms = float(listings["firms"].sum())
    return pd.DataFrame({"firms": [firms], "share": [share(firms, analysed_total)]})


def board_totals(boards: pd.DataFrame) -> pd.DataFrame:
    """All the A-share boards together (a_share_boards): listed firms, 小巨人 and the 小巨人's
    share of them, as one row.

    Example: 3,182 + 1,296 + 550 + 210 = 5,238 listed, 843 小巨人 → 0.161."""
    listed = float(boards["listed_total"].sum())
    giants = float(boards["little_giants"].sum())
    return pd.DataFrame(
        {"listed_total": [listed], "little_giants": [giants], "share": [share(giants, listed)]}
    )


def all_little_giants(influence: pd.DataFrame) -> pd.DataFrame:
    """The row of tech_influence_by_batch for all 小巨人 together (batch 全部), one row."""
    return influence[influence["batch"] == "全部"]


def target_multiple(count, target) -> float:
    """How many times a target a count is: 12,950 announced of the 14th Five-Year Plan's target
    of 10,000 → 1.295. Unit: ×. Errors as helpers.stats.innovation.multiple."""
    return float(multiple(count, target))


def output_intensity(output_share, firm_share) -> float:
    """How many times the national average a group's output per firm is, from its share of the
    output and its share of the firms: 百分之五 of the output by 万分之四 of the firms →
    0.05 / 0.0004 = 125. Unit: ×."""
    return float(multiple(output_share, firm_share))


def value_before_growth(value, growth) -> float:
    """The value a stated growth started from: 234.08 citations per firm, up about 30% on the
    year before → 234.08 / 1.3 = 180.06. Unit: the value's."""
    return float(base_from_growth(value, growth))


def target_progress(target: pd.DataFrame, recognised: pd.DataFrame, announced) -> pd.DataFrame:
    """The 14th Five-Year Plan's target (a text_figures row: `value`) against the firms
    announced and the firms the report says were recognised (its row), as one row: `target`,
    `announced_multiple`, `recognised_multiple`.

    Example: target 10,000, 12,950 announced, about 12,000 recognised → 1.295 and 1.2."""
    goal = float(target["value"].iloc[0])
    return pd.DataFrame(
        {
            "target": [goal],
            "announced_multiple": [target_multiple(announced, goal)],
            "recognised_multiple": [target_multiple(recognised["value"].iloc[0], goal)],
        }
    )


def contribution_implied(summary: pd.DataFrame, citations: pd.DataFrame) -> pd.DataFrame:
    """What the summary's contribution figures imply (`summary`: text_figures rows indexed by
    item; `citations`: the 全部 row of tech_influence_by_batch), as one row: `output_intensity`
    (rd_output_share_national ÷ firm_count_share_national, see output_intensity) and
    `citations_previous_year` (citations per firm before the stated growth citations_growth_yoy,
    see value_before_growth).

    Example: 百分之五 by 万分之四, 234.08 citations up 30% → 125 and 180.06."""
    value = summary["value"]
    return pd.DataFrame(
        {
            "output_intensity": [
                output_intensity(
                    value["rd_output_share_national"], value["firm_count_share_national"]
                )
            ],
            "citations_previous_year": [
                value_before_growth(
                    citations["citations_per_firm"].iloc[0], value["citations_growth_yoy"]
                )
            ],
        }
    )
