"""What changed since the previous edition: year-on-year columns of a table, firms that entered
and left between two firm-level snapshots, and the change of every recorded statistic.

    year_on_year(markets, previous_markets, "market", "firms")   # + previous, change
    firm_moves(previous_firms, current_firms)                    # one row per entered/left firm
    moves_by(moves, "province")                                  # entered, left, net per province
    join_previous(statistics, previous_statistics)               # + previous, change columns
    largest_moves(joined, units, n=5)                            # top n by |relative change|

Changes are current minus previous, in the statistic's own unit (a share's change is a
fraction: 0.42 -> 0.45 is +0.03); relative changes divide by |previous| and are undefined from
a zero base."""

from __future__ import annotations

import datetime

import pandas as pd

ENTERED, LEFT = "entered", "left"
REVOKED = "revoked"


def previous_cutoff(cutoff: str) -> str:
    """The cut-off one year earlier (editions are yearly): 2023-07-31 -> 2022-07-31; 29 February
    -> 28 February."""
    day = datetime.date.fromisoformat(cutoff)
    try:
        return day.replace(year=day.year - 1).isoformat()
    except ValueError:  # 29 February
        return day.replace(year=day.year - 1, day=28).isoformat()


def year_on_year(
    current: pd.DataFrame, previous: pd.DataFrame, key: str, value: str
) -> pd.DataFrame:
    """`key`, `value`, `previous` (the previous edition's `value` of the same key) and `change`
    (value - previous), in the current table's order, then keys only the previous edition has;
    a key missing on one side has no change."""
    left = current[[key, value]].reset_index(drop=True)
    right = previous[[key, value]].rename(columns={value: "previous"})
    if left[key].duplicated().any() or right[key].duplicated().any():
        raise ValueError(f"year_on_year: '{key}' is not unique in both tables")
    joined = left.merge(right, on=key, how="outer", sort=False, indicator=True)
    order = {k: i for i, k in enumerate(left[key])}
    order.update({k: len(order) + i for i, k in enumerate(right[key]) if k not in order})
    joined = joined.sort_values(key, key=lambda s: s.map(order), kind="stable")
    joined = joined.drop(columns="_merge").reset_index(drop=True)
    joined["change"] = joined[value] - joined["previous"]
    return joined


def firm_moves(previous: pd.DataFrame, current: pd.DataFrame) -> pd.DataFrame:
    """The firms that entered or left between two snapshots of the firm list, compared by
    `firm_id`: entered = in the current list (not revoked) but not in the previous one; left =
    in the previous list (not revoked there) and either absent from the current list or revoked
    in it. Columns: firm_id, move (entered/left), revoked (left by revocation), and the firm's
    province and industry_field (from the current list for entered firms and revoked ones, from
    the previous list for firms no longer listed)."""
    columns = ["firm_id", "province", "industry_field", "review_status"]
    before = previous[columns].set_index("firm_id")
    now = current[columns].set_index("firm_id")
    active_before = before[before["review_status"] != REVOKED]
    active_now = now[now["review_status"] != REVOKED]
    entered = active_now[~active_now.index.isin(before.index)]
    gone = active_before[~active_before.index.isin(now.index)]
    revoked = now[(now["review_status"] == REVOKED) & now.index.isin(active_before.index)]
    parts = [
        entered.assign(move=ENTERED, revoked=False),
        gone.assign(move=LEFT, revoked=False),
        revoked.assign(move=LEFT, revoked=True),
    ]
    moves = pd.concat(parts).rename_axis("firm_id").reset_index()
    moves = moves.sort_values(["move", "firm_id"], kind="stable").reset_index(drop=True)
    return moves[["firm_id", "move", "revoked", "province", "industry_field"]]


def moves_by(moves: pd.DataFrame, column: str) -> pd.DataFrame:
    """Per value of `column` (province, industry_field): entered, left (of which revoked) and
    net = entered - left; groups with any move, most moves first, then by name."""
    counts = pd.crosstab(moves[column], moves["move"]).reindex(
        columns=[ENTERED, LEFT], fill_value=0
    )
    revoked = moves[moves["revoked"]].groupby(column).size()
    table = counts.assign(revoked=revoked.reindex(counts.index, fill_value=0))
    table["net"] = table[ENTERED] - table[LEFT]
    table = table.rename_axis(columns=None).reset_index()
    table = table.assign(_moves=table[ENTERED] + table[LEFT])
    table = table.sort_values(["_moves", column], ascending=[False, True], kind="stable")
    return (
        table.drop(columns="_moves")
        .reset_index(drop=True)
        .astype({ENTERED: int, LEFT: int, "revoked": int, "net": int})
    )


def _number(text) -> float | None:
    try:
        number = float(text)
    except (TypeError, ValueError):
        return None
    return None if number != number else number


def _shown(number: float) -> str:
    """A number as statistics.csv writes values (Chapter.record): integers without '.0'."""
    number = round(number, 10)
    return str(int(number)) if float(number).is_integer() else repr(number)


def join_previous(current: pd.DataFrame, previous: pd.DataFrame | None) -> pd.DataFrame:
    """statistics.csv with two more columns: `previous` (the value recorded under the same key
    in the previous edition) and `change` (value - previous); both empty when the key is not in
    the previous edition (or either value is not a number). Values stay text, as recorded."""
    joined = current.copy()
    if previous is None or previous.empty:
        return joined.assign(previous="", change="")
    before = previous.drop_duplicates("key", keep="last").set_index("key")["value"]
    shown, changes = [], []
    for key, value in zip(joined["key"], joined["value"], strict=True):
        old = before.get(key)
        new_number, old_number = _number(value), _number(old)
        shown.append("" if old is None else str(old))
        if new_number is None or old_number is None:
            changes.append("")
        else:
            changes.append(_shown(new_number - old_number))
    return joined.assign(previous=shown, change=changes)


def largest_moves(joined: pd.DataFrame, units: set[str] | None = None, n: int = 5) -> pd.DataFrame:
    """The `n` statistics that moved most, by |relative change| (change / |previous|), largest
    first (ties: in the order recorded); only rows with a non-zero change from a non-zero
    previous value, and only units in `units` (the unit column as written; None: every unit).
    Adds the numeric columns value_number, previous_number, change_number, relative."""
    frame = joined.copy()
    frame["value_number"] = frame["value"].map(_number)
    frame["previous_number"] = frame["previous"].map(_number)
    frame = frame.dropna(subset=["value_number", "previous_number"])
    frame = frame[frame["previous_number"] != 0]
    if units is not None:
        frame = frame[frame["unit"].isin(units)]
    frame = frame.assign(change_number=frame["value_number"] - frame["previous_number"])
    frame = frame[frame["change_number"].abs() > 1e-12]
    frame = frame.assign(relative=frame["change_number"] / frame["previous_number"].abs())
    order = frame["relative"].abs().rank(method="first", ascending=False)
    frame = frame.assign(_order=order).sort_values("_order", kind="stable")
    return frame.head(n).drop(columns="_order").reset_index(drop=True)
