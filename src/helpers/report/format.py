"""Numbers as readers see them: one formatting rule per kind of unit, chosen by the unit string
the data catalogues use (`share`, `家`, `件/家`, `倍`, ...). The unit's words come from the label
files (`units.<key>` in `labels/units.zh.yml` / `units.en.yml`); grouping follows the locale
through Babel (zh_CN / en_US).

    format_value(274 / 550, "share")            -> "49.8%"
    format_value(12950, "家")                    -> "12,950"
    format_with_unit(12950, "家", "en")          -> "12,950 firms"
    format_with_unit(5.0, "pp", signed=True)     -> "+5.0个百分点"
    unit_label("件/家", "en")                    -> "patents per firm"

Rounding is half away from zero on the value's shortest decimal form (2.675 -> 2.68, as a
reader rounding the printed number would), never scientific notation, never a negative zero:
rounding noise such as -4.44e-16 is zero. Missing values (None, NaN, pd.NA) show as "–".
"""

from __future__ import annotations

import math
import numbers
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

import pandas as pd
from babel.numbers import format_decimal

from helpers.report.labels import LANGUAGES, label

MISSING = "–"
LOCALES = {"zh": "zh_CN", "en": "en_US"}
# Below this a value is rounding noise (1 - 0.3 * 10 / 3 ...), shown and treated as zero.
NOISE = 1e-12


@dataclass(frozen=True)
class Kind:
    """How one kind of unit is shown: `decimals` fixed digits (or at most `decimals` with
    trailing zeros trimmed when `trim`), `scale` powers of ten applied first (2 for percent),
    `suffix` glued to the number itself ('%'), `grouping` thousands separators."""

    decimals: int
    trim: bool = False
    scale: int = 0
    suffix: str = ""
    grouping: bool = True
    # A non-zero value that would round to zero keeps two significant digits (0.000099).
    no_false_zero: bool = False


PERCENT = Kind(decimals=1, scale=2, suffix="%")
POINTS = Kind(decimals=1)
MULTIPLE = Kind(decimals=2, no_false_zero=True)
COUNT = Kind(decimals=0)
YEAR = Kind(decimals=0, grouping=False)  # durations and calendar years: 2011, not 2,011
MEAN = Kind(decimals=2, trim=True, no_false_zero=True)
MONEY = Kind(decimals=2, no_false_zero=True)
SCORE = Kind(decimals=1, trim=True)

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
    "position": (COUNT, "position"),
    "名": (COUNT, "position"),  # a rank, as the criteria tables write it: 第3名
    "年": (YEAR, "years"),
    "件/家": (MEAN, "patents_per_firm"),
    "次/家": (MEAN, "times_per_firm"),
    "个/家": (MEAN, "units_per_firm"),
    "件有效发明专利/千人": (MEAN, "invention_density"),
    "万元": (MONEY, "wan_yuan"),
    "亿元": (MONEY, "yi_yuan"),
    "分": (SCORE, "points"),
}


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


def format_value(
    value, unit: str, language: str = "zh", *, signed: bool = False, decimals: int | None = None
) -> str:
    """The number alone as a reader sees it, by the kind of `unit`: share/rate '49.8%' (a
    non-zero share under 0.1% keeps two decimals: '0.01%'), pp '5.0', 倍 '1.60', counts
    '12,950', per-firm means and densities at most two decimals ('2.67', '2.5'), 万元/亿元
    '1.46', 分 at most one decimal. `signed` puts '+' before positive values; `decimals`
    overrides the kind's digits (fixed, not trimmed). Missing -> '–'."""
    kind, _ = _kind(unit)
    locale = _locale(language)
    number = _decimal(value)
    if number is None:
        return MISSING
    if not number.is_finite():
        return ("-" if number < 0 else "+" if signed else "") + "∞"
    number = number.scaleb(kind.scale)
    if decimals is not None:
        if decimals < 0:
            raise ValueError(f"decimals must be >= 0, not {decimals}")
        places, trim = decimals, False
    else:
        places, trim = kind.decimals, kind.trim
        if kind is PERCENT and 0 < abs(number) < Decimal("0.1"):
            places = 2  # shares under 0.1%: 0.01%, not 0.0%
        elif kind.no_false_zero and number != 0 and abs(number) < Decimal(10) ** -places / 2:
            # two significant digits rather than a false 0.00 (9.91e-05 -> 0.000099)
            places = -number.adjusted() + 1
    rounded = number.quantize(Decimal(10) ** -places, rounding=ROUND_HALF_UP)
    if rounded == 0:
        rounded = abs(rounded)  # never "-0.0"
    fraction = ("#" if trim else "0") * places
    pattern = ("#,##0" if kind.grouping else "0") + ("." + fraction if places else "")
    text = format_decimal(rounded, format=pattern, locale=locale)
    if signed and rounded > 0:
        text = "+" + text
    return text + kind.suffix


def format_with_unit(value, unit: str, language: str = "zh", **kwargs) -> str:
    """The number with its unit's words from the label files: '12,950家' / '12,950 firms',
    '1.60倍' / '1.60×', '5.0个百分点' / '5.0 pp'. Keyword arguments as format_value."""
    _, key = _kind(unit)
    text = format_value(value, unit, language, **kwargs)
    if text == MISSING:
        return text
    form = "one" if text.lstrip("+") == "1" else "other"
    return label(f"units.{key}.{form}", language, value=text)


def unit_label(unit: str, language: str = "zh") -> str:
    """The unit's words alone, for table headers and statistics.csv: '家' / 'firms'."""
    _, key = _kind(unit)
    _locale(language)
    return label(f"units.{key}.name", language)


def format_column(values: pd.Series, unit: str, language: str = "zh", **kwargs) -> pd.Series:
    """format_value for every value of a Series (same index, strings)."""
    _kind(unit)
    _locale(language)
    return pd.Series(
        [format_value(v, unit, language, **kwargs) for v in values],
        index=values.index,
        name=values.name,
        dtype=object,
    )


def format_number(value: float, signed: bool = False) -> str:
    """A number without a unit: thousands separators for large values, four significant
    digits otherwise, never scientific notation (264,900 / 1.462 / 0.0005584); rounding noise
    (|x| < 1e-9) is 0."""
    if pd.isna(value):
        return "–"
    value = 0.0 if abs(value) < 1e-9 else float(value)
    sign = "+" if signed else ""
    if abs(value) >= 1000:
        return f"{value:{sign},.0f}"
    text = f"{value:{sign}.4g}"
    if "e" in text:  # below 1e-4: fixed notation with four significant digits
        places = -math.floor(math.log10(abs(value))) + 3
        text = f"{value:{sign}.{places}f}".rstrip("0")
    return text
