"""Chapter 01 tables: batches, industry fields and capital markets (PatSnap 2023, 图表1.4–1.7)."""

from __future__ import annotations

import numpy as np
import pandas as pd

from helpers import stats
from helpers.data import reference
from helpers.data.batches import batch_name
from helpers.firmlevel.aggregators.registry import (
    LITTLE_GIANTS,
    aggregates,
    allowed,
    batch_numbers,
    with_published,
)
from helpers.firmlevel.derive import board_reference
from helpers.firmlevel.shape import stated

PRIMARY_FINANCING = "参与一级市场融资"


def _stated_share(part, total) -> float:
    """A share as printed (0.1 percentage point), NaN of an empty population."""
    return stated(stats.share(part, total)) if total else np.nan


@aggregates("cultivation_batches")
def cultivation_batches(data) -> pd.DataFrame:
    counts = {
        int(batch): figures
        for batch, *figures in data.con.execute(
            "SELECT batch_no, count(*), count(*) FILTER (WHERE review_status = 'confirmed'), "
            "bool_or(review_status IN ('confirmed', 'revoked')), count(*) FILTER (WHERE analysed) "
            "FROM firms GROUP BY batch_no"
        ).fetchall()
    }
    analysed_total = sum(int(c[3]) for c in counts.values())
    rows = []
    for batch_no in batch_numbers(data):
        announced, confirmed, reviewed_any, analysed = counts.get(batch_no, (0, 0, False, 0))
        analysed = int(analysed)
        rows.append(
            {
                "batch_no": batch_no,
                "batch": batch_name(batch_no),
                "announced": int(announced),
                "reviewed": int(confirmed) if reviewed_any else pd.NA,
                "analysed": analysed,
                "analysed_share_stated": _stated_share(analysed, analysed_total),
            }
        )
    return pd.DataFrame(rows)


@aggregates("industry_fields", needs=("firms.industry_field",))
def industry_fields(data) -> pd.DataFrame:
    fields = reference.values("industry_fields", "field")
    counts = data.counts("industry_field")
    return pd.DataFrame({"field": fields, "firms": [int(counts.get(f, 0)) for f in fields]})


@aggregates("industry_shares_by_population", needs=("firms.industry_field",))
def industry_shares_by_population(data) -> pd.DataFrame:
    n = data.analysed_count
    categories = list(dict.fromkeys(reference.values("industry_fields", "category")))
    counts = data.counts("category")
    rows = pd.DataFrame(
        {
            "category": categories,
            "population": LITTLE_GIANTS,
            "share_stated": [_stated_share(counts.get(c, 0), n) for c in categories],
        }
    )
    return with_published(rows, data.published("industry_shares_by_population"))


@aggregates("capital_markets", needs=("listings", "firms.primary_market_financing"))
def capital_markets(data) -> pd.DataFrame:
    n = data.analysed_count
    boards = board_reference()
    counts = data.board_counts()
    markets = allowed(data, "capital_markets", "market")
    rows = [
        {"market": market, "firms": counts.get(board, 0)}
        for board, market in zip(boards["board"], boards["market_label"], strict=True)
        if market in markets
    ]
    rows.append(
        {
            "market": PRIMARY_FINANCING,
            "firms": int(data.aggregate("count(*) FILTER (WHERE primary_market_financing)")[0]),
        }
    )
    frame = pd.DataFrame(rows)
    frame["share_stated"] = [_stated_share(v, n) for v in frame["firms"]]
    # The change against the previous year needs last year's list: not in a firm export.
    frame["change_yoy"] = pd.NA
    return frame


@aggregates("a_share_boards", needs=("listings",))
def a_share_boards(data) -> pd.DataFrame:
    published = data.published("a_share_boards")
    document = published.attrs.get("document", "")
    published = published.set_index("board")
    counts = data.board_counts()
    rows = []
    for board in board_reference().query("a_share == 'true'")["board"]:
        total = int(published.loc[board, "listed_total"])
        firms = counts.get(board, 0)
        rows.append(
            {
                "board": board,
                "listed_total": total,
                "little_giants": firms,
                "share_stated": stated(stats.share(firms, total)),
                "note": "listed_total 为该板块全部上市企业数，取自"
                + f"{document}{published.loc[board, 'source_id']}"
                + "（企业级数据无法得出）",
            }
        )
    frame = pd.DataFrame(rows)
    frame["source_doc"] = pd.NA
    return frame
