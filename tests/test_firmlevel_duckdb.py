"""The firm-level step on DuckDB: Parquet input, GBK transcoding and mojibake refusal, problems
across files reported with per-file ones, the cap on reported rows, and patent-level input
(patent_records) giving the same tables as patents by firm and year, on the hand-made export of
tests/test_firms.py and on the sample."""

from __future__ import annotations

import duckdb
import pandas as pd
import pytest

from helpers.data.errors import DataInputError
from helpers.firmlevel import checks
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
