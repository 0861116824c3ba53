"""PDF bytes do not depend on which font subsetter the system offers: the packaged font is
subset by us (fontTools, deterministic) and embedded as it is, never subset again by WeasyPrint
(HarfBuzz where libharfbuzz-subset is installed, fontTools elsewhere)."""

import weasyprint.pdf.fonts

from helpers.report.pdf import render_pdf

PAGE = "<html><body><h1>一、培育现状</h1><p>五批累计公示12,950家。</p></body></html>"


def test_weasyprint_never_subsets_the_embedded_font(tmp_path, monkeypatch):
    subset = weasyprint.pdf.fonts.Font.subset

    def refuse(font, to_unicode, hinting):
        if to_unicode:  # an empty glyph list means "keep the font as it is"
            raise AssertionError("WeasyPrint subset the font: bytes would depend on the system")
        return subset(font, to_unicode, hinting)

    monkeypatch.setattr(weasyprint.pdf.fonts.Font, "subset", refuse)
    render_pdf(PAGE, tmp_path, tmp_path / "a.pdf")
    assert (tmp_path / "a.pdf").read_bytes().startswith(b"%PDF")


def test_same_page_gives_the_same_bytes_whatever_the_subsetter(tmp_path, monkeypatch):
    render_pdf(PAGE, tmp_path, tmp_path / "a.pdf")
    monkeypatch.setattr(weasyprint.pdf.fonts, "harfbuzz_subset", None)  # a system without it
    render_pdf(PAGE, tmp_path, tmp_path / "b.pdf")
    assert (tmp_path / "a.pdf").read_bytes() == (tmp_path / "b.pdf").read_bytes()
