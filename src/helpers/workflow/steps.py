"""The report build, called by the Makefile (every step takes the same parameters):

    python -m helpers.workflow check   --build build --data-dir data/published --language zh --cutoff …
    python -m helpers.workflow tables  --build build --data-dir data/sample --cutoff …
    python -m helpers.workflow chapter --build build --notebook notebooks/01_x.ipynb --data-dir … …
    python -m helpers.workflow documents --build build --chapters all --regions all --data-dir … …
    python -m helpers.workflow publish --build build --reports reports --data-dir … --language …
    python -m helpers.workflow assess  --firm SYN-00001 --data-dir data/sample …
    python -m helpers.workflow index   --build build --reports reports

Every option defaults to the environment variable the Makefile sets (ZJTX_DATA_DIR, …:
helpers.parameters.add_arguments), so `make` runs these without a value on any command line.

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
from dataclasses import replace

from helpers.parameters import DEFAULTS, ParameterError, add_arguments, check_jobs
from helpers.paths import NOTEBOOKS_DIR, display_path, resolve
from helpers.workflow.batch import BatchFailed, NotebookFailed
from helpers.workflow.editions import Edition, NotCurrent, claim_source, edition_lock
from helpers.workflow.failures import one_line
from helpers.workflow.publish import clear_leftovers, index, publish

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
    from helpers.workflow.profiles import profile_documents, region_list, selected, write_index

    chapters = selected_chapters(args.chapters)
    jobs = check_jobs(args.jobs)["jobs"]
    with_pdf = not args.html_only
    with edition_lock(edition.build, edition.id, shared=True):
        # The appendix lists the other chapters' checks: it runs once they are built (the
        # profiles fill in beside it).
        later = [c for c in chapters if checked_chapters(c)]
        first = batch.chapter_documents(
            edition, [NOTEBOOKS_DIR / f"{c}.ipynb" for c in chapters if c not in later], with_pdf
        )
        needs = tuple(d.key for d in first)
        appendix = [
            replace(d, needs=needs)
            for d in batch.chapter_documents(
                edition, [NOTEBOOKS_DIR / f"{c}.ipynb" for c in later], with_pdf
            )
        ]
        documents = first + appendix
        if args.book and not all(d.up_to_date() for d in documents):
            documents = with_the_book(args, documents, with_pdf)
        profiles = []
        if args.regions.strip() not in ("", "none"):
            regions = region_list(edition)
            slugs = selected(regions, args.regions)
            profiles = profile_documents(edition, slugs, regions, with_pdf)
        documents += profiles
        if args.book and not all(d.up_to_date() for d in documents):
            # the profiles' index once they are built, beside the book's PDF
            needs = tuple(p.key for p in profiles)
            documents.append(batch.StepJob("profile-index", write_index, args, needs, 0.5))
        asked = (jobs or batch.jobs_from_make(), "JOBS" if jobs else "make -j")
        batch.run(documents, *asked)


def with_the_book(args, chapters: list, with_pdf: bool) -> list:
    """The chapters' documents, each stale one as its page then its PDF, the book's page after
    every chapter's page (a StepJob) and its PDF after every chapter's PDF."""
    from helpers.workflow.batch import StepJob
    from helpers.workflow.book import book_step

    jobs, pages = [], {}
    for document in chapters:
        if with_pdf and not document.up_to_date():
            page, pdf = document.in_two_jobs()
            pages[document.key] = page.key
            jobs += [page, pdf]
        else:
            jobs.append(document)
    # a job that needed a chapter now needs its page (the appendix lists the chapters' checks)
    jobs = [replace(j, needs=tuple(pages.get(n, n) for n in j.needs)) for j in jobs]
    pages_first = tuple(j.key for j in jobs if j.stage != "pdf")
    # its page after the chapters' pages, before their PDFs; its PDF, assembled from the
    # chapters' (helpers.report.assemble), after them
    book = StepJob("book", book_step, args, pages_first, 2.0, {"with_pdf": False})
    if not with_pdf:
        return [*jobs, book]
    everything = (*(j.key for j in jobs), book.key)
    pdf = StepJob("book-pdf", book_step, args, everything, 1.0, {"with_pdf": True})
    return [*jobs, book, pdf]


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
    check_jobs(args.jobs)  # JOBS is used later, by the documents: refused before any work
    with edition_lock(edition.build, edition.id):
        claim_source(checked, edition.id, edition.build)  # a/acme and b/acme: see editions
        if edition.reports is not None:
            clear_leftovers(edition.reports, edition.id)  # of a publish killed outright
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


def assess(args) -> None:
    """`make assess`: stage one firm's card (helpers.workflow.cards) and publish it with its
    edition when that edition is published and built from the current inputs; else say where
    the card is and that `make report` publishes it. Never an edition folder holding only cards."""
    from helpers.workflow.cards import build_card
    from helpers.workflow.publish import publish_edition

    edition, outputs = build_card(args)
    reports = resolve(args.reports)
    target = reports / edition.id
    staged = f"assess: the card is staged in {display_path(outputs[0])} and {outputs[1].name}"
    later = "make report with the edition's DATA_DIR, LANGUAGE and CUTOFF publishes it"
    if not target.is_dir():
        print(f"{staged}; {display_path(target)} is not published yet: {later}")
        return
    with edition_lock(edition.build, edition.id):
        try:
            publish_edition(edition, reports)
        except NotCurrent:
            print(f"{staged}; {display_path(target)} was built from other inputs: {later}")
            return
    for path in outputs:
        print(display_path(target / "assess" / path.name))


EDITION = ("build", "reports", "data_dir", "language", "cutoff", "previous", "assessment_date")


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(prog="python -m helpers.workflow")
    commands = parser.add_subparsers(dest="command", required=True)

    def command(name: str, help: str, *more: str, staging: bool = False, **defaults: str):
        sub = commands.add_parser(name, help=help)
        add_arguments(sub, *EDITION, *more, **defaults)
        if staging:
            sub.add_argument("--staging", help="instead of <build>/<edition>/reports")
        return sub

    command("chapter", "execute one notebook and export HTML + PDF", staging=True).add_argument(
        "--notebook", required=True
    )
    documents_command = command(
        "documents",
        "execute the chapters and profiles in warm kernels",
        "regions",
        "jobs",
        regions="none",
    )
    documents_command.add_argument("--chapters", default="all", help="all, none or chapter names")
    documents_command.add_argument(
        "--html-only", action="store_true", help="no PDF (make preview; PREVIEW_PDF=1 for both)"
    )
    documents_command.add_argument(
        "--book",
        action="store_true",
        help="also the book, once the chapters' pages are built, and the profiles' index, once "
        "the profiles are (when a document had work)",
    )
    command(
        "check", "validate the parameters and the input data (fast, before any chapter)", "jobs"
    )
    command("tables", "print the published-shaped folder for DATA_DIR")
    command(
        "publish", "replace reports/<edition>/ with a complete staging", "regions"
    ).add_argument(
        "--record", action="store_true", help="record the inputs for the no-op make report"
    )
    command(
        "assess", "one firm's screening card, staged and published with its edition", "firm", "date"
    )
    index_command = commands.add_parser("index", help="rewrite reports/index.html")
    add_arguments(index_command, "build", "reports")
    args = parser.parse_args(argv)
    steps = {
        "chapter": build_chapter,
        "documents": build_documents,
        "check": check_data,
        "tables": firm_tables,
        "publish": publish,
        "assess": assess,
        "index": index,
    }
    from helpers.workflow.cards import UnknownFirm

    with one_line(args.command, NotebookFailed, BatchFailed, UnknownFirm):
        steps[args.command](args)


if __name__ == "__main__":
    main()
