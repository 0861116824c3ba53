"""Tables for download: CSV (UTF-8 with BOM, so Excel shows Chinese) and XLSX with fixed
document properties, so the same table gives the same bytes; text that a spreadsheet would run
as a formula is neutralised first (helpers.data.tableio.neutralise_formulas, the one
implementation, shared with the firm-level tables)."""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from helpers.data.tableio import neutralise_formulas


def save_table_files(frame: pd.DataFrame, folder: Path, stem: str, sheet: str) -> None:
    """`stem`.csv and `stem`.xlsx in folder, formulas neutralised."""
    folder.mkdir(parents=True, exist_ok=True)
    safe = neutralise_formulas(frame)
    safe.to_csv(folder / f"{stem}.csv", index=False, encoding="utf-8-sig", lineterminator="\n")
    write_xlsx(safe, folder / f"{stem}.xlsx", sheet=sheet[:31])


def write_xlsx(frame: pd.DataFrame, path: Path, sheet: str = "data") -> None:
    """XLSX with fixed document properties, so the same table gives the same bytes."""
    import re
    import zipfile
    from datetime import datetime

    from openpyxl import Workbook

    workbook = Workbook()
    sheet_ = workbook.active
    sheet_.title = sheet
    sheet_.append([str(c) for c in frame.columns])
    for row in frame.itertuples(index=False):
        sheet_.append(
            [None if pd.isna(v) else (v.item() if hasattr(v, "item") else v) for v in row]
        )
    fixed = datetime(2000, 1, 1)
    workbook.properties.created = fixed
    workbook.properties.modified = fixed
    workbook.properties.creator = "zjtx-report"
    workbook.save(path)
    # openpyxl stamps the save time into docProps/core.xml and the zip entry headers.
    with zipfile.ZipFile(path) as source:
        entries = [(info.filename, source.read(info.filename)) for info in source.infolist()]
    entries = [
        (name, re.sub(rb"(<dcterms:modified[^>]*>)[^<]*", rb"\g<1>2000-01-01T00:00:00Z", content))
        if name == "docProps/core.xml"
        else (name, content)
        for name, content in entries
    ]
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as target:
        for filename, content in entries:
            info = zipfile.ZipInfo(filename, date_time=(2000, 1, 1, 0, 0, 0))
            info.compress_type = zipfile.ZIP_DEFLATED
            target.writestr(info, content)
