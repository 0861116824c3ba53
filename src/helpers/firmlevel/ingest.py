"""Reading a firm-level input file into DuckDB as text: CSV (UTF-8, UTF-8 with BOM, GBK/GB18030),
XLSX (first sheet, openpyxl) or Parquet. Every cell becomes text (NULL for empty) so that
validation (helpers.firmlevel.checks) can name the bad cell; `RawTable.row` is the SQL expression
of a row's line in the file (header = line 1). CSV and Parquet cells are given as written
(`trimmed` false): validation trims only the cells that need it.

* CSV is read by DuckDB directly; no Python pass over the file. When DuckDB finds bytes that are
  not UTF-8, the file is decoded as GB18030 in a stream of chunks and written as UTF-8 to a
  temporary file under build/duckdb/ that DuckDB reads instead (`RawTable.transcoded`); text
  that does not read as Chinese is refused (helpers.data.encoding).
* Line numbers: DuckDB numbers records; in a file with quotes or blank lines (where a record may
  span lines, or lines are skipped) the records' lines are recounted, for the rows reported only.
* A CSV DuckDB refuses (a row with the wrong number of fields, an unterminated quote, an empty
  file) is read again by helpers.data.tableio, whose errors name the row as before.
"""

from __future__ import annotations

import codecs
import csv
import io
import shutil
from dataclasses import dataclass, field
from pathlib import Path

import duckdb
import pandas as pd

from helpers.data.encoding import UNDECODABLE, mojibake_problem, not_chinese
from helpers.data.errors import DataInputError, Problem
from helpers.data.tableio import read_csv_text, read_xlsx_text
from helpers.firmlevel.engine import literal, quote, scratch_dir
from helpers.paths import display_path

SUFFIXES = (".csv", ".xlsx", ".parquet")
CHUNK = 1 << 24
HEAD_BYTES = 1 << 16  # enough for the header row
# What Python's str.strip() removes that matters in spreadsheets (ideographic space included).
WHITESPACE = " \t\r\n\x0b\x0c\xa0\u3000"


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
        return _load_csv(con, self.path, self.table, self.file, transcode=True)

    def reread(self, con) -> RawTable:
        """The CSV read by helpers.data.tableio instead (DataInputError naming the row of a
        malformed or empty file), as a table."""
        self.drop(con)
        frame = read_csv_text(self.path)
        self.cleanup()
        return _load_frame(con, frame, self.table, self.file)

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
    """`stem`.csv, .xlsx or .parquet in folder (in that order of preference), or None."""
    for suffix in SUFFIXES:
        candidate = Path(folder) / f"{stem}{suffix}"
        if candidate.exists():
            return candidate
    return None


def trim_text(expression: str) -> str:
    """Trimmed text, NULL when empty (trimming only cells that start or end with whitespace:
    DuckDB's trim with a character set is several times slower than the test)."""
    codes = ", ".join(str(ord(c)) for c in WHITESPACE)
    trimmed = f"trim({expression}, {literal(WHITESPACE)})"
    edge = f"ord({expression}) IN ({codes}) OR ord(right({expression}, 1)) IN ({codes})"
    return f"nullif(CASE WHEN {edge} THEN {trimmed} ELSE {expression} END, '')"


def load(con: duckdb.DuckDBPyConnection, path: Path, table: str) -> RawTable:
    """Load one input file into DuckDB table `table`; DataInputError naming the file (and row)
    when it cannot be read."""
    path = Path(path)
    file = display_path(path)
    suffix = path.suffix.lower()
    if suffix in {".xlsx", ".xlsm"}:
        return _load_frame(con, read_xlsx_text(path), table, file)
    if suffix == ".parquet":
        return _load_parquet(con, path, table, file)
    return _load_csv(con, path, table, file)


def _load_frame(con, frame: pd.DataFrame, table: str, file: str) -> RawTable:
    """A text frame indexed by line number (helpers.data.tableio) as a DuckDB table."""
    columns = [str(c) for c in frame.columns]
    data = pd.DataFrame(
        {f"c{i}": frame.iloc[:, i].astype(object) for i in range(len(columns))}, dtype=object
    )
    data["_row"] = frame.index.to_numpy()
    con.register("_frame", data)
    selected = ", ".join(
        f"{trim_text(f'CAST(c{i} AS VARCHAR)')} AS {quote(c)}" for i, c in enumerate(columns)
    )
    con.execute(f"CREATE OR REPLACE TABLE {table} AS SELECT _row, {selected} FROM _frame")
    con.unregister("_frame")
    return RawTable(table, file, columns, row="r._row", trimmed=True)


def _load_parquet(con, path: Path, table: str, file: str) -> RawTable:
    try:
        schema = con.execute(f"DESCRIBE SELECT * FROM read_parquet({literal(path)})").fetchall()
    except duckdb.Error as error:
        raise DataInputError(Problem(file, f"cannot read as Parquet ({error})")) from None
    columns = [name for name, *_ in schema]
    selected = []
    for name, kind, *_ in schema:
        value = quote(name)
        if kind in {"FLOAT", "DOUBLE"}:  # an int column with gaps, written by pandas
            value = (
                f"CASE WHEN {value} = trunc({value}) AND abs({value}) < 1e18 "
                f"THEN CAST(CAST({value} AS BIGINT) AS VARCHAR) ELSE CAST({value} AS VARCHAR) END"
            )
        selected.append(f"CAST({value} AS VARCHAR) AS {quote(name)}")
    con.execute(
        f"CREATE OR REPLACE VIEW {table} AS SELECT file_row_number + 2 AS _row, "
        f"{', '.join(selected)} FROM read_parquet({literal(path)}, file_row_number = true)"
    )
    return RawTable(table, file, columns, row="r._row")


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


def _transcode(path: Path, file: str) -> tuple[Path, bool, str]:
    """(UTF-8 copy, whether it has quotes or blank lines, its first chunk of text) of a file
    decoded as GB18030 chunk by chunk."""
    folder = scratch_dir()
    target = folder / "utf8.csv"
    gb = codecs.getincrementaldecoder("gb18030")()
    lines, recount, first = 0, False, None
    try:
        with open(path, "rb") as source, open(target, "w", encoding="utf-8") as out:
            while chunk := source.read(CHUNK):
                text = gb.decode(chunk)
                found = not_chinese(text)
                if found is not None:
                    raise DataInputError(mojibake_problem(file, text, found, lines))
                first = text if first is None else first
                lines += text.count("\n")
                recount = recount or '"' in text or "\n\n" in text or "\n\r\n" in text
                out.write(text)
            gb.decode(b"", final=True)
    except UnicodeDecodeError:
        shutil.rmtree(folder, ignore_errors=True)
        raise DataInputError(Problem(file, UNDECODABLE)) from None
    except DataInputError:
        shutil.rmtree(folder, ignore_errors=True)
        raise
    return target, recount, first or ""


def _head(path: Path) -> str | None:
    """The first bytes of a file as UTF-8 text (BOM removed), None when they are not UTF-8."""
    with open(path, "rb") as handle:
        head = handle.read(HEAD_BYTES)
    try:
        return codecs.getincrementaldecoder("utf-8-sig")().decode(head)
    except UnicodeDecodeError:
        return None


def _load_csv(con, path: Path, table: str, file: str, transcode: bool = False) -> RawTable:
    first = None if transcode else _head(path)
    if first is None:  # not UTF-8 (DuckDB said so, or the header shows it)
        utf8_path, recount, first = _transcode(path, file)
        source, scratch = utf8_path, [utf8_path.parent]
    else:
        source, recount, scratch = path, None, []
    header = next(csv.reader(io.StringIO(first.lstrip("\ufeff"), newline="")), None)
    columns = [name.strip() for name in header or []]
    if not columns:
        read_csv_text(path)  # raises the error of an empty file
    fields = "{" + ", ".join(f"{literal(f'c{i}')}: 'VARCHAR'" for i in range(len(columns))) + "}"
    selected = ", ".join(f"c{i} AS {quote(c)}" for i, c in enumerate(columns))
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
        columns,
        utf8_path=source,
        recount=recount,
        scratch=scratch,
        path=path,
        utf8_unchecked=source == path,
    )
