"""Profiles built from the synthetic sample match the five published city pages (001) within the
sample's calibration tolerance (1%, or the rounding of the printed figure; see
data/sample/README.md): the profile route (region_metrics, helpers.stats.profile.gather) is a
different aggregation from city_metrics, so it is checked on its own."""

from __future__ import annotations

import pandas as pd
import pytest

from helpers.data import catalog
from helpers.data.tableio import read_table_text
from helpers.firmlevel.firms import FirmLevelData
from helpers.paths import PUBLISHED_DIR, SAMPLE_DIR
from helpers.pipeline import PROFILE_TABLES
from helpers.stats import regions
from helpers.stats.profile import gather

PAGE_CITIES = ["北京市", "深圳市", "上海市", "宁波市", "重庆市"]


@pytest.fixture(scope="module")
def profiles():
    data = FirmLevelData(SAMPLE_DIR)
    tables = {name: data.table(name) for name in PROFILE_TABLES}
    return {city: gather(tables, city, "city") for city in PAGE_CITIES}, tables


def _printed_decimals(name: str) -> pd.Series:
    spec = catalog.table_spec(name)
    text = read_table_text(PUBLISHED_DIR / spec.file)
    return text["value"].map(lambda v: len(v.split(".")[1]) if "." in v else 0)


def test_city_firm_counts_and_ranks_exact(profiles):
    built, _ = profiles
    overview = catalog.load_published("firms_by_city").set_index("city")["firms"]
    for city, profile in built.items():
        assert profile.firms == overview[city], city
        assert profile.rank == int(overview.rank(ascending=False, method="min")[city]), city


def test_city_page_metrics_within_the_sample_tolerance(profiles):
    _, tables = profiles
    page = catalog.load_published("city_metrics")
    page = page.assign(decimals=_printed_decimals("city_metrics"))
    metrics = tables["region_metrics"]
    city_rows = metrics[metrics["level"] == "city"].set_index(["region", "metric"])
    wrong = []
    for row in page.itertuples():
        mine = float(city_rows.loc[(row.city, row.metric), "value"])
        tolerance = max(0.01 * abs(row.value), 0.5 * 10**-row.decimals + 1e-12)
        if abs(mine - row.value) > tolerance:
            wrong.append((row.city, row.metric, row.value, mine))
    assert not wrong
    assert len(page) == 40  # eight metrics on each of five pages


def test_profile_chart_shows_the_eight_metrics_against_the_national_average(profiles):
    _, tables = profiles
    metrics = tables["region_metrics"]
    for city in PAGE_CITIES:
        rows = metrics[(metrics["level"] == "city") & (metrics["region"] == city)]
        shown = regions.metrics_vs_national(rows, firms=1000)
        assert shown["metric"].tolist() == list(regions.PAGE_METRICS), city
        assert (shown["ratio"] > 0).all()
