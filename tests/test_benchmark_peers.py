"""The firm-level benchmark's peers (benchmarks/peers.py) compute what they claim: the DuckDB
aggregation without checks gives the polars aggregation's figures, and the polars cell checks
count a row with a cell off its column's form or range. A peer that computed less would flatter
the step's ratio to it."""

from __future__ import annotations

import importlib.util
import shutil

import pandas as pd
import pytest

from helpers.paths import REPO_ROOT, SAMPLE_DIR

pytest.importorskip("polars")
SAMPLE = SAMPLE_DIR


def _peers():
    spec = importlib.util.spec_from_file_location("peers", REPO_ROOT / "benchmarks" / "peers.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def _sorted(frame: pd.DataFrame) -> pd.DataFrame:
    return frame.sort_values(list(frame.columns[:1]), na_position="first").reset_index(drop=True)


def test_duckdb_aggregation_gives_the_polars_figures(tmp_path):
    peers = _peers()
    by_polars, by_duckdb = tmp_path / "polars", tmp_path / "duckdb"
    by_polars.mkdir(), by_duckdb.mkdir()
    peers.polars_aggregate(SAMPLE, by_polars)
    peers.duckdb_aggregate(SAMPLE, by_duckdb)
    names = sorted(p.name for p in by_polars.iterdir())
    assert names == sorted(p.name for p in by_duckdb.iterdir())
    assert "by_province.csv" in names and "boards.csv" in names
    for name in names:
        expected = _sorted(pd.read_csv(by_polars / name))
        got = _sorted(pd.read_csv(by_duckdb / name))
        pd.testing.assert_frame_equal(got, expected, check_dtype=False, rtol=1e-9)


def test_polars_cell_checks_count_bad_rows(tmp_path):
    peers = _peers()
    assert peers.polars_typed(SAMPLE)["rows"] == 0
    folder = tmp_path / "bad"
    shutil.copytree(SAMPLE, folder)
    lines = (folder / "patents.csv").read_text(encoding="utf-8").splitlines()
    header = lines[0].split(",")
    applications = header.index("applications")
    for row, value in ((1, "3.5"), (2, "1e3"), (3, "-1")):  # off the form, off the form, < min
        cells = lines[row].split(",")
        cells[applications] = value
        lines[row] = ",".join(cells)
    (folder / "patents.csv").write_text("\n".join(lines) + "\n", encoding="utf-8")
    assert peers.polars_typed(folder)["rows"] == 3
