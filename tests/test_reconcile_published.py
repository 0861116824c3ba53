"""The declarative `reconcile:` checks of the published tables (helpers.reconcile.published_checks).

Each kind is tried on a tiny hand-made table written into its own tmp_path (load_catalog and
load_published are cached by folder, so every test gets a fresh one), with the expected values
worked out by hand in the comments; then the real catalogues are checked for their known findings.
"""

import pandas as pd
import pytest
import yaml

from helpers.data import catalog
from helpers.stats.reconcile import published_checks, reconcile

PROVENANCE = {"source_doc": "999", "source_id": "图表1", "inferred": False, "note": ""}


def write_table(folder, name, frame, columns, key, checks):
    """One catalogue (document 999) with one table `name`, its CSV and its `reconcile:` checks."""
    frame = frame.assign(**PROVENANCE)
    frame.to_csv(folder / f"{name}.csv", index=False)
    entry = {
        "file": f"{name}.csv",
        "title": name,
        "population": "hand-made",
        "as_of": "2023",
        "key": key,
        "columns": columns,
        "reconcile": checks,
    }
    content = {"document": {"id": "999", "title": "test"}, "tables": {name: entry}}
    (folder / "catalog_999.yml").write_text(yaml.safe_dump(content, allow_unicode=True), "utf-8")
    return folder


def statuses(items):
    table = reconcile(items, decimals="decimals")
    return dict(zip(table["item"], table["status"], strict=True))


def test_share_of_sum_by_group_and_where(tmp_path):
    frame = pd.DataFrame(
        {
            "group": ["g1", "g1", "g2", "g2", "g2"],
            "bin": ["a", "b", "a", "b", "c"],
            "firms": [1, 3, 2, 2, 96],
            "share_stated": [0.25, 0.75, 0.5, 0.6, None],
        }
    )
    columns = {
        "group": {"type": "str"},
        "bin": {"type": "str"},
        "firms": {"type": "int"},
        "share_stated": {"type": "float", "nullable": True},
    }
    # where drops bin c, so g2 sums to 2 + 2 = 4 (not 100).
    check = {
        "kind": "share_of_sum",
        "value": "firms",
        "stated": "share_stated",
        "by": "group",
        "where": {"bin": ["a", "b"]},
        "decimals": 2,
        "label": "占比",
    }
    items = published_checks(write_table(tmp_path, "t", frame, columns, ["group", "bin"], [check]))
    # g1: 1/4 = 0.25, 3/4 = 0.75; g2: 2/4 = 0.5 twice (stated 0.5 and 0.6).
    assert items["item"].tolist() == ["g1 a 占比", "g1 b 占比", "g2 a 占比", "g2 b 占比"]
    assert items["recomputed"].tolist() == pytest.approx([0.25, 0.75, 0.5, 0.5])
    assert items["stated"].tolist() == pytest.approx([0.25, 0.75, 0.5, 0.6])
    assert set(items["table"]) == {"t"}
    assert items["source"].unique().tolist() == ["999 图表1"]
    # 0.5 vs 0.6 at 2 decimals: off by 0.1 > 0.005.
    assert statuses(items) == {
        "g1 a 占比": "ok",
        "g1 b 占比": "ok",
        "g2 a 占比": "ok",
        "g2 b 占比": "mismatch",
    }


def test_share_of_sum_skips_unprinted_shares(tmp_path):
    # Only one bin's share is printed (as in 000's registered-capital bins): 1567 / (4 + 1567 + 1563 + 1717)
    frame = pd.DataFrame(
        {
            "bin": ["a", "b", "c", "d"],
            "firms": [4, 1567, 1563, 1717],
            "share": [None, 0.323, None, None],
        }
    )
    columns = {
        "bin": {"type": "str"},
        "firms": {"type": "int"},
        "share": {"type": "float", "nullable": True},
    }
    check = {"kind": "share_of_sum", "value": "firms", "stated": "share", "decimals": 4}
    items = published_checks(write_table(tmp_path, "t", frame, columns, ["bin"], [check]))
    # 1567 / 4851 = 0.323026 -> 32.30% at 4 decimals; no label: the stated column's name is used.
    assert items["item"].tolist() == ["b share"]
    assert items["recomputed"].iloc[0] == pytest.approx(1567 / 4851)
    assert statuses(items) == {"b share": "rounding"}


def test_share_of_total(tmp_path):
    frame = pd.DataFrame({"batch": ["一", "二"], "firms": [30, 71], "share": [0.15, 0.35]})
    columns = {"batch": {"type": "str"}, "firms": {"type": "int"}, "share": {"type": "float"}}
    check = {
        "kind": "share_of_total",
        "value": "firms",
        "total": 200,
        "stated": "share",
        "decimals": 2,
        "label": "占比",
    }
    items = published_checks(write_table(tmp_path, "t", frame, columns, ["batch"], [check]))
    # 30/200 = 0.15 exactly; 71/200 = 0.355, 0.005 from 0.35 -> within half a unit of 2 decimals.
    assert items["recomputed"].tolist() == pytest.approx([0.15, 0.355])
    assert statuses(items) == {"一 占比": "ok", "二 占比": "rounding"}


def test_ratio_with_where_and_item(tmp_path):
    frame = pd.DataFrame(
        {
            "segment": ["全部", "甲", "乙"],
            "code": ["all", "x", "y"],
            "deals": [4, 3, 1],
            "amount": [10.0, 9.0, 1.0],
            "avg_stated": [2.5, 3.2, 1.0],
        }
    )
    columns = {
        "segment": {"type": "str"},
        "code": {"type": "str"},
        "deals": {"type": "int"},
        "amount": {"type": "float"},
        "avg_stated": {"type": "float"},
    }
    check = {
        "kind": "ratio",
        "numerator": "amount",
        "denominator": "deals",
        "stated": "avg_stated",
        "where": {"segment": ["全部", "甲"]},
        "decimals": 1,
        "item": "segment",
        "label": "平均",
    }
    items = published_checks(write_table(tmp_path, "t", frame, columns, ["code"], [check]))
    # 全部: 10/4 = 2.5 (ok); 甲: 9/3 = 3.0 vs 3.2 (mismatch at 1 decimal); 乙 is not in `where`.
    assert items["item"].tolist() == ["全部 平均", "甲 平均"]
    assert items["recomputed"].tolist() == pytest.approx([2.5, 3.0])
    assert statuses(items) == {"全部 平均": "ok", "甲 平均": "mismatch"}


def test_parts_sum_by_group(tmp_path):
    frame = pd.DataFrame(
        {
            "measure": ["存量", "存量", "存量", "新增", "新增", "新增"],
            "kind": ["合计", "甲", "乙", "合计", "甲", "乙"],
            "n": [100, 40, 59, 50, 20, 30],
        }
    )
    columns = {"measure": {"type": "str"}, "kind": {"type": "str"}, "n": {"type": "int"}}
    checks = [
        {
            "kind": "parts_sum",
            "value": "n",
            "by": ["measure"],
            "total_where": {"kind": ["合计"]},
            "parts_where": {"kind": ["甲", "乙"]},
            "decimals": 0,
            "label": "合计 = 甲 + 乙",
        }
    ]
    items = published_checks(
        write_table(tmp_path, "t", frame, columns, ["measure", "kind"], checks)
    )
    # 存量: 40 + 59 = 99 vs 100 (mismatch); 新增: 20 + 30 = 50 vs 50 (ok).
    assert items[["item", "stated", "recomputed"]].to_dict("records") == [
        {"item": "存量 合计 = 甲 + 乙", "stated": 100.0, "recomputed": 99.0},
        {"item": "新增 合计 = 甲 + 乙", "stated": 50.0, "recomputed": 50.0},
    ]
    assert statuses(items) == {"存量 合计 = 甲 + 乙": "mismatch", "新增 合计 = 甲 + 乙": "ok"}


def test_parts_sum_with_negative_decimals(tmp_path):
    # Totals printed in 0.01万 (100): decimals -2 allows half a unit, 50.
    frame = pd.DataFrame({"kind": ["合计", "甲", "乙"], "n": [12500, 10200, 2309]})
    columns = {"kind": {"type": "str"}, "n": {"type": "int"}}
    check = {
        "kind": "parts_sum",
        "value": "n",
        "total_where": {"kind": ["合计"]},
        "parts_where": {"kind": ["甲", "乙"]},
        "decimals": -2,
    }
    items = published_checks(write_table(tmp_path, "t", frame, columns, ["kind"], [check]))
    # 10200 + 2309 = 12509, 9 from 12500 <= 50; no label and no group: "sum of parts".
    assert items["recomputed"].tolist() == [12509.0]
    assert statuses(items) == {"sum of parts": "rounding"}


BETWEEN_ROWS_TABLE = pd.DataFrame(
    {
        "indicator": ["种数", "占比", "民营增长", "全部增长", "高于", "2022户数", "2018户数"],
        "value": [36, 0.45, 0.080, 0.069, 1.1, 520, 344],
        "out_of": [80, None, None, None, None, None, None],
        "growth_stated": [None, None, None, None, None, 0.51, None],
    }
)
BETWEEN_ROWS_COLUMNS = {
    "indicator": {"type": "str"},
    "value": {"type": "float"},
    "out_of": {"type": "float", "nullable": True},
    "growth_stated": {"type": "float", "nullable": True},
}


def test_between_rows_ratio_difference_growth(tmp_path):
    checks = [
        # 36 / 80 = 0.45 (same row, two columns), stated on the 占比 row.
        {
            "kind": "between_rows",
            "op": "ratio",
            "a": {"indicator": ["种数"]},
            "value": "value",
            "b_value": "out_of",
            "stated_row": {"indicator": ["占比"]},
            "decimals": 2,
        },
        # (0.080 - 0.069) * 100 = 1.1 percentage points.
        {
            "kind": "between_rows",
            "op": "difference",
            "a": {"indicator": ["民营增长"]},
            "b": {"indicator": ["全部增长"]},
            "value": "value",
            "scale": 100,
            "stated_row": {"indicator": ["高于"]},
            "decimals": 1,
            "label": "百分点",
        },
        # 520 / 344 - 1 = 0.5116 vs stated 51% on the a row (stated_row defaults to a).
        {
            "kind": "between_rows",
            "op": "growth",
            "a": {"indicator": ["2022户数"]},
            "b": {"indicator": ["2018户数"]},
            "value": "value",
            "stated": "growth_stated",
            "decimals": 2,
        },
    ]
    folder = write_table(
        tmp_path, "t", BETWEEN_ROWS_TABLE, BETWEEN_ROWS_COLUMNS, ["indicator"], checks
    )
    items = published_checks(folder)
    assert items["item"].tolist() == ["占比 value", "高于 百分点", "2022户数 growth_stated"]
    assert items["stated"].tolist() == pytest.approx([0.45, 1.1, 0.51])
    assert items["recomputed"].tolist() == pytest.approx([0.45, 1.1, 520 / 344 - 1])
    assert items["decimals"].tolist() == [2, 1, 2]
    # 0.5116 - 0.51 = 0.0016 <= 0.005.
    assert statuses(items) == {
        "占比 value": "ok",
        "高于 百分点": "ok",
        "2022户数 growth_stated": "rounding",
    }


def test_between_rows_by_group(tmp_path):
    frame = pd.DataFrame(
        {
            "metric": ["m1", "m1", "m1", "m2", "m2", "m2"],
            "population": ["甲", "乙", "倍数", "甲", "乙", "倍数"],
            "value": [9.6, 1.0, 9.6, 3.0, 2.0, 2.0],
        }
    )
    columns = {"metric": {"type": "str"}, "population": {"type": "str"}, "value": {"type": "float"}}
    check = {
        "kind": "between_rows",
        "a": {"population": ["甲"]},
        "b": {"population": ["乙"]},
        "stated_row": {"population": ["倍数"]},
        "value": "value",
        "by": "metric",
        "decimals": 1,
        "item": "metric",
        "label": "倍",
    }
    items = published_checks(
        write_table(tmp_path, "t", frame, columns, ["metric", "population"], [check])
    )
    # m1: 9.6 / 1.0 = 9.6 (ok); m2: 3.0 / 2.0 = 1.5 vs stated 2.0 (mismatch). op defaults to ratio.
    assert items["recomputed"].tolist() == pytest.approx([9.6, 1.5])
    assert statuses(items) == {"m1 倍": "ok", "m2 倍": "mismatch"}


@pytest.mark.parametrize(
    ("check", "message"),
    [
        (
            {
                "kind": "between_rows",
                "a": {"indicator": ["没有"]},
                "b": {"indicator": ["占比"]},
                "value": "value",
            },
            "nothing to check",
        ),
        (
            {
                "kind": "between_rows",
                "a": {"indicator": ["种数", "占比"]},
                "b": {"indicator": ["占比"]},
                "value": "value",
            },
            "several rows",
        ),
        ({"kind": "no_such_kind"}, "unknown reconcile kind"),
    ],
)
def test_bad_checks_are_errors(tmp_path, check, message):
    folder = write_table(
        tmp_path, "t", BETWEEN_ROWS_TABLE, BETWEEN_ROWS_COLUMNS, ["indicator"], [check]
    )
    with pytest.raises(ValueError, match=message):
        published_checks(folder)


def test_no_reconcile_entries_gives_empty_frame(tmp_path):
    frame = pd.DataFrame({"bin": ["a"], "firms": [1]})
    folder = write_table(
        tmp_path, "t", frame, {"bin": {"type": "str"}, "firms": {"type": "int"}}, ["bin"], []
    )
    assert published_checks(folder).empty


# The real catalogues.


@pytest.fixture(scope="module")
def real():
    items = published_checks()
    return items, reconcile(
        items.assign(item=items["table"] + ": " + items["item"]), decimals="decimals"
    )


def test_every_table_with_reconcile_has_rows(real):
    items, _ = real
    declared = {
        name for name, spec in catalog.load_catalog().items() if spec.extra.get("reconcile")
    }
    assert declared >= {
        "sq_macro_regions",
        "sq_registered_capital_bins",
        "sq_firm_age_bins",
        "sq_financing",
        "sq_patents_by_type",
        "dzb_shandong_industry",
        "cultivation_batches",
        "capital_markets",
        "a_share_boards",
        "pct_holdings",
        "overseas_market_reach",
    }
    assert set(items["table"]) == declared
    assert items[["stated", "recomputed"]].notna().all().all()


def status_of(table, item):
    row = table[table["item"] == item]
    assert len(row) == 1, f"{item!r} not among {table['item'].tolist()}"
    return row.iloc[0]


@pytest.mark.parametrize(
    ("item", "stated", "recomputed"),
    [
        # 000: average deal size printed 1.7 / 2.67 / 1.21亿元, but amount / deals gives:
        ("sq_financing: 全部 平均单笔融资额（金额/笔数）", 1.7, 4046.6 / 2768),  # 1.46
        (
            "sq_financing: 已上市（A股及新三板） 平均单笔融资额（金额/笔数）",
            2.67,
            2154.6 / 1024,
        ),  # 2.10
        ("sq_financing: 未上市 平均单笔融资额（金额/笔数）", 1.21, 1892 / 1744),  # 1.08
        # 000: granted-patent stock 26.40万 printed, its three types add to 4.93 + 18.39 + 3.17 = 26.49万.
        ("sq_patents_by_type: 存量授权专利 合计 = 发明 + 实用新型 + 外观设计", 264000, 264900),
    ],
)
def test_known_findings_are_mismatches(real, item, stated, recomputed):
    _, table = real
    row = status_of(table, item)
    assert row["status"] == "mismatch"
    assert row["stated"] == pytest.approx(stated)
    assert row["recomputed"] == pytest.approx(recomputed)


@pytest.mark.parametrize(
    ("item", "expected"),
    [
        ("sq_financing: 全部融资笔数 = 已上市 + 未上市", "ok"),  # 1024 + 1744 = 2768
        (
            "sq_patents_by_type: 存量申请专利 合计 = 发明 + 实用新型 + 外观设计",
            "ok",
        ),  # 16.14+18.30+3.17 = 37.61万
        (
            "sq_patents_by_type: 新增申请专利 合计 = 发明 + 实用新型 + 外观设计",
            "rounding",
        ),  # 12509 vs 近1.25万
        (
            "sq_patents_by_type: 新增授权专利 合计 = 发明 + 实用新型 + 外观设计",
            "rounding",
        ),  # 36117 vs 约3.61万
        ("sq_macro_regions: 东部 占总数比例", "rounding"),  # 2846 / 4851 = 0.58668 -> 58.67%
        (
            "sq_registered_capital_bins: 1000万元~5000万元 注册资本档占比",
            "rounding",
        ),  # 1567/4851 -> 32.30%
        ("sq_firm_age_bins: 10年~20年 成立年限档占比", "rounding"),  # 2655 / 4851 -> 54.73%
        ("dzb_shandong_industry: 产量居全国前三位的主要产品占比 = 36种 / 80种", "ok"),  # 0.45
        (
            "dzb_shandong_industry: 规模以上民营工业增加值增速高于规模以上工业 = 8.0% − 6.9%（百分点）",
            "ok",
        ),
    ],
)
def test_other_real_checks(real, item, expected):
    _, table = real
    assert status_of(table, item)["status"] == expected


def test_001_share_checks_agree_up_to_rounding(real):
    _, table = real
    shares = table[
        table["item"]
        .str.split(": ")
        .str[0]
        .isin(
            [
                "cultivation_batches",
                "capital_markets",
                "a_share_boards",
                "pct_holdings",
                "overseas_market_reach",
            ]
        )
    ]
    assert len(shares) == 5 + 7 + 4 + 4 + 4
    assert set(shares["status"]) <= {"ok", "rounding"}, shares[shares["status"] == "mismatch"]


def test_published_checks_do_not_mix_documents(real):
    items, _ = real
    by_table = items.groupby("table")["source"].agg(lambda s: {v.split(" ")[0] for v in s})
    assert all(len(docs) == 1 for docs in by_table)
    assert by_table["sq_financing"] == {"000"}
    assert by_table["dzb_shandong_industry"] == {"003"}
