"""The firm-level step's peers in benchmarks/bench_scale.py, each run in a child process of its own
(CPU = user + system seconds of every thread, peak = ru_maxrss):

* `duckdb_read`: DuckDB's plain `read_csv` of the same files into tables (types sniffed, nothing
  checked) — the floor of parse and validation;
* `polars_aggregate`: a hand-written polars aggregation of the same result — the per-firm patent
  figures (cumulative flows, latest stock, the growth window's yearly flows), boards, and the
  per-batch, per-province, per-city, per-field and per-cluster figures the tables print (firms,
  sums, per-firm means, invention share, grant rate, PCT share, listed firms), each written as a
  CSV. No check of any cell, no provenance, no catalogue.

Two more say where the floor of a step with every check lies, in either engine:

* `duckdb_aggregate`: the polars peer's figures in DuckDB SQL (sniffed `read_csv`, no check): what
  the step's engine needs for the aggregation alone;
* `polars_typed`: firms and patents typed in polars as the step types them, each cell checked
  against data/firm_schema.yml (a whole number in canonical form, a finite number, true/false,
  minimum and maximum), the failing rows counted; no aggregation. The cost of the cell checks
  with polars' reader.

    .venv/bin/python benchmarks/peers.py duckdb_read build/bench/x10
    .venv/bin/python benchmarks/peers.py polars_aggregate build/bench/x10

polars is a benchmark-only dependency (requirements.txt): the step itself uses DuckDB.
"""

from __future__ import annotations

import contextlib
import json
import resource
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
FLOWS = (
    "applications",
    "invention_applications",
    "pct_applications",
    "invention_grants",
    "citations_received",
    "licences_out",
)
WINDOW = (2020, 2022)  # stats.growth_window("2023-07-31")
A_SHARE = ["沪深主板", "创业板", "科创板", "北交所"]
NEEQ = "新三板"


@contextlib.contextmanager
def _folder(out: Path | None):
    """`out`, or a temporary folder removed afterwards."""
    if out is not None:
        yield Path(out)
        return
    with tempfile.TemporaryDirectory() as temporary:
        yield Path(temporary)


def duckdb_read(folder: Path) -> dict:
    import duckdb

    con = duckdb.connect()
    rows = 0
    for name in ("firms", "patents", "listings", "patent_records"):
        path = folder / f"{name}.csv"
        if path.exists():
            con.execute(f"CREATE TABLE {name} AS SELECT * FROM read_csv('{path.as_posix()}')")
            rows += con.execute(f"SELECT count(*) FROM {name}").fetchone()[0]
    return {"rows": rows}


def polars_aggregate(folder: Path, out: Path | None = None) -> dict:
    """The figures as CSV files in `out` (a temporary folder when None)."""
    import polars as pl

    reference = REPO / "data" / "reference"
    firms = pl.read_csv(folder / "firms.csv", infer_schema_length=10000)
    patents = pl.read_csv(folder / "patents.csv", infer_schema_length=10000)
    listings = pl.read_csv(folder / "listings.csv")
    provinces = pl.read_csv(reference / "provinces.csv").select("province", "cluster")
    cities = pl.read_csv(reference / "cities.csv").select(
        "city", pl.col("cluster").alias("city_cluster")
    )
    carry = pl.col("includes_earlier_years")
    yearly = []
    for year in WINDOW:
        covered = (carry & (pl.col("year") >= year)).any()
        for column, name in (("applications", "applications"), ("pct_applications", "pct")):
            exact = pl.col(column).filter((pl.col("year") == year) & ~carry).sum()
            yearly.append(pl.when(covered).then(None).otherwise(exact).alias(f"{name}_{year}"))
    per_firm = patents.group_by("firm_id").agg(
        *[pl.col(c).sum() for c in FLOWS],
        pl.col("valid_invention_patents").sort_by("year").last(),
        *yearly,
    )
    boards = listings.group_by("firm_id").agg(
        pl.col("board").unique().sort().alias("boards"),
        (pl.col("board") != NEEQ).any().alias("listed"),
        pl.col("board").is_in(A_SHARE).any().alias("a_share"),
    )
    analysed = (
        firms.filter(pl.col("analysed"))
        .select("firm_id", "batch_no", "province", "city", "industry_field", "employees")
        .join(per_firm, on="firm_id", how="left")
        .join(boards, on="firm_id", how="left")
        .join(provinces, on="province", how="left")
        .join(cities, on="city", how="left")
        .with_columns(
            pl.col([*FLOWS, "valid_invention_patents"]).fill_null(0),
            pl.col("listed", "a_share").fill_null(False),
            pl.when(pl.col("cluster") == "粤港澳")
            .then(pl.col("city_cluster"))
            .otherwise(pl.col("cluster"))
            .fill_null("")
            .alias("cluster"),
        )
    )
    metrics = [
        pl.len().alias("firms"),
        *[(pl.col(c).sum() / pl.len()).alias(f"{c}_per_firm") for c in FLOWS],
        (pl.col("valid_invention_patents").sum() / pl.len()).alias("valid_per_firm"),
        (pl.col("invention_applications").sum() / pl.col("applications").sum()).alias(
            "invention_share"
        ),
        (pl.col("invention_grants").sum() / pl.col("invention_applications").sum()).alias(
            "grant_rate"
        ),
        (pl.col("pct_applications").sum() / pl.col("applications").sum()).alias("pct_share"),
        pl.col("employees").mean().alias("employees_per_firm"),
        pl.col("listed").sum().alias("listed_firms"),
        pl.col("a_share").sum().alias("a_share_firms"),
        (
            (pl.col(f"applications_{WINDOW[1]}").sum() / pl.col(f"applications_{WINDOW[0]}").sum())
            ** (1 / (WINDOW[1] - WINDOW[0]))
            - 1
        ).alias("applications_cagr"),
    ]
    with _folder(out) as target:
        for column in ("batch_no", "province", "city", "industry_field", "cluster"):
            table = analysed.group_by(column, maintain_order=True).agg(metrics)
            table.write_csv(target / f"by_{column}.csv")
        board_counts = analysed.explode("boards").group_by("boards").agg(pl.len())
        board_counts.write_csv(target / "boards.csv")
        batches = firms.group_by("batch_no").agg(
            pl.len().alias("announced"),
            (pl.col("review_status") == "confirmed").sum().alias("confirmed"),
            pl.col("analysed").sum().alias("analysed"),
        )
        batches.write_csv(target / "batches.csv")
    return {"rows": firms.height + patents.height + listings.height}


def duckdb_aggregate(folder: Path, out: Path | None = None) -> dict:
    """The figures as CSV files in `out` (a temporary folder when None)."""
    import duckdb

    con = duckdb.connect(config={"threads": 2, "memory_limit": "2GB"})
    reference = REPO / "data" / "reference"
    for name in ("firms", "patents", "listings"):
        path = (folder / f"{name}.csv").as_posix()
        con.execute(f"CREATE TABLE {name} AS SELECT * FROM read_csv('{path}')")
    for name, columns in (("provinces", "province, cluster"), ("cities", "city, cluster")):
        path = (reference / f"{name}.csv").as_posix()
        con.execute(
            f"CREATE TABLE {name} AS SELECT {columns} FROM read_csv('{path}', header = true, "
            "delim = ',', strict_mode = false)"
        )
    yearly = [
        f"CASE WHEN bool_or(includes_earlier_years AND year >= {year}) THEN NULL ELSE "
        f"sum({column}) FILTER (WHERE year = {year} AND NOT includes_earlier_years) END "
        f"AS {name}_{year}"
        for year in WINDOW
        for column, name in (("applications", "applications"), ("pct_applications", "pct"))
    ]
    con.execute(
        "CREATE TABLE per_firm AS SELECT firm_id, "
        + ", ".join(f"sum({c}) AS {c}" for c in FLOWS)
        + ", arg_max(valid_invention_patents, year) AS valid_invention_patents, "
        + ", ".join(yearly)
        + " FROM patents GROUP BY firm_id"
    )
    a_share = ", ".join(f"'{b}'" for b in A_SHARE)
    con.execute(
        "CREATE TABLE boards AS SELECT firm_id, list(DISTINCT board ORDER BY board) AS boards, "
        f"bool_or(board <> '{NEEQ}') AS listed, bool_or(board IN ({a_share})) AS a_share "
        "FROM listings GROUP BY firm_id"
    )
    flows = ", ".join(f"coalesce(p.{c}, 0) AS {c}" for c in (*FLOWS, "valid_invention_patents"))
    first, last = WINDOW
    con.execute(
        "CREATE TABLE analysed AS SELECT f.firm_id, f.batch_no, f.province, f.city, "
        f"f.industry_field, f.employees, {flows}, p.applications_{first}, "
        f"p.applications_{last}, coalesce(b.listed, false) AS listed, "
        "coalesce(b.a_share, false) AS a_share, b.boards, coalesce(CASE WHEN pr.cluster = "
        "'粤港澳' THEN c.cluster ELSE pr.cluster END, '') AS cluster FROM firms f "
        "LEFT JOIN per_firm p USING (firm_id) LEFT JOIN boards b USING (firm_id) "
        "LEFT JOIN provinces pr ON pr.province = f.province "
        "LEFT JOIN cities c ON c.city = f.city WHERE f.analysed"
    )
    metrics = ", ".join(
        [
            "count(*) AS firms",
            *[f"sum({c}) / count(*) AS {c}_per_firm" for c in FLOWS],
            "sum(valid_invention_patents) / count(*) AS valid_per_firm",
            "sum(invention_applications) / sum(applications) AS invention_share",
            "sum(invention_grants) / sum(invention_applications) AS grant_rate",
            "sum(pct_applications) / sum(applications) AS pct_share",
            "avg(employees) AS employees_per_firm",
            "count(*) FILTER (WHERE listed) AS listed_firms",
            "count(*) FILTER (WHERE a_share) AS a_share_firms",
            f"power(sum(applications_{last}) / sum(applications_{first}), "
            f"1.0 / {last - first}) - 1 AS applications_cagr",
        ]
    )
    with _folder(out) as target:
        for column in ("batch_no", "province", "city", "industry_field", "cluster"):
            con.execute(
                f"COPY (SELECT {column}, {metrics} FROM analysed GROUP BY {column}) "
                f"TO '{target.as_posix()}/by_{column}.csv'"
            )
        con.execute(
            # an unlisted firm counts under an empty board, as polars' explode gives it
            "COPY (SELECT boards, count(*) AS len FROM (SELECT unnest(coalesce(boards, "
            "[NULL::VARCHAR])) AS boards FROM analysed) GROUP BY boards) "
            f"TO '{target.as_posix()}/boards.csv'"
        )
        con.execute(
            "COPY (SELECT batch_no, count(*) AS announced, count(*) FILTER (WHERE "
            "review_status = 'confirmed') AS confirmed, count(*) FILTER (WHERE analysed) "
            f"AS analysed FROM firms GROUP BY batch_no) TO '{target.as_posix()}/batches.csv'"
        )
    return {"rows": con.execute("SELECT count(*) FROM patents").fetchone()[0]}


def polars_typed(folder: Path) -> dict:
    import polars as pl
    import yaml

    schema = yaml.safe_load((REPO / "data" / "firm_schema.yml").read_text(encoding="utf-8"))
    canonical = r"^-?(0|[1-9][0-9]*)$"
    failing = 0
    for name in ("firms", "patents"):
        path = folder / f"{name}.csv"
        header = pl.read_csv(path, n_rows=0).columns
        rules = schema["tables"][name]["columns"]
        typed, problems = [], []  # each value computed once, under a name of its own
        for column in header:
            rule, text, name = rules.get(column, {}), pl.col(column), f"{column} typed"
            kind = rule.get("type", "str")
            if kind == "int":
                value = text.str.to_integer(strict=False).cast(pl.Int32, strict=False)
                value = pl.when(text.str.contains(canonical)).then(value)
            elif kind == "float":
                number = text.cast(pl.Float64, strict=False)
                value = pl.when(number.is_finite()).then(number)
            elif kind == "bool":
                value = text.replace_strict(
                    {"true": True, "false": False}, default=None, return_dtype=pl.Boolean
                )
            else:
                value = text
            typed.append(value.alias(name))
            value = pl.col(name)
            problems.append(text.is_not_null() & value.is_null())
            if "min" in rule:
                problems.append(value < rule["min"])
            if "max" in rule:
                problems.append(value > rule["max"])
            if isinstance(rule.get("allowed"), list):
                problems.append(~value.is_in(rule["allowed"]))
        frame = pl.scan_csv(path, schema={c: pl.String for c in header})
        plan = frame.with_columns(typed).select(pl.any_horizontal(*problems).fill_null(False).sum())
        failing += plan.collect().item()
    return {"rows": failing}


PEERS = {
    "duckdb_read": duckdb_read,
    "polars_aggregate": polars_aggregate,
    "duckdb_aggregate": duckdb_aggregate,
    "polars_typed": polars_typed,
}


def main() -> None:
    peer, folder = sys.argv[1], Path(sys.argv[2])
    start = time.perf_counter()
    figures = PEERS[peer](folder)
    usage = resource.getrusage(resource.RUSAGE_SELF)
    figures.update(
        wall=time.perf_counter() - start,
        cpu=usage.ru_utime + usage.ru_stime,
        peak_gb=usage.ru_maxrss / 1024**2,
    )
    print(json.dumps(figures))


if __name__ == "__main__":
    main()
