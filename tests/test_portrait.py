"""The 上奇 portrait (seed 000): statistics with hand-computed values, and its charts draw."""

import math
import warnings

import pandas as pd
import pytest

from helpers.stats import portrait


def test_mean_bounds_of_closed_bins():
    # 4 firms in 50–100, 60 in 100–500: (50*4 + 100*60) / 64 = 6200/64 = 96.875;
    # (100*4 + 500*60) / 64 = 30400/64 = 475.0
    low, high = portrait.mean_bounds(
        pd.Series([4, 60]), pd.Series([50, 100]), pd.Series([100, 500])
    )
    assert (low, high) == (pytest.approx(96.875), pytest.approx(475.0))


def test_mean_bounds_of_the_published_firm_ages_are_open_above():
    # 000 成立年限: lower edges 1,3,5,10,20,30 with 1,44,785,2655,1258,108 firms:
    # 1 + 132 + 3925 + 26550 + 25160 + 3240 = 59008; 59008 / 4851 = 12.164 years. "30年以上" is open.
    firms = pd.Series([1, 44, 785, 2655, 1258, 108])
    lower = pd.Series([1, 3, 5, 10, 20, 30])
    upper = pd.Series([3, 5, 10, 20, 30, None])
    low, high = portrait.mean_bounds(firms, lower, upper)
    assert low == pytest.approx(12.16409, abs=1e-5)
    assert high == math.inf


def test_mean_bounds_of_the_published_registered_capital():
    # 50*4 + 100*60 + 500*162 + 1000*1567 + 5000*1563 + 10000*1464 + 100000*31
    # = 200 + 6000 + 81000 + 1567000 + 7815000 + 14640000 + 3100000 = 27209200 万元;
    # 4851 * 5609 = 27209259, so 27209200 / 4851 = 5609 - 59/4851 = 5608.988
    firms = pd.Series([4, 60, 162, 1567, 1563, 1464, 31])
    lower = pd.Series([50, 100, 500, 1000, 5000, 10000, 100000])
    upper = pd.Series([100, 500, 1000, 5000, 10000, 100000, None])
    low, high = portrait.mean_bounds(firms, lower, upper)
    assert low == pytest.approx(5608.988, abs=1e-3)
    assert high == math.inf


def test_an_empty_open_bin_does_not_open_the_range():
    # (0*1 + 10*1) / 2 = 5 from below, (10*1 + 20*1) / 2 = 15 from above; the empty open bin adds 0
    low, high = portrait.mean_bounds(
        pd.Series([1, 1, 0]), pd.Series([0, 10, 20]), pd.Series([10, 20, None])
    )
    assert (low, high) == (5.0, 15.0)


@pytest.mark.parametrize(
    ("firms", "lower", "upper", "message"),
    [
        ([0, 0], [0, 1], [1, 2], "positive sum"),
        ([1, -1], [0, 1], [1, 2], "non-negative"),
        ([1, 1], [0, None], [1, 2], "lower edge"),
        ([1, 1], [0, 5], [1, 2], "upper edge is below"),
    ],
)
def test_mean_bounds_refuses_bad_bins(firms, lower, upper, message):
    with pytest.raises(ValueError, match=message):
        portrait.mean_bounds(pd.Series(firms), pd.Series(lower), pd.Series(upper))


@pytest.mark.parametrize(
    ("value", "expected"), [(0.5, "below"), (1.0, "within"), (2.0, "within"), (3.0, "above")]
)
def test_position_against_a_range(value, expected):
    assert portrait.position(value, 1.0, 2.0) == expected


def test_position_within_an_open_range():
    # 000: stated mean age 16 years against bins allowing at least 12.16 years
    assert portrait.position(16, 12.164, math.inf) == "within"


def test_position_of_an_empty_range_is_an_error():
    with pytest.raises(ValueError, match="empty"):
        portrait.position(1, 2, 1)


@pytest.mark.parametrize(
    ("amount", "deals", "expected"),
    [
        (4046.6, 2768, 1.461922),  # 全部: 4046.6 / 2768 = 1.4619 (printed 1.7)
        (2154.6, 1024, 2.104102),  # 已上市: 2154.6 / 1024 = 2.1041 (printed 2.67)
        (1892, 1744, 1.084862),  # 未上市: 1892 / 1744 = 1.0849 (printed 1.21)
    ],
)
def test_average_deal_size(amount, deals, expected):
    assert portrait.average_size(amount, deals) == pytest.approx(expected, abs=1e-6)


def test_average_size_of_series_and_bad_counts():
    # 10/4 = 2.5, 9/3 = 3.0
    result = portrait.average_size(pd.Series([10.0, 9.0]), pd.Series([4, 3]))
    assert result.tolist() == [2.5, 3.0]
    with pytest.raises(ValueError, match="count"):
        portrait.average_size(1.0, 0)
    with pytest.raises(ValueError, match="amount"):
        portrait.average_size(-1.0, 2)


TYPES = ["发明专利", "实用新型专利", "外观设计专利"]


def test_type_mix_shares_of_the_parts_beside_the_printed_total():
    frame = pd.DataFrame(
        {
            "measure": ["存量授权专利"] * 4 + ["新增申请专利"] * 3,
            "patent_type": ["合计", *TYPES, *TYPES],
            "patents": [264000, 49300, 183900, 31700, 10200, 875, 1434],
        }
    )
    mix = portrait.type_mix(frame, "measure", "patent_type", "patents")
    granted = mix[mix["measure"] == "存量授权专利"]
    # 49300 + 183900 + 31700 = 264900 (printed 264000); 49300 / 264900 = 0.186108
    assert granted["parts_sum"].tolist() == [264900] * 3
    assert granted["stated_total"].tolist() == [264000.0] * 3
    assert granted["share"].iloc[0] == pytest.approx(0.186108, abs=1e-6)
    new = mix[mix["measure"] == "新增申请专利"]
    # 10200 + 875 + 1434 = 12509; 10200 / 12509 = 0.815413; no total row printed here -> NaN
    assert new["share"].iloc[0] == pytest.approx(0.815413, abs=1e-6)
    assert new["stated_total"].isna().all()
    assert mix["share"].groupby(mix["measure"]).sum().tolist() == pytest.approx([1.0, 1.0])


def test_type_mix_refuses_two_totals_in_one_group():
    frame = pd.DataFrame({"g": ["a", "a", "a"], "p": ["合计", "合计", "x"], "v": [1, 1, 1]})
    with pytest.raises(ValueError, match="several"):
        portrait.type_mix(frame, "g", "p", "v")


@pytest.mark.parametrize(
    ("stated", "recomputed", "decimals", "expected"),
    [
        (1.7, 4046.6 / 2768, 1, False),  # 1.46 is not 1.7 at one decimal
        (2.67, 2154.6 / 1024, 2, False),  # 2.10 vs 2.67
        (0.323, 1567 / 4851, 4, True),  # 0.32303 rounds to 0.3230
        (264000, 264900, -2, False),  # 900 件 apart, half a unit of 0.01万 is 50
        (12500, 12509, -2, True),  # 9 件 apart
        (4851, 4851, None, True),
    ],
)
def test_agrees_within_the_printed_precision(stated, recomputed, decimals, expected):
    assert portrait.agrees(stated, recomputed, decimals) is expected


def test_portrait_charts_draw_chinese_labels_readably():
    from helpers.report import charts, portrait_charts

    bins = pd.DataFrame(
        {
            "bin": ["1年~3年", "10年~20年"],
            "firms": [1, 2655],
            "label": ["1家 · 0.02%", "2,655家 · 54.7%"],
        }
    )
    pairs = pd.DataFrame(
        {
            "segment": ["全部", "全部", "已上市（A股及新三板）", "已上市（A股及新三板）"],
            "series": ["原文", "金额÷笔数", "原文", "金额÷笔数"],
            "value": [1.7, 1.46, 2.67, 2.10],
            "label": ["1.7", "1.46", "2.67", "2.10"],
        }
    )
    mix = pd.DataFrame(
        {"measure": ["存量申请专利"] * 3, "patent_type": TYPES, "share": [0.429, 0.487, 0.084]}
    )
    figures = [
        portrait_charts.labelled_bars(bins, "bin", "firms", "label", note="原文平均成立年限：16年"),
        portrait_charts.paired_bars(
            pairs,
            "segment",
            "series",
            "value",
            "label",
            category_order=["全部", "已上市（A股及新三板）"],
            series_order=["原文", "金额÷笔数"],
        ),
        portrait_charts.mix_bars(
            mix,
            "measure",
            "patent_type",
            "share",
            part_order=TYPES,
            totals={"存量申请专利": "三类之和376,100件"},
        ),
    ]
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        for fig in figures:
            charts.readable(fig)  # as save_figure does: every text at 8 pt or more at A4
            assert charts.smallest_printed_size(fig) >= charts.MIN_PRINTED_PT - 0.01
            assert charts.overlapping_texts(fig) == []
    # A character the font lacks warns while drawing.
    assert [str(w.message) for w in caught if "missing from" in str(w.message)] == []
    # The mix chart's legend names every type, including those too narrow to label in place.
    legend = figures[2].axes[0].get_legend()
    assert [t.get_text() for t in legend.get_texts()] == TYPES


# The chapter's presentation helpers (helpers.report.chapters.portrait) ----------------------------
@pytest.fixture
def chapter(tmp_path):
    from helpers.report.chapter import Chapter

    return Chapter("04_portrait", output_dir=str(tmp_path))


def test_words_of_the_portrait(chapter):
    from helpers.report.chapters import portrait as show

    assert show.qualified(chapter, "1.03亿元", "近") == "近1.03亿元"  # the article's hedge word
    assert show.qualified(chapter, "16年", float("nan")) == "16年"
    assert show.bar_labels(chapter, [2846], [0.5867], "家") == ["2,846家 · 58.7%"]
    assert show.bar_labels(chapter, [4442], [0.467], "个", with_unit=False) == ["4,442 · 46.7%"]
    table = pd.DataFrame({"province": ["上海市"], "amount": [645.4], "amount_share": [0.1595]})
    shown = show.formatted(
        chapter, table, {"amount": "亿元", "amount_share": "share"}, {"amount": 1}
    )
    assert shown.iloc[0].tolist() == ["上海市", "645.4", "16.0%"]


def test_share_verdict_names_the_printed_shares_that_disagree(chapter):
    from helpers.report.chapters import portrait as show

    frame = pd.DataFrame(
        {"region": ["东部", "西部"], "share_stated": [0.5867, 0.30], "share": [0.586683, 0.20]}
    )
    assert show.share_verdict(chapter, frame.iloc[:1], "region") == chapter.t("ch04.verdict.agree")
    verdict = show.share_verdict(chapter, frame, "region")
    assert "西部（原文30.00%，重新计算20.00%）" in verdict and "东部" not in verdict


def test_keys_of_the_portrait_are_ids_and_sources_name_the_rows(chapter, tmp_path):
    """04's provinces are keyed by GB/T 2260 code, every other category by category_ids.csv;
    a share's source is its row and the printed total it is a share of."""
    firms_row = _key_row(chapter, "企业数")
    provinces = chapter.table("sq_provinces").sort_values("rank")
    provinces = provinces.assign(share=provinces["firms"] / 4851)
    chapter.record_table(provinces, "provinces.share.{province}", also=[firms_row])
    financing = portrait.deal_sizes(chapter.table("sq_financing"))
    chapter.record_table(financing, "financing.avg_deal.{segment}", "financing.deals.{segment}")
    rows = pd.read_csv(tmp_path / "statistics" / "04_portrait.csv").set_index("key")
    zhejiang = rows.loc["04_portrait.provinces.share.330000"]
    # 464 / 4851 = 0.095650
    assert zhejiang["value"] == pytest.approx(0.095650, abs=1e-6)
    assert zhejiang["source"] == "上奇2021 “专精特新”的成长密码·省份分布和“专精特新”的成长密码"
    # the keys the book's findings read (src/helpers/report/book.py) keep their text
    assert rows.loc["04_portrait.financing.avg_deal.all", "value"] == pytest.approx(1.461922)
    assert rows.loc["04_portrait.financing.deals.all", "value"] == 2768


def test_a_patent_statistic_comes_from_its_measures_rows(chapter, tmp_path):
    from helpers.report import cited

    patents = chapter.table("sq_patents_by_type")
    mix = portrait.type_mix(patents, "measure", "patent_type", "patents")
    inventions = mix[mix["patent_type"] == "发明专利"]
    measure_rows = cited.same(patents, "measure")
    chapter.record_table(inventions, "patents.stated_total.{measure}", source=measure_rows)
    rows = pd.read_csv(tmp_path / "statistics" / "04_portrait.csv").set_index("key")
    # 新增申请专利 prints 12,500 (近1.25万件); every measure prints a total
    assert rows.loc["04_portrait.patents.stated_total.new_applications", "value"] == 12500
    assert rows.loc["04_portrait.patents.stated_total.new_applications", "label"] == (
        "新增申请专利：合计（原文）"
    )
    assert len(rows) == 4


def test_checks_of_the_portrait_keep_the_printed_precision(chapter):
    from helpers.report.chapters import portrait as show

    financing = portrait.deal_sizes(chapter.table("sq_financing"))
    show.check_financing(chapter, financing)
    checks = list(chapter.checks.values())
    # three averages at their printed decimals (1.7, 2.67, 1.21), then the two sums of parts
    assert [c["decimals"] for c in checks] == [1, 2, 2, 0, 1]
    assert checks[3]["stated"] == 2768 and checks[3]["recomputed"] == 1024 + 1744
    bins = chapter.table("sq_firm_age_bins").assign(share=lambda f: f["firms"] / f["firms"].sum())
    chapter.check_table(bins, "bin", "share_stated", "share", unit="share", decimals=4)
    # only the one printed share (10年~20年: 54.73%) is checked: 2655 / 4851 = 0.547310
    (age_check,) = list(chapter.checks.values())[5:]
    assert (age_check["stated"], age_check["decimals"]) == (0.5473, 4)
    assert age_check["recomputed"] == pytest.approx(0.547310, abs=1e-6)


def test_a_portrait_figure_is_drawn_and_its_table_saved(chapter, tmp_path):
    from helpers.report.chapters import portrait as show

    financing = portrait.deal_sizes(chapter.table("sq_financing"))
    show.financing(chapter, financing, portrait.listed_vs_unlisted(financing))
    assert (tmp_path / "figures" / "04_portrait_fig4_7_financing.png").is_file()
    table = pd.read_csv(tmp_path / "tables" / "04_portrait_fig4_7_financing.csv")
    assert table["avg_deal"].iloc[0] == pytest.approx(1.461922, abs=1e-6)


def _key_row(chapter, indicator):
    return portrait.key_row(chapter.table("sq_key_figures"), indicator)
