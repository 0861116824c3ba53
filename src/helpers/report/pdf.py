"""PDF from our HTML with WeasyPrint and the packaged Chinese font (the combined report is
rendered the same way from one HTML document, see helpers.report.book)."""

from __future__ import annotations

import os
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


# What leads into what follows it — a heading, a figure's or table's title — never ends a page,
# nor do the notes under a chapter's title after one: a page would show a heading and nothing of
# what it introduces.
HEADING_TAGS = {"h1", "h2", "h3", "h4", "h5", "h6"}
HEADING_CLASSES = {"figure-title", "table-title"}
NOTE_CLASSES = {"data-note", "synthetic-banner", "edition-note"}


def render_pdf(
    page: str, base_url: Path, target: Path, edition_characters: frozenset[str] | None = None
) -> None:
    """PDF of an HTML page with the packaged Chinese font embedded: the edition's subset (the
    same file for every document of the edition: `edition_characters`, see pdf_font), else one
    subset to the page's text."""
    target.parent.mkdir(parents=True, exist_ok=True)
    # full_fonts: embed our subset as it is. Otherwise WeasyPrint subsets it again, with HarfBuzz
    # where the system has libharfbuzz-subset and with fontTools where not — different bytes for
    # the same commit on two machines. The text of each glyph then comes from the font's cmap
    # alone, which is why our subset substitutes no glyphs (see helpers.report.fonts).
    # PDF/UA-1: tagged (headings, paragraphs, tables, figures with their alt text, for a screen
    # reader), with the title shown as the window's title and the page's language; the author,
    # subject and keywords come from the page's <meta> (templates/page.html.j2, book.html.j2).
    document = layout(page, base_url, edition_characters)
    document.write_pdf(target, full_fonts=True, pdf_variant=PDF_VARIANT)


def pdf_font(page: str, edition_characters: frozenset[str] | None = None) -> Path:
    """The font subset a page's PDF embeds: the edition's (helpers.report.fonts.
    edition_characters: one subset made once for all its documents, instead of subsetting the
    8 MB font again per document) when it holds every character the page shows; otherwise — a
    character only some data or code brings, or no edition given — the page's own subset, so a
    glyph is never missing. Either way the bytes follow from the page and the edition's
    characters alone."""
    from helpers.report.fonts import subset_characters, subset_font

    shown = set(visible_text(page))
    if edition_characters is not None and set(subset_characters(shown)) <= edition_characters:
        return subset_font(set(edition_characters), BUILD_DIR / "fonts")
    return subset_font(shown, BUILD_DIR / "fonts")


def layout(page: str, base_url: Path, edition_characters: frozenset[str] | None = None):
    """The page laid out as the PDF prints it (a weasyprint Document), with our font."""
    import weasyprint
    import weasyprint.text.fonts

    font = pdf_font(page, edition_characters)
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
