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


@functools.cache
def _aliases(kind: str) -> dict[str, str]:
    canonical, other_columns = NAME_COLUMNS[kind]
    frame = table(kind)
    mapping: dict[str, str] = {}
    for row in frame.to_dict("records"):
        names = [row[canonical]] + [row.get(c, "") for c in other_columns]
        names += [v for v in row.get("name_variants", "").split(";")]
        for name in names:
            if name and name.strip():
                mapping[name.strip().casefold()] = row[canonical]
    return mapping


def normalize(kind: str, name: str) -> str:
    """Canonical name for a province or city spelling; unknown names are returned unchanged
    so that validation can report them with close matches."""
    text = str(name).strip()
    return _aliases(kind).get(text.casefold(), text)
