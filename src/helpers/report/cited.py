"""The rows a statistic cites when a table is recorded in one call and each of its rows comes
from other rows (Chapter.record_table(frame, …, source=cited.same(patents, "measure"))): each
function here gives a function of the recorded row (a one-row frame) that returns the rows it
cites, so a notebook names the rule instead of writing one."""

from __future__ import annotations

from collections.abc import Callable

import pandas as pd

RowSource = Callable[[pd.DataFrame], pd.DataFrame | tuple[pd.DataFrame, ...]]


def same(table: pd.DataFrame, *columns: str, row_first: bool = False) -> RowSource:
    """The rows of `table` with the recorded row's values in `columns` (a patent measure's
    rows); with `row_first`, the recorded row itself, then those rows (a city's share of its
    province cites the city's row and the province's)."""

    def rows(row: pd.DataFrame):
        mask = pd.Series(True, index=table.index)
        for column in columns:
            mask &= table[column] == row[column].iloc[0]
        return (row, table[mask]) if row_first else table[mask]

    return rows


def picked(select: Callable, table: pd.DataFrame, *columns: str) -> RowSource:
    """The rows `select(table, *values)` picks with the recorded row's values of `columns`
    (picked(regional.region_provinces, provinces, "scheme_id", "region"): a region's
    provinces)."""

    def rows(row: pd.DataFrame):
        return select(table, *(row[column].iloc[0] for column in columns))

    return rows


def up_to(table: pd.DataFrame) -> RowSource:
    """The rows of `table` from its first down to the recorded row (same index label): the
    first k provinces a cumulative share adds up."""

    def rows(row: pd.DataFrame):
        return table.iloc[: table.index.get_loc(row.index[0]) + 1]

    return rows


def at(table: pd.DataFrame, column: str) -> RowSource:
    """The row of `table` at the index label the recorded row's `column` holds (a count's row
    of region_breakdowns, kept in `source_row`)."""

    def rows(row: pd.DataFrame):
        return table.loc[[row[column].iloc[0]]]

    return rows
