"""HTML pages of the report: an executed notebook's outputs (code hidden) in our page template.

Every piece of markup comes from a Jinja2 template in `templates/` with autoescaping on: the page
(`page.html.j2`), tables of formatted strings (`table.html.j2`) and the small snippets chapter
code shows (`fragments.html.j2`). Text passed in is escaped; only `body_html` (already HTML) and
the stylesheet are inserted as they are."""

from __future__ import annotations

import functools
import html
import re
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


def render_page(
    *, title: str, body_html: str, language: str, edition_note: str = "", nav: dict | None = None
) -> str:
    """A standalone page: doctype, lang, escaped title, the stylesheet inlined, an optional
    edition/data-source note, optional previous/contents/profiles/next links
    (nav={"previous": (href, text) | None, "next": ..., "contents": ...}), then `body_html`."""
    from markupsafe import Markup

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


def visible_text(page: str) -> str:
    """The characters a PDF of `page` can show (tags and the stylesheet removed)."""
    return markup_text(page)


def chapter_title(page: Path) -> str:
    found = re.search(r"<title>(.*?)</title>", page.read_text(encoding="utf-8"), flags=re.S)
    return html.unescape(found.group(1)) if found else page.stem
