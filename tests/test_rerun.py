"""Notebooks are re-runnable as analysts use them: after a full run in JupyterLab, running any
code cell again raises no error and changes no recorded number or reconciliation row."""

import json
from pathlib import Path

import nbformat
import pytest
from nbclient import NotebookClient

REPO = Path(__file__).parents[1]
NOTEBOOKS = sorted((REPO / "notebooks").glob("[0-9][0-9]_*.ipynb"))
pytestmark = pytest.mark.build


def outputs(folder: Path, stem: str) -> dict[str, bytes]:
    files = [
        folder / "statistics" / f"{stem}.csv",
        folder / "tables" / f"{stem}_reconciliation.csv",
    ]
    return {p.name: p.read_bytes() for p in files if p.exists()}


@pytest.mark.parametrize("data_dir", ["data/published", "data/sample"])
@pytest.mark.parametrize("notebook", NOTEBOOKS, ids=lambda p: p.stem)
def test_every_code_cell_can_run_twice(notebook, data_dir, tmp_path):
    nb = nbformat.read(notebook, as_version=4)
    parameters = nbformat.v4.new_code_cell(
        f"data_dir = {data_dir!r}\noutput_dir = {str(tmp_path)!r}\nlanguage = 'zh'\n"
    )
    at = next(i for i, c in enumerate(nb.cells) if "parameters" in c.metadata.get("tags", []))
    nb.cells.insert(at + 1, parameters)
    client = NotebookClient(
        nb, kernel_name="python3", resources={"metadata": {"path": str(REPO / "notebooks")}}
    )
    with client.setup_kernel():
        for index, cell in enumerate(nb.cells):
            client.execute_cell(cell, index)
        first = outputs(tmp_path, notebook.stem)
        assert first, "the notebook wrote no statistics or reconciliation"
        for index, cell in enumerate(nb.cells):
            if cell.cell_type == "code":
                client.execute_cell(cell, index)  # raises CellExecutionError on an error
                errors = [o for o in cell.outputs if o.get("output_type") == "error"]
                assert not errors, (index, json.dumps(errors)[:500])
        assert outputs(tmp_path, notebook.stem) == first
