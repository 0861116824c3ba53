"""The edition's search, written by publish into `reports/<edition>/search/`: every page's text
cut into documents — a section under its heading, a figure or a table under its title, with
the page and the anchor a hit leads to — as `search-index.js` (a script assigning
`window.SEARCH_DOCUMENTS`, since a browser will not fetch a JSON file from `file://`), beside
MiniSearch (vendored: a kept full-text search of 86 KB with no dependencies, MIT) and
`search.js`, which builds the index in the reader's browser on first use (CJK as character
pairs) and lists the hits. Every page's header carries the box (templates/search.html.j2).

The chapters, the book's own front matter (findings, methods, colophon: its chapters are the
chapter pages'), the profiles and the screening cards are searched; the edition's index lists
links only. Same pages, same bytes: documents in the order of their files and of the pages."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

SEARCH_FOLDER = "search"
INDEX_SCRIPT = "search-index.js"
# Copied beside the index from helpers/report/templates/ (the vendored library and its licence).
ASSETS = ("minisearch.js", "minisearch.LICENSE.txt", "search.js")
SEARCHED = ("html", "profiles", "assess")
# Elements whose text is a document's (a block: its text read whole, never one inside another).
BLOCKS = {"h1", "h2", "h3", "h4", "h5", "h6", "p", "table", "li", "dt", "dd", "figcaption"}
# Not searched: the book's copy of the chapters and its contents, a table's download links.
SKIPPED_CLASSES = {"book-chapter", "book-contents", "downloads"}
TITLE_CLASSES = {"figure-title": "figure", "table-title": "table"}


def page_documents(page: Path, href: str) -> list[dict]:
    """The documents of the page file `page` (page_documents_of), kept by its content
    (helpers.data.content_cache): publishing parses only the pages that changed since."""
    from helpers.data.content_cache import cached_json, content_key
    from helpers.data.digest import file_sha256
    from helpers.workflow.webfont import parser_version

    text = Path(page).read_text(encoding="utf-8")
    stem = Path(page).stem  # the title of a page without one
    key = content_key(text, href, stem, file_sha256(Path(__file__)).hex(), *parser_version())
    return cached_json("page-search", key, lambda: page_documents_of(text, href, stem))


def page_documents_of(text: str, href: str, stem: str) -> list[dict]:
    """The documents of one page (`href`: its path within the edition): {page, anchor, kind
    ('section', 'figure', 'table', or 'page' for what comes before its first heading), title,
    where (the page's title), text}; a document without text or title is left out. Read with
    lxml.html: five times faster than BeautifulSoup's tree on the same pages, the same
    documents (compared on every page of the zh, en and sample editions)."""
    import lxml.html

    from helpers.report.html import reader_strings

    root = lxml.html.document_fromstring(text)
    title = root.find(".//title")
    where = "".join(s.strip() for s in reader_strings(title)) if title is not None else stem
    main = next((e for e in (root.find(".//main"), root.find("body")) if e is not None), root)
    documents = [_document(href, "", "page", where, where)]
    for block in _blocks(main):
        classes = _classes(block)
        # a table's cells apart; a paragraph's links and marks within its words
        joined = (" " if block.tag == "table" else "").join(reader_strings(block))
        text = " ".join(joined.split())
        kind = next((TITLE_CLASSES[c] for c in classes if c in TITLE_CLASSES), None)
        if block.tag in {"h1", "h2"} and block.get("id"):
            documents.append(_document(href, block.get("id"), "section", text, where))
        elif kind and block.get("id"):
            documents.append(_document(href, block.get("id"), kind, text, where))
        elif text:
            documents[-1]["text"].append(text)
    return [
        {**document, "text": " ".join(document["text"])}
        for document in documents
        if document["text"] or document["kind"] != "page"
    ]


def _document(page: str, anchor: str, kind: str, title: str, where: str) -> dict:
    return {
        "page": page,
        "anchor": anchor,
        "kind": kind,
        "title": title,
        "where": where,
        "text": [],
    }


def _classes(element) -> set[str]:
    return set((element.get("class") or "").split())


def _blocks(element):
    """The outermost BLOCKS under `element` in reading order, SKIPPED_CLASSES left out."""
    for child in element:
        if not isinstance(child.tag, str) or SKIPPED_CLASSES & _classes(child):
            continue  # a comment, or a part not searched
        if child.tag in BLOCKS:
            yield child
        else:
            yield from _blocks(child)


def edition_documents(edition: Path) -> list[dict]:
    """Every searched page's documents (SEARCHED folders, files in name order), numbered."""
    edition = Path(edition)
    documents = []
    for folder in SEARCHED:
        for page in sorted((edition / folder).glob("*.html")):
            documents += page_documents(page, f"{folder}/{page.name}")
    return [{"id": number, **document} for number, document in enumerate(documents)]


def write_search(edition: Path) -> Path:
    """search/search-index.js from the edition's pages, and the scripts it needs beside it."""
    from helpers.report.html import TEMPLATES_DIR

    folder = Path(edition) / SEARCH_FOLDER
    folder.mkdir(parents=True, exist_ok=True)
    documents = json.dumps(edition_documents(edition), ensure_ascii=False, separators=(",", ":"))
    target = folder / INDEX_SCRIPT
    target.write_text(f"window.SEARCH_DOCUMENTS = {documents};\n", encoding="utf-8")
    for name in ASSETS:
        shutil.copyfile(TEMPLATES_DIR / name, folder / name)
    return target
