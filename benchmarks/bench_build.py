"""Build benchmark: one table, side by side in one run (issue 10 item 8, issue 8's measures).
Not a test.

    make benchmark                                   # everything (slow: see below)
    .venv/bin/python benchmarks/bench_build.py --quick        # smoke run, a few minutes
    .venv/bin/python benchmarks/bench_build.py --runs 5 --markdown

Rows:
* the per-document floor: an empty notebook (a parameters cell only) through the build's own
  execute_notebook + export_html + render_pdf, in a fresh Python process as a build step is;
* each chapter's cost and PDF export per document (execute/html/pdf as the build logs them);
* the cold full build: `make -j2 report` for zh then en, every chapter, the book and every
  profile (REGIONS=all), into empty build/ and reports/ folders (the shared font cache under
  build/fonts stays warm), and its ratio to documents × floor ÷ cores (target ≤ 1.3);
* the no-op rebuild (make's stamp only, and with the stamp removed: the steps' fingerprints),
  the one-chapter rebuild (its fingerprint marker removed, as after an edit: the chapter, the
  book and publish run);
* the per-profile cost and the profile fan-out (`make profiles`, every profile of the zh
  edition) at -j1 and -j2 against profiles × floor ÷ 2 (target within 1.3×);
* the firm-level scale rows of benchmarks/bench_scale.py (its own functions, run here);
* screening the 100× sample (≈1.3 M firms) under each MIIT rulebook, the chapter's summaries
  and both rulebooks side by side (benchmarks/bench_screening.py, run here; --quick: 10×).

Every row gives wall seconds and CPU seconds (user + system of the processes it ran, their
children included: on a shared machine the CPU seconds hold, the wall seconds depend on the
other jobs). Cheap rows and the firm-level sizes are the median of --runs runs (default 3; the
firm-level step interleaved with its peers, DuckDB's plain read_csv and a hand-written polars
aggregation, with the ratios, and the two that place the floor of a step with every check:
benchmarks/peers.py); the cold build and the fan-outs run once
(--quick: two regions, zh only, one run, scale size x1 only).
"""

from __future__ import annotations

import argparse
import datetime
import importlib.util
import json
import os
import re
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
PYTHON = sys.executable
CORES = os.cpu_count() or 1
# A document's line; a chapter built in two jobs (its page, then its PDF beside the book) has two.
BUILT = re.compile(
    r"^built (?P<profile>profile )?(?P<name>\S+) \((?P<edition>[^)]+)\): (?:[\d.]+ s \()?"
    r"(?:execute (?P<execute>[\d.]+) s, html (?P<html>[\d.]+) s)?(?:, )?"
    r"(?:pdf (?P<pdf>[\d.]+) s)?",
    re.M,
)
FLOOR_CHILD = """
import json, sys, time
from pathlib import Path
from helpers.workflow.batch import execute_notebook
from helpers.report.html import export_html
from helpers.report.pdf import render_pdf
notebook, out = Path(sys.argv[1]), Path(sys.argv[2])
start = time.perf_counter()
parameters = {"data_dir": "data/published", "output_dir": str(out), "language": "zh",
              "cutoff": "2023-07-31"}
execute_notebook(notebook, out / "executed" / "empty.ipynb", parameters)
executed = time.perf_counter()
page = export_html(out / "executed" / "empty.ipynb", out / "html" / "empty.html", "zh")
exported = time.perf_counter()
render_pdf(page, out / "html", out / "pdf" / "empty.pdf")
done = time.perf_counter()
print(json.dumps({"execute": executed - start, "html": exported - executed,
                  "pdf": done - exported}))
"""


# CPU seconds of the commands `run` ran: user + system of every process they waited for.
CPU_SPENT: list[float] = []


def children_cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def run(command: list[str], **kwargs) -> tuple[float, str]:
    """(wall seconds, stdout) of a command; its CPU seconds are appended to CPU_SPENT."""
    start, cpu = time.perf_counter(), children_cpu()
    result = subprocess.run(command, capture_output=True, text=True, cwd=REPO, **kwargs)
    seconds = time.perf_counter() - start
    CPU_SPENT.append(children_cpu() - cpu)
    if result.returncode:
        sys.exit(f"failed: {' '.join(command)}\n{result.stdout[-3000:]}\n{result.stderr[-3000:]}")
    return seconds, result.stdout


def make(target: str, build: Path, reports: Path, jobs: int = 2, **variables) -> tuple:
    command = ["make", f"-j{jobs}", "--no-print-directory", target]
    command += [f"BUILD={build}", f"REPORTS={reports}"]
    command += [f"{k}={v}" for k, v in variables.items()]
    return run(command)


def empty_notebook(folder: Path) -> Path:
    import nbformat

    nb = nbformat.v4.new_notebook()
    parameters = nbformat.v4.new_code_cell(
        "data_dir = 'data/published'\noutput_dir = ''\nlanguage = 'zh'\ncutoff = '2023-07-31'"
    )
    parameters.metadata["tags"] = ["parameters"]
    nb.cells = [nbformat.v4.new_markdown_cell("# empty"), parameters]
    nb.metadata["kernelspec"] = {
        "name": "python3",
        "display_name": "Python 3",
        "language": "python",
    }
    path = folder / "empty.ipynb"
    nbformat.write(nb, path)
    return path


def floor(tmp: Path, runs: int) -> dict:
    """Wall time of one fresh process taking an empty notebook through the pipeline."""
    notebook = empty_notebook(tmp)
    walls, cpus, parts = [], [], []
    for index in range(runs):
        out = tmp / f"floor{index}"
        seconds, stdout = run([PYTHON, "-c", FLOOR_CHILD, str(notebook), str(out)])
        walls.append(seconds)
        cpus.append(CPU_SPENT[-1])
        parts.append(json.loads(stdout.strip().splitlines()[-1]))
    medians = {k: statistics.median(p[k] for p in parts) for k in parts[0]}
    return {"wall": statistics.median(walls), "cpu": statistics.median(cpus), **medians}


def built_steps(log: str) -> list[dict]:
    """One row per document, its page's and its PDF's lines added up."""
    steps: dict[tuple, dict] = {}
    for m in BUILT.finditer(log):
        if m["execute"] is None and m["pdf"] is None:
            continue  # the book's line, or another step's
        row = steps.setdefault(
            (m["profile"], m["name"], m["edition"]),
            {**m.groupdict(), "execute": 0.0, "html": 0.0, "pdf": 0.0},
        )
        for k in ("execute", "html", "pdf"):
            row[k] += float(m[k] or 0)
    return list(steps.values())


def scale_rows(sizes: list[str], runs: int) -> tuple[list[tuple[str, dict]], object]:
    """(size, median figures with their peers') of benchmarks/bench_scale.py, and the module
    (its ratios)."""
    spec = importlib.util.spec_from_file_location(
        "bench_scale", REPO / "benchmarks" / "bench_scale.py"
    )
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    module.ensure_data(sizes)
    return [(name, module.measure(name, runs)) for name in sizes], module


def screening_rows(scale: int) -> dict[str, float]:
    """benchmarks/bench_screening.py's seconds at `scale` × the sample."""
    spec = importlib.util.spec_from_file_location(
        "bench_screening", REPO / "benchmarks" / "bench_screening.py"
    )
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module.bench_screening(scale)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="smoke run (a few minutes)")
    parser.add_argument("--runs", type=int, help="runs of each cheap row (median; default 3)")
    parser.add_argument("--regions", help="REGIONS for the builds (default all; --quick: two)")
    parser.add_argument("--languages", nargs="*", help="editions of the cold build (zh en)")
    parser.add_argument("--scale-sizes", nargs="*", help="bench_scale sizes (default all)")
    parser.add_argument("--rebuild-runs", type=int, help="runs of the one-chapter rebuild")
    parser.add_argument("--markdown", action="store_true", help="the table as Markdown")
    args = parser.parse_args()
    runs = args.runs or (1 if args.quick else 3)
    regions = args.regions or ("beijing tibet" if args.quick else "all")
    languages = args.languages or (["zh"] if args.quick else ["zh", "en"])
    sizes = args.scale_sizes
    if sizes is None:
        sizes = ["x1"] if args.quick else ["x1", "x10", "x100", "records-10M"]
    started = datetime.datetime.now(datetime.UTC)
    load_before = os.getloadavg()
    rows: list[tuple[str, str, str, str]] = []  # (measure, wall s, CPU s, compared with)

    def row(name: str, seconds: float | str, note: str = "", cpu: float | None = None) -> None:
        """A row; `cpu` None: not measured (–)."""
        value = seconds if isinstance(seconds, str) else f"{seconds:.2f}"
        shown = "–" if cpu is None or cpu != cpu else f"{cpu:.2f}"
        rows.append((name, value, shown, note))
        print(f"  {name}: {value} (CPU {shown}) {note}", file=sys.stderr, flush=True)

    with tempfile.TemporaryDirectory(prefix="bench-build-") as folder:
        tmp = Path(folder)
        base = floor(tmp, runs)
        row(
            f"per-document floor: empty notebook, fresh process (median of {runs})",
            base["wall"],
            f"inside: execute {base['execute']:.2f} + html {base['html']:.2f} + pdf "
            f"{base['pdf']:.2f} s",
            cpu=base["cpu"],
        )
        build, reports = tmp / "build", tmp / "reports"
        cold, cold_cpu, logs = 0.0, 0.0, ""
        for language in languages:
            seconds, log = make("report", build, reports, LANGUAGE=language, REGIONS=regions)
            cold += seconds
            cold_cpu += CPU_SPENT[-1]
            logs += log
            row(
                f"cold make -j2 report, {language} (chapters, book, profiles)",
                seconds,
                cpu=CPU_SPENT[-1],
            )
        steps = built_steps(logs)
        chapters = [s for s in steps if not s["profile"]]
        profiles = [s for s in steps if s["profile"]]
        for language in languages:
            for step in (s for s in chapters if s["edition"] == language):
                total = step["execute"] + step["html"] + step["pdf"]
                row(
                    f"chapter {step['name']} ({language}): execute + html + pdf",
                    total,
                    f"{step['execute']:.1f} + {step['html']:.1f} + {step['pdf']:.1f}; "
                    f"{total / base['wall']:.1f}× floor (wall; CPU not logged per document)",
                )
        documents = len(steps)
        expected = documents * base["wall"] / CORES
        row(
            f"cold full build ({', '.join(languages)}): {len(chapters)} chapters + "
            f"{len(profiles)} profiles = {documents} documents",
            cold,
            f"ratio to documents × floor ÷ {CORES} cores ({expected:.0f} s): "
            f"{cold / expected:.2f} (target ≤ 1.3)",
            cpu=cold_cpu,
        )
        pdfs = sorted(s["pdf"] for s in steps)
        row(
            "PDF export per document (median; min–max)",
            statistics.median(pdfs),
            f"{pdfs[0]:.1f}–{pdfs[-1]:.1f} s over {len(pdfs)} documents; floor's "
            f"{base['pdf']:.2f} s",
        )
        language = languages[0]
        noop = [make("report", build, reports, LANGUAGE=language, REGIONS=regions)[0]]
        noop += [
            make("report", build, reports, LANGUAGE=language, REGIONS=regions)[0]
            for _ in range(runs - 1)
        ]
        row(
            f"no-op make report ({language}, median of {runs})",
            statistics.median(noop),
            "≤ 0.5",
            cpu=statistics.median(CPU_SPENT[-runs:]),
        )
        fingerprints = []
        for _ in range(runs):
            shutil.rmtree(build / "stamps")  # as after `touch` of every input
            fingerprints.append(
                make("report", build, reports, LANGUAGE=language, REGIONS=regions)[0]
            )
        row(
            f"no-op, inputs' times changed, contents not (median of {runs})",
            statistics.median(fingerprints),
            "the steps' content fingerprints",
            cpu=statistics.median(CPU_SPENT[-runs:]),
        )
        chapter = chapters[0]["name"] if chapters else None
        if chapter:
            again = []
            for _ in range(args.rebuild_runs or runs):
                (build / language / "done" / f"{chapter}.sha256").unlink()
                shutil.rmtree(build / "stamps")
                again.append(make("report", build, reports, LANGUAGE=language, REGIONS=regions)[0])
            row(
                f"one-chapter rebuild, {chapter} (chapter, book, publish; median of {len(again)})",
                statistics.median(again),
                cpu=statistics.median(CPU_SPENT[-len(again) :]),
            )
        ours = [s for s in profiles if s["edition"] == language]
        if ours:
            costs = [s["execute"] + s["html"] + s["pdf"] for s in ours]
            row(
                f"per-profile cost, median of {len(ours)} ({language}): execute + html + pdf",
                statistics.median(costs),
                f"{statistics.median(costs) / base['wall']:.1f}× floor; min–max "
                f"{min(costs):.1f}–{max(costs):.1f}",
            )
            for jobs in (1, 2):
                for marker in (build / language / "done").glob("profile_*.sha256"):
                    marker.unlink()
                seconds, _ = make(
                    "profiles", build, reports, jobs, LANGUAGE=language, REGIONS=regions
                )
                ideal = len(ours) * base["wall"] / jobs
                row(
                    f"profile fan-out, {len(ours)} profiles, make -j{jobs} profiles",
                    seconds,
                    f"vs profiles × floor ÷ {jobs} = {ideal:.0f} s: {seconds / ideal:.2f}×"
                    + (" (target ≤ 1.3)" if jobs == 2 else ""),
                    cpu=CPU_SPENT[-1],
                )
    measured, scale_bench = scale_rows(sizes, runs)
    for name, m in measured:
        inputs = m["records"] or m["patent_rows"]
        ratio = scale_bench.ratios(m)
        versus = (
            f"; CPU parse ÷ DuckDB read_csv {ratio['parse_vs_read']:.2f} (target ≤ 1.5), "
            f"step ÷ polars {ratio['step_vs_polars']:.2f} (target ≤ 1)"
            if ratio
            else ""
        )
        row(
            f"firm-level step {name}: {m['firms']:,.0f} firms, {inputs:,.0f} input rows "
            f"(median of {runs})",
            m["wall"],
            f"parse {m['parse']:.1f} ({m['parse_cpu']:.1f} CPU) + aggregate "
            f"{m['aggregate']:.1f} ({m['aggregate_cpu']:.1f} CPU) s, peak {m['peak_gb']:.2f} GB"
            + versus,
            cpu=m["cpu"],
        )
        for peer, figures in m["peers"].items():
            row(
                f"  peer {name}: {scale_bench.PEER_LABELS[peer]} (median of {runs})",
                figures["wall"],
                f"peak {figures['peak_gb']:.2f} GB",
                cpu=figures["cpu"],
            )
    by_size = dict(measured)
    if "x10" in by_size and "x100" in by_size:
        growth = by_size["x100"]["cpu"] / by_size["x10"]["cpu"]
        wall_growth = by_size["x100"]["wall"] / by_size["x10"]["wall"]
        row(
            "firm-level step x10 → x100 (10× the data): growth",
            f"×{wall_growth:.1f}",
            "linear: ≤ ×10",
            cpu=None,
        )
        rows[-1] = (*rows[-1][:2], f"×{growth:.1f}", rows[-1][3])
    scale = 10 if args.quick else 100
    screened = screening_rows(scale)
    books = [
        k.removeprefix("screen_")
        for k in screened
        if k.startswith("screen_") and not k.endswith("_cpu")
    ]
    for book in books:
        row(
            f"screening {screened['firms']:,.0f} firms (x{scale}) under {book}",
            screened[f"screen_{book}"],
            "target ≤ 30 s",
            cpu=screened[f"screen_{book}_cpu"],
        )
    row(
        f"screening x{scale}: chapter 06's summaries and both rulebooks side by side",
        screened["summaries"] + screened["compare"],
        f"summaries {screened['summaries']:.1f} + side by side {screened['compare']:.1f} s; "
        f"read {screened['read']:.1f} s",
        cpu=screened["summaries_cpu"] + screened["compare_cpu"],
    )
    load_after = os.getloadavg()
    command = "benchmarks/bench_build.py " + " ".join(sys.argv[1:])
    print(
        f"{command.strip()} — {started:%Y-%m-%d %H:%M} UTC, {CORES} cores, load average "
        f"{load_before[0]:.1f} before, {load_after[0]:.1f} after (1 min)"
    )
    header = ("measure", "wall s", "CPU s", "compared with")
    if args.markdown:
        print("| " + " | ".join(header) + " |\n|---|---:|---:|---|")
        for line in rows:
            print("| " + " | ".join(line) + " |")
    else:
        widths = [max(len(h), *(len(line[i]) for line in rows)) for i, h in enumerate(header)]
        for line in [header, *rows]:
            print(
                f"{line[0]:<{widths[0]}}  {line[1]:>{widths[1]}}  {line[2]:>{widths[2]}}  {line[3]}"
            )


if __name__ == "__main__":
    main()
