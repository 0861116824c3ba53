"""One aggregator per table, registered by the table's name:

    @aggregates("capital_markets", needs=("listings",))
    def capital_markets(data) -> pd.DataFrame: ...

`data` is the helpers.firmlevel.firms.FirmLevelData being aggregated (not imported here: it
calls the aggregators, so it sits above them). An aggregator returns the table's dimension and value columns (and, for rows copied from the
published table, their provenance); helpers.firmlevel.shape adds the rest. `needs` names the
optional input files (patents, listings) without which the table cannot be given: then the
published table does not apply either (a figure of another population would pass for this
data's): the table is absent, and the chapters say which input would give it. `needs` also
names optional columns of firms as `firms.<column>` (firms.industry_field). `uses` names the
optional inputs used when present (their files are named in the table's source). Helpers shared
by several aggregators live here too."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import pandas as pd

from helpers.data.batches import batch_name

ALL_BATCHES = "全部"
LITTLE_GIANTS = "小巨人"
A_SHARE_LITTLE_GIANTS = "A股上市小巨人"


@dataclass(frozen=True)
class Aggregator:
    table: str
    build: Callable[..., pd.DataFrame]  # data -> the table
    needs: tuple[str, ...] = ()
    uses: tuple[str, ...] = ()


AGGREGATORS: dict[str, Aggregator] = {}


def aggregates(table: str, needs: tuple[str, ...] = (), uses: tuple[str, ...] = ()):
    """Register the decorated function as the aggregator of `table`."""

    def register(build):
        if table in AGGREGATORS:
            raise ValueError(f"table {table!r} already has an aggregator: {AGGREGATORS[table]}")
        AGGREGATORS[table] = Aggregator(table, build, tuple(needs), tuple(uses))
        return build

    return register


def allowed(data, table: str, column: str) -> list[str]:
    """The allowed values of a column of a table's catalogue entry (regions, cities, metrics)."""
    return list(data.spec(table).columns[column]["allowed"])


# All analysed firms and those listed on an A-share board: population -> the SQL condition on
# the analysed firms (data.metrics_where, data.aggregate).
POPULATIONS = {LITTLE_GIANTS: None, A_SHARE_LITTLE_GIANTS: "a_share"}


def batch_numbers(data) -> list[int]:
    """Every batch up to the latest in the firm list (1 … 6 for a list with a sixth batch; a
    batch without firms in between keeps its place)."""
    (latest,) = data.con.execute("SELECT max(batch_no) FROM firms").fetchone()
    return list(range(1, int(latest) + 1)) if latest is not None else []


def metrics_by_batch(data) -> list[tuple[str, dict]]:
    """(batch name, group metrics) per batch with firms, then all batches (全部)."""
    by_number = data.metrics_by("batch_no")
    batches = [(batch_name(b), by_number[b]) for b in batch_numbers(data) if b in by_number]
    return [*batches, (ALL_BATCHES, data.national)]


def with_published(mine: pd.DataFrame, published: pd.DataFrame) -> pd.DataFrame:
    """The derived 小巨人 rows followed by the published rows of the other populations."""
    return pd.concat([mine, published[published["population"] != LITTLE_GIANTS]])
