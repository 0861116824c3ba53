"""What notebooks call: record, check/reconciliation, source lines, declared tables."""

import math

import pandas as pd
import pytest

from helpers.report.chapter import Chapter
from helpers.report.spreadsheet import neutralise_formulas


@pytest.fixture
def chapter(tmp_path):
    return Chapter("01_cultivation", output_dir=str(tmp_path))


def test_record_writes_plain_numbers_labels_and_the_rows_source(chapter, tmp_path):
    """Units and labels come from notebooks/statistics/01_cultivation.yml; a {field} of a
    single key is filled with the category's fixed id."""
    boards = chapter.table("a_share_boards")
    star = boards[boards["board"] == "科创板"]
    share = chapter.record(
        "boards.little_giant_share.{board}", 274 / 550, source=star, board="科创板"
    )
    assert share == 274 / 550
    batches = chapter.table("cultivation_batches")
    chapter.record("batches.announced_total", 12950, source=batches, batches="五")
    lines = (
        (tmp_path / "statistics" / "01_cultivation.csv").read_text(encoding="utf-8").splitlines()
    )
    assert lines == [
        "key,value,unit,label,source,notebook",
        "01_cultivation.boards.little_giant_share.star_market,0.4981818182,占比,科创板上市企业中“小巨人”占比,智慧芽2023 图表1.7,01_cultivation",
        "01_cultivation.batches.announced_total,12950,家,五批公示企业总数,智慧芽2023 图表1.4,01_cultivation",
    ]


def test_record_refuses_nan(chapter):
    batches = chapter.table("cultivation_batches")
    with pytest.raises(ValueError, match="NaN"):
        chapter.record("batches.analysed_total", math.nan, source=batches)


def test_checks_become_a_reconciliation_table_with_mismatches_first(chapter, tmp_path):
    boards = chapter.table("a_share_boards")
    fields = chapter.table("industry_fields")
    chapter.check(boards, "科创板", 0.498, 274 / 550, unit="share")  # 0.49818 -> 0.498: rounding
    chapter.check(
        fields,
        pd.Series(["其他领域", "新材料"]),
        pd.Series([0.126, 0.242]),
        pd.Series([1543 / 12192, 2953 / 12192]),  # 0.12656 is not 0.126; 0.24221 is 0.242
        unit="share",
    )
    chapter.check(boards, "科创板", 0.498, 274 / 550, unit="share")  # a re-run replaces it
    table = chapter.reconciliation()
    assert table[["item", "status"]].values.tolist() == [
        ["其他领域", "mismatch"],
        ["科创板", "rounding"],
        ["新材料", "rounding"],
    ]
    saved = (tmp_path / "tables" / "01_cultivation_reconciliation.csv").read_text(
        encoding="utf-8-sig"
    )
    assert saved.splitlines()[0] == (
        "source,item,stated,recomputed,difference,status,check_id,document,unit,decimals,data_source"
    )


def test_source_line_names_the_document_and_chart(chapter):
    chapter.table("a_share_boards")
    assert chapter.source_line("a_share_boards") == (
        "资料来源：智慧芽《2023年专精特新“小巨人”企业科创力报告》 图表1.7；本报告据此重新计算"
    )


def test_source_line_of_the_synthetic_sample_says_so_by_its_title(tmp_path, sample_tables):
    """The synthetic sample by its title, never its path; its fingerprint is in the book's
    colophon, not in every source line."""
    chapter = Chapter("01_cultivation", data_dir=sample_tables, output_dir=str(tmp_path))
    batches = chapter.table("cultivation_batches")
    line = chapter.source_line("cultivation_batches")
    assert "示例数据（合成样本" in line and "data/sample" not in line
    assert "智慧芽" not in line
    fingerprint = chapter.documents["firm-level"]["fingerprint"]
    assert len(fingerprint) == 12 and fingerprint not in line
    assert chapter.source_ref(batches) == "示例数据（合成）"


@pytest.mark.parametrize(
    ("language", "synthetic", "check", "recorded"),
    [
        ("zh", True, "示例数据（合成）", "示例数据（合成）"),
        ("en", True, "sample data (synthetic)", "sample data (synthetic)"),
        ("zh", False, "企业数据（2024）", "企业数据（2024）"),
        ("en", False, "firm data (2024)", "firm data (2024)"),
    ],
)
def test_a_firm_level_source_names_its_folder_once(language, synthetic, check, recorded):
    """The source of firm-level rows, no word said twice: the synthetic sample by its title, an
    export by its folder's name (never its path; the fingerprint is in the book's colophon),
    in a reconciliation's source cell and for a recorded number (statistics.csv) alike."""
    from helpers.report.sources import FIRM_LEVEL, Sources

    folder = "data/sample" if synthetic else "exports/2024"
    document = {"folder": folder, "fingerprint": "d9ce2aa5d5dc", "synthetic": synthetic}
    rows = pd.DataFrame({"source_doc": [FIRM_LEVEL] * 2, "source_id": ["", ""]})
    sources = Sources({FIRM_LEVEL: document}, language, load=lambda name: rows)
    assert sources.ref(rows, fingerprint=False) == check
    assert sources.ref(rows) == recorded
    assert sources.ref(rows, "any table") == recorded  # cited twice, named once


def test_a_check_of_the_synthetic_sample_names_the_folder_once_in_its_source_cell(
    tmp_path, sample_tables
):
    chapter = Chapter("01_cultivation", data_dir=sample_tables, output_dir=str(tmp_path))
    batches = chapter.table("cultivation_batches")
    chapter.check(batches.iloc[0], "第一批 占比", 0.013, 0.0127, unit="share")
    assert [c["source"] for c in chapter.checks.values()] == ["示例数据（合成）"]


def test_a_table_the_pipeline_does_not_declare_is_refused(chapter):
    with pytest.raises(KeyError, match=r"pipeline\.yml does not declare"):
        chapter.table("firms_by_city")


def test_english_edition_translates_sources(tmp_path):
    chapter = Chapter("01_cultivation", output_dir=str(tmp_path), language="en")
    chapter.table("a_share_boards")
    assert chapter.source_line("a_share_boards") == (
        "Source: PatSnap, 2023 Innovation Capability Report on Little Giant Firms, Chart 1.7; "
        "recomputed for this report"
    )
    assert chapter.as_of("a_share_boards") == "31 July 2023"


def test_the_date_shown_is_the_tables_as_of_not_the_cutoff(tmp_path):
    chapter = Chapter("01_cultivation", output_dir=str(tmp_path), cutoff="2024-12-31")
    chapter.table("cultivation_batches")
    assert chapter.as_of("cultivation_batches") == "2023年7月31日"


def test_source_line_can_name_only_the_rows_used(tmp_path):
    chapter = Chapter("02_innovation", output_dir=str(tmp_path))
    texts = chapter.table("text_figures").set_index("item")
    assert "图表1.3" in chapter.source_line("text_figures")  # the whole table: many sections
    used = texts.loc[["pct_share_of_applications", "patent_applications_cagr_2020_2022"]]
    assert chapter.source_line(used) == (
        "资料来源：智慧芽《2023年专精特新“小巨人”企业科创力报告》 摘要；本报告据此重新计算"
    )


def test_formula_like_text_is_neutralised_for_spreadsheets():
    frame = pd.DataFrame({"name": ["=1+1", "+86", "-x", "@a", "plain"], "n": [1, 2, 3, 4, 5]})
    assert neutralise_formulas(frame)["name"].tolist() == ["'=1+1", "'+86", "'-x", "'@a", "plain"]


def test_our_own_numbers_run_through_the_chapter_and_survive_a_rerun():
    chapter = Chapter("03_regions")
    assert chapter.number("figure", "provinces") == "图3.1"
    assert chapter.number("figure", "lorenz") == "图3.2"
    assert chapter.number("table", "cities") == "表3.1"
    assert chapter.number("figure", "provinces") == "图3.1"  # the same cell run again
    assert Chapter("99_reconciliation", language="en").number("figure", "x") == "Figure A.1"
    # A reproduction names the published chart; our own chart borrows no number.
    assert chapter.published_figure("ch03.fig_3_1") == "智慧芽2023 图表3.1"
    assert chapter.published_figure("ch03.fig_3_1b") == ""
