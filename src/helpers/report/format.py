"""Numbers as readers see them: one formatting rule per kind of unit, chosen by the unit string
the data catalogues use (`share`, `家`, `件/家`, `倍`, `亿元`, ...), shared by sentences, tables,
charts and the appendix. The unit's words come from the label files (`units.<key>` in
`labels/units.zh.yml` / `units.en.yml`); grouping follows the locale through Babel (zh_CN /
en_US), which knows each locale's separators so we do not hand-write them.

    format_value(274 / 550, "share")                    -> "49.8%"
    format_value(12950, "家")                            -> "12,950"
    format_value(241600, "件", compact=True)             -> "24.16万"   (en: "241,600")
    format_value(52_000_000, "户", "en", compact=True)   -> "52 million"
    format_with_unit(12950, "家", "en")                  -> "12,950 firms"
    format_with_unit(5.0, "pp", signed=True)             -> "+5.0个百分点"
    format_with_unit(27200, "亿元")                      -> "2.72万亿元"
    format_with_unit(4046.6, "亿元", "en", decimals=1)   -> "CNY 404.66 billion"
    format_with_unit(-0.238, "亿元", "en", decimals=3)   -> "−CNY 23.8 million"
    format_qualified(0.3, "share", "约", decimals=0)     -> "约30%"
    unit_label("件/家", "en")                            -> "patents per firm"

Rules, in the words of the analysts who read the book:
- decimals are fixed per unit, trailing zeros kept (1.80件/家, 1.60倍); per-firm means show no
  decimals only when the value is whole (115件/家); a column of them takes one precision;
- negative numbers carry a true minus sign (−3, −0.7个百分点), changes their sign (+55);
- in sentences (`compact=True`) counts of 10万 and more are written in 万 (24.16万件, 5,200万户)
  and in English a million and more in millions (52 million SMEs, 200,000 firms);
- amounts of money: in Chinese in the unit the source uses, 1万亿 and more in 万亿元
  (2.72万亿元); in English always in CNY with million / billion / trillion (CNY 146 million),
  keeping the digits the figure was given with;
- a figure the source hedges keeps its word (约30%, 超60%, 近3倍; `format_qualified`).

Rounding is half away from zero on the value's shortest decimal form (2.675 -> 2.68, as a
reader rounding the printed number would), never scientific notation, never a negative zero:
rounding noise such as -4.44e-16 is zero. Missing values (None, NaN, pd.NA) show as "–".
"""

from __future__ import annotations

import math
import numbers
import re
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

import pandas as pd
from babel.numbers import format_decimal

from helpers.report.labels import LANGUAGES, label

MISSING = "–"
MINUS = "\u2212"  # the minus sign readers see (−3), not the hyphen of a computer's "-3"
LOCALES = {"zh": "zh_CN", "en": "en_US"}
# Below this a value is rounding noise (1 - 0.3 * 10 / 3 ...), shown and treated as zero.
NOISE = 1e-12
# Counts written in a sentence with a word for their size: at or above each threshold, the
# count in that many (10万 → 10万, 1亿 → 1亿; English 1 million → 1 million), at most
# COMPACT_DECIMALS decimals, trailing zeros trimmed (24.16万, 20万, 5,200万).
COMPACT_SCALES = {
    "zh": [(10**8, 8, "yi"), (10**5, 4, "wan")],
    "en": [(10**12, 12, "trillion"), (10**9, 9, "billion"), (10**6, 6, "million")],
}
COMPACT_DECIMALS = 2
# English amounts of money: CNY in trillions, billions or millions, plain below a million.
MONEY_SCALES_EN = [(12, "trillion"), (9, "billion"), (6, "million")]


@dataclass(frozen=True)
class Kind:
    """How one kind of unit is shown: `decimals` fixed digits; `trim` "all" trims trailing zeros
    (at most `decimals`), "whole" drops the decimals only of a whole value (115 but 1.80);
    `scale` powers of ten applied first (2 for percent), `suffix` glued to the number itself
    ('%'), `grouping` thousands separators; `count` marks counts written in 万 / millions in
    sentences; `yuan` the yuan in one unit of an amount of money (10**8 for 亿元)."""

    decimals: int
    trim: str = ""
    scale: int = 0
    suffix: str = ""
    grouping: bool = True
    # A non-zero value that would round to zero keeps two significant digits (0.000099).
    no_false_zero: bool = False
    count: bool = False
    yuan: int = 0


PERCENT = Kind(decimals=1, scale=2, suffix="%")
POINTS = Kind(decimals=1)
MULTIPLE = Kind(decimals=2, no_false_zero=True)
COUNT = Kind(decimals=0, count=True)
RANK = Kind(decimals=0)
YEAR = Kind(decimals=0, grouping=False)  # durations and calendar years: 2011, not 2,011
MEAN = Kind(decimals=2, trim="whole", no_false_zero=True)
WAN_YUAN = Kind(decimals=2, no_false_zero=True, yuan=10**4)
YI_YUAN = Kind(decimals=2, no_false_zero=True, yuan=10**8)
WAN_YI_YUAN = Kind(decimals=2, no_false_zero=True, yuan=10**12)
SCORE = Kind(decimals=1, trim="all")
NUMBER = Kind(decimals=2, trim="all", no_false_zero=True)  # a figure whose unit is its label's

# Catalogue unit string -> (kind, key of its words under `units:` in the label files).
UNITS: dict[str, tuple[Kind, str]] = {
    "share": (PERCENT, "share"),
    "rate": (PERCENT, "rate"),
    "pp": (POINTS, "pp"),
    "百分点": (POINTS, "pp"),
    "倍": (MULTIPLE, "multiple"),
    "家": (COUNT, "firms"),
    "件": (COUNT, "patents"),
    "次": (COUNT, "times"),
    "个": (COUNT, "units"),
    "人": (COUNT, "people"),
    "笔": (COUNT, "deals"),
    "户": (COUNT, "clients"),
    "项": (COUNT, "items"),
    "批": (COUNT, "batches"),
    "只": (COUNT, "funds"),
    "种": (COUNT, "kinds"),
    "position": (RANK, "position"),
    "名": (RANK, "position"),  # a rank, as the criteria tables write it: 第3名
    "年": (YEAR, "years"),
    "件/家": (MEAN, "patents_per_firm"),
    "次/家": (MEAN, "times_per_firm"),
    "个/家": (MEAN, "units_per_firm"),
    "人/家": (MEAN, "people_per_firm"),
    "件有效发明专利/千人": (MEAN, "invention_density"),
    "万元": (WAN_YUAN, "wan_yuan"),
    "亿元": (YI_YUAN, "yi_yuan"),
    "万亿元": (WAN_YI_YUAN, "wan_yi_yuan"),
    "分": (SCORE, "points"),
    "number": (NUMBER, "number"),
}
# Chinese amounts of 10,000 units and more in the next unit up (27,200亿元 → 2.72万亿元).
NEXT_MONEY_UNIT = {"万元": "亿元", "亿元": "万亿元"}


def _kind(unit: str) -> tuple[Kind, str]:
    try:
        return UNITS[unit]
    except KeyError:
        raise KeyError(f"unknown unit {unit!r} (valid: {', '.join(UNITS)})") from None


def _locale(language: str) -> str:
    if language not in LANGUAGES:
        raise ValueError(f"unknown language {language!r} (valid: {', '.join(LANGUAGES)})")
    return LOCALES[language]


def is_missing(value) -> bool:
    if value is None or value is pd.NA or value is pd.NaT:
        return True
    try:
        return bool(pd.isna(value))
    except (TypeError, ValueError):  # arrays and other non-scalars
        return False


def is_money(unit: str) -> bool:
    """Whether `unit` is an amount of money (万元, 亿元, 万亿元)."""
    return bool(_kind(unit)[0].yuan)


def _decimal(value) -> Decimal | None:
    """The value as an exact Decimal of its shortest decimal form; None when missing."""
    if is_missing(value):
        return None
    if isinstance(value, bool) or not isinstance(value, numbers.Number | Decimal):
        raise TypeError(f"not a number: {value!r} ({type(value).__name__})")
    if isinstance(value, numbers.Integral):
        return Decimal(int(value))
    if isinstance(value, Decimal):
        number = float(value)
        if math.isfinite(number) and abs(number) < NOISE:
            return Decimal(0)
        return value
    number = float(value)  # numpy floats: repr(np.float64(x)) is "np.float64(x)"
    if math.isfinite(number) and abs(number) < NOISE:
        return Decimal(0)
    return Decimal(repr(number))


def _digits(number: Decimal, places: int, trim: str, grouping: bool, locale: str) -> str:
    """`number` (not negative) rounded half up to `places` decimals and written with the
    locale's separators; `trim` as Kind.trim."""
    rounded = number.quantize(Decimal(10) ** -places, rounding=ROUND_HALF_UP)
    if trim == "whole" and rounded == rounded.to_integral_value():
        places = 0
    fraction = ("#" if trim == "all" else "0") * places
    pattern = ("#,##0" if grouping else "0") + ("." + fraction if places else "")
    return format_decimal(rounded, format=pattern, locale=locale)


def _signed(text: str, negative: bool, signed: bool, zero: bool) -> str:
    if zero:
        return text
    if negative:
        return MINUS + text
    return ("+" + text) if signed else text


def _places(kind: Kind, number: Decimal, decimals: int | None) -> tuple[int, str]:
    """The decimals a number of this kind is shown with and how its zeros are trimmed."""
    if decimals is not None:
        if decimals < 0:
            raise ValueError(f"decimals must be >= 0, not {decimals}")
        return decimals, ""
    places, trim = kind.decimals, kind.trim
    if kind is PERCENT and 0 < abs(number) < Decimal("0.1"):
        places = 2  # shares under 0.1%: 0.01%, not 0.0%
    elif kind.no_false_zero and number != 0 and abs(number) < Decimal(10) ** -places / 2:
        # at most two significant digits rather than a false 0.00 (9.91e-05 -> 0.000099)
        places, trim = -number.adjusted() + 1, "all"
    return places, trim


def _compact(number: Decimal, language: str) -> tuple[Decimal, str] | None:
    """A count in its size word (241,600 → 24.16 and 'wan'), or None below the first size."""
    for threshold, power, word in COMPACT_SCALES[language]:
        if abs(number) >= threshold:
            return number.scaleb(-power), word
    return None


def format_value(
    value,
    unit: str,
    language: str = "zh",
    *,
    signed: bool = False,
    decimals: int | None = None,
    compact: bool = False,
) -> str:
    """The number alone as a reader sees it, by the kind of `unit`: share/rate '49.8%' (a
    non-zero share under 0.1% keeps two decimals: '0.01%'), pp '5.0', 倍 '1.60', counts
    '12,950', per-firm means and densities two decimals unless whole ('2.67', '2.50', '115'),
    万元/亿元 '1.46', 分 at most one decimal. `signed` puts '+' before positive values (negative
    ones always have '−'); `decimals` overrides the kind's digits (fixed, not trimmed);
    `compact` (sentences) writes counts of 10万 and more in 万 (English: a million and more in
    millions) unless `decimals` is given. In English an amount of money is always written in
    CNY with its size ('CNY 146 million'). Missing -> '–'."""
    kind, _ = _kind(unit)
    locale = _locale(language)
    number = _decimal(value)
    if number is None:
        return MISSING
    if not number.is_finite():
        return (MINUS if number < 0 else "+" if signed else "") + "∞"
    if kind.yuan and language == "en":
        return _money_en(number, kind, decimals, signed, locale)
    number = number.scaleb(kind.scale)
    size = _compact(number, language) if compact and kind.count and decimals is None else None
    if size is not None:
        scaled, word = size
        text = _digits(abs(scaled), COMPACT_DECIMALS, "all", True, locale)
        text = label(f"scales.{word}", language, value=text)
        return _signed(text, scaled < 0, signed, zero=False)
    places, trim = _places(kind, number, decimals)
    rounded = number.quantize(Decimal(10) ** -places, rounding=ROUND_HALF_UP)
    text = _digits(abs(number), places, trim, kind.grouping, locale)
    return _signed(text, rounded < 0, signed, zero=rounded == 0) + kind.suffix


def _money_digits(number: Decimal, kind: Kind, decimals: int | None, power: int, locale) -> str:
    """The digits of an amount in units of 10**power yuan, as many as the figure was given
    with (`decimals` in its own unit, else the unit's), trailing zeros of the conversion
    trimmed: 4,046.6亿元 at 10**9 → 404.66, 1.46亿元 at 10**6 → 146."""
    places = decimals if decimals is not None else _places(kind, number, None)[0]
    given = Decimal(kind.yuan).scaleb(-places)  # the smallest step the figure was given in
    # at most two decimals of the size it is written in, as analysts write it (1.04 trillion)
    digits = min(max(0, power - given.adjusted()), COMPACT_DECIMALS)
    return _digits(abs(number * kind.yuan).scaleb(-power), digits, "all", True, locale)


def _money_en(number: Decimal, kind: Kind, decimals: int | None, signed: bool, locale) -> str:
    """An amount in 万元/亿元/万亿元 as English readers write it: CNY, in trillions, billions or
    millions from a million up, with the digits the figure was given with, trailing zeros of
    the conversion trimmed: 4,046.6亿元 → CNY 404.66 billion, 1.46亿元 → CNY 146 million,
    500万元 → CNY 5 million, 50万元 → CNY 500,000."""
    yuan = number * kind.yuan
    power, word = next(
        ((p, w) for p, w in MONEY_SCALES_EN if abs(yuan) >= Decimal(10) ** p), (0, "")
    )
    text = _money_digits(number, kind, decimals, power, locale)
    if word:
        text = label(f"scales.{word}", "en", value=text)
    zero = set(text) <= set("0.,")
    return _signed(label("units.money_en", "en", value=text), yuan < 0, signed, zero=zero)


@dataclass(frozen=True)
class MoneyAxis:
    """The unit a chart draws amounts of money in: `factor` turns a value of the data's unit
    into the axis's, `words` name it (亿元; CNY billion), `power` its yuan (10**power)."""

    unit: str
    factor: float
    words: str
    power: int

    def digits(self, value, language: str = "zh", decimals: int | None = None) -> str:
        """A value of the data's unit as the axis counts it ('1.70' 亿元; '170' CNY million)."""
        kind, _ = _kind(self.unit)
        number = _decimal(value)
        if number is None:
            return MISSING
        if language == "zh":
            return format_value(value, self.unit, language, decimals=decimals)
        text = _money_digits(number, kind, decimals, self.power, _locale(language))
        return _signed(text, number < 0, False, zero=set(text) <= set("0.,"))


def money_axis(values, unit: str, language: str = "zh") -> MoneyAxis:
    """The axis of a chart of amounts in `unit` (万元, 亿元): in Chinese the unit itself; in
    English CNY in millions, billions or trillions, by the largest value."""
    kind, _ = _kind(unit)
    if not kind.yuan:
        raise ValueError(f"money_axis: {unit!r} is not an amount of money")
    if language == "zh":
        return MoneyAxis(unit, 1.0, unit_label(unit, language), round(math.log10(kind.yuan)))
    largest = max((abs(float(v)) for v in values if not is_missing(v)), default=0.0) * kind.yuan
    power, word = next(((p, w) for p, w in MONEY_SCALES_EN if largest >= 10**p), (6, "million"))
    words = label(f"units.money_axis.{word}", language)
    return MoneyAxis(unit, kind.yuan / 10**power, words, power)


def format_with_unit(value, unit: str, language: str = "zh", **kwargs) -> str:
    """The number with its unit's words from the label files: '12,950家' / '12,950 firms',
    '1.60倍' / '1.60×', '5.0个百分点' / '5.0 pp'; Chinese amounts of 10,000 units and more in
    the next unit up (27,200亿元 → 2.72万亿元). Keyword arguments as format_value."""
    kind, key = _kind(unit)
    number = _decimal(value)
    if language == "zh" and unit in NEXT_MONEY_UNIT and number is not None and number.is_finite():
        places = kwargs.get("decimals")
        if abs(number) >= 10**4:
            # in the unit above with at most two decimals, as analysts write it: 27,200 → 2.72,
            # 28,700 → 2.87, 10,386 → 1.04, 108,000 → 10.8
            places = (places if places is not None else _places(kind, number, None)[0]) + 4
            places = min(places, COMPACT_DECIMALS)
            bigger = number.scaleb(-4)
            text = format_value(
                bigger, NEXT_MONEY_UNIT[unit], language, **{**kwargs, "decimals": places}
            )
            text = _trim_fraction(text)
            return label(f"units.{UNITS[NEXT_MONEY_UNIT[unit]][1]}.other", language, value=text)
    text = format_value(value, unit, language, **kwargs)
    if text == MISSING:
        return text
    form = "one" if text.lstrip("+" + MINUS) == "1" else "other"
    return label(f"units.{key}.{form}", language, value=text)


def _trim_fraction(text: str) -> str:
    """'2.7200' → '2.72', '3.0000' → '3' (zeros a change of unit added, not the source)."""
    if "." not in text:
        return text
    return text.rstrip("0").rstrip(".")


QUALIFIER_KEYS = {
    "超": "over",
    "突破": "over",
    "近": "nearly",
    "多": "more_than",
    "余": "more_than_yu",
    "约": "about",
    "成": "about",
    "左右": "around",
    "以上": "or_more",
    "不足": "under",
}
# Chinese hedge words written between the number and its unit word (110多家, 4800余家).
BETWEEN_NUMBER_AND_UNIT = {"more_than", "more_than_yu"}


def _qualifier_key(qualifier) -> str | None:
    if is_missing(qualifier) or not str(qualifier).strip():
        return None
    try:
        return QUALIFIER_KEYS[str(qualifier).strip()]
    except KeyError:
        raise KeyError(
            f"unknown qualifier {qualifier!r} (valid: {', '.join(QUALIFIER_KEYS)})"
        ) from None


def is_qualified(qualifier) -> bool:
    """Whether the source printed a figure with a hedge word (约, 超, 近 …): such a figure is
    never drawn or tabled as an exact value."""
    return _qualifier_key(qualifier) is not None


# The hedge word of a printed phrase: before its number (约1.1倍, 近3倍, 超过5200万户) or after it
# (110多家, 4800余家, 3年左右).
_HEDGE_BEFORE = re.compile(r"(超过|超|近|约|突破|不足)[\d.,]")
_HEDGE_AFTER = re.compile(r"\d(多|余)|\d[^\d，。；、]{0,2}(左右|以上)")


def printed_qualifier(text) -> str | None:
    """The hedge word a source's own phrase puts on its figure ('是北交所上市企业的近3倍' → 近,
    '约1.1倍' → 约, '110多家' → 多), or None when it prints the figure plainly."""
    if is_missing(text):
        return None
    text = str(text)
    before = _HEDGE_BEFORE.search(text)
    if before:
        return "超" if before.group(1) == "超过" else before.group(1)
    after = _HEDGE_AFTER.search(text)
    if after:
        return after.group(1) or after.group(2)
    return None


def qualified(text: str, qualifier, language: str = "zh") -> str:
    """A figure already written (with or without its unit) with the hedge word the source
    printed it with: 超 → 超20万家 / over 200,000 firms, 约 → 约30% / about 30%, 近 → 近3倍 /
    nearly 3×; no qualifier → the text unchanged."""
    key = _qualifier_key(qualifier)
    if key is None:
        return text
    return label(f"qualifiers.{key}", language, value=text)


def format_qualified(value, unit: str, qualifier=None, language: str = "zh", **kwargs) -> str:
    """format_with_unit with the source's hedge word (see `qualified`): 约30%, 超20万家,
    1,100多个, about CNY 306 billion, nearly 3×. Keyword arguments as format_value."""
    whole = format_with_unit(value, unit, language, **kwargs)
    key = _qualifier_key(qualifier)
    if language == "zh" and key in BETWEEN_NUMBER_AND_UNIT:
        number = format_value(value, unit, language, **kwargs)
        if whole.startswith(number):
            return qualified(number, qualifier, language) + whole[len(number) :]
    return qualified(whole, qualifier, language)


def unit_label(unit: str, language: str = "zh") -> str:
    """The unit's words alone, for table headers and statistics.csv: '家' / 'firms'."""
    _, key = _kind(unit)
    _locale(language)
    return label(f"units.{key}.name", language)


def format_column(values: pd.Series, unit: str, language: str = "zh", **kwargs) -> pd.Series:
    """format_value for every value of a Series (same index, strings), as a table shows them:
    one precision for the column (a column of means with one non-whole value shows every value
    with the unit's decimals: 373.84, 225.60), and, in English, money in CNY with its size."""
    kind, _ = _kind(unit)
    _locale(language)
    if kind.trim == "whole" and kwargs.get("decimals") is None:
        numbers_ = [_decimal(v) for v in values]
        rounded = [
            n.quantize(Decimal(10) ** -kind.decimals, rounding=ROUND_HALF_UP)
            for n in numbers_
            if n is not None and n.is_finite()
        ]
        if any(r != r.to_integral_value() for r in rounded):
            kwargs = {**kwargs, "decimals": kind.decimals}
    return pd.Series(
        [format_value(v, unit, language, **kwargs) for v in values],
        index=values.index,
        name=values.name,
        dtype=object,
    )
