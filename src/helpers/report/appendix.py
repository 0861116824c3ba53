"""The reconciliation appendix: every published figure checked against its own parts (the
`reconcile:` checks of the catalogues) and, for firm-level data, the aggregates against the
published tables — as items in the edition's words, ready for `Chapter.reconciliation`."""

from __future__ import annotations

import pandas as pd

from helpers.stats import reconcile

ITEM_COLUMNS = ["source", "item", "stated", "recomputed", "decimals", "unit"]


def _name_of_row(ch, row: str) -> str:
    """A row label ('小巨人 第一批', key values joined by spaces) in the edition's words."""
    return " ".join(ch.name(part) for part in str(row).split(" ")) if row else ""


def catalog_checks(ch) -> tuple[pd.DataFrame, pd.DataFrame]:
    """The catalogues' checks (always of data/published) with source, item and unit for the
    chapter (column `document`: the source document id), and the provenance (source_doc,
    source_id) of every figure checked."""
    items = reconcile.published_checks()
    provenance = pd.DataFrame(
        [
            {"source_doc": row.source_doc, "source_id": source_id}
            for row in items.itertuples()
            for source_id in row.source_ids.split("|")
        ]
    ).drop_duplicates()
    out = pd.DataFrame(
        {
            "source": [
                ch.source_ref(
                    provenance[provenance["source_doc"] == doc].query("source_id in @ids")
                )
                for doc, ids in zip(
                    items["source_doc"], items["source_ids"].str.split("|"), strict=True
                )
            ],
            "item": [
                ch.t("checks.catalog_item", row=_name_of_row(ch, row), check=ch.name(check)).strip()
                for row, check in zip(items["row"], items["check"], strict=True)
            ],
            "stated": items["stated"],
            "recomputed": items["recomputed"],
            "decimals": items["decimals"],
            "unit": items["unit"],
            "document": items["source_doc"],
        }
    )
    return out, provenance


def firm_level_checks(ch) -> pd.DataFrame:
    """Firm-level aggregates vs the published figures of the same tables, in the chapter's
    words: the source is the published table's rows, the item the row and column."""
    items = reconcile.firm_level_checks(ch.source)
    if items.empty:
        return pd.DataFrame(columns=ITEM_COLUMNS)
    from helpers.data import catalog

    sources = {table: ch.source_ref(catalog.load_published(table)) for table in set(items["table"])}
    return pd.DataFrame(
        {
            "source": items["table"].map(sources),
            "item": [
                ch.t(
                    "ch99.firm_level_item", row=_name_of_row(ch, row), column=ch.column_name(column)
                )
                for row, column in zip(items["row"], items["column"], strict=True)
            ],
            "stated": items["stated"],
            "recomputed": items["recomputed"],
            "decimals": items["decimals"],
            "unit": items["unit"],
        }
    )
