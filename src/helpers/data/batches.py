"""Batch names as the data writes them. MIIT numbers its 小巨人 announcement lists, and every
table names a batch by its number in Chinese numerals (第一批, 第六批, 第十二批), so a name comes
from a number, and a number from a name, for any batch: a new batch needs no new word.
Readers' words for a batch (第六批 / Batch 6) are helpers.report.words.batch_name."""

from __future__ import annotations

import re

DIGITS = "零一二三四五六七八九"
# The largest number the names are written for (MIIT announces about one batch a year).
LARGEST = 99
# Catalogue rule for a `batch` column (data/published/catalog_*.yml `pattern:`).
NAME_PATTERN = r"^第[一二三四五六七八九十]+批$"


def chinese_numeral(n: int) -> str:
    """1 … 99 in Chinese numerals: 6 → 六, 10 → 十, 12 → 十二, 20 → 二十, 23 → 二十三."""
    if not 1 <= int(n) <= LARGEST:
        raise ValueError(f"chinese_numeral: a whole number from 1 to {LARGEST} is needed, got {n}")
    tens, ones = divmod(int(n), 10)
    if tens == 0:
        return DIGITS[ones]
    return ("" if tens == 1 else DIGITS[tens]) + "十" + (DIGITS[ones] if ones else "")


def chinese_number(text: str) -> int:
    """The inverse of chinese_numeral: 一 … 九十九 as an integer (十二 → 12, 二十 → 20)."""
    if not text or any(c not in DIGITS + "十" for c in text) or text.count("十") > 1:
        raise ValueError(f"not a Chinese numeral from 一 to 九十九: {text!r}")
    if "十" not in text:
        if len(text) != 1:
            raise ValueError(f"not a Chinese numeral from 一 to 九十九: {text!r}")
        return DIGITS.index(text)
    tens, _, ones = text.partition("十")
    if len(tens) > 1 or len(ones) > 1:
        raise ValueError(f"not a Chinese numeral from 一 to 九十九: {text!r}")
    return (DIGITS.index(tens) if tens else 1) * 10 + (DIGITS.index(ones) if ones else 0)


def batch_name(n: int) -> str:
    """The data's name of batch n: 1 → 第一批, 6 → 第六批, 11 → 第十一批."""
    return f"第{chinese_numeral(n)}批"


def batch_number(name: str) -> int | None:
    """The number of a batch name (第六批 → 6); None for anything else (全部, 小巨人)."""
    match = re.fullmatch(r"第([一二三四五六七八九十]+)批", str(name))
    if match is None:
        return None
    try:
        return chinese_number(match.group(1))
    except ValueError:
        return None
