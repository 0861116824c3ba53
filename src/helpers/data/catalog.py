"""The published tables: a YAML catalogue per source document (`data/published/catalog_*.yml`)
declares each table's file, population, cut-off date, columns and the totals its parts must add up
to. Tables are validated on load with pandera; every failure names file, row, column and value.

The same code reads any folder shaped like data/published/, such as the tables aggregated from a
firm-level export (helpers.firmlevel.tables, document id "firm-level"). Loaded catalogues and
tables are cached by folder and by the size and modification time of their files, so a folder
rebuilt in place is read again."""

from __future__ import annotations

import csv
import difflib
import functools
import re
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING

import numpy as np
import pandas as pd

from helpers.data import reference
from helpers.data.errors import DataInputError, Problem
from helpers.data.tableio import read_table_text, restore_text
from helpers.data.yamlio import load_yaml
from helpers.paths import PUBLISHED_DIR, display_path

if TYPE_CHECKING:
    import pandera.pandas as pa

# Every published row says where it comes from and whether its placement was inferred.
PROVENANCE_COLUMNS = {
    "source_doc": {"type": "str"},
    "source_id": {"type": "str"},
    "inferred": {"type": "bool"},
    "note": {"type": "str", "nullable": True},
}
# A `date` column is text in YYYY-MM-DD form that names a real calendar day.
PANDAS_TYPES = {
    "int": "Int64",
    "float": "Float64",
    "str": "string",
    "bool": "boolean",
    "date": "string",
}
THOUSANDS = re.compile(r"^-?\d{1,3}(,\d{3})+(\.\d+)?$")
ISO_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")
# Numbers pandas and DuckDB read that are not finite (1e999 overflows to inf).
NON_FINITE = r"[+-]?(inf|infinity|nan)"
TRUE_WORDS = {"true": True, "false": False, "1": True, "0": False, "yes": True, "no": False}
# The document id of tables aggregated from firm-level data (helpers.firmlevel).
FIRM_LEVEL_DOCUMENT = "firm-level"


@dataclass(frozen=True)
class TableSpec:
    """One catalogue entry."""

    name: str
    file: str
    title: str
    population: str
    as_of: str
    document: dict
    columns: dict
    key: tuple[str, ...] = ()
    totals: tuple[dict, ...] = ()
    catalog_file: str = ""
    extra: dict = field(default_factory=dict)

    @classmethod
    def from_entry(cls, name: str, entry: dict, document: dict, catalog_path: Path):
        """A spec from one `tables:` entry of a catalogue (or of data/firm_schema.yml)."""
        known = {"file", "title", "population", "as_of", "columns", "key", "totals"}
        return cls(
            name=name,
            file=entry.get("file", ""),
            title=entry.get("title", name),
            population=entry.get("population", ""),
            as_of=str(entry.get("as_of", "")),
            document=document,
            columns=entry.get("columns") or {},
            key=tuple(entry.get("key") or ()),
            totals=tuple(entry.get("totals") or ()),
            catalog_file=display_path(catalog_path),
            extra={k: v for k, v in entry.items() if k not in known},
        )

    @property
    def compared_columns(self) -> tuple[str, ...]:
        """The columns holding printed figures that the report checks against a recomputation
        (the `stated` of each `reconcile:` entry, and those listed under `compared:`), as
        opposed to printed figures that are the table's only value (a growth rate)."""
        named = [check.get("stated") for check in self.extra.get("reconcile") or []]
        named += list(self.extra.get("compared") or [])
        return tuple(dict.fromkeys(c for c in named if c in self.columns))

    @property
    def all_columns(self) -> dict:
        return {**self.columns, **PROVENANCE_COLUMNS}

    def unit(self, column: str) -> str:
        return self.columns.get(column, {}).get("unit", "")


def _stamp(paths) -> tuple:
    """What a cached read depends on: each file's name, size and modification time."""
    stamp = []
    for path in paths:
        try:
            info = path.stat()
        except FileNotFoundError:
            stamp.append((str(path), None, None))
            continue
        stamp.append((str(path), info.st_size, info.st_mtime_ns))
    return tuple(stamp)


def _catalog_paths(published_dir: Path) -> list[Path]:
    return sorted(Path(published_dir).glob("catalog_*.yml"))


def load_catalog(published_dir: Path = PUBLISHED_DIR) -> dict[str, TableSpec]:
    """All table specs of all catalogue files in `published_dir`, by table name."""
    published_dir = Path(published_dir)
    return _load_catalog(published_dir, _stamp(_catalog_paths(published_dir)))


@functools.cache
def _load_catalog(published_dir: Path, stamp: tuple) -> dict[str, TableSpec]:
    specs: dict[str, TableSpec] = {}
    for catalog_path in _catalog_paths(published_dir):
        content = load_yaml(catalog_path.read_text(encoding="utf-8")) or {}
        document = content.get("document", {})
        for name, entry in (content.get("tables") or {}).items():
            if name in specs:
                raise DataInputError(
                    Problem(
                        display_path(catalog_path),
                        f"table '{name}' is already declared in {specs[name].catalog_file}",
                    )
                )
            specs[name] = TableSpec.from_entry(name, entry, document, catalog_path)
    return specs


def latest_as_of(published_dir: Path = PUBLISHED_DIR) -> str:
    """The latest full date (`as_of`, YYYY-MM-DD) of the published tables: the cut-off of
    published data, as the cover and the edition's index show it."""
    specs = load_catalog(published_dir).values()
    return max(str(s.as_of) for s in specs if re.fullmatch(r"\d{4}-\d{2}-\d{2}", str(s.as_of)))


def compared_columns(published_dir: Path = PUBLISHED_DIR) -> set[str]:
    """Every column name that holds, in some published table, a printed figure the report
    checks against a recomputation (TableSpec.compared_columns)."""
    return {c for spec in load_catalog(published_dir).values() for c in spec.compared_columns}


def documents(folder: Path = PUBLISHED_DIR) -> dict[str, dict]:
    """Document id -> `document:` entry of every catalogue in `folder` and in data/published
    (the folder's entries win): what a row's source_doc refers to."""
    paths = [
        path for directory in (PUBLISHED_DIR, Path(folder)) for path in _catalog_paths(directory)
    ]
    # Every chapter and profile asks, twice: read once per process while the files are unchanged
    # (parsing the catalogues each time was a third of a profile's run); a copy for each caller.
    return {name: dict(entry) for name, entry in _documents(_stamp(paths)).items()}


@functools.cache
def _documents(stamp: tuple) -> dict[str, dict]:
    found: dict[str, dict] = {}
    for name, _size, _time in stamp:
        content = load_yaml(Path(name).read_text(encoding="utf-8")) or {}
        document = content.get("document") or {}
        if "id" in document:
            found[str(document["id"])] = dict(document)
    return found


def table_spec(name: str, published_dir: Path = PUBLISHED_DIR) -> TableSpec:
    specs = load_catalog(Path(published_dir))
    if name not in specs:
        close = difflib.get_close_matches(name, specs, n=5)
        raise KeyError(f"no published table '{name}'; close matches: {close or sorted(specs)[:10]}")
    return specs[name]


def allowed_values(rule) -> list[str]:
    """The values an `allowed:` rule lists, or those of `reference:<table>.<column>`."""
    if isinstance(rule, str) and rule.startswith("reference:"):
        table, column = rule.removeprefix("reference:").split(".")
        return reference.values(table, column)
    return [str(v) for v in rule]


def _real_dates(values: pd.Series) -> pd.Series:
    """Whether each text is a real calendar day written YYYY-MM-DD (2026-02-30 is not)."""

    def real(text) -> bool:
        try:
            return bool(ISO_DATE.fullmatch(str(text))) and bool(date.fromisoformat(str(text)))
        except ValueError:
            return False

    return values.map(real).astype(bool)


def _column_schema(name: str, rule: dict) -> pa.Column:
    import pandera.pandas as pa  # here: a step that validates nothing need not load it

    checks = []
    if "min" in rule:
        checks.append(pa.Check.ge(rule["min"], error=f"must be at least {rule['min']}"))
    if "max" in rule:
        checks.append(pa.Check.le(rule["max"], error=f"must be at most {rule['max']}"))
    if "allowed" in rule:
        checks.append(pa.Check.isin(allowed_values(rule["allowed"]), error="not an allowed value"))
    if rule.get("type") == "date":
        checks.append(pa.Check(_real_dates, error="not a real date; expected YYYY-MM-DD"))
    if "pattern" in rule:  # names made from numbers (第六批), any number of them
        example = f" (e.g. {rule['example']})" if "example" in rule else ""
        message = f"must match {rule['pattern']}{example}"
        checks.append(pa.Check.str_matches(rule["pattern"], error=message))
    return pa.Column(
        PANDAS_TYPES[rule.get("type", "str")],
        checks=checks,
        nullable=bool(rule.get("nullable", False)),
        unique=bool(rule.get("unique", False)),
        coerce=True,
        required=True,
    )


def build_schema(spec: TableSpec, unique_key: bool = True) -> pa.DataFrameSchema:
    """The pandera schema of a catalogue entry (strict: no undeclared columns)."""
    import pandera.pandas as pa  # here: a step that validates nothing need not load it

    return pa.DataFrameSchema(
        {name: _column_schema(name, rule) for name, rule in spec.all_columns.items()},
        strict=True,
        unique=(list(spec.key) or None) if unique_key else None,
        report_duplicates="all",
    )


def _prepare_text(frame: pd.DataFrame, spec: TableSpec, file: str) -> pd.DataFrame:
    """Empty cells to missing, booleans and names normalised, before pandera coerces types."""
    frame = frame.replace({"": pd.NA})
    problems = []
    for column, rule in spec.all_columns.items():
        if column not in frame:
            continue
        kind = rule.get("type", "str")
        if kind == "bool":
            lowered = frame[column].map(
                lambda v: v if pd.isna(v) else TRUE_WORDS.get(str(v).lower(), v)
            )
            frame[column] = lowered
        if rule.get("normalize"):
            frame[column] = frame[column].map(
                lambda v, kind=rule["normalize"]: v if pd.isna(v) else reference.normalize(kind, v)
            )
        if kind in {"int", "float"}:
            # Thousands separators from Excel exports ("12,950") are accepted; other commas
            # ("1,5", a decimal comma) are left for the type check to reject.
            frame[column] = frame[column].map(
                lambda v: (
                    str(v).replace(",", "") if not pd.isna(v) and THOUSANDS.match(str(v)) else v
                )
            )
    if problems:
        raise DataInputError(problems)
    return frame


def _describe_failures(error: pa.errors.SchemaErrors, spec: TableSpec, file: str) -> list[Problem]:
    cases = error.failure_cases
    problems = []
    coerce_failed = set()
    for case in cases.itertuples(index=False):
        check = str(case.check)
        column = None if pd.isna(case.column) else str(case.column)
        row = None if pd.isna(case.index) else int(case.index)
        value = None if pd.isna(case.failure_case) else case.failure_case
        value = value.item() if hasattr(value, "item") else value  # numpy scalar -> plain number
        rule = spec.all_columns.get(column or "", {})
        choices: tuple[str, ...] = ()
        if check.startswith("coerce_dtype"):
            coerce_failed.add((row, column))
            message = f"expected {rule.get('type', 'a value')} ({rule.get('unit', '')})".replace(
                " ()", ""
            )
        elif check.startswith("dtype(") and (row, column) in coerce_failed:
            continue
        elif row is None and case.schema_context == "Column" and "TypeError" in str(value):
            continue  # a check that could not run because the type was already reported
        elif check == "not_nullable":
            message, value = "missing value", None
        elif check in {"field_uniqueness", "multiple_fields_uniqueness"}:
            message = f"duplicate key {list(spec.key) or [column]}"
        elif check == "column_in_dataframe":
            column, value = str(case.failure_case), None
            message = "required column is missing"
            choices = tuple(spec.all_columns)
        elif check == "column_in_schema":
            column, value = str(case.failure_case), None
            message = "column is not declared in " + spec.catalog_file
            choices = tuple(spec.all_columns)
        elif "not an allowed value" in check or check.startswith("isin"):
            allowed = allowed_values(rule.get("allowed", []))
            close = difflib.get_close_matches(str(value), allowed, n=3, cutoff=0.3)
            message = "unknown value" + (f"; close matches: {', '.join(close)}" if close else "")
            choices = tuple(allowed) if len(allowed) <= 12 else ()
        else:
            message = check
        problems.append(
            Problem(file, message, row=row, column=column, value=value, choices=choices)
        )
    return problems


def check_totals(frame: pd.DataFrame, spec: TableSpec, file: str) -> list[Problem]:
    """Parts that must add up to a stated total (optionally per group, or over a subset of rows)."""
    problems = []
    for total in spec.totals:
        column = total["column"]
        rows = frame
        for where_column, values in (total.get("where") or {}).items():
            rows = rows[rows[where_column].isin([str(v) for v in values])]
        groups = rows.groupby(total["by"]) if total.get("by") else [(None, rows)]
        tolerance = float(total.get("tolerance", 0))
        for group, part in groups:
            summed = part[column].sum()
            if abs(float(summed) - float(total["equals"])) > tolerance + 1e-9:
                scope = f" for {total['by']} = {group}" if group is not None else ""
                row_range = f"rows {part.index.min()}–{part.index.max()}"
                problems.append(
                    Problem(
                        file,
                        f"parts sum to {summed:g}{scope} ({row_range}), but the stated total is "
                        f"{total['equals']:g} ({total.get('stated_in', spec.catalog_file)})",
                        column=column,
                    )
                )
    return problems


def check_required(frame: pd.DataFrame, spec: TableSpec, file: str) -> list[Problem]:
    """Cells a column's `required_if` makes required: `{logic: [leaf], operator: [">="]}` = the
    cell may be empty unless every named column holds one of its listed values (a rule's
    threshold is required where its operator compares numbers)."""
    problems = []
    for column, rule in spec.columns.items():
        conditions = rule.get("required_if") or {}
        if not conditions or column not in frame:
            continue
        applies = pd.Series(True, index=frame.index)
        for other, values in conditions.items():
            listed = frame[other].astype("string").isin([str(v) for v in values])
            applies &= listed.fillna(False).astype(bool)
        for row in frame.index[applies & frame[column].isna()]:
            where = ", ".join(f"{other} = {frame.at[row, other]}" for other in conditions)
            message = f"missing value; required where {where}"
            problems.append(Problem(file, message, row=int(row), column=column))
    return problems


def check_periods(frame: pd.DataFrame, spec: TableSpec, file: str) -> list[Problem]:
    """Rows that are periods (`periods: {start: …, end: …}`, dates; an empty end = open) must
    not end before they start nor overlap another row's period: two rulebooks in force on
    the same day would leave the day's rules undecided."""
    rule = spec.extra.get("periods")
    if not rule or frame.empty:
        return []
    start, end = rule["start"], rule["end"]
    rows = frame.sort_values(start, kind="stable")
    problems = []
    for row, first, last in zip(rows.index, rows[start], rows[end], strict=True):
        if not pd.isna(last) and str(last) < str(first):
            message = f"the period ends before it starts ({start} {first})"
            problems.append(Problem(file, message, row=int(row), column=end, value=str(last)))
    for (before, _, before_end), (row, first, _) in zip(
        rows[[start, end]].itertuples(), rows[[start, end]].iloc[1:].itertuples(), strict=False
    ):
        if pd.isna(before_end) or str(before_end) >= str(first):
            until = "open-ended" if pd.isna(before_end) else f"to {before_end}"
            message = f"overlaps the period of row {before} ({rows.at[before, start]} {until})"
            problems.append(Problem(file, message, row=int(row), column=start, value=str(first)))
    return problems


# Units whose values add up, so that a 计划单列市 row can be folded into its province's row.
ADDITIVE_UNITS = {"家", "件", "个", "项", "次", "人", "亿元", "万元", "元"}


def _province_columns(spec: TableSpec) -> list[str]:
    return [
        column
        for column, rule in spec.columns.items()
        if rule.get("allowed") == "reference:provinces.province"
        or rule.get("normalize") == "provinces"
    ]


def _fold_rows(frame: pd.DataFrame, spec: TableSpec, file: str) -> tuple[pd.DataFrame, list]:
    """Rows whose province is written as a 计划单列市 or 新疆生产建设兵团 (MIIT's lists count
    them beside the provinces) get their province's name; returns the frame and the folds
    (file, row, column, written, province) for the table's note. Merging the rows that then
    share a key happens after typing (_merge_folded)."""
    folds = []
    for column in _province_columns(spec):
        if column not in frame:
            continue
        for index, value in frame[column].items():
            if pd.isna(value):
                continue
            unit = reference.fold(value)
            if unit is None:
                continue
            folds.append(
                {
                    "file": file,
                    "row": index,
                    "column": column,
                    "written": unit["name"],
                    "kind": unit["kind"],
                    "province": unit["province"],
                }
            )
            frame.loc[index, column] = unit["province"]
    return frame, folds


def _merge_folded(typed: pd.DataFrame, spec: TableSpec, file: str, folds: list) -> pd.DataFrame:
    """Rows that share a key after folding become one: additive columns summed, provenance
    joined. A table whose other columns cannot be added up (shares, averages) is refused."""
    key = list(spec.key)
    if not key or not typed.duplicated(key, keep=False).any():
        return typed
    values = [c for c in spec.columns if c not in key]
    blocked = [
        c
        for c in values
        if spec.unit(c) not in ADDITIVE_UNITS or spec.columns[c].get("type") not in {"int", "float"}
    ]
    if blocked:
        first = folds[0]
        raise DataInputError(
            Problem(
                file,
                f"{first['written']} ({first['kind']}) is listed beside {first['province']}, and "
                f"the rows cannot be added up: column '{blocked[0]}' "
                f"(unit {spec.unit(blocked[0]) or 'none'}) is not a count; write one row for "
                f"{first['province']} including {first['written']}",
                row=first["row"],
                column=first["column"],
                value=first["written"],
            )
        )
    groups = []
    for _, group in typed.groupby(key, sort=False, dropna=False):
        if len(group) == 1:
            groups.append(group)
            continue
        merged = group.iloc[[0]].copy()
        for column in values:
            merged[column] = group[column].sum(min_count=1)
        merged["source_id"] = "；".join(dict.fromkeys(group["source_id"].dropna()))
        merged["source_doc"] = "；".join(dict.fromkeys(group["source_doc"].dropna()))
        merged["inferred"] = bool(group["inferred"].any())
        notes = list(dict.fromkeys(group["note"].dropna()))
        merged["note"] = "；".join(notes) if notes else pd.NA
        groups.append(merged)
    return pd.concat(groups).astype(typed.dtypes.to_dict())


def _non_finite(frame: pd.DataFrame, spec: TableSpec, file: str) -> list[Problem]:
    """Numbers that are not finite (inf, -Infinity, nan, 1e999): pandas reads them as floats,
    so no range check would name them."""
    problems = []
    for column, rule in spec.all_columns.items():
        if column not in frame or rule.get("type") not in {"int", "float"}:
            continue
        text = frame[column].astype("string").str.strip()
        numbers = pd.to_numeric(text.str.replace(",", ""), errors="coerce")
        named = text.str.fullmatch(NON_FINITE, case=False).fillna(False)
        for row, value in text[named | numbers.isin([np.inf, -np.inf])].items():
            problems.append(Problem(file, "not a finite number", row, column, value))
    return problems


def validate_frame(frame: pd.DataFrame, spec: TableSpec, file: str) -> pd.DataFrame:
    """Text cells -> typed, validated table, or DataInputError listing every problem. Rows
    written as a 计划单列市 or 新疆生产建设兵团 are folded into their province (attrs["folds"])."""
    import pandera.pandas as pa  # here: a step that validates nothing need not load it

    frame, folds = _fold_rows(frame.copy(), spec, file)  # before names are normalised
    non_finite = _non_finite(frame, spec, file)
    frame = _prepare_text(frame, spec, file)
    try:
        if folds:  # keys may repeat until the folded rows are merged
            loose = build_schema(spec, unique_key=False)
            typed = _merge_folded(loose.validate(frame, lazy=True), spec, file, folds)
        typed = build_schema(spec).validate(typed if folds else frame, lazy=True)
    except pa.errors.SchemaErrors as error:
        named = {(p.row, p.column) for p in non_finite}  # not again as out of range
        found = [p for p in _describe_failures(error, spec, file) if (p.row, p.column) not in named]
        raise DataInputError(non_finite + found) from None
    if non_finite:
        raise DataInputError(non_finite)
    typed.attrs["folds"] = folds
    problems = check_required(typed, spec, file) + check_periods(typed, spec, file)
    problems += check_totals(typed, spec, file)
    if problems:
        raise DataInputError(problems)
    return typed


def frame_attrs(spec: TableSpec, frame: pd.DataFrame) -> dict:
    """The attrs of a loaded table: table, title, population, as_of, document, document_en,
    source_ids, synthetic (from the document), origin ("firm-level" or "published"), and for
    firm-level tables data_folder and fingerprint (else ""); firm_level = origin is firm-level."""
    document = spec.document
    firm_level = str(document.get("id", "")) == FIRM_LEVEL_DOCUMENT
    return {
        "table": spec.name,
        "title": spec.title,
        "population": spec.population,
        "as_of": spec.as_of,
        "document": document.get("title", ""),
        "document_en": document.get("title_en", ""),
        "source_ids": sorted(set(frame["source_id"].dropna())),
        "synthetic": bool(document.get("synthetic", False)),
        "origin": FIRM_LEVEL_DOCUMENT if firm_level else "published",
        "firm_level": firm_level,
        "data_folder": str(document.get("folder", "")) if firm_level else "",
        "fingerprint": str(document.get("fingerprint", "")) if firm_level else "",
    }


def _header_only(path: Path) -> pd.DataFrame | None:
    """An empty table with the header's columns when a CSV file has a header and no rows."""
    if path.suffix.lower() != ".csv" or not path.exists():
        return None
    lines = [line for line in path.read_text(encoding="utf-8-sig").splitlines() if line.strip()]
    if len(lines) != 1:
        return None
    header = [name.strip() for name in next(csv.reader([lines[0]]))]
    return pd.DataFrame(columns=header, dtype=object)


def _read(spec: TableSpec, path: Path) -> pd.DataFrame:
    """The table's text cells. A firm-level aggregate may have no rows (no city with enough
    firms); a published table without rows is an error. Text the firm-level step neutralised
    for spreadsheets (helpers.firmlevel.tables.table_bytes: '=HYPERLINK(…)) reads back as the
    firms gave it."""
    if str(spec.document.get("id", "")) == FIRM_LEVEL_DOCUMENT:
        empty = _header_only(path)
        if empty is not None:
            return empty
        return read_table_text(path).map(restore_text)
    return read_table_text(path)


@functools.cache
def _load_validated(name: str, published_dir: Path, stamp: tuple) -> pd.DataFrame:
    spec = table_spec(name, published_dir)
    path = Path(published_dir) / spec.file
    frame = validate_frame(_read(spec, path), spec, display_path(path))
    frame.attrs.update(frame_attrs(spec, frame), folds=frame.attrs.get("folds", []))
    return frame


def load_published(name: str, published_dir: Path = PUBLISHED_DIR) -> pd.DataFrame:
    """A validated published table (a copy; callers may modify it). Index = row line in the file."""
    published_dir = Path(published_dir)
    spec = table_spec(name, published_dir)
    stamp = _stamp([*_catalog_paths(published_dir), published_dir / spec.file])
    frame = _load_validated(name, published_dir, stamp)
    copy = frame.copy()
    copy.attrs = dict(frame.attrs)
    return copy


def validate_all(published_dir: Path = PUBLISHED_DIR) -> dict[str, int]:
    """Validate every catalogued table; all problems of all tables in one error. Returns row counts."""
    problems: list[Problem] = []
    counts = {}
    for name in load_catalog(Path(published_dir)):
        try:
            counts[name] = len(load_published(name, published_dir))
        except DataInputError as error:
            problems.extend(error.problems)
    if problems:
        raise DataInputError(problems)
    return counts
