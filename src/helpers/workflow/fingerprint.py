"""Content fingerprints: a chapter is rebuilt when the SHA-256 of its inputs changes — the
notebook, the helpers package, the pinned requirements, the reference tables, the data files of
the tables it declares (notebooks/pipeline.yml) and the build parameters — never because a
file's time changed. Kept free of heavy imports: it runs once per chapter on every build. The
files of a folder and their digest are helpers.data.digest's (one rule for every fingerprint)."""

from __future__ import annotations

from pathlib import Path

import yaml

from helpers.data.digest import files_digest, folder_files
from helpers.paths import DATA_DIR, PUBLISHED_DIR, REFERENCE_DIR, REPO_ROOT
from helpers.pipeline import ALL, HELPERS_DIR, PIPELINE_FILE, checked_chapters, declared_tables


def published_files(tables: list[str] | str) -> list[Path]:
    """Catalogues plus the CSV files of the declared tables (all of them for 'all')."""
    catalogs = sorted(PUBLISHED_DIR.glob("catalog_*.yml"))
    if tables == ALL:
        return folder_files(PUBLISHED_DIR)
    files = list(catalogs)
    for catalog_path in catalogs:
        entries = (yaml.safe_load(catalog_path.read_text(encoding="utf-8")) or {}).get(
            "tables"
        ) or {}
        files += [PUBLISHED_DIR / entries[name]["file"] for name in tables if name in entries]
    return sorted(set(files))


def input_files(notebook: Path, data_dir: Path) -> list[Path]:
    """Every file whose content a chapter's outputs depend on."""
    tables = declared_tables(notebook.stem)
    files = [notebook, PIPELINE_FILE, REPO_ROOT / "requirements.txt"]
    # The appendix lists the other chapters' checks: their notebooks are its inputs too.
    files += [notebook.parent / f"{chapter}.ipynb" for chapter in checked_chapters(notebook.stem)]
    files += folder_files(HELPERS_DIR) + folder_files(REFERENCE_DIR)
    files += published_files(tables)
    if Path(data_dir).resolve() != PUBLISHED_DIR.resolve():
        # Firm-level data: every file of the folder feeds the aggregation.
        files += [*folder_files(data_dir), DATA_DIR / "firm_schema.yml"]
    return sorted(set(files))


def data_files(data_dir: Path) -> list[Path]:
    """Every file the data check reads: all published and reference tables, the firm-level
    folder and schema, and the validation code."""
    files = folder_files(PUBLISHED_DIR) + folder_files(REFERENCE_DIR) + folder_files(HELPERS_DIR)
    if Path(data_dir).resolve() != PUBLISHED_DIR.resolve():
        files += [*folder_files(data_dir), DATA_DIR / "firm_schema.yml"]
    return sorted(set(files))


def chapter_files(notebook: Path, data_dir: Path, parameters: dict) -> list[Path]:
    """input_files, and with PREVIOUS (`previous_dir`) the previous edition's data files too."""
    files = input_files(notebook, data_dir)
    if parameters.get("previous_dir"):
        from helpers.paths import resolve

        files = sorted({*files, *folder_files(resolve(parameters["previous_dir"]))})
    return files


def fingerprint(notebook: Path, data_dir: Path, parameters: dict) -> str:
    """SHA-256 over a chapter's inputs' paths and contents and the build parameters."""
    return files_digest(chapter_files(notebook, data_dir, parameters), parameters)
