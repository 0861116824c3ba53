"""The firm-level step's peers in benchmarks/bench_scale.py, each run in a child process of its own
(CPU = user + system seconds of every thread, peak = ru_maxrss):

* `duckdb_read`: DuckDB's plain `read_csv` of the same files into tables (types sniffed, nothing
  checked) — the floor of parse and validation;
* `polars_aggregate`: a hand-written polars aggregation of the same result — the per-firm patent
  figures (cumulative flows, latest stock, the growth window's yearly flows), boards, and the
  per-batch, per-province, per-city, per-field and per-cluster figures the tables print (firms,
  sums, per-firm means, invention share, grant rate, PCT share, listed firms), each written as a
  CSV. No check of any cell, no provenance, no catalogue.

    .venv/bin/python benchmarks/peers.py duckdb_read build/bench/x10
    .venv/bin/python benchmarks/peers.py polars_aggregate build/bench/x10

polars is a benchmark-only dependency (requirements.txt): the step itself uses DuckDB.
"""

from __future__ import annotations

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


def polars_aggregate(folder: Path) -> dict:
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
    with tempfile.TemporaryDirectory() as out:
        for column in ("batch_no", "province", "city", "industry_field", "cluster"):
            table = analysed.group_by(column, maintain_order=True).agg(metrics)
            table.write_csv(Path(out) / f"by_{column}.csv")
        board_counts = analysed.explode("boards").group_by("boards").agg(pl.len())
        board_counts.write_csv(Path(out) / "boards.csv")
        batches = firms.group_by("batch_no").agg(
            pl.len().alias("announced"),
            (pl.col("review_status") == "confirmed").sum().alias("confirmed"),
            pl.col("analysed").sum().alias("analysed"),
        )
        batches.write_csv(Path(out) / "batches.csv")
    return {"rows": firms.height + patents.height + listings.height}


PEERS = {"duckdb_read": duckdb_read, "polars_aggregate": polars_aggregate}


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
