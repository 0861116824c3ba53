"""helpers.firmlevel: firm-level input validated against data/firm_schema.yml and aggregated into
the published shapes. A hand-made export of six firms (written inline into tmp_path) with every
expected value worked out by hand in the comments; then the validation errors."""

from __future__ import annotations

import textwrap

import pandas as pd
import pytest

from helpers.data import catalog
from helpers.data.errors import DataInputError
from helpers.data.source import DataSource
from helpers.firmlevel.firms import FirmLevelData
from helpers.firmlevel.read import FIRM_LEVEL_ONLY_TABLES, output_specs
from helpers.firmlevel.shape import stated

# Six firms. F2 is not analysed (failed review in batch 1), so only F1, F3, F4, F5, F6 count.
# F4 failed review in batch 4 but is analysed (as the publication's 29 batch-4 firms); batch 5
# has not been reviewed (announced). Names are spelled as analysts write them: 北京 -> 北京市,
# Jiangsu -> 江苏省, 苏州 -> 苏州市, 是/否 -> true/false. F5 has no employee count.
FIRMS = """\
firm_id,name,batch_no,review_status,analysed,province,city,industry_field,employees,primary_market_financing,overseas_markets
F1,甲公司,1,confirmed,true,北京,北京,新材料,100,true,0
F2,乙公司,1,revoked,false,江苏省,苏州,新材料,50,false,0
F3,丙公司,2,confirmed,true,Jiangsu,苏州市,新一代信息技术,200,true,3
F4,丁公司,4,revoked,true,上海市,上海,高端机械装备,300,false,12
F5,戊公司,5,announced,true,广东省,深圳市,新一代信息技术,,是,7
F6,己公司,5,announced,true,广东省,清远市,其他领域,400,否,0
"""
# F1 and F4 start with a carry-in row (everything up to 2019). F2's row is not analysed.
PATENTS = """\
firm_id,year,includes_earlier_years,applications,invention_applications,pct_applications,invention_grants,citations_received,licences_out,valid_invention_patents
F1,2019,true,50,20,0,8,100,1,6
F1,2020,false,10,5,1,2,10,0,8
F1,2022,false,20,10,2,3,20,1,10
F3,2020,false,4,2,4,1,5,0,1
F3,2021,false,6,3,1,1,5,0,2
F3,2022,false,9,4,6,2,10,1,3
F4,2019,true,20,4,98,1,30,0,4
F4,2022,false,10,2,2,1,10,0,5
F5,2023,false,12,6,3,1,3,0,4
F2,2022,false,100,50,10,10,10,10,10
"""
# F3 is dual-listed (创业板 and 港交所); F4 is only quoted on 新三板 (not "listed").
LISTINGS = """\
firm_id,board
F1,科创板
F3,创业板
F3,港交所
F4,新三板
F2,沪深主板
"""

# Cumulative figures of the analysed firms (sums of their rows; valid = latest row):
#        apps  inv  pct  grants  citations  licences  valid  employees  overseas
#   F1     80   35    3      13        130         2     10        100         0
#   F3     19    9   11       4         20         1      3        200         3
#   F4     30    6  100       2         40         0      5        300        12
#   F5     12    6    3       1          3         0      4          -         7
#   F6      0    0    0       0          0         0      0        400         0
#   sum   141   56  117      20        193         3     22       1000        22


def write(folder, firms=FIRMS, patents=PATENTS, listings=LISTINGS, encoding="utf-8"):
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "firms.csv").write_bytes(firms.encode(encoding))
    if patents is not None:
        (folder / "patents.csv").write_text(patents, encoding="utf-8")
    if listings is not None:
        (folder / "listings.csv").write_text(listings, encoding="utf-8")
    return folder


@pytest.fixture(scope="module")
def data(tmp_path_factory):
    return FirmLevelData(write(tmp_path_factory.mktemp("firms")), city_min_firms=1)


def rows(frame, key):
    return frame.set_index(key)


# --------------------------------------------------------------------------- shapes


def test_every_aggregate_has_the_published_columns_and_dtypes(data):
    for name in catalog.load_catalog():
        frame = data.table(name)
        if frame is None:
            continue
        published = catalog.load_published(name)
        assert list(frame.columns) == list(published.columns), name
        assert list(frame.dtypes) == list(published.dtypes), name
        assert frame.attrs["origin"] == "firm-level"
        assert frame.attrs["synthetic"] is False
        assert frame.attrs["document"] == "企业级数据"


def test_not_derivable_tables_are_none(data):
    assert data.table("typical_profile_multiples") is None
    assert data.table("no_such_table") is None


def test_provenance_of_derived_and_copied_rows(data):
    scale = data.table("tech_scale_by_population")
    mine = scale[scale["population"] == "小巨人"]
    assert set(mine["source_doc"]) == {"firm-level"}
    assert set(mine["source_id"]) == {"firms.csv、patents.csv"}
    assert not mine["inferred"].any()
    # the 科创板 / 北交所 comparison rows stay published, with their provenance
    others = scale[scale["population"] != "小巨人"]
    assert set(others["source_doc"]) == {"001"}
    assert set(others["source_id"]) == {"图表2.3"}


# --------------------------------------------------------------------------- chapter 01


def test_cultivation_batches(data):
    batches = rows(data.table("cultivation_batches"), "batch_no")
    # announced = all rows: batch 1 F1+F2, batch 2 F3, batch 3 none, batch 4 F4, batch 5 F5+F6
    assert batches["announced"].tolist() == [2, 1, 0, 1, 2]
    # reviewed = confirmed (F1; F3; F4 revoked -> 0); batches 3 and 5: nobody reviewed -> missing
    assert batches["reviewed"].tolist()[:2] == [1, 1]
    assert pd.isna(batches.loc[3, "reviewed"])
    assert batches.loc[4, "reviewed"] == 0
    assert pd.isna(batches.loc[5, "reviewed"])
    # analysed flag: F1; F3; -; F4 (revoked but analysed); F5+F6 -> shares of 5
    assert batches["analysed"].tolist() == [1, 1, 0, 1, 2]
    # six firms are not 001's 12,950: no published share is theirs to be checked against
    assert batches["analysed_share_stated"].isna().all()


def test_industry_fields_and_category_shares(data):
    fields = rows(data.table("industry_fields"), "field")["firms"]
    # F1 新材料; F3, F5 新一代信息技术; F4 高端机械装备; F6 其他领域 (F2 not analysed)
    assert fields["新材料"] == 1
    assert fields["新一代信息技术"] == 2
    assert fields["高端机械装备"] == 1
    assert fields["其他领域"] == 1
    assert fields.sum() == 5
    shares = data.table("industry_shares_by_population")
    mine = rows(shares[shares["population"] == "小巨人"], "category")["share_stated"]
    # six firms are not 001's population: no printed share to check chapter 1's shares against
    assert mine.isna().all() and len(mine) == 6
    assert len(shares) == 18  # + the 12 published 科创板 / 北交所 rows


def test_capital_markets(data):
    markets = rows(data.table("capital_markets"), "market")
    # F3 创业板 (and 港交所: dual listing counts on both boards), F1 科创板; F2's 主板 not analysed
    assert markets["firms"].to_dict() == {
        "A股主板上市": 0,
        "A股创业板上市": 1,
        "A股科创板上市": 1,
        "A股北交所上市": 0,
        "港交所上市": 1,
        "新加坡交易所上市": 0,
        "参与一级市场融资": 3,  # F1 true, F3 true, F5 是
    }
    assert markets["share_stated"].isna().all()  # not 001's population: nothing printed
    # not derivable from one year's list: missing, although the catalogue column is not nullable
    assert markets["change_yoy"].isna().all()


def test_a_share_boards(data):
    boards = rows(data.table("a_share_boards"), "board")
    assert boards["little_giants"].tolist() == [0, 1, 1, 0]
    # listed_total is published context: 科创板 550 -> 1 / 550 = 0.00182 -> 0.002
    assert boards.loc["科创板", "listed_total"] == 550
    assert boards["share_stated"].isna().all()  # not 001's population: nothing printed


# --------------------------------------------------------------------------- chapter 02


def test_tech_scale_by_population(data):
    scale = data.table("tech_scale_by_population")
    mine = rows(scale[scale["population"] == "小巨人"], "batch")
    # batch 1 = F1: 80 applications, 10 valid; batch 2 = F3: 19, 3; batch 3: no firm, no row;
    # batch 4 = F4: 30, 5; batch 5 = F5 + F6: (12 + 0) / 2 = 6, (4 + 0) / 2 = 2;
    # all: 141 / 5 = 28.2, 22 / 5 = 4.4 (exact means: the publication's integer rounding is
    # for print, not for firm-level results)
    assert mine["patent_applications_per_firm"].to_dict() == {
        "第一批": 80,
        "第二批": 19,
        "第四批": 30,
        "第五批": 6,
        "全部": pytest.approx(28.2),
    }
    assert mine["valid_invention_patents_per_firm"].tolist() == pytest.approx([10, 3, 5, 2, 4.4])


def test_invention_quality_and_typical_profile(data):
    quality = rows(data.table("invention_quality"), "population")
    # 56 / 141 = 0.39716 -> 0.397; grants 20 / 56 = 0.35714 -> 0.357
    assert quality.loc["小巨人", "invention_share_stated"] == 0.397
    assert quality.loc["小巨人", "grant_rate_stated"] == 0.357
    assert quality.loc["科创板", "invention_share_stated"] == 0.658  # published
    profile = rows(data.table("typical_profile"), ["metric", "population"])["value"]
    # printed figures, rounded as the published rows print them (0.45 / 234 / 1.65):
    assert profile[("invention_share", "小巨人")] == 0.40  # 56 / 141 = 0.397
    assert profile[("citations_per_firm", "小巨人")] == 39  # 193 / 5 = 38.6
    assert profile[("pct_per_firm", "小巨人")] == 23.4  # 117 / 5
    assert profile[("citations_per_firm", "制造业单项冠军")] == 2894  # published


def test_tech_influence_by_batch(data):
    influence = rows(data.table("tech_influence_by_batch"), "batch")
    # batch 5: F5 3 + F6 0 citations over 2 firms = 1.5; all: 193 / 5 = 38.6, licences 3 / 5 = 0.6
    assert influence["citations_per_firm"].to_dict() == pytest.approx(
        {"第一批": 130, "第二批": 20, "第四批": 40, "第五批": 1.5, "全部": 38.6}
    )
    assert influence.loc["全部", "licences_per_firm"] == pytest.approx(0.6)


def test_pct_and_overseas_bins(data):
    pct = rows(data.table("pct_holdings"), "pct_bin")
    # F6 0 | F1 3, F5 3 | F3 11 | F4 100
    assert pct["firms"].tolist() == [1, 2, 1, 1]
    assert pct["share_stated"].isna().all()  # not 001's population: nothing printed
    assert pct["pct_min"].tolist() == [0, 1, 10, 100]
    assert pd.isna(pct.loc["≥100件", "pct_max"])
    by_year = rows(data.table("pct_holdings_by_year"), ["year", "pct_bin"])["firms"]
    # to the end of 2022: F5's 3 are all from 2023 -> 0件: F5, F6; 1-9件: F1 (1 + 2 = 3)
    assert [by_year[(2022, b)] for b in ["0件", "1-9件", "10-99件", "≥100件"]] == [2, 1, 1, 1]
    assert [by_year[(2023, b)] for b in ["0件", "1-9件", "10-99件", "≥100件"]] == [1, 2, 1, 1]
    overseas = rows(data.table("overseas_market_reach"), "market_bin")
    # F1 0, F6 0 | F3 3 | F5 7 | F4 12 (labels as published: ＞10个)
    assert overseas["firms"].tolist() == [2, 1, 1, 1]
    assert overseas.loc["＞10个", "markets_min"] == 11


def test_pct_growth(data):
    growth = rows(data.table("pct_growth"), "population")["pct_cagr_2020_2022_stated"]
    # all: 2020 F1 1 + F3 4 = 5, 2022 F1 2 + F3 6 + F4 2 = 10 -> sqrt(10 / 5) - 1 = 0.41421
    assert growth["小巨人"] == 0.414
    # A-share listed F1 (科创板) and F3 (创业板): 5 -> 8: sqrt(1.6) - 1 = 0.26491
    assert growth["A股上市小巨人"] == 0.265


def test_firm_level_only_tables(data):
    assert set(FIRM_LEVEL_ONLY_TABLES) == set(output_specs())
    yearly = data.table("patents_per_firm_by_year")
    mine = rows(yearly[yearly["population"] == "小巨人"], "year")
    # carry-in rows end in 2019, so 2020–2023; 2020: F1 10 + F3 4 = 14 over 5 firms = 2.8;
    # 2022: 20 + 9 + 10 = 39 -> 7.8
    assert mine.index.tolist() == [2020, 2021, 2022, 2023]
    assert mine.loc[2020, "applications_per_firm"] == pytest.approx(2.8)
    assert mine.loc[2022, "applications_per_firm"] == pytest.approx(7.8)
    assert mine.loc[2023, "note"] == "1月1日至2023-07-31"
    density = data.table("invention_density").iloc[0]
    # firms with employees: F1, F3, F4, F6: valid 10 + 3 + 5 + 0 = 18 over 1000 people
    assert density["firms"] == 4
    assert density["density"] == pytest.approx(18.0)


# --------------------------------------------------------------------------- chapter 03


def test_provinces_and_cities(data):
    provinces = data.table("firms_by_province")
    assert len(provinces) == 31  # every province, zeros included, largest first
    assert provinces.iloc[0].tolist()[:2] == ["广东省", 2]
    assert rows(provinces, "province").loc["江苏省", "firms"] == 1  # F3 (Jiangsu); F2 not analysed
    cities = data.table("firms_by_city")
    # city_min_firms=1 here; ties in reference order
    assert cities["city"].tolist() == ["北京市", "上海市", "苏州市", "深圳市", "清远市"]


def test_clusters(data):
    metrics = rows(data.table("cluster_metrics"), ["region", "metric"])
    # 长三角 = F3 (江苏) + F4 (上海): (19 + 30) / 2 = 24.5 applications, (9 + 6) / 49 invention
    # share, (11 + 100) / 2 = 55.5 PCT; listed: F3 only (F4 is only on 新三板)
    assert metrics.loc[("长三角", "patent_applications_per_firm"), "value"] == 24.5
    assert metrics.loc[("长三角", "invention_share"), "value"] == pytest.approx(15 / 49)
    assert metrics.loc[("长三角", "pct_per_firm"), "value"] == 55.5
    assert metrics.loc[("长三角", "listed_firms"), "value"] == 1
    assert pd.isna(metrics.loc[("长三角", "listed_firms"), "national_avg"])
    # national_avg = the national value, printed like the published one (115 -> integer): 141 / 5
    assert metrics.loc[("京津冀", "patent_applications_per_firm"), "national_avg"] == 28
    assert (
        metrics.loc[("京津冀", "invention_share"), "national_avg"] == 0.40
    )  # 0.397, printed like 0.45
    # 粤港澳 = 深圳 (F5); 清远 (F6) is in Guangdong but not one of the nine cities
    distribution = rows(data.table("cluster_city_distribution"), "city")["firms"]
    assert distribution.to_dict() == {"深圳市": 1, "广州市": 0, "其他城市": 0}
    fields = rows(data.table("cluster_field_patents"), ["region", "field"])["patent_applications"]
    assert fields[("长三角", "新一代信息技术")] == 19  # F3
    assert fields[("长三角", "高端机械装备")] == 30  # F4
    assert fields[("京津冀", "新材料")] == 80  # F1


def test_city_pages(data):
    overview = rows(data.table("city_overview"), "city")
    # 宁波 and 重庆 have no firm: no row
    assert overview["patent_applications_total"].to_dict() == {
        "北京市": 80,
        "深圳市": 12,
        "上海市": 30,
    }
    markets = data.table("city_capital_markets")
    assert markets[["city", "board", "firms"]].values.tolist() == [
        ["北京市", "科创板", 1],
        ["上海市", "新三板", 1],
    ]
    city = rows(data.table("city_metrics"), ["city", "metric"])["value"]
    # 北京 = F1: 2020 10 -> 2022 20 applications: sqrt(2) - 1
    assert city[("北京市", "applications_cagr_2020_2022")] == pytest.approx(2**0.5 - 1)
    assert city[("北京市", "grant_rate")] == pytest.approx(13 / 35)
    assert city[("上海市", "overseas_markets_per_firm")] == 12


def test_text_figures(data):
    region = rows(data.table("region_text_figures"), "item")
    # top three provinces: 广东 2 + two with 1 = 4 of 5; employees (100+200+300+400) / 4 (F5 unknown)
    assert region.loc["top3_provinces_share", "value"] == pytest.approx(0.8)
    assert region.loc["avg_employees_per_firm", "value"] == 250
    assert region.loc["yrd_firms", "value"] == 2
    assert region.loc["yrd_firms", "bound"] == "exact"
    assert region.loc["top3_provinces_share", "bound"] == "approx"  # as published
    text = rows(data.table("text_figures"), "item")
    assert text.loc["little_giants_announced", "value"] == 6
    assert text.loc["analysed_firms", "value"] == 5
    assert text.loc["patent_applications_2022", "value"] == 39
    assert text.loc["zjtx_system_start_year", "value"] == 2011  # not derivable: published
    assert text.loc["zjtx_system_start_year", "source_doc"] == "001"


# --------------------------------------------------------------------------- data source


def test_datasource_reads_the_aggregated_firm_level_tables(tmp_path):
    from helpers.data.errors import DataInputError
    from helpers.firmlevel.tables import ensure_tables

    folder = write(tmp_path / "export")
    with pytest.raises(DataInputError, match="a firm-level export: chapters read"):
        DataSource(folder)  # never aggregated by a reader
    source = DataSource(ensure_tables(folder, "2023-07-31", tmp_path / "tables"))
    assert source.is_firm_level and not source.is_published
    assert source.tables_dir.parent == tmp_path / "tables"
    assert source.label == source.firm_level_document["folder"]
    batches = source.table("cultivation_batches")
    assert batches["announced"].sum() == 6
    assert batches.attrs["origin"] == "firm-level"
    assert source.provides("invention_density")
    # not derivable: the published table, copied with its published provenance
    multiples = source.table("typical_profile_multiples")
    assert multiples.attrs["origin"] == "published"
    assert set(multiples["source_doc"]) == {"001"}


def test_optional_files(tmp_path):
    data = FirmLevelData(write(tmp_path / "only_firms", patents=None, listings=None))
    assert data.table("cultivation_batches") is not None
    assert data.table("overseas_market_reach") is not None
    for name in ("tech_scale_by_population", "capital_markets", "pct_holdings"):
        assert data.table(name) is None, name


def test_encodings(tmp_path):
    # Chinese Excel writes GBK; UTF-8 with BOM is Excel's "CSV UTF-8"
    gbk = FirmLevelData(write(tmp_path / "gbk", encoding="gb18030"))
    bom = FirmLevelData(write(tmp_path / "bom", encoding="utf-8-sig"))
    assert gbk.firms.equals(bom.firms)
    assert gbk.firms["province"].tolist()[:3] == ["北京市", "江苏省", "江苏省"]


def test_xlsx(tmp_path):
    folder = tmp_path / "xlsx"
    folder.mkdir()
    import io

    frame = pd.read_csv(io.StringIO(FIRMS), dtype=str, keep_default_na=False)
    frame.to_excel(folder / "firms.xlsx", index=False)
    data = FirmLevelData(folder)
    assert data.table("cultivation_batches")["announced"].tolist() == [2, 1, 0, 1, 2]


def test_stated_rounding():
    assert stated(1079 / 12192) == 0.089  # 0.0885007 -> half up
    assert stated(1 / 12192) == 0.0001  # 0.00008: more decimals rather than 0
    assert stated(0.0) == 0.0
    assert stated(0.12656) == 0.127


# --------------------------------------------------------------------------- validation


def error_for(tmp_path, **files) -> DataInputError:
    with pytest.raises(DataInputError) as caught:
        FirmLevelData(write(tmp_path / "bad", **files))
    return caught.value


def replace_line(text: str, old: str, new: str) -> str:
    assert old in text
    return text.replace(old, new)


def test_unknown_province_names_file_row_column_and_close_matches(tmp_path):
    firms = replace_line(FIRMS, "F4,丁公司,4,revoked,true,上海市", "F4,丁公司,4,revoked,true,湖北x")
    error = error_for(tmp_path, firms=firms)
    (problem,) = error.problems
    assert problem.file.endswith("bad/firms.csv")
    assert (problem.row, problem.column, problem.value) == (5, "province", "湖北x")
    assert "close matches" in problem.message and "湖北省" in problem.message
    assert "firms.csv, row 5, column 'province', value '湖北x'" in str(error)


def test_duplicate_firm_id(tmp_path):
    firms = replace_line(FIRMS, "F6,己公司", "F5,己公司")
    error = error_for(tmp_path, firms=firms)
    found = {(p.row, p.column, p.value) for p in error.problems}
    assert found == {(6, "firm_id", "F5"), (7, "firm_id", "F5")}
    assert all("duplicate" in p.message for p in error.problems)
    assert "firms.csv, row 7, column 'firm_id', value 'F5': duplicate key" in str(error)


def test_negative_employees(tmp_path):
    firms = replace_line(FIRMS, "清远市,其他领域,400", "清远市,其他领域,-400")
    error = error_for(tmp_path, firms=firms)
    (problem,) = error.problems
    assert (problem.row, problem.column, problem.value) == (7, "employees", -400)
    assert "must be at least 0" in problem.message
    assert "firms.csv, row 7, column 'employees', value -400" in str(error)


def test_patents_of_an_unknown_firm(tmp_path):
    patents = PATENTS + "F66,2022,false,1,1,0,0,0,0,0\n"
    error = error_for(tmp_path, patents=patents)
    (problem,) = error.problems
    assert problem.file.endswith("bad/patents.csv")
    assert (problem.row, problem.column, problem.value) == (12, "firm_id", "F66")
    assert "not in" in problem.message and "firms.csv" in problem.message
    assert "close matches: F6" in problem.message
    assert "patents.csv, row 12, column 'firm_id', value 'F66'" in str(error)


def test_listings_of_an_unknown_firm_and_unknown_board(tmp_path):
    listings = LISTINGS + "F9,科创板\nF1,纳斯达克\n"
    error = error_for(tmp_path, listings=listings)
    found = {(p.row, p.column, p.value) for p in error.problems}
    assert found == {(8, "board", "纳斯达克")}  # schema errors first; cross-file checks after
    listings = LISTINGS + "F9,科创板\n"
    error = error_for(tmp_path, listings=listings)
    assert [(p.row, p.column, p.value) for p in error.problems] == [(7, "firm_id", "F9")]


def test_cross_file_and_row_checks(tmp_path):
    firms = replace_line(
        FIRMS, "F3,丙公司,2,confirmed,true,Jiangsu,苏州市", "F3,丙公司,2,confirmed,true,浙江,苏州市"
    )
    patents = replace_line(PATENTS, "F5,2023,false,12,6,", "F5,2023,false,12,13,")
    patents += (
        "F6,2024,false,1,0,0,0,0,0,0\nF6,2021,true,1,0,0,0,0,0,0\nF6,2020,true,1,0,0,0,0,0,0\n"
    )
    error = error_for(tmp_path, firms=firms, patents=patents)
    messages = {(p.file.rsplit("/", 1)[-1], p.row, p.column): p.message for p in error.problems}
    # 苏州市 is in 江苏省, not 浙江省
    assert "江苏省" in messages[("firms.csv", 4, "city")]
    # 13 invention applications of 12 applications
    assert "more invention applications" in messages[("patents.csv", 10, "invention_applications")]
    assert "after the cut-off" in messages[("patents.csv", 12, "year")]
    # two carry-in rows for F6; the 2021 one is not its earliest row
    assert ("patents.csv", 13, "includes_earlier_years") in messages
    assert ("patents.csv", 14, "includes_earlier_years") not in messages


def test_missing_required_column(tmp_path):
    # batch_no is required (overseas_markets, like the other columns MIIT does not announce, is
    # optional since issue 11: tests/test_partial_data.py)
    rows = [line.split(",") for line in FIRMS.splitlines()]
    column = rows[0].index("batch_no")
    firms = "".join(",".join(r[:column] + r[column + 1 :]) + "\n" for r in rows)
    error = error_for(tmp_path, firms=firms)
    assert any(
        p.column == "batch_no" and "required column is missing" in p.message for p in error.problems
    )


def test_bad_cells_reported_together(tmp_path):
    firms = textwrap.dedent(
        """\
        firm_id,name,batch_no,review_status,analysed,province,city,industry_field,employees,primary_market_financing,overseas_markets
        F1,甲,0,confirmed,maybe,北京,北京,新材料,100,true,0
        F2,乙,1,done,true,北京,北京,新材料料,100,true,x
        """
    )
    error = error_for(tmp_path, firms=firms, patents=None, listings=None)
    found = {(p.row, p.column) for p in error.problems}
    assert {(2, "batch_no"), (2, "analysed"), (3, "review_status"), (3, "industry_field")} <= found
    assert (3, "overseas_markets") in found


def test_duplicate_firm_and_year_in_patents(tmp_path):
    # F3's 2021 row written twice: found by the one-group-per-firm check of (firm_id, year)
    patents = replace_line(
        PATENTS,
        "F3,2021,false,6,3,1,1,5,0,2\n",
        "F3,2021,false,6,3,1,1,5,0,2\nF3,2021,false,1,0,0,0,0,0,2\n",
    )
    error = error_for(tmp_path, patents=patents)
    found = {(p.row, p.column, p.value) for p in error.problems}
    assert found == {
        (6, "firm_id", "F3"),
        (7, "firm_id", "F3"),
        (6, "year", 2021),
        (7, "year", 2021),
    }
    assert all("duplicate key ['firm_id', 'year']" in p.message for p in error.problems)


def test_duplicate_years_outside_the_range_still_named(tmp_path):
    # a year outside 1985–2100 cannot be a bit of the per-firm check: the general count decides
    patents = replace_line(
        PATENTS,
        "F3,2021,false,6,3,1,1,5,0,2\n",
        "F3,1900,false,6,3,1,1,5,0,2\nF3,1900,false,1,0,0,0,0,0,2\n",
    )
    error = error_for(tmp_path, patents=patents)
    duplicates = {(p.row, p.column) for p in error.problems if "duplicate" in p.message}
    assert duplicates == {(6, "firm_id"), (7, "firm_id"), (6, "year"), (7, "year")}
    assert {(p.row, p.column) for p in error.problems if "at least 1985" in p.message} == {
        (6, "year"),
        (7, "year"),
    }
