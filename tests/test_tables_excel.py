"""Files people open (issue 22, items 1–3): every CSV in UTF-8 with a byte-order mark and
headers in the edition's language, XLSX files that look like report tables and give the same
bytes every build, and a data package per edition that `frictionless validate` accepts.
Expectations are written out by hand."""

from __future__ import annotations

import json
import re
import subprocess
import sys
import time
import zipfile
from pathlib import Path

import openpyxl
import pandas as pd
import pytest

from helpers.report.spreadsheet import (
    ColumnAbout,
    TableAbout,
    describe,
    number_format,
    save_table_files,
    text_width,
)
from helpers.workflow.datapackage import (
    PACKAGE,
    localised_csv,
    publish_tables,
    read_published,
    zip_name,
)

BOM = b"\xef\xbb\xbf"
FROZEN = "A2"  # the header row stays in view


def batches_frame() -> pd.DataFrame:
    """Two rows of 图表1.4 as chapter 1 saves them: `reviewed` with an empty cell."""
    return pd.DataFrame(
        {
            "batch": ["第一批", "=HYPERLINK(1)"],
            "announced": [248, 1744],
            "reviewed": [155.0, float("nan")],
            "analysed_share": [0.012713, 0.088501],
            "amount": [12.5, 3.0],
            "change_yoy": [-3, 55],
            "key_field": [True, False],
            "data_source": ["资料来源：智慧芽 图表1.4", "资料来源：智慧芽 图表1.4"],
        }
    )


TITLES = {
    "zh": {
        "batch": "批次",
        "announced": "公示（家）",
        "reviewed": "复核/认定通过（家）",
        "analysed_share": "占比（重新计算）",
        "amount": "融资金额",
        "change_yoy": "同比变化（家）",
        "key_field": "重点领域",
        "data_source": "资料来源",
    },
    "en": {
        "batch": "Batch",
        "announced": "Announced (firms)",
        "reviewed": "Reviewed (firms)",
        "analysed_share": "Share (recomputed)",
        "amount": "Amount",
        "change_yoy": "Change (firms)",
        "key_field": "Key field",
        "data_source": "Source",
    },
}
UNITS = {"announced": "家", "reviewed": "家", "analysed_share": "share", "amount": "亿元"}


def about(language: str = "zh") -> TableAbout:
    return describe(
        batches_frame(),
        language=language,
        titles=TITLES[language],
        units=UNITS,
        title="五批企业" if language == "zh" else "Five batches",
        source="资料来源：智慧芽 图表1.4",
        notes=["†为推断值"],
        signed=("change_yoy",),
    )


@pytest.fixture()
def saved(tmp_path) -> Path:
    save_table_files(batches_frame(), tmp_path / "tables", "01_a_fig1_4_batches", about())
    return tmp_path / "tables"


def test_number_formats_follow_the_editions_decimals():
    assert number_format("share") == "#,##0.0%"  # 0.012713 shows 1.3%
    assert number_format("家") == "#,##0"  # 12,950
    assert number_format("件/家") == "#,##0.00"
    assert number_format("倍") == "#,##0.00"
    assert number_format("亿元") == "#,##0.00"
    assert number_format("年") == "0"  # 2023, not 2,023
    assert number_format("家", signed=True) == "+#,##0;-#,##0;#,##0"
    assert number_format("number") is None  # General: the figure as it is


def test_east_asian_characters_count_two_columns():
    assert text_width("abc") == 3
    assert text_width("公示（家）") == 10
    assert text_width("占比12.5%") == 9


def test_the_csv_has_a_bom_machine_names_and_integers_without_decimals(saved):
    raw = (saved / "01_a_fig1_4_batches.csv").read_bytes()
    assert raw.startswith(BOM)
    lines = raw[len(BOM) :].decode("utf-8").splitlines()
    assert (
        lines[0]
        == "batch,announced,reviewed,analysed_share,amount,change_yoy,key_field,data_source"
    )
    # 155, not 155.0; the empty cell stays empty; a formula is neutralised; booleans as words
    assert lines[1] == "第一批,248,155,0.012713,12.5,-3,True,资料来源：智慧芽 图表1.4"
    assert lines[2] == "'=HYPERLINK(1),1744,,0.088501,3.0,55,False,资料来源：智慧芽 图表1.4"
    frame = pd.read_csv(
        saved / "01_a_fig1_4_batches.csv", encoding="utf-8-sig", dtype_backend="numpy_nullable"
    )
    assert str(frame["reviewed"].dtype) == "Int64" and frame["reviewed"].tolist()[0] == 155
    assert str(frame["key_field"].dtype) == "boolean"


def test_the_description_declares_types_units_and_money_in_its_header():
    columns = {c.name: c for c in about().columns}
    assert columns["reviewed"].type == "integer"  # a count with an empty cell
    assert columns["announced"].type == "integer"
    assert columns["analysed_share"].type == "number"
    assert columns["key_field"].type == "boolean"
    assert columns["batch"].type == "string"
    assert columns["amount"].title == "融资金额（亿元）"  # money says its unit
    assert columns["announced"].title == "公示（家）"  # already says it: unchanged
    assert columns["analysed_share"].unit_words == "占比"
    english = {c.name: c for c in about("en").columns}
    assert english["amount"].title == "Amount (CNY 100 million)"


def test_the_xlsx_looks_like_a_report_table(saved):
    book = openpyxl.load_workbook(saved / "01_a_fig1_4_batches.xlsx")
    assert book.sheetnames == ["数据", "说明"]
    data = book["数据"]
    assert data.freeze_panes == FROZEN
    headers = [cell.value for cell in data[1]]
    # the source line is said once, on the second sheet
    assert headers == [
        "批次",
        "公示（家）",
        "复核/认定通过（家）",
        "占比（重新计算）",
        "融资金额（亿元）",
        "同比变化（家）",
        "重点领域",
    ]
    first = {header: cell for header, cell in zip(headers, data[2], strict=True)}
    assert first["批次"].value == "第一批"
    assert (first["公示（家）"].value, first["公示（家）"].number_format) == (248, "#,##0")
    assert first["占比（重新计算）"].number_format == "#,##0.0%"
    assert first["占比（重新计算）"].value == pytest.approx(0.012713)
    assert first["融资金额（亿元）"].number_format == "#,##0.00"
    assert first["同比变化（家）"].number_format == "+#,##0;-#,##0;#,##0"
    assert first["重点领域"].value is True
    assert data["A3"].value == "'=HYPERLINK(1)"  # text, never a formula
    assert data["C3"].value is None  # the empty cell
    # widths fitted to the widest text, a wide character counting two, plus two
    assert data.column_dimensions["A"].width == pytest.approx(len("'=HYPERLINK(1)") + 2, abs=1)
    assert data.column_dimensions["B"].width == pytest.approx(10 + 2, abs=1)  # 公示（家）
    about_sheet = [row for row in book["说明"].iter_rows(values_only=True)]
    assert about_sheet[0][:2] == ("标题", "五批企业")
    assert about_sheet[1][:2] == ("来源", "资料来源：智慧芽 图表1.4")
    assert about_sheet[2][:2] == ("注", "†为推断值")
    assert about_sheet[4] == ("列", "单位", "说明")
    units = {row[0]: row[1] for row in about_sheet[5:]}
    assert units["融资金额（亿元）"] == "亿元" and units["占比（重新计算）"] == "占比"
    assert book.properties.created.year == 2000  # the writer's own fixed document date
    assert book.properties.creator in (None, "")


def test_the_xlsx_gives_the_same_bytes_every_time(tmp_path):
    first, second = tmp_path / "a" / "tables", tmp_path / "b" / "tables"
    save_table_files(batches_frame(), first, "t", about())
    time.sleep(2.1)  # a zip entry's time has a resolution of two seconds
    save_table_files(batches_frame(), second, "t", about())
    assert (first / "t.xlsx").read_bytes() == (second / "t.xlsx").read_bytes()
    with zipfile.ZipFile(first / "t.xlsx") as archive:
        assert {info.date_time for info in archive.infolist()} == {(1980, 1, 1, 0, 0, 0)}


def test_english_sheets_and_headers(tmp_path):
    save_table_files(batches_frame(), tmp_path / "tables", "t", about("en"))
    book = openpyxl.load_workbook(tmp_path / "tables" / "t.xlsx")
    assert book.sheetnames == ["Data", "About"]
    assert book["Data"]["E1"].value == "Amount (CNY 100 million)"
    assert book["About"]["A1"].value == "Title"


def staged_edition(root: Path, language: str) -> Path:
    """A staging folder as the chapters leave it: one table, a reconciliation, statistics."""
    staging = root / "staging"
    save_table_files(batches_frame(), staging / "tables", "01_a_fig1_4_batches", about(language))
    (staging / "tables" / "reconciliation.csv").write_bytes(
        BOM
        + "source,item,stated,recomputed,difference,status,data_source,notebook\n"
        "001 图表1.5,其他领域 占比,0.126,0.12656,0.00056,mismatch,资料来源：本报告,01_a\n".encode()
    )
    (staging / "statistics.csv").write_text(
        "key,value,unit,label,source,notebook\n"
        "01_a.batches.count,5,批,=批次数,001 图表1.4,01_a\n"
        "01_a.change,-3,家,同比变化,001 图表1.6,01_a\n",
        encoding="utf-8",
    )
    return staging


CHECKED = {"kind": "published", "synthetic": False, "data_path": "data/published"}


@pytest.mark.parametrize("language", ["zh", "en"])
def test_published_csvs_have_a_bom_and_headers_in_the_editions_language(tmp_path, language):
    staging = staged_edition(tmp_path, language)
    fresh = tmp_path / "fresh"
    checked = {**CHECKED, "language": language}
    publish_tables(staging, fresh, ["01_a_fig1_4_batches", "reconciliation"], language, checked)
    for name in ("statistics.csv", "tables/01_a_fig1_4_batches.csv", "tables/reconciliation.csv"):
        assert (fresh / name).read_bytes().startswith(BOM), name
    header = (fresh / "statistics.csv").read_text(encoding="utf-8-sig").splitlines()[0]
    table = (fresh / "tables" / "01_a_fig1_4_batches.csv").read_text(encoding="utf-8-sig")
    checks = (fresh / "tables" / "reconciliation.csv").read_text(encoding="utf-8-sig")
    if language == "zh":
        assert header == "键,数值,单位,说明,来源,章节"
        assert table.startswith(
            "批次,公示（家）,复核/认定通过（家）,占比（重新计算）,融资金额（亿元）,"
        )
        assert checks.startswith("来源,项目,公开值,重新计算值,差异,结论,资料来源,章节\n")
    else:
        assert header == "Key,Value,Unit,Meaning,Source,Chapter"
        assert table.startswith("Batch,Announced (firms),Reviewed (firms),Share (recomputed),")
        assert checks.startswith(
            "Source,Item,Published,Recomputed,Difference,Status,Source of the row's figures,Chapter\n"
        )
    # a label that a spreadsheet would run is neutralised; a negative value is a number still
    statistics = (fresh / "statistics.csv").read_text(encoding="utf-8-sig").splitlines()
    assert statistics[1] == "01_a.batches.count,5,批,'=批次数,001 图表1.4,01_a"
    assert statistics[2] == "01_a.change,-3,家,同比变化,001 图表1.6,01_a"
    # read back under the machine names
    frame = read_published(fresh / "statistics.csv")
    assert list(frame.columns) == ["key", "value", "unit", "label", "source", "notebook"]
    assert frame.set_index("key").loc["01_a.change", "value"] == "-3"


def test_a_published_csv_passes_every_cell_through_as_text(tmp_path):
    # Commas, quotes, a line break, an empty cell and a leading zero come out as they went in;
    # only the header is in the edition's words and the neutralised column is neutralised.
    source = tmp_path / "in.csv"
    source.write_bytes(
        BOM + b'code,label,value\n007,"a, b",""\n010,"say ""hi""\nthen",1.50\n8,=SUM(A1),\n'
    )
    columns = [ColumnAbout("code", "代码", "string"), ColumnAbout("value", "数值", "number")]
    about = TableAbout(language="zh", title="t", source="", columns=columns)
    target = tmp_path / "out" / "out.csv"
    localised_csv(source, target, about, neutralise=["label"])
    assert (
        target.read_bytes()
        == BOM
        + ('代码,label,数值\n007,"a, b",\n010,"say ""hi""\nthen",1.50\n8,\'=SUM(A1),\n').encode()
    )


def test_the_data_package_describes_every_csv_and_frictionless_accepts_it(tmp_path):
    staging = staged_edition(tmp_path, "zh")
    fresh = tmp_path / "fresh"
    publish_tables(
        staging,
        fresh,
        ["01_a_fig1_4_batches", "reconciliation"],
        "zh",
        {**CHECKED, "language": "zh"},
    )
    package = json.loads((fresh / PACKAGE).read_text(encoding="utf-8"))
    paths = [r["path"] for r in package["resources"]]
    assert paths == [
        "statistics.csv",
        "tables/01_a_fig1_4_batches.csv",
        "tables/reconciliation.csv",
    ]
    fields = {f["machineName"]: f for f in package["resources"][1]["schema"]["fields"]}
    assert fields["reviewed"] == {
        "name": "复核/认定通过（家）",
        "machineName": "reviewed",
        "type": "integer",
        "description": "复核/认定通过（家）",
        "unit": "家",
    }
    assert fields["analysed_share"]["type"] == "number" and fields["key_field"]["type"] == "boolean"
    assert package["resources"][1]["sources"] == [{"title": "资料来源：智慧芽 图表1.4"}]
    assert package["licenses"][0]["name"] == "MIT"
    assert "权利归其发布方所有" in package["description"]
    assert {"title": "智慧芽《2023年专精特新“小巨人”企业科创力报告》"} in package["sources"]
    assert_valid_package(fresh)


def test_the_tables_zip_is_sorted_dated_and_byte_identical(tmp_path):
    made = []
    for name in ("a", "b"):
        staging = staged_edition(tmp_path / name, "zh")
        fresh = tmp_path / name / "fresh"
        publish_tables(
            staging,
            fresh,
            ["01_a_fig1_4_batches", "reconciliation"],
            "zh",
            {**CHECKED, "language": "zh"},
        )
        made.append((fresh / zip_name("zh")).read_bytes())
        time.sleep(2.1 if name == "a" else 0)
    assert made[0] == made[1]
    with zipfile.ZipFile(tmp_path / "a" / "fresh" / zip_name("zh")) as archive:
        names = archive.namelist()
        assert (
            names
            == sorted(names)
            == [
                PACKAGE,
                "statistics.csv",
                "tables/01_a_fig1_4_batches.csv",
                "tables/reconciliation.csv",
            ]
        )
        assert {info.date_time for info in archive.infolist()} == {(1980, 1, 1, 0, 0, 0)}


def assert_valid_package(folder: Path) -> None:
    """`frictionless validate` (the command a user runs) accepts the folder's package."""
    command = Path(sys.executable).with_name("frictionless")
    done = subprocess.run(
        [str(command), "validate", "--json", PACKAGE], cwd=folder, capture_output=True, text=True
    )
    report = json.loads(done.stdout)
    errors = [
        (task["name"], error["message"]) for task in report["tasks"] for error in task["errors"]
    ]
    assert report["valid"] and done.returncode == 0, errors[:10]


@pytest.mark.parametrize("language", ["zh", "en"])
def test_a_built_edition_opens_in_excel_and_its_package_is_valid(editions, language):
    """The published editions: every CSV with a BOM and headers in the edition's language (no
    snake_case machine name in the Chinese edition, no Chinese in the English one), every XLSX
    with a frozen header and a second sheet, every figure's data beside it, the package valid,
    the zip linked from the index."""
    edition = editions("data/published", language) / language
    check_built_edition(edition, language)


@pytest.mark.parametrize("language", ["zh", "en"])
def test_every_chart_of_the_sample_editions_offers_its_data(editions, language):
    """The firm-level sample draws the charts only firm data gives (chapter 06's screening,
    chapter 03's bubbles, 图2.4 by year): each has its data's CSV and XLSX beside it too."""
    edition = editions("data/sample", language) / f"sample-{language}"
    package = json.loads((edition / PACKAGE).read_text(encoding="utf-8"))
    assert_every_figure_has_its_data(edition, {r["path"] for r in package["resources"]})


def check_built_edition(edition: Path, language: str) -> None:
    package = json.loads((edition / PACKAGE).read_text(encoding="utf-8"))
    described = {r["path"] for r in package["resources"]}
    csvs = {p.relative_to(edition).as_posix() for p in edition.rglob("*.csv")}
    assert csvs == described  # every CSV described, nothing else
    for name in sorted(csvs):
        raw = (edition / name).read_bytes()
        assert raw.startswith(BOM), name
        header = raw[len(BOM) :].decode("utf-8").split("\n", 1)[0]
        if language == "zh":
            assert not any(cell.isascii() and "_" in cell for cell in header.split(",")), (
                name,
                header,
            )
        else:
            assert not re.search(r"[\u3000-\u303f\u4e00-\u9fff\uff00-\uffef]", header), (
                name,
                header,
            )
    for resource in package["resources"]:
        for field in resource["schema"]["fields"]:
            assert field["description"] and field["machineName"], (resource["path"], field)
    batches = read_published(edition / "tables" / "01_cultivation_fig1_4_batches.csv")
    assert "reviewed" in batches
    book = openpyxl.load_workbook(edition / "tables" / "01_cultivation_fig1_4_batches.xlsx")
    assert len(book.sheetnames) == 2 and book.worksheets[0].freeze_panes == FROZEN
    index = (edition / "index.html").read_text(encoding="utf-8")
    assert f'href="{zip_name(edition.name)}"' in index and 'href="datapackage.json"' in index
    assert_every_figure_has_its_data(edition, described)
    assert_valid_package(edition)


def assert_every_figure_has_its_data(edition: Path, described: set[str]) -> None:
    """Every chart of every page (book, chapters, profiles; its PNG linked beside it) has its
    data's CSV and XLSX linked on the same page under the chart's name, both files there, the
    CSV described in datapackage.json and packed in the tables' zip (issue 22, item 4)."""
    from bs4 import BeautifulSoup

    with zipfile.ZipFile(edition / zip_name(edition.name)) as archive:
        zipped = set(archive.namelist())
    pages = sorted((edition / "html").glob("*.html")) + sorted(
        (edition / "profiles").glob("*.html")
    )
    charts = 0
    for page in pages:
        soup = BeautifulSoup(page.read_text(encoding="utf-8"), "html.parser")
        links = {a["href"].removeprefix("../") for a in soup.select("p.downloads a[href]")}
        for png in sorted(link for link in links if link.endswith(".png")):
            charts += 1
            stem = Path(png).stem
            for extension in ("csv", "xlsx"):
                data = f"tables/{stem}.{extension}"
                assert data in links, (page.name, stem, extension)
                assert (edition / data).is_file(), data
            assert f"tables/{stem}.csv" in described & zipped, stem
    assert charts > 0


def test_a_column_without_a_unit_takes_the_one_its_chinese_header_names():
    """融资笔数（笔） and 融资金额（亿元） (chapter 4's financing table passes no units): counts
    with separators, money with its unit in the English header too."""
    frame = pd.DataFrame({"segment": ["全部"], "deals": [2768], "amount": [4046.6]})
    columns = {
        c.name: c
        for c in describe(
            frame,
            language="en",
            titles={"segment": "Segment", "deals": "Deals", "amount": "Amount"},
            units={},
            title="",
            source="",
        ).columns
    }
    assert (columns["deals"].unit, columns["deals"].type) == ("笔", "integer")
    assert columns["deals"].description == "Deals"  # its header says the unit already
    assert columns["amount"].unit == "亿元"
    assert columns["amount"].title == "Amount (CNY 100 million)"
    assert columns["segment"].unit == ""


def test_a_csv_published_before_the_package_reads_as_it_is(tmp_path):
    """The last edition published before this change (machine names, no BOM) still compares."""
    edition = tmp_path / "zh"
    edition.mkdir()
    (edition / "statistics.csv").write_text("key,value\n01_a.n,5\n", encoding="utf-8")
    frame = read_published(edition / "statistics.csv")
    assert frame.to_dict("list") == {"key": ["01_a.n"], "value": ["5"]}
