"""The firm-level step on DuckDB: Parquet input, GBK transcoding and mojibake refusal, problems
across files reported with per-file ones, the cap on reported rows, and patent-level input
(patent_records) giving the same tables as patents by firm and year, on the hand-made export of
tests/test_firms.py and on the sample."""

from __future__ import annotations

from pathlib import Path

import duckdb
import pandas as pd
import pytest

from helpers.data.errors import DataInputError
from helpers.firmlevel import checks, integrity
from helpers.firmlevel.firms import FirmLevelData
from helpers.paths import SAMPLE_DIR
from tests.test_firms import FIRMS, LISTINGS, PATENTS, write
from tools.patent_records import convert


def _tables(data: FirmLevelData) -> dict[str, pd.DataFrame]:
    tables = {}
    for name in data.tables():
        frame = data.table(name)
        frame["source_id"] = frame["source_id"].str.replace("patent_records.csv", "patents.csv")
        tables[name] = frame
    return tables


def _assert_same(left: dict, right: dict) -> None:
    assert set(left) == set(right)
    for name in left:
        pd.testing.assert_frame_equal(left[name], right[name], check_exact=True, obj=name)


def test_parquet_input_gives_the_same_tables(tmp_path):
    csv_folder = write(tmp_path / "csv")
    parquet = tmp_path / "parquet"
    parquet.mkdir()
    con = duckdb.connect()
    for name in ("firms", "patents", "listings"):
        con.execute(
            f"COPY (SELECT * FROM read_csv('{csv_folder / name}.csv', all_varchar = true)) "
            f"TO '{parquet / name}.parquet' (FORMAT parquet)"
        )
    left = FirmLevelData(csv_folder, city_min_firms=1)
    right = FirmLevelData(parquet, city_min_firms=1)
    assert right.files["firms"].endswith("firms.parquet")
    for name in left.tables():
        a, b = left.table(name), right.table(name)
        b["source_id"] = b["source_id"].str.replace(".parquet", ".csv")
        pd.testing.assert_frame_equal(a, b, check_exact=True, obj=name)


def test_parquet_row_numbers_count_the_header(tmp_path):
    folder = write(tmp_path / "bad")
    duckdb.connect().execute(
        f"COPY (SELECT * REPLACE (CASE WHEN firm_id = 'F6' THEN -400 ELSE employees END "
        f"AS employees) FROM read_csv('{folder}/firms.csv')) TO '{folder}/firms.parquet'"
    )
    (folder / "firms.csv").unlink()
    with pytest.raises(DataInputError) as caught:
        FirmLevelData(folder)
    (problem,) = caught.value.problems
    assert (problem.row, problem.column, problem.value) == (7, "employees", -400)


def test_gbk_file_is_transcoded_and_western_text_refused(tmp_path):
    data = FirmLevelData(write(tmp_path / "gbk", encoding="gbk"))
    assert data.firms["province"].tolist()[:2] == ["北京市", "江苏省"]
    # A Windows-1252 file: ü + l decodes as GBK to one rare hanzi ("M黮ler"), which is refused.
    firms = FIRMS.splitlines(keepends=True)[0] + (
        "F1,Müller GmbH,1,confirmed,true,Beijing,Beijing,x,100,true,0\n"
    )
    with pytest.raises(DataInputError) as caught:
        FirmLevelData(write(tmp_path / "latin", firms=firms, encoding="cp1252"))
    (problem,) = caught.value.problems
    assert "not Chinese text" in problem.message and problem.row == 2


def test_cross_file_problems_come_with_per_file_ones(tmp_path):
    firms = FIRMS.replace("F4,丁公司,4,revoked,true,上海市", "F4,丁公司,4,revoked,true,湖北x")
    patents = PATENTS + "F6,2024,false,1,0,0,0,0,0,0\n"
    with pytest.raises(DataInputError) as caught:
        FirmLevelData(write(tmp_path / "bad", firms=firms, patents=patents))
    found = {(p.file.rsplit("/", 1)[-1], p.row, p.column) for p in caught.value.problems}
    assert ("firms.csv", 5, "province") in found
    assert ("patents.csv", 12, "year") in found  # after the cut-off, in the same run


def test_problems_are_capped_per_check(tmp_path):
    rows = "".join(f"G{i},名{i},0,confirmed,true,北京,,新材料,1,true,0\n" for i in range(120))
    firms = FIRMS.splitlines(keepends=True)[0] + rows
    with pytest.raises(DataInputError) as caught:
        FirmLevelData(write(tmp_path / "many", firms=firms, patents=None, listings=None))
    problems = caught.value.problems
    assert len(problems) == checks.PROBLEM_ROWS + 1
    assert "70 more rows" in problems[-1].message


def test_patent_records_give_the_same_tables_on_the_hand_made_export(tmp_path):
    source = write(tmp_path / "by_year")
    records = convert(source, tmp_path / "records")
    assert not (records / "patents.csv").exists()
    _assert_same(
        _tables(FirmLevelData(source, city_min_firms=1)),
        _tables(FirmLevelData(records, city_min_firms=1)),
    )


def test_patent_records_give_the_same_tables_on_the_sample(tmp_path):
    records = convert(SAMPLE_DIR, tmp_path / "records")
    _assert_same(_tables(FirmLevelData(SAMPLE_DIR)), _tables(FirmLevelData(records)))


def test_patent_records_validation(tmp_path):
    folder = write(tmp_path / "bad", patents=None, listings=LISTINGS)
    (folder / "patent_records.csv").write_text(
        "firm_id,application_date,patent_type,pct,grant_date,status\n"
        "F1,2021-03-05,发明,否,2021-01-01,有效\n"
        "F1,2023-09-01,实用新型,false,,valid\n"
        "F1,2021-3-5,软件,false,,pending\n"
        "F9,2020/01/02,invention,true,,invalid\n",
        encoding="utf-8",
    )
    with pytest.raises(DataInputError) as caught:
        FirmLevelData(folder)
    found = {(p.row, p.column): p.message for p in caught.value.problems}
    assert "unknown value" in found[(4, "patent_type")]
    assert set(found) == {(4, "patent_type")}  # schema problems first
    (folder / "patent_records.csv").write_text(
        "firm_id,application_date,patent_type,pct,grant_date,status\n"
        "F1,2021-03-05,发明,否,2021-01-01,有效\n"
        "F1,2023-09-01,实用新型,false,,valid\n"
        "F9,2020/01/02,invention,true,,invalid\n",
        encoding="utf-8",
    )
    with pytest.raises(DataInputError) as caught:
        FirmLevelData(folder)
    found = {(p.row, p.column): p.message for p in caught.value.problems}
    assert "before its application date" in found[(2, "grant_date")]
    assert "after the cut-off" in found[(3, "application_date")]
    assert "unknown firm_id" in found[(4, "firm_id")]


def test_patents_and_patent_records_together_are_refused(tmp_path):
    folder = write(tmp_path / "both")
    records = convert(folder, tmp_path / "records") / "patent_records.csv"
    (folder / "patent_records.csv").write_bytes(records.read_bytes())
    with pytest.raises(DataInputError, match="not both"):
        FirmLevelData(folder)


def test_cells_off_the_fast_path_read_as_before(tmp_path):
    # Canonical cells take a plain cast; padded, signed, zero-padded, thousands-separated and
    # spelled ones go through the general expression and give the same values.
    header, *rows = FIRMS.splitlines(keepends=True)
    padded = rows[0].replace(",100,true,0", ",\u3000+0100 ,\tTRUE ,0\n").replace("\n\n", "\n")
    folder = write(tmp_path / "padded", firms=header + padded + "".join(rows[1:]))
    left = FirmLevelData(write(tmp_path / "plain"), city_min_firms=1)
    right = FirmLevelData(folder, city_min_firms=1)
    pd.testing.assert_frame_equal(left.firms, right.firms)
    # What a bare cast would take but the schema does not: refused with the cell named.
    for value in ("3.5", "1e3", "0x10", "1_000"):
        bad = header + rows[0].replace(",100,true,0", f",{value},true,0") + "".join(rows[1:])
        with pytest.raises(DataInputError) as caught:
            FirmLevelData(write(tmp_path / f"bad{value}", firms=bad))
        (problem,) = caught.value.problems
        assert (problem.row, problem.column, problem.value) == (2, "employees", value)
        assert problem.message.startswith("expected int")


def test_gbk_text_after_the_first_bytes_is_transcoded(tmp_path):
    # The header and the first 64 KB are ASCII; the Chinese text that makes it GBK comes later,
    # where DuckDB finds the bytes are not UTF-8.
    header, *rows = FIRMS.splitlines(keepends=True)
    ascii_rows = "".join(
        f"A{i},Firm {i},1,confirmed,false,北京市,,新材料,1,true,0\n".replace("北京市", "Beijing")
        for i in range(4000)
    )
    folder = write(tmp_path / "late", firms=header + ascii_rows + "".join(rows), encoding="gbk")
    data = FirmLevelData(folder, city_min_firms=1)
    assert data.count("SELECT count(*) FROM firms") == 4006
    assert data.firms["name"].iloc[-1] == "己公司"


def test_a_typed_table_keeps_the_rows_in_their_files_order(tmp_path, monkeypatch):
    """A row's line is its position in the typed table. A typing scan with a long IN (…) list
    (a column's spellings, a text cell's edge whitespace) over a source read by two threads:
    DuckDB 2.0 rewrites the list into a join, which stored 2.8 M of 3 M rows out of order."""
    from helpers.firmlevel import engine

    monkeypatch.setattr(engine, "THREADS", 2)
    con = engine.connect(tmp_path)
    con.execute(
        "CREATE TABLE source AS SELECT range AS line, CAST(range % 13 AS VARCHAR) AS cell "
        "FROM range(3000000)"
    )
    listed = ", ".join(f"'{n}'" for n in range(1, 12))
    con.execute(
        f"CREATE TABLE typed AS SELECT line, CASE WHEN cell IN ({listed}) THEN cell END AS v "
        "FROM source"
    )
    assert con.execute("SELECT count(*) FILTER (WHERE rowid <> line) FROM typed").fetchone() == (0,)


def name(file: str) -> str:
    return Path(file).name


def test_patent_numbers_off_the_canonical_form_are_refused_with_their_row(tmp_path):
    # PATENTS is written in canonical form (typed by the plain cast). Line 6 is F3's 2021 row
    # (header = line 1), its applications 6: a bare cast would read 3.5 as 4, 1e3 as 1000,
    # 2.0 as 2 and 0x10 as 16; the schema refuses each, naming the cell.
    header, *rows = PATENTS.splitlines(keepends=True)
    assert rows[4].startswith("F3,2021,false,6,")
    for value in ("3.5", "1e3", "2.0", "0x10"):
        bad = rows[4].replace("F3,2021,false,6,", f"F3,2021,false,{value},")
        patents = header + "".join(rows[:4]) + bad + "".join(rows[5:])
        with pytest.raises(DataInputError) as caught:
            FirmLevelData(write(tmp_path / f"bad{value}", patents=patents))
        found = [(name(p.file), p.row, p.column, p.value, p.message) for p in caught.value.problems]
        assert found == [("patents.csv", 6, "applications", value, "expected int (件)")]


def test_a_whole_number_beyond_the_plain_cast_is_read_and_checked(tmp_path):
    # 3,000,000,000 citations (line 6) does not fit the fast path's INTEGER cast: the general
    # expression reads it as a whole number, and the range check names it (max 100,000,000).
    header, *rows = PATENTS.splitlines(keepends=True)
    bad = rows[4].replace("F3,2021,false,6,3,1,1,5,", "F3,2021,false,6,3,1,1,3000000000,")
    assert bad != rows[4]
    patents = header + "".join(rows[:4]) + bad + "".join(rows[5:])
    with pytest.raises(DataInputError) as caught:
        FirmLevelData(write(tmp_path / "big", patents=patents))
    found = [(p.row, p.column, p.value, p.message) for p in caught.value.problems]
    assert found == [(6, "citations_received", 3000000000, "must be at most 100000000")]


def test_cell_checks_of_a_canonical_file_are_counted_in_its_typing_scan(tmp_path):
    # Canonical patents with two range problems: year 1980 on line 6 (min 1985) and
    # pct_applications -1 on line 5 (min 0), reported in column order, then by row.
    header, *rows = PATENTS.splitlines(keepends=True)
    rows[3] = rows[3].replace("F3,2020,false,4,2,4,", "F3,2020,false,4,2,-1,")
    rows[4] = rows[4].replace("F3,2021,", "F3,1980,")
    with pytest.raises(DataInputError) as caught:
        FirmLevelData(write(tmp_path / "ranges", patents=header + "".join(rows)))
    found = [(p.row, p.column, p.value, p.message) for p in caught.value.problems]
    assert found == [
        (6, "year", 1980, "must be at least 1985"),
        (5, "pct_applications", -1, "must be at least 0"),
    ]
    # Canonical firms (是/否 written true/false) whose only problem is a province that is no
    # province after the aliases (line 7, F6): checked after the aliases update the column,
    # though every check counted in the typing scan passed.
    firms = (
        FIRMS.replace(",是,", ",true,")
        .replace(",否,", ",false,")
        .replace(",广东省,清远市", ",火星,清远市")
    )
    with pytest.raises(DataInputError) as caught:
        FirmLevelData(write(tmp_path / "province", firms=firms))
    found = [(name(p.file), p.row, p.column, p.value) for p in caught.value.problems]
    assert found == [("firms.csv", 7, "province", "火星")]
    assert caught.value.problems[0].message.startswith("unknown value")


def test_patent_screen_counts_firms_per_check_with_or_without_the_key_groups(tmp_path):
    # The hand-made patents pass every check at the 2023-07-31 cut-off. At a 2021-07-31 cut-off
    # five firms have a row after 2021 (F1, F2, F3, F4 in 2022; F5 in 2023); F1's and F4's
    # carry-in rows (2019) are their earliest; no row has more invention applications than
    # applications; every firm_id is in firms.
    data = FirmLevelData(write(tmp_path / "plain"), city_min_firms=1)
    clean = {"inventions": 0, "late": 0, "carry": 0, "unknown": 0}
    assert integrity.patent_screen(data.con, "2023-07-31", True) == clean
    late = {**clean, "late": 5}
    assert integrity.patent_screen(data.con, "2021-07-31", True) == late
    # The same from the groups made with the duplicate check (validate's by_key).
    aggregates = integrity.patent_aggregates("2021-07-31")
    selected = ", ".join(f"{sql} AS {name}" for name, sql in aggregates.items())
    groups = checks.key_groups("patents")
    data.con.execute(
        f"CREATE TABLE {groups} AS SELECT firm_id, {selected} FROM patents GROUP BY ALL"
    )
    assert integrity.patent_screen(data.con, "2021-07-31", True, groups) == late


def test_canonical_whole_numbers_are_stored_as_integer_and_aggregate_the_same(tmp_path):
    # PATENTS is canonical: its counts are typed INTEGER (half a BIGINT's memory). The same file
    # with one count written " 6" takes the general expression (BIGINT); the figures agree.
    def int_types(data):
        query = (
            "SELECT DISTINCT data_type FROM information_schema.columns "
            "WHERE table_name = '_typed_patents' AND column_name IN ('year', 'applications')"
        )
        return {row[0] for row in data.con.execute(query).fetchall()}

    canonical = FirmLevelData(write(tmp_path / "canonical"), city_min_firms=1)
    header, *rows = PATENTS.splitlines(keepends=True)
    assert rows[4].startswith("F3,2021,false,6,")
    spaced = rows[4].replace("F3,2021,false,6,", 'F3,2021,false," 6",')
    general = FirmLevelData(
        write(
            tmp_path / "general", patents=header + "".join(rows[:4]) + spaced + "".join(rows[5:])
        ),
        city_min_firms=1,
    )
    assert int_types(canonical) == {"INTEGER"}
    assert int_types(general) == {"BIGINT"}
    query = "SELECT firm_id, year, applications FROM patents ORDER BY _row"
    assert canonical.con.execute(query).fetchall() == general.con.execute(query).fetchall()
    pd.testing.assert_frame_equal(canonical.analysed, general.analysed)
