"""Tests of helpers.metrics: hand-computed tables, the published checks of chapter 02, every error
path, and hypothesis properties."""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest
from hypothesis import given
from hypothesis import strategies as st

from helpers.stats.innovation import (
    OVERSEAS_MARKET_BINS,
    PCT_BINS,
    Binning,
    bin_counts,
    cagr,
    cagr_between,
    grant_rate,
    growth,
    invention_share,
    multiple,
    patent_density,
    pct_share,
    per_firm,
    ratio_to_reference,
)

# --------------------------------------------------------------------------- cagr

CAGR_CASES = [
    # sqrt(121 / 100) = sqrt(1.21) = 1.1 → 10%/yr over the two-year span 2020–2022
    ({2020: 100, 2022: 121}, 0.10),
    # the 2021 value is irrelevant: (800 / 100) ** (1/3) = 8 ** (1/3) = 2 → 100%/yr
    ({2020: 100, 2021: 150, 2023: 800}, 1.0),
    # (27 / 64) ** (1/3) = 3/4 → -25%/yr
    ({2019: 64, 2022: 27}, -0.25),
    # 1024 ** (1/10) = 2 → 100%/yr over ten years
    ({2000: 1, 2010: 1024}, 1.0),
    # unchanged value → 0
    ({2020: 5, 2025: 5}, 0.0),
    # everything lost: 0 / 50 = 0 → 0 - 1 = -100%
    ({2020: 50, 2021: 0}, -1.0),
    # 图表2.4's 15.6%/yr over 2020–2022: 1.156 ** 2 = 1.336336
    ({2020: 100, 2021: 120, 2022: 133.6336}, 0.156),
    # one year: 1300 / 1000 - 1 = 30%
    ({2022: 1000, 2023: 1300}, 0.30),
]


@pytest.mark.parametrize(("values", "expected"), CAGR_CASES)
def test_cagr_table(values, expected):
    assert cagr(values) == pytest.approx(expected)
    assert cagr(pd.Series(values)) == pytest.approx(expected)


def test_cagr_sorts_unsorted_input():
    # same as {2020: 100, 2022: 121} → 0.10
    assert cagr(pd.Series([121, 110, 100], index=[2022, 2021, 2020])) == pytest.approx(0.10)
    assert cagr({2022: 121, 2020: 100}) == pytest.approx(0.10)


def test_cagr_accepts_numpy_years_and_explicit_range_index():
    # (121 / 100) ** (1/2) - 1 = 0.10
    assert cagr(pd.Series([100.0, 110.0, 121.0], index=pd.RangeIndex(2020, 2023))) == pytest.approx(
        0.1
    )
    assert cagr({np.int64(2020): np.float64(100), np.int64(2022): np.int64(121)}) == pytest.approx(
        0.1
    )


def test_cagr_returns_python_float():
    assert type(cagr({2020: 100, 2022: 121})) is float


@pytest.mark.parametrize(
    ("start_value", "end_value", "start_year", "end_year", "expected"),
    [
        (100, 121, 2020, 2022, 0.10),  # sqrt(1.21) = 1.1
        (64, 27, 2019, 2022, -0.25),  # cube root of 27/64 = 0.75
        (0.27, 0.27, 2020, 2022, 0.0),  # flat
        (2, 0, 2020, 2023, -1.0),  # 0 ** (1/3) = 0
        (1, 16, 2018, 2022, 1.0),  # 16 ** (1/4) = 2
    ],
)
def test_cagr_between_table(start_value, end_value, start_year, end_year, expected):
    assert cagr_between(start_value, end_value, start_year, end_year) == pytest.approx(expected)


@pytest.mark.parametrize(
    ("values", "message"),
    [
        ({2020: 100}, r"at least two years, got 1"),
        ({}, r"at least two years, got 0"),
        ({"2020": 100, "2022": 121}, r"years must be integers, got '2020' \(str\)"),
        ({2020.0: 100, 2022.0: 121}, r"years must be integers, got 2020\.0 \(float\)"),
        ({True: 100, 2022: 121}, r"years must be integers, got True \(bool\)"),
        (
            {2020: 0, 2022: 121},
            r"the 2020 value \(first year\) must be > 0 for a growth rate, got 0",
        ),
        (
            {2020: -5, 2022: 121},
            r"the 2020 value \(first year\) must be > 0 for a growth rate, got -5",
        ),
        ({2020: 100, 2022: -1}, r"the 2022 value \(last year\) must be >= 0, got -1"),
        ({2020: math.nan, 2022: 121}, r"the 2020 value \(first year\) must be finite, got nan"),
        ({2020: 100, 2022: math.inf}, r"the 2022 value \(last year\) must be finite, got inf"),
        (pd.Series([100, 121], index=[2020, 2020]), r"duplicate years \[2020\]"),
        (pd.Series([100, 121]), r"default 0, 1, 2, … index; index it by year"),
        (
            pd.Series([100, 121], index=pd.to_datetime(["2020-12-31", "2022-12-31"])),
            r"years must be integers, got Timestamp",
        ),
    ],
)
def test_cagr_errors(values, message):
    with pytest.raises(ValueError, match=message):
        cagr(values)


@pytest.mark.parametrize("values", [[100, 121], np.array([100, 121]), 100, None])
def test_cagr_refuses_values_without_years(values):
    with pytest.raises(
        TypeError, match=r"expected a Series indexed by year or a \{year: value\} dict"
    ):
        cagr(values)


@pytest.mark.parametrize(
    ("args", "message"),
    [
        ((100, 121, 2022, 2020), r"end_year \(2020\) must be after start_year \(2022\)"),
        ((100, 121, 2020, 2020), r"end_year \(2020\) must be after start_year \(2020\)"),
        ((100, 121, 2020.0, 2022), r"years must be integers, got start_year=2020\.0"),
        ((100, 121, 2020, "2022"), r"years must be integers, got end_year='2022'"),
        ((0, 121, 2020, 2022), r"start_value must be > 0 for a growth rate, got 0"),
        ((100, -1, 2020, 2022), r"end_value must be >= 0, got -1"),
        ((math.nan, 121, 2020, 2022), r"start_value must be finite, got nan"),
    ],
)
def test_cagr_between_errors(args, message):
    with pytest.raises(ValueError, match=message):
        cagr_between(*args)


def test_cagr_between_refuses_non_numbers():
    with pytest.raises(TypeError, match=r"start_value must be a real number, got str"):
        cagr_between("100", 121, 2020, 2022)


# --------------------------------------------------------------------------- growth


@pytest.mark.parametrize(
    ("start", "end", "expected"),
    [
        (1000, 1300, 0.30),  # 1300 / 1000 - 1 = 0.30, "相比去年增长约30%"
        (1617, 2404, 787 / 1617),  # 图表2.10 1-9件: 2404 / 1617 - 1 = 787/1617 ≈ 0.4867
        (200, 150, -0.25),  # 150 / 200 - 1
        (5, 0, -1.0),  # 0 / 5 - 1
        (7, 7, 0.0),
    ],
)
def test_growth_table(start, end, expected):
    assert growth(start, end) == pytest.approx(expected)


def test_growth_series():
    # 150/100 - 1 = 0.5, 90/120 - 1 = -0.25
    out = growth(pd.Series([100, 120], index=["a", "b"]), pd.Series([150, 90], index=["a", "b"]))
    pd.testing.assert_series_equal(out, pd.Series([0.5, -0.25], index=["a", "b"], name="growth"))


@pytest.mark.parametrize(
    ("start", "end", "message"),
    [
        (0, 10, r"growth: start must be > 0, got 0"),
        (-3, 10, r"growth: start must be > 0, got -3"),
        (10, -1, r"growth: end must be >= 0, got -1"),
        (
            pd.Series([1, 0], index=["x", "y"]),
            5,
            r"growth: start must be > 0; zero at index \['y'\]",
        ),
    ],
)
def test_growth_errors(start, end, message):
    with pytest.raises(ValueError, match=message):
        growth(start, end)


# --------------------------------------------------------------------------- patent density


@pytest.mark.parametrize(
    ("patents", "employees", "expected"),
    [
        (20, 500, 40.0),  # 20 / 500 * 1000
        (1, 1000, 1.0),  # 1 / 1000 * 1000
        (0, 250, 0.0),
        (109, 2000, 54.5),  # 109 / 2000 * 1000
        (3, 8, 375.0),  # 3 / 8 = 0.375 → 375 per thousand
    ],
)
def test_patent_density_table(patents, employees, expected):
    assert patent_density(patents, employees) == pytest.approx(expected)


def test_patent_density_series_keeps_index_and_propagates_nan():
    patents = pd.Series([20, 5, np.nan], index=["a", "b", "c"])
    employees = pd.Series([500, 1000, 10], index=["a", "b", "c"])
    # a: 20/500*1000 = 40; b: 5/1000*1000 = 5; c: missing patents → NaN
    expected = pd.Series([40.0, 5.0, np.nan], index=["a", "b", "c"], name="patent_density")
    pd.testing.assert_series_equal(patent_density(patents, employees), expected)


def test_patent_density_on_zero_nan():
    patents = pd.Series([20, 5, 0], index=["a", "b", "c"])
    employees = pd.Series([500, 0, 0], index=["a", "b", "c"])
    expected = pd.Series([40.0, np.nan, np.nan], index=["a", "b", "c"], name="patent_density")
    pd.testing.assert_series_equal(patent_density(patents, employees, on_zero="nan"), expected)
    assert math.isnan(patent_density(3, 0, on_zero="nan"))
    assert patent_density(pd.Series([1, 2]), 0, on_zero="nan").isna().all()


@pytest.mark.parametrize(
    ("patents", "employees", "kwargs", "message"),
    [
        (5, 0, {}, r"employees must be > 0, got 0 \(pass on_zero='nan'"),
        (5, -10, {}, r"employees must be > 0, got -10"),
        (5, -10, {"on_zero": "nan"}, r"employees must be > 0, got -10"),
        (-1, 10, {}, r"valid_invention_patents must be >= 0, got -1"),
        (
            pd.Series([1, 2, 3], index=["甲", "乙", "丙"]),
            pd.Series([10, 0, 0], index=["甲", "乙", "丙"]),
            {},
            r"employees must be > 0; zero at index \['乙', '丙'\]",
        ),
        (
            pd.Series([1, 2, 3]),
            pd.Series([10, -4, 5]),
            {"on_zero": "nan"},
            r"employees must be > 0; negative at index \[1\]",
        ),
        (pd.Series([1, 2]), pd.Series([1, 2], index=[5, 6]), {}, r"must have the same index"),
        (
            pd.Series([1.0, np.inf]),
            10,
            {},
            r"valid_invention_patents has infinite entries at index \[1\]",
        ),
        (
            pd.Series(["3", 1]),
            10,
            {},
            r"valid_invention_patents has non-numeric entries at index \[0\]",
        ),
        (pd.Series([True, False]), 10, {}, r"valid_invention_patents is boolean"),
        (math.nan, 10, {}, r"valid_invention_patents must be finite, got nan"),
        (5, 10, {"on_zero": "zero"}, r"on_zero must be 'raise' or 'nan', got 'zero'"),
    ],
)
def test_patent_density_errors(patents, employees, kwargs, message):
    with pytest.raises(ValueError, match=message):
        patent_density(patents, employees, **kwargs)


def test_patent_density_names_many_offenders_briefly():
    employees = pd.Series([0] * 7, index=list("abcdefg"))
    with pytest.raises(
        ValueError, match=r"zero at index \['a', 'b', 'c', 'd', 'e', … 7 in total\]"
    ):
        patent_density(pd.Series([1] * 7, index=list("abcdefg")), employees)


@pytest.mark.parametrize("bad", ["5", True, None, [5]])
def test_scalar_type_errors(bad):
    with pytest.raises(TypeError, match=r"employees must be a real number"):
        patent_density(5, bad)


# --------------------------------------------------------------------------- shares and rates


@pytest.mark.parametrize(
    ("func", "numerator", "denominator", "expected"),
    [
        (invention_share, 454, 1000, 0.454),  # 图表2.6 小巨人 45.4%
        (invention_share, 658, 1000, 0.658),  # 图表2.6 科创板 65.8%
        (invention_share, 0, 7, 0.0),
        (invention_share, 7, 7, 1.0),  # all applications are inventions
        (grant_rate, 402, 1000, 0.402),  # 图表2.6 小巨人 40.2%
        (grant_rate, 39, 100, 0.39),  # 图表2.6 北交所 39.0%
        (grant_rate, 11, 10, 1.1),  # not refused: 授权日 vs 公开日 口径
        (pct_share, 1, 8, 0.125),  # 1 / 8
        (pct_share, 0, 115, 0.0),
    ],
)
def test_share_table(func, numerator, denominator, expected):
    assert func(numerator, denominator) == pytest.approx(expected)


def test_invention_share_series():
    inventions = pd.Series([45, 0, 30], index=["a", "b", "c"])
    applications = pd.Series([100, 10, 40], index=["a", "b", "c"])
    # 45/100 = 0.45, 0/10 = 0, 30/40 = 0.75
    expected = pd.Series([0.45, 0.0, 0.75], index=["a", "b", "c"], name="invention_share")
    pd.testing.assert_series_equal(invention_share(inventions, applications), expected)


@pytest.mark.parametrize(
    ("func", "numerator", "denominator", "message"),
    [
        (invention_share, 5, 0, r"invention_share: applications must be > 0, got 0"),
        (invention_share, 5, -2, r"invention_share: applications must be > 0, got -2"),
        (invention_share, -1, 5, r"invention_share: invention_applications must be >= 0, got -1"),
        (invention_share, 6, 5, r"invention_applications exceed applications \(share 1\.2 > 1\)"),
        (
            invention_share,
            pd.Series([1, 6], index=["a", "b"]),
            pd.Series([2, 5], index=["a", "b"]),
            r"invention_applications exceed applications at index \['b'\]",
        ),
        (
            invention_share,
            pd.Series([1, 2], index=["a", "b"]),
            pd.Series([0, 5], index=["a", "b"]),
            r"invention_share: applications must be > 0; zero at index \['a'\]",
        ),
        (grant_rate, 5, 0, r"grant_rate: invention_applications must be > 0, got 0"),
        (grant_rate, -5, 10, r"grant_rate: invention_grants must be >= 0, got -5"),
        (pct_share, 5, 0, r"pct_share: applications must be > 0, got 0"),
        (pct_share, -5, 10, r"pct_share: pct_applications must be >= 0, got -5"),
    ],
)
def test_share_errors(func, numerator, denominator, message):
    with pytest.raises(ValueError, match=message):
        func(numerator, denominator)


# --------------------------------------------------------------------------- multiples


@pytest.mark.parametrize(
    ("numerator", "denominator", "expected", "shown"),
    [
        # 图表2.2 专利被引 小巨人 vs 中小企业: 234 / 89 = 2.629… → "2.6X"
        (234, 89, 2.6292, "2.6X"),
        # 图表2.2 PCT 小巨人 vs 中小企业: 1.65 / 0.54 = 3.0556 → "3.1X"
        (1.65, 0.54, 3.0556, "3.1X"),
        # 图表2.2 专利被引 单项冠军 vs 小巨人: 2894 / 234 = 12.3675 → "12X"
        (2894, 234, 12.3675, "12X"),
        # 图表2.2 PCT 单项冠军 vs 小巨人: 59 / 1.65 = 35.7576 → "36X"
        (59, 1.65, 35.7576, "36X"),
        # 图表2.2 发明专利占比 45% vs 36%: 45 / 36 = 1.25
        (45, 36, 1.25, None),
        (0, 5, 0.0, "0.0X"),
    ],
)
def test_multiple_published(numerator, denominator, expected, shown):
    value = multiple(numerator, denominator)
    assert value == pytest.approx(expected, abs=5e-5)
    if shown is not None:  # the report prints one decimal below 10X and none above
        assert (f"{value:.1f}X" if value < 10 else f"{value:.0f}X") == shown


@pytest.mark.parametrize(
    ("numerator", "denominator", "message"),
    [
        (234, 0, r"multiple: denominator must be > 0, got 0"),
        (234, -89, r"multiple: denominator must be > 0, got -89"),
        (-234, 89, r"multiple: numerator must be >= 0, got -234"),
        (math.inf, 89, r"multiple: numerator must be finite, got inf"),
    ],
)
def test_multiple_errors(numerator, denominator, message):
    with pytest.raises(ValueError, match=message):
        multiple(numerator, denominator)


def test_ratio_to_reference_table():
    # 60/15 = 4, 45/15 = 3, 15/15 = 1, 0/15 = 0
    values = pd.Series([60, 45, 15, 0], index=["北京", "上海", "全国", "西藏"])
    expected = pd.Series(
        [4.0, 3.0, 1.0, 0.0], index=["北京", "上海", "全国", "西藏"], name="ratio_to_reference"
    )
    pd.testing.assert_series_equal(ratio_to_reference(values, 15), expected)
    # a dict works too: 图表2.5 "约1.1倍": 55 / 50 = 1.1
    assert ratio_to_reference({"小巨人": 55}, 50)["小巨人"] == pytest.approx(1.1)


@pytest.mark.parametrize(
    ("values", "reference", "error", "message"),
    [
        (pd.Series([1.0]), 0, ValueError, r"ratio_to_reference: reference must be > 0, got 0"),
        (pd.Series([1.0]), -2, ValueError, r"ratio_to_reference: reference must be > 0, got -2"),
        (
            pd.Series([1.0, -1.0], index=["a", "b"]),
            3,
            ValueError,
            r"values must be >= 0; negative at index \['b'\]",
        ),
        (
            pd.Series([1.0]),
            pd.Series([1.0]),
            TypeError,
            r"reference must be a real number, got Series",
        ),
        ([1.0, 2.0], 3, TypeError, r"values must be a Series or a dict, got list"),
    ],
)
def test_ratio_to_reference_errors(values, reference, error, message):
    with pytest.raises(error, match=message):
        ratio_to_reference(values, reference)


# --------------------------------------------------------------------------- per firm


@pytest.mark.parametrize(
    ("total", "firms", "expected"),
    [
        (1_402_080, 12_192, 115.0),  # 图表2.3 115 件/家: 115 * 12192 = 1,402,080
        (2_853_903.36, 12_192, 234.08),  # 图表2.7 234.08 次/家 * 12192
        (0, 10, 0.0),
        (7, 2, 3.5),
    ],
)
def test_per_firm_table(total, firms, expected):
    assert per_firm(total, firms) == pytest.approx(expected)


def test_per_firm_series():
    # 第一批 183 件/家 over 2 firms = 366; 第二批 152 over 4 = 608
    totals = pd.Series([366, 608], index=["第一批", "第二批"])
    firms = pd.Series([2, 4], index=["第一批", "第二批"])
    expected = pd.Series([183.0, 152.0], index=["第一批", "第二批"], name="per_firm")
    pd.testing.assert_series_equal(per_firm(totals, firms), expected)


@pytest.mark.parametrize(
    ("total", "firms", "message"),
    [
        (100, 0, r"per_firm: firms must be > 0, got 0"),
        (100, -1, r"per_firm: firms must be > 0, got -1"),
        (-100, 4, r"per_firm: total must be >= 0, got -100"),
    ],
)
def test_per_firm_errors(total, firms, message):
    with pytest.raises(ValueError, match=message):
        per_firm(total, firms)


# --------------------------------------------------------------------------- bins


def _synthetic(counts_by_value: dict[int, int]) -> list[int]:
    """A list holding `count` copies of each value."""
    return [value for value, count in counts_by_value.items() for _ in range(count)]


def test_pct_bins_reproduce_figure_2_8():
    # 图表2.8: 9334 / 2404 / 431 / 23 firms of 12192 have 0 / 1-9 / 10-99 / ≥100 PCT patents.
    # Shares: 9334/12192 = 0.7656 → 76.6%, 2404/12192 = 0.1972 → 19.7%,
    #         431/12192 = 0.0354 → 3.5%,   23/12192 = 0.0019 → 0.2%.
    values = _synthetic({0: 9334, 1: 1000, 9: 1404, 10: 200, 99: 231, 100: 20, 4321: 3})
    out = bin_counts(values, PCT_BINS)
    assert out["bin"].tolist() == ["0件", "1-9件", "10-99件", "≥100件"]
    assert out["firms"].tolist() == [9334, 2404, 431, 23]
    assert out["firms"].sum() == 12192
    assert out["share"].round(3).tolist() == [0.766, 0.197, 0.035, 0.002]
    assert out["share"].tolist() == pytest.approx(
        [9334 / 12192, 2404 / 12192, 431 / 12192, 23 / 12192]
    )


def test_overseas_bins_reproduce_figure_2_8():
    # 图表2.8: 8898 / 2790 / 368 / 136 firms of 12192 in 0 / 1-5 / 6-10 / >10 overseas markets.
    # Shares: 8898/12192 = 0.7298 → 73.0%, 2790/12192 = 0.2288 → 22.9%,
    #         368/12192 = 0.0302 → 3.0%,   136/12192 = 0.0112 → 1.1%.
    values = pd.Series(_synthetic({0: 8898, 1: 1790, 5: 1000, 6: 300, 10: 68, 11: 100, 60: 36}))
    out = bin_counts(values, *OVERSEAS_MARKET_BINS)
    assert out["bin"].tolist() == ["0个", "1-5个", "6-10个", ">10个"]
    assert out["firms"].tolist() == [8898, 2790, 368, 136]
    assert out["share"].round(3).tolist() == [0.730, 0.229, 0.030, 0.011]
    # "共有3294家…已在海外市场": 2790 + 368 + 136 = 3294
    assert out["firms"].iloc[1:].sum() == 3294


@pytest.mark.parametrize(
    ("binning", "values", "firms"),
    [
        # bin edges: 0 | 1, 9 | 10, 99 | 100, 10000
        (PCT_BINS, [0, 1, 9, 10, 99, 100, 10_000], [1, 2, 2, 2]),
        # bin edges: 0 | 1, 5 | 6, 10 | 11
        (OVERSEAS_MARKET_BINS, [0, 1, 5, 6, 10, 11], [1, 2, 2, 1]),
        # zero-count bins are kept, in bin order
        (PCT_BINS, [0, 0, 0], [3, 0, 0, 0]),
        (PCT_BINS, [500], [0, 0, 0, 1]),
        # integral floats are counts too
        (PCT_BINS, np.array([0.0, 3.0, 12.0]), [1, 1, 1, 0]),
    ],
)
def test_bin_counts_boundaries(binning, values, firms):
    out = bin_counts(values, binning)
    assert list(out.columns) == ["bin", "firms", "share"]
    assert out["bin"].tolist() == list(binning.labels)
    assert out["firms"].tolist() == firms
    assert out["share"].tolist() == pytest.approx([f / len(values) for f in firms])


def test_bin_counts_custom_bins():
    # bins [1, 3) and [3, ∞): 1, 2 → first; 3, 4, 7 → second. Shares 2/5 = 0.4 and 3/5 = 0.6.
    out = bin_counts(pd.Series([1, 2, 3, 4, 7]), [1, 3], ["1-2", "3+"])
    assert out.to_dict("list") == {"bin": ["1-2", "3+"], "firms": [2, 3], "share": [0.4, 0.6]}
    # labels passed next to a Binning override its own
    assert bin_counts([0, 1], PCT_BINS, ["a", "b", "c", "d"])["bin"].tolist() == [
        "a",
        "b",
        "c",
        "d",
    ]
    # a Binning can be built by hand
    assert bin_counts([5], Binning((0, 5), ("<5", "≥5")))["firms"].tolist() == [0, 1]


@pytest.mark.parametrize(
    ("values", "bins", "labels", "message"),
    [
        ([0, 3, -2], PCT_BINS, None, r"values must be >= 0; negative at position \[2\]"),
        (
            pd.Series([0, -1, 4], index=["甲", "乙", "丙"]),
            PCT_BINS,
            None,
            r"values must be >= 0; negative at index \['乙'\]",
        ),
        ([0, 1.5, 2], PCT_BINS, None, r"values must be integers; non-integer at position \[1\]"),
        (
            pd.Series([1.0, np.nan], index=["x", "y"]),
            PCT_BINS,
            None,
            r"values must be integers; non-integer at index \['y'\]",
        ),
        ([0, "a", 2], PCT_BINS, None, r"values has non-numeric entries at position \[1\]"),
        ([0, np.inf], PCT_BINS, None, r"values has infinite entries at position \[1\]"),
        ([], PCT_BINS, None, r"no values to count"),
        ([0, 1], [1, 5], ["a", "b"], r"values below the first bin \(1\) at position \[0\]"),
        ([0, 1], [0, 1], None, r"labels are required unless bins is a Binning"),
        ([0, 1], [0, 1], ["a"], r"need 2 distinct labels for 2 bins, got \['a'\]"),
        ([0, 1], [0, 1], ["a", "a"], r"need 2 distinct labels for 2 bins"),
        ([0, 1], [0, 5, 5], ["a", "b", "c"], r"strictly increasing, got \[0, 5, 5\]"),
        ([0, 1], [0, 1.5], ["a", "b"], r"non-empty sequence of integer lower bounds"),
        ([0, 1], [], [], r"non-empty sequence of integer lower bounds"),
    ],
)
def test_bin_counts_errors(values, bins, labels, message):
    with pytest.raises(ValueError, match=message):
        bin_counts(values, bins, labels)


# --------------------------------------------------------------------------- properties

positive = st.floats(min_value=1e-3, max_value=1e6, allow_nan=False, allow_infinity=False)
non_negative = st.floats(min_value=0, max_value=1e6, allow_nan=False, allow_infinity=False)
rates = st.floats(min_value=-0.9, max_value=2.0, allow_nan=False, allow_infinity=False)
years = st.integers(min_value=1950, max_value=2050)
spans = st.integers(min_value=1, max_value=30)


@given(start=positive, rate=rates, first_year=years, n=spans)
def test_cagr_of_geometric_series_is_its_rate(start, rate, first_year, n):
    values = {first_year + k: start * (1 + rate) ** k for k in range(n + 1)}
    assert cagr(values) == pytest.approx(rate, rel=1e-9, abs=1e-9)


@given(start=positive, end=non_negative, first_year=years, n=spans)
def test_cagr_applied_over_n_years_returns_end(start, end, first_year, n):
    rate = cagr_between(start, end, first_year, first_year + n)
    assert start * (1 + rate) ** n == pytest.approx(end, rel=1e-9, abs=1e-9)


@given(
    data=st.dictionaries(years, positive, min_size=2, max_size=10),
    seed=st.randoms(use_true_random=False),
)
def test_cagr_ignores_entry_order(data, seed):
    items = list(data.items())
    seed.shuffle(items)
    shuffled = pd.Series([v for _, v in items], index=[y for y, _ in items])
    assert cagr(shuffled) == cagr(dict(sorted(data.items())))


@given(start=positive, end=non_negative, first_year=years)
def test_growth_equals_one_year_cagr(start, end, first_year):
    assert growth(start, end) == pytest.approx(cagr_between(start, end, first_year, first_year + 1))


@given(values=st.lists(st.integers(min_value=0, max_value=500), min_size=1, max_size=300))
def test_bin_counts_totals(values):
    for binning in (PCT_BINS, OVERSEAS_MARKET_BINS):
        out = bin_counts(values, binning)
        assert out["firms"].sum() == len(values)
        assert out["share"].sum() == pytest.approx(1.0)
        assert len(out) == len(binning.labels)
    # each PCT bin holds exactly the values in its range
    pct = bin_counts(values, PCT_BINS)["firms"].tolist()
    assert pct == [
        sum(v == 0 for v in values),
        sum(1 <= v <= 9 for v in values),
        sum(10 <= v <= 99 for v in values),
        sum(v >= 100 for v in values),
    ]


@given(patents=non_negative, employees=positive, k=st.floats(min_value=1e-3, max_value=1e3))
def test_patent_density_scales_linearly(patents, employees, k):
    base = patent_density(patents, employees)
    assert patent_density(k * patents, employees) == pytest.approx(k * base, rel=1e-9, abs=1e-9)
    assert patent_density(patents, k * employees) == pytest.approx(base / k, rel=1e-9, abs=1e-9)


@given(a=positive, b=positive)
def test_multiples_are_reciprocal(a, b):
    assert multiple(a, b) * multiple(b, a) == pytest.approx(1.0)


@given(
    values=st.lists(non_negative, min_size=1, max_size=20),
    reference=positive,
)
def test_ratio_to_reference_times_reference_is_values(values, reference):
    series = pd.Series(values, index=[f"p{i}" for i in range(len(values))])
    back = ratio_to_reference(series, reference) * reference
    assert back.tolist() == pytest.approx(values, rel=1e-9, abs=1e-9)
