"""The embedded analytical engine of the firm-level step: one in-process DuckDB connection per
firm-level folder (nothing to start; pinned from PyPI).

Memory is capped (DUCKDB_MEMORY_LIMIT, default 2GB) and DuckDB spills what does not fit to a
temporary folder under build/duckdb/ (removed when the connection is closed), so a national
export (≈1.3 M firms × 10 years) aggregates in a few GB whatever the machine's RAM. Threads:
DUCKDB_THREADS, default every core.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import tempfile
import weakref
from pathlib import Path

import duckdb
import pandas as pd

from helpers.paths import BUILD_DIR

MEMORY_LIMIT = os.environ.get("DUCKDB_MEMORY_LIMIT", "2GB")
THREADS = int(os.environ.get("DUCKDB_THREADS", os.cpu_count() or 1))
SPILL_ROOT = BUILD_DIR / "duckdb"


def connect(spill_root: Path = SPILL_ROOT) -> duckdb.DuckDBPyConnection:
    """A fresh in-memory DuckDB connection with a memory cap and its own spill folder."""
    spill_root = Path(spill_root)
    spill_root.mkdir(parents=True, exist_ok=True)
    spill = tempfile.mkdtemp(prefix="spill.", dir=spill_root)
    con = duckdb.connect(
        ":memory:",
        config={
            "memory_limit": MEMORY_LIMIT,
            "threads": THREADS,
            "temp_directory": spill,
            "preserve_insertion_order": True,
        },
    )
    # A row's line in its file is its position in the typed table (rowid + 2): with more than one
    # thread, DuckDB 2.0's rewrite of a long IN (…) list into a join stores the rows out of
    # order (a value's spellings, a text cell's edge whitespace), and problems named wrong lines
    con.execute("SET disabled_optimizers = 'in_clause'")
    # Inside a Jupyter kernel without ipywidgets DuckDB refuses the setting; it is off there.
    with contextlib.suppress(duckdb.InvalidInputException):
        con.execute("SET enable_progress_bar = false")
    weakref.finalize(con, shutil.rmtree, spill, True)
    return con


def scratch_dir(spill_root: Path = SPILL_ROOT) -> Path:
    """A temporary folder under build/duckdb/ for transcoded inputs (the caller removes it)."""
    spill_root = Path(spill_root)
    spill_root.mkdir(parents=True, exist_ok=True)
    return Path(tempfile.mkdtemp(prefix="input.", dir=spill_root))


def quote(name: str) -> str:
    """An SQL identifier, quoted (column names come from analysts' headers)."""
    return '"' + str(name).replace('"', '""') + '"'


def literal(value) -> str:
    """An SQL string literal."""
    return "'" + str(value).replace("'", "''") + "'"


def frame(con: duckdb.DuckDBPyConnection, query: str, params=None) -> pd.DataFrame:
    """The result of a query as a pandas DataFrame."""
    return con.execute(query, params or []).df()
