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


# One font subset per edition (issue 23): every document of an edition embeds the same subset,
# made once from the characters known before any page renders (helpers.report.fonts.
# edition_characters); a page showing a character outside it gets its own subset.
EDITION_TEXT = "一、培育现状 五批累计公示家。"


def test_pages_of_an_edition_embed_its_one_subset(tmp_path, monkeypatch):
    import helpers.report.pdf as pdf
    from helpers.report.fonts import subset_characters

    monkeypatch.setattr(pdf, "BUILD_DIR", tmp_path / "build")
    edition = frozenset(subset_characters(set(EDITION_TEXT)))
    first = pdf.pdf_font("<html><body><p>培育现状</p></body></html>", edition)
    second = pdf.pdf_font("<html><body><p>五批累计公示12,950家。</p></body></html>", edition)
    assert first == second
    assert list((tmp_path / "build" / "fonts").glob("*.otf")) == [first]  # made once
    pdf.render_pdf(PAGE, tmp_path, tmp_path / "a.pdf", edition)
    pdf.render_pdf(PAGE, tmp_path, tmp_path / "b.pdf", edition)
    assert (tmp_path / "a.pdf").read_bytes() == (tmp_path / "b.pdf").read_bytes()
    assert pdf_text(tmp_path / "a.pdf") == "一、培育现状\n五批累计公示12,950家。"


def test_a_character_only_the_data_shows_is_never_dropped(tmp_path, monkeypatch):
    """A firm's name with a character no label or table of the edition holds (鑫, 堃): the
    page gets its own subset with every character it shows, and its text reads back whole."""
    from fontTools.ttLib import TTFont

    import helpers.report.pdf as pdf
    from helpers.report.fonts import subset_characters

    monkeypatch.setattr(pdf, "BUILD_DIR", tmp_path / "build")
    edition = frozenset(subset_characters(set(EDITION_TEXT)))
    page = "<html><body><p>培育现状：鑫堃科技</p></body></html>"
    font = pdf.pdf_font(page, edition)
    assert font != pdf.pdf_font("<html><body><p>培育现状</p></body></html>", edition)
    assert {ord(c) for c in "鑫堃培育现状"} <= set(TTFont(font).getBestCmap())
    pdf.render_pdf(page, tmp_path, tmp_path / "a.pdf", edition)
    assert pdf_text(tmp_path / "a.pdf") == "培育现状：鑫堃科技"


def test_edition_characters_come_from_labels_tables_and_code(tmp_path):
    from helpers.report.fonts import BASE_CHARACTERS, edition_characters

    tables = tmp_path / "tables"
    tables.mkdir()
    (tables / "firm-level_top_firms.csv").write_text("firm,count\n鑫堃科技,3\n", encoding="utf-8")
    (tables / "firms.parquet").write_bytes("𪚥".encode())  # not text a page shows as is
    characters = edition_characters("zh", tables)
    assert set("鑫堃") <= characters and "𪚥" not in characters
    assert characters >= BASE_CHARACTERS and "\n" not in characters
    assert "专" in characters  # the zh labels
    assert "\u2003" in characters  # written by the code as an escape (screening.present.INDENT)
    # the reference's Chinese names come with the tables' rows that show them, not all 369 cities
    assert "杭" not in edition_characters("zh", tmp_path / "empty")  # 杭州 of cities.csv
    # An English page names places in English: the tables bring their Latin characters only
    english = edition_characters("en", tables)
    assert "鑫" not in english and "江" not in english and set("firm,count") <= english


def test_a_character_new_to_the_edition_makes_its_pdfs_again_from_their_pages(
    tmp_path, monkeypatch
):
    """The PDF records the edition's subset it embeds: after a label or table brings a new
    character, an up-to-date page gets its PDF again (no notebook run), so an edited edition's
    PDFs are the bytes of one built from scratch."""
    from helpers.report import pdf as pdf_module
    from helpers.workflow import batch

    staging = tmp_path / "build" / "zh" / "reports"
    document = batch.Document(
        name="01_x",
        notebook=tmp_path / "01_x.ipynb",
        parameters={"data_dir": str(tmp_path / "tables")},
        html=staging / "html" / "01_x.html",
        pdf=staging / "pdf" / "01_x.pdf",
        executed=tmp_path / "build" / "zh" / "executed" / "01_x.ipynb",
        fingerprint="f1",
        language="zh",
        marker=tmp_path / "build" / "zh" / "done" / "01_x.sha256",
        build=tmp_path / "build",
        edition="zh",
    )
    characters = {"zh": frozenset("培育")}
    monkeypatch.setattr(
        batch, "edition_subset_characters", lambda language, *dirs: characters[language]
    )
    ran, rendered = [], []
    monkeypatch.setattr(batch, "render_notebook", lambda *a, **k: ran.append(a) or {})
    monkeypatch.setattr(
        pdf_module, "render_pdf", lambda page, base, target, chars, pages: rendered.append(chars)
    )
    document.html.parent.mkdir(parents=True)
    document.html.write_text("<p>培育</p>", encoding="utf-8")
    document.marker.parent.mkdir(parents=True)
    document.marker.write_text("f1")
    document.pdf.parent.mkdir(parents=True)
    document.pdf.write_bytes(b"%PDF")
    assert not document.up_to_date()  # made before PDFs recorded their subset
    assert batch.render(document)[0] == "built" and rendered == [frozenset("培育")]
    assert document.up_to_date()
    characters["zh"] = frozenset("培育鑫")
    assert not document.up_to_date()
    assert batch.render(document)[0] == "built" and rendered[-1] == frozenset("培育鑫")
    assert ran == [] and document.up_to_date()
