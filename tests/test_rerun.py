"""Notebooks are re-runnable as analysts use them: after a full run in JupyterLab, running any
code cell again raises no error and changes no recorded number or reconciliation row.

The notebook × data folder runs are independent, so they run two at a time (one kernel each,
the machines have two cores) on the first test's request; each test then checks its own run."""

import json
import shutil
import tempfile
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import nbformat
import pytest
from jupyter_client.manager import KernelManager
from nbclient import NotebookClient

REPO = Path(__file__).parents[1]
NOTEBOOKS = sorted((REPO / "notebooks").glob("[0-9][0-9]_*.ipynb"))
DATA_DIRS = ["data/published", "data/sample"]
pytestmark = [pytest.mark.build, pytest.mark.edition]  # every notebook, twice


def outputs(folder: Path, stem: str) -> dict[str, bytes]:
    files = [
        folder / "statistics" / f"{stem}.csv",
        folder / "tables" / f"{stem}_reconciliation.csv",
    ]
    return {p.name: p.read_bytes() for p in files if p.exists()}


def run_twice(notebook: Path, data_dir: str, output: Path) -> dict:
    """Run every cell, then every code cell again; what each pass wrote, and any error."""
    nb = nbformat.read(notebook, as_version=4)
    parameters = nbformat.v4.new_code_cell(
        f"data_dir = {data_dir!r}\noutput_dir = {str(output)!r}\nlanguage = 'zh'\n"
    )
    at = next(i for i, c in enumerate(nb.cells) if "parameters" in c.metadata.get("tags", []))
    nb.cells.insert(at + 1, parameters)
    # Unix sockets in a short folder: two kernels at once cannot race for a TCP port.
    sockets = Path(tempfile.mkdtemp(prefix="zjtx-rerun-"))
    kernel = KernelManager(kernel_name="python3", transport="ipc", ip=str(sockets / "k"))
    client = NotebookClient(
        nb,
        km=kernel,
        kernel_name="python3",
        resources={"metadata": {"path": str(REPO / "notebooks")}},
    )
    result = {"first": {}, "second": {}, "errors": []}
    try:
        with client.setup_kernel():
            for index, cell in enumerate(nb.cells):
                client.execute_cell(cell, index)
            result["first"] = outputs(output, notebook.stem)
            for index, cell in enumerate(nb.cells):
                if cell.cell_type == "code":
                    client.execute_cell(cell, index)  # raises CellExecutionError on an error
                    errors = [o for o in cell.outputs if o.get("output_type") == "error"]
                    if errors:
                        result["errors"].append((index, json.dumps(errors)[:500]))
            result["second"] = outputs(output, notebook.stem)
    except Exception as error:  # reported by the notebook's own test, not by the pool
        result["errors"].append(("exception", f"{type(error).__name__}: {error}"[:2000]))
    finally:
        if kernel.has_kernel:  # a kernel manager we pass in is ours to shut down
            kernel.shutdown_kernel(now=True)
        shutil.rmtree(sockets, ignore_errors=True)
    return result


@pytest.fixture(scope="module")
def reruns(request, tmp_path_factory, sample_tables):
    # The cases this session collected (all of them, or those `-k` chose).
    cases = [
        (item.callspec.params["notebook"], item.callspec.params["data_dir"])
        for item in request.session.items
        if getattr(item, "originalname", None) == "test_every_code_cell_can_run_twice"
    ]
    root = tmp_path_factory.mktemp("rerun")
    # A notebook reads published-shaped tables: the sample as the build aggregates it.
    folder = {"data/published": "data/published", "data/sample": sample_tables}
    with ThreadPoolExecutor(max_workers=2) as pool:
        futures = {
            (n.stem, d): pool.submit(run_twice, n, folder[d], root / f"{n.stem}-{Path(d).name}")
            for n, d in cases
        }
        return {case: future.result() for case, future in futures.items()}


@pytest.mark.parametrize("data_dir", DATA_DIRS)
@pytest.mark.parametrize("notebook", NOTEBOOKS, ids=lambda p: p.stem)
def test_every_code_cell_can_run_twice(reruns, notebook, data_dir):
    result = reruns[notebook.stem, data_dir]
    assert not result["errors"], result["errors"]
    assert result["first"], "the notebook wrote no statistics or reconciliation"
    assert result["second"] == result["first"]
