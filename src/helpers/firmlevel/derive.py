"""Per-firm figures and group metrics of a firm-level export, the ground every aggregate stands on.

Conventions (documented for analysts in data/README.md, section "Firm-level input"):

* Populations. `announced` counts every row of `firms` (every announced firm, 公示); `reviewed`
  counts review_status == confirmed (复核/认定通过) and is missing for a batch none of whose firms
  has been reviewed yet (all `announced`); every other figure counts the firms with
  analysed == true only (PatSnap 2023: 12192 of 12950). `analysed` is the analyst's record of the
  population the report covers and is not derived from review_status: the publication analyses
  all 4357 announced firms of batch 4 although only 4328 passed review, and all of batch 5,
  which had not been reviewed yet.
* Patents. Every column of `patents` except valid_invention_patents is a flow within the row's
  year; a firm's cumulative figure to the cut-off is the sum over its rows (a row with
  includes_earlier_years = true carries all years up to its `year`). valid_invention_patents is a
  stock at the end of the row's year; the firm's figure is the one of its latest row. A yearly
  figure (the 2020–2022 growth rates) is missing when a firm's carry-in row covers that year.
  Analysed firms without patent rows count with zero patents.
* Means per firm divide by all analysed firms of the group, ratios (invention share, grant rate)
  divide sums: sum(invention applications) / sum(applications). Every ratio, share and growth
  rate comes from helpers.stats; an empty group or a zero base gives NaN (on_zero="nan").
* Listed = at least one listing on a board other than 新三板 (NEEQ quotation is not a listing);
  A-share = a listing on 沪深主板, 创业板, 科创板 or 北交所. A firm listed on two boards counts on
  each board and once among listed firms.
* Clusters. 京津冀 and 长三角 by province (data/reference/provinces.csv); 粤港澳 = the nine
  Guangdong cities of data/reference/cities.csv (the publication's “广东省9市口径”).
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from helpers import stats
from helpers.data import reference

# Clusters defined by cities rather than whole provinces (粤港澳 = nine of Guangdong's cities).
CITY_LEVEL_CLUSTERS = {"粤港澳"}
NEEQ_BOARD = "新三板"
CAGR_YEARS = (2020, 2022)
FLOWS = (
    "applications",
    "invention_applications",
    "pct_applications",
    "invention_grants",
    "citations_received",
    "licences_out",
)


def board_reference() -> pd.DataFrame:
    return reference.table("listing_boards")


def analysed_firms(data) -> pd.DataFrame:
    """One row per analysed firm (index firm_id) of a FirmLevelInput, with its attributes and
    patent figures: cumulative flows, the latest stock, yearly flows for the growth rates, PCT
    applications through the cut-off year and the year before, boards, listed, a_share."""
    firms = data.firms[data.firms["analysed"].astype(bool)].set_index("firm_id")
    out = pd.DataFrame(index=firms.index)
    out["batch_no"] = firms["batch_no"].astype(int)
    for column in ("province", "city", "industry_field"):
        out[column] = firms[column].astype(object).where(firms[column].notna(), None)
    fields = reference.table("industry_fields").set_index("field")
    out["category"] = out["industry_field"].map(fields["category"])
    out["key_field"] = out["industry_field"].map(fields["key_field"]).eq("true")
    out["cluster"] = clusters(out)
    out["employees"] = firms["employees"].astype("Float64")
    out["primary_market_financing"] = firms["primary_market_financing"].astype(bool)
    out["overseas_markets"] = firms["overseas_markets"].astype(int)
    flows = list(FLOWS)
    patents = data.patents
    if patents is not None:
        patents = patents[patents["firm_id"].isin(out.index)]
    if patents is None or patents.empty:
        for column in [*flows, "valid_invention_patents"]:
            out[column] = 0
    else:
        totals = patents.groupby("firm_id")[flows].sum()
        out[flows] = totals.reindex(out.index).fillna(0).astype(int)
        latest = patents.sort_values("year").groupby("firm_id").tail(1).set_index("firm_id")
        stock = latest["valid_invention_patents"].reindex(out.index)
        out["valid_invention_patents"] = stock.fillna(0).astype(int)
    for year in sorted({*CAGR_YEARS, 2021}):
        out[f"applications_{year}"] = yearly(data.patents, out.index, "applications", year)
        out[f"pct_{year}"] = yearly(data.patents, out.index, "pct_applications", year)
    for year in (data.cutoff_year - 1, data.cutoff_year):
        out[f"pct_through_{year}"] = through(data.patents, out.index, "pct_applications", year)
    boards = firm_boards(data.listings, out.index)
    out["boards"] = boards
    a_share = set(board_reference().query("a_share == 'true'")["board"])
    out["listed"] = boards.map(lambda b: any(x != NEEQ_BOARD for x in b))
    out["a_share"] = boards.map(lambda b: bool(b & a_share))
    return out


def clusters(firms: pd.DataFrame) -> pd.Series:
    """The cluster of each firm ('' for none): by province, or by city for 粤港澳."""
    provinces = reference.table("provinces").set_index("province")["cluster"]
    cities = reference.table("cities").set_index("city")["cluster"]
    by_province = firms["province"].map(provinces).fillna("")
    by_city = firms["city"].map(cities)
    city_level = by_province.isin(CITY_LEVEL_CLUSTERS)
    cluster = by_province.where(~city_level, "")
    cluster = cluster.where(by_city.isna(), by_city)
    return cluster.fillna("")


def yearly(patents: pd.DataFrame | None, index: pd.Index, column: str, year: int) -> pd.Series:
    """Flow in `year` per firm; NaN for a firm whose carry-in row covers `year`."""
    if patents is None:
        return pd.Series(0.0, index=index)
    carry_in = patents["includes_earlier_years"].astype(bool)
    exact = patents[(patents["year"] == year) & ~carry_in]
    values = exact.groupby("firm_id")[column].sum().reindex(index).fillna(0).astype(float)
    covered = patents[carry_in & (patents["year"] >= year)]
    values[values.index.isin(covered["firm_id"])] = np.nan
    return values


def through(patents: pd.DataFrame | None, index: pd.Index, column: str, year: int) -> pd.Series:
    """Cumulative flow up to and including `year` per firm; NaN when a carry-in row covers
    years after `year` (its split is unknown)."""
    if patents is None:
        return pd.Series(0.0, index=index)
    within = patents[patents["year"] <= year]
    values = within.groupby("firm_id")[column].sum().reindex(index).fillna(0).astype(float)
    later = patents[patents["includes_earlier_years"].astype(bool) & (patents["year"] > year)]
    values[values.index.isin(later["firm_id"])] = np.nan
    return values


def firm_boards(listings: pd.DataFrame | None, index: pd.Index) -> pd.Series:
    """The set of boards each firm is listed or quoted on (empty without a listings file)."""
    if listings is None:
        return pd.Series([frozenset()] * len(index), index=index, dtype=object)
    grouped = listings.groupby("firm_id")["board"].agg(frozenset)
    return pd.Series([grouped.get(firm, frozenset()) for firm in index], index=index, dtype=object)


def board_counts(firms: pd.DataFrame) -> dict[str, int]:
    """Firms per board (a dual-listed firm counts on each of its boards)."""
    counts: dict[str, int] = {}
    for boards in firms["boards"]:
        for board in boards:
            counts[board] = counts.get(board, 0) + 1
    return counts


def _sum(group: pd.DataFrame, column: str) -> float:
    return float(group[column].sum())


def _growth(group: pd.DataFrame, prefix: str) -> float:
    """CAGR of a group's yearly flow over CAGR_YEARS; NaN when a firm's year is unknown (a
    carry-in row covers it) or the start is zero."""
    n = len(group)
    if not n:
        return np.nan
    ends = {year: group[f"{prefix}_{year}"].sum(min_count=n) for year in CAGR_YEARS}
    if any(pd.isna(value) for value in ends.values()):
        return np.nan
    return stats.cagr({year: float(value) for year, value in ends.items()}, on_zero="nan")


def group_metrics(group: pd.DataFrame) -> dict[str, float]:
    """Per-firm means and ratios of a group of analysed firms (see the module docstring)."""
    n = len(group)
    applications = _sum(group, "applications")
    inventions = _sum(group, "invention_applications")
    employees = group["employees"].dropna()

    def per_firm(column: str) -> float:
        return float(stats.per_firm(_sum(group, column), n, on_zero="nan"))

    return {
        "firms": n,
        "patent_applications_per_firm": per_firm("applications"),
        "valid_invention_patents_per_firm": per_firm("valid_invention_patents"),
        "invention_share": stats.invention_share(inventions, applications, on_zero="nan"),
        "grant_rate": stats.grant_rate(_sum(group, "invention_grants"), inventions, on_zero="nan"),
        "pct_per_firm": per_firm("pct_applications"),
        "pct_share": stats.pct_share(_sum(group, "pct_applications"), applications, on_zero="nan"),
        "citations_per_firm": per_firm("citations_received"),
        "licences_per_firm": per_firm("licences_out"),
        "overseas_markets_per_firm": per_firm("overseas_markets"),
        "applications_cagr_2020_2022": _growth(group, "applications"),
        "pct_cagr_2020_2022": _growth(group, "pct"),
        "employees_per_firm": float(
            stats.per_firm(float(employees.sum()), len(employees), on_zero="nan")
        ),
        "listed_firms": int(group["listed"].sum()),
    }
