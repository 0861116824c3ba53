"""Notebooks read as the analysis: at most MAX_CODE_LINES lines of code each and nothing defined
in them (no def, class or lambda); what they compute lives in src/helpers/, tested."""

from pathlib import Path

import pytest

from tools.notebook_measures import MAX_CODE_LINES, measure

NOTEBOOKS = sorted((Path(__file__).parents[1] / "notebooks").glob("*.ipynb"))


@pytest.mark.parametrize("notebook", NOTEBOOKS, ids=lambda p: p.name)
def test_a_notebook_is_short_and_defines_nothing(notebook):
    found = measure(notebook)
    assert found.code_lines <= MAX_CODE_LINES, f"{found.code_lines} lines of code"
    assert found.definitions == (), "defined in the notebook: " + ", ".join(found.definitions)


def test_the_measure_counts_definitions(tmp_path):
    import json

    source = "x = 1\n\n\ndef f(a):\n    return (lambda b: b)(a)\n\n\nclass C:\n    pass\n"
    cells = [{"cell_type": "code", "source": source, "metadata": {}, "outputs": []}]
    path = tmp_path / "n.ipynb"
    path.write_text(json.dumps({"cells": cells}), encoding="utf-8")
    found = measure(path)
    assert found.code_lines == 9
    assert found.definitions == (
        "def f (code cell 1)",
        "class C (code cell 1)",
        "lambda (code cell 1, line 5)",
    )
