"""Warm kernels (helpers.workflow.batch): a notebook run after another in the same kernel sees
none of its variables and gives the same bytes as in a fresh kernel; make's -j gives the jobs."""

from __future__ import annotations

import hashlib
import subprocess
import sys
from pathlib import Path
from typing import ClassVar

import nbformat
import pytest

from helpers.workflow import batch

REPO = Path(__file__).resolve().parents[1]


@pytest.mark.parametrize(
    "makeflags, jobs",
    [
        ("", 1),
        ("rs", 1),
        ("rs -j2 --jobserver-auth=3,4", 2),
        (" -j3 --jobserver-auth=fifo:/tmp/x", 3),
        ("--jobs=4", 4),
        ("s -- BUILD=/tmp/x", 1),
    ],
)
def test_jobs_come_from_make(makeflags, jobs):
    assert batch.jobs_from_make(makeflags) == jobs


def test_a_bare_j_means_every_core():
    import os

    assert batch.jobs_from_make("-j") == (os.cpu_count() or 1)


def notebook(folder: Path, name: str, *cells: str) -> Path:
    nb = nbformat.v4.new_notebook()
    parameters = nbformat.v4.new_code_cell("value = 0")
    parameters.metadata["tags"] = ["parameters"]
    nb.cells = [parameters, *(nbformat.v4.new_code_cell(c) for c in cells)]
    nb.metadata["kernelspec"] = {
        "name": "python3",
        "display_name": "Python 3",
        "language": "python",
    }
    path = folder / f"{name}.ipynb"
    nbformat.write(nb, path)
    return path


def test_each_notebook_starts_from_a_clean_namespace(tmp_path):
    first = notebook(tmp_path, "first", "left_behind = value * 2\nimport json")
    second = notebook(
        tmp_path,
        "second",
        "print(sorted(k for k in globals() if not k.startswith('_') and k not in "
        "('In', 'Out', 'get_ipython', 'exit', 'quit', 'open')))",
    )
    kernel = batch.WarmKernel(tmp_path)
    try:
        kernel.execute(first, tmp_path / "out" / "first.ipynb", {"value": 21})
        kernel.execute(second, tmp_path / "out" / "second.ipynb", {"value": 5})
    finally:
        kernel.shutdown()
    executed = nbformat.read(tmp_path / "out" / "second.ipynb", as_version=4)
    code = [c for c in executed.cells if c.cell_type == "code"]
    # The counter restarts (as after "Restart kernel"): what a reader of the notebook sees.
    assert [c.execution_count for c in code] == list(range(1, len(code) + 1))
    printed = code[-1].outputs[0]["text"]
    assert "left_behind" not in printed and "json" not in printed
    assert "value" in printed  # its own parameter, injected by papermill


def digests(folder: Path) -> dict[str, str]:
    return {
        str(p.relative_to(folder)): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(folder.rglob("*"))
        if p.is_file()
    }


def build(build_dir: Path, regions: str, chapters: str) -> dict[str, str]:
    result = subprocess.run(
        [
            *(sys.executable, "-m", "helpers.workflow", "documents", "--build", str(build_dir)),
            *("--chapters", chapters, "--regions", regions, "--jobs", "1"),
        ],
        cwd=REPO,
        capture_output=True,
        text=True,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    return digests(build_dir / "zh" / "reports")


@pytest.mark.build  # four profiles, in two orders
def test_outputs_do_not_depend_on_what_the_kernel_ran_before(tmp_path):
    # One kernel runs Tibet's profile, then Ningbo's; another Ningbo's, then Tibet's: the same
    # bytes, file by file.
    forward = build(tmp_path / "a", "tibet ningbo", "none")
    backward = build(tmp_path / "b", "ningbo tibet", "none")
    assert forward == backward
    assert any(k.endswith("ningbo.pdf") for k in forward)
    assert any(k.endswith("tibet.pdf") for k in forward)


def test_a_failure_stops_the_batch_and_names_the_notebook(tmp_path, capsys):
    broken = notebook(tmp_path, "broken", "1 / 0")

    class Args:
        build = str(tmp_path / "build")
        data_dir = "data/published"
        language = "zh"
        cutoff = "2023-07-31"

    from helpers.workflow.editions import Edition

    edition = Edition(Args)
    (document,) = batch.chapter_documents(edition, [REPO / "notebooks" / "05_context.ipynb"])
    import dataclasses

    failing = dataclasses.replace(
        document,
        name="broken",
        notebook=broken,
        marker=edition.marker("broken"),
        executed=tmp_path / "executed" / "broken.ipynb",
    )
    with pytest.raises(batch.BatchFailed) as raised:
        batch.run([failing, document], jobs=1)
    message = str(raised.value)
    # cell 3: papermill's injected parameters are cell 2
    assert "broken.ipynb failed in cell 3 (`1 / 0`): ZeroDivisionError" in message
    assert not failing.marker.exists()
    assert not document.marker.exists()  # not started after the failure


@pytest.mark.build  # a make report interrupted among its profiles
def test_ctrl_c_stops_in_one_line_and_leaves_no_kernel(tmp_path):
    import os
    import signal
    import time

    command = [sys.executable, "-m", "helpers.workflow", "documents", "--build", str(tmp_path)]
    command += ["--chapters", "none", "--regions", "beijing tibet ningbo shanghai", "--jobs", "2"]
    child = subprocess.Popen(
        command,
        cwd=REPO,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        start_new_session=True,  # its own process group, as a terminal's Ctrl-C reaches it
    )
    first = child.stdout.readline()  # the first document done: the kernels are warm
    assert first.startswith("built profile"), first + child.stderr.read()
    os.killpg(child.pid, signal.SIGINT)
    _, stderr = child.communicate(timeout=60)
    assert child.returncode != 0
    assert stderr.strip() == "documents: interrupted; the published reports are untouched"
    for _ in range(20):  # the workers finish their document and stop their kernels
        left = subprocess.run(["pgrep", "-a", "-g", str(child.pid)], capture_output=True, text=True)
        if not left.stdout:
            break
        time.sleep(0.5)
    assert left.stdout == "", f"still running after the interrupted build: {left.stdout}"


# --------------------------------------------------------------------------- order of the jobs


class Job:
    """A stand-in job (batch.render runs a non-Document's `run`): records when it ran."""

    ran: ClassVar[list[str]] = []

    def __init__(self, key: str, estimate: float, needs: tuple[str, ...] = ()):
        self.name = self.key = key
        self.estimate = estimate
        self.needs = needs

    def up_to_date(self) -> bool:
        return False

    def run(self) -> tuple[str, str]:
        Job.ran.append(self.key)
        return "built", f"built {self.key}"


def test_a_job_waits_for_what_it_needs_and_the_longest_ready_one_goes_first():
    Job.ran = []
    jobs = [
        Job("a.page", 10),
        Job("b.page", 10),
        Job("appendix.page", 10, needs=("a.page", "b.page")),
        Job("book", 9, needs=("a.page", "b.page", "appendix.page")),
        Job("a.pdf", 5, needs=("a.page",)),
        Job("b.pdf", 5, needs=("b.page",)),
        Job("profile", 1),
    ]
    batch.run(jobs, jobs=1)
    # every page, then the book (9) before the PDFs (5) and the profile (1)
    assert Job.ran == ["a.page", "b.page", "appendix.page", "book", "a.pdf", "b.pdf", "profile"]


class LateJob(Job):
    """Up to date as planned, its fingerprint reading what a job it needs writes (the
    appendix: batch.Document.late): decided when it is up to run."""

    late = True

    def up_to_date(self) -> bool:
        return True

    def up_to_date_line(self) -> str:
        return f"up to date: {self.key}"


def test_a_late_job_is_decided_when_what_it_needs_was_built(capsys):
    Job.ran = []
    batch.run([Job("a.page", 10), LateJob("appendix", 10, needs=("a.page",))], jobs=1)
    assert Job.ran == ["a.page", "appendix"]
    Job.ran = []
    batch.run([LateJob("a.page", 10), LateJob("appendix", 10, needs=("a.page",))], jobs=1)
    assert Job.ran == []  # nothing it needs was stale: up to date as planned


def test_next_ready_skips_a_job_whose_needs_are_not_done():
    queue = [Job("book", 9, needs=("a.page",)), Job("a.pdf", 5)]
    assert batch.next_ready(queue, set()).key == "a.pdf"
    assert batch.next_ready(queue, set()) is None
    assert batch.next_ready(queue, {"a.page"}).key == "book"


def test_a_job_needing_one_outside_the_run_is_refused():
    with pytest.raises(ValueError, match=r"jobs needed but not in this run: missing\.page"):
        batch.run([Job("book", 9, needs=("missing.page",))], jobs=1)


def test_a_chapter_in_two_jobs_is_its_page_then_its_pdf(tmp_path):
    class Args:
        build = str(tmp_path / "build")
        data_dir = "data/published"
        language = "zh"
        cutoff = "2023-07-31"

    from helpers.workflow.editions import Edition

    (document,) = batch.chapter_documents(
        Edition(Args), [REPO / "notebooks" / "01_cultivation.ipynb"]
    )
    page, pdf = document.in_two_jobs()
    assert (page.key, page.with_pdf, page.needs) == ("01_cultivation.page", False, ())
    assert (pdf.key, pdf.with_pdf, pdf.needs) == ("01_cultivation.pdf", True, (page.key,))
    # one marker, one lock: the two jobs are the same document
    assert page.marker == pdf.marker == document.marker
    took = {"execute": 1.0, "html": 0.5, "pdf": 2.0}
    assert page.built_line(took) == "built 01_cultivation (zh): execute 1.0 s, html 0.5 s"
    assert pdf.built_line(took) == "built 01_cultivation (zh): pdf 2.0 s"


def said_and_refused(args, word: str) -> None:
    print(f"{word} said")
    if word == "refused":
        raise SystemExit("step: refused in one line")
    if word == "broken":
        raise ValueError("a bug")


@pytest.mark.parametrize(
    ("word", "outcome"),
    [
        ("fine", ("built", "fine said")),
        ("refused", ("failed", "step: refused in one line")),
        ("broken", ("failed", "step: ValueError: a bug")),
    ],
)
def test_a_step_job_says_its_line_or_why_it_failed(word, outcome):
    job = batch.StepJob("step", said_and_refused, None, (), 1.0, {"word": word})
    assert job.run() == outcome
    assert job.key == "step" and not job.up_to_date()
