import pandas as pd
import pytest

from helpers.stats.reconcile import reconcile, stated_decimals, status


@pytest.mark.parametrize(("value", "decimals"), [(0.498, 3), (12950, 0), (0.4, 1), (234.08, 2)])
def test_stated_decimals(value, decimals):
    assert stated_decimals(value) == decimals


@pytest.mark.parametrize(
    ("stated", "recomputed", "decimals", "expected"),
    [
        (0.498, 274 / 550, None, "rounding"),  # 0.49818 rounds to 0.498
        (0.126, 1543 / 12192, None, "mismatch"),  # 0.12656 rounds to 0.127, not 0.126
        (12950, 12950, None, "ok"),
        (0.73, 8898 / 12192, 3, "rounding"),  # printed 73.0%: 0.72982 -> 0.730
        (0.73, 0.7304, 3, "rounding"),
        (0.73, 0.7306, 3, "mismatch"),
    ],
)
def test_status(stated, recomputed, decimals, expected):
    assert status(stated, recomputed, decimals) == expected


def test_reconcile_puts_mismatches_first():
    items = pd.DataFrame(
        {
            "source": ["s", "s", "s"],
            "item": ["a", "b", "c"],
            "stated": [1.0, 0.126, 0.498],
            "recomputed": [1.0, 1543 / 12192, 274 / 550],
        }
    )
    table = reconcile(items)
    assert table["item"].tolist() == ["b", "c", "a"]
    assert table["status"].tolist() == ["mismatch", "rounding", "ok"]
    assert table.loc[0, "difference"] == pytest.approx(1543 / 12192 - 0.126)


class Edition:
    """The two formatting calls of a Chapter that the appendix uses, without loading data."""

    def __init__(self, language="zh"):
        self.language = language

    def fmtu(self, value, unit, **options):
        from helpers.report.format import format_with_unit

        return format_with_unit(value, unit, self.language, **options)


@pytest.mark.parametrize(
    ("stated", "recomputed", "unit", "decimals", "expected"),
    [
        # printed 58.67% (decimals 4): 2846 / 4851 = 0.586683 -> one digit more, points
        (0.5867, 2846 / 4851, "share", 4, ("58.67%", "58.668%", "−0.002个百分点")),
        # printed 76.6%: 0.76556 -> 76.56%, -0.044 pp
        (0.766, 0.76556, "share", 3, ("76.6%", "76.56%", "−0.04个百分点")),
        # 亿元 printed 1.7: 4046.6 / 2768 = 1.46192
        (1.7, 4046.6 / 2768, "亿元", 1, ("1.70亿元", "1.462亿元", "−0.238亿元")),
        # counts stay whole, with separators
        (264000, 264900, "件", -2, ("264,000件", "264,900件", "+900件")),
        (1.5, 373.84 / 234.08, "倍", None, ("1.50倍", "1.597倍", "+0.097倍")),
    ],
)
def test_appendix_values_carry_their_units(stated, recomputed, unit, decimals, expected):
    from helpers.report.appendix import shown_values

    assert shown_values(Edition(), stated, recomputed, unit, decimals) == expected


def test_appendix_values_in_english():
    from helpers.report.appendix import shown_values

    assert shown_values(Edition("en"), 0.126, 1543 / 12192, "share", None) == (
        "12.6%",
        "12.66%",
        "+0.06 pp",
    )
    # English money in CNY with its size, a negative difference with its minus sign first
    assert shown_values(Edition("en"), 1.7, 4046.6 / 2768, "亿元", 1) == (
        "CNY 170 million",
        "CNY 146.2 million",
        "−CNY 23.8 million",
    )
    # a figure whose unit its item names (no unit): the number alone
    assert shown_values(Edition("en"), 0.45, 0.45, None, 2) == ("0.45", "0.450", "0.000")


def test_checked_puts_mismatches_first_and_keeps_raw_numbers():
    from helpers.report.appendix import RAW_COLUMNS, checked

    items = pd.DataFrame(
        {
            "source": ["001 图表1.4", "000 专利", "001 图表1.5"],
            "item": ["a", "b", "c"],
            "stated": [0.498, 264000.0, 0.126],
            "recomputed": [274 / 550, 264900.0, 1543 / 12192],
            "decimals": [None, -2, None],
            "unit": ["share", "件", "share"],
            "document": ["001", "000", "001"],
        }
    )
    table = checked(items)
    assert list(table.columns) == RAW_COLUMNS
    assert table["status"].tolist() == ["mismatch", "mismatch", "rounding"]
    assert table["item"].tolist() == ["b", "c", "a"]
    assert table.loc[0, "difference"] == 900.0  # raw, unformatted


def test_appendix_means_keep_the_printed_digits():
    from helpers.report.appendix import shown_values

    # 件/家 printed 183 (a mean, shown with at most two decimals): not 183.00
    assert shown_values(Edition(), 183.0, 183.09, "件/家", None) == (
        "183件/家",
        "183.1件/家",
        "+0.1件/家",
    )


@pytest.mark.parametrize(
    ("text", "bound"),
    [
        ("CNY 170 million", "CNY\u00a0170\u00a0million"),
        ("19.3 patents per firm", "19.3\u00a0patents per firm"),
        ("−CNY 23.8 million", "−CNY\u00a023.8\u00a0million"),
        ("+0.097×", "+0.097×"),
        ("1.70亿元", "1.70亿元"),
    ],
)
def test_a_figure_in_a_reconciliation_cell_keeps_its_number_with_its_unit(text, bound):
    from helpers.report.appendix import bound_figure

    assert bound_figure(text) == bound
