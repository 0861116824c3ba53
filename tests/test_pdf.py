"""PDF bytes do not depend on which font subsetter the system offers: the packaged font is
subset by us (fontTools, deterministic) and embedded as it is, never subset again by WeasyPrint
(HarfBuzz where libharfbuzz-subset is installed, fontTools elsewhere); nor on the font cache,
the environment's languages or the shaping: the subset has no glyph substitutions, so every glyph
drawn is one the cmap names and the PDF's text reads back as written."""

import os
import subprocess
import sys
from pathlib import Path

import weasyprint.pdf.fonts

from helpers.report.pdf import render_pdf

REPO = Path(__file__).parents[1]
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


# Text that HarfBuzz drew with unencoded glyphs while the subset kept GSUB: digits in a Latin
# run of a zh-CN page (locl), the fi/fl ligatures, the joined Chinese dash "——" (ccmp).
SHAPED = "（2022年 vs 2023年）profile of firms, office flow，专精特新——小巨人"
SHAPED_PAGE = f'<html lang="zh-CN"><body><p>{SHAPED}</p></body></html>'


def pdf_text(path) -> str:
    from pypdf import PdfReader

    return "".join(page.extract_text() for page in PdfReader(path).pages)


def render_in_a_new_process(page: Path, font_cache: Path, target: Path, **env) -> None:
    """render_pdf in a fresh interpreter: Pango reads the preferred languages once per process."""
    script = (
        "import sys; from pathlib import Path; import helpers.report.pdf as pdf;"
        "pdf.BUILD_DIR = Path(sys.argv[2]);"
        "pdf.render_pdf(Path(sys.argv[1]).read_text(encoding='utf-8'), Path(sys.argv[1]).parent,"
        " Path(sys.argv[3]))"
    )
    path = os.pathsep.join(filter(None, [str(REPO / "src"), os.environ.get("PYTHONPATH")]))
    subprocess.run(
        [sys.executable, "-c", script, str(page), str(font_cache), str(target)],
        env={**os.environ, "PYTHONPATH": path, **env},
        check=True,
        capture_output=True,
    )


def test_every_glyph_maps_back_to_its_text_whatever_the_font_cache_and_the_languages(tmp_path):
    """Seen in chapter 02: "vs 2023" extracted as "vs ˱˯˱˲", and the PDF bytes changed with the
    LANGUAGE environment variable (the language Pango gives a Latin run in a zh-CN page chose
    the font's locl digits or not)."""
    page = tmp_path / "page.html"
    page.write_text(SHAPED_PAGE, encoding="utf-8")
    cache = tmp_path / "build"
    render_in_a_new_process(page, cache, tmp_path / "cold.pdf", LANGUAGE="en_US:en")
    render_in_a_new_process(page, cache, tmp_path / "warm.pdf", LANGUAGE="zh_CN:zh")
    assert pdf_text(tmp_path / "cold.pdf") == SHAPED
    assert (tmp_path / "cold.pdf").read_bytes() == (tmp_path / "warm.pdf").read_bytes()


def test_the_subset_draws_only_glyphs_its_cmap_names(tmp_path):
    """WeasyPrint embeds the subset as it is and maps glyphs to text from the cmap alone, so the
    subset substitutes no glyphs (no GSUB) and holds no glyph the cmap does not name."""
    from fontTools.ttLib import TTFont

    from helpers.report.fonts import subset_font

    font = TTFont(subset_font(set(SHAPED), tmp_path))
    assert "GSUB" not in font and "GPOS" in font  # kerning and marks stay
    assert set(font.getGlyphOrder()) - set(font.getBestCmap().values()) == {".notdef"}


def test_a_subset_made_another_way_is_never_reused(tmp_path, monkeypatch):
    import helpers.report.fonts as fonts

    wanted = fonts.subset_characters({"中"})
    first = fonts.subset_path(wanted, tmp_path)
    monkeypatch.setattr(fonts, "SUBSET_RECIPE", "another recipe")
    assert fonts.subset_path(wanted, tmp_path) != first


def test_pdf_is_tagged_with_its_properties_and_draws_charts_as_vectors(tmp_path):
    """PDF/UA-1 (helpers.report.pdf.PDF_VARIANT): a structure tree for screen readers with the
    chart's alt text, the page's language, title, author and subject; the chart drawn from its
    SVG (data-vector) as vectors, not as the PNG beside it; the same bytes twice."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt
    from pypdf import PdfReader

    from helpers.report.html import figure_image, render_page

    (tmp_path / "figures").mkdir()
    fig, ax = plt.subplots(figsize=(4, 3))
    ax.bar(["a", "b"], [1, 2])
    for fmt in ("png", "svg"):
        fig.savefig(tmp_path / "figures" / f"chart.{fmt}", format=fmt)
    plt.close(fig)
    image = figure_image(
        tmp_path / "figures" / "chart.png",
        tmp_path / "figures" / "chart.svg",
        tmp_path,
        "图1.1 数量",
    )
    page = render_page(
        title="一、培育现状", body_html=f"<h1>一、培育现状</h1>{image}", language="zh"
    )
    (tmp_path / "html").mkdir()
    render_pdf(page, tmp_path / "html", tmp_path / "a.pdf")
    render_pdf(page, tmp_path / "html", tmp_path / "b.pdf")
    assert (tmp_path / "a.pdf").read_bytes() == (tmp_path / "b.pdf").read_bytes()
    reader = PdfReader(tmp_path / "a.pdf")
    root = reader.trailer["/Root"]
    assert "/StructTreeRoot" in root and root["/MarkInfo"]["/Marked"]
    assert root["/Lang"] == "zh-CN" and root["/ViewerPreferences"]["/DisplayDocTitle"]
    assert b'pdfuaid:part="1"' in root["/Metadata"].get_object().get_data()
    assert reader.metadata["/Title"] == "一、培育现状"
    assert reader.metadata["/Author"] == "专精特新“小巨人”企业研究报告工作台"
    assert reader.metadata["/Subject"] == "专精特新“小巨人”企业研究报告的一部分"
    assert "图1.1 数量" in str(list(_structure_alts(root["/StructTreeRoot"])))
    # the chart is drawn as paths: no raster image on the page (the PNG would be one)
    assert len(reader.pages[0].images) == 0
    assert len(reader.pages[0].get_contents().get_data()) > 2000


def _structure_alts(element):
    element = element.get_object()
    if "/Alt" in element:
        yield element["/Alt"]
    kids = element.get("/K", [])
    for kid in kids if isinstance(kids, list) else [kids]:
        if hasattr(kid, "get_object") and isinstance(kid.get_object(), dict):
            yield from _structure_alts(kid)
