"""Fixed ids of the data's categories, for statistics keys: a key must not change when a
reader-facing word changes (an English label, a Chinese heading), so it is built from ids kept
as data in data/reference/, never from names:

* a batch number (5, or 第五批) -> batch_5; any other whole number -> itself;
* a province or city -> its GB/T 2260 code (江苏省 -> 320000, 宁波市 -> 330200);
* an industry field -> `field_id` of industry_fields.csv; a listing board -> `board_id` of
  listing_boards.csv;
* any other category of the published tables (a population, a market, a bin, a tier …) ->
  `id` of category_ids.csv;
* a code the data already writes in ASCII (a criterion id CX.1.a, a metric name) -> itself in
  lower case, '.' and other separators as '_' (cx_1_a).

A category without an id is an error naming the value and the file to add it to.
"""

from __future__ import annotations

import functools
import numbers
import re

from helpers.data import reference
from helpers.data.batches import batch_number
from helpers.paths import REFERENCE_DIR, display_path

CATEGORY_IDS_FILE = REFERENCE_DIR / "category_ids.csv"
# (reference table, name column, id column), looked up in this order.
ID_COLUMNS = (
    ("provinces", "province", "gb_code"),
    ("cities", "city", "gb_code"),
    ("industry_fields", "field", "field_id"),
    ("listing_boards", "board", "board_id"),
    ("category_ids", "name", "id"),
)
ID_PATTERN = re.compile(r"[A-Za-z0-9][A-Za-z0-9_-]*")
ASCII_CODE = re.compile(r"[A-Za-z0-9][A-Za-z0-9_.-]*")


class UnknownCategory(KeyError):
    """A category value with no fixed id in data/reference/."""

    def __str__(self) -> str:
        return str(self.args[0])


@functools.cache
def _ids() -> dict[str, str]:
    found: dict[str, str] = {}
    for table, name_column, id_column in ID_COLUMNS:
        frame = reference.table(table)
        for name, id_ in zip(frame[name_column], frame[id_column], strict=True):
            if not ID_PATTERN.fullmatch(id_):
                raise ValueError(
                    f"{display_path(REFERENCE_DIR / (table + '.csv'))}: id {id_!r} of {name!r} "
                    "must be ASCII letters, digits, '_' or '-'"
                )
            found.setdefault(name, id_)
    return found


@functools.cache
def _names() -> dict[str, str]:
    """id -> the first name that has it (the reverse of _ids)."""
    names: dict[str, str] = {}
    for name, id_ in _ids().items():
        names.setdefault(id_, name)
    return names


def category_id(value) -> str:
    """The fixed id of a category value from the data (see the module's docstring)."""
    if isinstance(value, bool):
        raise UnknownCategory(f"category id: {value!r} is not a category")
    if isinstance(value, numbers.Integral):
        return str(int(value))
    if isinstance(value, numbers.Real) and float(value).is_integer():
        return str(int(value))
    text = str(value).strip()
    if (batch := batch_number(text)) is not None and not text.isdigit():
        return f"batch_{batch}"
    if text in _ids():
        return _ids()[text]
    if text.isdigit():
        return text
    if ASCII_CODE.fullmatch(text):
        return re.sub(r"[^a-z0-9]+", "_", text.lower()).strip("_")
    raise UnknownCategory(
        f"category '{text}' has no fixed id for statistics keys; add a row '{text},<id>' to "
        f"{display_path(CATEGORY_IDS_FILE)} (or its id column in the reference table it belongs to)"
    )


def category_name(id_: str) -> str:
    """The category named by an id (the reverse of category_id; batch_5 -> 第五批 is not
    reversed: batches are numbers)."""
    try:
        return _names()[id_]
    except KeyError:
        raise UnknownCategory(f"no category has the id '{id_}'") from None
