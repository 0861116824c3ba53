"""Every legitimate export builds (issue 18, what must be true 5): an export with no firm in the
粤港澳 cities (one province's firms, the README's own few-firm list), a city whose filings fell,
batch 7 without batch 6, a previous edition's folder with less data than this one, a large list
in one province, and MIIT's own list shape (name, province, batch). What the data lacks is said
in the report, in a sentence from the label files, never a traceback.

Each case is built from data the test writes (the six firms of tests/test_firms.py, moved or
changed); the aggregation runs in-process (helpers.firmlevel.tables.ensure_tables) and only the
chapter a case touches is executed end to end (`python -m helpers.workflow chapter`, marked
build)."""

from __future__ import annotations

import math
import re
from pathlib import Path

import pandas as pd
import pytest

from helpers.data import catalog
from helpers.firmlevel import tables
from helpers.report import changes
from helpers.stats import cultivation
from helpers.stats import regional as st
from tests.conftest import chapter_page_text
from tests.test_firms import FIRMS, LISTINGS, PATENTS, write

CUTOFF = "2023-07-31"
# The six firms of test_firms, all in 江苏省 (none in the 粤港澳 cities, none in a city page's
# city, no city with 150 firms).
ONE_PROVINCE = (
    FIRMS.replace("北京,北京", "江苏省,南京")
    .replace("江苏省,苏州", "江苏省,无锡")
    .replace("上海市,上海", "江苏省,常州")
    .replace("广东省,深圳市", "江苏省,苏州")
    .replace("广东省,清远市", "江苏省,苏州")
)
# The same six firms in 四川省: none in any of the three clusters.
NO_CLUSTER = re.sub(r",(北京|江苏省|Jiangsu|上海市|广东省),[^,]+,", ",四川省,成都市,", FIRMS)
# F1 (北京) filed 10 applications in 2020 and 4 in 2022 (test_firms: 20).
FALLING = PATENTS.replace("F1,2022,false,20,10,2,3,20,1,10", "F1,2022,false,4,2,2,3,20,1,10")
# F6 in batch 7: batches 3 and 6 have no firm.
BATCH_GAP = FIRMS.replace("F6,己公司,5,", "F6,己公司,7,")
# The README's partial-data example (data/README.md) with a third firm: no 粤港澳 firm.
README_LIST = (
    "name,province,batch_no,city\n甲公司,北京,1,北京\n乙公司,江苏省,1,苏州\n丙公司,浙江省,2,宁波\n"
)
# MIIT's own list shape, as its announcements head the columns: name, province, batch.
MIIT_LIST = "企业名称,省份,批次\n甲公司,北京,第一批\n乙公司,江苏省,第一批\n丙公司,江苏,第二批\n丁公司,广东省,第二批\n"

NO_CITIES = "本数据不含企业数不少于150家的城市，此图从略。"
NO_TYPICAL = "本数据不含五个典型城市（北京、深圳、上海、宁波、重庆）的企业，此图从略。"
NO_CLUSTERS = "本数据不含三大城市群（京津冀、长三角、粤港澳）的企业"


def aggregate(folder: Path, tmp_path: Path, cutoff: str = CUTOFF) -> Path:
    return tables.ensure_tables(folder, cutoff, tmp_path / "tables")


def table(folder: Path, name: str) -> pd.DataFrame:
    return catalog.load_published(name, folder)


def firm_list(folder: Path, text: str) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "firms.csv").write_text(text, encoding="utf-8")
    return folder


# --------------------------------------------------------------------------- aggregation


def test_an_export_of_one_province_aggregates_tables_without_rows(tmp_path):
    folder = aggregate(write(tmp_path / "jiangsu", firms=ONE_PROVINCE), tmp_path)
    # no firm in the 粤港澳 cities or on a city page: their tables have their columns, no rows
    for name in ("cluster_city_distribution", "city_metrics", "city_overview", "firms_by_city"):
        frame = table(folder, name)
        assert frame.empty, name
        assert list(frame.columns) == list(catalog.load_published(name).columns), name
    clusters = table(folder, "cluster_metrics")
    assert set(clusters["region"]) == {"长三角"}


@pytest.mark.parametrize("text", [README_LIST, MIIT_LIST], ids=["readme", "miit"])
def test_a_short_list_without_gba_firms_aggregates(tmp_path, text):
    folder = aggregate(firm_list(tmp_path / "list", text), tmp_path)
    assert table(folder, "cluster_city_distribution").empty
    provinces = table(folder, "firms_by_province").set_index("province")["firms"]
    assert provinces.sum() == text.count("\n") - 1


def test_a_city_whose_filings_fell_has_a_negative_growth_rate(tmp_path):
    folder = aggregate(write(tmp_path / "falling", patents=FALLING), tmp_path)
    metrics = table(folder, "city_metrics").set_index(["city", "metric"])["value"]
    # 北京 is F1 alone: 10 applications in 2020, 4 in 2022 → (4 / 10) ** (1 / 2) − 1 = −0.3675
    assert metrics["北京市", "applications_cagr_2020_2022"] == pytest.approx(math.sqrt(0.4) - 1)


def test_batch_7_without_batch_6_keeps_the_empty_batches(tmp_path):
    folder = aggregate(write(tmp_path / "gap", firms=BATCH_GAP), tmp_path)
    batches = table(folder, "cultivation_batches").set_index("batch_no")
    assert batches.index.tolist() == [1, 2, 3, 4, 5, 6, 7]
    assert batches.loc[[3, 6], "announced"].tolist() == [0, 0]
    shares = cultivation.batch_shares(batches.reset_index()).set_index("batch_no")
    # kept after review: batch 1 1 of 2, batch 2 1 of 1, batch 4 0 of 1; none for 3 and 6 (no
    # firm), 5 and 7 (not reviewed)
    assert shares.loc[[1, 2, 4], "kept_after_review"].tolist() == [0.5, 1.0, 0.0]
    assert shares.loc[[3, 5, 6, 7], "kept_after_review"].isna().all()
    # analysed shares: five analysed firms (F2 is not), one each in batches 1, 2, 4, 5, 7
    assert shares["analysed_share"].tolist() == [0.2, 0.2, 0.0, 0.2, 0.2, 0.0, 0.2]


# --------------------------------------------------------------------------- statistics


def cities(*rows) -> pd.DataFrame:
    return pd.DataFrame(rows, columns=["city", "province", "firms", "share_of_province"])


def test_no_rows_have_no_total_and_fewer_than_n_no_top_n():
    assert st.group_total(cities(), 12192).empty
    two = cities(("苏州市", "江苏省", 400, 0.4), ("南京市", "江苏省", 300, 0.3))
    assert st.leading_total(two, 3, 1000).empty
    assert st.group_total(two, 1000).iloc[0].tolist() == [700, 0.7]
    four = cities(
        *two.values.tolist(), ("无锡市", "江苏省", 200, 0.2), ("常州市", "江苏省", 100, 0.1)
    )
    assert st.leading_total(four, 3, 1000).iloc[0].tolist() == [900, 0.9]  # 400 + 300 + 200


def test_no_leading_prefecture_city_among_municipalities():
    assert st.leading_prefecture_city(cities(("北京市", "北京市", 793, 1.0))) is None
    both = cities(("北京市", "北京市", 793, 1.0), ("苏州市", "江苏省", 400, 0.4))
    assert st.leading_prefecture_city(both)["city"] == "苏州市"


def test_a_cluster_without_firms_has_no_parts():
    provinces = pd.DataFrame(
        {
            "province": ["江苏省", "浙江省", "北京市", "天津市"],
            "firms": [5, 1, 0, 0],
            "cluster": ["长三角", "长三角", "京津冀", "京津冀"],
        }
    )
    gba = pd.DataFrame({"region": ["粤港澳"], "city": ["其他城市"], "firms": [0]})
    parts = st.cluster_parts(provinces, gba)
    assert parts["part"].tolist() == ["江苏省", "浙江省"]
    assert parts["share_of_cluster"].tolist() == pytest.approx([5 / 6, 1 / 6])


class Said:
    """A chapter's words as a test sees them: the label keys of its sentences."""

    language = "zh"

    def __init__(self):
        self.sentences = []

    def t(self, key, **values):
        from helpers.report.labels import label

        return label(key, "zh", **values)

    def text(self, key, **values):
        self.sentences.append(self.t(key, **values))


class Previous:
    def __init__(self, tables_given, not_given):
        self.given, self.lacking = set(tables_given), not_given

    def provides(self, name):
        return name in self.given

    def not_given(self):
        return self.lacking


def test_a_previous_edition_without_an_input_is_said_not_compared():
    said = Said()
    assert changes.previous_gives(said, None, "capital_markets") is False
    assert changes.previous_gives(said, Previous({"capital_markets"}, {}), "capital_markets")
    assert said.sentences == []
    lacking = Previous(set(), {"capital_markets": ["listings", "firms.primary_market_financing"]})
    assert changes.previous_gives(said, lacking, "capital_markets") is False
    assert said.sentences == [
        "上一版数据不含上市挂牌数据和企业一级市场融资情况，此项不与上一版比较。"
    ]


# --------------------------------------------------------------------------- chapters, built


def build_chapter(notebook: str, data_dir: Path, build: Path, *more: str) -> str:
    """One chapter executed and exported; its HTML page as text (tags removed)."""
    text = chapter_page_text(notebook, data_dir, CUTOFF, build, *more)
    assert "Traceback" not in text and "Error" not in text
    return text


@pytest.mark.build
def test_chapter_03_of_one_province_says_what_the_data_lacks(tmp_path):
    page = build_chapter("03_regions", write(tmp_path / "jiangsu", firms=ONE_PROVINCE), tmp_path)
    assert NO_CITIES in page and NO_TYPICAL in page
    assert "长三角" in page  # the cluster it has is shown


@pytest.mark.build
def test_chapter_03_without_a_firm_in_the_clusters(tmp_path):
    page = build_chapter("03_regions", write(tmp_path / "sichuan", firms=NO_CLUSTER), tmp_path)
    assert page.count(NO_CLUSTERS) == 3  # the clusters' table and both cluster figures


@pytest.mark.build
def test_chapter_01_with_a_batch_gap_and_a_previous_edition_without_listings(tmp_path):
    # the previous edition (cut-off a year earlier, 2022-07-31): no listings, no 2023 rows
    previous = write(
        tmp_path / "previous",
        patents=PATENTS.replace("F5,2023,false,12,6,3,1,3,0,4\n", ""),
        listings=None,
    )
    current = write(tmp_path / "current", firms=BATCH_GAP, listings=LISTINGS)
    page = build_chapter("01_cultivation", current, tmp_path / "build", "--previous", str(previous))
    assert "上一版数据不含上市挂牌数据，此项不与上一版比较。" in page
    assert "第七批" in page


@pytest.mark.build
def test_chapter_02_with_a_previous_edition_without_patents(tmp_path):
    previous = write(tmp_path / "previous", patents=None)
    page = build_chapter(
        "02_innovation",
        write(tmp_path / "current"),
        tmp_path / "build",
        "--previous",
        str(previous),
    )
    assert (
        "上一版数据不含专利数据（每家企业的专利数，或逐条专利记录），此项不与上一版比较。" in page
    )


@pytest.mark.build
def test_chapter_03_of_a_miit_list(tmp_path):
    page = build_chapter("03_regions", firm_list(tmp_path / "miit", MIIT_LIST), tmp_path / "build")
    assert NO_CITIES in page and "洛伦兹曲线" in page


def test_the_key_findings_of_one_province(tmp_path):
    """Every other province ties second with no firms: there is no rank 5 (a KeyError in the
    book before); the first five provinces hold all the firms."""
    from helpers.report import book

    chapter = "03_regions"
    ids = ["320000", "110000", "310000", "330000", "440000", "510000"]  # 江苏 first, then none
    rows = [("provinces.firms.320000", 5), ("provinces.share.320000", 1.0)]
    rows += [(f"provinces.rank.{p}", 1 if p == "320000" else 2) for p in ids]
    rows += [(f"provinces.cumulative_share.{p}", 1.0) for p in ids]
    (tmp_path / "statistics").mkdir()
    lines = ["key,value,unit,label,source,notebook"]
    lines += [f"{chapter}.{key},{value},,,,{chapter}" for key, value in rows]
    (tmp_path / "statistics" / f"{chapter}.csv").write_text("\n".join(lines) + "\n", "utf-8")
    found = book.key_findings(book.Statistics.read(tmp_path, [chapter]), "zh")
    assert found[0].startswith(
        "江苏省的“小巨人”企业最多（5家，占100.0%），企业数前五的省份合计占100.0%"
    )
