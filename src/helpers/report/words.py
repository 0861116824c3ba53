"""Words chosen by the data: comparisons (高于/低于), qualifiers (近九成, 不足一成), the largest
of a group, lists in the edition's punctuation, numerals (五批 / five batches), batch names
(第六批 / Batch 6) and dates. A sentence built from these stays true when the data changes; the
words themselves live in the label files under `words:` (a batch's under `batches:`)."""

from __future__ import annotations

import itertools
import math
import re
from collections.abc import Sequence

from helpers.data.batches import chinese_number, chinese_numeral
from helpers.report.labels import batch_name, label  # noqa: F401 (batch_name: one of the words)

# A qualifier within this distance of a whole tenth reads "about" (约八成 / about 80%).
ABOUT_TENTH = 0.005


def compare_kind(a: float, b: float, *, tolerance: float = 0.0) -> str:
    """'higher', 'lower' or 'level' (within `tolerance`, absolute) for a against b."""
    if math.isnan(a) or math.isnan(b):
        raise ValueError(f"compare: cannot compare {a} with {b}")
    if abs(a - b) <= tolerance:
        return "level"
    return "higher" if a > b else "lower"


def compare(a: float, b: float, language: str = "zh", *, tolerance: float = 0.0) -> str:
    """'高于' / '低于' / '等于' (higher than / lower than / equal to) for a against b."""
    return label(f"words.{compare_kind(a, b, tolerance=tolerance)}", language)


def relation_kind(ratio: float, *, level_within: float = 0.1) -> str:
    """How a ratio a/b reads: 'on_par' within ±level_within of 1, else 'higher' / 'lower'."""
    if abs(ratio - 1) <= level_within:
        return "on_par"
    return "higher" if ratio > 1 else "lower"


def direction(start: float, end: float, language: str = "zh") -> str:
    """'增至' / '降至' / '保持为' (rose to / fell to / stayed at) from start to end."""
    kind = "stayed" if end == start else ("rose_to" if end > start else "fell_to")
    return label(f"words.{kind}", language)


def decreasing(values) -> bool:
    """Whether a sequence never rises (each value at most the one before)."""
    values = list(values)
    return all(b <= a for a, b in itertools.pairwise(values))


def tenths(share: float, language: str = "zh") -> str:
    """A share as the report's qualifier: 0.873 → 近九成, 0.069 → 不足一成, 0.52 → 超过五成,
    0.801 → 约八成, 0.96 → 超过九成 (nearly 90% / less than 10% / over 50% / about 80%)."""
    if not 0 <= share <= 1:
        raise ValueError(f"tenths: a share between 0 and 1 is needed, got {share}")
    tenths_, rest = divmod(share * 10, 1)
    tenths_ = int(tenths_)
    if rest > 1 - ABOUT_TENTH * 10:  # just below a whole tenth: about that tenth
        tenths_, rest = tenths_ + 1, 0.0
    if tenths_ == 0:
        return label("words.tenths.under_one", language)
    if rest < ABOUT_TENTH * 10:
        kind, n = "about", tenths_
    elif rest > 0.5 and tenths_ < 9:
        kind, n = "nearly", tenths_ + 1
    else:
        kind, n = "over", tenths_
    return label(f"words.tenths.{kind}", language, n=numeral(n, language), percent=f"{n * 10}%")


def numeral(n: int, language: str = "zh") -> str:
    """A small whole number in words: 5 → 五 / five (0–10), otherwise digits."""
    names = label("words.numerals", language).split()
    return names[n] if 0 <= n < len(names) else str(n)


def batch_count(n: int, language: str = "zh") -> str:
    """How many batches, for titles and sentences: 6 → 六 (六批) / six (six batches)."""
    return numeral(n, language) if n <= 10 or language != "zh" else chinese_numeral(n)


def outline_number(text: str) -> str:
    """A regulation's outline number in digits: 二（一）1 → 2(1)1, 十二（三）4 → 12(3)4."""
    match = re.fullmatch(r"([一二三四五六七八九十]+)（([一二三四五六七八九十]+)）(\d+)", text)
    if match is None:
        raise ValueError(f"not an outline number like 二（一）1: {text!r}")
    part, clause, item = match.groups()
    return f"{chinese_number(part)}({chinese_number(clause)}){item}"


def join(items: Sequence[str], language: str = "zh") -> str:
    """A list in the edition's punctuation: 甲、乙和丙 / A, B and C."""
    items = [str(i) for i in items]
    if len(items) <= 1:
        return "".join(items)
    separator, last = label("words.list_separator", language), label("words.list_and", language)
    return separator.join(items[:-1]) + last + items[-1]


def mid_sentence(name: str, language: str = "zh") -> str:
    """A name as it reads inside an English sentence: a capitalised first word is lowercased
    ('to be reviewed: a leading market share …'); acronyms (R&D, MIIT, IP) keep their case."""
    if language != "en" or not name:
        return name
    first = name.split(" ", 1)[0]
    if first[0].isupper() and (len(first) == 1 or first[1:].islower()):
        return name[0].lower() + name[1:]
    return name


def capitalised(text: str, language: str = "zh") -> str:
    """A name as an English table cell starts it ('Innovation', 'Firm A')."""
    return text[:1].upper() + text[1:] if language == "en" else text


def format_date(iso: str, language: str = "zh") -> str:
    """A date for readers: 2023-07-31 → 2023年7月31日 / 31 July 2023 (Babel)."""
    from datetime import date

    from babel.dates import format_date as babel_date

    day = date.fromisoformat(str(iso))
    if language == "zh":
        return f"{day.year}年{day.month}月{day.day}日"
    return babel_date(day, format="d MMMM y", locale="en_GB")


def slug(english: str) -> str:
    """An ASCII identifier from an English name, for statistics keys: 'STAR Market' →
    'star_market', '≥100' → 'ge_100', '1–9' → '1_9'. Raises when the name is not ASCII (a
    category without an English name in the label files)."""
    import re

    text = english.replace("≥", "ge ").replace(">", "gt ").replace("＞", "gt ").replace("&", "and")
    text = re.sub(r"[^0-9A-Za-z]+", "_", text).strip("_").lower()
    if not text or not text.isascii():
        raise ValueError(f"slug: {english!r} has no ASCII form; add its English name to `names:`")
    return text
