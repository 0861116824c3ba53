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
        ("生物医药及高性能医疗器械", "生物医药及高性\n能医疗器械"),
        ("Next-gen IT", "Next-gen IT"),
    ],
)
def test_long_cjk_tick_labels_are_wrapped(text, wrapped):
    assert charts.wrap_label(text) == wrapped
