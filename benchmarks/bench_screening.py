"""Screening benchmark (issue 12): every firm of the 100× sample (≈1.3 M firms, tools.scale_data)
screened against the MIIT tier criteria by helpers.screening (vectorised: one pass per rule, not
per firm), plus the summaries chapter 06 shows. Prints seconds; target ≤ 30 s for the screening.
Not a test.

    .venv/bin/python benchmarks/bench_screening.py             # 100x, generated when missing
    .venv/bin/python benchmarks/bench_screening.py --scale 10

The scaled data are written to build/bench/screening/x<k>/ (not the firm-level benchmark's
folder, which other runs may be using), and read straight from Parquet into typed columns by
DuckDB (the firm-level step's validation is timed by bench_scale.py, not here)."""

from __future__ import annotations

import argparse
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
FOLDER = REPO / "build" / "bench" / "screening"
SQL_TYPES = {"int": "BIGINT", "float": "DOUBLE", "str": "VARCHAR", "bool": "BOOLEAN"}


def scaled_firms(scale: int) -> Path:
    """firms.parquet of `scale` copies of data/sample (tools.scale_data), made again when the
    sample's firms.csv is newer (e.g. it gained columns)."""
    from helpers.paths import SAMPLE_DIR
    from tools.scale_data import scaled

    target = FOLDER / f"x{scale}"
    found = sorted(target.rglob("firms.parquet"))
    sample = SAMPLE_DIR / "firms.csv"
    if not found or found[0].stat().st_mtime < sample.stat().st_mtime:
        scaled(scale, target)
        found = sorted(target.rglob("firms.parquet"))
    return found[0]


def read_typed(path: Path):
    """The firms file as a pandas frame typed by data/firm_schema.yml (cast in DuckDB)."""
    import duckdb

    from helpers.firmlevel.read import firm_specs

    con = duckdb.connect()
    present = {name for name, *_ in con.execute(f"DESCRIBE SELECT * FROM '{path}'").fetchall()}
    selected = []
    for column, rule in firm_specs()["firms"].columns.items():
        if column not in present:
            continue
        kind = SQL_TYPES.get(rule.get("type", "str"), "VARCHAR")
        selected.append(f'TRY_CAST("{column}" AS {kind}) AS "{column}"')
    return con.execute(f"SELECT {', '.join(selected)} FROM '{path}'").df()


def bench_screening(scale: int = 100) -> dict[str, float]:
    """Seconds to read the scaled firms, to screen them (points, criteria tree; wall and this
    process's CPU time, as the machine is shared) and to compute the chapter's summaries
    (tiers, provinces, fields, blocking, candidates); prints them."""
    from helpers import screening
    from helpers.screening import summary

    path = scaled_firms(scale)
    start = time.perf_counter()
    firms = read_typed(path)
    read = time.perf_counter()
    cpu = time.process_time()
    result = screening.screen(firms)
    screened = time.perf_counter()
    screen_cpu = time.process_time() - cpu
    summary.tier_counts(result)
    summary.counts_by(result, firms["province"])
    summary.counts_by(result, firms["industry_field"])
    summary.blocking(result)
    candidates = summary.candidates(result, firms)
    done = time.perf_counter()
    seconds = {
        "firms": len(firms),
        "read": read - start,
        "screen": screened - read,
        "screen_cpu": screen_cpu,
        "summaries": done - screened,
    }
    print(
        f"screening x{scale}: {len(firms):,} firms; read {seconds['read']:.1f} s, "
        f"screen {seconds['screen']:.1f} s (CPU {screen_cpu:.1f} s; target <= 30 s), summaries "
        f"{seconds['summaries']:.1f} s; {len(candidates):,} firm-tier pairs one condition short"
    )
    return seconds


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--scale", type=int, default=100)
    bench_screening(parser.parse_args().scale)
