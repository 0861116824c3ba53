"""The published shape of a firm-level aggregate: its catalogue entry (the published one, or the
firm-level `outputs` of data/firm_schema.yml), provenance, printed rounding and dtypes.

* A printed figure the report checks against a recomputation (TableSpec.compared_columns:
  analysed_share_stated, share_stated …) holds the published table's figure of the same row when
  the firms are the population the publication describes (FirmLevelData.same_population), else
  nothing: a figure is never checked against itself. Other *_stated columns (a growth rate, an
  invention share: the table's only value) and the columns holding printed figures
  (PRINTED_COLUMNS: text figures, the typical profile, the national averages of the city and
  cluster pages) are the data's own figures, rounded half-up to the decimals the publication
  prints (shares to 0.1 percentage point, i.e. 3 decimals of a fraction; a positive share that
  would round to 0 gets more decimals, like 新加坡交易所上市 0.01%); integer columns are
  rounded half-up; other value columns keep full precision. A figure the data cannot give (a growth rate from a zero
  base) is missing, or has no row in a long table (metric/value).
* Rows a firm list cannot give (科创板/北交所 comparison rows, all companies listed on a board,
  the other populations of the typical profile) are copied from the published table with their
  published provenance; derived rows have source_doc = "firm-level", source_id = the input files
  used ("firms.csv、patents.csv"), inferred = false and an empty note.
* The catalogue entry of a derived table is the published one without `totals` and `reconcile`
  (an analyst's firms need not add up to the published 12,950), with as_of = the cut-off and
  every float column (and NOT_DERIVABLE) nullable; its document is the firm-level folder.
"""

from __future__ import annotations

from dataclasses import replace
from decimal import ROUND_HALF_UP, Decimal
from pathlib import Path

import numpy as np
import pandas as pd

from helpers.data import catalog
from helpers.data.catalog import TableSpec, validate_frame
from helpers.data.tableio import read_table_text
from helpers.firmlevel.read import output_specs

SOURCE_DOC = "firm-level"
DOCUMENT = "企业级数据"
DOCUMENT_EN = "firm-level data"
SOURCE_ID_SEPARATOR = "、"
# Published columns that firm data cannot fill (missing in the aggregated table), although the
# published catalogue declares them non-nullable.
NOT_DERIVABLE = {"capital_markets": ("change_yoy",)}
# Published columns holding figures as printed (stated text figures, the typical profile, the
# national averages printed on the cluster and city pages): like *_stated columns, the firm-level
# value is rounded half-up to the decimals the published row is printed with.
PRINTED_COLUMNS = {
    "typical_profile": ("value",),
    "text_figures": ("value",),
    "region_text_figures": ("value",),
    "cluster_metrics": ("national_avg",),
    "city_metrics": ("national_avg",),
}


def stated(value: float, decimals: int = 3) -> float:
    """`value` rounded half-up to `decimals` as the publication prints it; a positive value that
    would round to 0 gets more decimals (up to 6): 1/12192 -> 0.0001 (新加坡交易所上市 0.01%)."""
    if value is None or pd.isna(value):
        return np.nan
    text = Decimal(repr(float(value)))
    for places in range(decimals, 7):
        rounded = float(text.quantize(Decimal(1).scaleb(-places), rounding=ROUND_HALF_UP))
        if rounded != 0 or value == 0:
            return rounded
    return rounded


def source_spec(name: str, published_dir: Path) -> TableSpec:
    """The catalogue entry a derived table takes its shape from."""
    if name in output_specs():
        return output_specs()[name]
    return catalog.table_spec(name, published_dir)


def derived_spec(name: str, published_dir: Path, cutoff: str, document: dict) -> TableSpec:
    """The catalogue entry of a derived table (see the module docstring)."""
    spec = source_spec(name, published_dir)
    nullable = set(NOT_DERIVABLE.get(name, ()))
    nullable |= {c for c, rule in spec.columns.items() if rule.get("type") == "float"}
    columns = {
        column: {**rule, "nullable": True} if column in nullable else dict(rule)
        for column, rule in spec.columns.items()
    }
    return replace(
        spec,
        file=f"{SOURCE_DOC}_{name}.csv",
        as_of=cutoff,
        document=document,
        columns=columns,
        totals=(),
        extra={},
        catalog_file=f"catalog_{SOURCE_DOC}.yml",
    )


def printed_decimals(spec: TableSpec, column: str, published_dir: Path) -> tuple[dict, int]:
    """Decimals each published row of `spec` prints `column` with (from the CSV text), by key,
    and the most decimals of the column (for rows not published)."""
    text = read_table_text(Path(published_dir) / spec.file)
    decimals = {}
    for _, row in text.iterrows():
        shown = str(row[column])
        if shown:
            decimals[tuple(str(row[k]) for k in spec.key)] = (
                len(shown.split(".")[1]) if "." in shown else 0
            )
    return decimals, max(decimals.values(), default=3)


def published_stated(
    name: str, frame: pd.DataFrame, column: str, published_dir: Path, key: tuple[str, ...]
) -> list:
    """The published figure of `column` for each row of `frame` (matched on the table's key),
    NaN where the publication has no such row."""
    specs = catalog.load_catalog(Path(published_dir))
    if name not in specs or column not in specs[name].columns:
        return [np.nan] * len(frame)
    published = catalog.load_published(name, Path(published_dir))
    by_key = {tuple(str(v) for v in row[list(key)]): row[column] for _, row in published.iterrows()}
    return [by_key.get(tuple(str(v) for v in row), np.nan) for row in frame[list(key)].values]


def finish(
    name: str,
    frame: pd.DataFrame,
    files: list[str],
    published_dir: Path,
    spec: TableSpec,
    same_population: bool = False,
) -> pd.DataFrame:
    """Provenance, column order, printed rounding and the dtypes of `spec` (a derived_spec,
    validated with the same code as a published table) and the attrs of catalog.load_published."""
    source_id = SOURCE_ID_SEPARATOR.join(Path(f).name for f in files)
    frame = frame.copy().reset_index(drop=True)
    for column in catalog.PROVENANCE_COLUMNS:
        frame[column] = frame[column].astype(object) if column in frame else pd.NA
    # Rows without a source_doc are derived here; rows copied from a published table keep theirs.
    derived = frame["source_doc"].isna()
    frame.loc[derived, "source_doc"] = SOURCE_DOC
    frame.loc[derived, "source_id"] = source_id
    frame.loc[derived, "inferred"] = False
    frame.loc[derived & frame["note"].isna(), "note"] = ""
    frame = frame[list(spec.all_columns)]
    for column in source_spec(name, published_dir).compared_columns:
        published = (
            published_stated(name, frame, column, published_dir, spec.key)
            if same_population
            else [np.nan] * len(frame)
        )
        frame[column] = frame[column].astype(object)
        frame.loc[derived, column] = pd.Series(published, index=frame.index)[derived]
    for column in PRINTED_COLUMNS.get(name, ()):
        decimals, default = printed_decimals(
            source_spec(name, published_dir), column, published_dir
        )
        keys = frame[list(spec.key)].astype(str).apply(tuple, axis=1)
        frame[column] = [
            stated(value, decimals.get(k, default)) if is_derived and pd.notna(value) else value
            for value, k, is_derived in zip(frame[column], keys, derived, strict=True)
        ]
    # A long table leaves out a metric its data cannot give (a growth rate from a zero base);
    # in a wide table such a figure stays missing (floats are nullable here, counts are not).
    if "metric" in frame and "value" in frame:
        frame = frame[frame["value"].notna()]
    frame.index = pd.RangeIndex(2, 2 + len(frame))
    folder = spec.document.get("folder", "")
    typed = validate_frame(frame, spec, f"{folder} → {name}")
    typed.attrs.update(catalog.frame_attrs(spec, typed))
    return typed
