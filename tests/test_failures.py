"""Failures point at the cause: a failing cell stops the build naming the notebook, the cell
and its first line and the error, keeps the partly executed notebook, and touches no report."""

import json
import subprocess
import sys
from pathlib import Path

import pytest

REPO = Path(__file__).parents[1]
pytestmark = pytest.mark.build


def test_a_failing_cell_is_named_with_its_first_line_and_the_partial_notebook_kept(tmp_path):
    notebook = json.loads((REPO / "notebooks" / "01_cultivation.ipynb").read_text(encoding="utf-8"))
    bad = {
        "cell_type": "code",
        "execution_count": None,
        "id": "bad-cell",
        "metadata": {},
        "outputs": [],
        "source": ["# an analyst's edit\n", "share = 1 / 0\n"],
    }
    notebook["cells"].insert(3, bad)
    copy = tmp_path / "notebooks" / "01_cultivation.ipynb"
    copy.parent.mkdir()
    copy.write_text(json.dumps(notebook, ensure_ascii=False), encoding="utf-8")
    result = subprocess.run(
        [
            sys.executable,
            "-m",
            "helpers.workflow",
            "chapter",
            "--notebook",
            str(copy),
            "--build",
            str(tmp_path / "build"),
        ],
        cwd=REPO,
        capture_output=True,
        text=True,
    )
    assert result.returncode != 0
    message = result.stderr.strip().splitlines()
    assert len(message) == 2, result.stderr  # no traceback
    assert "01_cultivation.ipynb failed in cell" in message[0]
    assert (
        "(`# an analyst's edit`)" in message[0]
        and "ZeroDivisionError: division by zero" in message[0]
    )
    kept = tmp_path / "build" / "zh" / "executed" / "01_cultivation.ipynb"
    assert str(kept.relative_to(tmp_path)) in message[1] or kept.name in message[1]
    assert kept.exists()
    assert not (tmp_path / "build" / "zh" / "reports" / "html" / "01_cultivation.html").exists()
