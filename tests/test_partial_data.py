"""Partial data builds what it can (issue 11, item 2): a firm list with only the columns MIIT
announces (name, province, batch, optionally city) and a folder without patents.csv pass the data
check, aggregate the tables their inputs give and no others (never a published table of another
population in their place), and the chapters show a numbered placeholder naming the missing
input where a figure needs more."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path
from unittest import mock

import pandas as pd
import pytest
import yaml

from helpers.data import catalog
from helpers.data.errors import DataInputError
from helpers.firmlevel import tables
from helpers.firmlevel.firms import FirmLevelData
from helpers.paths import REPO_ROOT, SAMPLE_DIR
from helpers.report import book
from helpers.report.chapter import Chapter
from helpers.workflow.datapackage import read_published

CUTOFF = "2023-07-31"
# As MIIT announces a batch: name, province, batch (here with the city of four of the six).
MIIT_LIST = """name,province,batch_no,city
甲公司,北京,1,北京
乙公司,江苏省,1,苏州
丙公司,江苏,2,南京市
丁公司,广东省,2,深圳
戊公司,广东省,3,
己公司,浙江省,3,宁波
"""
FROM_MIIT_LIST = {
    "cultivation_batches",
    "firms_by_province",
    "firms_by_city",
    "cities_from_counties",
    "cluster_city_distribution",
    "region_breakdowns",
    "region_text_figures",
}
PATENTS_PLACEHOLDER = "本数据不含专利数据（每家企业的专利数，或逐条专利记录），此图从略。"


def run_build(command: str, *args) -> subprocess.CompletedProcess:
    """`python -m helpers.workflow <command> <args> --cutoff CUTOFF` from the repository root."""
    argv = [sys.executable, "-m", "helpers.workflow", command, *map(str, args), "--cutoff", CUTOFF]
    return subprocess.run(argv, cwd=REPO_ROOT, capture_output=True, text=True)


def miit_folder(folder: Path, text: str = MIIT_LIST) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "firms.csv").write_text(text, encoding="utf-8")
    return folder


@pytest.fixture(scope="module")
def miit_tables(tmp_path_factory):
    root = tmp_path_factory.mktemp("partial")
    return tables.ensure_tables(miit_folder(root / "miit"), CUTOFF, root / "tables")


# --------------------------------------------------------------------------- (a) reading


def test_a_name_province_batch_list_reads_with_documented_defaults(tmp_path):
    data = FirmLevelData(miit_folder(tmp_path / "miit"))
    firms = data.firms
    # firm_id absent: the name is the id; every firm announced and analysed
    assert firms["firm_id"].tolist() == firms["name"].tolist()
    assert set(firms["review_status"]) == {"announced"}
    assert firms["analysed"].all()
    assert firms["province"].tolist() == [
        "北京市",
        "江苏省",
        "江苏省",
        "广东省",
        "广东省",
        "浙江省",
    ]
    assert firms["city"].tolist()[:4] == ["北京市", "苏州市", "南京市", "深圳市"]
    # optional columns absent: all missing, never a false or a zero
    for column in ("industry_field", "employees", "primary_market_financing", "overseas_markets"):
        assert firms[column].isna().all(), column
    assert data.has("firms.city") and not data.has("firms.industry_field")
    assert not data.has("patents") and not data.has("listings")


def test_the_data_check_passes(tmp_path):
    folder = miit_folder(tmp_path / "miit")
    result = run_build(
        "check", "--build", tmp_path / "build", "--data-dir", folder, "--language", "zh"
    )
    assert result.returncode == 0, result.stderr
    assert "data ok" in result.stdout


def test_duplicate_names_without_firm_id_name_the_rows(tmp_path):
    text = MIIT_LIST + "甲公司,北京市,4,北京\n"
    with pytest.raises(DataInputError) as error:
        FirmLevelData(miit_folder(tmp_path / "twice", text))
    message = str(error.value)
    assert "row 2" in message and "row 8" in message and "'甲公司'" in message
    assert "duplicate key" in message


def test_a_present_optional_column_must_still_be_valid(tmp_path):
    text = "name,province,batch_no,industry_field\n甲公司,北京市,1,不存在的领域\n"
    with pytest.raises(DataInputError) as error:
        FirmLevelData(miit_folder(tmp_path / "bad", text))
    assert "column 'industry_field'" in str(error.value)


# --------------------------------------------------------------------------- (b) aggregation


def test_aggregation_writes_what_the_list_gives_and_nothing_in_place_of_the_rest(miit_tables):
    derived = set(yaml.safe_load((miit_tables / tables.FIRM_LEVEL_CATALOG).read_text()))
    names = set(catalog.load_catalog(miit_tables))
    given = {
        n for n, s in catalog.load_catalog(miit_tables).items() if s.document["id"] == "firm-level"
    }
    assert given == FROM_MIIT_LIST
    assert derived == {"document", "tables"}
    # tables firm data gives but this list cannot: absent, not copied from the publication
    for name in ("tech_scale_by_population", "industry_fields", "capital_markets", "text_figures"):
        assert name not in names, name
    # published context firm data never gives stays (copied with its provenance)
    assert catalog.load_published("typical_profile_multiples", miit_tables).attrs["origin"] == (
        "published"
    )
    lacking = tables.not_given(miit_tables)
    assert lacking["tech_scale_by_population"] == ["patents"]
    assert lacking["industry_fields"] == ["firms.industry_field"]
    assert lacking["capital_markets"] == ["listings", "firms.primary_market_financing"]
    assert lacking["invention_density"] == ["patents", "firms.employees"]
    assert not set(lacking) & FROM_MIIT_LIST
    assert catalog.validate_all(miit_tables)


def test_the_aggregates_of_the_list_are_its_counts(miit_tables):
    batches = catalog.load_published("cultivation_batches", miit_tables).set_index("batch_no")
    # batches 1..the highest in the list (helpers.firmlevel.aggregators.registry.batch_numbers)
    assert batches["announced"].tolist() == [2, 2, 2]
    assert batches["analysed"].tolist() == [2, 2, 2]
    assert batches["reviewed"].isna().all()  # no review recorded
    # six firms are not 001's population: no printed share of theirs to be checked against
    assert batches["analysed_share_stated"].isna().all()
    provinces = catalog.load_published("firms_by_province", miit_tables).set_index("province")
    assert provinces.loc[["江苏省", "广东省", "北京市", "浙江省"], "firms"].tolist() == [2, 2, 1, 1]
    assert provinces["firms"].sum() == 6
    breakdowns = catalog.load_published("region_breakdowns", miit_tables)
    jiangsu = breakdowns[(breakdowns["region"] == "江苏省")]
    assert set(jiangsu["dimension"]) == {"batch"}  # no fields, no boards in this list
    assert jiangsu.set_index("category")["firms"].tolist() == [1, 1, 0]
    text = catalog.load_published("region_text_figures", miit_tables).set_index("item")
    # without employees the published average is left out, not shown as this data's
    assert "avg_employees_per_firm" not in text.index
    assert text.loc["top3_provinces_share", "value"] == pytest.approx(5 / 6, abs=0.005)
    assert text.loc["top3_provinces_share", "source_doc"] == "firm-level"


def test_a_folder_without_patents_keeps_what_firms_and_listings_give(tmp_path):
    firms = pd.read_csv(SAMPLE_DIR / "firms.csv", dtype=str).head(400)
    listings = pd.read_csv(SAMPLE_DIR / "listings.csv", dtype=str)
    folder = tmp_path / "no_patents"
    folder.mkdir()
    firms.to_csv(folder / "firms.csv", index=False)
    listings[listings["firm_id"].isin(firms["firm_id"])].to_csv(
        folder / "listings.csv", index=False
    )
    data = FirmLevelData(folder)
    given = set(data.tables())
    assert {"capital_markets", "industry_fields", "overseas_market_reach"} <= given
    assert not given & {"tech_scale_by_population", "pct_holdings", "city_metrics"}
    assert data.lacking("patents_per_firm_by_year") == ["patents"]
    assert data.lacking("cluster_metrics") == ["patents"]


# --------------------------------------------------------------------------- (c) chapter API


def shown(calls) -> str:
    return "".join(str(getattr(c.args[0], "data", c.args[0])) for c in calls)


def test_the_chapter_reports_missing_tables_and_shows_a_numbered_placeholder(tmp_path, miit_tables):
    ch = Chapter("02_innovation", data_dir=str(miit_tables), output_dir=str(tmp_path / "out"))
    assert ch.has_table("cultivation_batches")
    assert not ch.has_table("cultivation_batches", "tech_scale_by_population")
    assert ch.optional_table("typical_profile") is None
    assert ch.lacking("tech_scale_by_population", "pct_growth") == ["patents", "listings"]
    assert ch.lacking("cultivation_batches") == []
    with mock.patch("IPython.display.display") as display:
        sentence = ch.missing(
            "figure",
            "fig2_3_scale",
            "ch02.fig_2_3",
            tables=["tech_scale_by_population"],
            batches="五",
        )
    assert sentence == PATENTS_PLACEHOLDER
    html = shown(display.call_args_list)
    assert '<p class="figure-title"><b>图2.1</b> 五批“小巨人”的技术规模' in html
    assert f'<p class="placeholder">{PATENTS_PLACEHOLDER}</p>' in html
    # numbered like the figure it stands for: the next figure is 图2.2; nothing recorded
    assert ch.number("figure", "fig2_4_growth") == "图2.2"
    assert ch.statistics == {}
    placeholders = pd.read_csv(tmp_path / "out" / "statistics" / "02_innovation.placeholders.csv")
    assert placeholders[["kind", "name", "number", "lacking"]].values.tolist() == [
        ["figure", "fig2_3_scale", "图2.1", "patents"]
    ]
    with pytest.raises(ValueError, match="lacks no input"):
        ch.missing("figure", "fig1", "ch02.fig_2_3", tables=["cultivation_batches"], batches="五")


def test_the_placeholder_in_english_names_several_inputs(tmp_path, miit_tables):
    ch = Chapter(
        "02_innovation", data_dir=str(miit_tables), output_dir=str(tmp_path / "out"), language="en"
    )
    with mock.patch("IPython.display.display"):
        sentence = ch.missing(
            "figure", "fig2_9", "ch02.fig_2_9", tables=["pct_growth"], start=2020, end=2022
        )
    assert sentence == (
        "This data has no patent data (patent counts per firm, or one record per patent) and "
        "listing records; the chart is omitted."
    )


def test_series_say_which_population_they_are_only_when_a_chart_mixes_them(tmp_path):
    ch = Chapter("02_innovation", output_dir=str(tmp_path / "out"))
    mixed = pd.DataFrame(
        {"population": ["小巨人", "科创板", "北交所"], "source_doc": ["firm-level", "001", "001"]}
    )
    assert ch.population_names(mixed, "population") == {
        "小巨人": "小巨人（本数据）",
        "科创板": "科创板（已发布：001）",
        "北交所": "北交所（已发布：001）",
    }
    published = mixed.assign(source_doc="001")
    assert ch.population_names(published, "population") == {
        "小巨人": "小巨人",
        "科创板": "科创板",
        "北交所": "北交所",
    }
    ch_en = Chapter("02_innovation", output_dir=str(tmp_path / "out"), language="en")
    assert ch_en.population_names(mixed, "population")["科创板"] == "STAR Market (published: 001)"


def test_a_chapter_without_checks_shows_an_empty_reconciliation(tmp_path):
    ch = Chapter("02_innovation", output_dir=str(tmp_path / "out"))
    with mock.patch("IPython.display.display"):
        table = ch.reconciliation()
    assert table.empty


# --------------------------------------------------------------------------- the book


def write_statistics(folder: Path, chapter: str, values: dict[str, float], placeholders: bool):
    folder.mkdir(parents=True, exist_ok=True)
    rows = [
        {"key": k, "value": v, "unit": "", "label": "", "source": "", "notebook": chapter}
        for k, v in values.items()
    ]
    pd.DataFrame(rows).to_csv(folder / f"{chapter}.csv", index=False)
    if placeholders:
        (folder / f"{chapter}{book.PLACEHOLDERS_SUFFIX}").write_text("kind\nfigure\n")


BATCHES_ONLY = {
    "01_cultivation.batches.announced_total": 6,
    "01_cultivation.batches.analysed_total": 6,
    "01_cultivation.batches.share.batch1": 2 / 6,
    "01_cultivation.batches.share.batch2": 2 / 6,
}


def test_the_book_leaves_out_findings_of_what_partial_data_lacks(tmp_path):
    write_statistics(tmp_path / "statistics", "01_cultivation", BATCHES_ONLY, placeholders=True)
    stats = book.Statistics.read(tmp_path, ["01_cultivation"])
    findings = book.key_findings(stats, "zh")
    # the batch finding only: fields and listings are placeholders in chapter 01
    assert len(findings) == 1 and "6" in findings[0]
    assert book.methods(stats, "zh")["populations"] == []  # no review: its sentence is left out


def test_the_book_still_fails_on_a_missing_statistic_of_a_complete_chapter(tmp_path):
    write_statistics(tmp_path / "statistics", "01_cultivation", BATCHES_ONLY, placeholders=False)
    stats = book.Statistics.read(tmp_path, ["01_cultivation"])
    with pytest.raises(book.MissingStatistic, match="industries"):
        book.key_findings(stats, "zh")


# --------------------------------------------------------------------------- (d), (e) builds


@pytest.fixture(scope="module")
def sample_miit_list(tmp_path_factory):
    """The sample's 12,950 firms with only the columns MIIT announces."""
    folder = tmp_path_factory.mktemp("lists") / "miit-list"
    folder.mkdir()
    firms = pd.read_csv(SAMPLE_DIR / "firms.csv", dtype=str)
    firms[["name", "province", "batch_no", "city"]].to_csv(folder / "firms.csv", index=False)
    return folder


@pytest.mark.build
def test_a_name_province_batch_list_builds_an_edition_with_placeholders(editions, sample_miit_list):
    reports = editions(str(sample_miit_list), "zh", "beijing")
    edition = reports / "miit-list-zh"
    chapters = {p.stem: p.read_text(encoding="utf-8") for p in (edition / "html").glob("*.html")}
    for text in chapters.values():
        assert "Traceback" not in text and "KeyError" not in text
    assert PATENTS_PLACEHOLDER in chapters["02_innovation"]
    assert "此图从略" in chapters["01_cultivation"] and "此图从略" in chapters["03_regions"]
    # what the list gives is built: provinces and their concentration
    assert "洛伦兹曲线" in chapters["03_regions"]
    profile = (edition / "profiles" / "beijing.html").read_text(encoding="utf-8")
    assert "本数据不含上市挂牌数据，此图从略。" in profile
    assert "此图从略" in (edition / "html" / "report.html").read_text(encoding="utf-8")
    assert (edition / "pdf" / "02_innovation.pdf").exists()
    statistics = read_published(edition / "statistics.csv")
    assert "03_regions.concentration.cr3" in set(statistics["key"])
    assert not statistics["key"].str.startswith("02_innovation.scale.").any()


@pytest.mark.build
def test_a_folder_without_patents_builds_chapter_02_with_placeholders(tmp_path):
    folder = tmp_path / "no_patents"
    folder.mkdir()
    for name in ("firms.csv", "listings.csv"):
        (folder / name).write_bytes((SAMPLE_DIR / name).read_bytes())
    result = run_build(
        "chapter",
        "--notebook",
        "notebooks/02_innovation.ipynb",
        "--build",
        tmp_path / "build",
        "--data-dir",
        folder,
        "--language",
        "zh",
    )
    assert result.returncode == 0, result.stdout + result.stderr
    (page,) = (tmp_path / "build").glob("*/reports/html/02_innovation.html")
    text = page.read_text(encoding="utf-8")
    assert "KeyError" not in text and "Traceback" not in text
    assert text.count(PATENTS_PLACEHOLDER) >= 5
    # the overseas-market distribution needs only firms: its table is there
    assert list((page.parents[1] / "tables").glob("02_innovation_fig2_8_overseas_bins.*"))
