"""The build graph, written down once (`notebooks/pipeline.yml`): which chapters the book has,
in book order (the file's key order), and which tables each may read. The Makefile and the build
take the chapter list from here; the build fingerprints exactly the declared inputs
(`helpers.workflow.fingerprint`), and `Chapter.table()` refuses a read that is not declared."""

from __future__ import annotations

import functools
from pathlib import Path

import yaml

from helpers.paths import NOTEBOOKS_DIR, display_path

PIPELINE_FILE = NOTEBOOKS_DIR / "pipeline.yml"
HELPERS_DIR = Path(__file__).parent
ALL = "all"


@functools.cache
def declarations() -> dict[str, dict]:
    return yaml.safe_load(PIPELINE_FILE.read_text(encoding="utf-8")) or {}


def chapters() -> list[str]:
    """The chapters in book order: the top-level keys of notebooks/pipeline.yml."""
    return list(declarations())


def notebook_path(chapter: str) -> Path:
    """notebooks/<chapter>.ipynb, which must exist for a declared chapter."""
    path = NOTEBOOKS_DIR / f"{chapter}.ipynb"
    if chapter not in declarations():
        raise KeyError(f"'{chapter}' is not a chapter of {display_path(PIPELINE_FILE)}")
    if not path.exists():
        raise FileNotFoundError(
            f"{display_path(PIPELINE_FILE)} declares chapter '{chapter}' but "
            f"{display_path(path)} does not exist"
        )
    return path


def declared_tables(notebook: str) -> list[str] | str:
    """The table names a notebook may read, or 'all'."""
    if notebook not in declarations():
        raise KeyError(
            f"notebook '{notebook}' is not declared in {display_path(PIPELINE_FILE)}; "
            "add it with the tables it reads"
        )
    return declarations()[notebook].get("tables", [])


def check_declared(notebook: str, table: str) -> None:
    """Refuse a read the pipeline does not know of: its changes would not trigger a rebuild."""
    tables = declared_tables(notebook)
    if tables != ALL and table not in tables:
        raise KeyError(
            f"{notebook} reads table '{table}', which {display_path(PIPELINE_FILE)} does not "
            f"declare for it; add it there so incremental builds see its changes"
        )


# The tables a profile may read (profiles are not chapters of notebooks/pipeline.yml; the
# profile build fingerprints exactly these, see helpers.workflow.profiles).
PROFILE_TABLES = (
    "firms_by_province",
    "firms_by_city",
    "city_capital_markets",
    "city_field_patents",
    "city_metrics",
    "region_metrics",
    "region_breakdowns",
)
