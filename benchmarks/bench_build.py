"""Build benchmark: prints how long each stage takes on this machine. Not a test.

make benchmark            # or: .venv/bin/python benchmarks/bench_build.py
"""

from __future__ import annotations

import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
PYTHON = sys.executable


def timed(command: list[str], **kwargs) -> float:
    start = time.perf_counter()
    subprocess.run(command, check=True, capture_output=True, cwd=REPO, **kwargs)
    return time.perf_counter() - start


def best_of(runs: int, command: list[str]) -> float:
    return min(timed(command) for _ in range(runs))


def main() -> None:
    rows = []
    rows.append(("python start (bare)", best_of(3, [PYTHON, "-c", "pass"])))
    for module in (
        "papermill",
        "nbconvert",
        "weasyprint",
        "pandas, matplotlib.pyplot",
        "helpers.chapter",
    ):
        rows.append((f"import {module}", best_of(3, [PYTHON, "-c", f"import {module}"])))

    with tempfile.TemporaryDirectory() as folder:
        tmp = Path(folder)

        def make(*targets: str, jobs: int = 1, build: str = "build") -> float:
            return timed(
                [
                    "make",
                    f"-j{jobs}",
                    "--no-print-directory",
                    *targets,
                    f"BUILD={tmp / build}",
                    f"REPORTS={tmp / 'reports'}",
                ]
            )

        rows.append(("make report, cold, -j1", make("report", build="b1")))
        rows.append(("make report, cold, -j2", make("report", jobs=2, build="b2")))
        rows.append(("make report, nothing changed", make("report", build="b2")))
        notebook = REPO / "notebooks" / "01_cultivation.ipynb"
        rows.append(
            (
                "one chapter (execute + HTML + PDF)",
                timed(
                    [
                        PYTHON,
                        "-m",
                        "helpers.build",
                        "chapter",
                        "--notebook",
                        str(notebook),
                        "--staging",
                        str(tmp / "one" / "reports"),
                    ]
                ),
            )
        )
        html = (tmp / "reports" / "zh" / "html" / "01_cultivation.html").read_text(encoding="utf-8")
        script = (
            "import sys, time, weasyprint; from helpers.report import pdf as build; page = sys.stdin.read();"
            "t = time.perf_counter(); build.render_pdf(page, build.BUILD_DIR, __import__('pathlib').Path(sys.argv[1]));"
            "print(time.perf_counter() - t)"
        )

        def render(target: str) -> float:
            result = subprocess.run(
                [PYTHON, "-c", script, str(tmp / target)],
                input=html,
                text=True,
                capture_output=True,
                check=True,
                cwd=REPO,
            )
            return float(result.stdout)

        shutil.rmtree(REPO / "build" / "fonts", ignore_errors=True)
        first, cached = render("a.pdf"), render("b.pdf")
        rows.append(("PDF render, font subset built", first))
        rows.append(("PDF render, font subset cached", cached))

    width = max(len(name) for name, _ in rows)
    print(f"{'stage':<{width}}  seconds")
    for name, seconds in rows:
        print(f"{name:<{width}}  {seconds:7.2f}")


if __name__ == "__main__":
    main()
