"""Two inputs, one contract: a data folder is either the published tables (a folder with
`catalog_*.yml`) or an analyst's firm-level export (a folder with `firms.csv`/`firms.xlsx`).
Notebooks ask for tables by name and get the same shape from either."""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from helpers.data import catalog
from helpers.data.errors import DataInputError, Problem
from helpers.paths import PUBLISHED_DIR, display_path
from helpers.data.tableio import find_table_file


class DataSource:
    def __init__(self, folder: Path, cutoff: str = "2023-07-31"):
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
        self._firm_level = None
        marker = self.folder / "SYNTHETIC"
        self.is_synthetic = marker.exists()

    @staticmethod
    def reference_path(name: str) -> Path:
        """Path of a reference table (provinces, cities, industry_fields, listing_boards)."""
        from helpers.paths import REFERENCE_DIR

        return REFERENCE_DIR / f"{name}.csv"

    def provides(self, name: str) -> bool:
        """Whether this source has a table of that name (published catalogue or firm-level)."""
        if self.is_published:
            return name in catalog.load_catalog(self.folder)
        from helpers.firmlevel.firms import FIRM_LEVEL_ONLY_TABLES

        return name in FIRM_LEVEL_ONLY_TABLES or name in catalog.load_catalog(PUBLISHED_DIR)

    def firm_level_table(self, name: str) -> pd.DataFrame | None:
        """The firm-level aggregate of that name, or None (published source, or not derivable)."""
        if not self.is_firm_level:
            return None
        if self._firm_level is None:  # validated and loaded once, on first use
            from helpers.firmlevel.firms import FirmLevelData

            self._firm_level = FirmLevelData(self.folder, cutoff=self.cutoff)
        return self._firm_level.table(name)

    def table(self, name: str) -> pd.DataFrame:
        if self.is_published:
            return catalog.load_published(name, self.folder)
        aggregated = self.firm_level_table(name)
        if aggregated is not None:
            return aggregated
        # Context a firm list cannot give (e.g. all companies listed on each board) stays published.
        return catalog.load_published(name, PUBLISHED_DIR)
