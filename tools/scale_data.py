"""Scaled firm-level data for the scale benchmark (benchmarks/bench_scale.py): the sample's
distributions, repeated with new unique ids, written with DuckDB under build/bench/.

    .venv/bin/python -m tools.scale_data                 # 1x, 10x, 100x and 10 M patent rows
    .venv/bin/python -m tools.scale_data --scales 1 10   # only some

* `x<k>/`: k copies of every firm of data/sample (firm_id `K007-SYN-00001`), each with ten
  yearly patent rows: a carry-in row for everything up to 2014, then 2015–2023. The sample's
  2019 carry-in row is spread over 2014–2019 (a sixth to each of 2015–2019, the rest to the
  carry-in row); 2020–2023 are the sample's. Listings are copied with the firms, except A-share
  ones (first copy only: a board cannot have more little giants than listed companies). firms.csv,
  patents.csv, listings.csv, and the same as .parquet under `x<k>/parquet/`.
* `records/`: one row per patent (tools.patent_records on the sample), repeated with new firm
  ids until it has at least `--records` rows (10 M by default), as patent_records.csv and
  .parquet, with the matching firms and listings.

Deterministic: the same command writes the same files. Not part of the build (nothing in src/).
"""

from __future__ import annotations

import argparse
import math
import shutil
import tempfile
from pathlib import Path

import duckdb

from helpers.firmlevel.derive import FLOWS  # the yearly flow columns, defined once
from helpers.paths import BUILD_DIR, SAMPLE_DIR
from tools.patent_records import convert

BENCH_DIR = BUILD_DIR / "bench"
# A-share listings stay with the first copy: more little giants than a board has companies
# (its published listed_total) would be a share above 1, which the tables refuse.
A_SHARE = "'沪深主板', '创业板', '科创板', '北交所'"
EARLY_YEARS = range(2015, 2020)  # the years split off the sample's 2019 carry-in row
SHARE = len(EARLY_YEARS) + 1


def _connect(spill: Path) -> duckdb.DuckDBPyConnection:
    """A DuckDB connection that spills to `spill` above 2 GB (and keeps row order)."""
    return duckdb.connect(
        config={
            "memory_limit": "2GB",
            "temp_directory": str(spill),
            "preserve_insertion_order": True,
        }
    )


def _copies(k: int) -> str:
    return f"(SELECT range AS k FROM range({k}))"


def _new_id(column: str = "firm_id", copy: str = "k") -> str:
    return f"printf('K%03d-%s', {copy}, {column})"


def _write(con, query: str, folder: Path, name: str) -> None:
    con.execute(f"CREATE OR REPLACE TEMP TABLE out AS {query}")
    con.execute(f"COPY out TO '{folder / name}.csv' (HEADER, DELIMITER ',')")
    (folder / "parquet").mkdir(exist_ok=True)
    con.execute(f"COPY out TO '{folder / 'parquet' / name}.parquet' (FORMAT parquet)")


def _source(name: str, folder: Path = SAMPLE_DIR) -> str:
    return f"read_csv('{folder / name}.csv', all_varchar = true)"


def scaled(k: int, target: Path) -> Path:
    """k copies of the sample, ten years per analysed firm."""
    target.mkdir(parents=True, exist_ok=True)
    con = duckdb.connect()
    _write(
        con,
        f"SELECT * EXCLUDE (k) REPLACE ({_new_id()} AS firm_id, name || '·' || k AS name) "
        f"FROM {_source('firms')}, {_copies(k)} ORDER BY k, firm_id",
        target,
        "firms",
    )
    _write(
        con,
        f"SELECT {_new_id()} AS firm_id, board FROM {_source('listings')}, {_copies(k)} "
        f"WHERE k = 0 OR board NOT IN ({A_SHARE}) ORDER BY k, firm_id, board",
        target,
        "listings",
    )
    p = "CAST(p.{0} AS BIGINT)"
    early = []
    for index, year in enumerate(EARLY_YEARS):
        parts = [f"{p.format(f)} // {SHARE} AS {f}" for f in FLOWS]
        stock = f"{p.format('valid_invention_patents')} * {index + 2} // {SHARE} AS stock"
        early.append(f"SELECT firm_id, {year} AS year, false AS carry, {', '.join(parts)}, {stock}")
    rest = [
        f"{p.format(f)} - {len(EARLY_YEARS)} * ({p.format(f)} // {SHARE}) AS {f}" for f in FLOWS
    ]
    carry_stock = f"{p.format('valid_invention_patents')} // {SHARE} AS stock"
    carry = f"SELECT firm_id, 2014, true, {', '.join(rest)}, {carry_stock}"
    later = "SELECT firm_id, CAST(year AS INT), false, " + ", ".join(
        p.format(f) for f in (*FLOWS, "valid_invention_patents")
    )
    rows = " UNION ALL ".join(
        f"{select} FROM {_source('patents')} p WHERE {where}"
        for select, where in [
            *((e, "includes_earlier_years = 'true'") for e in early),
            (carry, "includes_earlier_years = 'true'"),
            (later, "includes_earlier_years = 'false'"),
        ]
    )
    columns = ", ".join(FLOWS)
    _write(
        con,
        f"WITH y AS ({rows}) SELECT {_new_id()} AS firm_id, year, carry AS includes_earlier_years, "
        # a carry-in row's rest may hold more inventions than applications: cap them
        f"{columns.replace('invention_applications', 'least(invention_applications, applications) AS invention_applications')}, "
        f"stock AS valid_invention_patents FROM y, {_copies(k)} ORDER BY k, firm_id, year",
        target,
        "patents",
    )
    return target


def records(rows: int, target: Path, parquet: bool = True) -> Path:
    """Patent-level rows of the sample, repeated with new firm ids to at least `rows` rows.

    patent_records.csv is written one copy at a time (each sorted by patent_id, appended in
    copy order): the same file as one `ORDER BY k, patent_id` over every copy, in the memory of
    one copy (≈1.4 M rows) whatever `rows` is (100 M rows sorted at once took ≈40 GB)."""
    target.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(dir=BUILD_DIR) as folder:
        one = convert(SAMPLE_DIR, Path(folder) / "one")
        con = _connect(Path(folder))
        con.execute(
            "CREATE TEMP TABLE one AS "
            f"SELECT * FROM {_source('patent_records', one)} ORDER BY patent_id"
        )
        base = con.execute("SELECT count(*) FROM one").fetchone()[0]
        k = math.ceil(rows / base)
        _write(
            con,
            f"SELECT * EXCLUDE (k) REPLACE ({_new_id()} AS firm_id, name || '·' || k AS name) "
            f"FROM {_source('firms')}, {_copies(k)} ORDER BY k, firm_id",
            target,
            "firms",
        )
        _write(
            con,
            f"SELECT {_new_id()} AS firm_id, board FROM {_source('listings')}, {_copies(k)} "
            f"WHERE k = 0 OR board NOT IN ({A_SHARE}) ORDER BY k, firm_id, board",
            target,
            "listings",
        )
        part = Path(folder) / "part.csv"
        with open(target / "patent_records.csv", "wb") as whole:
            for copy in range(k):
                con.execute(
                    f"COPY (SELECT * REPLACE ({_new_id(copy=str(copy))} AS firm_id, "
                    f"{_new_id('patent_id', str(copy))} AS patent_id) FROM one "
                    f"ORDER BY patent_id) TO '{part}' (HEADER {copy == 0}, DELIMITER ',')"
                )
                with open(part, "rb") as chunk:
                    shutil.copyfileobj(chunk, whole, 1 << 24)
        if parquet:
            (target / "parquet").mkdir(exist_ok=True)
            con.execute(
                f"COPY (SELECT * FROM {_source('patent_records', target)}) "
                f"TO '{target / 'parquet' / 'patent_records'}.parquet' (FORMAT parquet)"
            )
    return target


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=BENCH_DIR)
    parser.add_argument("--scales", type=int, nargs="*", default=[1, 10, 100])
    parser.add_argument("--records", type=int, default=10_000_000, help="0: none")
    parser.add_argument(
        "--no-records-parquet",
        action="store_true",
        help="records/: only the CSV (the benchmark reads the CSV; 100 M rows are ≈10 GB of it)",
    )
    args = parser.parse_args()
    for k in args.scales:
        shutil.rmtree(args.out / f"x{k}", ignore_errors=True)
        print(scaled(k, args.out / f"x{k}"))
    if args.records:
        shutil.rmtree(args.out / "records", ignore_errors=True)
        print(records(args.records, args.out / "records", not args.no_records_parquet))


if __name__ == "__main__":
    main()
