"""Reading an analyst's firm-level export: a folder with one row per firm (`firms`), one row per
firm and year (`patents`) or one row per patent (`patent_records`, helpers.firmlevel.records),
and one row per firm and listing board (`listings`), each a CSV (UTF-8, UTF-8 with BOM or
GBK/GB18030), XLSX or Parquet file, loaded into DuckDB (helpers.firmlevel.ingest) and validated
there against `data/firm_schema.yml` with the messages of the published tables
(helpers.firmlevel.checks).

Every problem is reported at once, naming the file, the row (line in the file; header = 1), the
column, the value and the valid choices. Besides the schema (types, ranges, allowed values,
duplicate keys), `FirmLevelInput` checks across files (helpers.firmlevel.integrity): every
firm_id of `patents` and `listings` is in `firms`; a known city lies in its row's province;
invention applications do not exceed applications; no `year` after the cut-off; at most one
carry-in row per firm, its earliest. These run together with the per-file checks, on every file
that passed its own.

Exports are read as they come (helpers.firmlevel.columns): headers are mapped to schema columns
(built-in aliases such as 企业名称 or 所属省份, and the folder's optional columns.yml); headers
that name no column are ignored and listed in `notes` (printed once, by the build step that
aggregates the folder: helpers.firmlevel.tables.ensure_tables; never inside a chapter); values in
the exports' own forms (是/否, 通过/撤销/公示, 第三批, 发明/实用新型, 1,200万元, 2021年3月5日) are
converted; errors name the header as written with its schema name, e.g. column '所属省份
(province)'.
"""

from __future__ import annotations

import dataclasses
import functools
from dataclasses import dataclass
from pathlib import Path

import pandas as pd
import yaml

from helpers.data.catalog import PANDAS_TYPES, TableSpec
from helpers.data.errors import DataInputError, Problem
from helpers.data.tableio import shown_file
from helpers.firmlevel import checks, columns, counties, engine, ingest, integrity, records
from helpers.firmlevel.columns import BOOL_WORDS, STATUS_WORDS  # noqa: F401 (re-exported)
from helpers.paths import DATA_DIR, display_path
from helpers.stats.innovation import growth_window

SCHEMA_PATH = DATA_DIR / "firm_schema.yml"
CUTOFF = "2023-07-31"
# The input tables of a firm-level folder; only `firms` is required.
INPUT_TABLES = ("firms", "patents", "listings")
# Read instead of `patents` when the folder has patent_records.csv|xlsx|parquet (one row per patent).
RECORDS_TABLE = "patent_records"
SYNTHETIC_MARKER = "SYNTHETIC"


@dataclass(frozen=True)
class FirmTableSpec(TableSpec):
    """A firm-level table: validated like a published table, but without provenance columns."""

    @property
    def all_columns(self) -> dict:
        return dict(self.columns)


def _specs(schema_path: Path, section: str, kind: type[TableSpec]) -> dict:
    content = yaml.safe_load(Path(schema_path).read_text(encoding="utf-8")) or {}
    document = content.get("document", {})
    return {
        name: kind.from_entry(name, entry, document, schema_path)
        for name, entry in (content.get(section) or {}).items()
    }


@functools.cache
def firm_specs(schema_path: Path = SCHEMA_PATH) -> dict[str, FirmTableSpec]:
    """The input table specs (firms, patents, listings) of data/firm_schema.yml, by name."""
    return _specs(schema_path, "tables", FirmTableSpec)


@functools.cache
def output_specs(schema_path: Path = SCHEMA_PATH) -> dict[str, TableSpec]:
    """Specs of the tables only firm-level data gives (`outputs` in data/firm_schema.yml); like
    published tables they carry provenance columns."""
    return _specs(schema_path, "outputs", TableSpec)


# Tables firm-level data gives that have no published counterpart (chapter.optional_table).
FIRM_LEVEL_ONLY_TABLES = tuple(output_specs())


def check_cutoff(cutoff) -> str:
    """The cut-off date as text, checked by the build's own rule (helpers.parameters), or
    DataInputError naming the parameter and the value when it is not a real ISO date."""
    from helpers.parameters import ParameterError
    from helpers.parameters import check_cutoff as check_parameter

    try:
        return check_parameter(cutoff)["cutoff"]
    except ParameterError as error:
        raise DataInputError(Problem("parameter cutoff", error.problem, value=cutoff)) from None


def column_words(spec: FirmTableSpec) -> dict[str, dict]:
    """Spellings accepted per column (helpers.firmlevel.columns.WORDS): 是/否 … in every bool
    column, the review status words, batch ordinals, the patent types and legal statuses of
    patent records."""
    return columns.words_for(spec.name, spec.columns)


def _pandas(frame: pd.DataFrame, spec: FirmTableSpec) -> pd.DataFrame:
    """A typed DuckDB result with the dtypes validate_frame gives (Int64, string, boolean …),
    indexed by the row in the file."""
    frame = frame.set_index("_row")
    frame.index.name = None
    for column, rule in spec.columns.items():
        kind = rule.get("type", "str")
        if kind in PANDAS_TYPES:
            frame[column] = frame[column].astype(PANDAS_TYPES[kind])
    return frame


def firm_frame(frame: pd.DataFrame) -> pd.DataFrame:
    """Rows of the typed `firms` table (with `_row`) as FirmLevelInput.firms gives them."""
    return _pandas(frame, firm_specs()["firms"])


class FirmLevelInput:
    """A folder with firms.csv|xlsx|parquet (required), patents or patent_records and listings
    (optional), loaded into DuckDB and validated on construction (every problem of every file in
    one DataInputError). `con` is the DuckDB connection holding the typed tables firms, patents
    and listings (each with `_row`, the line in its file); `firms`, `patents` and `listings` give
    them as pandas frames on demand. `notes`: what was ignored or chosen while reading (unknown
    columns, the sheet and header row of an XLSX export, dropped 合计 rows), one line each."""

    def __init__(self, folder: Path, cutoff: str = CUTOFF):
        self.folder = Path(folder)
        self.cutoff = check_cutoff(cutoff)
        self.cutoff_year = int(self.cutoff[:4])
        self.synthetic = (self.folder / SYNTHETIC_MARKER).exists()
        self.con = engine.connect()
        self.files: dict[str, str] = {}
        self.present: set[str] = set()
        # the columns each file gives (an absent optional column is all missing)
        self.given_columns: dict[str, set[str]] = {}
        self.raw: dict[str, ingest.RawTable] = {}
        self.notes: list[str] = []
        # firms whose city was written as a county-level unit (helpers.firmlevel.counties)
        self.county_cities: list[dict] = []
        problems: list[Problem] = []
        failed: set[str] = set()
        specs = firm_specs()
        mapped = columns.read_columns_file(self.folder)  # DataInputError for a bad columns.yml
        for name, source in self._sources().items():
            path = ingest.find_input_file(self.folder, Path(specs[source].file).stem)
            if path is None:
                continue
            self.files[name] = shown_file(path)
            try:
                matcher = columns.Matcher.build(source, mapped.get(source))
                raw = ingest.load(self.con, path, f"_raw_{name}", matcher)
                self.raw[name] = raw
                self.notes += raw.notes
                self.given_columns[name] = set(raw.columns)
                # patents by firm and year: the integrity checks' aggregates per firm are
                # made with the duplicate check's groups (one grouping of 12 M rows, not two)
                by_key = integrity.patent_aggregates(self.cutoff) if source == "patents" else None
                found = checks.validate(
                    self.con, raw, specs[source], source, column_words(specs[source]), by_key
                )
            except DataInputError as error:
                found = error.problems
            problems += found
            (failed if found else self.present).add(name)
        if "firms" not in self.files and not problems:
            problems.append(
                Problem(display_path(self.folder), "no firms.csv or firms.xlsx in this folder")
            )
        problems += self._integrity(failed)
        for raw in self.raw.values():
            raw.cleanup()
        if problems:
            raise DataInputError([self._as_written(p) for p in problems])
        if self._records:
            records.aggregate(self.con, self.cutoff)
        self._check_cutoff_within_data()

    def _check_cutoff_within_data(self) -> None:
        """A cut-off whose growth window (stats.growth_window) runs past the data's last patent
        year would compute rates from years without patents (a fall to 0, a CAGR from 0) deep
        in a chapter: refused here in one line naming the data's last year and the latest
        cut-off year it supports."""
        if not self.has("patents"):
            return
        (last,) = self.con.execute("SELECT max(year) FROM patents").fetchone()
        needed = growth_window(self.cutoff)[-1]
        if last is not None and int(last) < needed:
            problem = (
                f"the patent data ends in {int(last)}, but this cut-off compares patents up to "
                f"{needed}; give a cut-off in {int(last) + 1} or earlier"
            )
            raise DataInputError(Problem("parameter cutoff", problem, value=self.cutoff))

    def _as_written(self, problem: Problem) -> Problem:
        """The problem with its column named as the file's header (with the schema name)."""
        for raw in self.raw.values():
            if raw.file == problem.file and problem.column is not None:
                return dataclasses.replace(problem, column=raw.shown(problem.column))
        return problem

    def _sources(self) -> dict[str, str]:
        """Input name -> schema table read for it: patent_records stands in for patents."""
        has_records = ingest.find_input_file(self.folder, RECORDS_TABLE) is not None
        has_patents = ingest.find_input_file(self.folder, "patents") is not None
        if has_records and has_patents:
            raise DataInputError(
                Problem(
                    display_path(self.folder),
                    "both patents and patent_records files: give patents by firm and year or "
                    "one row per patent, not both",
                )
            )
        self._records = has_records
        return {
            "firms": "firms",
            "patents": RECORDS_TABLE if has_records else "patents",
            "listings": "listings",
        }

    def _integrity(self, failed: set[str]) -> list[Problem]:
        """Cross-file and row checks on every table that passed its own checks (unknown
        firm_ids also against a firms file with problems in other columns)."""
        con, files = self.con, self.files
        lines = {name: raw.lines for name, raw in self.raw.items()}
        problems = []
        if "firms" in self.present:
            self.county_cities, found = counties.map_counties(con, files["firms"], lines["firms"])
            problems += found
            problems += integrity.city_problems(con, files["firms"], lines["firms"])
        known = "firms" in self.present or (
            "firms" in failed
            and self.count("SELECT count(*) FROM duckdb_views() WHERE view_name = 'firms'")
        )
        table = {"patents": RECORDS_TABLE if self._records else "patents", "listings": "listings"}
        # patents by firm and year: every check screened in one grouped scan first
        screen = None
        if "patents" in self.present and not self._records:
            groups = checks.key_groups("patents")
            made = self.count(f"SELECT count(*) FROM duckdb_tables() WHERE table_name = '{groups}'")
            screen = integrity.patent_screen(
                con, self.cutoff, bool(known), groups if made else None
            )
        for name in ("patents", "listings"):
            if name in self.present and known:
                if name == "patents" and screen is not None and not screen["unknown"]:
                    continue
                problems += integrity.unknown_firm_problems(
                    con, table[name], files[name], files["firms"], lines[name]
                )
        if "patents" in self.present:
            if self._records:
                problems += records.problems(con, files["patents"], self.cutoff, lines["patents"])
            else:
                problems += integrity.patent_problems(
                    con, files["patents"], self.cutoff, lines["patents"], screen
                )
        con.execute(f"DROP TABLE IF EXISTS {checks.key_groups('patents')}")
        return problems

    def has(self, name: str) -> bool:
        """Whether the folder holds the input table `name` (firms, patents, listings), or,
        for `table.column` (firms.industry_field), whether that table's file has the column."""
        table, _, column = name.partition(".")
        if not column:
            return table in self.present
        return table in self.present and column in self.given_columns.get(table, set())

    def count(self, query: str) -> int:
        return int(self.con.execute(query).fetchone()[0])

    def _frame(self, name: str) -> pd.DataFrame | None:
        if not self.has(name):
            return None
        spec = firm_specs()[name]
        return _pandas(engine.frame(self.con, f"SELECT * FROM {name} ORDER BY _row"), spec)

    @functools.cached_property
    def firms(self) -> pd.DataFrame:
        return self._frame("firms")

    @functools.cached_property
    def patents(self) -> pd.DataFrame | None:
        return self._frame("patents")

    @functools.cached_property
    def listings(self) -> pd.DataFrame | None:
        return self._frame("listings")
