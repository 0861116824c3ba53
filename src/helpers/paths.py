"""One place for the project's paths; notebooks and the build resolve everything through here."""

from __future__ import annotations

import os
from pathlib import Path

# src/helpers/paths.py -> repository root (the package is installed in editable mode).
REPO_ROOT = Path(os.environ.get("WORKBENCH_ROOT", Path(__file__).resolve().parents[2]))
DATA_DIR = REPO_ROOT / "data"
PUBLISHED_DIR = DATA_DIR / "published"
REFERENCE_DIR = DATA_DIR / "reference"
SAMPLE_DIR = DATA_DIR / "sample"
NOTEBOOKS_DIR = REPO_ROOT / "notebooks"
BUILD_DIR = REPO_ROOT / "build"


def resolve(path: str | os.PathLike) -> Path:
    """A path given relative to the repository root (as in `make report DATA_DIR=...`) made absolute."""
    path = Path(path)
    return path if path.is_absolute() else REPO_ROOT / path


def display_path(path: str | os.PathLike) -> str:
    """A path as shown to readers and in error messages: relative to the repository when inside it."""
    path = Path(path).resolve()
    try:
        return path.relative_to(REPO_ROOT.resolve()).as_posix()
    except ValueError:
        return path.as_posix()
