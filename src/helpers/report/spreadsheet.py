"""Tables for download, written once per table by a chapter (save_table_files):

* `tables/<stem>.csv`: the data under its stable machine names (UTF-8 with BOM), integers
  written as integers even where a cell is empty (pandas and Excel read `reviewed` as a count,
  not as 155.0); the published edition's copy gets headers in the edition's language
  (helpers.workflow.datapackage, from the description below);
* `tables/<stem>.xlsx`: a report table: headers in the edition's language, shares in percent
  and counts with separators at the edition's decimals (helpers.report.format's units), money
  with its unit in the header, widths fitted to the text (East-Asian wide characters count
  double: wcwidth), the header row frozen, and a second sheet with the title, source, each
  column's unit and description and the notes;
* `statistics/<stem>.table.json`: that description (TableAbout), from which the edition's
  datapackage.json is written at publish.

Text a spreadsheet would run as a formula is neutralised first (helpers.data.tableio, the one
implementation, shared with the firm-level tables). XLSX is written with XlsxWriter: its own
document properties fix the document date and its in-memory mode writes every zip entry with
a fixed date, so the same table gives the same bytes without our rewriting the zip."""

from __future__ import annotations

import json
import math
import re
from dataclasses import asdict, dataclass, field
from datetime import UTC, datetime
from pathlib import Path

import pandas as pd

from helpers.data.tableio import neutralise_formulas
from helpers.report.format import COUNT, RANK, UNITS, YEAR, Kind, unit_label
from helpers.report.labels import label

# The document date every XLSX carries (a build's bytes must not depend on the day it ran).
FIXED_DATE = datetime(2000, 1, 1, tzinfo=UTC)
SOURCE_COLUMN = "data_source"  # every row's source line: in the CSV; the XLSX says it once
DESCRIPTION_SUFFIX = ".table.json"
# Kinds whose values are whole numbers: written and declared as integers.
WHOLE_KINDS = (COUNT, RANK, YEAR)
MAX_WIDTH = 60  # characters (a wide one counts two); longer text wraps in its cell


@dataclass
class ColumnAbout:
    """One column: its stable `name`, its `title` (the header in the edition's language), its
    Frictionless `type` (string, integer, number, boolean), its catalogue `unit` (share, 家,
    亿元; '' for none), the unit's words and a description, both in the edition's language."""

    name: str
    title: str
    type: str
    unit: str = ""
    unit_words: str = ""
    description: str = ""
    signed: bool = False  # a change: shown with its sign (+55, -3)


@dataclass
class TableAbout:
    """What a downloaded table is: title, source line, notes, columns (in the edition's
    language), and the language itself."""

    language: str
    title: str
    source: str
    columns: list[ColumnAbout]
    notes: list[str] = field(default_factory=list)

    def to_json(self) -> str:
        return json.dumps(asdict(self), ensure_ascii=False, indent=1, sort_keys=True) + "\n"

    @classmethod
    def from_json(cls, text: str) -> TableAbout:
        data = json.loads(text)
        data["columns"] = [ColumnAbout(**column) for column in data["columns"]]
        return cls(**data)


def description_path(folder: Path, stem: str) -> Path:
    """Where the description of tables/<stem>.csv is staged (statistics/, never published)."""
    return Path(folder).parent / "statistics" / f"{stem}{DESCRIPTION_SUFFIX}"


def kind_of(unit: str | None) -> Kind | None:
    return UNITS[unit][0] if unit in UNITS else None


def column_type(values: pd.Series, unit: str | None) -> str:
    """The Frictionless type of a column: booleans; integers for whole-number units (counts,
    ranks, years) and for integer columns, also where some cells are empty; other numbers;
    text otherwise."""
    present = values.dropna()
    if pd.api.types.is_bool_dtype(values) or (
        len(present) and all(isinstance(v, bool) for v in present)
    ):
        return "boolean"
    if pd.api.types.is_numeric_dtype(values):
        whole = all(float(v).is_integer() for v in present)
        if pd.api.types.is_integer_dtype(values) or (whole and kind_of(unit) in WHOLE_KINDS):
            return "integer"
        if whole and unit is None and values.isna().any() and len(present):
            return "integer"  # a count with an empty cell, read as float by pandas
        return "number"
    return "string"


def typed(frame: pd.DataFrame, about: TableAbout) -> pd.DataFrame:
    """The frame with each column in the pandas type its description declares (nullable
    integers and booleans), so the CSV writes 155, not 155.0."""
    frame = frame.copy()
    for column in about.columns:
        if column.type == "integer":
            frame[column.name] = frame[column.name].astype("Int64")
        elif column.type == "boolean":
            frame[column.name] = frame[column.name].astype("boolean")
    return frame


def describe(
    frame: pd.DataFrame,
    *,
    language: str,
    titles: dict[str, str],
    units: dict[str, str],
    title: str,
    source: str,
    notes: list[str] | tuple[str, ...] = (),
    signed: tuple[str, ...] = (),
) -> TableAbout:
    """The description of `frame`: each column's header (`titles`, else its name), type and
    unit; money's unit goes into its header when the header does not say it already."""

    def t(key: str, **values) -> str:
        return label(f"spreadsheet.{key}", language, **values)

    columns = []
    seen: set[str] = set()
    for name in frame.columns:
        unit = units.get(name) if units.get(name) in UNITS else header_unit(frame[name], name)
        header = titles.get(name, str(name))
        words = unit_label(unit, language) if unit else ""
        kind = kind_of(unit)
        if kind is not None and kind.yuan and words.lower() not in header.lower():
            header = t("header_with_unit", header=header, unit=words)
        if header in seen:  # two columns under one header: the second is 表头（2）
            number = 2
            while t("header_with_unit", header=header, unit=number) in seen:
                number += 1
            header = t("header_with_unit", header=header, unit=number)
        seen.add(header)
        kind_type = column_type(frame[name], unit)
        if kind is not None and kind.scale == 2:
            description = t("description.share", header=header)
        elif unit and unit != "number" and words.lower() not in header.lower():
            description = t("description.unit", header=header, unit=words)
        elif name == SOURCE_COLUMN:
            description = t("description.source")
        else:
            description = t("description.plain", header=header)
        columns.append(
            ColumnAbout(
                name=str(name),
                title=header,
                type=kind_type,
                unit=unit or "",
                unit_words=words,
                description=description,
                signed=name in signed,
            )
        )
    return TableAbout(language, title, source, columns, list(notes))


def header_unit(values: pd.Series, name: str) -> str | None:
    """The unit a numeric column's Chinese header names at its end (融资金额（亿元） → 亿元,
    融资笔数（笔） → 笔), for a column the chapter gave no unit; None otherwise."""
    if pd.api.types.is_bool_dtype(values) or not pd.api.types.is_numeric_dtype(values):
        return None
    try:
        header = label(f"columns.{name}", "zh")
    except KeyError:
        return None
    found = re.search(r"（([^（）]+)）$", header)
    return found.group(1) if found and found.group(1) in UNITS else None


def save_table_files(frame: pd.DataFrame, folder: Path, stem: str, about: TableAbout) -> None:
    """`stem`.csv and `stem`.xlsx in folder and the table's description, formulas neutralised."""
    folder = Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    safe = typed(neutralise_formulas(frame), about)
    safe.to_csv(folder / f"{stem}.csv", index=False, encoding="utf-8-sig", lineterminator="\n")
    write_xlsx(safe, folder / f"{stem}.xlsx", about)
    described = description_path(folder, stem)
    described.parent.mkdir(parents=True, exist_ok=True)
    described.write_text(about.to_json(), encoding="utf-8")


def number_format(unit: str, signed: bool = False) -> str | None:
    """The Excel number format of a unit, at the decimals the edition shows it with
    (helpers.report.format): share → 0.0%, 家 → #,##0, 亿元 → #,##0.00; None for text."""
    kind = kind_of(unit)
    if kind is None or unit == "number":
        return None  # General: the figure as it is (1.6, 0.25)
    decimals = "." + "0" * kind.decimals if kind.decimals else ""
    digits = ("#,##0" if kind.grouping else "0") + decimals
    if kind.scale == 2:
        digits += "%"
    if signed:
        return f"+{digits};-{digits};{digits}"
    return digits


def text_width(text: str) -> int:
    """Columns a text takes on screen: East-Asian wide characters count two (wcwidth)."""
    from wcwidth import wcswidth

    width = wcswidth(text)
    return width if width >= 0 else len(text)  # a control character: count characters


def shown_text(value, unit: str | None) -> str:
    """Roughly what a cell shows, to fit its column's width."""
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return ""
    if isinstance(value, bool) or not isinstance(value, int | float):
        return str(value)
    kind = kind_of(unit)
    if kind is not None and kind.scale == 2:
        return f"{value * 100:,.{kind.decimals}f}%"
    decimals = kind.decimals if kind is not None else (0 if float(value).is_integer() else 4)
    return f"{value:,.{decimals}f}"


def _cell(value):
    """A frame cell as XlsxWriter writes it: numbers as numbers, missing as empty."""
    if value is None or value is pd.NA or (isinstance(value, float) and math.isnan(value)):
        return None
    return value.item() if hasattr(value, "item") else value


def write_xlsx(frame: pd.DataFrame, path: Path, about: TableAbout) -> None:
    """The report table as XLSX (see the module's note); the same table gives the same bytes."""
    import xlsxwriter

    def t(key: str, **values) -> str:
        return label(f"spreadsheet.{key}", about.language, **values)

    columns = [c for c in about.columns if c.name != SOURCE_COLUMN]
    workbook = xlsxwriter.Workbook(str(path), {"in_memory": True})
    # The writer's own document properties: a fixed date (also its zip entries'), no user name.
    workbook.set_properties(
        {"title": about.title, "created": FIXED_DATE.replace(tzinfo=None), "author": ""}
    )
    header_format = workbook.add_format({"bold": True, "text_wrap": True, "valign": "top"})
    wrap = workbook.add_format({"text_wrap": True, "valign": "top"})
    data = workbook.add_worksheet(t("sheet.data"))
    for index, column in enumerate(columns):
        data.write_string(0, index, column.title, header_format)
        code = number_format(column.unit, column.signed) if column.unit else None
        if code is None and column.type == "integer":  # as the HTML table shows them (项)
            code = number_format("年" if "year" in column.name else "项", column.signed)
        cell_format = workbook.add_format({"num_format": code}) if code else None
        values = frame[column.name].tolist()
        for row, value in enumerate(values, start=1):
            value = _cell(value)
            if value is None:
                continue
            if isinstance(value, bool):
                data.write_boolean(row, index, value)
            elif isinstance(value, int | float):
                data.write_number(row, index, value, cell_format)
            else:
                data.write_string(row, index, str(value))
        widths = [text_width(column.title)] + [
            text_width(shown_text(_cell(v), column.unit or None)) for v in values
        ]
        width = min(max(widths) + 2, MAX_WIDTH)
        data.set_column(index, index, width, wrap if max(widths) + 2 > MAX_WIDTH else None)
    data.freeze_panes(1, 0)
    if columns:
        data.autofilter(0, 0, max(len(frame), 1), len(columns) - 1)

    sheet = workbook.add_worksheet(t("sheet.about"))
    rows = [
        (t("about.title"), about.title),
        (t("about.source"), about.source),
        *((t("about.note"), note) for note in about.notes),
    ]
    for row, (name, text) in enumerate(rows):
        sheet.write_string(row, 0, name, header_format)
        sheet.write_string(row, 1, text, wrap)
    top = len(rows) + 1
    for index, heading in enumerate((t("about.column"), t("about.unit"), t("about.description"))):
        sheet.write_string(top, index, heading, header_format)
    for row, column in enumerate(columns, start=top + 1):
        sheet.write_string(row, 0, column.title)
        sheet.write_string(row, 1, column.unit_words)
        sheet.write_string(row, 2, column.description, wrap)
    first = [text_width(name) for name, _ in rows] + [text_width(c.title) for c in columns]
    sheet.set_column(0, 0, min(max(first) + 2, MAX_WIDTH))
    sheet.set_column(1, 1, MAX_WIDTH, wrap)
    sheet.set_column(2, 2, MAX_WIDTH, wrap)
    workbook.close()
