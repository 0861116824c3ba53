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
