"""Reading a firm-level input file into DuckDB as text: CSV (UTF-8, UTF-8 with BOM, GBK/GB18030),
XLSX (openpyxl) or Parquet. Every cell becomes text (NULL for empty) so that validation
(helpers.firmlevel.checks) can name the bad cell; `RawTable.row` is the SQL expression of a row's
line in the file (header = line 1). CSV and Parquet cells are given as written (`trimmed` false):
validation trims only the cells that need it.

Headers are mapped to schema columns while loading (helpers.firmlevel.columns): the view or table
selects `"所属省份" AS province`, leaves out the headers that name no column, and keeps the
mapping (`RawTable.column_map`) so that errors name the header as written.

* XLSX exports as they come (`read_xlsx_export`): merged cells take the value of their top-left
  cell; the sheet and its header row are the ones whose cells name the most schema columns (title
  and note rows above the header are skipped; ties: a sheet named like the table, then the first);
  trailing 合计/总计/小计 rows and note rows (注：…, 数据来源：…) are dropped; a number cell in a
  date column is an Excel day number (44260 = 2021-03-05). Rows keep their spreadsheet row
  numbers, and every choice is said in `RawTable.notes`.

* CSV is read by DuckDB directly; no Python pass over the file. When DuckDB finds bytes that are
  not UTF-8, the file is decoded as GB18030 in a stream of chunks and written as UTF-8 to a
  temporary file under build/duckdb/ that DuckDB reads instead (`RawTable.transcoded`); text
  that does not read as Chinese is refused (helpers.data.encoding).
* Line numbers: DuckDB numbers records; in a file with quotes or blank lines (where a record may
  span lines, or lines are skipped) the records' lines are recounted, for the rows reported only.
* A CSV DuckDB refuses (a row with the wrong number of fields, an unterminated quote, an empty
  file) is read again by helpers.data.tableio, whose errors name the row as before.
* A file that is there but cannot be read (a symbolic link that loops or leads nowhere, a folder,
  no read permission) is refused naming it (helpers.data.tableio.unreadable), never taken for
  absent: an edition must not say "no patents" because patents.csv could not be opened.
"""

from __future__ import annotations

import codecs
import csv
import datetime as dt
import io
import os
import shutil
import zipfile
from dataclasses import dataclass, field
from pathlib import Path

import duckdb
import openpyxl
import pandas as pd
from openpyxl.utils.datetime import from_excel
from openpyxl.utils.exceptions import InvalidFileException

from helpers.data.encoding import UNDECODABLE, mixed_encoding, mojibake_problem, not_chinese
from helpers.data.errors import DataInputError, Problem
from helpers.data.tableio import read_csv_text, shown_file, unreadable
from helpers.firmlevel import columns as column_names
from helpers.firmlevel.columns import ColumnMap, Matcher
from helpers.firmlevel.engine import literal, quote, scratch_dir

SUFFIXES = (".csv", ".xlsx", ".parquet")
CHUNK = 1 << 24
HEAD_BYTES = 1 << 16  # enough for the header row
# What Python's str.strip() removes that matters in spreadsheets (ideographic space included).
WHITESPACE = " \t\r\n\x0b\x0c\xa0\u3000"
# Rows of a sheet searched for the header row (title and note rows above it).
HEADER_SCAN_ROWS = 30
TOTAL_WORDS = ("合计", "总计", "小计")
# Excel day numbers of 1900-01-01 and 9999-12-31: a number cell of a date column in this range
# is a date formatted as General.
EXCEL_FIRST_DAY, EXCEL_LAST_DAY = 1, 2958465
NOTE_PREFIXES = ("注", "说明", "备注", "数据来源", "来源", "资料来源", "导出时间")
# Words of a sheet name that say which table it holds (a tie-break between sheets).
SHEET_WORDS = {
    "firms": ("firms", "企业", "名单"),
    "patents": ("patents", "专利"),
    "patent_records": ("patent", "专利"),
    "listings": ("listings", "上市", "挂牌"),
}


@dataclass
class RawTable:
    """An input file loaded into DuckDB table `table` as text columns."""

    table: str
    file: str
    columns: list[str]
    row: str | None = None  # None: the record's position (rowid of the typed table) + 2
    utf8_path: Path | None = None  # where line numbers can be recounted
    path: Path | None = None  # the CSV itself, read again by helpers.data.tableio on errors
    recount: bool | None = False  # None: not known yet (looked up when a row is reported)
    scratch: list[Path] = field(default_factory=list)
    trimmed: bool = False  # cells trimmed and '' -> NULL already (XLSX)
    utf8_unchecked: bool = False  # a CSV read as UTF-8 that DuckDB may find is not
    column_map: ColumnMap | None = None  # headers as written -> schema columns
    notes: list[str] = field(default_factory=list)  # what was ignored or chosen, one line each

    def lines(self, rows) -> dict[int, int]:
        """Line in the file of each reported row (rowid + 2) of a CSV with quotes or blank lines:
        the line its record ends on, as helpers.data.tableio counts."""
        rows = {int(r) for r in rows}
        if rows and self.recount is None and self.utf8_path is not None:
            self.recount = _quotes_or_blank_lines(self.utf8_path)
        if not self.recount or not rows or self.utf8_path is None:
            return {r: r for r in rows}
        found, index = {}, 1
        with open(self.utf8_path, encoding="utf-8-sig", newline="") as handle:
            reader = csv.reader(handle)
            next(reader, None)
            for record in reader:
                if not record:
                    continue  # DuckDB skips empty lines
                index += 1
                if index in rows:
                    found[index] = reader.line_num
        return {r: found.get(r, r) for r in rows}

    def transcoded(self, con) -> RawTable:
        """The CSV decoded as GB18030 into a UTF-8 copy, as a view (DataInputError when it is
        not Chinese text or does not decode)."""
        self.drop(con)
        return _load_csv(con, self.path, self.table, self.file, self._matcher(), transcode=True)

    def reread(self, con) -> RawTable:
        """The CSV read by helpers.data.tableio instead (DataInputError naming the row of a
        malformed or empty file), as a table."""
        self.drop(con)
        frame = read_csv_text(self.path)
        self.cleanup()
        return _load_frame(con, frame, self.table, self.file, self._matcher())

    def _matcher(self) -> Matcher | None:
        return self.column_map.matcher if self.column_map is not None else None

    def shown(self, column: str) -> str:
        """A schema column as errors name it: the header as written, with its schema name."""
        return self.column_map.shown(column) if self.column_map is not None else column

    def drop(self, con) -> None:
        """Drop the view (CSV, Parquet) or table (XLSX) of the text cells."""
        for kind in ("VIEW", "TABLE"):
            try:
                con.execute(f"DROP {kind} IF EXISTS {self.table}")
            except duckdb.Error:
                continue

    def cleanup(self) -> None:
        for path in self.scratch:
            shutil.rmtree(path, ignore_errors=True)


def find_input_file(folder: Path, stem: str) -> Path | None:
    """`stem`.csv, .xlsx or .parquet in folder (in that order of preference), or None. A name
    that is there but cannot be read (a broken symbolic link, a folder) is found all the same:
    the reader refuses it (helpers.data.tableio.unreadable) rather than take it for absent."""
    for suffix in SUFFIXES:
        candidate = Path(folder) / f"{stem}{suffix}"
        if os.path.lexists(candidate):
            return candidate
    return None


def trim_text(expression: str) -> str:
    """Trimmed text, NULL when empty (trimming only cells that start or end with whitespace:
    DuckDB's trim with a character set is several times slower than the test)."""
    codes = ", ".join(str(ord(c)) for c in WHITESPACE)
    trimmed = f"trim({expression}, {literal(WHITESPACE)})"
    edge = f"ord({expression}) IN ({codes}) OR ord(({expression})[-1]) IN ({codes})"
    return f"nullif(CASE WHEN {edge} THEN {trimmed} ELSE {expression} END, '')"


def default_matcher(path: Path) -> Matcher | None:
    """The header matcher of a file named like a schema table (firms.csv -> firms, with the
    folder's columns.yml); None for other names (headers taken as written)."""
    stem = Path(path).stem
    if stem not in column_names.schema_columns():
        return None
    return column_names.matcher(Path(path).parent, stem)


def load(
    con: duckdb.DuckDBPyConnection, path: Path, table: str, matcher: Matcher | None = None
) -> RawTable:
    """Load one input file into DuckDB table `table`, its headers mapped to schema columns by
    `matcher` (default: by the file's name, see default_matcher); DataInputError naming the file
    (and row) when it cannot be read."""
    path = Path(path)
    file = shown_file(path)
    problem = unreadable(path)
    if problem is not None:
        raise DataInputError(problem)
    matcher = matcher if matcher is not None else default_matcher(path)
    suffix = path.suffix.lower()
    if suffix in {".xlsx", ".xlsm"}:
        frame, notes = read_xlsx_export(path, matcher)
        return _load_frame(con, frame, table, file, matcher, notes)
    if suffix == ".parquet":
        return _load_parquet(con, path, table, file, matcher)
    return _load_csv(con, path, table, file, matcher)


def _mapped(headers: list[str], matcher: Matcher | None, file: str):
    """([(position, schema column)], ColumnMap or None) of a file's headers; without a matcher
    every header is its own column."""
    if matcher is None:
        return list(enumerate(headers)), None
    column_map = matcher.resolve(headers, file)
    return sorted(column_map.positions.items()), column_map


def _load_frame(
    con, frame: pd.DataFrame, table: str, file: str, matcher=None, notes=()
) -> RawTable:
    """A text frame indexed by line number (helpers.data.tableio) as a DuckDB table."""
    headers = [str(c) for c in frame.columns]
    chosen, column_map = _mapped(headers, matcher, file)
    data = pd.DataFrame({f"c{i}": frame.iloc[:, i].astype(object) for i, _ in chosen}, dtype=object)
    data["_row"] = frame.index.to_numpy()
    selected = "".join(f", {trim_text(f'CAST(c{i} AS VARCHAR)')} AS {quote(c)}" for i, c in chosen)
    # A cursor of its own: registering a frame on `con` is refused while a result of an earlier
    # query (another file's validation) is still open on it (ResourceInUseException).
    with con.cursor() as cursor:
        cursor.register("_frame", data)
        cursor.execute(f"CREATE OR REPLACE TABLE {table} AS SELECT _row{selected} FROM _frame")
        cursor.unregister("_frame")
    return RawTable(
        table,
        file,
        [c for _, c in chosen],
        row="r._row",
        trimmed=True,
        column_map=column_map,
        notes=[*notes, *(column_map.notes() if column_map else [])],
    )


def _cell_text(value) -> str:
    """A spreadsheet cell as text: dates as 2021-03-05, whole numbers without `.0`."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, dt.datetime):
        return value.date().isoformat() if value.time() == dt.time() else value.isoformat(" ")
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value).strip(WHITESPACE)


def _sheet_rows(sheet) -> list[list[str]]:
    """Every row of a sheet as text, merged cells filled with their top-left value."""
    rows = [[_cell_text(v) for v in row] for row in sheet.iter_rows(values_only=True)]
    for merged in sheet.merged_cells.ranges:
        value = _cell_text(sheet.cell(merged.min_row, merged.min_col).value)
        for r in range(merged.min_row, min(merged.max_row, len(rows)) + 1):
            row = rows[r - 1]
            for c in range(merged.min_col, min(merged.max_col, len(row)) + 1):
                row[c - 1] = value
    return rows


def _header_row(rows: list[list[str]], matcher: Matcher | None) -> tuple[int, int]:
    """(score, index) of the row among the first HEADER_SCAN_ROWS naming the most schema
    columns (the first of equals); (0, 0) without a matcher."""
    if matcher is None:
        return 0, 0
    best = (0, 0)
    for index, row in enumerate(rows[:HEADER_SCAN_ROWS]):
        score = matcher.score(row)
        if score > best[0]:
            best = (score, index)
    return best


def _trailer(row: list[str]) -> bool:
    """A total row (合计 in one of its first cells) or a note row (one cell, 注：… / 数据来源：…)."""
    filled = [cell for cell in row if cell]
    if any(cell.replace(" ", "").startswith(TOTAL_WORDS) for cell in filled[:3]):
        return True
    return len(filled) == 1 and filled[0].startswith(NOTE_PREFIXES)


def _serial_dates(sheet, header, body, matcher, epoch, file: str) -> list[str]:
    """Number cells of the date columns (Excel day numbers: a date cell formatted as General,
    44260 = 2021-03-05) as dates, in place in `body`; a note per column that had any. Numbers
    beyond the last Excel date (20210305) are left for the date forms of
    helpers.firmlevel.columns."""
    if matcher is None:
        return []
    dates = [
        (position, name)
        for position, name in enumerate(header)
        if matcher.rules.get(matcher.column(name) or "", {}).get("type") == "date"
    ]
    notes = []
    for position, name in dates:
        count = 0
        for number, row in body:
            value = sheet.cell(number, position + 1).value
            number_cell = isinstance(value, int | float) and not isinstance(value, bool)
            if number_cell and EXCEL_FIRST_DAY <= value <= EXCEL_LAST_DAY:
                row[position] = _cell_text(from_excel(value, epoch))
                count += 1
        if count:
            notes.append(f"{file}: column '{name}': {count} Excel day number(s) read as dates")
    return notes


def read_xlsx_export(path: Path, matcher: Matcher | None) -> tuple[pd.DataFrame, list[str]]:
    """(text frame indexed by spreadsheet row, notes) of the sheet of an XLSX export that holds
    the table (see the module docstring); DataInputError naming the file when it cannot be read
    or holds no data rows."""
    file = shown_file(path)
    try:
        # Not read-only: read-only worksheets do not know their merged cells.
        book = openpyxl.load_workbook(path, data_only=True)
    except (zipfile.BadZipFile, KeyError, ValueError, InvalidFileException) as error:
        raise DataInputError(Problem(file, f"cannot read as XLSX ({error})")) from None
    words = SHEET_WORDS.get(matcher.table, ()) if matcher is not None else ()
    candidates = []
    for order, sheet in enumerate(book.worksheets):
        rows = _sheet_rows(sheet)
        score, index = _header_row(rows, matcher)
        named = any(w in column_names.normalise(sheet.title) for w in words)
        candidates.append(((-score, not named, order), sheet, rows, index))
    _, sheet, rows, index = min(candidates, key=lambda c: c[0])
    notes = []
    if len(book.worksheets) > 1:
        titles = ", ".join(s.title for s in book.worksheets)
        notes.append(f"{file}: sheet '{sheet.title}' used (sheets: {titles})")
    if not rows:
        raise DataInputError(Problem(file, "the sheet has no data rows"))
    # Data start below the header and below any merged header cell reaching under it.
    start = max(
        [index + 1]
        + [m.max_row for m in sheet.merged_cells.ranges if m.min_row <= index + 1 <= m.max_row]
    )
    if index:
        notes.append(f"{file}: header on row {index + 1}; rows 1–{index} above it skipped")
    width = len(rows[index])
    body = [(number, row) for number, row in enumerate(rows[start:], start + 1) if any(row)]
    while body and _trailer(body[-1][1]):
        number, row = body.pop()
        text = " ".join(cell for cell in row if cell)
        notes.append(f"{file}: row {number} dropped ({text[:40]})")
    if not body:
        raise DataInputError(Problem(file, "the sheet has no data rows"))
    notes += _serial_dates(sheet, rows[index], body, matcher, book.epoch, file)
    frame = pd.DataFrame(
        [row[:width] + [""] * (width - len(row)) for _, row in body],
        columns=rows[index],
        index=pd.Index([number for number, _ in body]),
        dtype=object,
    )
    return frame, notes


def _load_parquet(con, path: Path, table: str, file: str, matcher=None) -> RawTable:
    try:
        schema = con.execute(f"DESCRIBE SELECT * FROM read_parquet({literal(path)})").fetchall()
    except duckdb.Error as error:
        raise DataInputError(Problem(file, f"cannot read as Parquet ({error})")) from None
    chosen, column_map = _mapped([name for name, *_ in schema], matcher, file)
    selected = []
    for position, column in chosen:
        name, kind, *_ = schema[position]
        value = quote(name)
        if kind in {"FLOAT", "DOUBLE"}:  # an int column with gaps, written by pandas
            value = (
                f"CASE WHEN {value} = trunc({value}) AND abs({value}) < 1e18 "
                f"THEN CAST(CAST({value} AS BIGINT) AS VARCHAR) ELSE CAST({value} AS VARCHAR) END"
            )
        selected.append(f", CAST({value} AS VARCHAR) AS {quote(column)}")
    con.execute(
        f"CREATE OR REPLACE VIEW {table} AS SELECT file_row_number + 2 AS _row"
        f"{''.join(selected)} FROM read_parquet({literal(path)}, file_row_number = true)"
    )
    return RawTable(
        table,
        file,
        [c for _, c in chosen],
        row="r._row",
        column_map=column_map,
        notes=column_map.notes() if column_map else [],
    )


def not_utf8(error: Exception) -> bool:
    """Whether a DuckDB error says the CSV is not UTF-8."""
    return "Invalid unicode" in str(error)


def _quotes_or_blank_lines(path: Path) -> bool:
    """Whether a UTF-8 file has quotes or blank lines (its records' lines must be recounted)."""
    tail = b""
    with open(path, "rb") as handle:
        while chunk := handle.read(CHUNK):
            window = tail + chunk
            if b'"' in chunk or b"\n\n" in window or b"\n\r\n" in window:
                return True
            tail = chunk[-2:]
    return False


def _mixed(path: Path, file: str) -> Problem | None:
    """The first row of a CSV not in the encoding of the rows above (helpers.data.encoding),
    read line by line."""
    with open(path, "rb") as handle:
        return mixed_encoding(file, handle)


def _transcode(path: Path, file: str) -> tuple[Path, bool, str, bool]:
    """(UTF-8 copy, whether it has quotes or blank lines, its first chunk of text, whether a
    UTF-8 byte-order mark stood in front of the GBK text) of a file decoded as GB18030 chunk by
    chunk. DataInputError naming the first row that is not GBK, or not in the encoding of the
    rows above it (UTF-8 rows, then GBK ones)."""
    folder = scratch_dir()
    target = folder / "utf8.csv"
    gb = codecs.getincrementaldecoder("gb18030")()
    lines, recount, first = 0, False, None
    try:
        with open(path, "rb") as source, open(target, "w", encoding="utf-8") as out:
            bom = source.read(len(codecs.BOM_UTF8)) == codecs.BOM_UTF8
            source.seek(len(codecs.BOM_UTF8) if bom else 0)
            while chunk := source.read(CHUNK):
                text = gb.decode(chunk)
                found = not_chinese(text)
                if found is not None:
                    problem = _mixed(path, file) or mojibake_problem(file, text, found, lines)
                    raise DataInputError(problem)
                first = text if first is None else first
                lines += text.count("\n")
                recount = recount or '"' in text or "\n\n" in text or "\n\r\n" in text
                out.write(text)
            gb.decode(b"", final=True)
    except UnicodeDecodeError:
        shutil.rmtree(folder, ignore_errors=True)
        raise DataInputError(_mixed(path, file) or Problem(file, UNDECODABLE)) from None
    except DataInputError:
        shutil.rmtree(folder, ignore_errors=True)
        raise
    return target, recount, first or "", bom


def _head(path: Path) -> str | None:
    """The first bytes of a file as UTF-8 text (BOM removed), None when they are not UTF-8."""
    with open(path, "rb") as handle:
        head = handle.read(HEAD_BYTES)
    try:
        return codecs.getincrementaldecoder("utf-8-sig")().decode(head)
    except UnicodeDecodeError:
        return None


def _load_csv(
    con, path: Path, table: str, file: str, matcher=None, transcode: bool = False
) -> RawTable:
    first = None if transcode else _head(path)
    notes = []
    if first is None:  # not UTF-8 (DuckDB said so, or the header shows it)
        utf8_path, recount, first, bom = _transcode(path, file)
        source, scratch = utf8_path, [utf8_path.parent]
        if bom:
            notes.append(f"{file}: read as GBK; the UTF-8 byte-order mark in front of it ignored")
    else:
        source, recount, scratch = path, None, []
    header = next(csv.reader(io.StringIO(first.lstrip("\ufeff"), newline="")), None)
    headers = [name.strip() for name in header or []]
    if not headers:
        read_csv_text(path)  # raises the error of an empty file
    chosen, column_map = _mapped(headers, matcher, file)
    fields = "{" + ", ".join(f"{literal(f'c{i}')}: 'VARCHAR'" for i in range(len(headers))) + "}"
    # A rename, and the columns the schema does not know left out: no pass over the rows.
    selected = ", ".join(f"c{i} AS {quote(c)}" for i, c in chosen) or "NULL AS _none"
    # A view: the CSV is parsed once, when validation creates the typed table from it.
    con.execute(
        f"CREATE OR REPLACE VIEW {table} AS SELECT {selected} FROM read_csv("
        f"{literal(source)}, header = true, delim = ',', quote = '\"', escape = '\"', "
        f"columns = {fields}, auto_detect = false, strict_mode = true, "
        "null_padding = false, all_varchar = true)"
    )
    return RawTable(
        table,
        file,
        [c for _, c in chosen],
        utf8_path=source,
        recount=recount,
        scratch=scratch,
        path=path,
        utf8_unchecked=source == path,
        column_map=column_map,
        notes=[*notes, *(column_map.notes() if column_map else [])],
    )
