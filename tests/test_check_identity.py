"""One count of the checks: a check is the printed figure it checks (table, row key, column),
so a figure checked in a chapter and by the catalogue's `reconcile:` entries is one item, in the
chapter's words; small tables with hand-made ids."""

import pandas as pd
import pytest

from helpers.report.chapter import Chapter
from helpers.stats import reconcile


def rows_of(table: str, frame: pd.DataFrame) -> pd.DataFrame:
    frame.attrs["table"] = table
    return frame


def test_cell_id_names_table_key_and_column():
    assert reconcile.cell_id("sq_financing", ["全部"], "avg_deal_stated") == (
        "sq_financing:全部:avg_deal_stated"
    )
    # a key read as 1 or as 1.0 is the same figure; several key columns joined by |
    assert reconcile.cell_id("cultivation_batches", [1.0], "x") == "cultivation_batches:1:x"
    assert (
        reconcile.cell_id("t", ["存量授权专利", "合计"], "patents") == "t:存量授权专利|合计:patents"
    )


def test_printed_cells_of_a_series_taken_from_the_rows():
    rows = pd.DataFrame(
        {"segment": ["全部", "已上市", "未上市"], "deals": [2768, 1024, 1744], "source_doc": "000"},
        index=[10, 11, 12],
    )
    cells = reconcile.printed_cells(rows, rows.loc[[10, 12], "deals"], ("segment",), "fin")
    assert cells == [("fin:全部:deals", "000"), ("fin:未上市:deals", "000")]
    # a Series with the same index but other values (a derived table reindexed) is no cell
    other = pd.Series([1, 2], index=[10, 12], name="deals")
    assert reconcile.printed_cells(rows, other, ("segment",), "fin") == [None, None]
    # a column the rows do not have, or rows without the key: no cell
    derived = pd.Series([2768], index=[10], name="stated")
    assert reconcile.printed_cells(rows, derived, ("segment",), "fin") == [None]
    assert reconcile.printed_cells(rows, rows["deals"], ("batch",), "fin") == [None] * 3


def test_printed_cells_of_rows_indexed_by_their_key():
    texts = pd.DataFrame(
        {"item": ["batch1_multiple", "other"], "value": [1.5, 2.0], "source_doc": "001"}
    ).set_index("item")
    stated = texts.loc[["batch1_multiple"], "value"]
    assert reconcile.printed_cells(texts.loc[["batch1_multiple"]], stated, ("item",), "t") == [
        ("t:batch1_multiple:value", "001")
    ]


def test_printed_cells_of_a_number_read_from_one_row():
    row = pd.DataFrame(
        {"item": ["top3"], "value": [0.36], "value_max": [float("nan")], "source_doc": ["001"]}
    )
    assert reconcile.printed_cells(row, 0.36, ("item",), "text") == [("text:top3:value", "001")]
    # not in the row, or in several rows: no cell
    assert reconcile.printed_cells(row, 0.37, ("item",), "text") == [None]
    two = pd.concat([row, row.assign(item="other")], ignore_index=True)
    assert reconcile.printed_cells(two, 0.36, ("item",), "text") == [None]
    # two columns holding the same number: ambiguous, no cell
    same = pd.DataFrame({"k": ["a"], "x": [5.0], "y": [5.0]})
    assert reconcile.printed_cells(same, 5.0, ("k",), "t") == [None]


def test_one_per_figure_keeps_the_first_place_and_checks_without_id():
    chapter = pd.DataFrame(
        {"check_id": ["t:a:x", "01:own"], "item": ["a in the chapter's words", "own"]}
    )
    catalogue = pd.DataFrame(
        {"check_id": ["t:a:x", "t:b:x"], "item": ["a in the catalogue's words", "b"]}
    )
    untitled = pd.DataFrame({"check_id": [None, None], "item": ["u1", "u2"]})
    merged = reconcile.one_per_figure(chapter, catalogue, None, untitled)
    assert merged["item"].tolist() == ["a in the chapter's words", "own", "b", "u1", "u2"]
    assert reconcile.one_per_figure(None, pd.DataFrame()).empty


def test_published_checks_carry_the_id_of_the_figure_they_check():
    checks = reconcile.published_checks().set_index("check_id")
    assert not checks.index.duplicated().any()
    # the four figures of 000 that disagree with their parts, by the cell that prints them
    for check_id in [
        "sq_financing:全部:avg_deal_stated",
        "sq_financing:已上市（A股及新三板）:avg_deal_stated",
        "sq_financing:未上市:avg_deal_stated",
        "sq_patents_by_type:存量授权专利|合计:patents",
    ]:
        assert check_id in checks.index
    # a parts_sum check names its total row; a between_rows check its stated row
    assert "sq_financing:全部:deals" in checks.index
    assert "dzb_shandong_industry:产量居全国前三位的主要产品占比:value_stated" in checks.index


@pytest.fixture
def chapter(tmp_path):
    return Chapter("04_portrait", output_dir=str(tmp_path))


def test_a_chapter_check_of_a_catalogued_figure_has_the_catalogue_s_id(chapter, tmp_path):
    financing = chapter.table("sq_financing")
    every = financing[financing["segment"] == "全部"]
    chapter.check(every, "全部平均单笔融资额＝金额÷笔数", 1.7, 4046.6 / 2768, 1, "亿元")
    chapter.check(every, "全部融资笔数", every["deals"], 1024 + 1744, 0, "笔")
    chapter.check(financing, "a figure computed from several cells", 3.0, 3.0, unit="倍")
    chapter.check(financing, "given", 1.0, 1.0, unit="倍", check_ids="sq_financing:全部:x")
    ids = [c["check_id"] for c in chapter.checks.values()]
    assert ids == [
        "sq_financing:全部:avg_deal_stated",  # the one cell of the one row holding 1.7
        "sq_financing:全部:deals",  # the cell the Series came from
        "04_portrait:a figure computed from several cells",  # the chapter's own
        "sq_financing:全部:x",
    ]
    assert {c["document"] for c in chapter.checks.values()} == {"000"}
    catalogued = set(reconcile.published_checks()["check_id"])
    assert set(ids[:2]) <= catalogued
    # the chapter's checks as the appendix reads them
    chapter.reconciliation()
    ledger = pd.read_csv(tmp_path / "statistics" / "04_portrait.checks.csv", dtype=str)
    assert ledger["check_id"].tolist()[0] == "sq_financing:全部:avg_deal_stated"  # mismatch first
    assert ledger.columns.tolist()[:2] == ["check_id", "document"]
    assert set(ledger["notebook"]) == {"04_portrait"}


def test_check_table_names_each_row_s_cell_even_from_a_merged_frame(tmp_path):
    chapter = Chapter("01_cultivation", output_dir=str(tmp_path))
    shares = chapter.table("industry_shares_by_population")
    mine = shares[shares["population"] == "小巨人"].merge(
        pd.DataFrame({"category": ["新材料"], "share": [0.2422]}), on="category"
    )  # a merge keeps no attrs and renumbers the rows
    chapter.check_table(mine, "category", "share_stated", "share", unit="share", source=shares)
    (check,) = chapter.checks.values()
    assert check["check_id"] == "industry_shares_by_population:新材料|小巨人:share_stated"
