"""Reading analysts' tables: CSV in UTF-8, UTF-8 with BOM or GBK/GB18030 (what Chinese Excel
writes), and XLSX. Everything is read as text first so that type errors can name their cell."""

from __future__ import annotations

import csv
import io
import zipfile
from pathlib import Path

import pandas as pd

from helpers.data.encoding import CSV_ENCODINGS, decode_bytes  # noqa: F401 (re-exported)
from helpers.data.errors import DataInputError, Problem
from helpers.paths import display_path


def read_csv_text(path: Path) -> pd.DataFrame:
    """All cells of a CSV file as strings ('' for empty), indexed by the line number in the file.
    Rows with a different number of fields than the header (such as a file cut off mid-row) and
    unterminated quotes are errors naming the row."""
    file = display_path(path)
    text = decode_bytes(path.read_bytes(), file)
    if not text.strip():
        raise DataInputError(
            Problem(file, "the file is empty; expected a header row and data rows")
        )
    reader = csv.reader(io.StringIO(text, newline=""), strict=True)
    records = []
    try:
        for row in reader:
            records.append((reader.line_num, row))
    except csv.Error as error:
        raise DataInputError(
            Problem(file, f"malformed CSV ({error}); the file may be cut off", row=reader.line_num)
        ) from None
    header = [name.strip() for name in records[0][1]]
    last_line = records[-1][0]
    problems = []
    body, lines = [], []
    for line_number, row in records[1:]:
        if not any(cell.strip() for cell in row):
            continue  # blank lines, e.g. a trailing newline written by Excel
        if len(row) != len(header):
            cut = line_number == last_line and not text.endswith(("\n", "\r"))
            hint = "; the file looks cut off mid-row" if cut else ""
            problems.append(
                Problem(
                    file, f"expected {len(header)} fields, found {len(row)}{hint}", row=line_number
                )
            )
            continue
        body.append([cell.strip() for cell in row])
        lines.append(line_number)
    if problems:
        raise DataInputError(problems)
    if not body:
        raise DataInputError(Problem(file, "the file has a header but no data rows"))
    return pd.DataFrame(body, columns=header, index=pd.Index(lines), dtype=object)


def read_xlsx_text(path: Path, sheet: str | int = 0) -> pd.DataFrame:
    """All cells of an XLSX sheet as strings, indexed by the spreadsheet row number."""
    file = display_path(path)
    try:
        frame = pd.read_excel(
            path, sheet_name=sheet, dtype=str, keep_default_na=False, engine="openpyxl"
        )
    except (zipfile.BadZipFile, KeyError, ValueError) as error:
        raise DataInputError(Problem(file, f"cannot read as XLSX ({error})")) from None
    if frame.empty:
        raise DataInputError(Problem(file, "the sheet has no data rows"))
    frame.columns = [str(c).strip() for c in frame.columns]
    frame = frame.map(lambda v: v.strip() if isinstance(v, str) else v)
    frame.index = pd.RangeIndex(2, 2 + len(frame))
    return frame


def read_table_text(path: Path) -> pd.DataFrame:
    """Read a CSV or XLSX file as text cells, indexed by file row number."""
    path = Path(path)
    if not path.exists():
        raise DataInputError(Problem(display_path(path), "file not found"))
    if path.suffix.lower() in {".xlsx", ".xlsm"}:
        return read_xlsx_text(path)
    return read_csv_text(path)


def find_table_file(folder: Path, stem: str) -> Path | None:
    """`stem`.csv or `stem`.xlsx in folder (CSV preferred), or None."""
    for suffix in (".csv", ".xlsx"):
        candidate = Path(folder) / f"{stem}{suffix}"
        if candidate.exists():
            return candidate
    return None
