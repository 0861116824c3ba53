"""Chapter 03 and the region profiles: concentration by hand, the regional tables, the REGION
parameter, and profiles built with papermill (published 北京市 identical to 001's city page; a
small region from the synthetic sample)."""

from pathlib import Path

import pandas as pd
import pytest

from helpers import stats
from helpers.data import catalog
from helpers.parameters import ParameterError, validate
from helpers.stats import regions

REPO = Path(__file__).parents[1]


def test_concentration_of_a_small_distribution_by_hand():
    values = pd.Series([40, 30, 20, 5, 5])  # shares .4 .3 .2 .05 .05
    result = regions.concentration(values)
    assert result["cr3"] == pytest.approx(0.9)
    assert result["cr5"] == pytest.approx(1.0)
    # (.16 + .09 + .04 + .0025 + .0025) * 10000
    assert result["hhi"] == pytest.approx(2950)
    assert stats.hhi(values) == pytest.approx(0.295)


def test_published_provinces_ranked_with_shares_and_macro_regions():
    provinces = regions.provinces_ranked(catalog.load_published("firms_by_province"))
    assert len(provinces) == 31
    assert provinces["province"].head(3).tolist() == ["江苏省", "广东省", "浙江省"]
    assert provinces["share"].iloc[0] == pytest.approx(1477 / 12192)
    assert provinces["cumulative_share"].iloc[2] == pytest.approx((1477 + 1466 + 1436) / 12192)
    assert provinces["cumulative_share"].iloc[-1] == pytest.approx(1.0)
    assert len(set(zip(provinces["tile_row"], provinces["tile_col"], strict=True))) == 31
    nbs = regions.macro_regions(provinces, "region_nbs").set_index("region")
    assert nbs["provinces"].to_dict() == {"东部": 10, "中部": 6, "西部": 12, "东北": 3}
    assert nbs["firms"].sum() == provinces["firms"].sum()
    belts = regions.macro_regions(provinces, "region_3belt")
    assert set(belts["region"]) == {"东部", "中部", "西部"}
    cities = regions.cities_with_shares(catalog.load_published("firms_by_city"), provinces)
    ningbo = cities.set_index("city").loc["宁波市"]
    assert ningbo["share_of_province"] == pytest.approx(349 / 1436)
    assert ningbo["share_of_nation"] == pytest.approx(349 / 12192)


def test_metrics_vs_national_drop_growth_of_a_small_region():
    metrics = pd.DataFrame(
        {
            "metric": ["applications_cagr_2020_2022", "pct_per_firm", "firms"],
            "unit": ["rate", "件/家", "家"],
            "value": [0.0, 3.0, 4.0],
            "national_avg": [0.156, 1.5, None],
        }
    )
    small = regions.metrics_vs_national(metrics, firms=4)
    assert small["metric"].tolist() == ["pct_per_firm"]
    assert small["ratio"].tolist() == pytest.approx([2.0])
    large = regions.metrics_vs_national(metrics, firms=400)
    assert large["metric"].tolist() == ["pct_per_firm", "applications_cagr_2020_2022"]


@pytest.mark.parametrize(
    ("given", "canonical", "level"),
    [
        ("江苏", "江苏省", "province"),
        ("Jiangsu", "江苏省", "province"),
        ("宁波", "宁波市", "city"),
        ("西藏自治区", "西藏自治区", "province"),
        ("shenzhen", "深圳市", "city"),
    ],
)
def test_region_parameter_accepts_short_and_english_names(given, canonical, level):
    checked = validate(region=given)
    assert (checked["region"], checked["region_level"]) == (canonical, level)


def test_unknown_region_stops_with_close_names():
    with pytest.raises(
        ParameterError, match=r"REGION=宁坡市: unknown province or city; did you mean 宁波市"
    ):
        validate(region="宁坡市")


def run_profile(tmp_path, region, data_dir="data/published", language="zh"):
    import papermill

    papermill.execute_notebook(
        str(REPO / "notebooks" / "profile.ipynb"),
        str(tmp_path / "executed.ipynb"),
        parameters={
            "region": region,
            "data_dir": data_dir,
            "output_dir": str(tmp_path),
            "language": language,
        },
        cwd=str(REPO / "notebooks"),
        progress_bar=False,
        kernel_name="python3",
    )
    # statistics/profile_<slug>.csv; .downloads.csv and .placeholders.csv beside it are lists
    [path] = [p for p in (tmp_path / "statistics").glob("profile_*.csv") if p.suffixes == [".csv"]]
    return pd.read_csv(path, dtype={"value": str}).set_index("key")


@pytest.mark.build
def test_published_beijing_profile_reproduces_the_city_page(tmp_path):
    recorded = run_profile(tmp_path, "北京")
    page = catalog.load_published("city_metrics")
    page = page[page["city"] == "北京市"]
    assert len(page) == 8
    for row in page.itertuples():
        assert float(recorded.loc[f"profile_110000.metrics.{row.metric}", "value"]) == row.value
    assert recorded.loc["profile_110000.firms", "value"] == "793"
    boards = catalog.load_published("city_capital_markets")
    assert int(recorded.loc["profile_110000.boards.star_market", "value"]) == int(
        boards[(boards["city"] == "北京市") & (boards["board"] == "科创板")]["firms"].iloc[0]
    )


@pytest.mark.build
def test_small_region_profile_from_the_sample_has_no_growth_rate(tmp_path, sample_tables):
    recorded = run_profile(tmp_path, "西藏", data_dir=sample_tables, language="en")
    assert recorded.loc["profile_540000.firms", "value"] == "4"
    assert "profile_540000.metrics.pct_per_firm" in recorded.index  # every metric but growth
    assert not any("cagr" in key for key in recorded.index)


def _breakdowns(rows):
    return pd.DataFrame(
        [("province", p, "batch", b, n) for p, b, n in rows],
        columns=["level", "region", "dimension", "category", "firms"],
    )


def test_provinces_by_batch_in_rank_order_with_batch_columns():
    provinces = pd.DataFrame({"province": ["江苏省", "西藏自治区"], "firms": [5, 1]})
    breakdowns = _breakdowns(
        [("西藏自治区", "第二批", 1), ("江苏省", "第一批", 2), ("江苏省", "第二批", 3)]
    )
    long = regions.provinces_by_batch(breakdowns, provinces)
    assert long[["province", "batch", "firms"]].values.tolist() == [
        ["江苏省", "第一批", 2],
        ["江苏省", "第二批", 3],
        ["西藏自治区", "第二批", 1],
    ]
    assert long["source_row"].tolist() == [1, 2, 0]  # rows of breakdowns, for citing
    wide = regions.with_batch_columns(
        provinces, long, column_key={"第一批": "b1", "第二批": "b2"}.get
    )
    assert wide.columns.tolist() == ["province", "firms", "b1", "b2"]
    assert wide[["b1", "b2"]].values.tolist() == [[2, 3], [0, 1]]  # Tibet has no batch-1 firm


def test_provinces_by_batch_absent_or_inconsistent():
    provinces = pd.DataFrame({"province": ["江苏省"], "firms": [6]})
    assert regions.provinces_by_batch(None, provinces) is None
    assert regions.with_batch_columns(provinces, None) is provinces
    with pytest.raises(ValueError, match="江苏省 add up to 5 firms, firms_by_province says 6"):
        regions.provinces_by_batch(_breakdowns([("江苏省", "第一批", 5)]), provinces)
