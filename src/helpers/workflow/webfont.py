"""The packaged Chinese font for an edition's HTML pages.

The PDFs embed a subset of Noto Sans SC; the HTML pages asked the reader's browser for its own
CJK fonts, and a machine without any (a bare Linux desktop, a CI browser) drew boxes. Publishing
now writes one subset of the font with every character of the edition's pages to
`<edition>/fonts/` and gives each page an @font-face pointing at it by a relative URL, so that
the published folder shows real glyphs anywhere, copied or served. Same pages, same bytes.
"""

from __future__ import annotations

import functools
import os
import shutil
from pathlib import Path

FONTS_FOLDER = "fonts"
FONT_FILE = "NotoSansSC-report.otf"
FAMILY = "Noto Sans SC"  # the first family of report.css: the page's text takes it
MARK = "<!-- report web font -->"


def face(url: str) -> str:
    return (
        f'{MARK}<style>@font-face {{ font-family: "{FAMILY}"; '
        f'src: url("{url}") format("opentype"); }}</style>'
    )


def embed_web_font(edition: Path, cache_dir: Path | None = None) -> Path | None:
    """Write the font subset of every HTML page under `edition` to edition/fonts/ and link it
    from each page's head; None when the edition has no page."""
    from helpers.paths import BUILD_DIR
    from helpers.report.fonts import subset_font

    pages = sorted(p for p in Path(edition).rglob("*.html") if FONTS_FOLDER not in p.parts)
    if not pages:
        return None
    texts = {page: page.read_text(encoding="utf-8") for page in pages}
    characters = set().union(*(page_characters(text) for text in texts.values()))
    subset = subset_font(characters, cache_dir or BUILD_DIR / "fonts")
    target = Path(edition) / FONTS_FOLDER / FONT_FILE
    target.parent.mkdir(parents=True, exist_ok=True)
    shutil.copyfile(subset, target)
    for page, text in texts.items():
        linked = link_font(text, page, target)
        if linked != text:
            page.write_text(linked, encoding="utf-8")
    return target


def page_characters(text: str) -> set[str]:
    """The characters a page shows (helpers.report.html.visible_text), kept by the page's content
    (helpers.data.content_cache): publishing parses only the pages that changed."""
    from helpers.data.content_cache import cached_json, content_key

    def parse() -> str:
        from helpers.report.html import visible_text

        return "".join(sorted(set(visible_text(text))))

    return set(cached_json("page-characters", content_key(text, *parser_version()), parse))


@functools.cache
def parser_version() -> tuple[str, str, str]:
    """What decides a page's text besides the page: the code extracting it and its parsers
    (looked up once per process: every page of a publish asks)."""
    from importlib.metadata import version

    from helpers.data.digest import file_sha256
    from helpers.pipeline import HELPERS_DIR

    code = file_sha256(HELPERS_DIR / "report" / "html.py").hex()
    return code, version("beautifulsoup4"), version("lxml")


def link_font(text: str, page: Path, font: Path) -> str:
    """The page `text` (to be written at `page`) with an @font-face for `font` by a URL relative
    to the page, in its head; unchanged when it has one or no head."""
    if MARK in text or "</head>" not in text:
        return text
    url = Path(os.path.relpath(font, Path(page).parent)).as_posix()
    return text.replace("</head>", face(url) + "</head>", 1)


def with_web_font(text: str, page: Path, cache_dir: Path | None = None) -> str:
    """One page beside the editions (reports/index.html): a subset of the font with the page's
    characters written to fonts/ beside it, and the page linking it."""
    from helpers.paths import BUILD_DIR
    from helpers.report.fonts import subset_font
    from helpers.report.html import visible_text

    subset = subset_font(set(visible_text(text)), cache_dir or BUILD_DIR / "fonts")
    target = Path(page).parent / FONTS_FOLDER / FONT_FILE
    target.parent.mkdir(parents=True, exist_ok=True)
    scratch = target.with_name(FONT_FILE + ".new")
    shutil.copyfile(subset, scratch)
    scratch.replace(target)  # a reader never loads half a font
    return link_font(text, page, target)
