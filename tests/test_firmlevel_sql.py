"""The aggregators' DuckDB side (helpers.firmlevel.derive: create_analysed, totals_sql,
sql_group_metrics, sql_counts, sql_board_counts): hand-computed figures on a small table of
analysed firms, and the same figures as the pandas reference (analysed_firms, group_metrics) on
the sample, to the last bit."""

from __future__ import annotations

import math

import duckdb
import pandas as pd
import pytest

from helpers.firmlevel import derive
from helpers.firmlevel.firms import FirmLevelData
from helpers.paths import SAMPLE_DIR

YEARLY = ["applications_2020", "pct_2020", "applications_2022", "pct_2022"]


@pytest.fixture
def con():
    """ANALYSED of four firms: province A (firms 1, 2), B (firm 3), none (firm 4)."""
    con = duckdb.connect()
    con.execute(
        f"CREATE TABLE {derive.ANALYSED} (_row BIGINT, province VARCHAR, city VARCHAR, "
        "batch_no BIGINT, applications BIGINT, invention_applications BIGINT, "
        "pct_applications BIGINT, invention_grants BIGINT, citations_received BIGINT, "
        "licences_out BIGINT, valid_invention_patents BIGINT, overseas_markets BIGINT, "
        "listed BOOLEAN, employees BIGINT, applications_2020 DOUBLE, pct_2020 DOUBLE, "
        "applications_2022 DOUBLE, pct_2022 DOUBLE, boards VARCHAR[])"
    )
    con.execute(
        f"INSERT INTO {derive.ANALYSED} VALUES "
        "(2, 'A', 'a1', 1, 10, 4, 1, 2, 3, 0, 5, 2, true, 50, 8, 0, 9, 1, ['创业板', '新三板']), "
        "(3, 'A', 'a2', 2, 30, 6, 1, 1, 1, 2, 1, NULL, false, NULL, 8, 0, 16, 0, []), "
        "(4, 'B', 'b1', 1, 5, 5, 0, 0, 0, 0, 0, 4, true, 20, 1, 0, NULL, 0, ['创业板']), "
        "(5, NULL, NULL, 2, 100, 50, 0, 0, 0, 0, 0, 0, false, 10, 0, 0, 0, 0, [])"
    )
    yield con
    con.close()


def test_group_metrics_of_a_column_in_sql(con):
    by_province = derive.sql_group_metrics_by(con, YEARLY, "province")
    assert sorted(by_province) == ["A", "B"]  # firm 4 has no province: in no group
    a = by_province["A"]
    assert a["firms"] == 2
    assert a["patent_applications_per_firm"] == 20.0  # (10 + 30) / 2
    assert a["invention_share"] == pytest.approx(0.25)  # (4 + 6) / 40
    assert a["grant_rate"] == pytest.approx(0.3)  # (2 + 1) / 10
    assert a["pct_share"] == pytest.approx(0.05)  # 2 / 40
    assert a["citations_per_firm"] == 2.0  # (3 + 1) / 2
    assert a["licences_per_firm"] == 1.0  # 2 / 2
    assert a["valid_invention_patents_per_firm"] == 3.0  # (5 + 1) / 2
    assert a["overseas_markets_per_firm"] == 1.0  # 2 / 2 firms (no value counts as none)
    assert a["employees_per_firm"] == 50.0  # the one firm that gives it
    assert a["listed_firms"] == 1
    assert a["applications_cagr_2020_2022"] == pytest.approx(0.25)  # 16 → 25 over two years
    assert math.isnan(a["pct_cagr_2020_2022"])  # a zero start
    assert math.isnan(by_province["B"]["applications_cagr_2020_2022"])  # a year not known


def test_group_metrics_of_all_firms_a_subset_and_none_in_sql(con):
    everyone = derive.sql_group_metrics(con, YEARLY)
    assert everyone["firms"] == 4
    assert everyone["patent_applications_per_firm"] == 36.25  # 145 / 4
    assert everyone["employees_per_firm"] == pytest.approx(80 / 3)  # 50 + 20 + 10 of 3 firms
    assert math.isnan(everyone["applications_cagr_2020_2022"])  # firm 3's 2022 not known
    listed = derive.sql_group_metrics(con, YEARLY, "listed")
    assert listed["firms"] == 2 and listed["listed_firms"] == 2
    assert math.isnan(listed["applications_cagr_2020_2022"])  # firm 3 again
    a = derive.sql_group_metrics(con, YEARLY, "province = 'A'")
    assert a["applications_cagr_2020_2022"] == pytest.approx(0.25)  # 16 → 25
    none = derive.sql_group_metrics(con, YEARLY, "false")
    assert none["firms"] == 0 and math.isnan(none["patent_applications_per_firm"])
    assert math.isnan(none["applications_cagr_2020_2022"])


def test_sql_group_metrics_equal_the_pandas_ones(con):
    frame = con.execute(f"SELECT * FROM {derive.ANALYSED} ORDER BY _row").df()
    frame["employees"] = frame["employees"].astype("Float64")
    frame["overseas_markets"] = frame["overseas_markets"].astype("Int64")
    for column in ("province", "batch_no"):
        mine = derive.sql_group_metrics_by(con, YEARLY, column)
        theirs = derive.group_metrics_by(frame, column)
        assert mine.keys() == theirs.keys()
        for group, values in theirs.items():
            assert _same(mine[group], values), (column, group)
    assert _same(derive.sql_group_metrics(con, YEARLY), derive.group_metrics(frame))


def test_counts_and_sums_per_group_leave_missing_values_out(con):
    assert derive.sql_counts(con, "province") == {"A": 2, "B": 1}
    assert derive.sql_counts(con, "batch_no") == {1: 2, 2: 2}
    assert derive.sql_counts(con, "province", "batch_no") == {("A", 1): 1, ("A", 2): 1, ("B", 1): 1}
    assert derive.sql_counts(con, "province", value="sum(applications)") == {"A": 40, "B": 5}
    assert derive.sql_counts(con, "batch_no", where="listed") == {1: 2}


def test_board_counts_count_a_dual_listed_firm_on_each_board(con):
    assert derive.sql_board_counts(con) == {"创业板": 2, "新三板": 1}
    assert derive.sql_board_counts(con, "province") == {
        ("A", "创业板"): 1,
        ("A", "新三板"): 1,
        ("B", "创业板"): 1,
    }


def test_a_lookup_table_as_sql_text_quotes_and_keeps_missing_values():
    con = duckdb.connect()
    query = derive._sql_values([("it's", None, True), ("b", "c", False)], ("x", "y", "z"))
    assert con.execute(f"SELECT * FROM {query}").fetchall() == [
        ("it's", None, True),
        ("b", "c", False),
    ]
    empty = derive._sql_values([], ("x", "y"))
    assert con.execute(f"SELECT count(*) FROM {empty}").fetchone() == (0,)


@pytest.fixture(scope="module")
def sample():
    return FirmLevelData(SAMPLE_DIR)


def test_the_analysed_table_holds_the_pandas_figures_of_every_firm(sample):
    table = sample.con.execute(f"SELECT * FROM {sample.analysed_sql} ORDER BY _row").df()
    frame = sample.analysed
    assert table["firm_id"].tolist() == frame.index.tolist()
    for column in ("batch_no", *derive.FLOWS, "valid_invention_patents", "listed", "a_share"):
        assert table[column].tolist() == frame[column].tolist(), column
    for column in ("province", "city", "industry_field", "category"):
        assert _texts(table[column]) == _texts(frame[column]), column
    assert table["cluster"].tolist() == frame["cluster"].tolist()
    assert table["key_field"].tolist() == frame["key_field"].tolist()
    assert [sorted(b) for b in table["boards"]] == [sorted(b) for b in frame["boards"]]
    for column in sample.yearly_columns:
        assert table[column].equals(frame[column].astype(float).reset_index(drop=True)), column


def test_sample_group_metrics_in_sql_equal_the_pandas_ones_to_the_last_bit(sample):
    for column in ("batch_no", "province", "city", "cluster"):
        theirs = derive.group_metrics_by(sample.analysed, column)
        mine = sample.metrics_by(column)
        assert mine.keys() == theirs.keys(), column
        for group, values in theirs.items():
            assert _same(mine[group], values), (column, group)
    assert _same(sample.national, derive.group_metrics(sample.analysed))
    a_share = sample.analysed[sample.analysed["a_share"]]
    assert _same(sample.metrics_where("a_share"), derive.group_metrics(a_share))


def test_firm_values_are_one_column_in_file_order(sample):
    values = sample.firm_values("pct_applications")
    assert values.tolist() == sample.analysed["pct_applications"].tolist()
    assert sample.firm_values("overseas_markets").dtype == "Int64"


def _texts(values: pd.Series) -> list:
    return [None if pd.isna(v) else v for v in values.tolist()]


def _same(mine: dict, theirs: dict) -> bool:
    """Equal dicts of figures, NaN equal to NaN, no tolerance."""
    return mine.keys() == theirs.keys() and all(
        (pd.isna(mine[k]) and pd.isna(theirs[k])) or mine[k] == theirs[k] for k in theirs
    )


def test_yearly_flow_sums_are_the_analysed_firms_rows_after_the_latest_carry_in():
    """Firms a (analysed, A-share), b (analysed), c (not analysed). b's carry-in row covers
    2019 and before: 2019 is left out; 2020 and 2021 are a + b (c's rows subtracted); 2022 has
    only c's rows: no year of the analysed firms."""
    con = duckdb.connect()
    con.execute(
        "CREATE TABLE firms AS SELECT * FROM (VALUES ('a', true), ('b', true), "
        "('c', false)) t(firm_id, analysed)"
    )
    con.execute(
        f"CREATE TABLE {derive.ANALYSED} AS SELECT * FROM (VALUES ('a', true), "
        "('b', false)) t(firm_id, a_share)"
    )
    con.execute(
        "CREATE TABLE patents AS SELECT * FROM (VALUES "
        "('a', 2019, false, 1, 1), ('a', 2020, false, 2, 1), ('a', 2021, false, 3, 0), "
        "('b', 2019, true, 40, 20), ('b', 2020, false, 5, NULL), ('b', 2021, false, 6, 2), "
        "('c', 2020, false, 100, 100), ('c', 2021, true, 100, 100), ('c', 2022, false, 7, 7)"
        ") t(firm_id, year, includes_earlier_years, applications, invention_applications)"
    )
    sums = derive.yearly_flow_sums(con, ["applications", "invention_applications"])
    assert sums == {2020: ([7, 1], [2, 1]), 2021: ([9, 2], [3, 0])}
    # no carry-in row of an analysed firm: every year with their rows
    con.execute("UPDATE patents SET includes_earlier_years = false WHERE firm_id = 'b'")
    sums = derive.yearly_flow_sums(con, ["applications"])
    assert sums == {2019: ([41], [1]), 2020: ([7], [2]), 2021: ([9], [3])}


def test_catalogues_are_written_as_yaml_safe_dump_writes_them(tmp_path):
    """tables.yaml_text (libyaml's emitter) gives yaml.safe_dump's text: every published
    catalogue and the sample's firm-level one."""
    import yaml

    from helpers.data.yamlio import dump_yaml
    from helpers.firmlevel import tables
    from helpers.paths import PUBLISHED_DIR

    tables.write_tables(FirmLevelData(SAMPLE_DIR), tmp_path)
    paths = [*PUBLISHED_DIR.glob("catalog_*.yml"), *tmp_path.glob("*.yml")]
    assert len(paths) > 10
    for path in paths:
        content = yaml.safe_load(path.read_text(encoding="utf-8"))
        expected = yaml.safe_dump(content, allow_unicode=True, sort_keys=False, width=100)
        assert dump_yaml(content) == expected, path.name
