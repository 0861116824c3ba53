"""Every document of an edition — the chapters of notebooks/pipeline.yml and the region
profiles — through a few warm kernels instead of one fresh Python process and kernel each:

    python -m helpers.workflow documents --build … --data-dir … --language … --cutoff … \
        [--chapters all|none|"01_cultivation 03_regions"] [--regions all|none|"beijing 江苏"] [--jobs N]

A document costs its own work (its cells, its HTML, its PDF) plus a fixed part: starting Python,
importing pandas, matplotlib, nbconvert and WeasyPrint, starting a kernel and importing the
helpers in it. The fixed part was most of a profile's cost, 47 times per edition. Here each of
`--jobs` worker processes starts one kernel and keeps it: before every notebook the kernel's
namespace is reset (variables, the execution counter, open figures; imported modules stay), so
a notebook runs as it would after "Restart kernel" — only faster — and its outputs are the same
bytes whichever worker ran it after whichever notebook (tests/test_reproducible.py).

Which documents have work is decided first, from the same content fingerprints as before (one
marker per document under build/<edition>/done/); up-to-date ones cost a hash. `--jobs` defaults
to make's -j (read from MAKEFLAGS), else 1. A failing notebook stops the run after the documents
already running finish; it names the notebook, cell and error (NotebookFailed)."""

from __future__ import annotations

import functools
import os
import re
import shutil
import signal
import tempfile
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from helpers.paths import NOTEBOOKS_DIR, display_path

# Run silently (no history, no execution count) in the kernel before each notebook.
RESET_CODE = """\
get_ipython().reset(new_session=True, aggressive=False)
import os as _os, sys as _sys
_os.chdir({cwd!r})
if "matplotlib.pyplot" in _sys.modules:
    _sys.modules["matplotlib.pyplot"].close("all")
del _os, _sys
"""


@dataclass(frozen=True)
class Document:
    """One notebook run of the edition: a chapter or a region's profile."""

    name: str  # its marker's name: 01_cultivation, profile_beijing
    notebook: Path
    parameters: dict
    html: Path
    pdf: Path
    executed: Path
    fingerprint: str
    language: str
    marker: Path
    build: Path
    edition: str
    region: str = ""  # the profile's slug, empty for a chapter
    estimate: float = field(default=1.0, compare=False)  # for ordering: longest first
    # False for an HTML-only build (make preview): the PDF is rendered later, from the page
    with_pdf: bool = field(default=True, compare=False)
    # The jobs (`key`s) that must finish before this one starts (run): the appendix after the
    # chapters whose checks it lists, a PDF after its page.
    needs: tuple[str, ...] = field(default=(), compare=False)
    stage: str = field(default="", compare=False)  # "page" or "pdf" when built in two jobs
    # A chapter's pages without page numbers, which the book's PDF is assembled from
    # (helpers.report.assemble); its PDF is these pages numbered. None for a profile.
    pages: Path | None = None
    # Its fingerprint reads what the jobs it `needs` write (the appendix: the chapters' checks,
    # helpers.workflow.fingerprint.checks_files): taken again when it is up to run, from
    # `data_path` and its parameters.
    late: bool = field(default=False, compare=False)
    data_path: str = field(default="", compare=False)

    @property
    def key(self) -> str:
        return f"{self.name}.{self.stage}" if self.stage else self.name

    def in_two_jobs(self) -> tuple[Document, Document]:
        """The page (execute + HTML) and its PDF as two jobs: the pages first, so the book
        (which needs every chapter's page, not its PDF) starts while the PDFs are rendered."""
        from dataclasses import replace

        page = replace(self, with_pdf=False, stage="page")
        return page, replace(self, stage="pdf", needs=(page.key,), estimate=self.estimate / 2)

    def up_to_date(self, fingerprint: str | None = None) -> bool:
        """Page (and, unless HTML-only, PDF) current; `fingerprint`: current_fingerprint(),
        when the caller has it already."""
        return self.page_current(fingerprint) and (self.pdf_current() or not self.with_pdf)

    def pdf_current(self) -> bool:
        """Its PDF exists and embeds the edition's current font subset: a character new to the
        edition (a label, a table) changes the subset of every document, so their PDFs are made
        again from their pages (no notebook runs) and match a build from scratch byte for byte."""
        marker = self.font_marker()
        made = self.pdf.exists() and (self.pages is None or self.pages.exists())
        return made and marker.exists() and marker.read_text() == self.font_digest()

    def font_marker(self) -> Path:
        return self.marker.with_suffix(".font")

    def edition_characters(self) -> frozenset[str]:
        """The characters of the edition's one PDF font subset (helpers.report.fonts)."""
        return parameters_characters(self.language, self.parameters)

    def font_digest(self) -> str:
        import hashlib

        return hashlib.sha256("".join(sorted(self.edition_characters())).encode()).hexdigest()

    def current_fingerprint(self) -> str:
        """Its fingerprint as its inputs are now (`late`: taken again; else as planned)."""
        if not self.late:
            return self.fingerprint
        from helpers.workflow.fingerprint import fingerprint

        return fingerprint(self.notebook, Path(self.data_path), self.parameters)

    def page_current(self, fingerprint: str | None = None) -> bool:
        """Its HTML page was built from the current inputs (the PDF may be missing)."""
        return (
            self.marker.exists()
            and self.marker.read_text() == (fingerprint or self.current_fingerprint())
            and self.html.exists()
        )

    def built_line(self, took: dict[str, float]) -> str:
        """What the build prints (benchmarks/bench_build.py reads these lines)."""
        if self.region:
            return (
                f"built profile {self.region} ({self.edition}): {sum(took.values()):.1f} s "
                f"(execute {took['execute']:.1f} s, html {took['html']:.1f} s, "
                f"pdf {took['pdf']:.1f} s)"
            )
        # a chapter in two jobs (in_two_jobs) says each job's own parts
        parts = {"page": ("execute", "html"), "pdf": ("pdf",)}.get(self.stage, tuple(took))
        summary = ", ".join(f"{k} {took[k]:.1f} s" for k in parts)
        return f"built {self.name} ({self.edition}): {summary}"

    def up_to_date_line(self) -> str:
        return f"up to date: profile {self.region}" if self.region else f"up to date: {self.name}"


@dataclass(frozen=True)
class StepJob:
    """A step of the edition as a job of run(), started once the jobs it `needs` finished: the
    book after every chapter's page (its PDF then renders beside the chapters' PDFs), the
    profiles' index after the profiles. `step(args, **options)` is a module-level function
    (sent to a worker by name); what it prints is its line, a SystemExit its one-line refusal."""

    name: str
    step: Callable
    args: object  # the step's argparse.Namespace
    needs: tuple[str, ...]
    estimate: float
    options: dict = field(default_factory=dict)
    stage: str = ""
    late: bool = False  # it decides itself when it runs (up_to_date is always False)

    @property
    def key(self) -> str:
        return self.name

    def up_to_date(self) -> bool:
        return False  # the step decides, under its own lock, and says "up to date"

    def run(self) -> tuple[str, str]:
        import contextlib
        import io

        said = io.StringIO()
        try:
            with contextlib.redirect_stdout(said):
                self.step(self.args, **self.options)
        except SystemExit as stop:
            return "failed", str(stop.code)
        except Exception as error:
            return "failed", f"{self.name}: {type(error).__name__}: {error}"
        return "built", said.getvalue().strip()


class WarmKernel:
    """One python3 kernel kept across notebooks (Unix sockets, so parallel workers never race
    for a TCP port), reset before each notebook; restarted if a notebook killed it."""

    def __init__(self, cwd: Path = NOTEBOOKS_DIR):
        from jupyter_client.manager import KernelManager

        class Manager(KernelManager):
            # nbclient opens a client per notebook and, on a kernel it does not own, leaves
            # its channels open: they are closed after each notebook instead.
            def client(self, **kwargs):
                made = super().client(**kwargs)
                clients.append(made)
                return made

        clients: list = []
        self.clients = clients
        self.cwd = Path(cwd)
        # Socket paths are limited to ~100 bytes: a short temporary folder, not the build's.
        self.sockets = Path(tempfile.mkdtemp(prefix="zjtx-kernel-"))
        self.manager = Manager(kernel_name="python3", transport="ipc", ip=str(self.sockets / "k"))

    def start(self) -> None:
        if not self.manager.has_kernel or not self.manager.is_alive():
            if self.manager.has_kernel:
                self.manager.cleanup_resources()
            # A build runs each cell once: a statistic recorded twice is an error there
            # (helpers.report.chapter.STRICT_ENV), while JupyterLab may run a cell again.
            env = {**os.environ, "HELPERS_STRICT_STATISTICS": "1"}
            self.manager.start_kernel(cwd=str(self.cwd), env=env)

    def reset(self) -> None:
        self.start()
        client = self.manager.client()
        try:
            client.start_channels()
            client.wait_for_ready(timeout=60)
            reply = client.execute_interactive(
                RESET_CODE.format(cwd=str(self.cwd)),
                silent=True,
                store_history=False,
                timeout=60,
                output_hook=lambda message: None,
            )
            if reply["content"]["status"] != "ok":
                raise RuntimeError(f"resetting the kernel failed: {reply['content']}")
        finally:
            self.close_clients()

    def close_clients(self) -> None:
        while self.clients:
            self.clients.pop().stop_channels()

    def execute(self, notebook: Path, executed: Path, parameters: dict) -> None:
        self.start()  # a new kernel boots while papermill is imported (about 0.5 s each)
        import papermill

        self.reset()
        executed.parent.mkdir(parents=True, exist_ok=True)
        try:
            papermill.execute_notebook(
                str(notebook),
                str(executed),
                parameters=parameters,
                kernel_name="python3",
                km=self.manager,
                cwd=str(self.cwd),
                progress_bar=False,
                log_output=False,
            )
        finally:
            self.close_clients()

    def shutdown(self) -> None:
        self.close_clients()
        if self.manager.has_kernel:
            self.manager.shutdown_kernel(now=True)
        shutil.rmtree(self.sockets, ignore_errors=True)


def execute_notebook(notebook: Path, executed: Path, parameters: dict, kernel=None) -> None:
    """Execute with papermill in `kernel` (a WarmKernel, reset first), or in a kernel started
    for this notebook alone."""
    if kernel is not None:
        kernel.execute(notebook, executed, parameters)
        return
    kernel = WarmKernel(notebook.parent)
    try:
        kernel.execute(notebook, executed, parameters)
    finally:
        kernel.shutdown()


@functools.cache
def edition_subset_characters(language: str, *table_dirs: str) -> frozenset[str]:
    # once per process: the files do not change during a build
    from helpers.report.fonts import edition_characters

    return edition_characters(language, *(Path(folder) for folder in table_dirs))


def parameters_characters(language: str, parameters: dict) -> frozenset[str]:
    """edition_subset_characters for an edition's parameters (its tables, and PREVIOUS's)."""
    folders = [parameters.get("data_dir"), parameters.get("previous_dir")]
    return edition_subset_characters(language, *(str(f) for f in folders if f))


def render_notebook(
    notebook: Path,
    executed: Path,
    parameters: dict,
    html: Path,
    pdf: Path | None,
    language: str,
    kernel=None,
    edition_characters: frozenset[str] | None = None,
    pages: Path | None = None,
) -> dict[str, float]:
    """Execute `notebook` (kept executed at `executed`), export its HTML and render its PDF
    (images resolved beside the HTML page; none when `pdf` is None; with `pages`, a chapter's
    pages for the book too: helpers.report.pdf.render_pdf); the seconds each part took.
    A failing cell raises NotebookFailed. Heavy imports only here, when there is work."""
    from helpers.report.html import export_html
    from helpers.report.pdf import render_pdf

    start = time.perf_counter()
    try:
        execute_notebook(notebook, executed, parameters, kernel)
    except Exception as error:
        if type(error).__name__ == "PapermillExecutionError":
            raise NotebookFailed(notebook, executed, error) from None
        raise
    executed_at = time.perf_counter()
    page = export_html(executed, html, language)
    exported_at = time.perf_counter()
    if pdf is not None:
        render_pdf(page, html.parent, pdf, edition_characters, pages)
    return {
        "execute": executed_at - start,
        "html": exported_at - executed_at,
        "pdf": time.perf_counter() - exported_at,
    }


def render_pdf_of_page(
    html: Path,
    pdf: Path,
    edition_characters: frozenset[str] | None = None,
    pages: Path | None = None,
) -> dict[str, float]:
    """The PDF of a page exported earlier (the same bytes as rendered right after the export:
    render_pdf takes the page as written)."""
    from helpers.report.pdf import render_pdf

    start = time.perf_counter()
    render_pdf(html.read_text(encoding="utf-8"), html.parent, pdf, edition_characters, pages)
    return {"execute": 0.0, "html": 0.0, "pdf": time.perf_counter() - start}


class NotebookFailed(RuntimeError):
    """A cell raised: says which notebook, which cell (its number and first line) and the error,
    and where the partly executed notebook was kept."""

    def __init__(self, notebook: Path, executed: Path, error):
        first_line = next((line for line in error.source.splitlines() if line.strip()), "")
        super().__init__(
            f"notebook {display_path(notebook)} failed in cell {error.exec_count} "
            f"(`{first_line.strip()}`): {error.ename}: {error.evalue}\n"
            f"the partly executed notebook is kept in {display_path(executed)}; "
            "the published reports are untouched"
        )


# The worker process's kernel (one per process; started on its first document).
_kernel: WarmKernel | None = None


def _worker_kernel() -> WarmKernel:
    global _kernel
    if _kernel is None:
        import atexit

        _kernel = WarmKernel()
        atexit.register(_kernel.shutdown)
        try:  # a pool worker exits through multiprocessing, which skips atexit
            from multiprocessing import util

            util.Finalize(_kernel, _kernel.shutdown, exitpriority=10)
        except ImportError:
            pass
    return _kernel


def _ignore_interrupts() -> None:
    # Ctrl-C goes to the whole process group: the coordinator answers it in one line.
    import signal

    signal.signal(signal.SIGINT, signal.SIG_IGN)


def render(document: Document) -> tuple[str, str]:
    """Build one document in this process's warm kernel: ("built", line), ("up to date", line)
    or ("failed", message). Under the document's lock, its marker is checked again (another
    build of the edition may just have made it) and written only after success. A job that is
    not a notebook (a StepJob: the book, the profiles' index) runs itself."""
    from helpers.workflow.editions import chapter_lock

    if not isinstance(document, Document):
        return document.run()
    with chapter_lock(document.build, document.edition, document.name):
        # the inputs it is built from (the appendix's: the checks its chapters just wrote)
        fingerprint = document.current_fingerprint()
        if document.up_to_date(fingerprint):
            return "up to date", document.up_to_date_line()
        # Built HTML-only (make preview) from the current inputs: only its PDF, from the page.
        pdf_only = document.page_current(fingerprint)
        if not pdf_only:
            document.marker.unlink(missing_ok=True)  # a failed run must leave no success marker
            document.pdf.unlink(missing_ok=True)  # nor, HTML-only, a PDF of other inputs
            if document.pages is not None:
                document.pages.unlink(missing_ok=True)
        document.font_marker().unlink(missing_ok=True)
        characters = document.edition_characters()
        try:
            if pdf_only:
                took = render_pdf_of_page(document.html, document.pdf, characters, document.pages)
            else:
                took = render_notebook(
                    document.notebook,
                    document.executed,
                    document.parameters,
                    document.html,
                    document.pdf if document.with_pdf else None,
                    document.language,
                    kernel=_worker_kernel(),
                    edition_characters=characters,
                    pages=document.pages,
                )
        except NotebookFailed as error:
            return "failed", str(error)
        except Exception as error:  # the kernel died, a template broke: name the document
            from helpers.data.errors import DataInputError

            if isinstance(error, DataInputError):
                return "failed", f"bad input data:\n{error}"
            return "failed", f"{document.name}: {type(error).__name__}: {error}"
        document.marker.parent.mkdir(parents=True, exist_ok=True)
        document.marker.write_text(fingerprint)
        if document.with_pdf:
            document.font_marker().write_text(document.font_digest())
    return "built", document.built_line(took)


def jobs_from_make(makeflags: str | None = None) -> int:
    """make's -j for this run (GNU make passes it to recipes in MAKEFLAGS): `-j2` -> 2, a bare
    `-j` -> the core count, none -> 1."""
    flags = os.environ.get("MAKEFLAGS", "") if makeflags is None else makeflags
    # The command line's variables follow " -- " (REGIONS='a -j64' must not count).
    words = flags.split(" -- ", 1)[0].split()
    # MAKEFLAGS starts with the single-letter flags run together (e.g. "rs"), without a dash.
    for word in words:
        match = re.fullmatch(r"-j(\d*)", word) or re.fullmatch(r"--jobs(?:=(\d*))?", word)
        if match:
            return int(match.group(1)) if match.group(1) else (os.cpu_count() or 1)
    return 1


def chapter_documents(edition, notebooks: list[Path], with_pdf: bool = True) -> list[Document]:
    """The chapters' documents (a notebook outside notebooks/ follows the same rules)."""
    from helpers.pipeline import chapters, checked_chapters
    from helpers.workflow.fingerprint import fingerprint

    documents = []
    for notebook in notebooks:
        stem = notebook.stem
        # a notebook outside notebooks/pipeline.yml takes the edition's parameters only
        declared = stem in chapters()
        parameters = edition.chapter_parameters(stem) if declared else edition.parameters()
        documents.append(
            Document(
                name=stem,
                notebook=notebook,
                parameters=parameters,
                html=edition.staging / "html" / f"{stem}.html",
                pdf=edition.staging / "pdf" / f"{stem}.pdf",
                pages=chapter_pages(edition, stem),
                late=declared and bool(checked_chapters(stem)),
                data_path=str(edition.checked["data_path"]),
                executed=edition.staging.parent / "executed" / f"{stem}.ipynb",
                fingerprint=fingerprint(notebook, edition.checked["data_path"], parameters),
                language=edition.checked["language"],
                marker=edition.marker(stem),
                build=edition.build,
                edition=edition.id,
                estimate=10.0,
                with_pdf=with_pdf,
            )
        )
    return documents


def chapter_pages(edition, chapter: str) -> Path:
    """Where a chapter's pages without page numbers are kept for the book (outside the staging
    folder: never published)."""
    return edition.staging.parent / "pdf-pages" / f"{chapter}.pdf"


def worker_count(jobs: int, documents: int, asked_by: str = "JOBS") -> int:
    """Kernels to start: `jobs`, but no more than the cores (each kernel wants one; more only
    add memory and switching: said in one line) nor the documents to build."""
    from helpers.parameters import available_cores

    cores = available_cores()
    if jobs > cores and documents > cores:
        shown = f"make -j{jobs}" if asked_by == "make -j" else f"{asked_by}={jobs}"
        print(f"{shown}: this machine gives the build {cores} cores; running {cores} kernels")
    return max(1, min(jobs, cores, documents))


def next_ready(queue: list, finished: set[str]):
    """The first job of `queue` (longest first) whose `needs` have all finished, taken off the
    queue; None while every queued job still waits for another."""
    for index, job in enumerate(queue):
        if set(job.needs) <= finished:
            return queue.pop(index)
    return None


def run(documents: list[Document], jobs: int, asked_by: str = "JOBS") -> None:
    """Build the documents that have work, `jobs` at a time (worker_count), each once the jobs
    it `needs` finished; raise BatchFailed after the running ones finish if any failed."""
    current = [d.up_to_date() for d in documents]
    # A job whose fingerprint reads what a stale job it needs will write is decided when it is up
    # to run (render says "up to date" if what it reads came out the same).
    stale_keys = {d.key for d, done in zip(documents, current, strict=True) if not done}
    while True:
        waits = {
            d.key
            for d, done in zip(documents, current, strict=True)
            if done and d.late and stale_keys & set(d.needs)
        } - stale_keys
        if not waits:
            break
        stale_keys |= waits
    stale = [d for d in documents if d.key in stale_keys]
    fresh = [d for d in documents if d.key not in stale_keys]
    finished = {d.key for d in fresh}
    waiting_for = {need for d in stale for need in d.needs} - finished - {d.key for d in stale}
    if waiting_for:  # a job that needs one not in this run would wait forever
        raise ValueError(f"jobs needed but not in this run: {', '.join(sorted(waiting_for))}")
    if len(documents) <= 10:
        for document in fresh:
            print(document.up_to_date_line(), flush=True)
    elif fresh:
        print(f"up to date: {len(fresh)} of {len(documents)} documents", flush=True)
    if not stale:
        return
    stale.sort(key=lambda d: -d.estimate)  # long chapters first, the short profiles fill in
    workers = worker_count(jobs, len(stale), asked_by)
    failures: list[str] = []
    built: list[str] = []
    started = time.perf_counter()

    def report(job, outcome: tuple[str, str]) -> None:
        status, line = outcome
        if status == "failed":  # said once, by the step's exit (steps.main)
            failures.append(line)
        else:
            finished.add(job.key)
            if status == "built":
                built.append(job.name)
            print(line, flush=True)

    if workers == 1:  # no pool: the kernel lives in this process
        queue = list(stale)
        while queue and not failures:
            job = next_ready(queue, finished)
            if job is None:
                raise ValueError(f"jobs waiting on each other: {', '.join(j.key for j in queue)}")
            report(job, render(job))
    else:
        import multiprocessing
        from concurrent.futures import FIRST_COMPLETED, ProcessPoolExecutor, wait

        context = multiprocessing.get_context("spawn")
        with ProcessPoolExecutor(
            workers, mp_context=context, initializer=_ignore_interrupts
        ) as pool:
            queue = list(stale)
            running: dict = {}  # future -> its job
            # Ctrl-C only sets a flag: a KeyboardInterrupt raised inside `wait` can land in the
            # middle of a lock's release and surface as "RuntimeError: release unlocked lock".
            interrupted = threading.Event()
            previous = signal.signal(signal.SIGINT, lambda *_: interrupted.set())
            try:
                while queue or running:
                    while len(running) < workers and not failures:
                        job = next_ready(queue, finished)
                        if job is None:
                            break
                        running[pool.submit(render, job)] = job
                    if not running:
                        break
                    done, _ = wait(running, timeout=0.2, return_when=FIRST_COMPLETED)
                    if interrupted.is_set():
                        raise KeyboardInterrupt
                    for future in done:
                        report(running.pop(future), future.result())
            except KeyboardInterrupt:
                pool.shutdown(wait=False, cancel_futures=True)
                raise
            finally:
                signal.signal(signal.SIGINT, previous)
    took = time.perf_counter() - started
    if len(stale) > 1:
        made = len(set(built))
        print(f"documents: {made} built in {took:.1f} s with {workers} kernel(s)", flush=True)
    if failures:
        raise BatchFailed(failures)


class BatchFailed(RuntimeError):
    def __init__(self, failures: list[str]):
        self.failures = failures
        super().__init__("\n".join(failures))
