"""data/reference/cities.csv: every prefecture-level division of the 31 provinces, the four
municipalities and the province-administered county-level units, each with a unique GB/T 2260
code under its province's, and no spelling shared by two cities (so reference.normalize maps
every spelling to one city)."""

from collections import Counter

import pytest

from helpers.data import reference
from helpers.report.profile import region_slug

CITIES = reference.table("cities")
PROVINCES = reference.table("provinces").set_index("province")


def test_every_prefecture_level_division_and_province_administered_unit():
    tiers = CITIES["city_tier"].value_counts().to_dict()
    # 333 prefecture-level divisions (293 地级市, 7 地区, 30 自治州, 3 盟; 15 of them
    # sub-provincial), 4 municipalities, 32 province-administered county-level units
    assert tiers == {"prefecture": 318, "sub-provincial": 15, "municipality": 4, "county-level": 32}
    kinds = Counter(
        next(k for k in ("自治州", "地区", "盟", "市") if name.endswith(k))
        for name, tier in zip(CITIES["city"], CITIES["city_tier"], strict=True)
        if tier in ("prefecture", "sub-provincial")
    )
    assert kinds == {"市": 293, "自治州": 30, "地区": 7, "盟": 3}
    assert set(CITIES["province"]) == set(PROVINCES.index)
    # changes since 2019: 莱芜 merged into 济南; 那曲 a city; 新疆's newest county-level city
    assert "莱芜市" not in set(CITIES["city"])
    assert {"那曲市", "海东市", "白杨市", "新星市"} <= set(CITIES["city"])


def test_the_seeds_cities_keep_their_rows():
    first = CITIES.head(29).set_index("city")
    assert first.loc["深圳市"].tolist()[:6] == [
        "深圳",
        "Shenzhen",
        "广东省",
        "440300",
        "粤港澳",
        "sub-provincial",
    ]
    assert first.loc["大连市", "name_en"] == "Dalian"
    assert (CITIES["cluster"] == "粤港澳").sum() == 9


def test_every_gb_code_is_unique_and_under_its_province():
    assert CITIES["gb_code"].is_unique
    assert CITIES["gb_code"].str.fullmatch(r"\d{6}").all()
    for row in CITIES.itertuples():
        province = PROVINCES.loc[row.province, "gb_code"]
        if row.city_tier == "municipality":
            assert row.gb_code == province, row.city
        else:
            assert row.gb_code[:2] == province[:2] and row.gb_code != province, row.city
            # a prefecture's code ends in 00; a province-administered unit's sits under 90
            assert row.gb_code.endswith("00") == (row.city_tier != "county-level"), row.city
            assert (row.gb_code[2:4] == "90") == (row.city_tier == "county-level"), row.city


def test_no_two_cities_share_a_spelling():
    spellings = Counter()
    for row in CITIES.itertuples():
        for name in {row.city, row.short_name, row.name_en, row.gb_code}:
            spellings[name.casefold()] += 1
    assert [name for name, count in spellings.items() if count > 1] == []
    for row in CITIES.itertuples():
        for name in (row.city, row.short_name, row.name_en, row.gb_code):
            assert reference.normalize("cities", name) == row.city
    # a municipality's profile is its province's; every other city has a slug of its own
    slugs = Counter(region_slug(name) for name in [*CITIES["city"], *PROVINCES.index])
    assert [s for s, n in slugs.items() if n > 1] == ["beijing", "tianjin", "shanghai", "chongqing"]


@pytest.mark.parametrize(
    ("spelling", "city"),
    [
        ("吉林", "吉林市"),  # the province is another table
        ("Jilin City", "吉林市"),
        ("海南州", "海南藏族自治州"),
        ("Taizhou (Zhejiang)", "台州市"),
        ("Urumqi", "乌鲁木齐市"),
        ("lu'an", "六安市"),
        ("659012", "白杨市"),
    ],
)
def test_spellings_of_new_cities(spelling, city):
    assert reference.normalize("cities", spelling) == city


def test_clusters_follow_the_provinces_except_the_greater_bay_area():
    clusters = CITIES.set_index("city")["cluster"]
    provinces = CITIES.set_index("city")["province"]
    for city, province in provinces.items():
        whole = PROVINCES.loc[province, "cluster"]
        if whole in ("京津冀", "长三角"):
            assert clusters[city] == whole, city
        elif whole != "粤港澳":
            assert clusters[city] == "", city
    assert sorted(clusters[clusters == "粤港澳"].index) == sorted(
        ["广州市", "深圳市", "珠海市", "佛山市", "惠州市", "东莞市", "中山市", "江门市", "肇庆市"]
    )
