"""Screening benchmark (issues 12 and 21): every firm of the 100× sample (≈1.3 M firms,
tools.scale_data) screened under each MIIT rulebook (helpers.screening.rulebooks: the 2022 interim
measures and the 2026 measures; vectorised: one pass per rule, not per firm), the summaries
chapter 06 shows under the applied one, and the two rulebooks side by side (the tiers of both,
the firms crossing a line by condition). Prints seconds; target ≤ 30 s per rulebook's screening.
`make benchmark` (benchmarks/bench_build.py) runs it at 100× as rows of its table. Not a test.

    .venv/bin/python benchmarks/bench_screening.py             # 100x, generated when missing
    .venv/bin/python benchmarks/bench_screening.py --scale 10

The scaled data are written to build/bench/screening/x<k>/ (not the firm-level benchmark's
folder, which other runs may be using), and read straight from Parquet into typed columns by
DuckDB (the firm-level step's validation is timed by bench_scale.py, not here)."""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
FOLDER = REPO / "build" / "bench" / "screening"
SQL_TYPES = {"int": "BIGINT", "float": "DOUBLE", "str": "VARCHAR", "bool": "BOOLEAN"}


def scaled_firms(scale: int) -> Path:
    """firms.parquet of `scale` copies of data/sample (tools.scale_data), made again when the
    sample's firms.csv is newer (e.g. it gained columns)."""
    from helpers.paths import SAMPLE_DIR

    if str(REPO) not in sys.path:  # tools/ is the repository's, not the package's
        sys.path.insert(0, str(REPO))
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
    """Seconds to read the scaled firms, to screen them under each rulebook (points, criteria
    trees; wall and this process's CPU time, as the machine is shared), to compute the
    chapter's summaries under the newer rulebook (tiers, provinces, fields, blocking,
    candidates) and to put the two side by side (tier counts, crossings); prints them."""
    from helpers.screening import compare, rulebooks, summary

    path = scaled_firms(scale)
    start = time.perf_counter()
    firms = read_typed(path)
    read = time.perf_counter()
    seconds: dict[str, float] = {"firms": len(firms), "read": read - start}
    results = {}
    for book in rulebooks.load_rulebooks().values():
        began, cpu = time.perf_counter(), time.process_time()
        results[book.id] = book.screen(firms)
        seconds[f"screen_{book.id}"] = time.perf_counter() - began
        seconds[f"screen_{book.id}_cpu"] = time.process_time() - cpu
    old, new = results.values()
    began, cpu = time.perf_counter(), time.process_time()
    summary.tier_counts(new)
    summary.counts_by(new, firms["province"])
    summary.counts_by(new, firms["industry_field"])
    summary.blocking(new)
    candidates = summary.candidates(new, firms)
    seconds["summaries"] = time.perf_counter() - began
    seconds["summaries_cpu"] = time.process_time() - cpu
    began, cpu = time.perf_counter(), time.process_time()
    compare.side_by_side(results)
    ids = list(results)
    crossing = compare.crossings(old, new, ids[0], ids[1])
    seconds["compare"] = time.perf_counter() - began
    seconds["compare_cpu"] = time.process_time() - cpu
    screened = ", ".join(
        f"{book} {seconds[f'screen_{book}']:.1f} s (CPU {seconds[f'screen_{book}_cpu']:.1f} s)"
        for book in results
    )
    print(
        f"screening x{scale}: {len(firms):,} firms; read {seconds['read']:.1f} s, screen "
        f"{screened} (target <= 30 s each), summaries {seconds['summaries']:.1f} s, both "
        f"rulebooks side by side {seconds['compare']:.1f} s; {len(candidates):,} firm-tier "
        f"pairs one condition short, {int(crossing['firms'].sum()):,} firm-condition crossings"
    )
    return seconds


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--scale", type=int, default=100)
    bench_screening(parser.parse_args().scale)
