"""Regional tables of chapter 03 and the region profiles, from the firm counts and the
reference tables: provinces ranked with shares and cumulative shares, macro-regions under both
schemes of data/reference/provinces.csv, cities with their share of the nation and of their
province, concentration (CR3, CR5, HHI, Lorenz curve), and the region metrics shown against the
national average (with the small-number rule for growth rates)."""

from __future__ import annotations

import pandas as pd

from helpers.data import reference
from helpers.stats import descriptive

SCHEMES = ("region_nbs", "region_3belt")
# Below this many firms a region's per-firm figures rest on a handful of firms: the profile
# says so, and a growth rate (2020–22 CAGR) is not shown at all.
SMALL_REGION_FIRMS = 30
GROWTH_METRICS = ("applications_cagr_2020_2022",)
# The eight metrics of 001's city pages, in the page's order.
PAGE_METRICS = (
    "patent_applications_per_firm",
    "invention_share",
    "pct_per_firm",
    "applications_cagr_2020_2022",
    "licences_per_firm",
    "grant_rate",
    "citations_per_firm",
    "overseas_markets_per_firm",
)


def provinces_ranked(firms_by_province: pd.DataFrame) -> pd.DataFrame:
    """Provinces largest first (ties in reference order) with rank, share of the nation,
    cumulative share and the reference columns (short name, schemes, cluster, tile position);
    the table's provenance columns are kept, so rows can be cited."""
    ref = reference.table("provinces")
    order = {p: i for i, p in enumerate(ref["province"])}
    columns = ["province", "short_name", *SCHEMES, "cluster", "tile_row", "tile_col"]
    frame = firms_by_province.merge(ref[columns], on="province", how="left", validate="1:1")
    frame["order"] = frame["province"].map(order)
    frame = frame.sort_values(["firms", "order"], ascending=[False, True], kind="stable")
    frame = frame.drop(columns="order").reset_index(drop=True)
    frame["rank"] = descriptive.rank(frame["firms"])
    frame["share"] = descriptive.share_of_sum(frame["firms"])
    frame["cumulative_share"] = descriptive.cumulative_share(frame["firms"])
    frame[["tile_row", "tile_col"]] = frame[["tile_row", "tile_col"]].astype(int)
    return frame


def macro_regions(provinces: pd.DataFrame, scheme: str) -> pd.DataFrame:
    """Firms, provinces and share of the nation per region of `scheme` (region_nbs or
    region_3belt), largest first."""
    if scheme not in SCHEMES:
        raise ValueError(f"macro_regions: scheme must be one of {SCHEMES}, got {scheme!r}")
    grouped = provinces.groupby(scheme, as_index=False).agg(
        firms=("firms", "sum"), provinces=("province", "count")
    )
    grouped = grouped.rename(columns={scheme: "region"})
    grouped["share"] = descriptive.share_of_sum(grouped["firms"])
    return grouped.sort_values("firms", ascending=False, kind="stable").reset_index(drop=True)


def concentration(values: pd.Series) -> dict[str, float]:
    """CR3, CR5 (fractions), HHI on the 0–10,000 scale, and the Gini coefficient."""
    return {
        "cr3": descriptive.concentration_ratio(values, 3),
        "cr5": descriptive.concentration_ratio(values, 5),
        "hhi": descriptive.hhi(values) * 10_000,
        "gini": descriptive.gini(values),
    }


def cities_with_shares(firms_by_city: pd.DataFrame, provinces: pd.DataFrame) -> pd.DataFrame:
    """Cities with their province, share of the nation (the provinces' total) and share of their
    province, in the table's order; `rank` among the cities listed."""
    ref = reference.table("cities")[["city", "province"]]
    frame = firms_by_city.merge(ref, on="city", how="left", validate="1:1")
    province_firms = provinces.set_index("province")["firms"]
    frame["province_firms"] = frame["province"].map(province_firms).astype(int)
    frame["share_of_nation"] = descriptive.share(frame["firms"], province_firms.sum())
    frame["share_of_province"] = descriptive.share(frame["firms"], frame["province_firms"])
    frame["rank"] = descriptive.rank(frame["firms"])
    return frame.reset_index(drop=True)


def metrics_vs_national(metrics: pd.DataFrame, firms: int) -> pd.DataFrame:
    """A region's page metrics (rows of city_metrics / region_metrics: metric, unit, value,
    national_avg) in page order, with ratio = value / national average. A growth rate of a
    region with fewer than SMALL_REGION_FIRMS firms is left out (a CAGR from a handful of
    patents, often zeros, says nothing)."""
    rows = metrics[metrics["metric"].isin(PAGE_METRICS)].copy()
    if firms < SMALL_REGION_FIRMS:
        rows = rows[~rows["metric"].isin(GROWTH_METRICS)]
    rows["order"] = rows["metric"].map({m: i for i, m in enumerate(PAGE_METRICS)})
    rows = rows.sort_values("order").drop(columns="order")
    rows = rows[rows["national_avg"].notna() & (rows["national_avg"] > 0)]
    rows["ratio"] = rows["value"].astype(float) / rows["national_avg"].astype(float)
    return rows.reset_index(drop=True)


def provinces_by_batch(breakdowns: pd.DataFrame | None, provinces: pd.DataFrame):
    """Firms per province and batch (long: province, batch, firms, source_row = the row of
    `breakdowns`), provinces in `provinces` order, batches in batch order (also in
    attrs["batches"]); None when
    the data has no batches by province (published tables). Each province's batches must add
    up to its firms."""
    if breakdowns is None:
        return None
    rows = breakdowns[(breakdowns["level"] == "province") & (breakdowns["dimension"] == "batch")]
    if rows.empty:
        return None
    frame = rows.rename(columns={"region": "province", "category": "batch"})
    frame = frame.assign(source_row=rows.index)[["province", "batch", "firms", "source_row"]]
    totals = frame.groupby("province")["firms"].sum()
    expected = provinces.set_index("province")["firms"]
    differs = [p for p in expected.index if int(totals.get(p, 0)) != int(expected[p])]
    if differs:
        first = differs[0]
        raise ValueError(
            f"region_breakdowns: the batches of {first} add up to {int(totals.get(first, 0))} "
            f"firms, firms_by_province says {int(expected[first])}"
        )
    order = {p: i for i, p in enumerate(provinces["province"])}
    # Batches in the order the province with the most of them lists them (the aggregator
    # writes each region's batches in batch order; a region may lack early batches).
    fullest = frame["province"].value_counts(sort=True).index[0]
    listed = [*frame.loc[frame["province"] == fullest, "batch"], *frame["batch"]]
    batches = {b: i for i, b in enumerate(dict.fromkeys(listed))}
    frame = frame.assign(
        _p=frame["province"].map(order), _b=frame["batch"].map(batches)
    ).sort_values(["_p", "_b"], kind="stable")
    frame = frame.drop(columns=["_p", "_b"]).reset_index(drop=True)
    frame.attrs["batches"] = list(batches)
    return frame


def with_batch_columns(
    table: pd.DataFrame, by_batch: pd.DataFrame | None, column_key=str
) -> pd.DataFrame:
    """`table` (one row per province) with a column of firms per batch after `firms`, when the
    data has batches by province; `column_key` names a batch's column (an ASCII key)."""
    if by_batch is None:
        return table
    wide = by_batch.pivot(index="province", columns="batch", values="firms")
    wide = wide[by_batch.attrs["batches"]].fillna(0).astype(int)
    wide = wide.rename(columns=column_key).reset_index()
    merged = table.merge(wide, on="province", how="left", validate="1:1")
    columns = list(table.columns)
    at = columns.index("firms") + 1
    batch_columns = [c for c in wide.columns if c != "province"]
    return merged[columns[:at] + batch_columns + columns[at:]]


def folded_units(province: str) -> list[str]:
    """The units MIIT's lists show beside `province` that this report counts in it (宁波市 for
    浙江省, 新疆生产建设兵团 for 新疆维吾尔自治区), in reference order."""
    names = [unit["name"] for unit in reference.folds().values() if unit["province"] == province]
    return list(dict.fromkeys(names))


def folds_summary(folds: list[dict]) -> dict[str, list[str] | int] | None:
    """Rows of a table folded into their provinces (catalog attrs["folds"]): how many, the
    names as written and the provinces, each once in order; None when nothing was folded."""
    if not folds:
        return None
    return {
        "rows": len(folds),
        "names": list(dict.fromkeys(f["written"] for f in folds)),
        "provinces": list(dict.fromkeys(f["province"] for f in folds)),
    }
