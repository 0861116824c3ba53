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


def render_pdf(page: str, base_url: Path, target: Path) -> None:
    """PDF of an HTML page with the packaged Chinese font embedded (subset to the page's text)."""
    import weasyprint
    import weasyprint.text.fonts

    from helpers.report.fonts import subset_font

    font = subset_font(set(visible_text(page)), BUILD_DIR / "fonts")
    font_config = weasyprint.text.fonts.FontConfiguration()  # @font-face needs one
    font_css = weasyprint.CSS(
        string=f'@font-face {{ font-family: "{PDF_FONT_FAMILY}"; src: url("{font.as_uri()}"); }}\n'
        f'html, pre, code, samp, kbd {{ font-family: "{PDF_FONT_FAMILY}"; }}',
        font_config=font_config,
    )
    target.parent.mkdir(parents=True, exist_ok=True)
    document = weasyprint.HTML(string=page, base_url=str(base_url))
    # full_fonts: embed our subset as it is. Otherwise WeasyPrint subsets it again, with HarfBuzz
    # where the system has libharfbuzz-subset and with fontTools where not — different bytes for
    # the same commit on two machines. The text of each glyph then comes from the font's cmap
    # alone, which is why our subset substitutes no glyphs (see helpers.report.fonts).
    document.write_pdf(target, stylesheets=[font_css], font_config=font_config, full_fonts=True)
