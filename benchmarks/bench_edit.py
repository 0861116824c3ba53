"""The build against the bare tools, wall and CPU seconds side by side (issue 23, items 2 and 3).
Not a test.

    .venv/bin/python benchmarks/bench_edit.py [--runs 3] [--jobs 2] [--markdown]
    .venv/bin/python benchmarks/bench_edit.py --edit     # in a scratch clone only: edits a label

Rows (each the median of --runs runs but the cold build, wall and CPU: user + system seconds of
the finished child processes, kernels included, which stays fair on a shared machine):
* floor: an empty notebook through the bare tools, `papermill` then `jupyter nbconvert --to html`
  (two fresh processes, as a user without this project would run them);
* bare loop: the same two commands over every chapter of notebooks/pipeline.yml in book order
  (HTML only: no PDF, no book);
* cold build: `make -jN report REGIONS=none` into empty BUILD and REPORTS folders (every chapter
  and the book, HTML and PDF, checked and published), and its ratio to the bare loop (target
  ≤ 0.7 of its wall time);
* with --edit: one word of chapter 01's label file changed (and put back afterwards), then `make
  -jN report REGIONS=none`: when the chapter's staged HTML page is in place and when the whole
  edition with its PDFs is published, each against the floor (targets 3× and 5×); and the same
  edit through `make preview-steps` (HTML only). --edit changes a file of the checkout it runs
  in: run it in a scratch clone (git clone . /tmp/x), never in a shared working tree.
"""

from __future__ import annotations

import argparse
import datetime
import math
import os
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
VENV_BIN = Path(sys.executable).parent
EDITED_LABELS = REPO / "src" / "helpers" / "report" / "labels" / "ch01.zh.yml"


def children_cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def timed(command: list[str], **kwargs) -> dict[str, float]:
    """Wall and CPU seconds of one command (its waited-for children included)."""
    cpu, start = children_cpu(), time.perf_counter()
    done = subprocess.run(command, cwd=REPO, capture_output=True, text=True, **kwargs)
    took = {"wall": time.perf_counter() - start, "cpu": children_cpu() - cpu}
    if done.returncode:
        sys.exit(f"failed: {' '.join(command)}\n{done.stdout[-2000:]}\n{done.stderr[-2000:]}")
    return took


def bare(notebooks: list[Path], out: Path) -> dict[str, float]:
    """papermill + nbconvert --to html over `notebooks`, one after the other."""
    total = {"wall": 0.0, "cpu": 0.0}
    out.mkdir(parents=True, exist_ok=True)
    for notebook in notebooks:
        executed = out / notebook.name
        parameters = ["-p", "output_dir", str(out / "reports")]
        if notebook.stem != "empty":
            parameters += [
                "-p",
                "data_dir",
                str(REPO / "data" / "published"),
                "-p",
                "language",
                "zh",
            ]
        steps = [
            [
                str(VENV_BIN / "papermill"),
                str(notebook),
                str(executed),
                "--cwd",
                "notebooks",
                "--no-progress-bar",
                *parameters,
            ],
            [str(VENV_BIN / "jupyter"), "nbconvert", "--to", "html", str(executed)],
        ]
        for command in steps:
            took = timed(command)
            total = {k: total[k] + took[k] for k in total}
    return total


def empty_notebook(folder: Path) -> Path:
    import nbformat

    notebook = nbformat.v4.new_notebook()
    parameters = nbformat.v4.new_code_cell("output_dir = ''")
    parameters.metadata["tags"] = ["parameters"]
    notebook.cells = [nbformat.v4.new_markdown_cell("# empty"), parameters]
    notebook.metadata["kernelspec"] = {
        "name": "python3",
        "display_name": "Python 3",
        "language": "python",
    }
    path = folder / "empty.ipynb"
    nbformat.write(notebook, path)
    return path


def median(runs: list[dict]) -> dict[str, float]:
    return {k: statistics.median(r[k] for r in runs) for k in runs[0]}


def make(target: str, jobs: int, build: Path, reports: Path, watch: Path | None = None) -> dict:
    """Wall and CPU of `make target`; with `watch`, also when that file was (re)written."""
    start = time.perf_counter()
    seen: dict[str, float] = {}
    stop = threading.Event()
    before = watch.stat().st_mtime_ns if watch and watch.exists() else None

    def poll() -> None:
        while not stop.is_set():
            if watch.exists() and watch.stat().st_mtime_ns != before:
                seen["page"] = time.perf_counter() - start
                return
            time.sleep(0.05)

    if watch:
        threading.Thread(target=poll, daemon=True).start()
    command = ["make", f"-j{jobs}", "--no-print-directory", target, "REGIONS=none"]
    took = timed([*command, f"BUILD={build}", f"REPORTS={reports}"])
    stop.set()
    return {**took, **seen}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--jobs", type=int, default=2)
    parser.add_argument("--markdown", action="store_true")
    parser.add_argument("--edit", action="store_true", help="scratch clones only (see above)")
    parser.add_argument("--quick", action="store_true", help="one run of each row")
    # `make benchmark` hands BENCH_ARGS to benchmarks/bench_build.py and here: its own flags
    # (--sizes …) are not ours
    args, _ = parser.parse_known_args()
    if args.quick:
        args.runs = 1
    sys.path.insert(0, str(REPO / "src"))
    from helpers.pipeline import chapters

    notebooks = [REPO / "notebooks" / f"{c}.ipynb" for c in chapters()]
    rows: list[tuple[str, dict, str]] = []
    load = os.getloadavg()
    with tempfile.TemporaryDirectory(prefix="bench-edit-") as scratch:
        tmp = Path(scratch)
        empty = empty_notebook(tmp)
        floor = median([bare([empty], tmp / f"floor{i}") for i in range(args.runs)])
        rows.append(
            (
                f"floor: empty notebook, papermill + nbconvert html (median of {args.runs})",
                floor,
                "",
            )
        )
        loop = median([bare(notebooks, tmp / f"bare{i}") for i in range(args.runs)])
        rows.append(
            (
                f"bare loop: {len(notebooks)} chapters, papermill + nbconvert html (median of {args.runs})",
                loop,
                "",
            )
        )
        build, reports = tmp / "build", tmp / "reports"
        cold = make("report", args.jobs, build, reports)
        rows.append(
            (
                f"cold make -j{args.jobs} report REGIONS=none (chapters + book, HTML + PDF, published)",
                cold,
                f"{cold['wall'] / loop['wall']:.2f}× the bare loop's wall (target ≤ 0.7), "
                f"{cold['cpu'] / loop['cpu']:.2f}× its CPU",
            )
        )
        if args.edit:
            original = EDITED_LABELS.read_bytes()
            page = build / "zh" / "reports" / "html" / "01_cultivation.html"
            try:
                for target, what in (
                    ("report", "HTML + PDF, published"),
                    ("preview-steps", "HTML only"),
                ):
                    text = EDITED_LABELS.read_text(encoding="utf-8")
                    EDITED_LABELS.write_text(text.replace("：", "： ", 1), encoding="utf-8")
                    edited = make(target, args.jobs, build, reports, watch=page)
                    rows.append(
                        (
                            f"chapter 01 label edited, make {target}: the chapter's page in place",
                            {"wall": edited.get("page", float("nan")), "cpu": float("nan")},
                            f"{edited.get('page', float('nan')) / floor['wall']:.1f}× floor (target ≤ 3)",
                        )
                    )
                    rows.append(
                        (
                            f"chapter 01 label edited, make {target}: done ({what})",
                            edited,
                            f"{edited['wall'] / floor['wall']:.1f}× floor"
                            + (" (target ≤ 5)" if target == "report" else ""),
                        )
                    )
            finally:
                EDITED_LABELS.write_bytes(original)
        shutil.rmtree(build, ignore_errors=True)
    stamp = datetime.datetime.now(datetime.UTC).strftime("%Y-%m-%d %H:%M UTC")
    after = os.getloadavg()
    title = (
        f"benchmarks/bench_edit.py {' '.join(sys.argv[1:])} — {stamp}, {os.cpu_count()} cores, "
        f"load average {load[0]:.1f} before, {after[0]:.1f} after (1 min)"
    )
    if args.markdown:
        print(title)
        print("| measure | wall s | CPU s | compared with |\n|---|---:|---:|---|")
        for name, took, note in rows:
            print(f"| {name} | {seconds(took['wall'])} | {seconds(took['cpu'])} | {note} |")
    else:
        print(title)
        for name, took, note in rows:
            print(f"{name}: wall {seconds(took['wall'])} s, CPU {seconds(took['cpu'])} s  {note}")


def seconds(value: float) -> str:
    """Seconds to two decimals; a dash where the row has no such figure (a page's CPU is the
    whole make's, given on the row after it)."""
    return "–" if math.isnan(value) else f"{value:.2f}"


if __name__ == "__main__":
    main()
