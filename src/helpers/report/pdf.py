"""PDF from our HTML with WeasyPrint and the packaged Chinese font (the combined report is
rendered the same way from one HTML document, see helpers.report.book)."""

from __future__ import annotations

import html
import os
import re
from pathlib import Path

from helpers.paths import BUILD_DIR
from helpers.report.html import visible_text

# fontTools (used by WeasyPrint to subset fonts) stamps the current time into each embedded
# font unless SOURCE_DATE_EPOCH is set; a fixed date keeps PDFs byte-identical across builds.
os.environ.setdefault("SOURCE_DATE_EPOCH", "946684800")

# The family our subset is known by in the PDF renderer: a name no system font has, so a machine
# with its own "Noto Sans SC" (say a Bold) never has it picked instead of our subset.
PDF_FONT_FAMILY = "Noto Sans SC Report Subset"
# Tagged PDF for screen readers (WeasyPrint's PDF/UA-1: structure tags, language, title shown).
PDF_VARIANT = "pdf/ua-1"
# A chapter's pages as the book takes them: numbered afterwards (helpers.report.assemble).
UNNUMBERED_CSS = "@page { @bottom-center { content: none; } @top-center { content: none; } }"
# Page numbers and running headers alone (render_marks), in the margins the report's @page rules
# give them: each empty page sets the strings its margin boxes print.
MARK_CSS = """
@page { @bottom-center { content: string(mark-number); } }
@page { @top-center { content: string(mark-title); } }
div.page-mark { string-set: mark-number attr(data-number), mark-title attr(data-title);
                break-after: page; }
"""


# What leads into what follows it — a heading, a figure's or table's title — never ends a page,
# nor do the notes under a chapter's title after one: a page would show a heading and nothing of
# what it introduces.
HEADING_TAGS = {"h1", "h2", "h3", "h4", "h5", "h6"}
HEADING_CLASSES = {"figure-title", "table-title"}
NOTE_CLASSES = {"data-note", "synthetic-banner", "edition-note"}


def render_pdf(
    page: str,
    base_url: Path,
    target: Path,
    edition_characters: frozenset[str] | None = None,
    pages: Path | None = None,
) -> None:
    """PDF of an HTML page with the packaged Chinese font embedded: the edition's subset (the
    same file for every document of the edition: `edition_characters`, see pdf_font), else one
    subset to the page's text. With `pages` (a chapter: the book is assembled from its pages,
    helpers.report.assemble) the pages are written there without page numbers, and `target` is
    that file with its numbers 1, 2, … stamped on."""
    target.parent.mkdir(parents=True, exist_ok=True)
    # full_fonts: embed our subset as it is. Otherwise WeasyPrint subsets it again, with HarfBuzz
    # where the system has libharfbuzz-subset and with fontTools where not — different bytes for
    # the same commit on two machines. The text of each glyph then comes from the font's cmap
    # alone, which is why our subset substitutes no glyphs (see helpers.report.fonts).
    # PDF/UA-1: tagged (headings, paragraphs, tables, figures with their alt text, for a screen
    # reader), with the title shown as the window's title and the page's language; the author,
    # subject and keywords come from the page's <meta> (templates/page.html.j2, book.html.j2).
    if pages is None:
        document = layout(page, base_url, edition_characters)
        document.write_pdf(target, full_fonts=True, pdf_variant=PDF_VARIANT)
        return
    from helpers.report.assemble import PageMark, stamp_pages

    count = write_pages(page, base_url, pages, edition_characters)
    marks = target.with_name(target.stem + ".marks.pdf")
    numbers = [PageMark(str(number)) for number in range(1, count + 1)]
    render_marks(numbers, marks, page_language(page), edition_characters)
    try:
        stamp_pages(pages, marks, target)
    finally:
        marks.unlink(missing_ok=True)


def render_marks(
    marks: list, target: Path, lang: str, edition_characters: frozenset[str] | None = None
) -> None:
    """A PDF of empty pages, one per mark (helpers.report.assemble.PageMark), each with its
    number and running header in the margins the report's own page rules give them; `lang`
    as in <html lang>. Untagged: stamped on, it is a pagination artifact."""
    from helpers.report.book import BOOK_CSS
    from helpers.report.html import CSS_PATH

    css = CSS_PATH.read_text(encoding="utf-8") + BOOK_CSS.read_text(encoding="utf-8") + MARK_CSS
    pages = "".join(
        f'<div class="page-mark" data-number="{html.escape(m.number)}" '
        f'data-title="{html.escape(m.title)}"></div>'
        for m in marks
    )
    page = (
        f'<!DOCTYPE html><html lang="{lang}"><head><meta charset="utf-8">'
        f"<title>-</title><style>{css}</style></head><body>{pages}</body></html>"
    )
    shown = set("".join(m.number + m.title for m in marks))
    write_cached(page, target.parent, target, font_for(shown, edition_characters), variant=None)


def write_cached(
    page: str, base_url: Path, target: Path, font: Path, variant: str | None = PDF_VARIANT
) -> bool:
    """The page's PDF (layout with `font`, then WeasyPrint's write_pdf) at `target`, copied from
    build/cache/pdf when the same page, font, files it shows, WeasyPrint and this module made it
    before (True): the book's front matter and its page numbers are the same after most edits
    of a chapter. No timestamp or random id is written, so a copy is the render's bytes."""
    import weasyprint

    from helpers.data.content_cache import cached_file, content_key
    from helpers.data.digest import file_sha256

    shown = []
    for reference in re.findall(r'\b(?:src|href)="([^"#][^"]*)"', print_page(page)):
        path = Path(base_url) / html.unescape(reference)
        if ":" not in reference and path.is_file():
            shown += [reference, file_sha256(path).hex()]
    key = content_key(
        page,
        file_sha256(font).hex(),
        *shown,
        str(variant),
        weasyprint.__version__,
        file_sha256(Path(__file__)).hex(),
    )

    def render(path: Path) -> None:
        document = layout(page, base_url, font=font)
        document.write_pdf(path, full_fonts=True, pdf_variant=variant)

    return cached_file("pdf", key, render, target)


# <meta name="generator" content="…"> with its attributes in either order (BeautifulSoup writes
# content first)
GENERATOR = re.compile(r'<meta\b(?=[^>]*\bname="generator")[^>]*?\bcontent="([^"]*)"[^>]*>')


def without_generator(page: str) -> tuple[str, str | None]:
    """(the page with its <meta name="generator"> saying CREATOR_PLACEHOLDER, what it said):
    the generator names the inputs' fingerprint, which changes with every edit, and would keep
    the page from ever being cached."""
    from helpers.report.assemble import CREATOR_PLACEHOLDER

    found = GENERATOR.search(page)
    if not found:
        return page, None
    placeholder = f'<meta name="generator" content="{CREATOR_PLACEHOLDER}">'
    return page[: found.start()] + placeholder + page[found.end() :], html.unescape(found.group(1))


def page_language(page: str) -> str:
    """The page's <html lang> (zh-CN when it gives none)."""
    found = re.search(r'<html[^>]*\blang="([^"]+)"', page)
    return found.group(1) if found else "zh-CN"


def write_pages(
    page: str, base_url: Path, target: Path, edition_characters: frozenset[str] | None = None
) -> int:
    """The page's PDF without page numbers (the book numbers them on from its own pages: the
    same pages serve the chapter's own PDF and the book); returns how many pages."""
    target.parent.mkdir(parents=True, exist_ok=True)
    document = layout(with_style(page, UNNUMBERED_CSS), base_url, edition_characters)
    document.write_pdf(target, full_fonts=True, pdf_variant=PDF_VARIANT)
    return len(document.pages)


def pdf_font(page: str, edition_characters: frozenset[str] | None = None) -> Path:
    """The font subset a page's PDF embeds (font_for, with the page's text)."""
    return font_for(set(visible_text(page)), edition_characters)


def font_for(shown: set[str], edition_characters: frozenset[str] | None = None) -> Path:
    """The font subset a PDF showing `shown` embeds: the edition's (helpers.report.fonts.
    edition_characters: one subset made once for all its documents, instead of subsetting the
    8 MB font again per document) when it holds every character shown; otherwise — a
    character only some data or code brings, or no edition given — a subset to `shown`, so a
    glyph is never missing. Either way the bytes follow from the text and the edition's
    characters alone."""
    from helpers.report.fonts import subset_characters, subset_font

    if edition_characters is not None and set(subset_characters(shown)) <= edition_characters:
        return subset_font(set(edition_characters), BUILD_DIR / "fonts")
    return subset_font(shown, BUILD_DIR / "fonts")


def with_style(page: str, css: str) -> str:
    """The page with `css` after its own styles (a stylesheet given to WeasyPrint's render()
    comes before the page's <style>, so it cannot override the page's @page rules)."""
    head_end = page.index("</head>")
    return f"{page[:head_end]}<style>{css}</style>\n{page[head_end:]}"


def layout(
    page: str,
    base_url: Path,
    edition_characters: frozenset[str] | None = None,
    font: Path | None = None,
):
    """The page laid out as the PDF prints it (a weasyprint Document), with our font (`font`, else
    pdf_font's)."""
    import weasyprint
    import weasyprint.text.fonts

    font = font or pdf_font(page, edition_characters)
    font_config = weasyprint.text.fonts.FontConfiguration()  # @font-face needs one
    font_css = weasyprint.CSS(
        string=f'@font-face {{ font-family: "{PDF_FONT_FAMILY}"; src: url("{font.as_uri()}"); }}\n'
        f'html, pre, code, samp, kbd {{ font-family: "{PDF_FONT_FAMILY}"; }}',
        font_config=font_config,
    )
    document = weasyprint.HTML(string=print_page(page), base_url=str(base_url))
    return document.render(stylesheets=[font_css], font_config=font_config, full_fonts=True)


def print_page(page: str) -> str:
    """The page as the PDF prints it: every chart drawn from its SVG as vectors (the
    `data-vector` beside its PNG, helpers.report.html.figure_image), and a link to a file beside
    the page (another chapter, a download) left as plain text — in a PDF it would lead into the
    build's folder. Links within the document stay."""
    from bs4 import BeautifulSoup

    soup = BeautifulSoup(page, "html.parser")
    for image in soup.select("img[data-vector]"):
        image["src"] = image["data-vector"]
    for link in soup.select("a[href]"):
        if not link["href"].startswith("#") and "://" not in link["href"]:
            del link["href"]
    return soup.decode(formatter="html5")


def stranded_headings(document) -> list[tuple[int, str]]:
    """(page number, heading) of every page but the last that ends with a heading or a figure's
    or table's title (HEADING_TAGS, HEADING_CLASSES), or with one followed only by notes
    (NOTE_CLASSES: the data note under a chapter's title): a heading left without the content
    it introduces."""
    found = []
    for number, page in enumerate(document.pages[:-1], 1):
        blocks = list(_content_blocks(page._page_box))
        while blocks and blocks[-1][1] == "note":
            blocks.pop()
        if blocks and blocks[-1][1] == "heading":
            found.append((number, _box_text(blocks[-1][0]).strip()))
    return found


def _content_blocks(box, kind: str = "content"):
    """(box, kind: 'heading', 'note' or 'content') for the boxes of a laid-out page that show
    something (a block with lines of text or an image, a table row), in reading order; margin
    boxes (running header, page number) left out."""
    from weasyprint.formatting_structure import boxes

    if isinstance(box, boxes.MarginBox):
        return
    element = getattr(box, "element", None)
    if kind == "content" and element is not None and isinstance(element.tag, str):
        classes = set((element.get("class") or "").split())
        if element.tag in HEADING_TAGS or HEADING_CLASSES & classes:
            kind = "heading"
        elif NOTE_CLASSES & classes:
            kind = "note"
    children = getattr(box, "children", [])
    if isinstance(box, (boxes.ReplacedBox, boxes.TableRowBox)) or any(
        isinstance(child, boxes.LineBox) for child in children
    ):
        yield box, kind
        return
    for child in children:
        yield from _content_blocks(child, kind)


def _box_text(box) -> str:
    from weasyprint.formatting_structure import boxes

    if isinstance(box, boxes.TextBox):
        return box.text
    return "".join(_box_text(child) for child in getattr(box, "children", []))
