"""A large one-province export builds (issue 18, what must be true 5): 2,000 firms over eleven
prefecture-level cities of 浙江, eight of them not named in the seeds (温州 绍兴 金华 台州 湖州 衢州
舟山 丽水), written as an export writes them (short, full and English names). Every city with at
least 150 firms is in data/reference/cities.csv, so firms_by_city lists the eleven, the firm-level
edition gains their profiles (the profile rule: every city with 150 firms) while the published
edition keeps its 47, chapter 03 and the profiles build in both languages, and the English pages
name the cities in English. A city name that matches no city (a misspelling) is refused in one
line naming file, row, column and value, with the closest names.

The data is written by the test (the pattern of tests/test_legit_exports.py); the aggregation
runs in-process and the build tests (marked build) run chapter 03 and the profiles end to end
into the test's own folders."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import pandas as pd
import pytest

from helpers.data import catalog, reference
from helpers.data.errors import DataInputError
from helpers.data.source import DataSource
from helpers.firmlevel import tables
from helpers.report.html import visible_text
from helpers.stats import regions
from helpers.stats.profile import rank_window
from helpers.workflow.profiles import profile_regions
from tests.conftest import chapter_page_text

REPO = Path(__file__).parents[1]
CUTOFF = "2023-07-31"
# (the city as the export writes it, its firms): 2,000 firms, every city with at least 150
CITIES = [
    ("杭州", 250),
    ("宁波市", 230),
    ("温州", 210),
    ("绍兴市", 190),
    ("嘉兴", 175),
    ("金华市", 170),
    ("Taizhou (Zhejiang)", 160),
    ("湖州", 155),
    ("衢州市", 154),
    ("舟山", 153),
    ("Lishui", 153),
]
CANONICAL = [
    "杭州市",
    "宁波市",
    "温州市",
    "绍兴市",
    "嘉兴市",
    "金华市",
    "台州市",
    "湖州市",
    "衢州市",
    "舟山市",  # 153 firms like 丽水, listed first: 330900 comes before 331100 in cities.csv
    "丽水市",
]
ENGLISH = [
    "Wenzhou",
    "Shaoxing",
    "Jinhua",
    "Taizhou (Zhejiang)",
    "Huzhou",
    "Quzhou",
    "Zhoushan",
    "Lishui",
]
# A national export listing 40 cities (189 down to 150 firms: the 40 rows of cities.csv after the
# four municipalities, 南京 to 长治), more than the chart of chapter 03 draws (20) and than a
# profile's rank chart draws (31).
NATIONAL = [(city, 189 - i) for i, city in enumerate(reference.values("cities", "city")[4:44])]
FIELDS = ["新材料", "新一代信息技术", "高端机械装备"]
CJK = re.compile(r"[\u3000-\u303f\u3400-\u9fff\uff00-\uffef“”‘’]+")


def province_of(city: str) -> str:
    """The province of a city of the reference (浙江省 for a name it does not know)."""
    cities = reference.table("cities").set_index("city")["province"]
    return cities.get(reference.normalize("cities", city), "浙江省")


def export(folder: Path, cities=CITIES) -> Path:
    """firms.csv, patents.csv (two years each, so growth is defined) and listings.csv (every tenth
    firm on 科创板) of the firms of `cities`."""
    folder.mkdir(parents=True, exist_ok=True)
    firms = [
        "firm_id,name,batch_no,review_status,analysed,province,city,industry_field,employees,"
        "primary_market_financing,overseas_markets"
    ]
    patents = [
        "firm_id,year,includes_earlier_years,applications,invention_applications,"
        "pct_applications,invention_grants,citations_received,licences_out,"
        "valid_invention_patents"
    ]
    listings = ["firm_id,board"]
    n = 0
    for city, count in cities:
        for _ in range(count):
            n += 1
            firm = f"Z{n:04d}"
            financed = "true" if n % 4 == 0 else "false"
            firms.append(
                f"{firm},企业{n},{n % 5 + 1},confirmed,true,{province_of(city)},{city},"
                f"{FIELDS[n % 3]},{50 + n % 7},{financed},{n % 3}"
            )
            patents.append(f"{firm},2020,false,{4 + n % 3},2,0,1,3,0,2")
            patents.append(f"{firm},2022,false,{6 + n % 3},3,1,1,4,0,3")
            if n % 10 == 0:
                listings.append(f"{firm},科创板")
    (folder / "firms.csv").write_text("\n".join(firms) + "\n", encoding="utf-8")
    (folder / "patents.csv").write_text("\n".join(patents) + "\n", encoding="utf-8")
    (folder / "listings.csv").write_text("\n".join(listings) + "\n", encoding="utf-8")
    return folder


@pytest.fixture(scope="module")
def zhejiang(tmp_path_factory) -> Path:
    return export(tmp_path_factory.mktemp("cities") / "zhejiang")


@pytest.fixture(scope="module")
def aggregated(zhejiang, tmp_path_factory) -> Path:
    return tables.ensure_tables(zhejiang, CUTOFF, tmp_path_factory.mktemp("tables"))


# --------------------------------------------------------------------------- aggregation


def test_every_city_with_150_firms_is_listed(aggregated):
    cities = catalog.load_published("firms_by_city", aggregated)
    assert cities["city"].tolist() == CANONICAL
    assert cities["firms"].tolist() == [n for _, n in CITIES]
    provinces = catalog.load_published("firms_by_province", aggregated)
    shares = regions.cities_with_shares(cities, regions.provinces_ranked(provinces))
    shares = shares.set_index("city")
    assert shares.loc["温州市", "share_of_province"] == pytest.approx(210 / 2000)
    assert shares.loc["丽水市", "province"] == "浙江省"


def test_the_firm_level_edition_gains_its_city_profiles_the_published_keeps_47(aggregated):
    mine = profile_regions(str(aggregated), CUTOFF)
    assert len(mine) == 31 + 11
    assert [s for s in mine if mine[s] in CANONICAL][6] == "taizhou_zhejiang"
    published = profile_regions("data/published", CUTOFF)
    assert len(published) == 47


def test_a_city_that_matches_no_city_is_refused_in_one_line(tmp_path):
    folder = export(tmp_path / "misspelt", [("杭州", 160), ("温洲", 150)])
    with pytest.raises(DataInputError) as raised:
        tables.ensure_tables(folder, CUTOFF, tmp_path / "tables")
    message = str(raised.value)
    assert "\n" not in message
    # the header is line 1 and 杭州's 160 firms lines 2–161: 温洲's first firm is on line 162
    assert message.startswith(
        f"{folder / 'firms.csv'}, row 162, column 'city', value '温洲': 150 firms give this city"
    )
    assert "close matches: 温州市" in message
    assert "correct the spelling" in message


def test_a_small_unknown_place_is_kept_as_written(tmp_path):
    """A name that is neither a city nor a county-level unit (余杭, the district's name without
    区) with fewer than 150 firms is not listed, so it is not refused."""
    folder = export(tmp_path / "district", [("杭州", 160), ("余杭", 20)])
    cities = catalog.load_published(
        "firms_by_city", tables.ensure_tables(folder, CUTOFF, tmp_path / "tables")
    )
    assert cities["city"].tolist() == ["杭州市"]


# --------------------------------------------------------------------------- built


def profile_page(data_dir: Path, build: Path, slug: str, language: str) -> str:
    command = [
        sys.executable,
        "-m",
        "helpers.workflow.profiles",
        "build",
        "--region",
        slug,
        "--data-dir",
        str(data_dir),
        "--cutoff",
        CUTOFF,
        "--build",
        str(build),
        "--language",
        language,
    ]
    result = subprocess.run(command, cwd=REPO, capture_output=True, text=True)
    assert result.returncode == 0, result.stdout + result.stderr
    (page,) = build.glob(f"*-{language}/reports/profiles/{slug}.html")
    return visible_text(page.read_text(encoding="utf-8"))


@pytest.mark.build
def test_chapter_03_and_the_profile_in_chinese(zhejiang, tmp_path):
    page = chapter_page_text("03_regions", zhejiang, CUTOFF, tmp_path)
    assert "Traceback" not in page
    assert "11个城市中，杭州市、宁波市和温州市位列前三" in page
    for city in CANONICAL:
        assert city in page
    profile = profile_page(zhejiang, tmp_path, "zhejiang", "zh")
    assert "丽水市153家" in profile
    # every firm lies in the eleven cities: no "其余0家在其他城市", no bar of none
    assert "浙江省的企业全部在这些城市" in profile and "其余0家" not in profile


@pytest.mark.build
def test_chapter_03_and_the_profiles_in_english(zhejiang, tmp_path):
    chapter_page_text("03_regions", zhejiang, CUTOFF, tmp_path, "--language", "en")
    (html,) = tmp_path.glob("*-en/reports/html/03_regions.html")
    page = visible_text(html.read_text(encoding="utf-8"))
    assert "Of 11 cities, Hangzhou, Ningbo and Wenzhou lead" in page
    profile = profile_page(zhejiang, tmp_path, "zhejiang", "en")
    city = profile_page(zhejiang, tmp_path, "taizhou_zhejiang", "en")
    assert "Taizhou (Zhejiang) has 160 firms" in city
    assert "all of Zhejiang's firms are in them" in city and "other 0" not in city
    for text in (page, profile):
        for name in ENGLISH:
            assert name in text, name
    # no Chinese at all: every city shown has its English name in cities.csv
    pages = {"chapter": page, "profile": profile, "city": city}
    assert {name: hits for name, text in pages.items() if (hits := CJK.findall(text))} == {}


def test_every_city_has_its_metrics(aggregated):
    frame = DataSource(aggregated, cutoff=CUTOFF).table("region_metrics")
    firms = frame[(frame["level"] == "city") & (frame["metric"] == "firms")]
    assert dict(zip(firms["region"], firms["value"], strict=True)) == {
        city: n for city, (_, n) in zip(CANONICAL, CITIES, strict=True)
    }


@pytest.mark.build
def test_a_national_export_draws_twenty_cities_and_31_around_a_profiles_city(tmp_path):
    national = export(tmp_path / "national", NATIONAL)
    page = chapter_page_text("03_regions", national, CUTOFF, tmp_path)
    assert "40个城市中" in page
    assert "图中为企业数最多的20个城市，下表列出全部城市。" in page
    (svg,) = tmp_path.glob("*/reports/figures/03_regions_fig3_3_cities.svg")
    drawn = svg.read_text(encoding="utf-8")  # each label's text is a comment beside its glyphs
    assert "<!-- 惠州市 -->" in drawn and "<!-- 清远市 -->" not in drawn  # the 20th and the 21st
    # 衡水 is the 36th of 40: the rank chart draws the 31 rows around it, ranks 10 to 40
    profile = profile_page(national, tmp_path, "hengshui", "en")
    assert "Hengshui has 154 firms" in profile
    assert "The chart shows ranks 10 to 40 of the 40 cities." in profile
    assert "Warning" not in profile


def test_a_rank_window_centres_on_the_region():
    ranking = pd.DataFrame({"name": range(100), "is_region": False})

    def window(row: int) -> list[int]:
        marked = ranking.assign(is_region=ranking["name"] == row)
        drawn = rank_window(marked, 31)
        return [drawn.index[0], drawn.index[-1]]

    assert window(49) == [34, 64]  # 15 rows either side
    assert window(1) == [0, 30]  # near the top: the first 31
    assert window(98) == [69, 99]  # near the bottom: the last 31
    assert rank_window(ranking.head(31), 31).index.tolist() == list(range(31))
