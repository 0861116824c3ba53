"""The rows a statistic recorded a table at a time cites (helpers.report.cited): each rule is a
function of the recorded row (a one-row frame) giving the rows it cites, checked here on small
tables whose expected rows are picked out by hand."""

import pandas as pd

from helpers.report import cited

PATENTS = pd.DataFrame(
    {
        "measure": ["存量申请", "存量申请", "新增申请", "新增申请"],
        "patent_type": ["发明", "实用新型", "发明", "实用新型"],
        "patents": [10, 20, 3, 4],
    },
    index=[10, 11, 12, 13],
)
PROVINCES = pd.DataFrame(
    {"province": ["江苏省", "广东省", "浙江省"], "region": ["东部", "东部", "东部"]},
    index=[0, 1, 2],
)


def test_same_gives_the_rows_with_the_recorded_rows_values():
    measure_rows = cited.same(PATENTS, "measure")
    # the row of 新增申请 (index 12) cites both rows of its measure: 12 and 13
    assert measure_rows(PATENTS.loc[[12]]).index.tolist() == [12, 13]
    both = cited.same(PATENTS, "measure", "patent_type")
    assert both(PATENTS.loc[[11]]).index.tolist() == [11]


def test_same_with_the_row_first_cites_the_row_then_the_rows_found():
    cities = pd.DataFrame({"city": ["宁波市"], "province": ["浙江省"]}, index=[7])
    row, province = cited.same(PROVINCES, "province", row_first=True)(cities)
    assert row.index.tolist() == [7]
    assert province.index.tolist() == [2]  # 浙江省


def test_picked_hands_the_rows_values_to_a_selection():
    def of_region(table, region, province):
        return table[(table["region"] == region) & (table["province"] != province)]

    frame = pd.DataFrame({"region": ["东部"], "other": ["广东省"]})
    rows = cited.picked(of_region, PROVINCES, "region", "other")(frame)
    assert rows.index.tolist() == [0, 2]  # 东部 without 广东省


def test_up_to_gives_the_rows_down_to_the_recorded_one():
    ranked = PROVINCES.set_axis([5, 3, 9])  # the position counts, not the label's order
    assert cited.up_to(ranked)(ranked.loc[[5]]).index.tolist() == [5]
    assert cited.up_to(ranked)(ranked.loc[[9]]).index.tolist() == [5, 3, 9]


def test_at_gives_the_row_the_recorded_row_points_to():
    counts = pd.DataFrame({"firms": [4], "source_row": [11]})
    assert cited.at(PATENTS, "source_row")(counts).index.tolist() == [11]
