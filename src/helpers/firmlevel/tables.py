"""Firm-level aggregation as a saved step: `ensure_tables(firm_dir, cutoff)` writes every table a
firm-level folder can give into `build/tables/<slug>/`, a folder shaped exactly like
data/published/ (one CSV per table with the four provenance columns, and catalog_*.yml), so that
helpers.data.catalog reads and validates it with the same code as the published tables.

* Derived tables (every published table the firm data can give, and the firm-level-only
  `outputs` of data/firm_schema.yml) are declared in `catalog_firm-level.yml`, whose document is
  the firm-level folder (id firm-level, folder, fingerprint, synthetic); see helpers.firmlevel.shape
  for their entries and provenance.
* Tables firm data cannot give are copied byte for byte from data/published and declared in a
  catalogue of the same name as their published one, with its document and entries unchanged.
* Tables firm data gives, but this folder lacks an input for (patents.csv, listings.csv, an
  optional column of firms), are neither aggregated nor copied: a published figure of another
  population must not pass for this data's. NOT_GIVEN_FILE lists them with the inputs they
  lack, so chapters show a placeholder naming the input (helpers.report.chapter.Chapter.missing).
* The folder is rebuilt only when the SHA-256 fingerprint of its inputs changed (every file of
  the firm folder, data/firm_schema.yml, data/published, data/reference, the source of
  helpers.firmlevel, helpers.data and helpers.stats, and the cut-off), kept in FINGERPRINT_FILE. A rebuild
  writes into a temporary sibling folder that replaces the old one only when complete, under a
  lock (helpers.data.locks): parallel callers wait, then find it up to date; nobody sees a
  half-written folder.
"""

from __future__ import annotations

import csv
import hashlib
import io
import os
import re
import shutil
import tempfile
from pathlib import Path

import pandas as pd

from helpers import stats
from helpers.data import catalog
from helpers.data.catalog import TableSpec
from helpers.data.digest import files_digest, folder_files
from helpers.data.locks import locked
from helpers.data.tableio import neutralise_text
from helpers.data.yamlio import dump_yaml, load_yaml
from helpers.firmlevel.aggregators import AGGREGATORS
from helpers.firmlevel.firms import FirmLevelData
from helpers.firmlevel.read import SCHEMA_PATH, check_cutoff
from helpers.firmlevel.shape import SOURCE_DOC
from helpers.paths import BUILD_DIR, PUBLISHED_DIR, REFERENCE_DIR, display_path

FINGERPRINT_FILE = "fingerprint.sha256"
FIRM_LEVEL_CATALOG = f"catalog_{SOURCE_DOC}.yml"
# Tables the firm data could give but this folder lacks inputs for: {table: [inputs]}.
NOT_GIVEN_FILE = "not_given.yml"
# The validated firms (screening, firms entered and left) and the columns the export gave.
FIRM_ROWS_FILE = "firms.parquet"
FIRM_COLUMNS_FILE = "firms_columns.yml"
# Source whose change changes the aggregates: helpers.firmlevel, helpers.data and helpers.stats
# (every ratio and growth rate comes from there).
PACKAGE_DIRS = tuple(
    Path(file).resolve().parent for file in (__file__, catalog.__file__, stats.__file__)
)


def slug(firm_dir: Path) -> str:
    """An ASCII-safe folder name for a firm folder: data/sample -> data_sample. A name that had
    to lose characters (e.g. Chinese ones) gets 8 hex digits of its path to stay unique."""
    shown = display_path(firm_dir).strip("/")
    safe = re.sub(r"[^A-Za-z0-9._-]+", "_", shown).strip("_.") or "data"
    if safe != shown.replace("/", "_"):
        safe += "-" + hashlib.sha256(shown.encode()).hexdigest()[:8]
    return safe


def _input_files() -> list[Path]:
    files = [SCHEMA_PATH, *folder_files(PUBLISHED_DIR), *folder_files(REFERENCE_DIR)]
    for package in PACKAGE_DIRS:
        files += [p for p in folder_files(package) if p.suffix == ".py"]
    return files


def fingerprint(firm_dir: Path, cutoff: str) -> str:
    """SHA-256 over the firm folder's files, the schema, published and reference tables, the
    source of helpers.firmlevel, helpers.data and helpers.stats, and the cut-off."""
    parts = [f"cutoff={cutoff}", files_digest(folder_files(firm_dir), root=Path(firm_dir))]
    parts.append(files_digest(_input_files()))
    return hashlib.sha256("\n".join(parts).encode()).hexdigest()


def _is_current(folder: Path, expected: str) -> bool:
    marker = folder / FINGERPRINT_FILE
    return marker.is_file() and marker.read_text(encoding="utf-8").strip() == expected


def ensure_tables(firm_dir: Path, cutoff: str, build_root: Path = BUILD_DIR / "tables") -> Path:
    """The published-shaped folder of `firm_dir`'s aggregates (build_root/<slug>), rebuilt only
    when its fingerprint changed. DataInputError for invalid firm data or cut-off."""
    firm_dir, build_root = Path(firm_dir), Path(build_root)
    cutoff = check_cutoff(cutoff)
    target = build_root / slug(firm_dir)
    expected = fingerprint(firm_dir, cutoff)
    if _is_current(target, expected):
        return target
    build_root.mkdir(parents=True, exist_ok=True)
    # Quiet while waiting: a chapter's notebook may call this, and its output must not depend on
    # another build's timing.
    with locked(build_root / f".{target.name}.lock", quiet=True):
        if _is_current(target, expected):  # built by a parallel caller meanwhile
            return target
        staging = Path(tempfile.mkdtemp(prefix=f".{target.name}.", dir=build_root))
        staging.chmod(0o755)
        try:
            data = FirmLevelData(firm_dir, cutoff=cutoff)
            for note in data.notes:  # columns ignored, sheet and rows chosen: said once, here
                print(note)
            write_tables(data, staging)
            (staging / FINGERPRINT_FILE).write_text(expected + "\n", encoding="utf-8")
            _replace(staging, target)
        finally:
            shutil.rmtree(staging, ignore_errors=True)
    return target


def _replace(staging: Path, target: Path) -> None:
    """Move the complete `staging` folder to `target`, replacing an older one."""
    if target.exists():
        retired = Path(tempfile.mkdtemp(prefix=f".{target.name}.old.", dir=target.parent))
        os.replace(target, retired / target.name)
        os.replace(staging, target)
        shutil.rmtree(retired, ignore_errors=True)
    else:
        os.replace(staging, target)


# --------------------------------------------------------------------------- writing


def write_tables(data: FirmLevelData, folder: Path) -> None:
    """Every table of the published catalogue and the firm-level outputs into `folder`:
    aggregated where the firm data can give it, else copied from the published folder."""
    folder = Path(folder)
    derived: dict[str, dict] = {}
    for name in data.tables():
        spec = data.derived_spec(name)
        (folder / spec.file).write_bytes(table_bytes(data.table(name), spec))
        derived[name] = catalog_entry(spec)
    _write_yaml(folder / FIRM_LEVEL_CATALOG, {"document": data.document, "tables": derived})
    lacking = {name: data.lacking(name) for name in AGGREGATORS if data.lacking(name)}
    _write_yaml(folder / NOT_GIVEN_FILE, lacking)
    write_firm_rows(data, folder)
    for catalog_path in sorted(data.published_dir.glob("catalog_*.yml")):
        content = load_yaml(catalog_path.read_text(encoding="utf-8")) or {}
        copied = {
            name: entry
            for name, entry in (content.get("tables") or {}).items()
            if name not in derived and name not in lacking
        }
        for entry in copied.values():
            shutil.copyfile(data.published_dir / entry["file"], folder / entry["file"])
        if copied:
            document = content.get("document", {})
            _write_yaml(folder / catalog_path.name, {"document": document, "tables": copied})


def write_firm_rows(data: FirmLevelData, folder: Path) -> None:
    """The validated firms, one row each, as FIRM_ROWS_FILE (Parquet, written by DuckDB) and
    the columns the export gave in FIRM_COLUMNS_FILE: what screening and the comparison of two
    editions' firm lists read, so no notebook reads or validates the export again. The rows are
    written as stored, not sorted (a sort of every firm cost a third of the write at 1.3 M
    firms): read_firm_rows orders them by _row. Zstandard: a third of the default Snappy
    file's size for no more CPU."""
    target = (Path(folder) / FIRM_ROWS_FILE).as_posix().replace("'", "''")
    data.con.execute(f"COPY (SELECT * FROM firms) TO '{target}' (FORMAT parquet, COMPRESSION zstd)")
    given = sorted(data.given_columns.get("firms", set()))
    _write_yaml(Path(folder) / FIRM_COLUMNS_FILE, {"given_columns": given})


def read_firm_rows(folder: Path) -> pd.DataFrame | None:
    """The validated firms of a folder written by write_tables, typed and indexed as
    FirmLevelInput.firms gives them (an optional column the export lacks is all missing); None
    for a folder of published tables."""
    path = Path(folder) / FIRM_ROWS_FILE
    if not path.is_file():
        return None
    from helpers.firmlevel import engine
    from helpers.firmlevel.read import firm_frame

    con = engine.connect()
    try:
        query = "SELECT * FROM read_parquet(?) ORDER BY _row"
        return firm_frame(engine.frame(con, query, [str(path)]))
    finally:
        con.close()


def given_firm_columns(folder: Path) -> set[str]:
    """The columns of `firms` the export itself gave (see write_firm_rows)."""
    path = Path(folder) / FIRM_COLUMNS_FILE
    if not path.is_file():
        return set()
    content = load_yaml(path.read_text(encoding="utf-8")) or {}
    return set(content.get("given_columns") or [])


def not_given(folder: Path) -> dict[str, list[str]]:
    """{table: inputs it lacks} of a folder written by write_tables; {} for any other folder
    (published tables lack nothing)."""
    path = Path(folder) / NOT_GIVEN_FILE
    if not path.is_file():
        return {}
    return load_yaml(path.read_text(encoding="utf-8")) or {}


def catalog_entry(spec: TableSpec) -> dict:
    """A catalogue entry of a derived table: file, title, population, as_of, key, columns."""
    return {
        "file": spec.file,
        "title": spec.title,
        "population": spec.population,
        "as_of": spec.as_of,
        "key": list(spec.key),
        "columns": spec.columns,
    }


def _write_yaml(path: Path, content: dict) -> None:
    path.write_bytes(dump_yaml(content).encode("utf-8"))


def _cell(value, kind: str) -> str:
    if value is None or pd.isna(value):
        return ""
    if kind == "bool":
        return "true" if value else "false"
    if kind == "int":
        return str(int(value))
    if kind == "float":
        return repr(float(value))  # shortest text that reads back as the same number
    # Analysts open these tables in a spreadsheet: a city named =HYPERLINK(…) must not run.
    # helpers.data.catalog restores the value when it reads the table back.
    return neutralise_text(str(value))


def table_bytes(frame: pd.DataFrame, spec: TableSpec) -> bytes:
    """A table as UTF-8 CSV with "\\n" line ends, columns in catalogue order: same frame, same
    bytes. Text a spreadsheet would run as a formula gets a leading apostrophe
    (helpers.data.tableio.neutralise_text)."""
    columns = spec.all_columns
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(list(columns))
    for row in frame[list(columns)].itertuples(index=False):
        writer.writerow(
            [
                _cell(v, rule.get("type", "str"))
                for v, rule in zip(row, columns.values(), strict=True)
            ]
        )
    return buffer.getvalue().encode("utf-8")
