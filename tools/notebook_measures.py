"""How thin the notebooks are: code lines of each notebook under notebooks/ (all code cells,
blank lines and comments included, as an analyst scrolls them) and the functions, classes and
lambdas defined in them (none should be: logic lives in src/helpers/, tested).

    python -m tools.notebook_measures          # one line per notebook, the largest first
    python -m tools.notebook_measures --check  # exit 1 when a notebook is over the limit

`make lint` prints these beside the import contracts; tests/test_notebook_shape.py holds the
limits."""

from __future__ import annotations

import argparse
import ast
import json
import sys
from dataclasses import dataclass
from pathlib import Path

from helpers.paths import NOTEBOOKS_DIR

MAX_CODE_LINES = 150


@dataclass(frozen=True)
class NotebookMeasure:
    notebook: Path
    code_lines: int
    definitions: tuple[str, ...]  # "def name (cell 4)", "lambda (cell 7)"


def code_cells(notebook: Path) -> list[str]:
    cells = json.loads(notebook.read_text(encoding="utf-8"))["cells"]
    return ["".join(c["source"]) for c in cells if c["cell_type"] == "code"]


def measure(notebook: Path) -> NotebookMeasure:
    lines, definitions = 0, []
    for index, source in enumerate(code_cells(notebook), 1):
        lines += len(source.splitlines())
        for node in ast.walk(ast.parse(source)):
            if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef | ast.ClassDef):
                kind = "class" if isinstance(node, ast.ClassDef) else "def"
                definitions.append(f"{kind} {node.name} (code cell {index})")
            elif isinstance(node, ast.Lambda):
                definitions.append(f"lambda (code cell {index}, line {node.lineno})")
    return NotebookMeasure(notebook, lines, tuple(definitions))


def measures(folder: Path = NOTEBOOKS_DIR) -> list[NotebookMeasure]:
    found = [measure(path) for path in sorted(Path(folder).glob("*.ipynb"))]
    return sorted(found, key=lambda m: (-m.code_lines, m.notebook.name))


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m tools.notebook_measures")
    parser.add_argument("--check", action="store_true", help="exit 1 when over a limit")
    args = parser.parse_args(argv)
    found = measures()
    over = [m for m in found if m.code_lines > MAX_CODE_LINES or m.definitions]
    largest = found[0]
    print(
        f"notebooks: largest {largest.notebook.name} {largest.code_lines} code lines "
        f"(limit {MAX_CODE_LINES}); functions defined in notebooks: "
        f"{sum(len(m.definitions) for m in found)}"
    )
    for m in over:
        print(f"  {m.notebook.name}: {m.code_lines} code lines; {', '.join(m.definitions)}")
    return 1 if args.check and over else 0


if __name__ == "__main__":
    sys.exit(main())
