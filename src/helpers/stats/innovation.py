"""Innovation-capability statistics of chapter 02 (科创力): growth rates, patent density, invention
share, grant rate, PCT share, multiples, per-firm averages and the PCT / overseas-market binnings
(PatSnap 2023 report, 图表2.2–2.10).

One module (a little over 400 lines) because every metric shares the validation conventions
below and their helpers; splitting it would split those.

Conventions shared by every function:

* Fractions are fractions (0.454 = 45.4%); a percentage or "2.6X" is only a display format.
* Scalars in → float out. A pandas Series in → float Series out, same index, named after the
  function. Two Series must have identical indexes: nothing is aligned silently.
* A scalar must be a finite real number: TypeError for a non-number (bools included), ValueError
  for NaN or ±inf.
* Inside a Series, NaN means "missing" and gives NaN in the result (except in `bin_counts`, where
  every firm must be counted); ±inf, booleans and non-numbers raise ValueError naming the index
  labels (or positions, for lists and arrays).
* Counts and numerators must be >= 0 and denominators > 0; the ValueError names the argument.
"""

from __future__ import annotations

import itertools
import math
import numbers
from collections.abc import Mapping, Sequence
from typing import NamedTuple

import numpy as np
import pandas as pd

_SHOWN = 5  # offending index labels quoted in an error message


# --------------------------------------------------------------------------- validation helpers


def _where(values: pd.Series, mask, positional: bool = False) -> str:
    """'at index ['a', 'b']' for the entries of `values` selected by `mask`."""
    bad = values.index[np.asarray(mask, dtype=bool)].tolist()
    shown = ", ".join(repr(label) for label in bad[:_SHOWN])
    more = f", … {len(bad)} in total" if len(bad) > _SHOWN else ""
    return f"at {'position' if positional else 'index'} [{shown}{more}]"


def _is_real(value) -> bool:
    return isinstance(value, numbers.Real) and not isinstance(value, bool | np.bool_)


def scalar(value, name: str, func: str) -> float:
    """`value` as a float, checked to be a finite real number (`func` and `name` for the error)."""
    if not _is_real(value):
        raise TypeError(f"{func}: {name} must be a real number, got {type(value).__name__}")
    value = float(value)
    if not math.isfinite(value):
        raise ValueError(f"{func}: {name} must be finite, got {value}")
    return value


def _series(values: pd.Series, name: str, func: str, positional: bool = False) -> pd.Series:
    """A float copy of `values`; NaN kept (missing), everything non-numeric or infinite rejected."""
    if pd.api.types.is_bool_dtype(values.dtype):
        raise ValueError(f"{func}: {name} is boolean; expected numbers")
    if not pd.api.types.is_numeric_dtype(values.dtype):
        not_real = ~values.map(_is_real, na_action="ignore").fillna(True).astype(bool)
        if not_real.any():
            raise ValueError(
                f"{func}: {name} has non-numeric entries {_where(values, not_real, positional)}"
            )
    floats = values.astype(float)
    infinite = np.isinf(floats)
    if infinite.any():
        raise ValueError(
            f"{func}: {name} has infinite entries {_where(floats, infinite, positional)}"
        )
    return floats


def _operand(value, name: str, func: str):
    if isinstance(value, pd.Series):
        return _series(value, name, func)
    return scalar(value, name, func)


def _refuse(value, bad, name: str, rule: str, what: str, func: str, hint: str = "") -> None:
    """ValueError if any entry of `value` (scalar or Series) is flagged by `bad`."""
    if isinstance(value, pd.Series):
        if bad.any():
            raise ValueError(f"{func}: {name} must be {rule}; {what} {_where(value, bad)}{hint}")
    elif bad:
        raise ValueError(f"{func}: {name} must be {rule}, got {value:g}{hint}")


def ratio(
    num, den, num_name: str, den_name: str, func: str, on_zero: str = "raise", hint: str = ""
):
    """num / den with num >= 0 and den > 0 checked; scalars or Series (see the module docstring).
    on_zero="nan" turns a zero denominator into NaN instead of a ValueError."""
    if on_zero not in ("raise", "nan"):
        raise ValueError(f"{func}: on_zero must be 'raise' or 'nan', got {on_zero!r}")
    num = _operand(num, num_name, func)
    den = _operand(den, den_name, func)
    num_is_series, den_is_series = isinstance(num, pd.Series), isinstance(den, pd.Series)
    if num_is_series and den_is_series and not num.index.equals(den.index):
        raise ValueError(f"{func}: {num_name} and {den_name} must have the same index")
    _refuse(num, num < 0, num_name, ">= 0", "negative", func)
    _refuse(den, den < 0, den_name, "> 0", "negative", func)
    if on_zero == "raise":
        _refuse(den, den == 0, den_name, "> 0", "zero", func, hint)
    if not num_is_series and not den_is_series:
        return math.nan if den == 0 else num / den
    with np.errstate(divide="ignore", invalid="ignore"):
        out = (num / den).astype(float)
    if den_is_series:
        out = out.where(den != 0)
    elif den == 0:
        out[:] = math.nan
    return out.rename(func)


# --------------------------------------------------------------------------- growth


def _cagr(start_value, end_value, start_year, end_year, start_name, end_name, func) -> float:
    for year, label in ((start_year, "start_year"), (end_year, "end_year")):
        if not isinstance(year, numbers.Integral) or isinstance(year, bool | np.bool_):
            raise ValueError(f"{func}: years must be integers, got {label}={year!r}")
    if end_year <= start_year:
        raise ValueError(f"{func}: end_year ({end_year}) must be after start_year ({start_year})")
    start_value = scalar(start_value, start_name, func)
    end_value = scalar(end_value, end_name, func)
    if start_value <= 0:
        raise ValueError(f"{func}: {start_name} must be > 0 for a growth rate, got {start_value:g}")
    if end_value < 0:
        raise ValueError(f"{func}: {end_name} must be >= 0, got {end_value:g}")
    return (end_value / start_value) ** (1 / (int(end_year) - int(start_year))) - 1


# Years of a growth rate: the last complete years before the cut-off year (the cut-off year
# itself is partial), as the report's 2020–2022 CAGRs for a 2023-07-31 cut-off.
GROWTH_WINDOW_YEARS = 3


def growth_window(cutoff: str | int, years: int = GROWTH_WINDOW_YEARS) -> tuple[int, ...]:
    """The years a growth rate of data cut off at `cutoff` spans: the `years` last complete
    calendar years before the cut-off year, oldest first.

    `cutoff` is a date written YYYY-MM-DD or a year: 2023-07-31 -> (2020, 2021, 2022),
    2024-07-31 -> (2021, 2022, 2023); a CAGR over them has years − 1 annual steps. ValueError for
    anything else, or fewer than two years (no rate)."""
    text = str(cutoff)
    if isinstance(cutoff, bool) or not (text[:4].isdigit() and len(text) in (4, 10)):
        raise ValueError(f"growth_window: cutoff {cutoff!r} is not a year or a YYYY-MM-DD date")
    if int(years) < 2:
        raise ValueError(f"growth_window: years must be at least 2, got {years!r}")
    end = int(text[:4]) - 1
    return tuple(range(end - int(years) + 1, end + 1))


def cagr_between(start_value, end_value, start_year: int, end_year: int) -> float:
    """Compound annual growth rate from `start_value` in `start_year` to `end_value` in `end_year`.

    Unit: fraction per year (0.156 = 15.6%/yr).
    Formula: (end_value / start_value) ** (1 / (end_year - start_year)) - 1.
    Edge cases: end_value == 0 gives -1.0 (everything lost). ValueError when a year is not an
    integer, when end_year <= start_year (zero or negative span), when start_value <= 0 (no rate
    grows from nothing) or end_value < 0, and when a value is NaN or infinite."""
    return _cagr(
        start_value, end_value, start_year, end_year, "start_value", "end_value", "cagr_between"
    )


def cagr(values: pd.Series | Mapping[int, float], on_zero: str = "raise") -> float:
    """Compound annual growth rate between the first and last year of a year-indexed series.

    `values` is a Series indexed by year (int) or a {year: value} dict, e.g. the 2020–2022 average
    patent applications per firm of 图表2.4 (published: 15.6%) or PCT patents of 图表2.9.
    Unit: fraction per year (0.156 = 15.6%/yr).
    Formula: cagr_between(first value, last value, first year, last year), i.e.
    (v_last / v_first) ** (1 / (last_year - first_year)) - 1; the number of years comes from the
    index, never from the number of entries.
    Edge cases and choices:
    * Input is sorted by year first, so the order of entries does not matter.
    * Only the first and last years are used. Missing intermediate years are fine
      ({2020: 100, 2022: 121} is a two-year span, 10%/yr) because the years are explicit. For that
      reason a Series with a default RangeIndex (0, 1, 2, …, i.e. no years at all) is refused, and
      so are lists and arrays (TypeError).
    * Intermediate values are neither used nor checked.
    * ValueError when there are fewer than two years, a year is not an integer (a '2020' string,
      a 2020.0 float, a Timestamp: use `.index.year`), a year is repeated, the first value is <= 0,
      the last value is < 0, or an endpoint value is NaN or infinite.
    * on_zero="nan" returns NaN for a first value of 0 (no growth rate from a zero base, e.g. a
      group of firms without applications in 2020) instead of the ValueError."""
    func = "cagr"
    if on_zero not in ("raise", "nan"):
        raise ValueError(f"{func}: on_zero must be 'raise' or 'nan', got {on_zero!r}")
    if isinstance(values, pd.Series):
        if isinstance(values.index, pd.RangeIndex) and values.index.start == 0:
            raise ValueError(
                f"{func}: the Series has a default 0, 1, 2, … index; index it by year (int)"
            )
        items = list(values.items())
    elif isinstance(values, Mapping):
        items = list(values.items())
    else:
        raise TypeError(
            f"{func}: expected a Series indexed by year or a {{year: value}} dict, "
            f"got {type(values).__name__}"
        )
    if len(items) < 2:
        raise ValueError(f"{func}: needs values for at least two years, got {len(items)}")
    for year, _ in items:
        if not isinstance(year, numbers.Integral) or isinstance(year, bool | np.bool_):
            raise ValueError(
                f"{func}: years must be integers, got {year!r} ({type(year).__name__})"
            )
    years = [int(year) for year, _ in items]
    duplicates = sorted({year for year in years if years.count(year) > 1})
    if duplicates:
        raise ValueError(f"{func}: duplicate years {duplicates}")
    items.sort(key=lambda item: int(item[0]))
    (y0, v0), (y1, v1) = items[0], items[-1]
    if on_zero == "nan" and _is_real(v0) and v0 == 0:
        return math.nan
    return _cagr(
        v0,
        v1,
        int(y0),
        int(y1),
        f"the {y0} value (first year)",
        f"the {y1} value (last year)",
        func,
    )


def growth(start, end):
    """Simple growth from `start` to `end`, e.g. "相比去年增长约30%".

    Unit: fraction (0.30 = +30%). Formula: end / start - 1.
    Scalars or Series. ValueError when start <= 0 or end < 0 (naming the argument, and the index
    labels for a Series)."""
    return ratio(end, start, "end", "start", "growth") - 1


# --------------------------------------------------------------------------- ratios


def patent_density(valid_invention_patents, employees, on_zero: str = "raise"):
    """Invention-patent density, 图表2.5. Unit: 件有效发明专利/千人 (valid invention patents per
    1,000 employees; the report counts employees as 参保人数 for the 小巨人).

    Formula: valid_invention_patents / employees * 1000. Scalars or Series.
    Edge cases: employees == 0 raises ValueError naming the index labels (Series) unless
    on_zero="nan", which returns NaN there. Negative employees or patents always raise: they are
    data errors, not undefined ratios. NaN entries of a Series give NaN."""
    density = ratio(
        valid_invention_patents,
        employees,
        "valid_invention_patents",
        "employees",
        "patent_density",
        on_zero,
        hint=" (pass on_zero='nan' to get NaN there)",
    )
    return density * 1000


def invention_share(invention_applications, applications, on_zero: str = "raise"):
    """Share of invention patents in all patent applications (发明专利申请占比), 图表2.2 / 2.6.

    Unit: fraction (0.454 = 45.4%). Formula: invention_applications / applications.
    ValueError when applications is 0 or negative, invention_applications is negative, or the
    invention applications exceed all applications (a share above 1: they are a subset).
    on_zero="nan": NaN where applications is 0 (an empty group) instead of the ValueError."""
    share = ratio(
        invention_applications,
        applications,
        "invention_applications",
        "applications",
        "invention_share",
        on_zero,
    )
    above_one = share > 1
    if isinstance(share, pd.Series) and above_one.any():
        raise ValueError(
            "invention_share: invention_applications exceed applications "
            + _where(share, above_one)
        )
    if not isinstance(share, pd.Series) and above_one:
        raise ValueError(
            f"invention_share: invention_applications exceed applications (share {share:.3g} > 1)"
        )
    return share


def grant_rate(invention_grants, invention_applications, on_zero: str = "raise"):
    """Invention-patent grant rate (发明专利授权率), 图表2.6.

    Unit: fraction (0.402 = 40.2%). Formula: invention_grants / invention_applications.
    ValueError when invention_applications is 0 or negative or invention_grants is negative. A rate
    above 1 is not refused: the report counts grants by 授权日 and applications by 公开日.
    on_zero="nan": NaN where invention_applications is 0 instead of the ValueError."""
    return ratio(
        invention_grants,
        invention_applications,
        "invention_grants",
        "invention_applications",
        "grant_rate",
        on_zero,
    )


def pct_share(pct_applications, applications, on_zero: str = "raise"):
    """Share of PCT applications in all patent applications.

    Unit: fraction. Formula: pct_applications / applications.
    ValueError when applications is 0 or negative or pct_applications is negative. Values above 1
    are not refused (PCT filings need not be counted inside the domestic total).
    on_zero="nan": NaN where applications is 0 instead of the ValueError."""
    return ratio(
        pct_applications, applications, "pct_applications", "applications", "pct_share", on_zero
    )


def multiple(numerator, denominator, on_zero: str = "raise"):
    """How many times `numerator` is `denominator`: the "2.1X / 9.6X" multiples of 图表2.2
    (e.g. 专利被引 234 vs 89 次/家 → 2.63, shown as "2.6X").

    Unit: × (a ratio). Formula: numerator / denominator. Scalars or Series.
    ValueError when denominator <= 0 or numerator < 0 (both are non-negative magnitudes);
    on_zero="nan" gives NaN where the denominator is 0 instead."""
    return ratio(numerator, denominator, "numerator", "denominator", "multiple", on_zero)


def ratio_to_reference(values, reference) -> pd.Series:
    """Each value divided by a reference such as the national average (e.g. 图表2.5 density
    1.1× 科创板). Unit: ×. Formula: values / reference.

    `values` is a Series (or a {label: value} dict), `reference` a scalar. ValueError when
    reference <= 0 or a value is negative (naming the index labels)."""
    if isinstance(values, Mapping):
        values = pd.Series(values, dtype=float)
    if not isinstance(values, pd.Series):
        raise TypeError(
            f"ratio_to_reference: values must be a Series or a dict, got {type(values).__name__}"
        )
    scalar(reference, "reference", "ratio_to_reference")  # TypeError for a Series reference
    return ratio(values, reference, "values", "reference", "ratio_to_reference")


def per_firm(total, firms, on_zero: str = "raise"):
    """Average per firm, e.g. 平均每家企业的累计专利申请总量 (图表2.3). Unit: the total's unit per
    firm (件/家, 次/家, …). Formula: total / firms.

    ValueError when firms is 0 or negative or total is negative; on_zero="nan" gives NaN for
    0 firms (an empty group) instead."""
    return ratio(total, firms, "total", "firms", "per_firm", on_zero)


# --------------------------------------------------------------------------- distributions


class Binning(NamedTuple):
    """Bins of non-negative integer counts given by their lower bounds: bin i holds the values
    edges[i] <= v < edges[i + 1]; the last bin is open-ended. One label per bin."""

    edges: tuple[int, ...]
    labels: tuple[str, ...]


# 图表2.8 / 2.10: PCT patents per firm.
PCT_BINS = Binning(edges=(0, 1, 10, 100), labels=("0件", "1-9件", "10-99件", "≥100件"))
# 图表2.8: overseas markets (patent offices other than CNIPA) per firm.
OVERSEAS_MARKET_BINS = Binning(edges=(0, 1, 6, 11), labels=("0个", "1-5个", "6-10个", ">10个"))


def bin_counts(
    values, bins: Binning | Sequence[int], labels: Sequence[str] | None = None
) -> pd.DataFrame:
    """Distribution of firms over bins of a count, e.g. PCT patents per firm (图表2.8).

    `values`: one non-negative integer count per firm (Series, list or array; integral floats such
    as 3.0 are accepted). `bins`: a Binning (PCT_BINS, OVERSEAS_MARKET_BINS), whose labels are used
    unless `labels` is given, or the bins' lower bounds (strictly increasing integers; see Binning)
    together with `labels`. Call as `bin_counts(v, PCT_BINS)` or `bin_counts(v, *PCT_BINS)`.

    Returns a DataFrame with one row per bin, in bin order, zero-count bins included:
    `bin` (label), `firms` (count, int) and `share` (firms / number of values, fraction; sums to 1).
    ValueError, naming the index labels (positions for lists/arrays), for negative, non-integer,
    missing (NaN) or non-numeric values and values below the first bin; also for no values at all,
    and for bad bins or labels."""
    func = "bin_counts"
    if isinstance(bins, Binning):
        edges, labels = bins.edges, bins.labels if labels is None else labels
    else:
        edges = bins
    edges, labels = list(edges), None if labels is None else list(labels)
    if labels is None:
        raise ValueError(f"{func}: labels are required unless bins is a Binning")
    if not edges or not all(
        isinstance(e, numbers.Integral) and not isinstance(e, bool) for e in edges
    ):
        raise ValueError(
            f"{func}: bins must be a non-empty sequence of integer lower bounds, got {edges}"
        )
    if any(b <= a for a, b in itertools.pairwise(edges)):
        raise ValueError(f"{func}: bin lower bounds must be strictly increasing, got {edges}")
    if len(labels) != len(edges) or len(set(labels)) != len(labels):
        raise ValueError(
            f"{func}: need {len(edges)} distinct labels for {len(edges)} bins, got {labels}"
        )

    if isinstance(values, Mapping):
        values = pd.Series(values)
    positional = not isinstance(values, pd.Series)
    series = pd.Series(list(values)) if positional else values
    if len(series) == 0:
        raise ValueError(f"{func}: no values to count")
    numbers_ = _series(series, "values", func, positional)
    not_integer = numbers_.isna() | (numbers_ != np.floor(numbers_))
    if not_integer.any():
        raise ValueError(
            f"{func}: values must be integers; non-integer "
            + _where(numbers_, not_integer, positional)
        )
    if (numbers_ < 0).any():
        raise ValueError(
            f"{func}: values must be >= 0; negative {_where(numbers_, numbers_ < 0, positional)}"
        )
    if (numbers_ < edges[0]).any():
        below = numbers_ < edges[0]
        raise ValueError(
            f"{func}: values below the first bin ({edges[0]}) {_where(numbers_, below, positional)}"
        )

    codes = np.searchsorted(np.asarray(edges, dtype=float), numbers_.to_numpy(), side="right") - 1
    firms = np.bincount(codes, minlength=len(edges)).astype("int64")
    return pd.DataFrame({"bin": labels, "firms": firms, "share": firms / len(numbers_)})
