"""Firm columns as arrays the rules can test, vectorised: numbers (NaN = missing), yes/no as
1.0 / 0.0 / NaN, categories as strings ("" = missing). A column absent from the table is all
missing. A few attributes are derived when their own column is absent or empty."""

from __future__ import annotations

import numpy as np
import pandas as pd

from helpers.screening.attributes import FALSE_WORDS, PROVINCIAL_OR_ABOVE, TRUE_WORDS


def numbers(frame: pd.DataFrame, column: str) -> np.ndarray:
    if column not in frame:
        return np.full(len(frame), np.nan)
    values = pd.to_numeric(frame[column], errors="coerce")
    return values.astype("float64").to_numpy(na_value=np.nan)


def flags(frame: pd.DataFrame, column: str) -> np.ndarray:
    """1.0 yes, 0.0 no, NaN missing (bool, nullable boolean, 0/1 or true/false/是/否 text)."""
    if column not in frame:
        return np.full(len(frame), np.nan)
    series = frame[column]
    if series.dtype == object or pd.api.types.is_string_dtype(series):
        words = series.astype("string").str.strip().str.lower()
        series = words.map({**TRUE_WORDS, **FALSE_WORDS}, na_action="ignore")
    return pd.to_numeric(series, errors="coerce").astype("float64").to_numpy(na_value=np.nan)


def _text(value) -> str:
    if value is True or value is False:
        return "true" if value else "false"
    return str(value).strip()


def category_positions(frame: pd.DataFrame, column: str, wanted) -> np.ndarray:
    """For each row, the position in `wanted` of its value (compared as stripped text, yes/no as
    "true" / "false"); -1 when missing or not in `wanted`. Text work is done once per distinct
    value (pd.factorize), not per row."""
    if column not in frame:
        return np.full(len(frame), -1)
    codes, uniques = pd.factorize(frame[column], use_na_sentinel=True)
    lookup = {str(w): i for i, w in enumerate(wanted)}
    positions = np.array([lookup.get(_text(u), -1) for u in uniques] + [-1])
    return positions[codes]  # code -1 (missing) takes the appended -1


def categories(frame: pd.DataFrame, column: str) -> np.ndarray:
    """The values as text; "" where missing (yes/no as "true" / "false")."""
    if column not in frame:
        return np.full(len(frame), "", dtype=object)
    codes, uniques = pd.factorize(frame[column], use_na_sentinel=True)
    texts = np.array([_text(u) for u in uniques] + [""], dtype=object)
    return texts[codes]


def with_derived(frame: pd.DataFrame) -> pd.DataFrame:
    """The frame with derived attributes filled where their own column is absent or empty:
    rd_share = rd_expense / revenue; rd_institution_provincial from rd_institution_level;
    rd_expense_2y_total = rd_expense + rd_expense_prior, else twice rd_expense_2y_mean."""
    extra = {}
    if {"rd_expense", "rd_expense_prior"} <= set(frame.columns) or "rd_expense_2y_mean" in frame:
        summed = numbers(frame, "rd_expense") + numbers(frame, "rd_expense_prior")
        doubled = 2 * numbers(frame, "rd_expense_2y_mean")
        own = numbers(frame, "rd_expense_2y_total")
        extra["rd_expense_2y_total"] = np.where(
            np.isnan(own), np.where(np.isnan(summed), doubled, summed), own
        )
    if {"rd_expense", "revenue"} <= set(frame.columns):
        revenue = numbers(frame, "revenue")
        with np.errstate(divide="ignore", invalid="ignore"):
            ratio = np.where(revenue > 0, numbers(frame, "rd_expense") / revenue, np.nan)
        own = numbers(frame, "rd_share")
        extra["rd_share"] = np.where(np.isnan(own), ratio, own)
    if "rd_institution_level" in frame.columns:
        level = categories(frame, "rd_institution_level")
        derived = np.where(level == "", np.nan, np.isin(level, PROVINCIAL_OR_ABOVE).astype(float))
        own = flags(frame, "rd_institution_provincial")
        extra["rd_institution_provincial"] = np.where(np.isnan(own), derived, own)
    if not extra:
        return frame
    return frame.assign(**{k: pd.Series(v, index=frame.index) for k, v in extra.items()})
