"""Tests of helpers.catalog error messages on a corrupted copy of a real published table
(cultivation_batches): every problem names the file, the row (1-based line in the file, header =
line 1), the column and the offending value, and all problems are reported together."""

from __future__ import annotations

import csv
import io
import shutil
from collections.abc import Callable
from pathlib import Path

import pytest
import yaml

from helpers.data import catalog, reference
from helpers.data.errors import DataInputError, Problem
from helpers.paths import PUBLISHED_DIR, REFERENCE_DIR, display_path

TABLE = "cultivation_batches"
CSV_NAME = "001_cultivation_batches.csv"
CATALOG_NAME = "catalog_001.yml"
COLUMNS = (
    "batch_no",
    "batch",
    "announced",
    "reviewed",
    "analysed",
    "analysed_share_stated",
    "source_doc",
    "source_id",
    "inferred",
    "note",
)
VALID_COLUMNS = "(valid: " + ", ".join(COLUMNS) + ")"
BATCHES = ("第一批", "第二批", "第三批", "第四批", "第五批")

Rows = list[list[str]]
Edit = Callable[[Rows], None]


# --------------------------------------------------------------------------- helpers


def parse(text: str) -> Rows:
    return list(csv.reader(io.StringIO(text, newline="")))


def unparse(rows: Rows) -> str:
    buffer = io.StringIO()
    csv.writer(buffer, lineterminator="\n").writerows(rows)
    return buffer.getvalue()


def set_cell(line: int, column: str, value: str) -> Edit:
    """Put `value` into `column` on file line `line` (header = line 1)."""

    def edit(rows: Rows) -> None:
        rows[line - 1][rows[0].index(column)] = value

    return edit


def drop_column(column: str) -> Edit:
    def edit(rows: Rows) -> None:
        index = rows[0].index(column)
        for row in rows:
            del row[index]

    return edit


def add_column(column: str, value: str) -> Edit:
    def edit(rows: Rows) -> None:
        rows[0].append(column)
        for row in rows[1:]:
            row.append(value)

    return edit


def rename_column(old: str, new: str) -> Edit:
    def edit(rows: Rows) -> None:
        rows[0][rows[0].index(old)] = new

    return edit


@pytest.fixture
def published(tmp_path: Path) -> Path:
    """A fresh folder (the catalogue is cached by folder) with a copy of the real table."""
    shutil.copy(PUBLISHED_DIR / CATALOG_NAME, tmp_path / CATALOG_NAME)
    shutil.copy(PUBLISHED_DIR / CSV_NAME, tmp_path / CSV_NAME)
    return tmp_path


def corrupt(folder: Path, *edits: Edit) -> Path:
    path = folder / CSV_NAME
    rows = parse(path.read_text(encoding="utf-8"))
    for edit in edits:
        edit(rows)
    path.write_text(unparse(rows), encoding="utf-8")
    return path


def load_error(folder: Path) -> DataInputError:
    with pytest.raises(DataInputError) as info:
        catalog.load_published(TABLE, folder)
    return info.value


def only_problem(error: DataInputError) -> Problem:
    assert len(error.problems) == 1, str(error)
    return error.problems[0]


def assert_located(
    error: DataInputError, problem: Problem, path: Path, row: int | None, column: str | None
) -> str:
    """The problem and the message name the file, the row and the column; returns its line."""
    file = display_path(path)
    assert problem.file == file
    assert problem.row == row
    assert problem.column == column
    line = str(problem)
    assert line in str(error).splitlines()
    assert line.startswith(file)
    assert path.name in line
    if row is not None:
        assert f"row {row}," in line or f"row {row}:" in line
    if column is not None:
        assert f"column '{column}'" in line
    return line


def test_copy_of_the_real_table_loads(published):
    frame = catalog.load_published(TABLE, published)
    assert list(frame.index) == [2, 3, 4, 5, 6]
    assert frame["announced"].sum() == 12950
    assert frame.attrs["table"] == TABLE


# --------------------------------------------------------------------------- one bad cell

# (line, column, cell written, value shown, message fragment, valid choices)
CELL_CASES = [
    pytest.param(3, "announced", "abc", "abc", "expected int (家)", (), id="text-in-int-column"),
    pytest.param(4, "batch_no", "3.5", "3.5", "expected int", (), id="decimal-in-int-column"),
    pytest.param(2, "reviewed", "-155", -155, "must be at least 0", (), id="negative-count"),
    pytest.param(6, "batch_no", "0", 0, "must be at least 1", (), id="batch-below-1"),
    pytest.param(
        5, "analysed_share_stated", "1.357", 1.357, "must be at most 1", (), id="share-above-1"
    ),
    pytest.param(
        4,
        "batch",
        "第6批",
        "第6批",
        "must match ^第[一二三四五六七八九十]+批$ (e.g. 第六批)",
        (),
        id="not-a-batch-name",
    ),
    pytest.param(
        4, "analysed_share_stated", "24%", "24%", "expected float (share)", (), id="percent"
    ),
    pytest.param(5, "inferred", "maybe", "maybe", "expected bool", (), id="not-a-boolean"),
    pytest.param(4, "source_doc", "", None, "missing value", (), id="missing-required-value"),
    pytest.param(3, "analysed", "", None, "missing value", (), id="missing-count"),
]


@pytest.mark.parametrize(("line", "column", "cell", "value", "fragment", "choices"), CELL_CASES)
def test_bad_cell_names_file_row_column_value(
    published, line, column, cell, value, fragment, choices
):
    path = corrupt(published, set_cell(line, column, cell))
    error = load_error(published)
    problem = only_problem(error)

    text = assert_located(error, problem, path, line, column)
    assert fragment in text
    if value is None:
        assert problem.value is None
        assert ", value " not in text
    else:
        assert problem.value == value
        assert str(value) in text
    if choices:
        assert problem.choices == choices
        assert "(valid: " + ", ".join(choices) + ")" in text


def test_booleans_in_other_spellings_are_accepted(published):
    corrupt(published, set_cell(2, "inferred", "TRUE"), set_cell(3, "inferred", "No"))
    frame = catalog.load_published(TABLE, published)
    assert frame["inferred"].tolist() == [True, False, False, True, True]


# --------------------------------------------------------------------------- columns

COLUMN_CASES = [
    pytest.param(
        [drop_column("reviewed")], "reviewed", "required column is missing", id="missing-column"
    ),
    pytest.param(
        [drop_column("source_id")],
        "source_id",
        "required column is missing",
        id="missing-provenance-column",
    ),
    pytest.param(
        [add_column("comment", "x")],
        "comment",
        "column is not declared in {catalog}",
        id="undeclared-column",
    ),
]


@pytest.mark.parametrize(("edits", "column", "fragment"), COLUMN_CASES)
def test_column_problems_name_column_and_list_valid_columns(published, edits, column, fragment):
    path = corrupt(published, *edits)
    error = load_error(published)
    problem = only_problem(error)

    text = assert_located(error, problem, path, None, column)
    assert fragment.format(catalog=display_path(published / CATALOG_NAME)) in text
    assert problem.choices == COLUMNS
    assert text.endswith(VALID_COLUMNS)


def test_misspelt_column_is_reported_as_extra_and_missing(published):
    path = corrupt(published, rename_column("analysed", "analyzed"))
    error = load_error(published)

    by_column = {p.column: p for p in error.problems}
    assert set(by_column) == {"analyzed", "analysed"}
    extra = assert_located(error, by_column["analyzed"], path, None, "analyzed")
    missing = assert_located(error, by_column["analysed"], path, None, "analysed")
    assert "not declared" in extra
    assert "required column is missing" in missing
    assert extra.endswith(VALID_COLUMNS)


# --------------------------------------------------------------------------- keys and totals


def test_duplicate_key_names_both_rows(published):
    path = corrupt(published, set_cell(4, "batch_no", "2"))
    error = load_error(published)

    assert [p.row for p in error.problems] == [3, 4]
    for problem in error.problems:
        text = assert_located(error, problem, path, problem.row, "batch_no")
        assert problem.value == 2
        assert "duplicate key ['batch_no']" in text


TOTAL_CASES = [
    pytest.param(
        "announced",
        "2931",
        "parts sum to 12951 (rows 2–6), but the stated total is 12950",
        "001 摘要：共计公示12950家",
        id="announced",
    ),
    pytest.param(
        "analysed",
        "2929",
        "parts sum to 12191 (rows 2–6), but the stated total is 12192",
        "001 §1.2：12192家企业进行分析",
        id="analysed",
    ),
]


@pytest.mark.parametrize(("column", "cell", "sums", "stated_in"), TOTAL_CASES)
def test_parts_not_adding_up_to_stated_total(published, column, cell, sums, stated_in):
    path = corrupt(published, set_cell(4, column, cell))
    error = load_error(published)
    problem = only_problem(error)

    text = assert_located(error, problem, path, None, column)
    assert sums in text
    assert f"({stated_in})" in text


def test_both_totals_reported_together(published):
    corrupt(published, set_cell(4, "announced", "2931"), set_cell(5, "analysed", "4000"))
    error = load_error(published)
    assert [p.column for p in error.problems] == ["announced", "analysed"]
    assert "12951" in str(error)
    assert "11835" in str(error)


# --------------------------------------------------------------------------- whole-file problems

FILE_CASES = [
    pytest.param("", None, ["the file is empty"], id="empty"),
    pytest.param("\n\n", None, ["the file is empty"], id="only-newlines"),
    pytest.param(",".join(COLUMNS) + "\n", None, ["header but no data rows"], id="header-only"),
]


@pytest.mark.parametrize(("text", "row", "fragments"), FILE_CASES)
def test_file_without_data(published, text, row, fragments):
    path = published / CSV_NAME
    path.write_text(text, encoding="utf-8")
    error = load_error(published)
    problem = only_problem(error)

    line = assert_located(error, problem, path, row, None)
    for fragment in fragments:
        assert fragment in line


@pytest.mark.parametrize(
    ("keep_fields", "newline", "cut_off"),
    [
        pytest.param(6, "", True, id="cut-off-mid-row"),
        pytest.param(1, "", True, id="cut-off-after-first-field"),
        pytest.param(6, "\n", False, id="short-last-row"),
    ],
)
def test_file_cut_off_mid_row(published, keep_fields, newline, cut_off):
    path = published / CSV_NAME
    lines = path.read_text(encoding="utf-8").rstrip("\n").split("\n")
    lines[-1] = ",".join(lines[-1].split(",")[:keep_fields])
    path.write_text("\n".join(lines) + newline, encoding="utf-8")
    error = load_error(published)
    problem = only_problem(error)

    line = assert_located(error, problem, path, 6, None)
    assert f"expected 10 fields, found {keep_fields}" in line
    assert ("cut off mid-row" in line) is cut_off


def test_row_with_too_many_fields(published):
    path = corrupt(published, lambda rows: rows[2].append("extra"))
    error = load_error(published)
    line = assert_located(error, only_problem(error), path, 3, None)
    assert "expected 10 fields, found 11" in line


def test_file_saved_as_gbk_loads(published):
    path = published / CSV_NAME
    path.write_bytes(path.read_text(encoding="utf-8").encode("gb18030"))
    frame = catalog.load_published(TABLE, published)
    assert frame["batch"].tolist() == list(BATCHES)


# --------------------------------------------------------------------------- several problems


def test_several_problems_reported_together(published):
    path = corrupt(
        published,
        set_cell(3, "announced", "abc"),
        set_cell(4, "batch", "第6批"),
        set_cell(2, "reviewed", "-155"),
        set_cell(6, "inferred", "maybe"),
    )
    error = load_error(published)

    found = {(p.row, p.column) for p in error.problems}
    assert found == {(3, "announced"), (4, "batch"), (2, "reviewed"), (6, "inferred")}
    assert len(str(error).splitlines()) == 4
    for problem in error.problems:
        assert_located(error, problem, path, problem.row, problem.column)


def test_column_and_cell_problems_reported_together(published):
    path = corrupt(
        published,
        rename_column("reviewed", "checked"),
        set_cell(3, "announced", "abc"),
        set_cell(4, "batch", "第6批"),
    )
    error = load_error(published)

    found = {(p.row, p.column) for p in error.problems}
    assert found == {(None, "checked"), (None, "reviewed"), (3, "announced"), (4, "batch")}
    for problem in error.problems:
        assert_located(error, problem, path, problem.row, problem.column)


def test_long_problem_lists_are_summarised():
    problems = [Problem("t.csv", "bad", row=row) for row in range(2, 32)]
    lines = str(DataInputError(problems)).splitlines()
    assert len(lines) == 21
    assert lines[0] == "t.csv, row 2: bad"
    assert lines[-1] == "... and 10 more problems"


def test_validate_all_collects_problems_of_every_table(tmp_path):
    entries = yaml.safe_load((PUBLISHED_DIR / CATALOG_NAME).read_text(encoding="utf-8"))["tables"]
    shutil.copy(PUBLISHED_DIR / CATALOG_NAME, tmp_path / CATALOG_NAME)
    for entry in entries.values():
        shutil.copy(PUBLISHED_DIR / entry["file"], tmp_path / entry["file"])
    corrupt(tmp_path, set_cell(4, "batch", "第6批"))
    fields_file = tmp_path / entries["industry_fields"]["file"]
    fields_file.write_text("", encoding="utf-8")

    with pytest.raises(DataInputError) as info:
        catalog.validate_all(tmp_path)

    files = {p.file for p in info.value.problems}
    assert files == {display_path(tmp_path / CSV_NAME), display_path(fields_file)}
    assert "第6批" in str(info.value)
    assert "the file is empty" in str(info.value)


# --------------------------------------------------------------------------- reference names

PROVINCE_CATALOG = """\
document: {id: t, title: 测试}
tables:
  firms_by_province:
    file: t_firms_by_province.csv
    key: [province]
    columns:
      province: {type: str, allowed: "reference:provinces.province", normalize: provinces}
      firms: {type: int, min: 0, unit: 家}
"""


def _province_folder(folder: Path, *provinces: str) -> Path:
    if not (REFERENCE_DIR / "provinces.csv").exists():
        pytest.skip("data/reference/provinces.csv does not exist yet")
    (folder / "catalog_t.yml").write_text(PROVINCE_CATALOG, encoding="utf-8")
    rows = [["province", "firms", "source_doc", "source_id", "inferred", "note"]]
    rows += [[name, str(10 + i), "t", "图表3.1", "false", ""] for i, name in enumerate(provinces)]
    path = folder / "t_firms_by_province.csv"
    path.write_text(unparse(rows), encoding="utf-8")
    return path


@pytest.mark.parametrize(
    "spelling", ["江苏省", "江苏", "Jiangsu", "jiangsu", " JIANGSU ", "Jiangsu Province", "江蘇省"]
)
def test_province_spellings_normalised(tmp_path, spelling):
    _province_folder(tmp_path, spelling, "广东")
    frame = catalog.load_published("firms_by_province", tmp_path)
    assert frame["province"].tolist() == ["江苏省", "广东省"]
    assert reference.normalize("provinces", spelling) == "江苏省"


@pytest.mark.parametrize(
    ("spelling", "close"),
    [("江苏x", "江苏省"), ("江苏生", "江苏省"), ("广东x省", "广东省")],
)
def test_unknown_province_lists_close_matches(tmp_path, spelling, close):
    path = _province_folder(tmp_path, "浙江", spelling)
    with pytest.raises(DataInputError) as info:
        catalog.load_published("firms_by_province", tmp_path)
    error = info.value
    problem = only_problem(error)

    text = assert_located(error, problem, path, 3, "province")
    assert problem.value == spelling
    assert f"value {spelling!r}" in text
    assert "unknown value; close matches: " in text
    assert close in text.split("close matches: ", 1)[1].split(", ")


def test_two_spellings_of_one_province_are_a_duplicate_key(tmp_path):
    path = _province_folder(tmp_path, "江苏", "Jiangsu")
    with pytest.raises(DataInputError) as info:
        catalog.load_published("firms_by_province", tmp_path)
    assert [p.row for p in info.value.problems] == [2, 3]
    for problem in info.value.problems:
        assert_located(info.value, problem, path, problem.row, "province")
        assert "duplicate key ['province']" in str(problem)


# --------------------------------------------------------------------------- the real data


def _records(path: Path) -> int:
    """Data rows of a published CSV, counted independently of helpers.tableio."""
    raw = path.read_bytes()
    for encoding in ("utf-8-sig", "gb18030"):
        try:
            text = raw.decode(encoding)
            break
        except UnicodeDecodeError:
            continue
    rows = list(csv.reader(io.StringIO(text, newline="")))
    return sum(1 for row in rows[1:] if any(cell.strip() for cell in row))


def test_validate_all_on_real_published_data():
    counts = catalog.validate_all()
    specs = catalog.load_catalog()

    assert set(counts) == set(specs)
    assert TABLE in counts
    assert counts[TABLE] == 5
    for name, spec in specs.items():
        path = PUBLISHED_DIR / spec.file
        assert counts[name] > 0, name
        if path.suffix == ".csv":
            assert counts[name] == _records(path), name


# --------------------------------------------------------------------------- known bugs


@pytest.mark.parametrize(
    ("line", "column", "cell", "shown"),
    [
        pytest.param(2, "reviewed", "-155", "value -155:", id="negative-count"),
        pytest.param(6, "batch_no", "0", "value 0:", id="batch-below-1"),
        pytest.param(4, "batch_no", "2", "value 2:", id="duplicate-key"),
        pytest.param(5, "analysed_share_stated", "1.357", "value 1.357:", id="share-above-1"),
    ],
)
def test_numeric_values_shown_as_written(published, line, column, cell, shown):
    corrupt(published, set_cell(line, column, cell))
    error = load_error(published)
    assert all("np." not in text for text in str(error).splitlines())
    assert shown in str(error)


def test_row_number_after_blank_line(published):
    path = corrupt(published, set_cell(4, "batch", "第6批"))
    text = path.read_text(encoding="utf-8").replace("\n3,", "\n\n3,")  # 第6批 moves to line 5
    path.write_text(text, encoding="utf-8")
    problem = only_problem(load_error(published))
    assert problem.value == "第6批"
    assert problem.row == 5
