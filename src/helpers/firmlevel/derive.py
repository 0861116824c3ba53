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
  figure (the growth rates over stats.growth_window(cutoff): 2020–2022 for a 2023-07-31 cut-off)
  is missing when a firm's carry-in row covers that year.
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
from helpers.firmlevel.engine import literal

# Clusters defined by cities rather than whole provinces (粤港澳 = nine of Guangdong's cities).
CITY_LEVEL_CLUSTERS = {"粤港澳"}
NEEQ_BOARD = "新三板"
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
    applications through the cut-off year and the year before, boards, listed, a_share. The
    per-firm figures are one SQL query on the DuckDB tables (firm_sql); the reference lookups
    (category, key field, cluster) are vectorised pandas."""
    result = data.con.execute(firm_sql(data)).df()
    firms = result.set_index(pd.Index(result["firm_id"].astype("str"), name="firm_id"))
    out = pd.DataFrame(index=firms.index)
    out["batch_no"] = firms["batch_no"].astype(int)
    for column in ("province", "city", "industry_field"):
        values = firms[column].astype(object)
        out[column] = values.where(values.notna(), None)
    fields = reference.table("industry_fields").set_index("field")
    out["category"] = out["industry_field"].map(fields["category"])
    out["key_field"] = out["industry_field"].map(fields["key_field"]).eq("true")
    out["cluster"] = clusters(out)
    out["employees"] = firms["employees"].astype("Float64")
    # Optional columns (data/firm_schema.yml): an absent one stays missing (<NA>), never a
    # false or a zero; the aggregators that need it are not run (registry `needs`).
    out["primary_market_financing"] = firms["primary_market_financing"].astype("boolean")
    out["overseas_markets"] = firms["overseas_markets"].astype("Int64")
    for column in [*FLOWS, "valid_invention_patents"]:
        out[column] = firms[column].fillna(0).astype(int)
    for column in yearly_columns(data):
        out[column] = firms[column].astype(float)
    empty = frozenset()
    out["boards"] = [
        frozenset(b) if isinstance(b, list | np.ndarray) else empty for b in firms["boards"]
    ]
    out["listed"] = firms["listed"].fillna(False).astype(bool)
    out["a_share"] = firms["a_share"].fillna(False).astype(bool)
    return out


def yearly_columns(data) -> list[str]:
    years = stats.growth_window(data.cutoff)
    columns = [c for year in years for c in (f"applications_{year}", f"pct_{year}")]
    return columns + [f"pct_through_{year}" for year in (data.cutoff_year - 1, data.cutoff_year)]


def firm_sql(data, ordered: bool = True) -> str:
    """The per-firm query: analysed firms (in file order unless not `ordered`) with their patent
    figures and boards.
    A yearly flow is NULL (NaN) for a firm whose carry-in row covers the year, and a flow
    through a year NULL when a carry-in row covers later years (its split is unknown)."""
    figures, patents = [], "SELECT NULL::VARCHAR AS firm_id WHERE false"
    if data.has("patents"):
        sums = [f"sum({c}) AS {c}" for c in FLOWS]
        sums.append("arg_max(valid_invention_patents, year) AS valid_invention_patents")
        for year in stats.growth_window(data.cutoff):
            covered = f"bool_or(includes_earlier_years AND year >= {year})"
            for column, name in (("applications", "applications"), ("pct_applications", "pct")):
                exact = f"coalesce(sum({column}) FILTER (WHERE year = {year} AND NOT includes_earlier_years), 0)"
                sums.append(f"CASE WHEN {covered} THEN NULL ELSE {exact} END AS {name}_{year}")
        for year in (data.cutoff_year - 1, data.cutoff_year):
            later = f"bool_or(includes_earlier_years AND year > {year})"
            within = f"coalesce(sum(pct_applications) FILTER (WHERE year <= {year}), 0)"
            sums.append(f"CASE WHEN {later} THEN NULL ELSE {within} END AS pct_through_{year}")
        # every firm's rows (the join below keeps the analysed ones): no semi-join of every row
        patents = f"SELECT firm_id, {', '.join(sums)} FROM patents GROUP BY firm_id"
        figures = [f"p.{c}" for c in [*FLOWS, "valid_invention_patents"]]
        # a firm without patent rows has zero patents in every year
        figures += [
            f"CASE WHEN p.firm_id IS NULL THEN 0 ELSE p.{c} END AS {c}"
            for c in yearly_columns(data)
        ]
    else:
        figures = [f"0 AS {c}" for c in [*FLOWS, "valid_invention_patents"]]
        figures += [f"0.0 AS {c}" for c in yearly_columns(data)]
    boards = "SELECT NULL::VARCHAR AS firm_id, NULL::VARCHAR[] AS boards, false AS listed, false AS a_share WHERE false"
    if data.has("listings"):
        a_share = ", ".join(f"'{b}'" for b in board_reference().query("a_share == 'true'")["board"])
        boards = (
            "SELECT firm_id, list(DISTINCT board ORDER BY board) AS boards, "
            f"bool_or(board <> '{NEEQ_BOARD}') AS listed, bool_or(board IN ({a_share})) AS a_share "
            "FROM listings GROUP BY firm_id"
        )
    return (
        f"WITH p AS ({patents}), l AS ({boards}) "
        "SELECT f._row, f.firm_id, f.batch_no, f.province, f.city, f.industry_field, f.employees, "
        f"f.primary_market_financing, f.overseas_markets, {', '.join(figures)}, "
        "l.boards, l.listed, l.a_share "
        "FROM firms f LEFT JOIN p ON p.firm_id = f.firm_id LEFT JOIN l ON l.firm_id = f.firm_id "
        "WHERE f.analysed" + (" ORDER BY f._row" if ordered else "")
    )


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


def board_counts(firms: pd.DataFrame) -> dict[str, int]:
    """Firms per board (a dual-listed firm counts on each of its boards)."""
    counts: dict[str, int] = {}
    for boards in firms["boards"]:
        for board in boards:
            counts[board] = counts.get(board, 0) + 1
    return counts


def window_years(columns, prefix: str = "applications") -> list[int]:
    """The growth-window years of analysed_firms' yearly columns (`applications_2020` …: made
    for stats.growth_window of the cut-off), oldest first. `columns`: column names, or a frame
    (which iterates over its columns)."""
    head = f"{prefix}_"
    return sorted(
        int(c[len(head) :]) for c in columns if c[len(head) :].isdigit() and c.startswith(head)
    )


# The per-firm figures group_metrics adds up (the employees only where given).
SUMMED = (*FLOWS, "valid_invention_patents", "overseas_markets", "listed")
GROWTH = ("applications", "pct")


def window_ends(columns) -> dict[str, list[str]]:
    """prefix -> the first and last year's column of the growth window among `columns`."""
    ends = {}
    for prefix in GROWTH:
        years = window_years(columns, prefix)
        ends[prefix] = [f"{prefix}_{y}" for y in (years[0], years[-1])] if len(years) >= 2 else []
    return ends


def group_totals(firms: pd.DataFrame, column: str | None = None) -> pd.DataFrame:
    """What group_metrics divides, one row per group of `column` (in order of first
    appearance; one row for all `firms` when column is None): firms, the sum of
    each SUMMED figure, employees (sum and firms that give it) and each growth-window end (NaN
    when a firm's year is unknown). One groupby, not one selection of firms per group."""
    ends = [c for pair in window_ends(firms.columns).values() for c in pair]
    key = firms[column] if column else pd.Series(0, index=firms.index)
    grouped = firms.groupby(key.to_numpy(), sort=False, dropna=True)
    totals = grouped[list(SUMMED)].sum().astype(float)
    totals["firms"] = grouped.size()
    totals["employees_sum"] = grouped["employees"].sum().astype(float)
    totals["employees_given"] = grouped["employees"].count()
    for end in ends:
        known = grouped[end].count() == totals["firms"]
        totals[end] = grouped[end].sum().where(known, np.nan)
    return totals


def _growth(totals: dict, ends: list[str]) -> float:
    """CAGR of a group's yearly flow from the first to the last year of the growth window; NaN
    when a firm's year is unknown (a carry-in row covers it) or the start is zero."""
    if not totals["firms"] or not ends:
        return np.nan
    first, last = (totals[end] for end in ends)
    if pd.isna(first) or pd.isna(last):
        return np.nan
    years = [int(end.rsplit("_", 1)[1]) for end in ends]
    return stats.cagr(dict(zip(years, (float(first), float(last)), strict=True)), on_zero="nan")


def metrics_from_totals(totals: dict, ends: dict[str, list[str]]) -> dict[str, float]:
    """Per-firm means and ratios of a group from its group_totals row (see the module
    docstring)."""
    n = int(totals["firms"])

    def per_firm(column: str) -> float:
        return float(stats.per_firm(float(totals[column]), n, on_zero="nan"))

    applications = float(totals["applications"])
    inventions = float(totals["invention_applications"])
    return {
        "firms": n,
        "patent_applications_per_firm": per_firm("applications"),
        "valid_invention_patents_per_firm": per_firm("valid_invention_patents"),
        "invention_share": stats.invention_share(inventions, applications, on_zero="nan"),
        "grant_rate": stats.grant_rate(
            float(totals["invention_grants"]), inventions, on_zero="nan"
        ),
        "pct_per_firm": per_firm("pct_applications"),
        "pct_share": stats.pct_share(
            float(totals["pct_applications"]), applications, on_zero="nan"
        ),
        "citations_per_firm": per_firm("citations_received"),
        "licences_per_firm": per_firm("licences_out"),
        "overseas_markets_per_firm": per_firm("overseas_markets"),
        "applications_cagr_2020_2022": _growth(totals, ends["applications"]),
        "pct_cagr_2020_2022": _growth(totals, ends["pct"]),
        "employees_per_firm": float(
            stats.per_firm(
                float(totals["employees_sum"]), int(totals["employees_given"]), on_zero="nan"
            )
        ),
        "listed_firms": int(totals["listed"]),
    }


def group_metrics_by(firms: pd.DataFrame, column: str) -> dict:
    """group_metrics of every group of `column` that has firms: value -> metrics."""
    ends = window_ends(firms.columns)
    totals = group_totals(firms, column)
    return {value: metrics_from_totals(row, ends) for value, row in totals.iterrows()}


def group_metrics(group: pd.DataFrame) -> dict[str, float]:
    """Per-firm means and ratios of a group of analysed firms (see the module docstring)."""
    ends = window_ends(group.columns)
    if not len(group):
        empty = dict.fromkeys([*SUMMED, "employees_sum", "employees_given"], 0.0)
        return metrics_from_totals({**empty, "firms": 0}, ends)
    return metrics_from_totals(group_totals(group).iloc[0], ends)


# --------------------------------------------------------------------------- in DuckDB
# The aggregators read the per-firm figures from a DuckDB table (ANALYSED, made once by
# create_analysed; each query below takes its name as `table`) and pull only group results into
# pandas: the same figures as analysed_firms and group_totals, without a frame of every firm. Every sum is of integers (exact, so the
# same double as pandas' sum whatever the order), cast to DOUBLE where pandas gives a float.

ANALYSED = "analysed"


def _sql_values(rows: list[tuple], names: tuple[str, ...]) -> str:
    """A small lookup table as SQL text: (VALUES …) t(names), NULL for a missing value."""

    def text(value) -> str:
        if value is None or (not isinstance(value, str) and pd.isna(value)):
            return "NULL"
        if isinstance(value, bool | np.bool_):
            return "true" if value else "false"
        return literal(value)

    body = ", ".join("(" + ", ".join(text(v) for v in row) + ")" for row in rows)
    if not rows:
        body = "(" + ", ".join("NULL" for _ in names) + ")"
    return f"(SELECT * FROM (VALUES {body}) t({', '.join(names)}){'' if rows else ' WHERE false'})"


def attribute_lookups(con) -> tuple[str, str]:
    """SQL lookup tables of the analysed firms' attributes from the reference: (province, city)
    -> cluster (clusters) and industry_field -> category, key_field, made by the pandas code of
    analysed_firms on the distinct values only."""
    pairs = con.execute("SELECT DISTINCT province, city FROM firms WHERE analysed").df()
    for column in ("province", "city"):
        values = pairs[column].astype(object)
        pairs[column] = values.where(values.notna(), None)
    pairs["cluster"] = clusters(pairs) if len(pairs) else pd.Series(dtype=object)
    fields = con.execute("SELECT DISTINCT industry_field FROM firms WHERE analysed").df()
    values = fields["industry_field"].astype(object)
    fields["industry_field"] = values.where(values.notna(), None)
    reference_fields = reference.table("industry_fields").set_index("field")
    fields["category"] = fields["industry_field"].map(reference_fields["category"])
    fields["key_field"] = fields["industry_field"].map(reference_fields["key_field"]).eq("true")
    return (
        _sql_values(list(pairs.itertuples(index=False)), ("province", "city", "cluster")),
        _sql_values(
            list(fields.itertuples(index=False)), ("industry_field", "category", "key_field")
        ),
    )


def create_analysed(data) -> str:
    """The DuckDB table ANALYSED: one row per analysed firm with the columns of analysed_firms
    (boards a sorted list, no boards an empty list) and _row, the firm's row in `firms` (the
    table is not sorted: what needs file order sorts by _row)."""
    cluster_of, field_of = attribute_lookups(data.con)
    flows = [*FLOWS, "valid_invention_patents"]
    data.con.execute(
        f"CREATE OR REPLACE TEMP TABLE {ANALYSED} AS SELECT a._row, a.firm_id, a.batch_no, "
        "a.province, a.city, a.industry_field, c.cluster::VARCHAR AS cluster, "
        "k.category::VARCHAR AS category, coalesce(k.key_field::BOOLEAN, false) AS key_field, "
        "a.employees, a.primary_market_financing, a.overseas_markets, "
        + ", ".join(f"coalesce(a.{f}, 0)::BIGINT AS {f}" for f in flows)
        + ", "
        + ", ".join(f"a.{y}::DOUBLE AS {y}" for y in yearly_columns(data))
        + ", coalesce(a.boards, []::VARCHAR[]) AS boards, coalesce(a.listed, false) AS listed, "
        "coalesce(a.a_share, false) AS a_share "
        f"FROM ({firm_sql(data, ordered=False)}) a "
        f"LEFT JOIN {cluster_of} c ON a.province IS NOT DISTINCT FROM c.province::VARCHAR "
        "AND a.city IS NOT DISTINCT FROM c.city::VARCHAR "
        f"LEFT JOIN {field_of} k ON a.industry_field IS NOT DISTINCT FROM k.industry_field::VARCHAR"
    )
    return ANALYSED


def totals_sql(
    yearly: list[str], column: str | None = None, where: str | None = None, table: str = ANALYSED
) -> str:
    """The query of group_totals on ANALYSED: one row per non-missing value of `column` (one
    row, even of no firms, when column is None), over the firms matching `where`. `yearly`:
    the growth-window columns present (their first and last year are summed)."""
    ends = [c for pair in window_ends(yearly).values() for c in pair]
    parts = ["count(*) AS firms"]
    parts += [f"coalesce(sum({c}), 0)::DOUBLE AS {c}" for c in SUMMED if c != "listed"]
    parts.append("count(*) FILTER (WHERE listed)::DOUBLE AS listed")
    parts.append("coalesce(sum(employees), 0)::DOUBLE AS employees_sum")
    parts.append("count(employees) AS employees_given")
    parts += [f"CASE WHEN count({e}) = count(*) THEN sum({e})::DOUBLE END AS {e}" for e in ends]
    conditions = [f"({where})"] if where else []
    if column:
        conditions.append(f"{column} IS NOT NULL")
    head = f"{column} AS _group, " if column else ""
    query = f"SELECT {head}{', '.join(parts)} FROM {table}"
    if conditions:
        query += " WHERE " + " AND ".join(conditions)
    return query + (f" GROUP BY {column}" if column else "")


def _dicts(cursor) -> list[dict]:
    names = [d[0] for d in cursor.description]
    return [dict(zip(names, row, strict=True)) for row in cursor.fetchall()]


def sql_group_metrics(
    con, yearly: list[str], where: str | None = None, table: str = ANALYSED
) -> dict[str, float]:
    """group_metrics of the firms of ANALYSED matching `where` (all when None)."""
    (totals,) = _dicts(con.execute(totals_sql(yearly, where=where, table=table)))
    return metrics_from_totals(totals, window_ends(yearly))


def sql_group_metrics_by(con, yearly: list[str], column: str, table: str = ANALYSED) -> dict:
    """group_metrics_by of ANALYSED: value of `column` -> metrics, groups with firms."""
    ends = window_ends(yearly)
    rows = _dicts(con.execute(totals_sql(yearly, column, table=table)))
    return {row.pop("_group"): metrics_from_totals(row, ends) for row in rows}


def sql_counts(
    con, *columns: str, value: str = "count(*)", where: str | None = None, table: str = ANALYSED
) -> dict:
    """{value(s) of `columns`: `value` over the firms of ANALYSED with those values}, groups
    with a missing value left out (like pandas' groupby and value_counts); a key is the value
    of a single column, else a tuple."""
    conditions = [f"{c} IS NOT NULL" for c in columns] + ([f"({where})"] if where else [])
    keys = ", ".join(columns)
    rows = con.execute(
        f"SELECT {keys}, {value} FROM {table} WHERE {' AND '.join(conditions)} GROUP BY {keys}"
    ).fetchall()
    if len(columns) == 1:
        return {row[0]: row[1] for row in rows}
    return {tuple(row[:-1]): row[-1] for row in rows}


def sql_board_counts(con, *columns: str, table: str = ANALYSED) -> dict:
    """Firms per board of ANALYSED (a dual-listed firm counts on each of its boards), per value
    of `columns` when given: {board: firms} or {(value…, board): firms} (missing values left
    out)."""
    keys = [*columns, "board"]
    conditions = " AND ".join(f"{c} IS NOT NULL" for c in columns) or "true"
    rows = con.execute(
        f"SELECT {', '.join(keys)}, count(*) FROM (SELECT {', '.join([*columns, 'unnest(boards) AS board'])} "
        f"FROM {table} WHERE {conditions}) GROUP BY {', '.join(keys)}"
    ).fetchall()
    if not columns:
        return {row[0]: row[1] for row in rows}
    return {tuple(row[:-1]): row[-1] for row in rows}


def yearly_flow_sums(
    con, flows: list[str], table: str = ANALYSED
) -> dict[int, tuple[list[int], list[int]]]:
    """year -> (sums of `flows` over the patent rows of the analysed firms, over those of the
    A-share-listed ones), for the years that have rows of analysed firms after the latest
    carry-in row of any analysed firm (those years are split as filed). The analysed firms'
    sums are every row's less the other firms' (every firm_id of patents is in firms:
    helpers.firmlevel.integrity), so that no join of every patent row with the analysed firms
    is needed; integer sums, exact."""
    sums = ", ".join(f"coalesce(sum({f}), 0)" for f in flows)
    others = "SELECT firm_id FROM firms WHERE NOT analysed"

    def by_year(condition: str) -> dict[int, list[int]]:
        query = f"SELECT year, count(*), {sums} FROM patents {condition} GROUP BY year"
        return {int(year): [int(v) for v in rest] for year, *rest in con.execute(query).fetchall()}

    every = by_year("")
    other = by_year(f"WHERE firm_id IN ({others})")
    listed = by_year(f"WHERE firm_id IN (SELECT firm_id FROM {table} WHERE a_share)")
    (latest,) = con.execute(
        "SELECT coalesce(max(year), -1) FROM patents p WHERE includes_earlier_years "
        "AND NOT EXISTS (SELECT 1 FROM firms f WHERE f.firm_id = p.firm_id AND NOT f.analysed)"
    ).fetchone()
    result = {}
    for year in sorted(every):
        rows, *totals = (
            a - b for a, b in zip(every[year], other.get(year, [0] * (len(flows) + 1)), strict=True)
        )
        if rows and year > latest:
            result[year] = (list(totals), listed.get(year, [0] * (len(flows) + 1))[1:])
    return result
