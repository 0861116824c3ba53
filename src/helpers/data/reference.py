"""Reference tables (provinces, cities, industry fields, listing boards) and name normalisation:
江苏 / 江苏省 / Jiangsu -> 江苏省. An unknown name is never dropped: validation reports it."""

from __future__ import annotations

import functools

import pandas as pd

from helpers.data.tableio import read_csv_text
from helpers.paths import REFERENCE_DIR


@functools.cache
def table(name: str) -> pd.DataFrame:
    """A reference table as text (no missing values: empty cells are '')."""
    return read_csv_text(REFERENCE_DIR / f"{name}.csv")


def values(name: str, column: str) -> list[str]:
    return table(name)[column].tolist()


# Which column holds the canonical name, and which hold other spellings.
NAME_COLUMNS = {
    "provinces": ("province", ["short_name", "name_en", "iso_code", "gb_code"]),
    "cities": ("city", ["short_name", "name_en", "gb_code"]),
}


def _spellings(row: dict, columns: list[str]) -> list[str]:
    names = [row.get(c, "") for c in columns] + row.get("name_variants", "").split(";")
    return [name.strip() for name in names if name and name.strip()]


@functools.cache
def aliases(kind: str) -> dict[str, str]:
    """Every spelling (casefolded) of a province or city → its canonical name. For provinces
    this includes the names that official lists count beside the provinces (the five 计划单列市
    and 新疆生产建设兵团, province_folds.csv): a province written that way is folded into its
    province."""
    canonical, other_columns = NAME_COLUMNS[kind]
    mapping: dict[str, str] = {}
    if kind == "provinces":
        for row in table("province_folds").to_dict("records"):
            for name in _spellings(row, ["name", "name_en"]):
                mapping[name.casefold()] = row["province"]
    for row in table(kind).to_dict("records"):
        for name in _spellings(row, [canonical, *other_columns]):
            mapping[name.casefold()] = row[canonical]
    return mapping


@functools.cache
def folds() -> dict[str, dict[str, str]]:
    """Spelling (casefolded) of a unit counted beside the provinces → {name, kind, province,
    city}: 宁波 → 宁波市, 计划单列市, 浙江省, 宁波市; 兵团 → 新疆生产建设兵团, …, 新疆维吾尔自治区, ''."""
    mapping = {}
    for row in table("province_folds").to_dict("records"):
        entry = {k: row[k] for k in ("name", "kind", "province", "city")}
        for name in _spellings(row, ["name", "name_en"]):
            mapping[name.casefold()] = entry
    return mapping


def fold(name) -> dict[str, str] | None:
    """The fold of a province cell written as a 计划单列市 or 新疆生产建设兵团, else None."""
    return folds().get(str(name).strip().casefold())


def normalize(kind: str, name: str) -> str:
    """Canonical name for a province or city spelling; unknown names are returned unchanged
    so that validation can report them with close matches."""
    text = str(name).strip()
    return aliases(kind).get(text.casefold(), text)
