"""The site's search and cross-links, without a build: figure and table numbers found in text
and linked to their anchors (helpers.report.html.link_page), the links to a table's files beside
it, the documents of a page the search index holds (helpers.workflow.search), and the page the
PDF prints (charts as SVG, no links into the build's folder: helpers.report.pdf.print_page)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from helpers.report.html import (
    downloads_line,
    figure_image,
    link_page,
    number_pattern,
    render_fragment,
    render_page,
)
from helpers.report.pdf import print_page
from helpers.workflow.search import (
    ASSETS,
    INDEX_SCRIPT,
    page_documents,
    page_documents_of,
    write_search,
)


@pytest.mark.parametrize(
    ("language", "text", "found"),
    [
        ("zh", "见图1.4与表2.10。", ["图1.4", "表2.10"]),
        ("zh", "附录的表A.1", ["表A.1"]),
        # a published report's 图表1.4 is its chart, not ours; 图1.40 is not 图1.4
        ("zh", "智慧芽2023 图表1.4；图1.40", ["图1.40"]),
        ("en", "see Figure 1.4 and Table 3.", ["Figure 1.4", "Table 3"]),
        ("en", "PatSnap Chart 1.4, Data table 1, Figures 1", []),
    ],
)
def test_our_numbers_are_found_in_text(language, text, found):
    assert [m.group(0) for m in number_pattern(language).finditer(text)] == found


def chapter_body(language: str = "zh") -> str:
    words = {"zh": ("图1.1", "表1.1", "见图1.1和表1.1，另见图3.2；智慧芽图表1.1"), "en": ()}[
        language
    ]
    figure, table, sentence = words
    return "".join(
        [
            render_fragment("heading", text="一、培育现状", level=1),
            render_fragment("heading", text="1.1 五批", level=2),
            render_fragment("figure_title", number=figure, title="数量"),
            render_fragment("figure_source", number=figure, source="资料来源：智慧芽"),
            render_fragment("table_title", number=table, title="方向"),
            render_fragment("reading", text=sentence),
            render_fragment("heading", text="1.2 领域", level=2),
        ]
    )


def test_a_chapter_page_gets_anchors_and_its_numbers_link_to_them(tmp_path):
    body = link_page(chapter_body(), "zh", tmp_path / "html" / "01_cultivation.html")
    # the book's ids: the chapter's title and its sections in order
    assert '<h1 id="ch-01_cultivation">一、培育现状</h1>' in body
    assert '<h2 id="ch-01_cultivation-s1">1.1 五批</h2>' in body
    assert '<h2 id="ch-01_cultivation-s2">1.2 领域</h2>' in body
    assert '<p class="figure-title" id="figure-1-1"><b>图1.1</b> 数量</p>' in body
    assert '<p class="table-title" id="table-1-1"><b>表1.1</b> 方向</p>' in body
    # the text's numbers: on this page, or on chapter 3's; the published chart is no link
    assert (
        '<p class="reading">见<a class="crossref" href="#figure-1-1">图1.1</a>和'
        '<a class="crossref" href="#table-1-1">表1.1</a>，另见'
        '<a class="crossref" href="03_regions.html#figure-3-2">图3.2</a>；智慧芽图表1.1</p>'
    ) in body
    # the source line under the figure links its number too; the title's own number does not
    assert '<p class="figure-source"><a class="crossref" href="#figure-1-1">图1.1</a>' in body
    assert body == link_page(body, "zh", tmp_path / "html" / "01_cultivation.html")  # again: same


def test_a_profile_links_only_what_it_shows(tmp_path):
    body = render_fragment("figure_title", number="图1", title="x") + render_fragment(
        "reading", text="图1与图2.1"
    )
    linked = link_page(body, "zh", tmp_path / "profiles" / "beijing.html")
    assert '<p class="figure-title" id="figure-1">' in linked
    assert '<a class="crossref" href="#figure-1">图1</a>与图2.1' in linked


def test_a_figure_is_its_png_with_its_svg_for_the_pdf(tmp_path):
    (tmp_path / "figures").mkdir()
    png, svg = tmp_path / "figures" / "01_x_fig.png", tmp_path / "figures" / "01_x_fig.svg"
    png.write_bytes(b"\x89PNG")
    markup = figure_image(png, svg, tmp_path, alt='图1.1 "数量" & more')
    assert markup == (
        '<img src="data:image/png;base64,iVBORw==" width="720" '
        'alt="图1.1 &#34;数量&#34; &amp; more" data-vector="../figures/01_x_fig.svg">'
    )
    printed = print_page(f"<p>{markup}</p>")
    assert 'src="../figures/01_x_fig.svg"' in printed and "base64" not in printed


def test_a_tables_files_are_linked_beside_it_and_no_file_link_reaches_the_pdf():
    line = downloads_line(["tables/01_x_fig.csv", "tables/01_x_fig.xlsx"], "zh")
    assert line == (
        '<p class="downloads">下载数据：<a href="../tables/01_x_fig.csv" download>CSV</a> · '
        '<a href="../tables/01_x_fig.xlsx" download>XLSX</a></p>'
    )
    assert "Download the data:" in downloads_line(["tables/a.csv"], "en")
    chart = downloads_line(["figures/x.png", "figures/x.svg"], "zh", "site.downloads.chart")
    assert chart == (
        '<p class="downloads">下载图片：<a href="../figures/x.png" download>PNG</a> · '
        '<a href="../figures/x.svg" download>SVG</a></p>'
    )
    printed = print_page(
        line + '<a href="#figure-1-1">图1.1</a><a href="03_regions.html#figure-3-1">图3.1</a>'
    )
    assert 'href="#figure-1-1"' in printed  # within the PDF
    assert "../tables" not in printed and "03_regions.html" not in printed
    assert "图3.1" in printed  # the words stay


def test_a_pages_documents_are_its_sections_figures_and_tables(tmp_path):
    page = tmp_path / "html" / "01_cultivation.html"
    page.parent.mkdir()
    body = chapter_body() + downloads_line(["tables/x.csv"], "zh")
    body = link_page(body, "zh", page)
    page.write_text(render_page(title="一、培育现状", body_html=body, language="zh"), "utf-8")
    documents = page_documents(page, "html/01_cultivation.html")
    assert [(d["kind"], d["anchor"], d["title"]) for d in documents] == [
        ("section", "ch-01_cultivation", "一、培育现状"),
        ("section", "ch-01_cultivation-s1", "1.1 五批"),
        ("figure", "figure-1-1", "图1.1 数量"),
        ("table", "table-1-1", "表1.1 方向"),
        ("section", "ch-01_cultivation-s2", "1.2 领域"),
    ]
    figure = documents[2]
    assert figure["text"] == "图1.1 资料来源：智慧芽"  # its source line, under it
    assert documents[3]["text"].startswith("见图1.1和表1.1")
    assert all(
        d["where"] == "一、培育现状" and d["page"] == "html/01_cultivation.html" for d in documents
    )
    # neither the search box's words nor the download links are searched
    assert not any("下载" in d["text"] or "搜索" in d["text"] for d in documents)


def test_a_documents_text_is_what_a_reader_sees_of_its_block():
    page = (
        "<html><head><title>一、培育现状</title></head><body><main>"
        "<!-- a note --><p>共<a href='#t'>12,950</a>家<!-- x --><script>var s;</script>"
        "<style>p {}</style>&amp;</p>"
        "<table><tr><td>北京市</td><td>793</td></tr></table>"
        "<div class='downloads'><p>下载</p></div>"
        "<h2 id='s1'>1.1 <span>五批</span></h2><ul><li>第一批</li><li>第二批</li></ul>"
        "</main></body></html>"
    )
    documents = page_documents_of(page, "html/01.html", "01")
    assert [(d["kind"], d["anchor"], d["title"], d["text"]) for d in documents] == [
        # a link within the words, a table's cells apart; no comment, script or style
        ("page", "", "一、培育现状", "共12,950家& 北京市 793"),
        ("section", "s1", "1.1 五批", "第一批 第二批"),
    ]


def test_the_edition_gets_its_index_script_and_the_library_with_its_licence(tmp_path):
    edition = tmp_path / "zh"
    (edition / "html").mkdir(parents=True)
    (edition / "profiles").mkdir()
    body = link_page(chapter_body(), "zh", edition / "html" / "01_cultivation.html")
    for page in (edition / "html" / "01_cultivation.html", edition / "profiles" / "beijing.html"):
        page.write_text(render_page(title=page.stem, body_html=body, language="zh"), "utf-8")
    target = write_search(edition)
    assert target == edition / "search" / INDEX_SCRIPT
    text = target.read_text(encoding="utf-8")
    assert text.startswith("window.SEARCH_DOCUMENTS = [") and text.endswith("];\n")
    documents = json.loads(text.removeprefix("window.SEARCH_DOCUMENTS = ").removesuffix(";\n"))
    assert [d["id"] for d in documents] == list(range(len(documents)))
    assert {d["page"] for d in documents} == {"html/01_cultivation.html", "profiles/beijing.html"}
    assert sorted(p.name for p in (edition / "search").iterdir()) == sorted([*ASSETS, INDEX_SCRIPT])
    licence = (edition / "search" / "minisearch.LICENSE.txt").read_text(encoding="utf-8")
    assert "MiniSearch 7.2.0" in licence and "Permission is hereby granted" in licence
    first = target.read_bytes()
    assert write_search(edition).read_bytes() == first  # same pages, same bytes


def test_the_vendored_library_is_minisearch():
    from helpers.report.html import TEMPLATES_DIR

    library = (TEMPLATES_DIR / "minisearch.js").read_text(encoding="utf-8")
    assert "global.MiniSearch = factory()" in library
    assert Path(TEMPLATES_DIR / "search.js").exists()
