"""An edition's own index page, `index.html` at the top of `reports/<edition>/`: the edition's
title, data source (示例数据 / synthetic sample when it is the source), data cut-off and build
version, and links to the book, every chapter (HTML and PDF), the regional profiles, the merged
statistics and reconciliation, and every figure (PNG, SVG) and table (CSV, XLSX) by chapter
with its number and title (statistics/<chapter>.downloads.csv, written by Chapter).

Written by publish into the staging folder, from the staged files only, and copied with the
rest; the same inputs give the same bytes (no times, files in the chapters' order)."""

from __future__ import annotations

import csv
from pathlib import Path

INDEX = "index.html"
TEMPLATE = "edition_index.html.j2"
# How a download's format is named on the page (file formats, the same in every language).
FORMATS = {".png": "PNG", ".svg": "SVG", ".csv": "CSV", ".xlsx": "XLSX"}


def downloads(staging: Path, chapter: str) -> list[dict]:
    """The chapter's figures and tables as the index lists them, in the chapter's order: each
    {"number", "title", "files": [(format, href), ...]}; a table saved under a figure's name is
    the figure's data, listed with it. Files not in the staging folder are left out."""
    from helpers.pipeline import DOWNLOADS_SUFFIX

    path = Path(staging) / "statistics" / f"{chapter}{DOWNLOADS_SUFFIX}"
    if not path.exists():
        return []
    with path.open(encoding="utf-8", newline="") as handle:
        rows = list(csv.DictReader(handle))
    figures = {row["name"] for row in rows if row["kind"] == "figure"}
    entries: dict[tuple[str, str], dict] = {}
    for row in rows:
        files = [
            (FORMATS.get(Path(name).suffix, Path(name).suffix.lstrip(".").upper()), name)
            for name in row["files"].split(";")
            if name and (Path(staging) / name).is_file()
        ]
        if row["kind"] == "table" and row["name"] in figures and not row["title"]:
            key = ("figure", row["name"])  # the figure's data: beside its picture
            if key in entries:
                entries[key]["files"] += files
                continue
        else:
            key = (row["kind"], row["name"])
        entries[key] = {"kind": row["kind"], "number": row["number"], "title": row["title"]}
        entries[key]["files"] = files
    return [entry for entry in entries.values() if entry["files"]]


def render_edition_index(
    staging: Path,
    chapters: list[str],
    *,
    language: str,
    data_label: str,
    synthetic: bool,
    cutoff: str,
    version: str,
    tables_zip: str | None = None,
) -> str:
    """The page, from what is staged (chapter pages and PDFs, the book, profiles/index.html,
    statistics.csv, tables/reconciliation.csv, the chapters' download lists)."""
    from markupsafe import Markup

    from helpers.report import words
    from helpers.report.html import CSS_PATH, HTML_LANG, SearchBox, chapter_title, environment
    from helpers.report.labels import label

    staging = Path(staging)

    def t(key: str, **values) -> str:
        return label(f"site.index.{key}", language, **values)

    def staged(name: str) -> str | None:
        return name if (staging / name).is_file() else None

    parts = []
    for chapter in chapters:
        page = staging / "html" / f"{chapter}.html"
        entries = downloads(staging, chapter)
        untitled = 0
        for entry in entries:
            if not entry["title"]:  # a table shown without a title of its own
                untitled += 1
                entry["title"] = t("untitled_table", index=untitled)
        parts.append(
            {
                "id": chapter,
                "title": chapter_title(page) if page.exists() else chapter,
                "html": staged(f"html/{chapter}.html"),
                "pdf": staged(f"pdf/{chapter}.pdf"),
                "downloads": entries,
            }
        )
    return (
        environment()
        .get_template(TEMPLATE)
        .render(
            lang=HTML_LANG[language],
            search=SearchBox("", language),  # the edition's search/ is beside this page
            title=label("book.title", language),
            edition=t(f"edition.{language}"),
            t=t,
            css=Markup(CSS_PATH.read_text(encoding="utf-8")),
            data_label=data_label,
            synthetic=synthetic,
            cutoff=words.format_date(cutoff, language),
            version=version,
            book_html=staged("html/report.html"),
            book_pdf=staged("pdf/report.pdf"),
            profiles=staged("profiles/index.html"),
            statistics=staged("statistics.csv"),
            reconciliation=staged("tables/reconciliation.csv"),
            # the tables' zip and datapackage.json, written by publish (helpers.workflow.datapackage)
            tables_zip=tables_zip,
            tables_zip_text=label("spreadsheet.zip_link", language),
            package_text=label("spreadsheet.package_link", language),
            chapters=parts,
        )
    )


def write_edition_index(edition, chapters: list[str]) -> Path:
    """Stage `index.html` for `edition` (a helpers.workflow.editions.Edition): the version is the
    one the staged book was built with, so the page and the book's cover agree."""
    from helpers.workflow.book import (
        MARKER,
        build_version,
        data_label,
        edition_cutoff,
        last_built,
    )
    from helpers.workflow.datapackage import zip_name

    checked = edition.checked
    marked = last_built(edition.marker(MARKER))
    page = render_edition_index(
        edition.staging,
        chapters,
        language=checked["language"],
        data_label=data_label(checked, checked["language"]),
        synthetic=checked["synthetic"],
        cutoff=edition_cutoff(checked),
        version=marked[1] if marked else build_version(),
        tables_zip=zip_name(edition.id),
    )
    target = edition.staging / INDEX
    target.write_text(page, encoding="utf-8")
    return target
