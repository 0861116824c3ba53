"""The five 计划单列市 and 新疆生产建设兵团, which MIIT's lists count beside the provinces, are
folded into their province: in published-shaped tables and in firm-level data."""

from __future__ import annotations

import pandas as pd
import pytest

from helpers.data import catalog, reference
from helpers.data.errors import DataInputError

# MIIT's distribution of the first two batches (1,832 firms; 工信微报 2021-06-11, see
# data/reference/province_folds.csv), the rows of the provinces concerned: the 计划单列市 and
# the 兵团 are listed beside their provinces and "未计入本省".
MIIT_ROWS = [
    ("辽宁省", "52"),
    ("浙江省", "107"),
    ("新疆维吾尔自治区", "16"),
    ("新疆生产建设兵团", "4"),
    ("大连市", "22"),
    ("宁波市", "55"),
]


def _spec(value_rule):
    return catalog.TableSpec(
        name="firms_by_unit",
        file="t.csv",
        title="t",
        population="",
        as_of="2021-06-11",
        document={},
        columns={
            "province": {"type": "str", "allowed": "reference:provinces.province"},
            "firms": value_rule,
        },
        key=("province",),
    )


def _frame(rows):
    frame = pd.DataFrame(rows, columns=["province", "firms"])
    frame["source_doc"] = "miit"
    frame["source_id"] = [f"row{i}" for i in range(len(rows))]
    frame["inferred"] = "false"
    frame["note"] = ""
    frame.index = range(2, len(rows) + 2)  # line numbers of the file
    return frame


def test_reference_folds_name_each_unit_with_its_province_and_city():
    assert reference.fold("宁波")["province"] == "浙江省"
    assert reference.fold("深圳市")["city"] == "深圳市"
    assert reference.fold("兵团") == {
        "name": "新疆生产建设兵团",
        "kind": "新疆生产建设兵团",
        "province": "新疆维吾尔自治区",
        "city": "",
    }
    assert reference.fold("江苏省") is None
    assert reference.normalize("provinces", "Qingdao") == "山东省"
    assert reference.normalize("cities", "大连") == "大连市"


def test_miit_table_rows_folded_into_their_provinces_by_hand():
    spec = _spec({"type": "int", "min": 0, "unit": "家"})
    table = catalog.validate_frame(_frame(MIIT_ROWS), spec, "t.csv")
    firms = table.set_index("province")["firms"].to_dict()
    assert firms == {"辽宁省": 52 + 22, "浙江省": 107 + 55, "新疆维吾尔自治区": 16 + 4}
    assert table.loc[table["province"] == "浙江省", "source_id"].item() == "row1；row5"
    folds = {(f["written"], f["province"], f["row"]) for f in table.attrs["folds"]}
    assert folds == {
        ("新疆生产建设兵团", "新疆维吾尔自治区", 5),
        ("大连市", "辽宁省", 6),
        ("宁波市", "浙江省", 7),
    }


def test_a_table_of_shares_cannot_be_folded_and_says_where():
    spec = _spec({"type": "float", "min": 0, "unit": "share"})
    rows = [("浙江省", "0.05"), ("宁波市", "0.03")]
    with pytest.raises(DataInputError) as error:
        catalog.validate_frame(_frame(rows), spec, "t.csv")
    message = str(error.value)
    assert "t.csv" in message and "row 3" in message and "宁波市" in message
    assert "'firms'" in message and "浙江省" in message


def test_duplicate_provinces_are_still_refused_when_nothing_was_folded():
    spec = _spec({"type": "int", "min": 0, "unit": "家"})
    with pytest.raises(DataInputError, match="duplicate key"):
        catalog.validate_frame(_frame([("浙江省", "1"), ("浙江省", "2")]), spec, "t.csv")


def test_firm_rows_written_as_a_planned_city_or_the_corps_are_folded(tmp_path):
    from helpers.firmlevel.firms import FirmLevelData
    from tests.test_firms import FIRMS, write

    firms = (
        FIRMS.replace(
            "F5,戊公司,5,announced,true,广东省,深圳市", "F5,戊公司,5,announced,true,深圳,"
        )
        .replace("F6,己公司,5,announced,true,广东省,清远市", "F6,己公司,5,announced,true,兵团,")
        .replace("F4,丁公司,4,revoked,true,上海市,上海", "F4,丁公司,4,revoked,true,宁波市,舟山市")
    )
    data = FirmLevelData(write(tmp_path / "folds", firms=firms), city_min_firms=1)
    rows = data.firms.set_index("firm_id")[["province", "city"]]
    assert rows.loc["F5"].tolist() == ["广东省", "深圳市"]  # empty city: the planned city
    assert rows.loc["F6", "province"] == "新疆维吾尔自治区"
    assert pd.isna(rows.loc["F6", "city"])  # the corps is not a city
    # a written city is kept, not replaced by the planned city (a prefecture city: a county-level
    # one such as 慈溪市 counts in its prefecture, helpers.firmlevel.counties)
    assert rows.loc["F4"].tolist() == ["浙江省", "舟山市"]


def test_region_parameter_accepts_the_corps_and_the_planned_cities():
    from helpers.parameters import check_region

    assert check_region("新疆生产建设兵团") == {
        "region": "新疆维吾尔自治区",
        "region_level": "province",
    }
    assert check_region("大连") == {"region": "大连市", "region_level": "city"}
