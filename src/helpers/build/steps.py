"""The report build, called by the Makefile (every step takes the same parameters):

    python -m helpers.build check   --build build --data-dir data/published --language zh --cutoff …
    python -m helpers.build tables  --build build --data-dir data/sample --cutoff …
    python -m helpers.build chapter --build build --notebook notebooks/01_x.ipynb --data-dir … …
    python -m helpers.build publish --build build --reports reports --data-dir … --language …
    python -m helpers.build index   --build build --reports reports

Every step first validates the parameters (`helpers.parameters`), so a bad CUTOFF or LANGUAGE
stops the build in one line before any kernel starts. One data folder in one language is one
edition (`helpers.build.editions`): `chapter` executes a notebook with papermill and exports it
to HTML (code hidden) and PDF (WeasyPrint, packaged CJK font) into build/<edition>/reports;
`publish` swaps reports/<edition>/ only when every chapter of notebooks/pipeline.yml was built
from the current inputs, so a failed build leaves the last good edition, and other editions are
never touched. reports/index.html lists every edition published so far."""

from __future__ import annotations

import argparse
import shutil
import sys
import tempfile
import time
from pathlib import Path

from helpers.build.editions import (
    LEGACY_ENTRIES,
    chapter_lock,
    edition_id,
    edition_lock,
    edition_record,
    index_lock,
    staging_dir,
    write_edition,
    write_index,
)
from helpers.build.profiles import publish_profiles
from helpers.parameters import DEFAULTS, ParameterError, validate
from helpers.paths import REPO_ROOT, display_path, resolve

PUBLISHED_PARTS = ("html", "pdf", "figures", "tables")


def execute_notebook(notebook: Path, executed: Path, parameters: dict) -> None:
    import papermill
    from jupyter_client.manager import KernelManager

    executed.parent.mkdir(parents=True, exist_ok=True)
    # The kernel talks over Unix sockets, not TCP ports: parallel builds cannot race for a port
    # (papermill's "ZMQError: Address already in use" under -j). Socket paths are limited to
    # ~100 bytes, so they live in a fresh short temporary folder, not in the build folder.
    sockets = Path(tempfile.mkdtemp(prefix="zjtx-kernel-"))
    kernel = KernelManager(kernel_name="python3", transport="ipc", ip=str(sockets / "k"))
    try:
        papermill.execute_notebook(
            str(notebook),
            str(executed),
            parameters=parameters,
            kernel_name="python3",
            km=kernel,
            cwd=str(notebook.parent),
            progress_bar=False,
            log_output=False,
        )
    finally:
        if kernel.has_kernel:  # a kernel manager we pass in is ours to shut down
            kernel.shutdown_kernel(now=True)
        shutil.rmtree(sockets, ignore_errors=True)


class Edition:
    """The validated parameters of one step and where its edition is staged."""

    def __init__(self, args):
        self.checked = validate(args.data_dir, args.language, args.cutoff)
        self.id = edition_id(self.checked["data_path"], self.checked["language"])
        staging = getattr(args, "staging", None)
        self.staging = resolve(staging) if staging else staging_dir(resolve(args.build), self.id)
        self.build = self.staging.parent.parent  # build/<edition>/reports -> build (locks/)

    def parameters(self) -> dict:
        """The notebook's parameters cell, as papermill sets it (and the fingerprint sees it)."""
        return {
            "data_dir": self.checked["data_dir"],
            "output_dir": str(self.staging),
            "language": self.checked["language"],
            "cutoff": self.checked["cutoff"],
        }

    def marker(self, name: str) -> Path:
        return self.staging.parent / "done" / f"{name}.sha256"


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


def build_chapter(args) -> None:
    """Execute, export and render one chapter, unless its inputs' fingerprint is unchanged
    since the last successful build into the same staging folder."""
    edition = Edition(args)  # first: a bad parameter stops here, before any heavy import

    from helpers.build.fingerprint import fingerprint
    from helpers.report.html import export_html
    from helpers.report.pdf import render_pdf

    notebook = resolve(args.notebook)
    stem = notebook.stem
    staging = edition.staging
    parameters = edition.parameters()
    # Shared: the other chapters of this build run alongside; exclusive per chapter: a second
    # build of the same edition waits instead of writing the same files.
    with (
        edition_lock(edition.build, edition.id, shared=True),
        chapter_lock(edition.build, edition.id, stem),
    ):
        marker = edition.marker(stem)
        current = fingerprint(notebook, edition.checked["data_path"], parameters)
        outputs = [staging / "html" / f"{stem}.html", staging / "pdf" / f"{stem}.pdf"]
        if marker.exists() and marker.read_text() == current and all(p.exists() for p in outputs):
            print(f"up to date: {stem}")
            return
        marker.unlink(missing_ok=True)  # a failed run must not leave a marker claiming success
        timings = {}
        start = time.perf_counter()
        executed = staging.parent / "executed" / f"{stem}.ipynb"
        try:
            execute_notebook(notebook, executed, parameters)
        except Exception as error:
            if type(error).__name__ == "PapermillExecutionError":
                raise NotebookFailed(notebook, executed, error) from None
            raise
        timings["execute"] = time.perf_counter() - start
        page = export_html(executed, outputs[0], edition.checked["language"])
        timings["html"] = time.perf_counter() - start - timings["execute"]
        render_pdf(page, staging / "html", outputs[1])
        timings["pdf"] = time.perf_counter() - start - timings["execute"] - timings["html"]
        marker.parent.mkdir(parents=True, exist_ok=True)
        marker.write_text(current)
    summary = ", ".join(f"{k} {v:.1f} s" for k, v in timings.items())
    print(f"built {stem} ({edition.id}): {summary}")


def ensure_tables_function():
    """helpers.firmlevel.tables.ensure_tables, or None while that module is not there."""
    import importlib

    try:
        module = importlib.import_module("helpers.firmlevel.tables")
    except ModuleNotFoundError as error:
        if error.name != "helpers.firmlevel.tables":
            raise  # the module is there but broken: say so, do not fall back silently
        return None
    return getattr(module, "ensure_tables", None)


def check_data(args) -> None:
    """Validate the parameters and every input before any notebook runs, so bad data fails fast
    with the file, row, column and value, and nothing is built. Skipped when unchanged."""
    edition = Edition(args)

    from helpers.build.fingerprint import data_files, digest_files

    checked = edition.checked
    folder = checked["data_path"]
    with edition_lock(edition.build, edition.id):
        marker = edition.marker("data")
        current = digest_files(data_files(folder), {"cutoff": checked["cutoff"]})
        if marker.exists() and marker.read_text() == current:
            return
        marker.unlink(missing_ok=True)
        from helpers.data import catalog

        # Published tables are always read (as data or as context for firm-level data).
        published = folder if checked["kind"] == "published" else catalog.PUBLISHED_DIR
        counts = catalog.validate_all(published)
        summary = f"{len(counts)} published tables, {sum(counts.values())} rows"
        if checked["kind"] == "firm-level":
            ensure_tables = ensure_tables_function()
            if ensure_tables is not None:
                # The same aggregated folder the `tables` step gives the chapters (cached and
                # locked by ensure_tables itself).
                tables = Path(ensure_tables(folder, checked["cutoff"]))
                aggregated = catalog.validate_all(tables)
                summary += (
                    f"; firm-level data in {display_path(folder)} aggregated to "
                    f"{display_path(tables)}: {len(aggregated)} tables, "
                    f"{sum(aggregated.values())} rows"
                )
            else:
                from helpers.firmlevel.firms import FirmLevelData

                firms = FirmLevelData(folder, cutoff=checked["cutoff"])
                summary += f"; firm-level data in {display_path(folder)}: {len(firms.firms)} firms"
            summary += " (synthetic sample)" if checked["synthetic"] else ""
        print(f"data ok: {summary}")
        marker.parent.mkdir(parents=True, exist_ok=True)
        marker.write_text(current)


def firm_tables(args) -> None:
    """Print the published-shaped folder the chapters read: DATA_DIR itself for published
    tables (nothing to do), else the cached aggregate of the firm-level export."""
    checked = validate(args.data_dir, DEFAULTS["language"], args.cutoff)
    folder = checked["data_path"]
    if checked["kind"] == "published":
        print(display_path(folder))
        return
    ensure_tables = ensure_tables_function()
    if ensure_tables is None:
        sys.exit(
            f"tables: {display_path(folder)} is a firm-level export, but "
            "helpers.firmlevel.tables.ensure_tables (which aggregates it) is not available"
        )
    print(display_path(ensure_tables(folder, checked["cutoff"])))


def merge_statistics(staging: Path, chapters: list[str]) -> Path:
    """statistics.csv: every chapter's recorded numbers, in chapter order."""
    import pandas as pd

    parts = []
    for chapter in chapters:
        path = staging / "statistics" / f"{chapter}.csv"
        if path.exists():
            parts.append(pd.read_csv(path, dtype=str, keep_default_na=False))
    merged = pd.concat(parts, ignore_index=True) if parts else pd.DataFrame()
    target = staging / "statistics.csv"
    merged.to_csv(target, index=False, encoding="utf-8", lineterminator="\n")
    return target


def merge_reconciliations(staging: Path, chapters: list[str]) -> Path:
    """tables/reconciliation.csv: every chapter's published-vs-recomputed checks, mismatches first."""
    import pandas as pd

    from helpers.stats.reconcile import STATUS_ORDER

    parts = []
    for chapter in chapters:
        path = staging / "tables" / f"{chapter}_reconciliation.csv"
        if path.exists():
            parts.append(pd.read_csv(path, encoding="utf-8-sig").assign(notebook=chapter))
    merged = pd.concat(parts, ignore_index=True) if parts else pd.DataFrame()
    if not merged.empty:
        merged = merged.sort_values("status", key=lambda s: s.map(STATUS_ORDER), kind="stable")
    target = staging / "tables" / "reconciliation.csv"
    merged.to_csv(target, index=False, encoding="utf-8-sig", lineterminator="\n")
    return target


def stale_chapters(edition: Edition, chapters: list[str]) -> dict[str, str]:
    """Chapters whose staged outputs are missing or were built from other inputs than the
    current ones (say, a notebook edited during the build): publishing them would mix."""
    from helpers.build.fingerprint import fingerprint
    from helpers.pipeline import notebook_path

    stale = {}
    for chapter in chapters:
        marker = edition.marker(chapter)
        if not marker.exists() or not (edition.staging / "pdf" / f"{chapter}.pdf").exists():
            stale[chapter] = "not built"
            continue
        current = fingerprint(
            notebook_path(chapter), edition.checked["data_path"], edition.parameters()
        )
        if marker.read_text() != current:
            stale[chapter] = "its inputs changed after it was built"
    return stale


def swap_in(fresh: Path, target: Path) -> None:
    """Replace `target` by the complete folder `fresh` (two renames; the old copy goes last)."""
    old = target.with_name(target.name + ".old")
    shutil.rmtree(old, ignore_errors=True)
    if target.exists():
        target.rename(old)
    fresh.rename(target)
    shutil.rmtree(old, ignore_errors=True)


def refresh_index(reports: Path, build: Path) -> None:
    """reports/index.html from every published edition; the layout's README; no legacy files."""
    with index_lock(build):
        for name in LEGACY_ENTRIES:  # the single-edition layout's files, before editions
            path = reports / name
            if path.is_dir():
                shutil.rmtree(path)
            elif path.exists():
                path.unlink()
        readme = REPO_ROOT / "reports" / "README.md"
        if readme.exists() and not (reports / "README.md").exists():
            shutil.copy2(readme, reports / "README.md")
        write_index(reports)


def publish(args) -> None:
    """Swap a complete new reports/<edition>/ into place; on any error the old one stays, and
    other editions are never touched."""
    edition = Edition(args)

    from helpers.pipeline import chapters as book
    from helpers.report.html import chapter_title
    from helpers.report.pdf import merge_pdfs

    staging = edition.staging
    reports = resolve(args.reports)
    chapters = book()
    target = reports / edition.id
    with edition_lock(edition.build, edition.id):
        stale = stale_chapters(edition, chapters)
        if stale:
            reasons = "; ".join(f"{chapter}: {why}" for chapter, why in stale.items())
            sys.exit(
                f"publish: {edition.id} not published, not built from the current inputs in "
                f"{display_path(staging)} ({reasons}); run make report again"
            )
        merge_statistics(staging, chapters)
        merge_reconciliations(staging, chapters)
        previous = target / "statistics.csv"
        previous_statistics = previous.read_text(encoding="utf-8") if previous.exists() else None
        fresh = reports / f"{edition.id}.new"
        old = reports / f"{edition.id}.old"
        if old.exists() and not target.exists():
            old.rename(target)  # an interrupted swap: the old edition was the last good one
        shutil.rmtree(old, ignore_errors=True)
        shutil.rmtree(fresh, ignore_errors=True)
        fresh.mkdir(parents=True)
        # Only the current chapters' files: a renamed or deleted notebook leaves nothing behind.
        for part in PUBLISHED_PARTS:
            (fresh / part).mkdir()
            for path in sorted((staging / part).glob("*")):
                if any(
                    path.name.startswith(f"{c}.") or path.name.startswith(f"{c}_") for c in chapters
                ):
                    shutil.copy2(path, fresh / part / path.name)
        shutil.copy2(
            staging / "tables" / "reconciliation.csv", fresh / "tables" / "reconciliation.csv"
        )
        shutil.copy2(staging / "statistics.csv", fresh / "statistics.csv")
        publish_profiles(staging, fresh)  # profiles/<slug>.html|pdf and their index, if built
        titles = {c: chapter_title(fresh / "html" / f"{c}.html") for c in chapters}
        merge_pdfs(fresh / "pdf", chapters, titles, fresh / "pdf" / "report.pdf")
        write_edition(fresh, edition_record(edition.id, edition.checked, chapters, titles))
        swap_in(fresh, target)
        refresh_index(reports, edition.build)
    print_summary(target)
    print_changes(previous_statistics, target / "statistics.csv")


def index(args) -> None:
    reports = resolve(args.reports)
    reports.mkdir(parents=True, exist_ok=True)
    refresh_index(reports, resolve(args.build))
    print(f"wrote {display_path(reports / 'index.html')}")


def print_changes(previous: str | None, current: Path) -> None:
    """Which headline numbers changed since the last published build."""
    import io

    import pandas as pd

    if previous is None:
        print("changes: first build in this folder")
        return
    old = pd.read_csv(io.StringIO(previous), dtype=str).set_index("key")["value"]
    new = pd.read_csv(current, dtype=str).set_index("key")["value"]
    added, removed = new.index.difference(old.index), old.index.difference(new.index)
    common = new.index.intersection(old.index)
    changed = [key for key in common if old[key] != new[key]]
    print(f"changes: {len(changed)} numbers changed, {len(added)} new, {len(removed)} gone")
    for key in changed[:10]:
        print(f"  {key}: {old[key]} -> {new[key]}")


def print_summary(reports: Path) -> None:
    """'The step completed' is not 'the data is right': say what was built."""
    import pandas as pd

    stats = pd.read_csv(reports / "statistics.csv", dtype=str)
    counts = {part: len(list((reports / part).glob("*"))) for part in PUBLISHED_PARTS}
    print(f"published {display_path(reports)}: " + ", ".join(f"{n} {p}" for p, n in counts.items()))
    print(f"statistics.csv: {len(stats)} numbers")
    checks = pd.read_csv(reports / "tables" / "reconciliation.csv", encoding="utf-8-sig")
    counts = checks["status"].value_counts().to_dict()
    print(
        "reconciliation: "
        + ", ".join(f"{counts.get(k, 0)} {k}" for k in ("ok", "rounding", "mismatch"))
    )
    from helpers.report.format import format_number

    for row in checks[checks["status"] == "mismatch"].itertuples():
        stated, recomputed = format_number(row.stated), format_number(row.recomputed)
        print(f"  mismatch: {row.item} ({row.source}): published {stated}, recomputed {recomputed}")
    for row in stats.head(8).itertuples():
        print(f"  {row.key} = {row.value} {row.unit}")


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(prog="python -m helpers.build")
    commands = parser.add_subparsers(dest="command", required=True)

    def command(name: str, help: str, language: bool = True, staging: bool = False):
        sub = commands.add_parser(name, help=help)
        sub.add_argument("--build", default="build", help="build folder (BUILD)")
        sub.add_argument("--data-dir", default=DEFAULTS["data_dir"])
        if language:
            sub.add_argument("--language", default=DEFAULTS["language"])
        sub.add_argument("--cutoff", default=DEFAULTS["cutoff"])
        if staging:
            sub.add_argument("--staging", help="instead of <build>/<edition>/reports")
        return sub

    command("chapter", "execute one notebook and export HTML + PDF", staging=True).add_argument(
        "--notebook", required=True
    )
    command("check", "validate the parameters and the input data (fast, before any chapter)")
    command("tables", "print the published-shaped folder for DATA_DIR", language=False)
    command("publish", "replace reports/<edition>/ with a complete staging folder").add_argument(
        "--reports", default="reports"
    )
    index_command = commands.add_parser("index", help="rewrite reports/index.html")
    index_command.add_argument("--build", default="build")
    index_command.add_argument("--reports", default="reports")
    args = parser.parse_args(argv)
    steps = {
        "chapter": build_chapter,
        "check": check_data,
        "tables": firm_tables,
        "publish": publish,
        "index": index,
    }
    try:
        steps[args.command](args)
    except ParameterError as error:  # one line naming the parameter, the value, the choices
        sys.exit(str(error))
    except NotebookFailed as error:
        sys.exit(str(error))
    except KeyboardInterrupt:  # Ctrl-C: one line; staging and locks are left for the next run
        sys.exit(f"{args.command}: interrupted; the published reports are untouched")
    except Exception as error:  # the message is what the analyst needs; the traceback is noise
        from helpers.data.errors import DataInputError

        if isinstance(error, DataInputError):
            sys.exit(f"bad input data:\n{error}")
        raise


if __name__ == "__main__":
    main()
