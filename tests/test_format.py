"""Numbers as readers see them: one rule per kind of unit, expectations computed by hand."""

import math

import numpy as np
import pandas as pd
import pytest

from helpers.report.format import (
    MINUS,
    UNITS,
    format_column,
    format_qualified,
    format_value,
    format_with_unit,
    is_qualified,
    unit_label,
)

CATALOGUE_UNITS = [
    "share",
    "rate",
    "pp",
    "倍",
    "家",
    "件",
    "件/家",
    "次",
    "次/家",
    "个",
    "个/家",
    "人",
    "笔",
    "户",
    "万元",
    "亿元",
    "分",
    "年",
    "件有效发明专利/千人",
    "项",
    "position",
    "名",
]

# (value, unit, keyword arguments, expected in zh and en alike)
VALUES = [
    # shares and rates: percent, one decimal; a non-zero share under 0.1% keeps two
    (0.126, "share", {}, "12.6%"),
    (1 / 12192, "share", {}, "0.01%"),  # 0.0082% -> 0.01%
    (274 / 550, "share", {}, "49.8%"),  # 49.818...%
    (1543 / 12192, "share", {}, "12.7%"),  # 12.655...%: the published 12.6% is a finding
    (9.91e-05, "share", {}, "0.01%"),  # 0.00991%
    (0.0004, "share", {}, "0.04%"),
    (0.001, "share", {}, "0.1%"),  # exactly 0.1%: one decimal
    (-4.44e-16, "share", {}, "0.0%"),  # rounding noise is zero, not "-0.00%"
    (-0.0004, "share", {}, "−0.04%"),  # a true minus sign (U+2212), not a hyphen
    (0.0, "share", {}, "0.0%"),
    (1.0, "share", {}, "100.0%"),
    (0.156, "rate", {}, "15.6%"),
    (0.30, "rate", {"signed": True}, "+30.0%"),
    (np.float64(0.5), "rate", {}, "50.0%"),
    (0.12345, "share", {"decimals": 2}, "12.35%"),  # 12.345 half up
    # percentage points: one decimal, a sign on request
    (5.0, "pp", {}, "5.0"),
    (5.0, "pp", {"signed": True}, "+5.0"),
    (-3.14, "pp", {"signed": True}, "−3.1"),
    (0.0, "pp", {"signed": True}, "0.0"),  # zero has no sign
    (-0.04, "pp", {"signed": True}, "0.0"),  # rounds to zero: no "-0.0"
    (-4.44e-16, "pp", {"signed": True}, "0.0"),
    (22.2, "百分点", {}, "22.2"),
    # multiples: two decimals; a non-zero multiple keeps two significant digits, never 0.00
    (373.84 / 234.08, "倍", {}, "1.60"),  # 1.5970...
    (2.6667, "倍", {}, "2.67"),
    (2.675, "倍", {}, "2.68"),  # half up on the printed digits (the binary float is 2.67499..)
    (9.91e-05, "倍", {}, "0.000099"),
    (-4.44e-16, "倍", {}, "0.00"),
    (1234.5, "倍", {}, "1,234.50"),
    # counts: integers, grouped
    (12950, "家", {}, "12,950"),
    (np.int64(4), "家", {}, "4"),
    (264900.0, "件", {}, "264,900"),
    (241600, "件", {}, "241,600"),
    (-29, "家", {"signed": True}, "−29"),
    (-3, "家", {}, "−3"),  # a negative number has its sign unasked
    (29, "家", {"signed": True}, "+29"),
    (1234567, "次", {}, "1,234,567"),
    (251, "人", {}, "251"),
    (2768, "笔", {}, "2,768"),
    (83, "户", {}, "83"),
    (85, "项", {}, "85"),
    (1100, "个", {}, "1,100"),
    (pd.array([3], dtype="Int64")[0], "position", {}, "3"),
    (2.5, "家", {}, "3"),  # half up
    (-4.44e-16, "家", {}, "0"),
    # years: not grouped (durations and calendar years alike)
    (16, "年", {}, "16"),
    (2011, "年", {}, "2011"),
    # per-firm means and densities: two decimals, trailing zeros kept; none when whole
    (2.6667, "件/家", {}, "2.67"),
    (2.5, "次/家", {}, "2.50"),
    (1.8, "件/家", {}, "1.80"),  # 1.80, never "1.8"
    (225.6, "次/家", {}, "225.60"),
    (21.0, "个/家", {}, "21"),
    (114.996, "件/家", {}, "115"),  # rounds to a whole number: no ".00"
    (1462.345, "件/家", {}, "1,462.35"),
    (0.004, "件/家", {}, "0.004"),  # not a false 0
    (35.123, "件有效发明专利/千人", {}, "35.12"),
    (21.0, "件/家", {"decimals": 1}, "21.0"),  # decimals= fixes the digits
    # counts of "funds" (只) and "kinds" (种) as the sources count them
    (31, "只", {}, "31"),
    (36, "种", {}, "36"),
    # a figure whose unit its label names: at most two decimals, never a false zero
    (264900.0, "number", {}, "264,900"),
    (900.0, "number", {"signed": True}, "+900"),
    (1.4622, "number", {}, "1.46"),
    (0.45, "number", {}, "0.45"),
    (9.91e-05, "number", {}, "0.000099"),
    (-4.44e-16, "number", {}, "0"),
    # scores: as given, at most one decimal
    (60, "分", {}, "60"),
    (85.25, "分", {}, "85.3"),
    (85.5, "分", {}, "85.5"),
    # missing
    (math.nan, "件", {}, "–"),
    (None, "share", {}, "–"),
    (pd.NA, "家", {}, "–"),
    (np.float64("nan"), "倍", {}, "–"),
]


@pytest.mark.parametrize("language", ["zh", "en"])
@pytest.mark.parametrize(("value", "unit", "kwargs", "expected"), VALUES)
def test_format_value(value, unit, kwargs, expected, language):
    assert format_value(value, unit, language, **kwargs) == expected


def test_every_catalogue_unit_has_a_rule():
    assert set(CATALOGUE_UNITS) <= set(UNITS)
    for unit in UNITS:
        for language in ("zh", "en"):
            shown = format_value(1234.5678, unit, language)
            assert "e" not in shown.lower() and "np." not in shown


@pytest.mark.parametrize(
    ("value", "unit", "kwargs", "zh", "en"),
    [
        (12950, "家", {}, "12,950家", "12,950 firms"),
        (1, "家", {}, "1家", "1 firm"),
        (373.84 / 234.08, "倍", {}, "1.60倍", "1.60×"),
        (5.0, "pp", {}, "5.0个百分点", "5.0 pp"),
        (5.0, "pp", {"signed": True}, "+5.0个百分点", "+5.0 pp"),
        (274 / 550, "share", {}, "49.8%", "49.8%"),
        (264900.0, "件", {}, "264,900件", "264,900 patents"),
        (2.6667, "件/家", {}, "2.67件/家", "2.67 patents per firm"),
        (3, "position", {}, "第3名", "No. 3"),
        (5, "名", {}, "第5名", "No. 5"),  # ranks in 004_miit_criteria
        # money: in Chinese in the source's unit (two decimals), 1万亿 and more in 万亿元; in
        # English in CNY with million / billion / trillion, keeping the digits it was given with
        (1.46, "亿元", {}, "1.46亿元", "CNY 146 million"),
        (4046.6 / 2768, "亿元", {}, "1.46亿元", "CNY 146 million"),
        (1.7, "亿元", {}, "1.70亿元", "CNY 170 million"),
        (4046.6, "亿元", {}, "4,046.60亿元", "CNY 404.66 billion"),
        (4046.6, "亿元", {"decimals": 1}, "4,046.6亿元", "CNY 404.66 billion"),
        (27200, "亿元", {}, "2.72万亿元", "CNY 2.72 trillion"),
        (28700, "亿元", {"decimals": 0}, "2.87万亿元", "CNY 2.87 trillion"),
        (10386, "亿元", {}, "1.04万亿元", "CNY 1.04 trillion"),  # two decimals of the size
        (108000, "亿元", {"decimals": 0}, "10.8万亿元", "CNY 10.8 trillion"),
        (1.462, "亿元", {"decimals": 3}, "1.462亿元", "CNY 146.2 million"),
        (-0.238, "亿元", {"signed": True, "decimals": 3}, "−0.238亿元", "−CNY 23.8 million"),
        (0.0, "亿元", {"signed": True, "decimals": 3}, "0.000亿元", "CNY 0"),
        (600, "万元", {}, "600.00万元", "CNY 6 million"),
        (500, "万元", {"decimals": 0}, "500万元", "CNY 5 million"),
        (50, "万元", {}, "50.00万元", "CNY 500,000"),
        (25000, "万元", {}, "2.5亿元", "CNY 250 million"),
        (16, "年", {}, "16年", "16 years"),
        (math.nan, "家", {}, "–", "–"),
    ],
)
def test_format_with_unit(value, unit, kwargs, zh, en):
    assert format_with_unit(value, unit, "zh", **kwargs) == zh
    assert format_with_unit(value, unit, "en", **kwargs) == en


def test_unit_labels_exist_in_both_languages_and_english_has_no_chinese():
    assert unit_label("家", "zh") == "家"
    assert unit_label("家", "en") == "firms"
    assert unit_label("件/家", "en") == "patents per firm"
    for unit in UNITS:
        assert unit_label(unit, "zh")
        english = unit_label(unit, "en") + format_with_unit(2, unit, "en")
        assert english.isascii() or not any("\u4e00" <= c <= "\u9fff" for c in english), unit


def test_unknown_unit_names_the_valid_ones():
    with pytest.raises(KeyError, match=r"unknown unit '吨'.*share.*家"):
        format_value(1, "吨")
    with pytest.raises(KeyError, match="unknown unit"):
        unit_label("吨")
    with pytest.raises(KeyError, match="unknown unit"):
        format_column(pd.Series([1]), "吨")


def test_unknown_language_and_non_numbers_are_refused():
    with pytest.raises(ValueError, match="unknown language"):
        format_value(1, "家", "fr")
    with pytest.raises(TypeError, match="not a number"):
        format_value("12", "家")


def test_format_column_keeps_the_index_and_formats_each_value():
    values = pd.Series([0.126, None, 1 / 12192], index=[3, 5, 7], name="share")
    shown = format_column(values, "share", "en")
    assert shown.tolist() == ["12.6%", "–", "0.01%"]
    assert shown.index.tolist() == [3, 5, 7] and shown.name == "share"
    counts = pd.Series([12950, pd.NA, 4], dtype="Int64")
    assert format_column(counts, "家").tolist() == ["12,950", "–", "4"]
    assert format_column(pd.Series([5.0, -2.0]), "pp", signed=True).tolist() == ["+5.0", "−2.0"]


@pytest.mark.parametrize(
    ("value", "unit", "zh", "en"),
    [
        # counts in sentences: 10万 and more in 万 (Chinese), a million and more in millions
        (241600, "件", "24.16万", "241,600"),
        (264900, "件", "26.49万", "264,900"),
        (200000, "家", "20万", "200,000"),
        (98000, "家", "98,000", "98,000"),
        (99999, "家", "99,999", "99,999"),
        (100000, "家", "10万", "100,000"),
        (52_000_000, "户", "5,200万", "52 million"),
        (1_250_000, "家", "125万", "1.25 million"),
        (2.3e8, "人", "2.3亿", "230 million"),
        (23800, "户", "23,800", "23,800"),
        # only counts: shares, means and years keep their form
        (0.5, "share", "50.0%", "50.0%"),
        (123456.5, "件/家", "123,456.50", "123,456.50"),
    ],
)
def test_compact_counts_in_sentences(value, unit, zh, en):
    assert format_value(value, unit, "zh", compact=True) == zh
    assert format_value(value, unit, "en", compact=True) == en
    # tables (compact=False, the default) show every digit
    assert format_value(241600, "件", "zh") == "241,600"


def test_compact_counts_with_their_unit_words():
    assert format_with_unit(52_000_000, "户", "zh", compact=True) == "5,200万户"
    assert format_with_unit(241600, "件", "zh", compact=True) == "24.16万件"
    assert format_with_unit(52_000_000, "户", "en", compact=True) == "52 million client firms"
    assert format_with_unit(200000, "家", "en", compact=True) == "200,000 firms"
    # a count given with its printed digits (a check) is written in full
    assert format_with_unit(264000, "件", "zh", compact=True, decimals=0) == "264,000件"


@pytest.mark.parametrize(
    ("value", "unit", "qualifier", "options", "zh", "en"),
    [
        (0.3, "share", "约", {"decimals": 0}, "约30%", "about 30%"),
        (0.6, "share", "超", {"decimals": 0}, "超60%", "over 60%"),
        (3, "倍", "近", {"decimals": 0}, "近3倍", "nearly 3×"),
        (200000, "家", "超", {"compact": True}, "超20万家", "over 200,000 firms"),
        (52_000_000, "户", "超", {"compact": True}, "超5,200万户", "over 52 million client firms"),
        (110, "家", "多", {}, "110多家", "more than 110 firms"),
        (4800, "家", "余", {}, "4,800余家", "more than 4,800 firms"),
        (1100, "个", "多", {}, "1,100多个", "more than 1,100"),  # 个: no English noun of its own
        (3060, "亿元", "约", {"decimals": 0}, "约3,060亿元", "about CNY 306 billion"),
        (3, "年", "左右", {}, "3年左右", "about 3 years"),
        (12000, "家", None, {}, "12,000家", "12,000 firms"),
        (12000, "家", float("nan"), {}, "12,000家", "12,000 firms"),
    ],
)
def test_qualified_figures_keep_the_sources_word(value, unit, qualifier, options, zh, en):
    assert format_qualified(value, unit, qualifier, "zh", **options) == zh
    assert format_qualified(value, unit, qualifier, "en", **options) == en
    assert is_qualified(qualifier) == (isinstance(qualifier, str))


def test_unknown_qualifier_names_the_valid_ones():
    with pytest.raises(KeyError, match=r"unknown qualifier '大约'.*超"):
        format_qualified(1, "家", "大约")


def test_negative_numbers_use_the_minus_sign_in_both_languages():
    for language in ("zh", "en"):
        for unit in ("share", "pp", "家", "件/家", "倍", "亿元"):
            text = format_with_unit(-1.5, unit, language, signed=True)
            assert "-" not in text and text.startswith(MINUS), (unit, language, text)


def test_english_money_never_reads_in_units_of_a_hundred_million():
    """English amounts are CNY in millions, billions or trillions, never the Chinese units
    spelled out ("× 100 m", "(CNY 100 m)"); no label spells them so either
    (tests/test_glossary.py lists them under `avoid`)."""
    for value in (0.238, 1.46, 4046.6, 27200):
        for unit in ("亿元", "万元"):
            shown = format_with_unit(value, unit, "en")
            assert shown.startswith("CNY ") and "100 m" not in shown and "×" not in shown
    assert unit_label("亿元", "en") == "CNY 100 million"  # the unit of statistics.csv's values


def test_a_column_of_means_shares_one_precision():
    """One non-whole mean gives the whole column the unit's two decimals (373.84, 225.60);
    a column of whole means stays whole (183, 152)."""
    citations = pd.Series([373.84, 295.63, 225.6, 234.08])
    assert format_column(citations, "次/家").tolist() == ["373.84", "295.63", "225.60", "234.08"]
    assert format_column(pd.Series([183.0, 152.0]), "件/家").tolist() == ["183", "152"]
    assert format_column(pd.Series([1.57, 1.8, 4.76]), "件/家").tolist() == [
        "1.57",
        "1.80",
        "4.76",
    ]
    assert format_column(pd.Series([113.29, 115.0]), "件/家").tolist() == ["113.29", "115.00"]
