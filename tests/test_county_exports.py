"""An export whose city column names a county-level unit builds (issue 18, what must be true 5):
昆山市 (a county-level city of 苏州) and 南山区 (a district of 深圳) are counted in their
prefecture-level cities, and chapter 03 says how many firms were; a name two cities of the row's
province share (鼓楼区 in 南京 and 徐州) is refused in one line unless the cell names the city too,
and a unit of another province is refused like a city in the wrong province. The reference table
data/reference/counties.csv: every unit under a city of cities.csv in the same province, its code
unique and under its city's.

The data is written by the test (the pattern of tests/test_city_exports.py)."""

from __future__ import annotations

from collections import Counter
from pathlib import Path

import pandas as pd
import pytest

from helpers.data import catalog, reference
from helpers.data.errors import DataInputError
from helpers.firmlevel import tables
from helpers.firmlevel.counties import resolve
from helpers.report.labels import label
from tests.conftest import chapter_page_text

CUTOFF = "2023-07-31"
COUNTIES = reference.table("counties")
CITIES = reference.table("cities").set_index("city")


def export(folder: Path, places: list[tuple[str, str, int]]) -> Path:
    """firms.csv of (city as written, province, firms): MIIT's columns and the city."""
    folder.mkdir(parents=True, exist_ok=True)
    rows = ["name,province,batch_no,city"]
    n = 0
    for city, province, count in places:
        for _ in range(count):
            n += 1
            rows.append(f"企业{n},{province},{n % 3 + 1},{city}")
    (folder / "firms.csv").write_text("\n".join(rows) + "\n", encoding="utf-8")
    return folder


KUNSHAN_NANSHAN = [("昆山市", "江苏", 200), ("南山区", "广东省", 200)]


@pytest.fixture(scope="module")
def counties_export(tmp_path_factory) -> Path:
    return export(tmp_path_factory.mktemp("counties") / "counties", KUNSHAN_NANSHAN)


# --------------------------------------------------------------------------- reference


def test_every_county_lies_under_a_city_of_its_province():
    assert len(COUNTIES) == 2810
    for row in COUNTIES.itertuples():
        city = CITIES.loc[row.city]
        assert city["province"] == row.province, row.county
        if city["city_tier"] == "municipality":
            assert row.gb_code[:2] == city["gb_code"][:2], row.county
        else:
            assert row.gb_code[:4] == city["gb_code"][:4], row.county
    # the province-administered units stay cities; 东莞 中山 儋州 嘉峪关 have no county-level unit
    assert not set(COUNTIES["county"]) & set(CITIES.index)
    assert {"东莞市", "中山市", "儋州市", "嘉峪关市", "三沙市"}.isdisjoint(COUNTIES["city"])


def test_county_codes_are_unique_gb_codes_and_kinds_follow_the_names():
    assert COUNTIES["gb_code"].is_unique
    assert COUNTIES["gb_code"].str.fullmatch(r"\d{6}").all()
    # NBS's statistical-only codes (开发区 and 管理区 under 71–79) are not county-level units
    assert not COUNTIES["gb_code"].str[4:].between("71", "79").any()
    kinds = Counter(COUNTIES["kind"])
    assert kinds == {
        "县": 1297,
        "市辖区": 975,
        "县级市": 374,
        "自治县": 111,
        "旗": 49,
        "自治旗": 3,
        "特区": 1,
    }
    ending = {"市辖区": "区", "县级市": "市", "县": "县", "自治县": "自治县", "旗": "旗"}
    for row in COUNTIES.itertuples():
        assert row.county.endswith(ending.get(row.kind, row.kind)), row.county


@pytest.mark.parametrize(
    ("written", "province", "found"),
    [
        ("昆山市", "江苏省", ("city", "苏州市")),
        ("海淀区", "北京市", ("city", "北京市")),
        ("朝阳区", "北京市", ("city", "北京市")),  # 朝阳区 of 长春 is in another province
        ("朝阳区", "吉林省", ("city", "长春市")),
        ("南京市鼓楼区", "江苏省", ("city", "南京市")),
        ("徐州鼓楼区", "江苏省", ("city", "徐州市")),
        ("鼓楼区", "福建省", ("city", "福州市")),
        ("鼓楼区", "江苏省", ("ambiguous", "南京市")),
        ("昆山市", "浙江省", ("elsewhere", "苏州市")),
        ("余杭", "浙江省", ("", None)),
    ],
)
def test_a_name_resolves_in_the_rows_province(written, province, found):
    kind, units = resolve(written, province)
    assert (kind, units[0]["city"] if units else None) == found


# --------------------------------------------------------------------------- aggregation


def test_county_names_are_counted_in_their_prefecture_cities(counties_export, tmp_path):
    folder = tables.ensure_tables(counties_export, CUTOFF, tmp_path / "tables")
    cities = catalog.load_published("firms_by_city", folder)
    assert dict(zip(cities["city"], cities["firms"], strict=True)) == {"苏州市": 200, "深圳市": 200}
    mapped = catalog.load_published("cities_from_counties", folder)
    assert mapped[["province", "county", "city", "firms"]].values.tolist() == [
        ["江苏省", "昆山市", "苏州市", 200],
        ["广东省", "南山区", "深圳市", 200],
    ]


def test_an_export_of_prefecture_cities_maps_nothing(tmp_path):
    folder = export(tmp_path / "plain", [("苏州", "江苏", 160)])
    mapped = catalog.load_published(
        "cities_from_counties", tables.ensure_tables(folder, CUTOFF, tmp_path / "tables")
    )
    assert mapped.empty


def test_a_district_two_cities_of_the_province_share_is_refused_in_one_line(tmp_path):
    folder = export(tmp_path / "gulou", [("南京市鼓楼区", "江苏", 3), ("鼓楼区", "江苏", 2)])
    with pytest.raises(DataInputError) as raised:
        tables.ensure_tables(folder, CUTOFF, tmp_path / "tables")
    message = str(raised.value)
    assert "\n" not in message
    # header line 1, 南京市鼓楼区 lines 2–4: the bare 鼓楼区 starts on line 5
    assert message.startswith(
        f"{folder / 'firms.csv'}, row 5, column 'city', value '鼓楼区': 2 firms: a district or "
        "county of more than one city of 江苏省 (南京市鼓楼区, 徐州市鼓楼区)"
    )


def test_a_county_of_another_province_is_refused(tmp_path):
    folder = export(tmp_path / "wrong", [("义乌市", "江苏", 4)])
    with pytest.raises(DataInputError) as raised:
        tables.ensure_tables(folder, CUTOFF, tmp_path / "tables")
    message = str(raised.value)
    assert "\n" not in message
    assert message.startswith(f"{folder / 'firms.csv'}, row 2, column 'city', value '义乌市'")
    assert "金华市 (浙江省), not of 江苏省 (column province)" in message


# --------------------------------------------------------------------------- built


@pytest.mark.build
@pytest.mark.parametrize(
    ("language", "sentence", "cities", "unit"),
    [
        ("zh", "本数据中400家企业的城市按其所在区县归入地级市。", ["苏州市", "深圳市"], "家"),
        (
            "en",
            "In these data 400 firms were counted in their prefecture-level city from a county "
            "or district name.",
            ["Suzhou", "Shenzhen"],
            "firms",
        ),
    ],
)
def test_chapter_03_counts_them_in_their_cities_and_says_so(
    counties_export, tmp_path, language, sentence, cities, unit
):
    text = chapter_page_text(
        "03_regions", counties_export, CUTOFF, tmp_path, "--language", language
    )
    assert "Traceback" not in text
    assert sentence in text
    for city in cities:
        assert city in text
    # recorded under its declared key: 200 firms in 昆山市 + 200 in 南山区
    (statistics,) = tmp_path.glob("*/reports/statistics/03_regions.csv")
    rows = pd.read_csv(statistics).set_index("key")
    assert rows.loc["03_regions.cities.firms_from_counties", "value"] == 400
    # the unit is written in the edition's language
    assert rows.loc["03_regions.cities.firms_from_counties", "unit"] == unit


def test_the_sentence_agrees_in_number():
    assert label("ch03.counties.mapped", "en", firms="1", count=1) == (
        "In these data 1 firm was counted in its prefecture-level city from a county or "
        "district name."
    )
    assert label("ch03.counties.mapped", "zh", firms="3", count=3) == (
        "本数据中3家企业的城市按其所在区县归入地级市。"
    )
