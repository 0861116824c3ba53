"""Inputs the README accepts, attacked (issue 18, breaks 5–7 and 9, must-be-true 4 and 6): every
file is read, or refused in one line naming the file (and the row, column and value where there
is one) — never taken for absent, never a traceback. And every table the firm-level step writes
neutralises spreadsheet formulas, reading back as the firms gave it.

Every fixture is written into tmp_path from the six firms of tests/test_firms.py."""

from __future__ import annotations

import codecs
import errno
import os

import duckdb
import openpyxl
import pandas as pd
import pytest

from helpers.data import catalog
from helpers.data.errors import DataInputError
from helpers.data.tableio import neutralise_text, read_table_text, restore_text
from helpers.firmlevel import checks
from helpers.firmlevel.firms import FirmLevelData
from helpers.firmlevel.read import FirmLevelInput, firm_specs
from helpers.firmlevel.tables import ensure_tables, write_tables
from helpers.parameters import folder_kind
from helpers.paths import PUBLISHED_DIR
from tests.test_firms import FIRMS, LISTINGS, PATENTS, write


def refused(folder) -> DataInputError:
    with pytest.raises(DataInputError) as caught:
        FirmLevelInput(folder)
    return caught.value


def only_problem(folder):
    """The one problem of a folder, and its line as the build prints it."""
    error = refused(folder)
    assert len(error.problems) == 1, str(error)
    (problem,) = error.problems
    assert "\n" not in str(error)
    return problem


# ------------------------------------------------------------ files that are there but unreadable


def symlink_loop(path):
    os.symlink(path.name, path)


def dangling(path):
    os.symlink("nowhere.csv", path)


def folder(path):
    path.mkdir()


def pipe(path):
    os.mkfifo(path)  # reading it would wait forever


@pytest.mark.parametrize(
    ("stem", "make", "message"),
    [
        ("patents", symlink_loop, "a symbolic link that loops back on itself"),
        ("listings", dangling, "a symbolic link to nowhere.csv, which does not exist"),
        ("patents", folder, "a folder, not a file"),
        ("listings", pipe, "not a regular file"),
        ("firms", dangling, "a symbolic link to nowhere.csv, which does not exist"),
    ],
)
def test_an_unreadable_file_is_refused_not_taken_for_absent(tmp_path, stem, make, message):
    data = write(tmp_path / "export")
    (data / f"{stem}.csv").unlink()
    make(data / f"{stem}.csv")
    problem = only_problem(data)
    # the link itself is named, not its target
    assert problem.file == f"{data}/{stem}.csv"
    assert message in problem.message


def test_a_file_without_read_permission_is_refused(tmp_path, monkeypatch):
    data = write(tmp_path / "export")
    target = data / "patents.csv"
    target.chmod(0)
    if os.geteuid() == 0:  # root reads anything: let the operating system refuse as for others
        real = os.open

        def refuse(path, *args, **kwargs):
            if os.fspath(path) == os.fspath(target):
                raise PermissionError(errno.EACCES, "Permission denied", os.fspath(path))
            return real(path, *args, **kwargs)

        monkeypatch.setattr(os, "open", refuse)
    problem = only_problem(data)
    assert (
        str(problem)
        == f"{target}: cannot be read (no read permission); make it readable (chmod a+r)"
    )


def test_a_readable_symlink_is_read(tmp_path):
    data = write(tmp_path / "export", listings=None)
    (tmp_path / "elsewhere.csv").write_text(LISTINGS, encoding="utf-8")
    os.symlink(tmp_path / "elsewhere.csv", data / "listings.csv")
    assert FirmLevelInput(data).has("listings")


def test_a_broken_columns_file_is_refused(tmp_path):
    data = write(tmp_path / "export")
    dangling(data / "columns.yml")
    assert "does not exist" in only_problem(data).message


def test_a_published_table_that_is_a_folder_is_refused(tmp_path):
    (tmp_path / "001_cultivation_batches.csv").mkdir()
    with pytest.raises(DataInputError) as caught:
        read_table_text(tmp_path / "001_cultivation_batches.csv")
    assert str(caught.value).endswith(
        "001_cultivation_batches.csv: a folder, not a file; give the table as a file of this name"
    )


# ------------------------------------------------------------ encodings


def test_byte_order_mark_in_front_of_gbk_keeps_the_firm_id_header(tmp_path):
    data = write(tmp_path / "export")
    (data / "firms.csv").write_bytes(codecs.BOM_UTF8 + FIRMS.encode("gbk"))
    read = FirmLevelInput(data)
    assert read.firms["firm_id"].tolist() == ["F1", "F2", "F3", "F4", "F5", "F6"]
    assert read.firms["name"].iloc[0] == "甲公司"
    assert (
        f"{data}/firms.csv: read as GBK; the UTF-8 byte-order mark in front of it ignored"
        in read.notes
    )


def test_byte_order_mark_and_gbk_errors_blame_the_right_file(tmp_path):
    data = write(tmp_path / "export")
    bad = FIRMS.replace("F3,丙公司,2,confirmed,true,Jiangsu", "F3,丙公司,2,confirmed,true,江 苏")
    (data / "firms.csv").write_bytes(codecs.BOM_UTF8 + bad.encode("gbk"))
    problem = only_problem(data)
    assert (problem.file, problem.row, problem.column, problem.value) == (
        f"{data}/firms.csv",
        4,
        "province",
        "江 苏",
    )


HEADER = "firm_id,name,batch_no,province,city"


def mixed_firms(rows_in_utf8: int, total: int) -> bytes:
    """A firm list whose first `rows_in_utf8` data rows are UTF-8 and the rest GBK."""
    rows = [f"X{i},公司{i},1,北京,北京" for i in range(total)]
    head = "\n".join([HEADER, *rows[:rows_in_utf8]]) + "\n"
    return head.encode("utf-8") + ("\n".join(rows[rows_in_utf8:]) + "\n").encode("gbk")


@pytest.mark.parametrize("rows_in_utf8", [6000, 5])  # beyond the first 64 KB read, and within it
def test_a_file_that_turns_gbk_names_its_first_gbk_row(tmp_path, rows_in_utf8):
    data = write(tmp_path / "export", patents=None, listings=None)
    (data / "firms.csv").write_bytes(mixed_firms(rows_in_utf8, rows_in_utf8 + 100))
    problem = only_problem(data)
    row = rows_in_utf8 + 2  # the header is row 1
    assert str(problem) == (
        f"{data}/firms.csv, row {row}, column 'name', value '公司{rows_in_utf8}': not UTF-8 like "
        "the rows above it (it reads as GBK): the file mixes encodings; save the whole file in "
        "one encoding, as UTF-8 CSV or as XLSX"
    )


def test_a_row_in_neither_encoding_is_named(tmp_path):
    data = write(tmp_path / "export", patents=None, listings=None)
    body = f"{HEADER}\nX1,甲,1,北京,北京\n".encode("gbk") + b"X2,\xff\xff,1,\xe5\x8c\x97,x\n"
    (data / "firms.csv").write_bytes(body)
    problem = only_problem(data)
    assert (problem.row, problem.column) == (3, "name")
    assert problem.message.startswith("not GBK like the rows above it")


# ------------------------------------------------------------ numbers that are not numbers


def firms_with(column: str, value: str) -> str:
    lines = FIRMS.splitlines()
    rows = [f"{line},{value if i == 1 else '0.5'}" for i, line in enumerate(lines[1:], 1)]
    return "\n".join([f"{lines[0]},{column}", *rows]) + "\n"


@pytest.mark.parametrize("value", ["inf", "-inf", "nan", "NaN", "Infinity", "+INF", "1e999"])
@pytest.mark.parametrize("column", ["revenue", "debt_ratio"])
def test_non_finite_numbers_are_refused(tmp_path, column, value):
    problem = only_problem(write(tmp_path / "export", firms=firms_with(column, value)))
    assert str(problem) == (
        f"{tmp_path}/export/firms.csv, row 2, column '{column}', value '{value}': "
        "not a finite number"
    )


@pytest.mark.parametrize(
    ("column", "value", "bound"),
    [
        ("revenue", "1e308", "1000000000"),
        ("debt_ratio", "65", "10"),
        ("rd_staff_share", "1.2", "1"),
    ],
)
def test_absurd_numbers_are_beyond_the_schema_range(tmp_path, column, value, bound):
    problem = only_problem(write(tmp_path / "export", firms=firms_with(column, value)))
    assert (problem.row, problem.column, problem.value) == (2, column, float(value))
    assert problem.message == f"must be at most {bound}"


def test_non_finite_in_an_int_column_is_not_an_int(tmp_path):
    patents = PATENTS.replace("F1,2020,false,10,", "F1,2020,false,inf,")
    problem = only_problem(write(tmp_path / "export", patents=patents))
    assert (problem.row, problem.column, problem.value) == (3, "applications", "inf")
    assert problem.message.startswith("expected int")


def test_a_huge_patent_count_is_beyond_the_range(tmp_path):
    patents = PATENTS.replace("F1,2020,false,10,5,", "F1,2020,false,9000000000000,5,")
    problem = only_problem(write(tmp_path / "export", patents=patents))
    assert (problem.row, problem.column, problem.value) == (3, "applications", 9000000000000)
    assert problem.message == "must be at most 1000000"


def test_non_finite_parquet_double_is_refused(tmp_path):
    data = write(tmp_path / "export")
    con = duckdb.connect()
    con.execute(
        f"COPY (SELECT *, CASE WHEN firm_id = 'F3' THEN 'inf'::DOUBLE ELSE 100.0 END AS revenue "
        f"FROM read_csv('{data}/firms.csv', all_varchar = true)) TO '{data}/firms.parquet'"
    )
    (data / "firms.csv").unlink()
    problem = only_problem(data)
    assert (
        str(problem)
        == f"{data}/firms.parquet, row 4, column 'revenue', value 'inf': not a finite number"
    )


def test_every_numeric_input_column_has_a_range():
    for table, spec in firm_specs().items():
        for column, rule in spec.columns.items():
            if rule.get("type") in {"int", "float"}:
                assert "min" in rule and "max" in rule, f"{table}.{column}"


def test_the_float_message_says_what_is_wrong():
    assert checks.float_problem("inf", " (万元)") == "not a finite number"
    assert checks.float_problem("很多", " (万元)") == "expected float (万元)"


def test_a_published_shaped_table_refuses_non_finite_numbers(tmp_path):
    # a published-shaped folder is an input too (DATA_DIR, PREVIOUS)
    for path in PUBLISHED_DIR.iterdir():
        (tmp_path / path.name).write_bytes(path.read_bytes())
    spec = catalog.load_catalog(tmp_path)["invention_quality"]
    path = tmp_path / spec.file
    text = read_table_text(path)
    column = next(c for c, rule in spec.columns.items() if rule.get("type") == "float")
    text.loc[text.index[0], column] = "inf"
    text.to_csv(path, index=False)
    with pytest.raises(DataInputError) as caught:
        catalog.load_published("invention_quality", tmp_path)
    assert [str(p) for p in caught.value.problems] == [
        f"{path}, row 2, column '{column}', value 'inf': not a finite number"
    ]


# ------------------------------------------------------------ spreadsheets and Parquet


def xlsx(path, text: str) -> None:
    book = openpyxl.Workbook()
    for line in text.strip().splitlines():
        book.active.append(line.split(","))
    book.save(path)


def same_tables(left: FirmLevelData, right: FirmLevelData) -> None:
    assert left.tables() == right.tables()
    for name in left.tables():
        a, b = left.table(name), right.table(name)
        for frame in (a, b):
            frame["source_id"] = frame["source_id"].str.replace(".xlsx", ".csv")
        pd.testing.assert_frame_equal(a, b, check_exact=True, obj=name)


def test_xlsx_patents_and_listings_beside_csv_firms(tmp_path):
    data = write(tmp_path / "xlsx", patents=None, listings=None)
    xlsx(data / "patents.xlsx", PATENTS)
    xlsx(data / "listings.xlsx", LISTINGS)
    mixed = FirmLevelData(data, city_min_firms=1)
    assert mixed.files["patents"].endswith("patents.xlsx")
    same_tables(FirmLevelData(write(tmp_path / "csv"), city_min_firms=1), mixed)


RECORDS_HEADER = ["firm_id", "application_date", "patent_type", "grant_date", "status"]


def test_serial_dates_in_xlsx_patent_records(tmp_path):
    data = write(tmp_path / "serial", patents=None, listings=None)
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(RECORDS_HEADER)
    # Excel's day 44197 is 2021-01-01: 44260 = + 59 days (Jan 31, Feb 28) = 2021-03-05 and
    # 44500 = + 303 days (273 to 1 October) = 2021-10-31
    sheet.append(["F1", 44260, "invention", 44500.0, "valid"])
    sheet.append(["F3", "2022-01-10", "utility", None, "pending"])
    sheet.append(["F3", 20220110, "design", None, "pending"])  # YYYYMMDD, not a day number
    book.save(data / "patent_records.xlsx")
    read = FirmLevelInput(data)
    dates = read.con.execute(
        "SELECT CAST(application_date AS VARCHAR), CAST(grant_date AS VARCHAR) "
        "FROM patent_records ORDER BY _row"
    ).fetchall()
    assert dates == [("2021-03-05", "2021-10-31"), ("2022-01-10", None), ("2022-01-10", None)]
    file = f"{data}/patent_records.xlsx"
    assert f"{file}: column 'application_date': 1 Excel day number(s) read as dates" in read.notes
    assert f"{file}: column 'grant_date': 1 Excel day number(s) read as dates" in read.notes


def test_a_folder_with_only_firms_parquet_builds(tmp_path):
    data = write(tmp_path / "parquet", patents=None, listings=None)
    duckdb.connect().execute(
        f"COPY (SELECT * FROM read_csv('{data}/firms.csv', all_varchar = true)) "
        f"TO '{data}/firms.parquet' (FORMAT parquet)"
    )
    (data / "firms.csv").unlink()
    assert folder_kind(data) == "firm-level"
    tables = ensure_tables(data, "2023-07-31", build_root=tmp_path / "tables")
    batches = catalog.load_published("cultivation_batches", tables)
    assert batches["announced"].tolist() == [2, 1, 0, 1, 2]  # F1 F2 | F3 | - | F4 | F5 F6


def test_a_dangling_firms_file_makes_a_firm_level_folder_that_names_the_link(tmp_path):
    """A folder whose only firms file is a link to nowhere is an export with a broken file, not
    'neither published tables nor an export': its reader names the link."""
    data = tmp_path / "dangling"
    data.mkdir()
    dangling(data / "firms.csv")
    assert folder_kind(data) == "firm-level"
    assert "a symbolic link to nowhere.csv, which does not exist" in str(only_problem(data))


# ------------------------------------------------------------ formulas in the tables written

HOSTILE = '=HYPERLINK("http://example.com","点击")'


@pytest.mark.parametrize(
    "value", ["=1+1", "+86", "-x", "@a", "\tx", "'=1", "''=1", "'plain", "plain", "", None]
)
def test_neutralising_is_undone_on_reading(value):
    assert restore_text(neutralise_text(value)) == value


def test_a_hostile_city_is_neutralised_in_the_tables_and_reads_back(tmp_path):
    quoted = HOSTILE.replace('"', '""')
    firms = FIRMS.replace("广东省,清远市", f'广东省,"{quoted}"')
    data = FirmLevelData(write(tmp_path / "export", firms=firms))
    out = tmp_path / "tables"
    out.mkdir()
    write_tables(data, out)
    (path,) = out.glob("*region_metrics.csv")
    written = path.read_text(encoding="utf-8")
    assert f'"\'{quoted}"' in written  # '=HYPERLINK(…): shown as text by a spreadsheet
    assert f',"{quoted}"' not in written and f",{HOSTILE}" not in written
    for path in out.glob("*.csv"):  # no text cell anywhere starts a formula
        for row in pd.read_csv(path, dtype=str, keep_default_na=False).itertuples(index=False):
            assert not any(cell.startswith(("=", "@")) for cell in row), path.name
    metrics = catalog.load_published("region_metrics", out)
    assert HOSTILE in set(metrics["region"])


# ------------------------------------------------------------ a cut-off the data cannot give


@pytest.mark.parametrize(("cutoff", "needed"), [("2026-07-31", "2025"), ("9999-12-31", "9998")])
def test_a_cut_off_past_the_patent_years_is_refused_in_one_line(tmp_path, cutoff, needed):
    """The fixture's patents end in 2023 (tests/test_firms.py); a cut-off in 2026 would compare
    patents up to 2025, which would read as a fall to zero deep in chapter 02."""
    data = write(tmp_path / "late")
    with pytest.raises(DataInputError) as caught:
        FirmLevelInput(data, cutoff)
    (problem,) = caught.value.problems
    assert f"value '{cutoff}'" in str(caught.value) and "\n" not in str(caught.value)
    assert f"ends in 2023, but this cut-off compares patents up to {needed}" in str(problem)
    assert "give a cut-off in 2024 or earlier" in str(problem)
    FirmLevelInput(data, "2023-07-31")  # the cut-off the data gives is taken
