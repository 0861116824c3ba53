"""Chapter 2's tables (helpers.stats.innovation_tables) on small frames whose expected numbers are
worked out by hand in the comments, and its figures and sentences
(helpers.report.chapters.innovation) drawn from small tables."""

from unittest import mock

import pandas as pd
import pytest

from helpers.report.chapter import Chapter
from helpers.report.chapters import innovation as show
from helpers.stats import innovation_tables as st

SME, LG, CHAMP = "专精特新中小企业", "小巨人", "制造业单项冠军"


def profile_table() -> pd.DataFrame:
    return pd.DataFrame(
        {
            "metric": ["citations_per_firm"] * 3 + ["pct_per_firm"] * 3,
            "population": [SME, LG, CHAMP] * 2,
            "unit": ["次/家"] * 3 + ["件/家"] * 3,
            "value": [89.0, 234.0, 2894.0, 0.5, 1.5, 60.0],
            "inferred": [False, False, False, True, True, True],
            "source_doc": "001",
            "source_id": "图表2.2",
        }
    )


def stated_multiples() -> pd.DataFrame:
    return pd.DataFrame(
        {
            "metric": ["patent_applications_per_firm"] * 2
            + ["citations_per_firm"] * 2
            + ["pct_per_firm"] * 2,
            "numerator": [LG, CHAMP] * 3,
            "denominator": [SME, LG] * 3,
            "multiple_stated": [2.1, 9.6, 2.6, 12.0, 3.0, 40.0],
            "inferred": [True, True, False, False, True, True],
            "source_doc": "001",
            "source_id": "图表2.2",
        }
    )


def scale_table() -> pd.DataFrame:
    return pd.DataFrame(
        {
            "population": [LG, LG, LG, "科创板", "北交所"],
            "batch": ["第一批", "第二批", "全部", "全部", "全部"],
            "patent_applications_per_firm": [183.0, 100.0, 115.0, 396.0, 115.0],
            "valid_invention_patents_per_firm": [28.0, 16.0, 20.0, 109.0, 16.0],
            "source_doc": "001",
            "source_id": "图表2.3",
        }
    )


def batches_table() -> pd.DataFrame:
    return pd.DataFrame({"batch": ["第一批", "第二批"], "analysed": [1, 3]})


# --------------------------------------------------------------------------- 图表2.2


def test_profile_multiples_recomputed_and_rows_without_values_left_out():
    multiples = st.profile_multiples(profile_table(), stated_multiples())
    # patent_applications_per_firm is printed only as multiples: no row.
    assert multiples["metric"].tolist() == ["citations_per_firm"] * 2 + ["pct_per_firm"] * 2
    # 234 / 89 = 2.62921; 2894 / 234 = 12.36752; 1.5 / 0.5 = 3; 60 / 1.5 = 40
    assert multiples["multiple"].tolist() == pytest.approx([2.62921, 12.36752, 3.0, 40.0], 1e-5)
    assert multiples["multiple_stated"].tolist() == [2.6, 12.0, 3.0, 40.0]


def test_chained_positions_of_a_metric_printed_only_as_multiples():
    chained = st.chained_positions(profile_table(), stated_multiples())
    # 1 for the SMEs, then 2.1, then 2.1 × 9.6 = 20.16
    assert chained["population"].tolist() == [SME, LG, CHAMP]
    assert chained["position"].tolist() == pytest.approx([1.0, 2.1, 20.16])
    assert set(chained["metric"]) == {"patent_applications_per_firm"}
    assert chained["value"].isna().all()


def test_inferred_metrics_of_either_table():
    assert st.inferred_metrics(profile_table(), stated_multiples()) == {
        "pct_per_firm",
        "patent_applications_per_firm",
    }


def test_widest_multiple_and_one_multiple():
    multiples = st.profile_multiples(profile_table(), stated_multiples())
    # champions ÷ 小巨人: citations 12.37, PCT 40 → PCT is widest
    assert st.widest_multiple(multiples) == ("pct_per_firm", pytest.approx(40.0))
    # 小巨人 ÷ SMEs citations: 234 / 89 = 2.62921
    assert st.multiple_of(multiples, "citations_per_firm", LG) == pytest.approx(2.62921, 1e-5)


def test_profile_value():
    assert st.profile_value(profile_table(), "pct_per_firm") == 1.5
    assert st.profile_value(profile_table(), "citations_per_firm", CHAMP) == 2894.0


# --------------------------------------------------------------------------- 图表2.3, 2.7


def test_groups_are_batches_of_the_little_giants_and_boards_otherwise():
    assert st.with_groups(scale_table())["group"].tolist() == [
        "第一批",
        "第二批",
        "全部",
        "科创板",
        "北交所",
    ]
    influence = pd.DataFrame({"batch": ["第一批", "全部"], "citations_per_firm": [3.0, 2.0]})
    assert st.with_groups(influence)["group"].tolist() == ["第一批", "全部"]


def test_batch_means_weighted_by_the_batches_firms():
    means = st.batch_means(scale_table(), batches_table(), st.SCALE_COLUMNS)
    assert means["column"].tolist() == list(st.SCALE_COLUMNS)
    assert means["stated"].tolist() == [115.0, 20.0]
    # (183 × 1 + 100 × 3) / 4 = 483 / 4 = 120.75; (28 × 1 + 16 × 3) / 4 = 76 / 4 = 19
    assert means["recomputed"].tolist() == pytest.approx([120.75, 19.0])


def test_first_batch_multiple_of_a_table_without_populations():
    influence = pd.DataFrame(
        {"batch": ["第一批", "第二批", "全部"], "citations_per_firm": [300.0, 150.0, 200.0]}
    )
    # 300 / 200 = 1.5
    assert st.first_batch_multiple(influence, "citations_per_firm") == ("第一批", 1.5)


def test_scale_ratios():
    ratios = st.scale_ratios(scale_table())
    assert ratios.first == "第一批"
    # 183 / 115 = 1.591304; 115 / 396 = 0.290404; 115 / 115 = 1
    assert ratios.first_vs_all == pytest.approx(1.591304, 1e-6)
    assert ratios.vs_star == pytest.approx(0.290404, 1e-5)
    assert ratios.vs_bse == 1.0
    # 16 / 109 = 0.146789 on the other column
    assert st.board_multiple(scale_table(), "科创板", "valid_invention_patents_per_firm") == (
        pytest.approx(20 / 109)
    )


# --------------------------------------------------------------------------- 图表2.4, 2.9


def test_years_of_one_span_and_refused_for_two():
    rows = pd.DataFrame({"start_year": [2020, 2020], "end_year": [2022, 2022]})
    assert st.years_of(rows) == {"start": 2020, "end": 2022}
    with pytest.raises(ValueError, match="2 different periods"):
        st.years_of(rows.assign(end_year=[2022, 2023]))


def test_window_years_of_a_cutoff():
    assert st.window_years("2023-07-31") == {"start": 2020, "end": 2022}
    assert st.window_years("2024-01-31") == {"start": 2021, "end": 2023}


def test_growth_series_over_the_window_and_its_rate():
    yearly = pd.DataFrame(
        {
            "population": [LG] * 5 + ["A股上市小巨人"],
            "year": [2019, 2020, 2021, 2022, 2023, 2020],
            "applications_per_firm": [50.0, 100.0, 110.0, 121.0, 60.0, 1.0],
        }
    )
    series = st.growth_series(yearly, "2023-07-31")
    assert series.to_dict() == {2020: 100.0, 2021: 110.0, 2022: 121.0}
    # (121 / 100) ** (1 / 2) − 1 = 1.1 − 1 = 0.1
    assert st.growth_rate(series) == pytest.approx(0.1)


# --------------------------------------------------------------------------- 图表2.5, 2.6


def test_density_ratios_in_the_boards_order():
    text = pd.DataFrame(
        {
            "item": ["other", "invention_density_ratio_vs_bse", "invention_density_ratio_vs_star"],
            "value": [9.0, 3.0, 1.1],
            "source_doc": "001",
            "source_id": "摘要",
        }
    )
    ratios = st.density_ratios(st.by_item(text))
    assert ratios["board"].tolist() == ["科创板", "北交所"]
    assert ratios["ratio"].tolist() == [1.1, 3.0]
    assert ratios.index.tolist() == [
        "invention_density_ratio_vs_star",
        "invention_density_ratio_vs_bse",
    ]
    assert st.by_item(None) is None


def test_little_giants_value():
    quality = pd.DataFrame({"population": ["科创板", LG], "invention_share_stated": [0.658, 0.454]})
    assert st.little_giants_value(quality, "invention_share_stated") == 0.454


# --------------------------------------------------------------------------- 图表2.8–2.10


def test_bin_shares_and_the_bins_with_overseas_markets():
    bins = pd.DataFrame(
        {"market_bin": ["0个", "1-5个", "6-10个"], "markets_min": [0, 1, 6], "firms": [6, 3, 1]}
    )
    shared = st.bin_shares(bins, "market_bin")
    # 6, 3 and 1 of 10 firms
    assert shared["share"].tolist() == pytest.approx([0.6, 0.3, 0.1])
    assert shared["bin"].tolist() == ["0个", "1-5个", "6-10个"]
    # 3 + 1 = 4 firms in at least one overseas market
    assert st.with_overseas_markets(shared)["firms"].sum() == 4


def test_pct_share_of_applications():
    pct = st.pct_share_of_applications(profile_table(), scale_table())
    # 1.5 PCT patents ÷ 115 applications per firm = 0.0130435
    assert (pct.pct_per_firm, pct.applications_per_firm) == (1.5, 115.0)
    assert pct.share == pytest.approx(0.0130435, 1e-5)


def by_year_table() -> pd.DataFrame:
    return pd.DataFrame(
        {
            "year": [2021, 2022, 2022, 2023, 2023],
            "pct_bin": ["1-9件", "1-9件", "10-99件", "1-9件", "10-99件"],
            "firms": [1000, 1617, 400, 2404, 431],
        }
    )


def test_last_two_years_and_a_bins_growth():
    holders = st.last_two_years(by_year_table())
    assert sorted(holders["year"].unique()) == [2022, 2023]
    change = st.bin_growth(holders, "1-9件")
    assert (change.bin, change.start, change.end) == ("1-9件", 2022, 2023)
    assert (change.before, change.after) == (1617, 2404)
    assert change.years == {"start": 2022, "end": 2023}
    assert change.rows["firms"].tolist() == [1617, 2404]
    # 2404 / 1617 − 1 = 0.486704
    assert change.growth == pytest.approx(0.486704, 1e-5)
    assert st.last_two_years(by_year_table().query("year == 2023")) is None


def test_holding_years_of_a_cutoff():
    assert st.holding_years("2023-07-31") == {"start": 2022, "end": 2023}
    assert st.holding_years("2024-01-31") == {"start": 2023, "end": 2024}


def test_has_every_bin():
    holders = st.last_two_years(by_year_table())
    two_bins = pd.DataFrame({"pct_bin": ["1-9件", "10-99件"]})
    assert st.has_every_bin(holders, two_bins)
    assert not st.has_every_bin(holders, pd.DataFrame({"pct_bin": ["0件", "1-9件", "10-99件"]}))


def test_bins_year_on_year_keeps_each_bins_provenance():
    current = pd.DataFrame(
        {
            "pct_bin": ["0件", "1-9件"],
            "firms": [10, 5],
            "source_doc": "001",
            "source_id": ["图表2.8a", "图表2.8b"],
        }
    )
    previous = pd.DataFrame({"pct_bin": ["0件", "1-9件", "10-99件"], "firms": [8, 5, 2]})
    changes = st.bins_year_on_year(current, previous)
    assert changes["bin"].tolist() == ["0件", "1-9件", "10-99件"]
    # 10 − 8 = 2, 5 − 5 = 0, and no change for a bin only the previous edition has
    assert changes["change"].tolist()[:2] == [2, 0] and pd.isna(changes["change"].iloc[2])
    assert changes["source_id"].tolist()[:2] == ["图表2.8a", "图表2.8b"]
    assert pd.isna(changes["source_doc"].iloc[2])


# --------------------------------------------------------------------------- presentation


@pytest.fixture
def chapter(tmp_path):
    with mock.patch("IPython.display.display"):
        yield Chapter("02_innovation", output_dir=str(tmp_path / "out"))


def test_multiples_named_for_their_statistics_and_checked(chapter):
    multiples = st.profile_multiples(profile_table(), stated_multiples())
    named = show.named_multiples(chapter, multiples)
    assert named["metric_id"].tolist()[:2] == ["citations_per_firm"] * 2
    assert named["metric"].iloc[0] == "专利被引总量（次/家）"
    show.check_multiples(chapter, multiples, stated_multiples())
    checks = list(chapter.checks.values())
    assert [c["item"] for c in checks][:2] == [
        "专利被引总量（次/家）：小巨人÷专精特新中小企业",
        "专利被引总量（次/家）：制造业单项冠军÷小巨人",
    ]
    assert [c["stated"] for c in checks] == [2.6, 12.0, 3.0, 40.0]


def test_bin_shares_checked_at_three_decimals(chapter):
    bins = pd.DataFrame(
        {
            "pct_bin": ["0件", "1-9件", "≥100件"],
            "firms": [3, 1, 0],
            "share_stated": [0.75, 0.25, None],  # the last share is not printed
            "source_doc": "001",
            "source_id": "图表2.8",
        }
    )
    shares = st.bin_shares(bins, "pct_bin")  # 3 / 4 = 0.75, 1 / 4 = 0.25, 0 / 4 = 0
    chapter.check_table(shares, "bin", "share_stated", "share", unit="share", decimals=3)
    checks = list(chapter.checks.values())
    assert [c["item"] for c in checks] == ["0件 占比", "1-9件 占比"]  # printed shares only
    assert [c["recomputed"] for c in checks] == [0.75, 0.25]
    assert {c["decimals"] for c in checks} == {3}


def test_the_chapters_figures_from_the_published_tables(chapter):
    """Every figure of the chapter drawn and saved from the published tables."""
    profile = chapter.table("typical_profile")
    stated = chapter.table("typical_profile_multiples")
    multiples = st.profile_multiples(profile, stated)
    show.profile(chapter, profile, stated, multiples)
    scale = st.with_groups(chapter.table("tech_scale_by_population"))
    show.scale(chapter, scale, st.scale_ratios(scale), "五")
    quality = chapter.table("invention_quality")
    show.quality(chapter, quality)
    assert show.versus(chapter, quality, "invention_share_stated") == (
        "高于北交所企业（37.4%）、低于科创板企业（65.8%）"
    )
    pct_bins = st.bin_shares(chapter.table("pct_holdings"), "pct_bin")
    overseas = st.bin_shares(chapter.table("overseas_market_reach"), "market_bin")
    show.globalisation(chapter, pct_bins, overseas, 3294, "五")
    figures = sorted(p.name for p in (chapter.output / "figures").glob("*.png"))
    assert figures == [
        "02_innovation_fig2_2_profile.png",
        "02_innovation_fig2_3_scale.png",
        "02_innovation_fig2_6_quality.png",
        "02_innovation_fig2_8_globalisation.png",
    ]
    tables = {p.name for p in (chapter.output / "tables").glob("*.csv")}
    assert {"02_innovation_fig2_8_pct_bins.csv", "02_innovation_fig2_8_overseas_bins.csv"} <= tables


def test_a_placeholder_names_what_the_data_lacks(tmp_path):
    folder = tmp_path / "miit"
    folder.mkdir()
    (folder / "firms.csv").write_text(
        "name,province,batch_no,city\n甲公司,北京,1,北京\n乙公司,江苏省,1,苏州\n"
        "丙公司,江苏,2,南京市\n丁公司,广东省,2,深圳\n",
        encoding="utf-8",
    )
    from helpers.firmlevel.tables import ensure_tables

    tables = ensure_tables(folder, "2023-07-31", tmp_path / "tables")  # as the build resolves it
    with mock.patch("IPython.display.display"):
        ch = Chapter("02_innovation", data_dir=str(tables), output_dir=str(tmp_path / "out"))
        show.placeholder(ch, "fig2_9_pct_growth", start=2020, end=2022)
        published = Chapter("02_innovation", output_dir=str(tmp_path / "published"))
        with pytest.raises(ValueError, match="lacks no input"):  # the published data has it
            show.placeholder(published, "fig2_9_pct_growth", start=2020, end=2022)
    (row,) = ch.placeholders.values()
    assert (row["name"], row["number"], row["lacking"]) == (
        "fig2_9_pct_growth",
        "图2.1",
        "patents;listings",
    )
    assert row["title"].startswith("2020—2022年PCT专利复合增长率")
