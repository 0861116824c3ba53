"""Shared by the variant tools (tools.six_batches, tools.later_cutoff): a copy of a firm-level
folder with one file rewritten, its other files byte for byte."""

from __future__ import annotations

import shutil
from collections.abc import Callable
from pathlib import Path

import pandas as pd


def write_with_one_file_changed(
    source: Path, target: Path, name: str, change: Callable[[pd.DataFrame], pd.DataFrame]
) -> Path:
    """Copy `source` to `target`, `name` (a CSV) read as text, passed through `change` and
    written again; the sample's README.md, which describes the original, is left out."""
    source, target = Path(source), Path(target)
    target.mkdir(parents=True, exist_ok=True)
    for path in source.iterdir():
        if path.is_file() and path.name not in {name, "README.md"}:
            shutil.copyfile(path, target / path.name)
    # As text: every other cell keeps its exact spelling (0.070 stays 0.070).
    frame = change(pd.read_csv(source / name, dtype=str, keep_default_na=False))
    frame.to_csv(target / name, index=False, lineterminator="\n")
    return target
