"""The on_zero="nan" option of the helpers.stats ratios and CAGR that the firm-level aggregates
use for empty groups and zero bases (helpers.firmlevel.derive)."""

from __future__ import annotations

import math

import pandas as pd
import pytest

from helpers import stats

RATIOS = [stats.per_firm, stats.invention_share, stats.grant_rate, stats.pct_share, stats.multiple]


@pytest.mark.parametrize("func", RATIOS)
def test_zero_denominator_raises_by_default_and_is_nan_on_request(func):
    with pytest.raises(ValueError, match=r"zero|> 0"):
        func(0, 0)
    assert math.isnan(func(0, 0, on_zero="nan"))
    assert math.isnan(func(3, 0, on_zero="nan"))
    # otherwise unchanged: 3 / 4
    assert func(3, 4, on_zero="nan") == func(3, 4) == 0.75


@pytest.mark.parametrize("func", RATIOS)
def test_on_zero_still_refuses_negative_values_and_bad_options(func):
    with pytest.raises(ValueError, match=r"negative|>= 0"):
        func(-1, 4, on_zero="nan")
    with pytest.raises(ValueError, match="on_zero"):
        func(1, 4, on_zero="zero")


def test_series_with_zero_denominators():
    out = stats.per_firm(pd.Series([6, 0]), pd.Series([3, 0]), on_zero="nan")
    assert out.iloc[0] == 2
    assert math.isnan(out.iloc[1])


def test_invention_share_above_one_is_still_an_error():
    with pytest.raises(ValueError, match="exceed"):
        stats.invention_share(5, 4, on_zero="nan")


def test_cagr_from_a_zero_base():
    # 2020 -> 2022: 5 -> 10 is sqrt(2) - 1 either way
    assert stats.cagr({2020: 5, 2022: 10}, on_zero="nan") == pytest.approx(2**0.5 - 1)
    with pytest.raises(ValueError, match="> 0"):
        stats.cagr({2020: 0, 2022: 10})
    assert math.isnan(stats.cagr({2020: 0, 2022: 10}, on_zero="nan"))
    assert math.isnan(stats.cagr(pd.Series({2020: 0.0, 2022: 3.0}), on_zero="nan"))
    # a negative start and missing values stay errors: they are data problems
    with pytest.raises(ValueError):
        stats.cagr({2020: -1, 2022: 10}, on_zero="nan")
    with pytest.raises(ValueError):
        stats.cagr({2020: float("nan"), 2022: 10}, on_zero="nan")
    with pytest.raises(ValueError, match="on_zero"):
        stats.cagr({2020: 1, 2022: 2}, on_zero="no")
