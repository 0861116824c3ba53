"""Tests of helpers.tableio: CSV in UTF-8 / UTF-8-BOM / GBK / GB18030 and XLSX read to the same text
frame (index = 1-based line in the file), and every way a file can be unreadable names the file,
the row and the problem."""

from __future__ import annotations

import csv
import io
from pathlib import Path

import openpyxl
import pandas as pd
import pytest

from helpers.data.catalog import TableSpec, validate_frame
from helpers.data.errors import DataInputError
from helpers.data.tableio import find_table_file, read_table_text
from helpers.paths import display_path

HEADER = ["省份", "企业数", "占比", "备注"]
ROWS = [
    ["江苏省", "1477", "0.121", "图表3.1"],
    ["广东省", "1,466", "0.120", "含“深圳”，逗号在引号内"],
    ["浙江省", "1436", "0.118", ""],
]


def csv_text(rows: list[list[str]], newline: str = "\n") -> str:
    buffer = io.StringIO()
    csv.writer(buffer, lineterminator=newline).writerows(rows)
    return buffer.getvalue()


def expected_frame(rows: list[list[str]] = ROWS, header: list[str] = HEADER) -> pd.DataFrame:
    frame = pd.DataFrame(rows, columns=header, dtype=object)
    frame.index = pd.RangeIndex(2, 2 + len(rows))
    return frame


def write_bytes(folder: Path, raw: bytes, name: str = "table.csv") -> Path:
    path = folder / name
    path.write_bytes(raw)
    return path


def read_error(path: Path) -> DataInputError:
    with pytest.raises(DataInputError) as info:
        read_table_text(path)
    return info.value


def assert_names_file(error: DataInputError, path: Path) -> None:
    file = display_path(path)
    assert file.endswith(path.name)
    assert all(problem.file == file for problem in error.problems)
    assert all(line.startswith(file) for line in str(error).splitlines())


# --------------------------------------------------------------------------- encodings and formats


@pytest.mark.parametrize("newline", ["\n", "\r\n"], ids=["lf", "crlf"])
@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig", "gbk", "gb18030"])
def test_csv_encodings_read_to_the_same_frame(tmp_path, encoding, newline):
    raw = csv_text([HEADER, *ROWS], newline).encode(encoding)
    if encoding in {"gbk", "gb18030"}:
        with pytest.raises(UnicodeDecodeError):
            raw.decode("utf-8")  # so the GBK fallback is really exercised
    if encoding == "utf-8-sig":
        assert raw.startswith(b"\xef\xbb\xbf")

    frame = read_table_text(write_bytes(tmp_path, raw))

    pd.testing.assert_frame_equal(frame, expected_frame())
    assert list(frame.columns) == HEADER  # the BOM is not part of the first column name


def test_xlsx_reads_like_csv(tmp_path):
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet.append(HEADER)
    for province, firms, share, note in ROWS:
        # numbers as Excel numbers where they are plain numbers, "1,466" stays a text cell
        firms_cell = int(firms) if firms.isdigit() else firms
        sheet.append([province, firms_cell, float(share), note or None])
    path = tmp_path / "table.xlsx"
    workbook.save(path)

    frame = read_table_text(path)

    expected = expected_frame()
    expected["占比"] = ["0.121", "0.12", "0.118"]  # an Excel number has no trailing zero
    # same cells, index and columns; only the dtype differs (pandas' str dtype instead of object)
    pd.testing.assert_frame_equal(frame, expected, check_dtype=False)
    assert all(isinstance(v, str) for v in frame.to_numpy().ravel())


def test_cells_and_header_are_stripped(tmp_path):
    raw = " 省份 ,企业数 \n 江苏省 , 1477 \n".encode()
    frame = read_table_text(write_bytes(tmp_path, raw))
    pd.testing.assert_frame_equal(frame, expected_frame([["江苏省", "1477"]], ["省份", "企业数"]))


def test_trailing_blank_lines_are_ignored(tmp_path):
    raw = (csv_text([HEADER, *ROWS]) + "\n\n,,,\n").encode()
    pd.testing.assert_frame_equal(read_table_text(write_bytes(tmp_path, raw)), expected_frame())


def test_find_table_file_prefers_csv(tmp_path):
    assert find_table_file(tmp_path, "t") is None
    (tmp_path / "t.xlsx").write_bytes(b"")
    assert find_table_file(tmp_path, "t") == tmp_path / "t.xlsx"
    (tmp_path / "t.csv").write_bytes(b"")
    assert find_table_file(tmp_path, "t") == tmp_path / "t.csv"


# --------------------------------------------------------------------------- bad CSV files

GOOD = csv_text([HEADER, *ROWS])
# (raw bytes, row, fragments that must be in the message, fragments that must not be)
CSV_ERRORS = [
    pytest.param(b"", None, ["the file is empty"], [], id="empty"),
    pytest.param(b" \r\n\n  \n", None, ["the file is empty"], [], id="only-whitespace"),
    pytest.param(
        "省份,企业数\n".encode(), None, ["has a header but no data rows"], [], id="header-only"
    ),
    pytest.param(
        "省份,企业数".encode(), None, ["has a header but no data rows"], [], id="header-no-newline"
    ),
    pytest.param(
        "省份,企业数\n\n\n".encode(),
        None,
        ["has a header but no data rows"],
        [],
        id="header-and-blank-lines",
    ),
    pytest.param(
        (GOOD + "山东省,10").encode(),
        5,
        ["row 5", "expected 4 fields, found 2", "cut off mid-row"],
        [],
        id="cut-off-mid-row",
    ),
    pytest.param(
        (GOOD + "山东省,10").encode("gb18030"),
        5,
        ["row 5", "expected 4 fields, found 2", "cut off mid-row"],
        [],
        id="cut-off-mid-row-gbk",
    ),
    pytest.param(
        (GOOD + "山东省,10,0.1").encode("utf-8-sig"),
        5,
        ["row 5", "expected 4 fields, found 3", "cut off mid-row"],
        [],
        id="cut-off-mid-row-bom",
    ),
    pytest.param(
        csv_text([HEADER, ROWS[0], ["山东省", "10"], ROWS[1]]).encode(),
        3,
        ["row 3", "expected 4 fields, found 2"],
        ["cut off"],  # a short row in the middle is not a cut-off file
        id="short-row-inside-file",
    ),
    pytest.param(
        (GOOD + "山东省,10\n").encode(),
        5,
        ["row 5", "expected 4 fields, found 2"],
        ["cut off"],  # ends with a newline: the row is short, the file is complete
        id="short-last-row-with-newline",
    ),
    pytest.param(
        csv_text([HEADER, ROWS[0], [*ROWS[1], "多余"], ROWS[2]]).encode(),
        3,
        ["row 3", "expected 4 fields, found 5"],
        ["cut off"],
        id="too-many-fields",
    ),
    pytest.param(
        csv_text([HEADER, ROWS[0], [*ROWS[1], ""], ROWS[2]]).encode("gb18030"),
        3,
        ["row 3", "expected 4 fields, found 5"],
        [],
        id="trailing-comma-gbk",
    ),
    pytest.param(
        b"a,b\n1,2\n\xff\xfe\x80,3\n",
        3,  # the first row that is neither UTF-8 nor GBK
        ["neither UTF-8 nor GBK", "cannot decode the file", "XLSX", "column 'a'"],
        [],
        id="undecodable-bytes",
    ),
    pytest.param(
        "省份,企业数\n江苏省,1477\n".encode("utf-16"),
        1,
        ["cannot decode the file"],
        [],
        id="utf-16",
    ),
]


@pytest.mark.parametrize(("raw", "row", "present", "absent"), CSV_ERRORS)
def test_bad_csv_names_file_row_and_problem(tmp_path, raw, row, present, absent):
    path = write_bytes(tmp_path, raw)
    error = read_error(path)

    assert_names_file(error, path)
    assert len(error.problems) == 1
    assert error.problems[0].row == row
    message = str(error)
    for fragment in present:
        assert fragment in message
    for fragment in absent:
        assert fragment not in message


def test_every_bad_row_is_reported(tmp_path):
    rows = [HEADER, ROWS[0], ["山东省"], ROWS[1], [*ROWS[2], "x", "y"]]
    path = write_bytes(tmp_path, (csv_text(rows) + "湖北省,1").encode())
    error = read_error(path)

    assert [p.row for p in error.problems] == [3, 5, 6]
    assert [line.split(": ", 1)[1] for line in str(error).splitlines()] == [
        "expected 4 fields, found 1",
        "expected 4 fields, found 6",
        "expected 4 fields, found 2; the file looks cut off mid-row",
    ]


def test_missing_file(tmp_path):
    path = tmp_path / "nowhere.csv"
    error = read_error(path)
    assert_names_file(error, path)
    assert "file not found" in str(error)


# --------------------------------------------------------------------------- bad XLSX files


def _xlsx(path: Path, rows: list[list]) -> Path:
    workbook = openpyxl.Workbook()
    for row in rows:
        workbook.active.append(row)
    workbook.save(path)
    return path


@pytest.mark.parametrize("rows", [[], [HEADER]], ids=["empty-sheet", "header-only"])
def test_xlsx_without_data_rows(tmp_path, rows):
    path = _xlsx(tmp_path / "table.xlsx", rows)
    error = read_error(path)
    assert_names_file(error, path)
    assert "no data rows" in str(error)


# --------------------------------------------------------------------------- thousands separators

SPEC = TableSpec(
    name="firms_by_province",
    file="table.csv",
    title="t",
    population="",
    as_of="",
    document={},
    columns={
        "省份": {"type": "str"},
        "企业数": {"type": "int", "min": 0},
        "占比": {"type": "float"},
    },
)
PROVENANCE = ["source_doc", "source_id", "inferred", "note"]


def _firms_file(tmp_path: Path, firms: str, share: str = "0.5", encoding: str = "utf-8") -> Path:
    rows = [[*SPEC.columns, *PROVENANCE], ["江苏省", firms, share, "001", "图表3.1", "false", ""]]
    return write_bytes(tmp_path, csv_text(rows).encode(encoding))


@pytest.mark.parametrize(
    ("cell", "number"),
    [("12950", 12950), ("12,950", 12950), ("1,234,567", 1234567), (" 12,950 ", 12950)],
)
@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig", "gb18030"])
def test_thousands_separators_accepted_in_int_columns(tmp_path, cell, number, encoding):
    path = _firms_file(tmp_path, cell, encoding=encoding)
    assert b'"' in path.read_bytes() or "," not in cell  # the comma cell really is quoted
    typed = validate_frame(read_table_text(path), SPEC, display_path(path))
    assert typed.loc[2, "企业数"] == number
    assert str(typed["企业数"].dtype) == "Int64"


def test_thousands_separators_accepted_in_xlsx_text_cells(tmp_path):
    rows = [[*SPEC.columns, *PROVENANCE], ["江苏省", "12,950", "1,234.5", "001", "图表3.1", False]]
    path = _xlsx(tmp_path / "table.xlsx", rows)
    typed = validate_frame(read_table_text(path), SPEC, display_path(path))
    assert typed.loc[2, "企业数"] == 12950
    assert typed.loc[2, "占比"] == 1234.5
    assert not typed.loc[2, "inferred"]


# --------------------------------------------------------------------------- known bugs


def test_bom_only_file_is_reported_as_empty(tmp_path):
    path = write_bytes(tmp_path, b"\xef\xbb\xbf")
    error = read_error(path)
    assert_names_file(error, path)
    assert "empty" in str(error)


def test_row_numbers_count_blank_lines(tmp_path):
    raw = "省份,企业数\n江苏省,1477\n\n广东省,1466\n浙江省,1436\n".encode()
    frame = read_table_text(write_bytes(tmp_path, raw))
    assert list(frame.index) == [2, 4, 5]


def test_cut_off_inside_quoted_cell(tmp_path):
    raw = (GOOD + '山东省,1034,0.085,"原文').encode()
    error = read_error(write_bytes(tmp_path, raw))
    assert "row 5" in str(error)
    assert "cut off" in str(error)


def test_corrupt_xlsx_names_the_file(tmp_path):
    path = write_bytes(tmp_path, GOOD.encode(), name="table.xlsx")  # a CSV renamed to .xlsx
    error = read_error(path)
    assert_names_file(error, path)


@pytest.mark.parametrize("cell", ["1,5", "12,95", "1,2,3"])
def test_malformed_thousands_separators_rejected(tmp_path, cell):
    path = _firms_file(tmp_path, cell)
    with pytest.raises(DataInputError) as info:
        validate_frame(read_table_text(path), SPEC, display_path(path))
    assert repr(cell) in str(info.value)


def test_decimal_comma_in_float_column_rejected(tmp_path):
    path = _firms_file(tmp_path, "10", share="0,5")
    with pytest.raises(DataInputError):
        validate_frame(read_table_text(path), SPEC, display_path(path))
