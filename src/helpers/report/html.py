"""HTML pages of the report: an executed notebook's outputs (code hidden) in our page template.

Every piece of markup comes from a Jinja2 template in `templates/` with autoescaping on: the page
(`page.html.j2`), tables of formatted strings (`table.html.j2`) and the small snippets chapter
code shows (`fragments.html.j2`). Text passed in is escaped; only `body_html` (already HTML) and
the stylesheet are inserted as they are."""

from __future__ import annotations

import base64
import functools
import html
import re
from dataclasses import dataclass
from pathlib import Path

import pandas as pd
import wcwidth

TEMPLATES_DIR = Path(__file__).parent / "templates"
CSS_PATH = TEMPLATES_DIR / "report.css"
HTML_LANG = {"zh": "zh-CN", "en": "en"}
# shown in this order; "profiles" is the profiles' index, from a region's profile
NAV_LINKS = (("previous", "prev"), ("contents", None), ("profiles", None), ("next", "next"))
# The edition's folder of region profiles (helpers.workflow.profiles.PROFILES; the report code
# does not import the build's).
PROFILES_FOLDER = "profiles"
# Every page render_page writes sits one folder below the edition's own (html/, profiles/,
# assess/): links to the edition's figures/, tables/ and search/ start here.
PAGE_ROOT = "../"
# How a download's format is named beside a table (file formats, the same in every language).
FILE_FORMATS = {".csv": "CSV", ".xlsx": "XLSX", ".png": "PNG", ".svg": "SVG"}
# A table's row label up to this wide (half-width characters; a Chinese one counts two, about
# 8 em at the tables' 9pt) is kept on one line (`td.short-label` in report.css): "Batch 4", 第四批.
# Longer labels wrap, so a table with many columns still fits the A4 page.
SHORT_LABEL_WIDTH = 16
FRAGMENTS = (
    "figure_title",
    "figure_source",
    "reading",
    "placeholder",
    "table_title",
    "synthetic_banner",
    "data_note",
    "heading",
    "figure_image",
    "downloads",
)


@functools.cache
def environment():
    """The Jinja2 environment: templates folder, autoescape on, unknown variables are errors."""
    import jinja2

    return jinja2.Environment(
        loader=jinja2.FileSystemLoader(TEMPLATES_DIR),
        autoescape=True,
        keep_trailing_newline=True,
        trim_blocks=True,
        lstrip_blocks=True,
        undefined=jinja2.StrictUndefined,
    )


@dataclass(frozen=True)
class SearchBox:
    """The edition's search box on a page (templates/search.html.j2): `root` leads from the page
    to the edition's folder, `t` gives its words."""

    root: str
    language: str

    def t(self, key: str, **values) -> str:
        from helpers.report.labels import label

        return label(f"site.search.{key}", self.language, **values)


def render_page(
    *,
    title: str,
    body_html: str,
    language: str,
    edition_note: str = "",
    nav: dict | None = None,
    search: bool = True,
) -> str:
    """A standalone page: doctype, lang, escaped title, author and subject (the PDF's document
    properties), the stylesheet inlined; a header with an optional edition/data-source note,
    optional previous/contents/profiles/next links (nav={"previous": (href, text) | None,
    "next": ..., "contents": ...}) and the edition's search box; then `body_html` as the page's
    main landmark."""
    from markupsafe import Markup

    from helpers.report.labels import label

    if language not in HTML_LANG:
        raise ValueError(f"unknown language {language!r} (valid: {', '.join(HTML_LANG)})")
    nav = dict(nav or {})
    unknown = set(nav) - {kind for kind, _ in NAV_LINKS}
    if unknown:
        raise ValueError(
            f"unknown nav links {sorted(unknown)} (valid: {', '.join(k for k, _ in NAV_LINKS)})"
        )
    links = []
    for kind, rel in NAV_LINKS:
        if nav.get(kind) is not None:
            href, text = nav[kind]
            links.append({"kind": kind, "rel": rel, "href": str(href), "text": str(text)})
    return (
        environment()
        .get_template("page.html.j2")
        .render(
            lang=HTML_LANG[language],
            title=title,
            css=Markup(CSS_PATH.read_text(encoding="utf-8")),
            edition_note=edition_note,
            links=links,
            body_html=Markup(body_html),
            author=label("book.metadata.author", language),
            description=label(
                "book.metadata.page_subject", language, title=label("book.title", language)
            ),
            search=SearchBox(PAGE_ROOT, language) if search else None,
        )
    )


def render_table(
    frame_display: pd.DataFrame,
    *,
    css_class: str = "data-table",
    row_classes: list[str] | None = None,
    short_labels: bool = True,
) -> str:
    """A table of already formatted strings (e.g. Chapter.display_frame), every header and cell
    escaped; `row_classes` gives each body row a class ('' for none), e.g. 'mismatch'. With
    `short_labels`, a row label (the first cell) at most SHORT_LABEL_WIDTH wide is marked
    `short-label`; a table of fixed column widths (the reconciliation's) passes False."""
    if row_classes is not None and len(row_classes) != len(frame_display):
        raise ValueError(
            f"row_classes has {len(row_classes)} entries for {len(frame_display)} rows"
        )
    classes = row_classes if row_classes is not None else [""] * len(frame_display)
    rows = []
    for css, values in zip(classes, frame_display.itertuples(index=False, name=None), strict=True):
        cells = [_cell(value) for value in values]
        short = short_labels and bool(cells) and text_width(cells[0]) <= SHORT_LABEL_WIDTH
        rows.append({"css_class": css, "cells": cells, "short_label": short})
    return (
        environment()
        .get_template("table.html.j2")
        .render(
            css_class=css_class,
            headers=[str(column) for column in frame_display.columns],
            rows=rows,
        )
    )


def text_width(text: str) -> int:
    """How wide `text` prints, in half-width characters: a Chinese (wide) character counts two.
    wcwidth keeps Unicode's East Asian Width and zero-width tables current (a combining mark or a
    variation selector takes no column), which a hand-written test of east_asian_width did not."""
    return wcwidth.width(text)


def _cell(value) -> str:
    from helpers.report.format import MISSING, is_missing

    if isinstance(value, str):
        return value
    return MISSING if is_missing(value) else str(value)


def render_fragment(kind: str, **values) -> str:
    """One snippet, all values escaped: figure_title(number, title), figure_source(source,
    number=''), reading(text), placeholder(text), table_title(title, number=''),
    synthetic_banner(text, mark=''), heading(text, level=1)."""
    if kind not in FRAGMENTS:
        raise KeyError(f"unknown fragment {kind!r} (valid: {', '.join(FRAGMENTS)})")
    if kind == "heading":
        level = values.get("level", 1)
        if not isinstance(level, int) or not 1 <= level <= 6:
            raise ValueError(f"heading level must be 1..6, not {level!r}")
    module = environment().get_template("fragments.html.j2").module
    return str(getattr(module, kind)(**values))


def figure_image(png: Path, vector: Path, root: Path, alt: str, width: int = 720) -> str:
    """A chart as the page shows it: the PNG inside the page (a page works alone), and in
    `data-vector` where its SVG is from the page (under `root`, the edition's folder), which the
    PDF draws instead (helpers.report.pdf.vector_charts)."""
    data = base64.b64encode(Path(png).read_bytes()).decode("ascii")
    href = PAGE_ROOT + Path(vector).relative_to(root).as_posix()
    return render_fragment("figure_image", png=data, vector=href, alt=alt, width=width)


def downloads_line(files: list[str], language: str, key: str = "site.downloads.label") -> str:
    """“下载数据：CSV · XLSX” under a figure's or table's data (“下载图片：PNG · SVG” under a chart,
    key="site.downloads.chart"): `files` relative to the edition's folder, linked from a page one
    folder below it; the print stylesheet hides the line."""
    from helpers.report.labels import label

    links = [
        (
            FILE_FORMATS.get(Path(name).suffix, Path(name).suffix.lstrip(".").upper()),
            PAGE_ROOT + name,
        )
        for name in files
        if name
    ]
    return render_fragment("downloads", text=label(key, language), links=links)


def export_html(executed: Path, target: Path, language: str, **page_kwargs) -> str:
    """Standalone HTML of the executed notebook: outputs only, our page template, stable bytes.
    Keyword arguments go to render_page (title defaults to the notebook's first h1)."""
    import nbformat
    from nbconvert import HTMLExporter

    nb = nbformat.read(executed, as_version=4)
    for index, cell in enumerate(nb.cells):
        cell.id = f"cell-{index}"  # papermill's injected cell gets a random id
    exporter = HTMLExporter(
        template_name="basic",
        exclude_input=True,
        exclude_markdown=True,
        exclude_input_prompt=True,
        exclude_output_prompt=True,
    )
    body, _ = exporter.from_notebook_node(nb)
    body = re.sub(r'\sid="cell-id=[^"]*"', "", body)
    if "title" not in page_kwargs:
        heading = re.search(r"<h1[^>]*>(.*?)</h1>", body, flags=re.S)
        page_kwargs["title"] = markup_text(heading.group(1)).strip() if heading else executed.stem
    if "nav" not in page_kwargs:
        page_kwargs["nav"] = chapter_nav(target, language) or profile_nav(target, language)
    body = link_page(body, language, Path(target))
    page = render_page(body_html=body, language=language, **page_kwargs)
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_text(page, encoding="utf-8")
    return page


def chapter_nav(target: Path, language: str) -> dict | None:
    """The links of a chapter page html/<chapter>.html: the previous and next chapters of
    notebooks/pipeline.yml and the contents, the edition's index (../index.html,
    helpers.workflow.site); None for any other page."""
    from helpers.pipeline import chapters
    from helpers.report.labels import label

    order = chapters()
    if Path(target).parent.name != "html" or Path(target).stem not in order:
        return None
    at = order.index(Path(target).stem)

    def link(kind: str, chapter: str) -> tuple[str, str]:
        return f"{chapter}.html", label(f"site.nav.{kind}", language)

    return {
        "previous": link("previous", order[at - 1]) if at > 0 else None,
        "contents": ("../index.html", label("site.nav.contents", language)),
        "next": link("next", order[at + 1]) if at + 1 < len(order) else None,
    }


def profile_nav(target: Path, language: str) -> dict | None:
    """The links of a region's profile profiles/<slug>.html: the edition's index
    (../index.html, the chapters' contents link) and the profiles' index (index.html beside it,
    helpers.workflow.profiles.write_index); that index links the edition's index only. None for any
    other page."""
    from helpers.report.labels import label

    target = Path(target)
    if target.parent.name != PROFILES_FOLDER or target.suffix != ".html":
        return None
    nav = {"contents": ("../index.html", label("site.nav.contents", language))}
    if target.name != "index.html":
        nav["profiles"] = ("index.html", label("site.nav.profiles", language))
    return nav


def page_anchor(page: Path) -> str:
    """The id of a page's title (its first h1); its sections are `<anchor>-s1`, `-s2`, … in
    order (anchor_headings). A chapter's are the book's: the chapter pages and the book agree."""
    page = Path(page)
    prefix = "ch-" if page.parent.name == "html" else ""
    return prefix + re.sub(r"[^A-Za-z0-9_-]", "-", page.stem)


def number_pattern(language: str) -> re.Pattern:
    """Our figure and table numbers as the labels write them (common.figure_number,
    common.table_number: 图1.4, 表A.2, Figure 1.4, Table 3; groups `figure`/`table` and
    `figure_index`/`table_index`). A published report's 图表1.4 is not one of ours."""
    from helpers.report.labels import label

    parts = []
    for kind in ("figure", "table"):
        before, _, after = label(f"common.{kind}_number", language, index="\0").partition("\0")
        index = r"(?:(?:\d+|[A-Z])\.)?\d+"
        parts.append(f"(?P<{kind}>{re.escape(before)}(?P<{kind}_index>{index}){re.escape(after)})")
    return re.compile(r"(?<![A-Za-z图表])(?:" + "|".join(parts) + r")(?!\d|\.\d)")


def number_anchor(kind: str, index: str) -> str:
    """The id of figure or table `index` (1.4 → figure-1-4), the same on its page and in the book."""
    return f"{kind}-{index.replace('.', '-')}"


def chapter_pages(language: str) -> dict[str, str]:
    """Each chapter's number as figure numbers start (1, 2, …, the appendix's letter) → its
    notebook (notebooks/pipeline.yml), as helpers.report.chapter.Chapter numbers them."""
    from helpers.pipeline import chapters
    from helpers.report.labels import label

    numbers = {}
    for chapter in chapters():
        prefix = chapter.split("_", 1)[0]
        if prefix.isdigit():
            number = (
                label("common.appendix_letter", language) if prefix == "99" else str(int(prefix))
            )
            numbers[number] = chapter
    return numbers


def _literal_html5():
    """bs4's html5 output (void elements without a slash, boolean attributes bare) that escapes
    only &, < and >: the built-in 'html5' formatter writes every non-ASCII character as a named
    entity (“ → &ldquo;, — → &mdash;), which changes the page's bytes and its searchable text."""
    from bs4.dammit import EntitySubstitution
    from bs4.formatter import HTMLFormatter

    return HTMLFormatter(
        entity_substitution=EntitySubstitution.substitute_xml,
        void_element_close_prefix=None,
        empty_attributes_are_booleans=True,
    )


LITERAL_HTML5 = _literal_html5()


def link_page(body: str, language: str, page: Path) -> str:
    """A page's body with its anchors and cross-links: ids on its title and sections
    (page_anchor) and on every figure's and table's title (number_anchor), and every 图N.M /
    表N.M / Figure N.M / Table N.M in its text a link to that figure or table — on this page, or
    on the chapter page it belongs to (the book turns those into links within itself)."""
    from bs4 import BeautifulSoup, Comment

    soup = BeautifulSoup(body, "html.parser")
    anchor = page_anchor(page)
    headings = soup.find_all(["h1", "h2"])
    if headings:
        headings[0]["id"] = anchor
        for number, heading in enumerate(headings[1:], 1):
            heading["id"] = f"{anchor}-s{number}"
    pattern = number_pattern(language)
    for title in soup.select("p.figure-title > b:first-child, p.table-title > b:first-child"):
        found = pattern.fullmatch(title.get_text())
        kind = "figure" if "figure-title" in title.parent.get("class", []) else "table"
        if found and found.group(kind):
            title.parent["id"] = number_anchor(kind, found.group(f"{kind}_index"))
    ids = {element["id"] for element in soup.find_all(id=True)}
    pages = chapter_pages(language) if page.parent.name == "html" else {}

    def target(found: re.Match) -> str | None:
        kind = "figure" if found.group("figure") else "table"
        index = found.group(f"{kind}_index")
        if number_anchor(kind, index) in ids:
            return "#" + number_anchor(kind, index)
        chapter = pages.get(index.split(".")[0]) if "." in index else None
        if chapter and chapter != page.stem:
            return f"{chapter}.html#{number_anchor(kind, index)}"
        return None

    skip = {"a", "script", "style", "title", "h1", "h2", "h3", "h4", "h5", "h6"}
    for text in soup.find_all(string=pattern):
        if isinstance(text, Comment) or text.find_parent(skip):
            continue
        if text.parent.name == "b" and text.parent.parent.get("id"):  # the figure's own title
            continue
        pieces, last = [], 0
        for found in pattern.finditer(text):
            href = target(found)
            if href is None:
                continue
            link = soup.new_tag("a", href=href, attrs={"class": "crossref"})
            link.string = found.group(0)
            pieces += [text[last : found.start()], link]
            last = found.end()
        if pieces:
            text.replace_with(*pieces, text[last:])
    return soup.decode(formatter=LITERAL_HTML5)


def markup_text(markup: str) -> str:
    """The text of an HTML page or fragment: tags and comments dropped, entities decoded, the
    content of style and script left out. BeautifulSoup (already installed, a real HTML parser)
    rather than regular expressions: a ">" in an attribute or a comment, or a tag split over
    lines, cannot leak into the text or hide some of it."""
    from bs4 import BeautifulSoup

    soup = BeautifulSoup(markup, "html.parser")
    for hidden in soup(["style", "script"]):
        hidden.decompose()
    return soup.get_text()


# Elements whose text no reader sees.
UNREAD = frozenset({"script", "style", "template"})


def visible_text(page: str) -> str:
    """The characters a PDF of `page` can show (tags, comments, style and script removed), as
    markup_text reads them. lxml's HTML parser (libxml2, a dependency of pikepdf) rather than
    BeautifulSoup here: a whole page, parsed in every build and publish, in an eighth of the
    time."""
    import lxml.html

    if not page.strip():
        return page
    return "".join(reader_strings(lxml.html.document_fromstring(page)))


def reader_strings(element):
    """The text of an lxml `element` in reading order, as a reader sees it: not a comment's,
    a script's or a style sheet's (UNREAD; what BeautifulSoup's get_text leaves out too)."""
    if not isinstance(element.tag, str) or element.tag in UNREAD:
        return
    if element.text:
        yield element.text
    for child in element:
        yield from reader_strings(child)
        if child.tail:
            yield child.tail


def chapter_title(page: Path) -> str:
    found = re.search(r"<title>(.*?)</title>", page.read_text(encoding="utf-8"), flags=re.S)
    return html.unescape(found.group(1)) if found else page.stem
