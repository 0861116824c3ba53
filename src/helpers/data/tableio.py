"""Reading analysts' tables: CSV in UTF-8, UTF-8 with BOM or GBK/GB18030 (what Chinese Excel
writes), and XLSX. Everything is read as text first so that type errors can name their cell.

Also the two rules every reader and writer of tables shares: a file that is there but cannot be
read (a symbolic link that loops or leads nowhere, a folder, no read permission) is refused
naming it (`unreadable`), never taken for absent; and text a spreadsheet would run as a formula
(=HYPERLINK(…), +1, -x, @x) is neutralised on writing by a leading apostrophe
(`neutralise_text`, the one implementation the report's downloads and the firm-level tables use),
which `restore_text` removes again when such a table is read back."""

from __future__ import annotations

import csv
import errno
import io
import os
import re
import stat
import zipfile
from pathlib import Path

import pandas as pd

from helpers.data.encoding import CSV_ENCODINGS, decode_bytes  # noqa: F401 (re-exported)
from helpers.data.errors import DataInputError, Problem
from helpers.paths import display_path


def shown_file(path: Path) -> str:
    """A file as errors name it: its folder as helpers.paths.display_path shows it, then its own
    name. A symbolic link is named as given, not by its target (which may loop or not exist)."""
    path = Path(path)
    folder = display_path(path.parent)
    return path.name if folder == "." else f"{folder.rstrip('/')}/{path.name}"


def read_csv_text(path: Path) -> pd.DataFrame:
    """All cells of a CSV file as strings ('' for empty), indexed by the line number in the file.
    Rows with a different number of fields than the header (such as a file cut off mid-row) and
    unterminated quotes are errors naming the row."""
    file = shown_file(path)
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
    file = shown_file(path)
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
    if not os.path.lexists(path):
        raise DataInputError(Problem(shown_file(path), "file not found"))
    problem = unreadable(path)
    if problem is not None:
        raise DataInputError(problem)
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


def unreadable(path: Path) -> Problem | None:
    """Why a path that is there (os.path.lexists) cannot be read as a file, or None when it
    can: a symbolic link that loops or leads nowhere, a folder or other non-file, no read
    permission. Read errors are never taken for an absent file."""
    path = Path(path)
    file = shown_file(path)
    try:
        status = os.stat(path)  # follows symbolic links
    except OSError as error:
        if error.errno == errno.ELOOP:
            problem = "a symbolic link that loops back on itself; replace it by the file"
        elif error.errno == errno.ENOENT and path.is_symlink():
            problem = (
                f"a symbolic link to {os.readlink(path)}, which does not exist; "
                "replace it by the file or remove it"
            )
        else:
            problem = f"cannot be read ({error.strerror}); check the file"
        return Problem(file, problem)
    if stat.S_ISDIR(status.st_mode):
        return Problem(file, "a folder, not a file; give the table as a file of this name")
    if not stat.S_ISREG(status.st_mode):
        return Problem(file, "not a regular file (a pipe or device); give the table as a file")
    try:
        os.close(os.open(path, os.O_RDONLY))
    except OSError as error:
        reason = "no read permission" if error.errno == errno.EACCES else error.strerror
        return Problem(file, f"cannot be read ({reason}); make it readable (chmod a+r)")
    return None


# A text cell starting with one of these is a formula to a spreadsheet (OWASP's list; a tab or
# carriage return starts one in some spreadsheets too).
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
# Apostrophes before a formula start: neutralised values, and values that would read back as one.
_FORMULA_LIKE = re.compile("'*[" + re.escape("".join(FORMULA_STARTS)) + "]")


def neutralise_text(value):
    """A text cell a spreadsheet would run as a formula, with a leading apostrophe (shown as
    text by spreadsheets); other values unchanged. Reversible by restore_text: a value that
    already starts with apostrophes before a formula start gets one more."""
    if isinstance(value, str) and _FORMULA_LIKE.match(value):
        return "'" + value
    return value


def restore_text(value):
    """The value neutralise_text was given, from what it returned."""
    if isinstance(value, str) and value.startswith("'") and _FORMULA_LIKE.match(value, 1):
        return value[1:]
    return value


def neutralise_formulas(frame: pd.DataFrame) -> pd.DataFrame:
    """A copy of `frame` with its text cells neutralised (neutralise_text)."""
    frame = frame.copy()
    for column in frame.columns:
        if frame[column].dtype == object or pd.api.types.is_string_dtype(frame[column]):
            frame[column] = frame[column].map(neutralise_text)
    return frame
