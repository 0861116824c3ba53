"""Charts: the packaged CJK font is used (no missing-glyph fallbacks) and files are reproducible."""

import warnings

import pandas as pd
import pytest
from matplotlib import font_manager

from helpers.report import charts
from helpers.report.fonts import FONT_FAMILY, covered_characters, font_path


@pytest.fixture
def sample_table():
    return pd.DataFrame(
        {"board": ["沪深主板", "创业板", "科创板", "北交所"], "share": [0.054, 0.232, 0.498, 0.462]}
    )


def draw_all(table):
    long = pd.DataFrame(
        {
            "category": ["新材料", "新材料", "新一代信息技术", "新一代信息技术"],
            "population": ["小巨人", "科创板", "小巨人", "科创板"],
            "share": [0.242, 0.107, 0.229, 0.405],
        }
    )
    return [
        charts.bar_chart(
            table, "board", "share", percent=True, title="“小巨人”占比：科创板−北交所"
        ),
        charts.grouped_bar_chart(long, "category", "population", "share", percent=True),
        charts.stacked_share_bars(long, "population", "category", "share"),
    ]


def test_font_comes_from_the_python_package_not_the_system():
    assert "site-packages" in str(font_path()) or "dist-packages" in str(font_path())
    charts.setup_style()
    found = font_manager.findfont(font_manager.FontProperties(family=FONT_FAMILY))
    assert found == str(font_path())


def test_drawing_chinese_charts_emits_no_missing_glyph_warning(sample_table, tmp_path):
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        for index, fig in enumerate(draw_all(sample_table)):
            charts.save_figure(fig, f"chart{index}", tmp_path)
    missing = [str(w.message) for w in caught if "missing from" in str(w.message)]
    assert missing == []


def test_a_glyph_the_font_lacks_fails_the_chart(tmp_path):
    # A character outside Noto Sans SC would be drawn as a box: saving refuses it.
    charts.setup_style()
    import matplotlib.pyplot as plt

    fig, ax = plt.subplots()
    ax.set_title("科创板 \U0001f600")  # an emoji: not in the font
    with pytest.raises(charts.MissingGlyphError, match=r"chart boxes: Glyph 128512"):
        charts.save_figure(fig, "boxes", tmp_path)
    plt.close(fig)


def test_font_covers_the_report_vocabulary():
    text = "专精特新“小巨人”企业培育现状科创板北交所沪深主板创业板占比％（家）—–×≥"
    assert set(text) <= covered_characters()


def test_saved_figures_are_byte_identical_across_saves(sample_table, tmp_path):
    first = charts.save_figure(draw_all(sample_table)[0], "a", tmp_path / "1")
    second = charts.save_figure(draw_all(sample_table)[0], "a", tmp_path / "2")
    for fmt in ("png", "svg"):
        assert first[fmt].read_bytes() == second[fmt].read_bytes()
    svg = first["svg"].read_text()
    assert "<dc:date>" not in svg


@pytest.mark.parametrize(
    ("text", "wrapped"),
    [
        ("新材料", "新材料"),
        # between the words of labels/chart_words.zh.txt, never inside one (not 高/性能)
        ("生物医药及高性能医疗器械", "生物医药及\n高性能医疗器械"),
        ("节能与新能源汽车", "节能与\n新能源汽车"),
        ("Next-gen IT", "Next-gen IT"),
    ],
)
def test_long_cjk_tick_labels_are_wrapped(text, wrapped):
    assert charts.wrap_label(text) == wrapped


@pytest.mark.parametrize(
    ("text", "width", "wrapped"),
    [
        ("新一代信息技术", 5, "新一代\n信息技术"),  # not 新一代信 / 息技术 (图3.7)
        ("海洋工程装备及高技术船舶", 6, "海洋工程装备\n及高技术船舶"),
        ("New materials", 5, "New\nmaterials"),  # at the space, measured in the font
        ("Aerospace", 3, "Aerospace"),  # a word wider than the room keeps its line, whole
        ("A股创业板上市", 4, "A股\n创业板\n上市"),  # A股 stays together
        ("长三角（上海）", 2, "长三角（上海）"),  # no break before punctuation or in brackets
    ],
)
def test_labels_wrap_at_word_boundaries_in_both_languages(text, width, wrapped):
    assert charts.wrap_label(text, width) == wrapped


def test_labels_wrap_to_the_fewest_lines_then_the_most_even():
    # 3 + 5 em rather than 5 + 3 or three lines
    assert charts.wrap_label("节能与新能源汽车", 5) == "节能与\n新能源汽车"
    assert charts.text_em("新能源汽车") == pytest.approx(5.0)
    assert charts.text_em("Aerospace") < 5  # Latin letters are about half an em


def profile_table():
    """图表2.2 as published: one row printed only as multiples, two equal dots (1.0x)."""
    pops = ["专精特新中小企业", "小巨人", "制造业单项冠军"]
    shares = pd.DataFrame(
        {"metric": "invention_share", "population": pops, "value": [0.36, 0.45, 0.45]}
    )
    scale = pd.DataFrame(
        {
            "metric": "applications",
            "population": pops,
            "value": float("nan"),
            "position": [1, 2.1, 2.1 * 9.6],
        }
    )
    citations = pd.DataFrame({"metric": "citations", "population": pops, "value": [89, 234, 2894]})
    return pd.concat([scale, shares, citations], ignore_index=True), pops


def draw_profile():
    table, pops = profile_table()
    multiples = {
        ("applications", "小巨人"): "2.1倍",
        ("applications", "制造业单项冠军"): "9.6倍",
        ("invention_share", "小巨人"): "1.2倍",
        ("invention_share", "制造业单项冠军"): "1.0倍",
        ("citations", "小巨人"): "2.6倍",
        ("citations", "制造业单项冠军"): "12倍",
    }
    shares = {
        ("invention_share", p): f"{v:.1%}" for p, v in zip(pops, [0.36, 0.45, 0.45], strict=True)
    }
    return charts.dot_profile_chart(
        table,
        "metric",
        "population",
        "value",
        population_order=pops,
        multiples=multiples,
        value_labels=shares,
        position="position",
    )


def test_profile_row_printed_only_as_multiples_is_drawn():
    fig = draw_profile()
    ax = fig.axes[0]
    assert [t.get_text() for t in ax.get_yticklabels()] == [
        "applications",
        "invention_share",
        "citations",
    ]
    # three dots per row: 9 scatter collections; the multiples-only row has no value labels
    assert len(ax.collections) == 9
    labels = {t.get_text() for t in ax.texts}
    assert {"2.1倍", "9.6倍", "36.0%", "45.0%", "89", "2,894"} <= labels
    assert "nan" not in labels


def test_profile_labels_of_equal_dots_do_not_overlap(tmp_path):
    fig = draw_profile()
    charts.save_figure(fig, "profile", tmp_path)
    assert charts.overlapping_texts(fig) == []


def test_every_segment_of_stacked_bars_is_named(tmp_path):
    table = pd.DataFrame(
        {
            "group": ["PCT"] * 4,
            "part": ["0件", "1-9件", "10-99件", "≥100件"],
            "share": [0.766, 0.197, 0.035, 0.002],
        }
    )
    fig = charts.stacked_share_bars(table, "group", "part", "share")
    charts.save_figure(fig, "stacked", tmp_path)
    texts = [t.get_text() for t in fig.axes[0].texts]
    assert all(any(part in text for text in texts) for part in table["part"])
    assert charts.overlapping_texts(fig) == []


def test_grouped_bars_have_a_legend_entry_per_series(sample_table):
    fig = draw_all(sample_table)[1]
    assert [t.get_text() for t in fig.axes[0].get_legend().get_texts()] == ["小巨人", "科创板"]


@pytest.mark.parametrize("figsize", [(5, 3), (9, 4.8), (8, 14)])
def test_saved_text_prints_at_least_8_pt_at_a4(figsize, tmp_path):
    import matplotlib.pyplot as plt

    charts.setup_style()
    fig, ax = plt.subplots(figsize=figsize)
    ax.bar(["a", "b"], [1, 2])
    ax.text(0, 1, "7 pt label", fontsize=7)
    ax.set_title("标题")
    charts.save_figure(fig, "sizes", tmp_path)
    # a 9-inch-wide figure prints at 7.0 / 9.2 of its size: 8 pt needs 10.5 pt in the figure
    assert charts.smallest_printed_size(fig) >= charts.MIN_PRINTED_PT - 0.01
    plt.close(fig)


def test_printed_scale_is_the_text_width_over_the_saved_width():
    import matplotlib.pyplot as plt

    fig, ax = plt.subplots(figsize=(9, 4))
    ax.set_axis_off()
    fig.text(0, 0, "x")
    fig.text(1, 1, "x", ha="right", va="top")  # the tight box spans the whole figure
    assert charts.printed_scale(fig) == pytest.approx(charts.PRINT_WIDTH_IN / 9.2, rel=0.02)
    plt.close(fig)


def test_house_charts_print_their_labels_at_8_pt(sample_table, tmp_path):
    for index, fig in enumerate([*draw_all(sample_table), draw_profile()]):
        charts.save_figure(fig, f"house{index}", tmp_path)
        assert charts.smallest_printed_size(fig) >= charts.MIN_PRINTED_PT - 0.01


def _bar_texts(fig) -> list[str]:
    return [t.get_text() for ax in fig.axes for t in ax.texts]


@pytest.mark.parametrize(("language", "written"), [("zh", "11.33万"), ("en", "113,306")])
def test_value_labels_follow_the_language_the_chapter_set(language, written):
    """A chart writes large counts as its edition's readers do: the Chapter sets the language
    once (setup_style), so a call without language= (图3.8's cluster chart) is not Chinese in
    the English edition."""
    long = pd.DataFrame(
        {"field": ["IT", "IT"], "cluster": ["a", "b"], "patent_applications": [113306, 53306]}
    )
    try:
        charts.setup_style(language)
        grouped = charts.grouped_bar_chart(long, "field", "cluster", "patent_applications")
        single = charts.bar_chart(long, "cluster", "patent_applications")
        assert written in _bar_texts(grouped) and written in _bar_texts(single)
    finally:
        charts.setup_style("zh")
