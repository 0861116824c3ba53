"""Comparing recomputed figures with the published ones: a published share of 49.8% and a
recomputed 0.49818 agree up to the published rounding; 49.8% vs 0.512 is a finding."""

from __future__ import annotations

from decimal import Decimal

import pandas as pd

# 'unpublished': a figure with no published value for the same population (a firm-level
# edition's own figure): listed, never counted as a comparison.
STATUS_ORDER = {"mismatch": 0, "rounding": 1, "ok": 2, "unpublished": 3}
COMPARED = ("ok", "rounding", "mismatch")
# What a check carries besides its verdict, where given: which printed figure it is (check_id,
# see cell_id), the document that prints it, and the unit and printed precision it is read in.
CARRIED = ("check_id", "document", "unit", "decimals")


def cell_id(table: str, key_values, column: str) -> str:
    """The identity of a check: the printed figure it checks, as its table, its row's key values
    and its column ('sq_financing:全部:avg_deal_stated'). A figure checked in a chapter and by a
    catalogue's `reconcile:` entry (or against firm-level data) is one item with one verdict."""
    return f"{table}:{'|'.join(_key_text(v) for v in key_values)}:{column}"


def _key_text(value) -> str:
    """A key value as text, the same whether it was read as 1 or 1.0."""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def printed_cells(rows: pd.DataFrame, stated, key, table: str) -> list[tuple[str, str] | None]:
    """Where each stated figure of a check is printed among `rows` (loaded rows of `table`,
    keyed by the columns `key`): (check id, the row's source_doc), or None.

    `stated` a Series taken from a column of `rows` (the same index, the same values): each
    row's cell. A single number: the one cell of a single row that holds exactly it (a printed
    figure read from the row it cites). None where the figure is no single cell there (a sum of
    printed figures, a figure from another table, a value computed from several cells)."""
    key = list(key)
    indexed = [name for name in rows.index.names if name]  # key columns made the index
    if not table or not key or any(k not in rows and k not in indexed for k in key):
        return [None] * (len(stated) if isinstance(stated, pd.Series) else 1)

    def cell(index, column: str) -> tuple[str, str]:
        row = rows.loc[index]
        own = dict(zip(indexed, index if isinstance(index, tuple) else (index,), strict=False))
        document = str(row["source_doc"]) if "source_doc" in rows else ""
        values = [row[k] if k in rows.columns else own[k] for k in key]
        return cell_id(table, values, column), document

    if isinstance(stated, pd.Series):
        column = stated.name
        if column not in rows or not stated.index.isin(rows.index).all():
            return [None] * len(stated)
        found = []
        for index, value in stated.items():
            printed = rows.loc[index, column]
            same = (pd.isna(printed) and pd.isna(value)) or printed == value
            found.append(cell(index, column) if same else None)
        return found
    if len(rows) != 1 or pd.isna(stated):
        return [None]
    row = rows.iloc[0]
    holding = [
        c
        for c in rows.columns
        if c not in key
        and pd.api.types.is_number(row[c])
        and not isinstance(row[c], bool)
        and not pd.isna(row[c])
        and float(row[c]) == float(stated)
    ]
    return [cell(rows.index[0], holding[0])] if len(holding) == 1 else [None]


def one_per_figure(*parts: pd.DataFrame | None) -> pd.DataFrame:
    """The checks of several places as one list with each printed figure once (by check_id):
    the first place to check a figure keeps it — a chapter's words and verdict before the
    catalogue's or the firm-level comparison's. Order kept; a check without an id is kept."""
    frames = [part for part in parts if part is not None and len(part)]
    if not frames:
        return pd.DataFrame(columns=["check_id"])
    merged = pd.concat(frames, ignore_index=True)
    if "check_id" not in merged:
        return merged
    ids = merged["check_id"]
    return merged[ids.isna() | ~ids.duplicated()].reset_index(drop=True)


def stated_decimals(value: float) -> int:
    """Decimal places a published number was printed with (0.498 -> 3, 12950 -> 0)."""
    exponent = Decimal(repr(float(value))).normalize().as_tuple().exponent
    return max(0, -int(exponent))


def status(stated: float, recomputed: float, decimals: int | None = None) -> str:
    """'ok' if equal, 'rounding' if within half a unit of the stated precision, else 'mismatch';
    'unpublished' when there is no published value (NaN) to compare with."""
    if pd.isna(stated):
        return "unpublished"
    if abs(recomputed - stated) < 1e-12:
        return "ok"
    decimals = stated_decimals(stated) if decimals is None else decimals
    tolerance = 0.5 * 10.0**-decimals + 1e-12
    return "rounding" if abs(recomputed - stated) <= tolerance else "mismatch"


def reconcile(
    items: pd.DataFrame, source: str = "source", item: str = "item", decimals: str | None = None
) -> pd.DataFrame:
    """Table with columns source, item, stated, recomputed, difference, status (mismatches first),
    then those of CARRIED that `items` has (check_id, document, unit, decimals).

    `items` needs columns `source`, `item`, `stated`, `recomputed` and optionally `decimals`
    (the published precision when the stored value lost it, e.g. 0.40 stored as 0.4)."""
    table = items.rename(columns={source: "source", item: "item"}).copy()
    table["difference"] = table["recomputed"] - table["stated"]
    precision = table[decimals] if decimals and decimals in table else [None] * len(table)
    table["status"] = [
        status(s, r, d if d is None or pd.notna(d) else None)
        for s, r, d in zip(table["stated"], table["recomputed"], precision, strict=True)
    ]
    table = table.sort_values("status", key=lambda s: s.map(STATUS_ORDER), kind="stable")
    carried = [c for c in CARRIED if c in table and c != decimals] + (
        ["decimals"] if decimals and decimals in table else []
    )
    columns = ["source", "item", "stated", "recomputed", "difference", "status"]
    return table[columns + carried].reset_index(drop=True)


# Declarative checks of published figures against their own parts, listed per table under
# `reconcile:` in the catalogue. Each kind recomputes a stated column from other columns.
def _row_label(frame: pd.DataFrame, key: tuple[str, ...], item: str | None = None) -> pd.Series:
    columns = [item] if item else ([c for c in key if c in frame] or [frame.columns[0]])
    return frame[columns].astype(str).agg(" ".join, axis=1)


def _keys(rows: pd.DataFrame, key: tuple[str, ...]) -> list[tuple]:
    """Each row's key values (the table's `key:` columns), to name the figure it prints."""
    return (
        [tuple(row) for row in rows[list(key)].itertuples(index=False)] if key else [()] * len(rows)
    )


def _select(frame: pd.DataFrame, where: dict | None) -> pd.DataFrame:
    for column, values in (where or {}).items():
        frame = frame[frame[column].astype(str).isin([str(v) for v in values])]
    return frame


def _check_items(check: dict, frame: pd.DataFrame, key: tuple[str, ...]) -> pd.DataFrame:
    """Items (item, stated, recomputed, and the key values of the row printing the stated
    figure) of one `reconcile:` check on a table (rows in `where`).

    Kinds: share_of_sum (value / sum of value, per `by` group), share_of_total (value / total),
    ratio (numerator / denominator, same row), parts_sum (the `total_where` row vs the sum of the
    `parts_where` rows, per `by` group), between_rows (a / b, a / b - 1 or a - b across rows; see
    `_between_rows`). Stated figures left empty are skipped."""
    kind = check["kind"]
    rows = _select(frame, check.get("where"))
    label = check.get("label", "")
    if kind in {"share_of_sum", "share_of_total", "ratio"}:
        if kind == "share_of_sum":
            groups = rows.groupby(check["by"]) if check.get("by") else [(None, rows)]
            recomputed = pd.concat(
                [part[check["value"]] / part[check["value"]].sum() for _, part in groups]
            )
        elif kind == "share_of_total":
            recomputed = rows[check["value"]] / float(check["total"])
        else:
            recomputed = rows[check["numerator"]] / rows[check["denominator"]]
        stated = rows[check["stated"]]
        mask = stated.notna() & recomputed.notna()
        items = _row_label(rows, key, check.get("item"))[mask] + (
            f" {label}" if label else f" {check['stated']}"
        )
        return pd.DataFrame(
            {
                "item": items.to_numpy(),
                "stated": stated[mask].astype(float).to_numpy(),
                "recomputed": recomputed[mask].astype(float).to_numpy(),
                "key": _keys(rows[mask], key),
            }
        )
    if kind == "parts_sum":
        groups = rows.groupby(check["by"]) if check.get("by") else [((), rows)]
        records = []
        for group, part in groups:
            total_row = _select(part, check["total_where"])
            total = total_row[check["value"]]
            parts = _select(part, check["parts_where"])[check["value"]]
            if len(total) == 1 and len(parts):
                name = " ".join(map(str, group if isinstance(group, tuple) else (group,)))
                records.append(
                    {
                        "item": f"{name} {label or 'sum of parts'}".strip(),
                        "stated": float(total.iloc[0]),
                        "recomputed": float(parts.sum()),
                        "key": _keys(total_row, key)[0],
                    }
                )
        return pd.DataFrame(records, columns=["item", "stated", "recomputed", "key"])
    if kind == "between_rows":
        return _between_rows(check, rows, key)
    raise ValueError(
        f"unknown reconcile kind {kind!r} "
        "(valid: share_of_sum, share_of_total, ratio, parts_sum, between_rows)"
    )


BETWEEN_ROWS_OPS = {
    "ratio": lambda a, b: a / b,  # a share or a multiple: 36 of 80 products -> 0.45
    "growth": lambda a, b: a / b - 1,  # end value a over start value b -> growth rate
    "difference": lambda a, b: a - b,  # 0.080 - 0.069, x scale 100 -> 1.1 percentage points
}


def _between_rows(check: dict, rows: pd.DataFrame, key: tuple[str, ...]) -> pd.DataFrame:
    """Kind `between_rows`: a published figure computed from figures on other rows of a long table.

    `a` and `b` each select one row ({column: [values]}); their column `value` (or `a_value` /
    `b_value`) gives the operands of `op` (ratio a/b, the default; growth a/b - 1; difference
    a - b), times `scale` (default 1; 100 turns a difference of fractions into percentage points).
    The stated figure is column `stated` (default `value`) of the row `stated_row` selects (default
    the `a` row). With `by` (group columns) this is done within each group, skipping groups that
    lack one of the rows. A selector matching several rows, or nothing matching at all, is an error.
    """
    op = BETWEEN_ROWS_OPS[check.get("op", "ratio")]
    value = check.get("value")
    a_value, b_value = check.get("a_value", value), check.get("b_value", value)
    stated_column = check.get("stated", value)
    label = check.get("label", "")
    groups = rows.groupby(check["by"]) if check.get("by") else [((), rows)]
    records = []
    for _, part in groups:
        picked = [_select(part, check.get(s) or check["a"]) for s in ("a", "b", "stated_row")]
        if any(len(p) > 1 for p in picked):
            raise ValueError(f"between_rows: a selector matches several rows: {check}")
        if any(len(p) == 0 for p in picked):
            continue
        a_row, b_row, stated_row = (p.iloc[0] for p in picked)
        stated = stated_row[stated_column]
        if pd.isna(stated) or pd.isna(a_row[a_value]) or pd.isna(b_row[b_value]):
            continue
        recomputed = op(float(a_row[a_value]), float(b_row[b_value])) * float(check.get("scale", 1))
        name = _row_label(picked[2], key, check.get("item")).iloc[0]
        records.append(
            {
                "item": f"{name} {label or stated_column}",
                "stated": float(stated),
                "recomputed": recomputed,
                "key": _keys(picked[2], key)[0],
            }
        )
    if not records:
        raise ValueError(
            f"between_rows: nothing to check (no row matches, or no stated value): {check}"
        )
    return pd.DataFrame(records, columns=["item", "stated", "recomputed", "key"])


def _check_text(check: dict) -> str:
    """The words `_check_items` puts after the row's name in `item`."""
    if check.get("label"):
        return check["label"]
    if check["kind"] == "parts_sum":
        return "sum of parts"
    return check.get("stated") or check.get("value", "")


def published_checks(published_dir=None) -> pd.DataFrame:
    """Every `reconcile:` check of every catalogued table: columns source, item, stated,
    recomputed, decimals (the published precision, where the catalogue gives it), table, and
    item's parts row and check, check_id (the figure checked: cell_id), the provenance
    source_doc and source_ids ('|'-separated) and the unit of the stated figure."""
    from helpers.data import catalog
    from helpers.paths import PUBLISHED_DIR

    folder = published_dir or PUBLISHED_DIR
    parts = []
    for name, spec in catalog.load_catalog(folder).items():
        for check in spec.extra.get("reconcile", []):
            frame = catalog.load_published(name, folder)
            items = _check_items(check, frame, spec.key)
            source_ids = sorted(set(frame["source_id"].dropna()))
            items.insert(
                0, "source", f"{spec.document.get('id', '')} {'、'.join(source_ids)[:60]}".strip()
            )
            items["decimals"] = check.get("decimals")
            items["table"] = name
            # The parts of `item`, for reports that show it in another language.
            check_text = _check_text(check)
            items["row"] = items["item"].str.removesuffix(check_text).str.strip()
            items["check"] = check_text
            stated_column = check.get("stated") or check.get("value", "")
            items["check_id"] = [cell_id(name, key, stated_column) for key in items.pop("key")]
            items["source_doc"] = spec.document.get("id", "")
            items["source_ids"] = "|".join(source_ids)
            # the check's own unit where the stated column has none (a table of figures each
            # in its own unit, such as 003's Shandong figures)
            stated_column = check.get("stated") or check.get("value", "")
            items["unit"] = check.get("unit") or spec.unit(stated_column) or None
            parts.append(items)
    return pd.concat(parts, ignore_index=True) if parts else pd.DataFrame()


def firm_level_checks(source) -> pd.DataFrame:
    """Aggregates of firm-level data (the rows of `source.tables_dir` with source_doc
    firm-level) vs the published tables of the same name: every numeric value column, matched
    on the table's key — only when the firms are the published population (the same batches at
    the same cut-off: the document's `same_population`), else none. Columns source, item, stated (published), recomputed (from the firms),
    decimals, and item's parts table, row (key values) and column, with the column's unit and
    the check_id of the published figure (cell_id)."""
    from helpers.data import catalog
    from helpers.paths import PUBLISHED_DIR

    records = []
    published_specs = catalog.load_catalog(PUBLISHED_DIR)
    if not source.firm_level_document.get("same_population"):
        published_specs = {}  # other firms or another cut-off: nothing is comparable
    for name, derived in catalog.load_catalog(source.tables_dir).items():
        spec = published_specs.get(name)
        if (
            spec is None
            or not spec.key
            or derived.document.get("id") != catalog.FIRM_LEVEL_DOCUMENT
        ):
            continue
        aggregated = catalog.load_published(name, source.tables_dir)
        aggregated = aggregated[aggregated["source_doc"] == catalog.FIRM_LEVEL_DOCUMENT]
        published = catalog.load_published(name, PUBLISHED_DIR)
        numeric = [
            column
            for column, rule in spec.columns.items()
            if rule.get("type") in {"int", "float"}
            and not column.endswith("_stated")
            and column not in spec.key
        ]
        merged = published.merge(
            aggregated, on=list(spec.key), how="inner", suffixes=("_published", "_firms")
        )
        for row in merged.itertuples(index=False):
            row = row._asdict()
            label = " ".join(str(row[k]) for k in spec.key)
            for column in numeric:
                stated, recomputed = row.get(f"{column}_published"), row.get(f"{column}_firms")
                if pd.isna(stated) or pd.isna(recomputed):
                    continue
                records.append(
                    {
                        "source": f"{spec.document.get('id', '')} {name}",
                        "item": f"{label} {column}",
                        "stated": float(stated),
                        "recomputed": float(recomputed),
                        "decimals": None,
                        "table": name,
                        "row": label,
                        "column": column,
                        "unit": spec.unit(column) or None,
                        "check_id": cell_id(name, [row[k] for k in spec.key], column),
                    }
                )
    columns = ["source", "item", "stated", "recomputed", "decimals", "table", "row", "column"]
    return pd.DataFrame(records, columns=[*columns, "unit", "check_id"])
