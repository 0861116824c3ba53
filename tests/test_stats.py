"""Descriptive statistics, with expected values computed by hand in the comments."""

import pandas as pd
import pytest

from helpers import stats


@pytest.mark.parametrize(
    ("part", "total", "expected"),
    [
        (274, 550, 0.498181818),  # 图表1.7 科创板: 274/550 = 0.4982 -> 49.8%
        (97, 210, 0.461904762),  # 图表1.7 北交所: 97/210 = 0.4619 -> 46.2%
        (171, 3182, 0.053739786),  # 沪深主板: 171/3182 = 0.0537 -> 5.4%
        (0, 10, 0.0),
    ],
)
def test_share_of_a_total(part, total, expected):
    assert stats.share(part, total) == pytest.approx(expected)


@pytest.mark.parametrize("total", [0, -5])
def test_share_of_a_non_positive_total_is_an_error(total):
    with pytest.raises(ValueError, match="total must be positive"):
        stats.share(1, total)


def test_share_of_series_aligns_element_wise():
    # 155/12192 = 0.012713, 3671/12192 = 0.301099
    result = stats.share(pd.Series([155, 3671]), 12192)
    assert result.tolist() == pytest.approx([0.012713, 0.301099], abs=1e-6)


def test_share_of_sum_sums_to_one():
    # 1, 3 of 4 -> 0.25, 0.75
    assert stats.share_of_sum(pd.Series([1, 3])).tolist() == [0.25, 0.75]


def test_share_within_groups():
    frame = pd.DataFrame(
        {"province": ["A", "A", "B", "B", "B"], "field": list("xyxyz"), "firms": [1, 3, 2, 2, 4]}
    )
    # A: 1/4, 3/4; B: 2/8, 2/8, 4/8
    assert stats.share_within(frame, "firms", "province").tolist() == [0.25, 0.75, 0.25, 0.25, 0.5]


def test_share_within_a_group_with_zero_total_is_an_error():
    frame = pd.DataFrame({"g": ["A", "B"], "v": [1, 0]})
    with pytest.raises(ValueError, match=r"zero total.*B"):
        stats.share_within(frame, "v", "g")


@pytest.mark.parametrize(
    ("a", "b", "expected"),
    [
        (0.242, 0.107, 13.5),  # 新材料: 24.2% - 10.7% = 13.5 pp
        (0.229, 0.405, -17.6),  # 新一代信息技术: 22.9% - 40.5% = -17.6 pp
        (0.5, 0.5, 0.0),
    ],
)
def test_percentage_point_gap(a, b, expected):
    assert stats.pp_gap(a, b) == pytest.approx(expected)


def test_rank_largest_first_with_ties_sharing_the_best_rank():
    # 10 is largest -> 1; the two 7s share rank 2; 3 is then 4th
    assert stats.rank(pd.Series([7, 10, 3, 7])).tolist() == [2, 1, 4, 2]


def test_rank_ascending():
    assert stats.rank(pd.Series([7, 10, 3]), ascending=True).tolist() == [2, 3, 1]


def test_top_n_share():
    # 江苏 1477 + 广东 1466 + 浙江 1436 = 4379; with 山东 1034 and 北京 793 the total is 6206;
    # 4379 / 6206 = 0.70561
    provinces = pd.Series([1034, 1477, 793, 1466, 1436])
    assert stats.top_n_share(provinces, 3) == pytest.approx(4379 / 6206)


def test_top_n_share_needs_positive_n():
    with pytest.raises(ValueError, match="n must be positive"):
        stats.top_n_share(pd.Series([1, 2]), 0)


def test_weighted_mean_of_batch_averages():
    # 图表2.3 valid invention patents per firm, batches 28/25/19/19/18 weighted by 155/1079/2930/4357/3671:
    # (4340 + 26975 + 55670 + 82783 + 66078) / 12192 = 235846 / 12192 = 19.344
    values = pd.Series([28, 25, 19, 19, 18])
    weights = pd.Series([155, 1079, 2930, 4357, 3671])
    assert stats.weighted_mean(values, weights) == pytest.approx(235846 / 12192)


@pytest.mark.parametrize(
    ("weights", "message"),
    [
        (pd.Series([1, -1]), "non-negative"),
        (pd.Series([0, 0]), "positive sum"),
        (pd.Series([1, 1], index=[5, 6]), "same index"),
    ],
)
def test_weighted_mean_rejects_bad_weights(weights, message):
    with pytest.raises(ValueError, match=message):
        stats.weighted_mean(pd.Series([1.0, 2.0]), weights)


def test_concentration_ratio_and_hhi_by_hand():
    values = pd.Series([50, 30, 10, 10])  # shares .5 .3 .1 .1
    assert stats.concentration_ratio(values, 1) == pytest.approx(0.5)
    assert stats.concentration_ratio(values, 3) == pytest.approx(0.9)
    # .25 + .09 + .01 + .01
    assert stats.hhi(values) == pytest.approx(0.36)
    assert stats.hhi(pd.Series([1, 1, 1, 1])) == pytest.approx(0.25)  # 1/N
    assert stats.hhi(pd.Series([0, 7])) == pytest.approx(1.0)
    with pytest.raises(ValueError, match="hhi"):
        stats.hhi(pd.Series([0, 0]))


def test_lorenz_curve_and_gini_by_hand():
    curve = stats.lorenz_curve(pd.Series([30, 10, 60]))  # sorted 10 30 60, total 100
    assert curve["units_share"].tolist() == pytest.approx([0, 1 / 3, 2 / 3, 1])
    assert curve["total_share"].tolist() == pytest.approx([0, 0.1, 0.4, 1.0])
    # area = 1/3 * (0.1/2 + (0.1+0.4)/2 + (0.4+1)/2) = 1/3 * 1.0 = 0.3333; gini = 1 - 2/3
    assert stats.gini(pd.Series([30, 10, 60])) == pytest.approx(1 / 3)
    assert stats.gini(pd.Series([5, 5, 5])) == pytest.approx(0)


def test_cumulative_share_in_rank_order():
    assert stats.cumulative_share(pd.Series([5, 3, 2])).tolist() == pytest.approx([0.5, 0.8, 1.0])
