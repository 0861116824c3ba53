"""The reconciliation appendix: every printed figure the book checks, once — the checks the
chapters made (their statistics/<chapter>.checks.csv), the `reconcile:` checks of the catalogues
(every published figure against its own parts) and, for firm-level data, the aggregates against
the published tables — as items in the edition's words. A figure is one item whoever checks it
(its check_id: helpers.stats.reconcile.cell_id), in the words of the first chapter to check it."""

from __future__ import annotations

import re

import pandas as pd

from helpers.report.sources import reader_source
from helpers.stats import reconcile

ITEM_COLUMNS = ["source", "item", "stated", "recomputed", "decimals", "unit", "check_id"]
# The raw table (tables/99_reconciliation_reconciliation.csv): numbers as computed.
RAW_COLUMNS = [
    "check_id",
    "document",
    "source",
    "item",
    "unit",
    "decimals",
    "stated",
    "recomputed",
    "difference",
    "status",
]
SHOWN_COLUMNS = ["source", "item", "stated", "recomputed", "difference", "status"]
FIRM_LEVEL = "firm-level"


def _name_of_row(ch, row: str) -> str:
    """A row label ('小巨人 第一批', key values joined by spaces) in the edition's words."""
    return " ".join(ch.name(part) for part in str(row).split(" ")) if row else ""


def catalog_checks(ch) -> tuple[pd.DataFrame, pd.DataFrame]:
    """The catalogues' checks with source, item and unit for the chapter (column `document`:
    the source document id), and the provenance (source_doc, source_id) of every figure
    checked: of the edition's published tables, or of data/published for firm-level data (the
    published figures are always checked against themselves)."""
    items = reconcile.published_checks(None if ch.source.is_firm_level else ch.source.tables_dir)
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
                if _name_of_row(ch, row)
                else ch.name(check)
                for row, check in zip(items["row"], items["check"], strict=True)
            ],
            "stated": items["stated"],
            "recomputed": items["recomputed"],
            "decimals": items["decimals"],
            "unit": items["unit"],
            "document": items["source_doc"],
            "check_id": items["check_id"],
        }
    )
    return out, provenance


def chapter_checks(ch) -> pd.DataFrame:
    """The checks the other chapters made (notebooks/pipeline.yml `checks_of:`), from their
    statistics/<chapter>.checks.csv, in book order: columns as the ledger's (check_id,
    document, source, item, unit, decimals, stated, recomputed, notebook). In a build a missing
    ledger is an error (the chapters run first); in JupyterLab the appendix says which
    chapters it lacks."""
    from helpers.pipeline import CHECKS_SUFFIX, checked_chapters
    from helpers.report.book import LEDGER_COLUMNS

    frames, lacking = [], []
    for chapter in checked_chapters(ch.notebook):
        path = ch.output / "statistics" / f"{chapter}{CHECKS_SUFFIX}"
        if path.exists():
            frames.append(pd.read_csv(path, encoding="utf-8", dtype={"document": str}))
        else:
            lacking.append(chapter)
    if lacking and ch.in_build:
        raise FileNotFoundError(
            f"appendix: the checks of {', '.join(lacking)} are missing in {ch.output / 'statistics'}; "
            "the chapters are built before the appendix (make report)"
        )
    if lacking:  # a notebook run on its own: said, not hidden (by chapter number)
        numbers = [str(int(c.split("_")[0])) if c[:2].isdigit() else c for c in lacking]
        ch.text("ch99.lacking", chapters=ch.t("words.list_separator").join(numbers))
    frames = [f for f in frames if len(f)]
    return pd.concat(frames, ignore_index=True) if frames else pd.DataFrame(columns=LEDGER_COLUMNS)


def every_check(
    made: pd.DataFrame, catalogued: pd.DataFrame, firm_level: pd.DataFrame | None = None
) -> pd.DataFrame:
    """Every printed figure the book checks, once (reconcile.one_per_figure): the chapters'
    checks first (their words and verdicts), then the catalogues', then the firm-level
    comparisons (document: firm-level)."""
    if firm_level is not None:
        firm_level = firm_level.assign(document=FIRM_LEVEL)
    return reconcile.one_per_figure(made, catalogued, firm_level)


def firm_level_checks(ch) -> pd.DataFrame:
    """Firm-level aggregates vs the published figures of the same tables, in the chapter's
    words: the source is the published table's rows, the item the row and column."""
    items = reconcile.firm_level_checks(ch.source)
    if items.empty:
        return pd.DataFrame(columns=ITEM_COLUMNS)
    from helpers.data import catalog
    from helpers.paths import PUBLISHED_DIR

    specs = catalog.load_catalog(PUBLISHED_DIR)
    frames, labels = {}, {}
    for table in set(items["table"]):
        frames[table] = catalog.load_published(table)
        key = list(specs[table].key)
        labels[table] = frames[table][key].astype(str).agg(" ".join, axis=1)

    def source_of(table: str, row: str) -> str:
        """The published rows compared (not the whole table: a text-figures table has many)."""
        rows = frames[table][labels[table] == str(row)]
        return ch.source_ref(rows if len(rows) else frames[table])

    def unit_of(table: str, row: str, unit):
        """The column's unit, else the row's own (long tables such as text_figures)."""
        from helpers.report.format import UNITS

        rows = frames[table][labels[table] == str(row)]
        if _unit(unit) is None and "unit" in rows and len(rows) == 1:
            own = rows["unit"].iloc[0]
            return own if own in UNITS else None
        return _unit(unit)

    return pd.DataFrame(
        {
            "source": [
                source_of(table, row)
                for table, row in zip(items["table"], items["row"], strict=True)
            ],
            "item": [
                ch.t(
                    "ch99.firm_level_item", row=_name_of_row(ch, row), column=ch.column_name(column)
                )
                for row, column in zip(items["row"], items["column"], strict=True)
            ],
            "stated": items["stated"],
            "recomputed": items["recomputed"],
            "decimals": items["decimals"],
            "unit": [
                unit_of(t, r, u)
                for t, r, u in zip(items["table"], items["row"], items["unit"], strict=True)
            ],
            "check_id": items["check_id"],
        }
    )


def checked(items: pd.DataFrame) -> pd.DataFrame:
    """The items with their difference and verdict (ok / rounding / mismatch within the printed
    precision where `decimals` gives it; unpublished without a published value), mismatches
    first; columns RAW_COLUMNS (document, unit and check_id may be empty) and the items'
    `notebook` if they have one."""
    table = items.copy()
    for column in ("document", "unit", "decimals", "check_id"):
        if column not in table:
            table[column] = None
    table["difference"] = table["recomputed"] - table["stated"]
    table["status"] = [
        reconcile.status(s, r, None if d is None or pd.isna(d) else int(d))
        for s, r, d in zip(table["stated"], table["recomputed"], table["decimals"], strict=True)
    ]
    order = table["status"].map(reconcile.STATUS_ORDER)
    table = table.assign(_order=order).sort_values("_order", kind="stable")
    # `notebook`: the chapter that made the check, where one did
    kept = RAW_COLUMNS + (["notebook"] if "notebook" in table else [])
    return table[kept].reset_index(drop=True)


def compared(table: pd.DataFrame) -> int:
    """The checks that compared a figure with a published one (not those listed as having no
    published value)."""
    return int(table["status"].isin(reconcile.COMPARED).sum())


def _unit(value) -> str | None:
    return None if value is None or pd.isna(value) else str(value)


def shown_values(ch, stated: float, recomputed: float, unit, decimals=None) -> tuple[str, str, str]:
    """Stated, recomputed and difference as a reader sees them, by the figure's unit and with
    its words (49.8%, 1.70亿元, 2,768笔). The stated figure keeps the unit's digits, or more
    when it was printed with more (58.67%; `decimals`: its printed precision); the recomputed
    one has one digit more, so a rounding difference is visible (58.668%), counts stay whole;
    a difference of shares is in percentage points."""
    from helpers.report.format import UNITS

    unit = _unit(unit) or "number"  # a figure whose unit its item names
    if pd.isna(stated):  # no published value for this population: nothing compared
        return ("–", ch.fmtu(recomputed, unit, compact=False), "–")
    difference = recomputed - stated
    kind = UNITS[unit][0]
    printed = (
        reconcile.stated_decimals(stated)
        if decimals is None or pd.isna(decimals)
        else int(decimals)
    )
    places = max(0 if kind.trim else kind.decimals, printed - kind.scale)  # 183, not 183.00
    if kind.scale and 0 < abs(stated) * 10**kind.scale < 0.1:
        places = max(places, 2)  # 0.01%, as format_value shows small shares
    more = places + 1 if places or kind.decimals else 0
    if kind.scale:  # shares and rates: the difference in percentage points
        points = difference * 10**kind.scale
        digits = 3 if 0.0005 <= abs(points) < 0.005 else 2
        shown_difference = ch.fmtu(points, "pp", signed=True, decimals=digits)
    else:
        shown_difference = ch.fmtu(difference, unit, signed=True, decimals=more)
    return (
        ch.fmtu(stated, unit, decimals=places),
        ch.fmtu(recomputed, unit, decimals=more),
        shown_difference,
    )


# A figure keeps its number with the word after it (170 million, 19.3 patents) and with CNY before
# it; a long unit may still wrap after that word, so a narrow cell never overflows its column.
_NUMBER_AND_WORD = re.compile(r"(?<=\d) (?=\S)|(?<=CNY) (?=[−+\d])")


def bound_figure(text: str) -> str:
    """'CNY 170 million' → 'CNY\u00a0170\u00a0million'; '19.3 patents per firm' →
    '19.3\u00a0patents per firm' (no-break spaces where a line must not break)."""
    return _NUMBER_AND_WORD.sub("\u00a0", str(text))


def shown_checks(
    ch, sources: list[str], table: pd.DataFrame, values, source_column="appendix.columns.source"
) -> pd.DataFrame:
    """The reconciliation table as readers see it (the appendix's and each chapter's): source,
    item, published, recomputed and difference as shown_values gives them, and the verdict."""
    return pd.DataFrame(
        {
            ch.t(source_column): sources,
            ch.t("appendix.columns.item"): table["item"].to_list(),
            ch.t("appendix.columns.stated"): [bound_figure(v[0]) for v in values],
            ch.t("appendix.columns.recomputed"): [bound_figure(v[1]) for v in values],
            ch.t("appendix.columns.difference"): [bound_figure(v[2]) for v in values],
            ch.t("appendix.columns.status"): [
                ch.t(f"appendix.verdict.{s}") for s in table["status"]
            ],
        }
    )


def _document_title(ch, document: str) -> str:
    if document == FIRM_LEVEL:
        return ch.t("appendix.firm_level_heading")
    entry = ch.documents.get(document) or catalog_documents().get(document, {})
    # a source that is not a catalogued document (a repost, a speech) goes by its name
    title = entry.get("title" if ch.language == "zh" else "title_en") or ch.name(document)
    if ch.name(document) in (title, document):
        return ch.t("appendix.document_heading", title=title)
    # a seed is cited by its short name everywhere else: the heading introduces it
    return ch.t("appendix.document_heading_cited", title=title, name=ch.name(document))


def catalog_documents() -> dict[str, dict]:
    from helpers.data import catalog

    return catalog.documents()


def _short_source(ch, source: str, document: str) -> str:
    """The source without its document's id or short name (the section heading names the
    document)."""
    text = reader_source(source, ch.language)
    if not document:
        return text
    return text.removeprefix(f"{ch.name(document)} ").removeprefix(f"{document} ").strip()


def show(ch, items: pd.DataFrame, name: str = "reconciliation") -> pd.DataFrame:
    """The appendix as a reader sees it: a summary, the mismatches explained first (each with
    its computed difference), then one table per source document (mismatches first and
    highlighted), values with their units. The raw numbers go to tables/<notebook>_<name>.csv
    and .xlsx. Returns the raw table."""
    from IPython.display import HTML, display

    from helpers.report.html import render_fragment, render_table
    from helpers.report.spreadsheet import save_table_files

    table = checked(items)
    counts = table["status"].value_counts()
    ch.write_checks(table)  # what the key findings list (helpers.report.book)
    source_text = ch.t("appendix.source") + (
        ch.t("common.clause_separator") + ch.sources.firm_level() if ch.source.is_firm_level else ""
    )
    spreadsheet = ch.with_unit_words(table).assign(data_source=source_text)
    about = ch.table_about(spreadsheet, title=ch.t("site.index.appendix_table"), source=source_text)
    save_table_files(spreadsheet, ch.output / "tables", f"{ch.notebook}_{name}", about)
    ch.list_table(name, "", ch.t("site.index.appendix_table"))  # for the edition's index

    def show_fragment(kind, **values):
        display(HTML(render_fragment(kind, **values)))

    show_fragment(
        "reading",
        text=ch.t(
            "appendix.summary",
            count=compared(table),
            total=ch.fmt(compared(table), "项"),
            ok=ch.fmt(int(counts.get("ok", 0)), "项"),
            rounding=ch.fmt(int(counts.get("rounding", 0)), "项"),
            mismatch=ch.fmt(int(counts.get("mismatch", 0)), "项"),
        ),
    )
    if counts.get("unpublished", 0):  # listed, never counted as compared
        show_fragment(
            "reading",
            text=ch.t(
                "common.reconciliation_unpublished", count=ch.fmt(int(counts["unpublished"]), "项")
            ),
        )
    mismatches = table[table["status"] == "mismatch"]
    if len(mismatches):
        show_fragment("heading", level=2, text=ch.t("appendix.mismatch_heading"))
        for row in mismatches.itertuples():
            stated, recomputed, difference = shown_values(
                ch, row.stated, row.recomputed, row.unit, row.decimals
            )
            show_fragment(
                "reading",
                text=ch.t(
                    "appendix.mismatch_firm_level"
                    if row.document == FIRM_LEVEL
                    else "appendix.mismatch",
                    item=row.item,
                    source=reader_source(row.source, ch.language),
                    stated=stated,
                    recomputed=recomputed,
                    difference=difference,
                ),
            )
    documents = list(dict.fromkeys(table["document"].fillna("").sort_values(kind="stable")))
    for document in documents:
        part = table[table["document"].fillna("") == document]
        show_fragment("heading", level=2, text=_document_title(ch, document))
        show_fragment(
            "reading",
            text=ch.t(
                "appendix.document_summary",
                count=compared(part),
                total=ch.fmt(compared(part), "项"),
                mismatch=ch.fmt(int((part["status"] == "mismatch").sum()), "项"),
            ),
        )
        values = [
            shown_values(ch, r.stated, r.recomputed, r.unit, r.decimals) for r in part.itertuples()
        ]
        shown = shown_checks(
            ch, [_short_source(ch, s, document) for s in part["source"]], part, values
        )
        display(
            HTML(
                render_table(
                    shown,
                    css_class="data-table reconciliation-table",
                    row_classes=part["status"].tolist(),
                    short_labels=False,  # fixed column widths (report.css)
                )
            )
        )
    show_fragment("figure_source", number="", source=source_text)
    return table
