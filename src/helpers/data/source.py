"""Two inputs, one contract: a data folder is either the published tables (a folder with
`catalog_*.yml`) or an analyst's firm-level export (a folder with `firms.csv`/`firms.xlsx`).
A firm-level export is first aggregated into a folder shaped like data/published/
(helpers.firmlevel.tables.ensure_tables, a saved step rebuilt only when its inputs changed);
after that, tables are always read from a published-shaped folder, `tables_dir`."""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from helpers.data import catalog
from helpers.data.errors import DataInputError, Problem
from helpers.data.tableio import find_table_file
from helpers.paths import display_path


class DataSource:
    def __init__(self, folder: Path, cutoff: str = "2023-07-31", tables_root: Path | None = None):
        """`tables_root`: where a firm-level folder's tables are saved (default build/tables)."""
        self.folder = Path(folder)
        self.cutoff = cutoff
        if not self.folder.is_dir():
            raise DataInputError(Problem(display_path(self.folder), "data folder not found"))
        self.is_published = any(self.folder.glob("catalog_*.yml"))
        self.is_firm_level = find_table_file(self.folder, "firms") is not None
        if not (self.is_published or self.is_firm_level):
            raise DataInputError(
                Problem(
                    display_path(self.folder),
                    "neither published tables (catalog_*.yml) nor a firm-level export "
                    "(firms.csv or firms.xlsx) in this folder; see data/README.md",
                )
            )
        self.is_synthetic = (self.folder / "SYNTHETIC").exists()
        if self.is_published:
            self.tables_dir = self.folder
        else:
            from helpers.firmlevel.tables import ensure_tables

            extra = {} if tables_root is None else {"build_root": Path(tables_root)}
            self.tables_dir = ensure_tables(self.folder, cutoff, **extra)

    @staticmethod
    def reference_path(name: str) -> Path:
        """Path of a reference table (provinces, cities, industry_fields, listing_boards)."""
        from helpers.paths import REFERENCE_DIR

        return REFERENCE_DIR / f"{name}.csv"

    def provides(self, name: str) -> bool:
        """Whether this source has a table of that name."""
        return name in catalog.load_catalog(self.tables_dir)

    def table(self, name: str) -> pd.DataFrame:
        """A validated table by name (attrs: see catalog.frame_attrs)."""
        return catalog.load_published(name, self.tables_dir)
