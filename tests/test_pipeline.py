"""The build graph in notebooks/pipeline.yml and the content fingerprints built on it."""

import json
import os
import re
import shutil
from pathlib import Path

import pytest

from helpers import pipeline
from helpers.build import fingerprint

REPO = Path(__file__).parents[1]
NOTEBOOKS = sorted((REPO / "notebooks").glob("[0-9][0-9]_*.ipynb"))
TABLE_CALL = re.compile(r'ch\.(?:table|optional_table|published_table)\("([a-z0-9_]+)"\)')


def test_every_notebook_is_declared_and_every_declaration_has_a_notebook():
    assert {nb.stem for nb in NOTEBOOKS} == set(pipeline.declarations())


@pytest.mark.parametrize("notebook", NOTEBOOKS, ids=lambda p: p.stem)
def test_every_table_a_notebook_reads_is_declared(notebook):
    source = "".join(
        "".join(cell["source"])
        for cell in json.loads(notebook.read_text(encoding="utf-8"))["cells"]
    )
    declared = pipeline.declared_tables(notebook.stem)
    if declared != pipeline.ALL:
        assert set(TABLE_CALL.findall(source)) <= set(declared)


def test_an_undeclared_read_is_refused_with_a_fix():
    with pytest.raises(KeyError, match=r"does not declare.*add it there"):
        pipeline.check_declared("01_cultivation", "firms_by_city")
    pipeline.check_declared("01_cultivation", "cultivation_batches")
    pipeline.check_declared("99_reconciliation", "anything")  # tables: all


@pytest.fixture
def published_copy(tmp_path, monkeypatch):
    copy = tmp_path / "published"
    shutil.copytree(REPO / "data" / "published", copy)
    monkeypatch.setattr(fingerprint, "PUBLISHED_DIR", copy)
    return copy


def fingerprint_01(published_copy, **parameters):
    notebook = REPO / "notebooks" / "01_cultivation.ipynb"
    return fingerprint.fingerprint(notebook, published_copy, {"language": "zh", **parameters})


def test_fingerprint_follows_declared_content_not_file_times(published_copy):
    before = fingerprint_01(published_copy)
    declared = published_copy / "001_a_share_boards.csv"
    os.utime(declared, (0, 0))  # a new time, same content
    assert fingerprint_01(published_copy) == before
    undeclared = published_copy / "001_firms_by_city.csv"
    undeclared.write_text(undeclared.read_text(encoding="utf-8") + "\n", encoding="utf-8")
    assert fingerprint_01(published_copy) == before
    declared.write_text(
        declared.read_text(encoding="utf-8").replace("3182", "3183"), encoding="utf-8"
    )
    assert fingerprint_01(published_copy) != before


def test_fingerprint_follows_parameters(published_copy):
    assert fingerprint_01(published_copy) != fingerprint_01(published_copy, language="en")


def test_firm_level_fingerprint_covers_the_data_folder(tmp_path):
    folder = tmp_path / "firms"
    folder.mkdir()
    (folder / "firms.csv").write_text("firm_id\nA\n", encoding="utf-8")
    notebook = REPO / "notebooks" / "01_cultivation.ipynb"
    before = fingerprint.fingerprint(notebook, folder, {})
    (folder / "patents.csv").write_text("firm_id,year\nA,2022\n", encoding="utf-8")
    assert fingerprint.fingerprint(notebook, folder, {}) != before
