"""The combined report of an edition, after its chapters: `html/report.html` and
`pdf/report.pdf` in the edition's staging folder (helpers.report.book), rebuilt only when its
inputs changed — the chapters' staged HTML and statistics, the helpers package (labels,
templates, CSS), the reference tables, the pinned requirements, the parameters and the build
version shown on the cover.

    python -m helpers.workflow.book --build build --data-dir data/published --language zh --cutoff …
"""

from __future__ import annotations

import argparse
import shutil
import subprocess
import sys
import time
from pathlib import Path

from helpers.data.digest import files_digest, folder_files
from helpers.parameters import add_arguments
from helpers.paths import REFERENCE_DIR, REPO_ROOT, display_path
from helpers.workflow.editions import Edition, NotCurrent, chapter_lock, edition_lock
from helpers.workflow.failures import one_line

BOOK_STEM = "report"
MARKER = "book"


def build_version() -> str:
    """`git describe --always --dirty` of the checkout, else the package's version."""
    try:
        found = subprocess.run(
            ["git", "describe", "--always", "--dirty"],
            cwd=REPO_ROOT,
            capture_output=True,
            text=True,
            check=True,
            timeout=20,
        )
        if found.stdout.strip():
            return found.stdout.strip()
    except (OSError, subprocess.SubprocessError):
        pass
    from importlib.metadata import PackageNotFoundError, version

    try:
        return version("helpers")
    except PackageNotFoundError:
        return "unknown"


def book_outputs(staging: Path) -> list[Path]:
    return [staging / "html" / f"{BOOK_STEM}.html", staging / "pdf" / f"{BOOK_STEM}.pdf"]


def book_inputs(staging: Path, chapters: list[str]) -> list[Path]:
    """Every file the book is made of (the chapters' staged pages and statistics, the helpers
    package with its labels, templates and CSS, the reference tables, the requirements)."""
    from helpers.pipeline import HELPERS_DIR, PIPELINE_FILE

    files = [PIPELINE_FILE, REPO_ROOT / "requirements.txt"]
    for chapter in chapters:
        files.append(staging / "html" / f"{chapter}.html")
        statistics = staging / "statistics" / f"{chapter}.csv"
        if statistics.exists():
            files.append(statistics)
    from helpers.workflow.previous import statistics_file

    if statistics_file(staging).exists():  # PREVIOUS: the previous edition's statistics
        files.append(statistics_file(staging))
    files += folder_files(HELPERS_DIR) + folder_files(REFERENCE_DIR)
    return files


def book_fingerprint(edition: Edition, chapters: list[str], version: str) -> str:
    """SHA-256 over the book's inputs (book_inputs), the same in any build folder and checkout:
    staged files are named relative to the staging folder and the rest relative to the
    checkout, and the parameters are the edition's, not its folders (the colophon prints it)."""
    import hashlib

    parameters = {
        "edition": edition.id,
        "language": edition.checked["language"],
        "cutoff": edition.checked["cutoff"],
        "version": version,
    }
    inputs = book_inputs(edition.staging, chapters)
    staged = [path for path in inputs if path.is_relative_to(edition.staging)]
    others = [path for path in inputs if not path.is_relative_to(edition.staging)]
    both = files_digest(staged, parameters, root=edition.staging) + files_digest(others)
    return hashlib.sha256(both.encode()).hexdigest()


def last_built(marker: Path) -> tuple[str, str] | None:
    """(fingerprint, version) the book was last built from, or None."""
    if not marker.exists():
        return None
    lines = marker.read_text().splitlines()
    return (lines[0], lines[1]) if len(lines) == 2 else None


def data_label(checked: dict, language: str) -> str:
    """The data source as the cover and the edition's index name it, by its title: 公开报告数据,
    示例数据（合成）, 企业数据：<the folder's name> (helpers.report.sources.data_title)."""
    from helpers.report.sources import data_title

    return data_title(
        language,
        firm_level=checked["kind"] != "published",
        synthetic=bool(checked["synthetic"]),
        folder=str(checked["data_path"]),
    )


def previous_title(checked: dict, language: str) -> str:
    """The previous edition's data (PREVIOUS) by its title, never its path: 公开报告数据,
    示例数据（合成）, 企业数据：<the folder's name>."""
    from helpers.report.sources import data_title

    folder = Path(checked["previous_path"])
    return data_title(
        language,
        firm_level=checked["previous_kind"] != "published",
        synthetic=(folder / "SYNTHETIC").exists(),
        folder=str(folder),
    )


def data_fingerprint(checked: dict) -> str:
    """The data folder's fingerprint for the colophon: the first 12 hex digits of the SHA-256 of
    its files (as a firm-level source's own fingerprint is made)."""
    folder = Path(checked["data_path"])
    return files_digest(folder_files(folder), root=folder)[:12]


def build_book(args, with_pdf: bool = True) -> None:
    """Write the staged report.html and report.pdf (the page only when not `with_pdf`: make
    preview) unless nothing they are made of changed."""
    edition = Edition(args)  # a bad parameter stops here, before any heavy import

    from helpers.pipeline import chapters as book_chapters

    chapters = book_chapters()
    staging = edition.staging
    missing = [c for c in chapters if not (staging / "html" / f"{c}.html").exists()]
    if missing:
        sys.exit(
            f"book: chapters not built in {display_path(staging)}: {', '.join(missing)}; "
            "run make report (or make book) to build them first"
        )
    version = build_version()
    # Like a chapter: the edition's lock shared (profiles build alongside under make -j2; publish
    # waits), its own lock exclusive (a second build of the same edition waits).
    with (
        edition_lock(edition.build, edition.id, shared=True),
        chapter_lock(edition.build, edition.id, MARKER),
    ):
        from helpers.workflow.previous import ensure_previous_statistics

        # PREVIOUS: the chapters run once more on the previous data (cached), for 本期变化.
        previous = ensure_previous_statistics(
            edition.checked, staging, chapters, edition.previous_tables_dir
        )
        marker = edition.marker(MARKER)
        current = book_fingerprint(edition, chapters, version)
        outputs = book_outputs(staging)
        page_built = last_built(marker) == (current, version) and outputs[0].exists()
        if page_built and not with_pdf:  # make preview: the HTML page only
            print(f"up to date: book ({edition.id})")
            return
        if page_built and pdf_current(edition, chapters, current):
            print(f"up to date: book ({edition.id})")
            return
        start = time.perf_counter()
        if page_built:
            page = outputs[0].read_text(encoding="utf-8")
        else:
            marker.unlink(missing_ok=True)
            page = write_page(edition, chapters, version, current, previous)
            marker.parent.mkdir(parents=True, exist_ok=True)
            marker.write_text(f"{current}\n{version}\n")
        html_seconds = time.perf_counter() - start
        if not with_pdf:
            print(f"built book ({edition.id}): html {html_seconds:.1f} s")
            return
        write_pdf(edition, chapters, page, current)
        pdf_seconds = time.perf_counter() - start - html_seconds
    shown = [f"html {html_seconds:.1f} s"] if not page_built else []
    print(f"built book ({edition.id}): {', '.join([*shown, f'pdf {pdf_seconds:.1f} s'])}")


def edition_cutoff(checked: dict) -> str:
    """The data's cut-off as the cover shows it: the latest `as_of` of published tables, else
    the CUTOFF the firm-level data was cut at."""
    if checked["kind"] == "published":
        from helpers.data.catalog import latest_as_of

        return latest_as_of()
    return checked["cutoff"]


def write_page(edition: Edition, chapters: list[str], version: str, current: str, previous):
    """The book's staged HTML page (helpers.report.book.render_book); its PDF, made from other
    inputs, removed."""
    from helpers.report.book import render_book

    checked = edition.checked
    language = checked["language"]
    page = render_book(
        edition.staging,
        chapters,
        language=language,
        data_label=data_label(checked, language),
        synthetic=checked["synthetic"],
        cutoff=edition_cutoff(checked),
        version=version,
        previous=previous,
        previous_label=previous_title(checked, language) if previous else "",
        fingerprints={"data": data_fingerprint(checked), "inputs": current[:12]},
    )
    html, pdf = book_outputs(edition.staging)
    pdf.unlink(missing_ok=True)  # never a PDF of other inputs beside the page
    html.parent.mkdir(parents=True, exist_ok=True)
    html.write_text(page, encoding="utf-8")
    return page


def pdf_fingerprint(edition: Edition, chapters: list[str], current: str) -> str | None:
    """What the book's PDF is made of: the page's fingerprint and the chapters' pages (their
    PDFs without page numbers); None while a chapter's pages are not built."""
    import hashlib

    from helpers.workflow.batch import chapter_pages

    digest = hashlib.sha256(current.encode())
    for chapter in chapters:
        pages = chapter_pages(edition, chapter)
        if not pages.exists():
            return None
        digest.update(hashlib.sha256(pages.read_bytes()).digest())
    return digest.hexdigest()


def pdf_marker(edition: Edition) -> Path:
    return edition.marker(MARKER).with_suffix(".pdf.sha256")


def pdf_current(edition: Edition, chapters: list[str], current: str) -> bool:
    marker = pdf_marker(edition)
    found = pdf_fingerprint(edition, chapters, current)
    return (
        book_outputs(edition.staging)[1].exists()
        and marker.exists()
        and found is not None
        and marker.read_text() == found
    )


def write_pdf(edition: Edition, chapters: list[str], page: str, current: str) -> None:
    """The book's PDF, assembled from its front matter and colophon (rendered from the book's
    page) and the chapters' pages as their own PDFs were made (helpers.report.assemble): no
    chapter is laid out again."""
    from bs4 import BeautifulSoup

    from helpers.report import assemble
    from helpers.report.book import FRONT_CSS, chapter_part, print_back, print_front
    from helpers.report.html import HTML_LANG, visible_text
    from helpers.report.pdf import (
        font_for,
        render_marks,
        with_style,
        without_generator,
        write_cached,
        write_pages,
    )
    from helpers.workflow.batch import chapter_pages, parameters_characters

    staging = edition.staging
    marker = pdf_marker(edition)
    marker.unlink(missing_ok=True)
    fingerprint = pdf_fingerprint(edition, chapters, current)
    if fingerprint is None:
        missing = [c for c in chapters if not chapter_pages(edition, c).exists()]
        sys.exit(
            f"book: the PDFs of {', '.join(missing)} are not built in "
            f"{display_path(staging)}; run make report (or make book) to build them first"
        )
    language = edition.checked["language"]
    characters = parameters_characters(language, edition.parameters())
    parts, numbers, marks, first = [], {}, [], 1
    for chapter in chapters:
        pages = chapter_pages(edition, chapter)
        part = chapter_part(chapter, (staging / "html" / f"{chapter}.html").read_text("utf-8"))
        sections = [(s["id"], s["title"]) for s in part.sections]
        count, found = assemble.pages_and_destinations(pages, [name for name, _ in sections])
        numbers[part.anchor] = str(first)
        # a section the chapter's PDF has no destination for: its chapter's first page
        numbers.update({name: str(first + found.get(name, 0)) for name, _ in sections})
        parts.append(assemble.Part(pages, part.title, part.anchor, sections))
        marks += [assemble.PageMark(str(first + i), part.title) for i in range(count)]
        first += count
    back_page = print_back(page)
    heading = BeautifulSoup(back_page, "html.parser").select_one("section.book-colophon h1")
    numbers["colophon"] = str(first)
    work = chapter_pages(edition, MARKER).parent
    front, back, stamps = (work / f"{MARKER}.{name}.pdf" for name in ("front", "back", "marks"))
    base = staging / "html"
    # The front matter is the same after most edits of a chapter: kept by content, without the
    # inputs' fingerprint its generator names (set on the book afterwards)
    front_page, creator = without_generator(with_style(print_front(page, numbers), FRONT_CSS))
    write_cached(front_page, base, front, font_for(set(visible_text(front_page)), characters))
    back_count = write_pages(back_page, base, back, characters)
    title = heading.get_text().strip() if heading else ""
    marks += [assemble.PageMark(str(first + i), title) for i in range(back_count)]
    render_marks(marks, stamps, HTML_LANG[language], characters)
    try:
        assemble.assemble_book(front, parts, back, book_outputs(staging)[1], stamps, creator)
    finally:
        for path in (front, back, stamps):
            path.unlink(missing_ok=True)
    marker.write_text(fingerprint)


def book_step(args, with_pdf: bool = True) -> None:
    """build_book as the documents step runs it (helpers.workflow.batch.StepJob): a book that
    cannot be made is refused in one line, as `make book` says it."""
    try:
        build_book(args, with_pdf=with_pdf)
    except Exception as error:
        from helpers.report.book import BookInputError

        if isinstance(error, BookInputError):
            sys.exit(str(error))
        raise


def publish_book(edition: Edition, chapters: list[str], fresh: Path) -> None:
    """Copy the staged book into the edition being published, refusing one built from other
    inputs than the current chapters (publish calls this instead of merging chapter PDFs)."""
    outputs = book_outputs(edition.staging)
    # The version it was built with: a commit made while the profiles build does not stale it.
    fingerprint, version = last_built(edition.marker(MARKER)) or ("", "")
    if (
        fingerprint != book_fingerprint(edition, chapters, version)
        or not all(p.exists() for p in outputs)
        or not pdf_current(edition, chapters, fingerprint)
    ):
        raise NotCurrent(
            f"publish: the combined report in {display_path(edition.staging)} is missing or was "
            "built from other inputs than the current chapters; run make report again"
        )
    for path in outputs:
        shutil.copy2(path, fresh / path.parent.name / path.name)


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(prog="python -m helpers.workflow.book", description=__doc__)
    add_arguments(parser, "build", "reports", "data_dir", "language", "cutoff", "previous")
    parser.add_argument("--staging", help="instead of <build>/<edition>/reports")
    parser.add_argument("--html-only", action="store_true", help="no PDF (make preview)")
    args = parser.parse_args(argv)
    with one_line("book"):
        book_step(args, with_pdf=not args.html_only)


if __name__ == "__main__":
    main()
