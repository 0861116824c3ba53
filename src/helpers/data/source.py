"""Two inputs, one contract: every chapter reads a folder shaped like data/published/ (tables
and `catalog_*.yml`). The published tables are such a folder; an analyst's firm-level export is
aggregated once by the build (`make tables`, helpers.firmlevel.tables.ensure_tables) into one
under $(BUILD)/tables/, whose catalogue names the export as its source (document id
`firm-level`: folder, fingerprint, synthetic). A DataSource reads such a folder and says where
its tables come from; it never aggregates."""

from __future__ import annotations

import functools
from pathlib import Path

import pandas as pd
import yaml

from helpers.data import catalog
from helpers.data.errors import DataInputError, Problem
from helpers.parameters import folder_kind
from helpers.paths import REFERENCE_DIR, display_path

# Written by the firm-level step beside the tables (helpers.firmlevel.tables): the tables the
# export gives no input for, by name, with the inputs they lack.
NOT_GIVEN_FILE = "not_given.yml"


class DataSource:
    def __init__(self, folder: Path, cutoff: str = "2023-07-31"):
        self.folder = Path(folder)
        self.cutoff = cutoff
        if not self.folder.is_dir():
            raise DataInputError(Problem(display_path(self.folder), "data folder not found"))
        kind = folder_kind(self.folder)
        if kind == "firm-level":
            raise DataInputError(
                Problem(
                    display_path(self.folder),
                    "a firm-level export: chapters read the published-shaped tables the build "
                    "aggregates it into (`make tables DATA_DIR=…` prints their folder)",
                )
            )
        if kind is None:
            raise DataInputError(
                Problem(
                    display_path(self.folder),
                    "no published tables (catalog_*.yml) in this folder; see data/README.md",
                )
            )
        self.tables_dir = self.folder
        document = catalog.documents(self.folder).get(catalog.FIRM_LEVEL_DOCUMENT)
        self.firm_level_document = document or {}
        self.is_firm_level = document is not None
        self.is_published = not self.is_firm_level
        self.is_synthetic = bool(self.firm_level_document.get("synthetic"))

    @property
    def label(self) -> str:
        """The data folder as its edition names it: the firm-level export's folder, else this
        folder."""
        return self.firm_level_document.get("folder") or display_path(self.folder)

    @staticmethod
    def reference_path(name: str) -> Path:
        """Path of a reference table (provinces, cities, industry_fields, listing_boards)."""
        return REFERENCE_DIR / f"{name}.csv"

    def provides(self, name: str) -> bool:
        """Whether this source has a table of that name."""
        return name in catalog.load_catalog(self.tables_dir)

    def table(self, name: str) -> pd.DataFrame:
        """A validated table by name (attrs: see catalog.frame_attrs)."""
        return catalog.load_published(name, self.tables_dir)

    def not_given(self) -> dict[str, list[str]]:
        """{table: inputs it lacks} of aggregated firm-level data ('patents', 'listings',
        'firms.<column>'); {} for published tables, which lack nothing."""
        return _not_given(self.tables_dir)


@functools.cache
def _not_given(folder: Path) -> dict[str, list[str]]:
    path = Path(folder) / NOT_GIVEN_FILE
    if not path.is_file():
        return {}
    return yaml.safe_load(path.read_text(encoding="utf-8")) or {}
