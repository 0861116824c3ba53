"""Statistics of the 上奇 portrait of the national-level 专精特新 firms (seed 000), which prints
distributions in bins, totals with their parts and averages beside them: the range of means a
binned distribution allows, average deal size, the mix of patent types against the printed total,
and whether a printed figure agrees with the one recomputed from its parts; and the tables chapter
4 (notebooks/04_portrait.ipynb) derives from the sq_* tables: shares of a sum or of a printed
total, the bins below or above an edge, deal sizes by segment and the printed averages and totals
that disagree with their parts. Shares are fractions."""

from __future__ import annotations

import math

import pandas as pd

from helpers.stats.descriptive import share, share_of_sum
from helpers.stats.innovation import multiple, ratio
from helpers.stats.reconcile import stated_decimals, status


def mean_bounds(firms: pd.Series, lower: pd.Series, upper: pd.Series) -> tuple[float, float]:
    """The smallest and largest mean a binned distribution allows: every firm at its bin's lower
    edge (smallest) or upper edge (largest). Unit: that of the edges (万元, 年). An open top bin
    (upper edge missing) holding firms makes the largest mean infinite: the bins then bound the
    mean from below only. Counts must be non-negative with a positive sum; edges aligned with them.

    Example: 4 firms in 50–100万元 and 60 in 100–500万元 → (50·4 + 100·60) / 64 = 96.9万元 and
    (100·4 + 500·60) / 64 = 475万元."""
    firms = pd.Series(firms, dtype=float)
    lower = pd.Series(lower, dtype=float, index=firms.index)
    upper = pd.Series(upper, dtype=float, index=firms.index)
    if (firms < 0).any() or firms.sum() <= 0:
        raise ValueError(
            f"mean_bounds: counts must be non-negative with a positive sum, got {firms.tolist()}"
        )
    if lower.isna().any():
        raise ValueError(f"mean_bounds: every bin needs a lower edge, got {lower.tolist()}")
    closed = upper.notna()
    if (upper[closed] < lower[closed]).any():
        raise ValueError("mean_bounds: a bin's upper edge is below its lower edge")
    total = firms.sum()
    smallest = float((lower * firms).sum() / total)
    if (firms[~closed] > 0).any():
        return smallest, math.inf
    return smallest, float((upper[closed] * firms[closed]).sum() / total)


def position(value: float, low: float, high: float) -> str:
    """Where a value lies against a range: 'below', 'within' (edges included) or 'above'."""
    if low > high:
        raise ValueError(f"position: the range is empty ({low} > {high})")
    if value < low:
        return "below"
    return "above" if value > high else "within"


def average_size(amount, count):
    """Average size per item, e.g. 平均单笔融资额 = financing amount / number of deals. Unit: the
    amount's unit per item (亿元/笔). Scalars or aligned Series; ValueError when a count is zero
    or negative or an amount negative.

    Example: 4046.6亿元 over 2768 deals → 1.4619亿元 per deal."""
    return ratio(amount, count, "amount", "count", "average_size")


def type_mix(
    frame: pd.DataFrame, group: str, part: str, value: str, total: str = "合计"
) -> pd.DataFrame:
    """The parts of each group (rows whose `part` is not `total`) with their share of the parts'
    sum, beside the group's printed total. Columns: group, part, value, share (fraction of the
    parts' sum), parts_sum, stated_total (NaN where no total row is printed). Groups and parts keep
    the table's order.

    Example: 发明 161,400, 实用新型 183,000, 外观 31,700 → parts_sum 376,100; invention share
    161,400 / 376,100 = 42.9%."""
    parts = frame[frame[part] != total]
    totals = frame[frame[part] == total].set_index(group)[value]
    if totals.index.duplicated().any():
        raise ValueError(f"type_mix: several '{total}' rows in one {group}")
    sums = parts.groupby(group, sort=False)[value].transform("sum")
    if (sums <= 0).any():
        raise ValueError(f"type_mix: a {group} whose parts sum to zero")
    return pd.DataFrame(
        {
            group: parts[group].to_numpy(),
            part: parts[part].to_numpy(),
            value: parts[value].to_numpy(),
            "share": (parts[value] / sums).to_numpy(),
            "parts_sum": sums.to_numpy(),
            "stated_total": parts[group].map(totals).astype(float).to_numpy(),
        }
    )


def agrees(stated: float, recomputed: float, decimals: int | None = None) -> bool:
    """Whether a printed figure agrees with the one recomputed from its parts: equal, or within
    half a unit of the printed precision (`decimals`, else the digits of `stated`; -2 = hundreds),
    as in the reconciliation (helpers.stats.reconcile.status)."""
    return status(float(stated), float(recomputed), decimals) != "mismatch"


# The segments of the financing table (sq_financing): all firms, and its two parts.
ALL, LISTED, UNLISTED = "全部", "已上市（A股及新三板）", "未上市"


def key_row(key_figures: pd.DataFrame, indicator: str) -> pd.DataFrame:
    """The row of one printed figure of sq_key_figures (e.g. 企业数), as a one-row table that
    keeps its provenance."""
    rows = key_figures[key_figures["indicator"] == indicator]
    if len(rows) != 1:
        raise ValueError(f"key_row: {len(rows)} rows of indicator {indicator!r}, expected one")
    return rows


def stated_value(rows: pd.DataFrame) -> float:
    """The printed value (value_stated) of a one-row table such as key_row's."""
    return rows["value_stated"].iloc[0]


def with_shares(frame: pd.DataFrame, column: str = "firms") -> pd.DataFrame:
    """The table with `share`: each row's `column` as a fraction of the column's sum.

    Example: 2,846, 1,303 and 702 firms → 2846 / 4851 = 0.5867, 0.2686, 0.1447."""
    return frame.assign(share=share_of_sum(frame[column]))


def with_shares_of(
    frame: pd.DataFrame, total: float, column: str = "firms", name: str = "share"
) -> pd.DataFrame:
    """The table with column `name`: each row's `column` as a fraction of a `total` printed
    elsewhere (a top-three table's firms of all firms, a province's amount of all financing).

    Example: 464 of 4,851 firms → 0.0957."""
    return frame.assign(**{name: share(frame[column], total)})


def share_of_rows(part: pd.DataFrame, whole, column: str = "firms") -> float:
    """The rows of `part` as a share of `whole` (a table, whose `column` is summed, or a
    number): the firms of some bins of all firms, a top three's firms of the total.

    Example: 1,258 + 108 firms of 4,851 → 1366 / 4851 = 0.2816."""
    total = whole[column].sum() if isinstance(whole, pd.DataFrame) else whole
    return share(part[column].sum(), total)


def bin_mean_bounds(
    bins: pd.DataFrame, lower: str, upper: str, scale: float = 1.0
) -> tuple[float, float]:
    """mean_bounds of a binned table (firms per bin, edges in columns `lower` and `upper`),
    each bound times `scale` (1e-4 turns 万元 into 亿元)."""
    floor, ceiling = mean_bounds(bins["firms"], bins[lower], bins[upper])
    return floor * scale, ceiling * scale


def bins_up_to(bins: pd.DataFrame, upper: str, edge: float) -> pd.DataFrame:
    """The bins that end at or below `edge` (closed bins whose `upper` ≤ edge): e.g. the
    registered capital bins below 1亿元 (edge 10,000万元)."""
    return bins[bins[upper].notna() & (bins[upper] <= edge)]


def bins_from(bins: pd.DataFrame, lower: str, edge: float) -> pd.DataFrame:
    """The bins that start at or above `edge` (`lower` ≥ edge): e.g. firms 20 years and older."""
    return bins[bins[lower] >= edge]


def a_share_rows(markets: pd.DataFrame, column: str = "market") -> pd.DataFrame:
    """The rows of the A-share boards (names starting with A股) of a listings table."""
    return markets[markets[column].str.startswith("A股")]


def deal_sizes(financing: pd.DataFrame) -> pd.DataFrame:
    """The financing table indexed by segment (the column kept), with `avg_deal`: amount ÷ deals
    (亿元 per deal), beside the printed `avg_deal_stated`.

    Example: 4046.6亿元 over 2,768 deals → 1.4619亿元 (printed 1.7)."""
    table = financing.set_index("segment", drop=False)
    return table.assign(avg_deal=average_size(table["amount"], table["deals"]))


def segment_parts(financing: pd.DataFrame) -> pd.DataFrame:
    """The two parts of all financing (listed and unlisted firms) of a deal_sizes table."""
    return financing.loc[[LISTED, UNLISTED]]


def listed_vs_unlisted(financing: pd.DataFrame) -> float:
    """The listed firms' average deal size as a multiple of the unlisted firms' (倍).

    Example: 2.1041 / 1.0849 = 1.94."""
    return multiple(financing.loc[LISTED, "avg_deal"], financing.loc[UNLISTED, "avg_deal"])


def deal_size_checks(financing: pd.DataFrame) -> pd.DataFrame:
    """Each segment's printed average deal size against amount ÷ deals, at the precision it
    is printed with: columns segment, stated, recomputed, decimals and agrees.

    Example: printed 1.7 (one decimal) against 1.4619 → decimals 1, agrees False."""
    decimals = [stated_decimals(v) for v in financing["avg_deal_stated"]]
    return pd.DataFrame(
        {
            "segment": financing["segment"],
            "stated": financing["avg_deal_stated"],
            "recomputed": financing["avg_deal"],
            "decimals": decimals,
            "agrees": [
                agrees(s, r, d)
                for s, r, d in zip(
                    financing["avg_deal_stated"], financing["avg_deal"], decimals, strict=True
                )
            ],
        },
        index=financing.index,
    )


def of_type(mix: pd.DataFrame, patent_type: str) -> pd.DataFrame:
    """The rows of one patent type of a type_mix table (one per measure)."""
    return mix[mix["patent_type"] == patent_type]


def type_table(mix: pd.DataFrame, column: str) -> pd.Series:
    """A column of a type_mix table by (measure, patent_type)."""
    return mix.set_index(["measure", "patent_type"])[column]


def total_disagreements(mix: pd.DataFrame, decimals: int = -2) -> pd.DataFrame:
    """One row per measure of a type_mix table whose printed total (stated_total) disagrees with
    the sum of its parts at the printed precision (hundreds): measure, parts_sum, stated_total.

    Example: parts 264,900 against a printed 264,000 → disagrees (900 apart)."""
    totals = mix.drop_duplicates("measure")[["measure", "parts_sum", "stated_total"]]
    printed = totals[totals["stated_total"].notna()]
    wrong = [
        not agrees(s, p, decimals)
        for s, p in zip(printed["stated_total"], printed["parts_sum"], strict=True)
    ]
    return printed[wrong]


def ranking(top_firms: pd.DataFrame, name: str) -> pd.DataFrame:
    """The rows of one ranking (e.g. 授权发明专利数量) of the named top firms."""
    return top_firms[top_firms["ranking"] == name]


def share_disagreements(frame: pd.DataFrame, decimals: int = 4) -> pd.DataFrame:
    """The rows whose printed share (share_stated) disagrees with the recomputed `share` at the
    printed precision (four decimals: 58.67%); rows without a printed share are left out."""
    printed = frame[frame["share_stated"].notna()]
    wrong = [
        not agrees(s, r, decimals)
        for s, r in zip(printed["share_stated"], printed["share"], strict=True)
    ]
    return printed[wrong]
