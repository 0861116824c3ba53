"""Real exports as they come (issue 11, item 1): Chinese headers mapped to schema columns
(helpers.firmlevel.columns), a GBK CSV firm export, an XLSX with a title row, a merged header cell,
two sheets and a 合计 row, a patent-database export, columns.yml, unknown and missing columns.
Every fixture is written into tmp_path; expected values are worked out by hand in the comments."""

from __future__ import annotations

import duckdb
import openpyxl
import pytest

from helpers.data.errors import DataInputError
from helpers.firmlevel import columns
from helpers.firmlevel.columns import Matcher, batch_words, chinese_number, normalise
from helpers.firmlevel.firms import FirmLevelData
from helpers.firmlevel.read import FirmLevelInput
from helpers.firmlevel.tables import ensure_tables

# Four firms as a 企查查-style export writes them: Chinese headers, 第N批, 是/否, 58人 and money
# in 万元/亿元; 国标行业, 成立日期 and 注册资本 are not schema columns (ignored and listed).
HEADER = (
    "企业名称,统一社会信用代码,所属省份,所属城市,参保人数,国标行业,成立日期,注册资本,"
    "批次,复核状态,纳入分析,重点产业领域,是否获得融资,海外市场数,营业收入"
)
ROWS = [
    "甲公司,91110000A,北京,北京,58人,制造业,2010-05-01,500万元,第一批,通过,是,新材料,是,0,"
    '"1,200万元"',
    "乙公司,91320000B,江苏,苏州,120,制造业,2012-01-01,1000万元,第2批,复核通过,是,新材料,否,2,"
    "1.5亿元",
    "丙公司,91440000C,广东省,深圳市,-,批发和零售业,2015-03-01,300万元,第二批,公示,否,"
    "新一代信息技术,否,1,3000000元",
    "丁公司,91440000D,广东,深圳,30,制造业,2018-07-01,200万元,五,公示,是,其他领域,否,0,",
]
# Hand-computed from ROWS: batches 1, 2, 2, 5; employees 58, 120, missing (-), 30; revenue in 万元
# 1200, 15000 (1.5亿), 300 (3,000,000 元), missing.
UNKNOWN = ["国标行业", "成立日期", "注册资本"]


def export_csv(folder, header=HEADER, rows=ROWS, encoding="gbk"):
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "firms.csv").write_bytes(("\r\n".join([header, *rows]) + "\r\n").encode(encoding))
    return folder


def problems_of(folder) -> list:
    with pytest.raises(DataInputError) as caught:
        FirmLevelInput(folder)
    return caught.value.problems


# ------------------------------------------------------------------ headers and value forms


@pytest.mark.parametrize(
    "header, expected",
    [
        ("企业名称", "企业名称"),
        (" 企业\n名称 ", "企业名称"),  # a wrapped header cell
        ("*企业名称", "企业名称"),  # a required-field marker
        ("公开（公告）号", "公开(公告)号"),  # full-width brackets (NFKC)
        ("ＰＣＴ申请量", "pct申请量"),
        (None, ""),
    ],
)
def test_normalise(header, expected):
    assert normalise(header) == expected


def test_matcher_priorities():
    matcher = Matcher.build("firms", {"企业全称（中文）": "name", "备注": None})
    assert matcher.column("所属省份") == "province"  # alias in data/firm_schema.yml
    assert matcher.column("province") == "province"  # the schema name
    assert matcher.column("企业全称(中文)") == "name"  # columns.yml, normalised
    assert matcher.column("备注") is None
    assert matcher.column("国标行业") is None
    # the schema name beats an alias of the same column: 省份 is ignored and said
    mapped = matcher.resolve(["firm_id", "省份", "province"], "f.csv")
    assert mapped.columns == {"firm_id": "firm_id", "province": "province"}
    assert mapped.notes() == ["f.csv: column '省份' also names province; 'province' used"]


def test_two_aliases_of_one_column_are_an_error():
    with pytest.raises(DataInputError) as caught:
        Matcher.build("firms").resolve(["企业名称", "省份", "所属省份"], "f.csv")
    (problem,) = caught.value.problems
    assert problem.column == "province"
    assert "'省份' and '所属省份' both give province" in problem.message


@pytest.mark.parametrize(
    "n, word", [(1, "一"), (5, "五"), (10, "十"), (12, "十二"), (20, "二十"), (23, "二十三")]
)
def test_chinese_number(n, word):
    assert chinese_number(n) == word


def test_batch_words():
    words = batch_words(12)
    assert words["第一批"] == words["第1批"] == words["一"] == "1"
    assert words["第十二批"] == words["第12批次"] == "12"
    assert "第十三批" not in words


@pytest.mark.parametrize(
    "unit, text, expected",
    [
        ("万元", "1,200万元", "1200.0"),
        ("万元", "1.5亿元", "15000.0"),  # 1.5 × 10000
        ("万元", "3000000元", "300.0"),  # 3,000,000 / 10000
        ("万元", "500万人民币", "500.0"),
        ("万元", "500 万元", "500.0"),
        ("万元", "500", "500"),  # no unit: unchanged
        ("人", "58人", "58"),
        ("人", "58", "58"),
        ("人", "58万元", "58万元"),  # not this column's unit: unchanged (then refused)
        (None, "58人", "58人"),
    ],
)
def test_number_with_unit(unit, text, expected):
    rule = {"type": "float", "unit": unit} if unit else {"type": "int"}
    con = duckdb.connect()
    got = con.execute(f"SELECT {columns.number_sql('v', rule)} FROM (SELECT ? AS v)", [text])
    assert got.fetchone()[0] == expected


@pytest.mark.parametrize(
    "text, expected",
    [
        ("2021-03-05", "2021-03-05"),
        ("2021/3/5", "2021-3-5"),
        ("2021.3.5", "2021-3-5"),
        ("2021年3月5日", "2021-3-5"),
        ("20210305", "2021-03-05"),
        ("2021-03-05 00:00:00", "2021-03-05"),
    ],
)
def test_date_forms(text, expected):
    con = duckdb.connect()
    got = con.execute(f"SELECT {columns.date_sql('v')} FROM (SELECT ? AS v)", [text])
    assert got.fetchone()[0] == expected


# ------------------------------------------------------------------ a Chinese-header GBK CSV


def test_gbk_csv_with_chinese_headers(tmp_path):
    folder = export_csv(tmp_path / "qcc")
    data = FirmLevelData(folder)
    firms = data.firms
    assert firms["firm_id"].tolist() == ["91110000A", "91320000B", "91440000C", "91440000D"]
    assert firms["province"].tolist() == ["北京市", "江苏省", "广东省", "广东省"]
    assert firms["city"].tolist() == ["北京市", "苏州市", "深圳市", "深圳市"]
    assert firms["batch_no"].tolist() == [1, 2, 2, 5]
    assert firms["review_status"].tolist() == ["confirmed", "confirmed", "announced", "announced"]
    assert firms["analysed"].tolist() == [True, True, False, True]
    assert firms["employees"].tolist()[:2] == [58, 120] and firms["employees"].isna().iloc[2]
    assert firms["revenue"].tolist()[:3] == [1200.0, 15000.0, 300.0]
    # unknown columns: one line
    line = f"{data.files['firms']}: 3 column(s) not in data/firm_schema.yml ignored: 国标行业, 成立日期, 注册资本"
    assert data.notes == [line]
    # announced per batch: 1 in batch 1, 2 in batch 2, 1 in batch 5
    assert data.table("cultivation_batches")["announced"].tolist() == [1, 2, 0, 0, 1]


def test_notes_are_printed_once_by_the_aggregation_step(tmp_path, capsys):
    folder = export_csv(tmp_path / "qcc")
    ensure_tables(folder, "2023-07-31", build_root=tmp_path / "tables")
    first = capsys.readouterr().out
    assert "3 column(s) not in data/firm_schema.yml ignored: 国标行业, 成立日期, 注册资本" in first
    ensure_tables(folder, "2023-07-31", build_root=tmp_path / "tables")  # up to date
    assert "ignored" not in capsys.readouterr().out


def test_errors_name_the_header_as_written(tmp_path):
    rows = [*ROWS]
    rows[1] = rows[1].replace(",江苏,", ",江 苏,").replace(",120,", ",很多,")
    problems = problems_of(export_csv(tmp_path / "bad", rows=rows))
    found = {(p.row, p.column): p for p in problems}
    # header = line 1, so the second firm is line 3
    assert found[(3, "所属省份 (province)")].value == "江 苏"
    assert "close matches" in found[(3, "所属省份 (province)")].message
    shown = str(found[(3, "参保人数 (employees)")])
    assert "firms.csv, row 3, column '参保人数 (employees)', value '很多': expected int" in shown


def test_placeholder_is_empty_only_where_a_column_may_be_empty(tmp_path):
    rows = [*ROWS]
    rows[0] = rows[0].replace(",是,0,", ",是,-,")  # 海外市场数 may not be empty
    problems = problems_of(export_csv(tmp_path / "dash", rows=rows))
    assert [(p.row, p.column, p.value) for p in problems] == [
        (2, "海外市场数 (overseas_markets)", "-")
    ]
    assert "expected int" in problems[0].message


def test_missing_required_column_names_close_headers(tmp_path):
    header = HEADER.replace("所属省份", "所属省")  # not an alias, but close to 所属省份
    problems = problems_of(export_csv(tmp_path / "missing", header=header))
    (problem,) = [p for p in problems if p.column == "province"]
    assert "required column is missing" in problem.message
    assert "所属省份" in problem.message  # one of the names it is known by
    assert "close matches among the headers: 所属省" in problem.message
    assert "国标行业" not in problem.message  # nothing like it


def test_columns_yml(tmp_path):
    header = HEADER.replace("企业名称", "企业全称（中文）").replace("所属省份", "注册地省份")
    folder = export_csv(tmp_path / "mapped", header=header + ",备注", rows=[r + ",x" for r in ROWS])
    (folder / "columns.yml").write_text(
        "firms:\n  企业全称（中文）: name\n  注册地省份: province\n  备注: ~\n  国标行业: ~\n",
        encoding="utf-8",
    )
    data = FirmLevelInput(folder)
    assert data.firms["name"].tolist()[0] == "甲公司"
    assert data.firms["province"].tolist()[1] == "江苏省"
    # mapped to ~: ignored without being listed
    assert data.notes == [
        f"{data.files['firms']}: 2 column(s) not in data/firm_schema.yml ignored: 成立日期, 注册资本"
    ]


def test_bad_columns_yml(tmp_path):
    folder = export_csv(tmp_path / "badmap")
    (folder / "columns.yml").write_text(
        "firms:\n  注册地省份: provnce\nfirm:\n  x: name\n", encoding="utf-8"
    )
    problems = problems_of(folder)
    assert [p.file.endswith("columns.yml") for p in problems] == [True, True]
    assert problems[0].column == "注册地省份" and problems[0].value == "provnce"
    assert "close matches: province" in problems[0].message
    assert problems[1].value == "firm" and "close matches: firms" in problems[1].message


def test_english_headers_read_as_before(tmp_path):
    # the same firms with the schema's own headers and canonical values: the same frame
    english = export_csv(tmp_path / "english", encoding="utf-8")
    chinese = FirmLevelInput(english).firms
    header = (
        "name,firm_id,province,city,employees,batch_no,review_status,analysed,industry_field,"
        "primary_market_financing,overseas_markets,revenue"
    )
    rows = [
        "甲公司,91110000A,北京市,北京市,58,1,confirmed,true,新材料,true,0,1200",
        "乙公司,91320000B,江苏省,苏州市,120,2,confirmed,true,新材料,false,2,15000",
        "丙公司,91440000C,广东省,深圳市,,2,announced,false,新一代信息技术,false,1,300",
        "丁公司,91440000D,广东省,深圳市,30,5,announced,true,其他领域,false,0,",
    ]
    plain = FirmLevelInput(export_csv(tmp_path / "plain", header=header, rows=rows)).firms
    assert plain[list(chinese.columns)].equals(chinese)


# ------------------------------------------------------------------ a messy XLSX


def messy_xlsx(path, rows=ROWS, total=True):
    """Sheet 说明 (notes), then sheet 企业名单: a title row merged across (row 1), a note row
    (row 2), a two-row header (rows 3–4: 地区 merged over 所属省份/所属城市, the other headers
    merged down), the firms from row 5, and a 合计 row and a note under them."""
    book = openpyxl.Workbook()
    book.active.title = "说明"
    book.active.append(["本文件由企查查导出"])
    sheet = book.create_sheet("企业名单")
    headers = HEADER.split(",")
    width = len(headers)
    sheet.append(["2023年专精特新“小巨人”企业名单"])
    sheet.merge_cells(start_row=1, start_column=1, end_row=1, end_column=width)
    sheet.append(["导出时间：2023-08-01"])
    sheet.append([h if h not in ("所属省份", "所属城市") else "地区" for h in headers])
    sheet.append(headers)
    province = headers.index("所属省份") + 1
    for column in range(1, width + 1):
        if column == province:
            sheet.merge_cells(start_row=3, start_column=column, end_row=3, end_column=column + 1)
        elif column != province + 1:
            sheet.merge_cells(start_row=3, start_column=column, end_row=4, end_column=column)
    import csv
    import io

    for row in csv.reader(io.StringIO("\n".join(rows))):
        sheet.append(row)
    if total:
        sheet.append(["合计", "", "", "", "208"])
        sheet.append(["注：数据来源于企查查"])
    book.save(path)
    return path


def test_messy_xlsx(tmp_path):
    folder = tmp_path / "xlsx"
    folder.mkdir()
    messy_xlsx(folder / "firms.xlsx")
    data = FirmLevelData(folder)
    file = data.files["firms"]
    assert data.firms["province"].tolist() == ["北京市", "江苏省", "广东省", "广东省"]
    assert data.firms["city"].tolist() == ["北京市", "苏州市", "深圳市", "深圳市"]
    # the firms are spreadsheet rows 5–8: rows keep their numbers in the sheet
    assert data.firms.index.tolist() == [5, 6, 7, 8]
    assert data.notes == [
        f"{file}: sheet '企业名单' used (sheets: 说明, 企业名单)",
        f"{file}: header on row 4; rows 1–3 above it skipped",
        f"{file}: row 10 dropped (注：数据来源于企查查)",
        f"{file}: row 9 dropped (合计 208)",
        f"{file}: 3 column(s) not in data/firm_schema.yml ignored: 国标行业, 成立日期, 注册资本",
    ]
    assert data.table("cultivation_batches")["announced"].tolist() == [1, 2, 0, 0, 1]


def test_messy_xlsx_errors_name_the_sheet_row(tmp_path):
    folder = tmp_path / "xlsxbad"
    folder.mkdir()
    rows = [*ROWS]
    rows[2] = rows[2].replace(",第二批,", ",0,")  # batch 0: below the schema's minimum
    messy_xlsx(folder / "firms.xlsx", rows=rows)
    problems = problems_of(folder)
    (problem,) = [p for p in problems if p.column == "批次 (batch_no)"]
    assert (problem.row, problem.value) == (7, 0)  # the third firm: sheet row 7
    assert "must be at least" in problem.message


# ------------------------------------------------------------------ a patent-database export

FIRMS_EN = """\
firm_id,name,batch_no,review_status,analysed,province,city,industry_field,employees,primary_market_financing,overseas_markets
F1,甲公司,1,confirmed,true,北京市,北京市,新材料,100,true,0
F2,乙公司,2,confirmed,true,江苏省,苏州市,新材料,50,false,1
"""
RECORDS_CN = """\
申请号,统一社会信用代码,申请日,专利类型,授权日,被引用次数,法律状态,发明人
CN2021100001,F1,2021/3/5,发明,2022年6月1日,4,有效,张三
CN2021200002,F1,20210706,实用新型,2022-01-10,1,有效,李四
CN2022300003,F1,2022.2.2,外观设计,,0,审中,王五
CN2022100004,F2,2022-05-05,发明专利,,7,失效,赵六
"""
RECORDS_EN = """\
patent_id,firm_id,application_date,patent_type,grant_date,citations,status
CN2021100001,F1,2021-03-05,invention,2022-06-01,4,valid
CN2021200002,F1,2021-07-06,utility,2022-01-10,1,valid
CN2022300003,F1,2022-02-02,design,,0,pending
CN2022100004,F2,2022-05-05,invention,,7,invalid
"""


def test_patent_export(tmp_path):
    chinese, english = tmp_path / "cn", tmp_path / "en"
    for folder, records in ((chinese, RECORDS_CN), (english, RECORDS_EN)):
        folder.mkdir()
        (folder / "firms.csv").write_text(FIRMS_EN, encoding="utf-8")
        (folder / "patent_records.csv").write_text(records, encoding="gb18030")
    cn, en = FirmLevelInput(chinese), FirmLevelInput(english)
    assert cn.patents.equals(en.patents)
    assert cn.notes == [
        f"{cn.files['patents']}: 1 column(s) not in data/firm_schema.yml ignored: 发明人"
    ]
    # F1: 2021 two applications (one invention) with 5 citations; 2022 one design application,
    # and its invention granted in 2022; one valid invention patent from 2021 on
    f1 = cn.patents[cn.patents["firm_id"] == "F1"].set_index("year")
    assert f1.loc[
        2021, ["applications", "invention_applications", "citations_received"]
    ].tolist() == [2, 1, 5]
    assert f1.loc[
        2022, ["applications", "invention_grants", "valid_invention_patents"]
    ].tolist() == [1, 1, 1]


def test_patent_export_error_names_header_and_row(tmp_path):
    folder = tmp_path / "cnbad"
    folder.mkdir()
    (folder / "firms.csv").write_text(FIRMS_EN, encoding="utf-8")
    records = RECORDS_CN.replace("2022.2.2,外观设计", "2022.2.2,外观")
    (folder / "patent_records.csv").write_text(records, encoding="gb18030")
    (problem,) = problems_of(folder)
    assert (problem.row, problem.column, problem.value) == (4, "专利类型 (patent_type)", "外观")
