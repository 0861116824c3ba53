"""The report build, called by the Makefile (every step takes the same parameters):

    python -m helpers.workflow check   --build build --data-dir data/published --language zh --cutoff …
    python -m helpers.workflow tables  --build build --data-dir data/sample --cutoff …
    python -m helpers.workflow chapter --build build --notebook notebooks/01_x.ipynb --data-dir … …
    python -m helpers.workflow documents --build build --chapters all --regions all --data-dir … …
    python -m helpers.workflow publish --build build --reports reports --data-dir … --language …
    python -m helpers.workflow index   --build build --reports reports

Every step first validates the parameters (`helpers.parameters`), so a bad CUTOFF or LANGUAGE
stops the build in one line before any kernel starts. One data folder in one language is one
edition (`helpers.workflow.editions`): `chapter` (one) and `documents` (chapters and profiles, in
warm kernels: helpers.workflow.batch) execute notebooks with papermill and export them
to HTML (code hidden) and PDF (WeasyPrint, packaged CJK font) into build/<edition>/reports;
`publish` swaps reports/<edition>/ only when every chapter of notebooks/pipeline.yml was built
from the current inputs, so a failed build leaves the last good edition, and other editions are
never touched. reports/index.html lists every edition published so far."""

from __future__ import annotations

import argparse
import sys

from helpers.parameters import DEFAULTS, ParameterError
from helpers.paths import NOTEBOOKS_DIR, display_path, resolve
from helpers.workflow.batch import BatchFailed, NotebookFailed
from helpers.workflow.editions import Edition, edition_lock
from helpers.workflow.publish import index, publish

PUBLISHED_PARTS = ("html", "pdf", "figures", "tables")


def build_chapter(args) -> None:
    """Execute, export and render one chapter, unless its inputs' fingerprint is unchanged
    since the last successful build into the same staging folder (helpers.workflow.batch)."""
    edition = Edition(args)  # first: a bad parameter stops here, before any heavy import

    from helpers.workflow import batch

    notebook = resolve(args.notebook)
    with edition_lock(edition.build, edition.id, shared=True):
        batch.run(batch.chapter_documents(edition, [notebook]), jobs=1)


def selected_chapters(only: str) -> list[str]:
    """The chapters `--chapters` asks for (all, none or names), in book order."""
    from helpers.pipeline import chapters

    every = list(chapters())
    wanted = only.replace(",", " ").split()
    if wanted == ["all"]:
        return every
    if wanted in ([], ["none"]):
        return []
    unknown = [name for name in wanted if name not in every]
    if unknown:
        raise ParameterError("CHAPTERS", unknown[0], f"valid: {', '.join(every)}")
    return [name for name in every if name in wanted]  # book order


def build_documents(args) -> None:
    """The `documents` step: the chosen chapters and profiles of one edition, in warm kernels
    (helpers.workflow.batch)."""
    edition = Edition(args)  # a bad parameter stops here, before any heavy import

    from helpers.pipeline import checked_chapters
    from helpers.workflow import batch
    from helpers.workflow.profiles import profile_documents, region_list, selected

    chapters = selected_chapters(args.chapters)
    with edition_lock(edition.build, edition.id, shared=True):
        # The appendix lists the other chapters' checks: it runs once they are built (the
        # profiles fill in beside it).
        later = [c for c in chapters if checked_chapters(c)]
        first = [NOTEBOOKS_DIR / f"{c}.ipynb" for c in chapters if c not in later]
        documents = batch.chapter_documents(edition, [NOTEBOOKS_DIR / f"{c}.ipynb" for c in later])
        if args.regions.strip() not in ("", "none"):
            regions = region_list(edition)
            documents += profile_documents(edition, selected(regions, args.regions), regions)
        asked = args.jobs or batch.jobs_from_make()
        if first:
            batch.run(batch.chapter_documents(edition, first), asked)
        batch.run(documents, asked)


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
    with the file, row, column and value, and nothing is built: the published tables, and a
    firm-level export by aggregating it (helpers.firmlevel validates every file while reading
    it) into the folder the chapters will read — the one data route. Skipped when unchanged."""
    edition = Edition(args)

    from helpers.data.digest import files_digest
    from helpers.workflow.fingerprint import data_files

    checked = edition.checked
    folder = checked["data_path"]
    with edition_lock(edition.build, edition.id):
        marker = edition.marker("data")
        current = files_digest(data_files(folder), {"cutoff": checked["cutoff"]})
        if marker.exists() and marker.read_text() == current:
            return
        marker.unlink(missing_ok=True)
        from helpers.data import catalog

        # Published tables are always read (as data or as context for firm-level data).
        published = folder if checked["kind"] == "published" else catalog.PUBLISHED_DIR
        counts = catalog.validate_all(published)
        summary = f"{len(counts)} published tables, {sum(counts.values())} rows"
        if checked["kind"] == "firm-level":
            tables = resolve(edition.tables_dir)
            aggregated = catalog.validate_all(tables)
            summary += (
                f"; firm-level data in {display_path(folder)} aggregated to "
                f"{display_path(tables)}: {len(aggregated)} tables, {sum(aggregated.values())} rows"
            )
            summary += " (synthetic sample)" if checked["synthetic"] else ""
        print(f"data ok: {summary}")
        marker.parent.mkdir(parents=True, exist_ok=True)
        marker.write_text(current)


def firm_tables(args) -> None:
    """Print the published-shaped folder the chapters read (and PREVIOUS's, when given):
    DATA_DIR itself for published tables, else the firm-level export's aggregate under
    <BUILD>/tables/, made here when its inputs changed."""
    args.language = DEFAULTS["language"]
    edition = Edition(args)
    print(edition.tables_dir)
    if edition.previous_tables_dir:
        print(f"previous: {edition.previous_tables_dir}")


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(prog="python -m helpers.workflow")
    commands = parser.add_subparsers(dest="command", required=True)

    def command(name: str, help: str, language: bool = True, staging: bool = False):
        sub = commands.add_parser(name, help=help)
        sub.add_argument("--build", default="build", help="build folder (BUILD)")
        sub.add_argument("--data-dir", default=DEFAULTS["data_dir"])
        if language:
            sub.add_argument("--language", default=DEFAULTS["language"])
        sub.add_argument("--cutoff", default=DEFAULTS["cutoff"])
        sub.add_argument("--previous", default="", help="the previous edition's data folder")
        if staging:
            sub.add_argument("--staging", help="instead of <build>/<edition>/reports")
        return sub

    command("chapter", "execute one notebook and export HTML + PDF", staging=True).add_argument(
        "--notebook", required=True
    )
    documents_command = command("documents", "execute the chapters and profiles in warm kernels")
    documents_command.add_argument("--chapters", default="all", help="all, none or chapter names")
    documents_command.add_argument(
        "--regions", default="none", help="REGIONS: all, none, slugs or names"
    )
    documents_command.add_argument(
        "--jobs", type=int, default=0, help="kernels (default: make's -j)"
    )
    command("check", "validate the parameters and the input data (fast, before any chapter)")
    command("tables", "print the published-shaped folder for DATA_DIR", language=False)
    publish_command = command("publish", "replace reports/<edition>/ with a complete staging")
    publish_command.add_argument("--reports", default="reports")
    publish_command.add_argument("--stamp-list", help="write the published files here (Makefile)")
    index_command = commands.add_parser("index", help="rewrite reports/index.html")
    index_command.add_argument("--build", default="build")
    index_command.add_argument("--reports", default="reports")
    args = parser.parse_args(argv)
    steps = {
        "chapter": build_chapter,
        "documents": build_documents,
        "check": check_data,
        "tables": firm_tables,
        "publish": publish,
        "index": index,
    }
    try:
        steps[args.command](args)
    except ParameterError as error:  # one line naming the parameter, the value, the choices
        sys.exit(str(error))
    except (NotebookFailed, BatchFailed) as error:
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
