"""Numbers as readers see them: one rule per kind of unit, expectations computed by hand."""

import math

import numpy as np
import pandas as pd
import pytest

from helpers.report.format import (
    UNITS,
    format_column,
    format_value,
    format_with_unit,
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
    (-0.0004, "share", {}, "-0.04%"),
    (0.0, "share", {}, "0.0%"),
    (1.0, "share", {}, "100.0%"),
    (0.156, "rate", {}, "15.6%"),
    (0.30, "rate", {"signed": True}, "+30.0%"),
    (np.float64(0.5), "rate", {}, "50.0%"),
    (0.12345, "share", {"decimals": 2}, "12.35%"),  # 12.345 half up
    # percentage points: one decimal, a sign on request
    (5.0, "pp", {}, "5.0"),
    (5.0, "pp", {"signed": True}, "+5.0"),
    (-3.14, "pp", {"signed": True}, "-3.1"),
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
    (-29, "家", {"signed": True}, "-29"),
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
    # per-firm means and densities: at most two decimals, trailing zeros trimmed
    (2.6667, "件/家", {}, "2.67"),
    (2.5, "次/家", {}, "2.5"),
    (21.0, "个/家", {}, "21"),
    (1462.345, "件/家", {}, "1,462.35"),
    (0.004, "件/家", {}, "0.004"),  # not a false 0
    (35.123, "件有效发明专利/千人", {}, "35.12"),
    (21.0, "件/家", {"decimals": 1}, "21.0"),  # decimals= fixes the digits
    # money: two decimals
    (4046.6 / 2768, "亿元", {}, "1.46"),
    (4046.6, "亿元", {}, "4,046.60"),
    (1000, "万元", {}, "1,000.00"),
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
        (1.46, "亿元", {}, "1.46亿元", "CNY 1.46 × 100 m"),
        (4046.6, "亿元", {}, "4,046.60亿元", "CNY 4,046.60 × 100 m"),
        (-0.238, "亿元", {"signed": True, "decimals": 3}, "-0.238亿元", "CNY -0.238 × 100 m"),
        (600, "万元", {}, "600.00万元", "CNY 600.00 × 10,000"),
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


def test_amounts_in_yuan_read_cny_in_english_headers_axes_and_sentences():
    """亿元 / 万元 read "CNY 100 m" / "CNY 10,000" in every English label: the unit's name (a
    table header, statistics.csv), an axis or column title, a number with its unit."""
    from helpers.report.labels import LABELS_DIR, label

    assert unit_label("亿元", "en") == "CNY 100 m"
    assert unit_label("万元", "en") == "CNY 10,000"
    assert (unit_label("亿元", "zh"), unit_label("万元", "zh")) == ("亿元", "万元")
    assert label("columns.amount", "en") == "Amount (CNY 100 m)"
    assert label("ch04.fig_financing_provinces.axis", "en") == "Amount (CNY 100 m)"
    assert label("columns.lower_wan", "en") == "Lower bound (CNY 10,000)"
    # A figure the source qualifies ("about 4,046.6") takes the unit after it, not "CNY about".
    assert "raised {amount} (CNY 100 m) in" in label("ch04.fig_financing.reading", "en")
    assert (
        label("ch05.value_with_unit.亿元", "en", value="about 3,060") == "about 3,060 (CNY 100 m)"
    )
    # No English label's text spells the money unit another way ("100 million yuan", RMB, 元).
    import yaml

    def texts(node):
        if isinstance(node, dict):
            for value in node.values():
                yield from texts(value)
        else:
            yield str(node)

    for path in sorted(LABELS_DIR.glob("*.en.yml")):
        found = [
            text
            for text in texts(yaml.safe_load(path.read_text(encoding="utf-8")))
            if any(word in text for word in ("yuan", "RMB", "元"))
        ]
        assert found == [], path.name


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
    assert format_column(pd.Series([5.0, -2.0]), "pp", signed=True).tolist() == ["+5.0", "-2.0"]
