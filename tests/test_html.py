"""HTML from templates: escaped text, the page's language, stable bytes, figures kept."""

import base64
from pathlib import Path

import nbformat
import pandas as pd
import pytest

from helpers.report.html import (
    CSS_PATH,
    chapter_title,
    export_html,
    render_fragment,
    render_page,
    render_table,
    visible_text,
)

ATTACK = "<script>alert(1)</script>"
ESCAPED = "&lt;script&gt;alert(1)&lt;/script&gt;"
# A 1×1 PNG, as ch.figure displays it.
PNG = base64.b64decode(
    "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg=="
)


def test_page_has_doctype_language_charset_escaped_title_and_the_stylesheet():
    page = render_page(title="A & B <i>", body_html="<p>body</p>", language="zh")
    assert page.startswith('<!DOCTYPE html>\n<html lang="zh-CN">\n<head>\n<meta charset="utf-8">\n')
    assert "<title>A &amp; B &lt;i&gt;</title>" in page
    assert CSS_PATH.read_text(encoding="utf-8") in page  # inlined, not escaped
    # body as given, the main landmark; the header (notes, links, search) before it
    assert '<main class="page-main">\n<p>body</p>\n</main>\n</body>\n</html>\n' in page
    assert page.endswith("</html>\n")
    assert '<html lang="en">' in render_page(title="t", body_html="", language="en")
    with pytest.raises(ValueError, match="unknown language"):
        render_page(title="t", body_html="", language="fr")


def test_page_without_note_nav_or_search_is_its_header_and_main():
    css = CSS_PATH.read_text(encoding="utf-8")
    expected = (
        '<!DOCTYPE html>\n<html lang="en">\n<head>\n<meta charset="utf-8">\n'
        '<link rel="icon" href="data:,">\n<title>T</title>\n'
        '<meta name="author" content="Little Giants research report workbench">\n'
        '<meta name="description" content="Part of China&#39;s Little Giant Firms: A Research '
        'Report">\n'
        f"<style>\n{css}</style>\n</head>\n<body>\n"
        '<header class="page-header">\n</header>\n<main class="page-main">\n<h1>T</h1>\n</main>\n'
        "</body>\n</html>\n"
    )
    page = render_page(title="T", body_html="<h1>T</h1>", language="en", search=False)
    assert page == expected


def test_every_page_has_the_search_box_in_its_header():
    page = render_page(title="T", body_html="<h1>T</h1>", language="zh")
    header = page.split('<header class="page-header">')[1].split("</header>")[0]
    assert '<form class="site-search" role="search" aria-label="搜索本版本"' in header
    assert '<label for="site-search-input">' in header and 'id="site-search-input"' in header
    for script in ("minisearch.js", "search-index.js", "search.js"):
        assert f'<script src="../search/{script}" defer></script>' in header
    assert '<span data-word="count">找到{count}条结果</span>' in header  # words for search.js


def test_edition_note_and_navigation_are_escaped_and_in_order():
    page = render_page(
        title="t",
        body_html="<h1>x</h1>",
        language="en",
        edition_note=f"Data: {ATTACK}",
        nav={
            "next": ("02_innovation.html", "2. Innovation"),
            "previous": None,
            "contents": ('../index.html?a=1&b="2"', "Contents"),
        },
    )
    assert f'<p class="edition-note">Data: {ESCAPED}</p>' in page
    assert ATTACK not in page
    assert '<a class="nav-contents" href="../index.html?a=1&amp;b=&#34;2&#34;">Contents</a>' in page
    assert '<a class="nav-next" href="02_innovation.html" rel="next">2. Innovation</a>' in page
    assert "nav-previous" not in page
    assert page.index("nav-contents") < page.index("nav-next") < page.index("<h1>x</h1>")
    with pytest.raises(ValueError, match="unknown nav links"):
        render_page(title="t", body_html="", language="en", nav={"up": ("a", "b")})


def test_pages_are_deterministic():
    kwargs = dict(
        title="一、培育现状",
        body_html="<p>x</p>",
        language="zh",
        edition_note="示例数据",
        nav={"previous": ("a.html", "上一章"), "contents": ("../index.html", "目录"), "next": None},
    )
    assert render_page(**kwargs).encode() == render_page(**kwargs).encode()


def test_table_escapes_every_cell_and_header_and_marks_rows():
    frame = pd.DataFrame(
        {"企业 <b>": [ATTACK, "A & B"], "占比": ["49.8%", None], "n": ["12,950", "4"]}
    )
    table = render_table(frame, row_classes=["mismatch", ""])
    assert table.startswith('<table class="data-table">\n<thead>\n<tr>\n<th>企业 &lt;b&gt;</th>\n')
    assert f"<td>{ESCAPED}</td>" in table and ATTACK not in table
    assert '<td class="short-label">A &amp; B</td>' in table
    assert "<td>–</td>" in table  # a missing cell
    assert '<tr class="mismatch">\n<td>' in table
    assert table.count("<tr>") == 2  # the header row and the unmarked row
    assert table.endswith("</tbody>\n</table>\n")
    assert render_table(frame, css_class="wide").startswith('<table class="wide">')
    with pytest.raises(ValueError, match="row_classes"):
        render_table(frame, row_classes=["x"])


def test_short_row_labels_are_marked_to_stay_on_one_line():
    labels = [
        "Batch 4",
        "第四批",
        "Inner Mongolia",
        "Biomedicine & devices",
        "专精特新中小企业上市",
    ]
    frame = pd.DataFrame({"Batch": labels, "Firms": ["4,357", "3,671", "1", "2", "3"]})
    table = render_table(frame)
    assert '<td class="short-label">Batch 4</td>' in table
    assert '<td class="short-label">第四批</td>' in table
    assert '<td class="short-label">Inner Mongolia</td>' in table  # 14 wide
    assert "<td>Biomedicine &amp; devices</td>" in table  # 21 wide: may wrap
    assert "<td>专精特新中小企业上市</td>" in table  # 10 Chinese characters: 20 wide
    assert '<td class="short-label">4,357</td>' not in table  # only the first column
    css = CSS_PATH.read_text(encoding="utf-8")
    assert "table.data-table td.short-label { white-space: nowrap; }" in css
    # the reconciliation's fixed column widths wrap their labels as they are
    assert "short-label" not in render_table(frame, short_labels=False)


@pytest.mark.parametrize(
    ("kind", "values", "expected"),
    [
        (
            "figure_title",
            {"number": "图表1.4", "title": "累计培育数量"},
            '<p class="figure-title"><b>图表1.4</b> 累计培育数量</p>',
        ),
        (
            "figure_source",
            {"number": "图表1.4", "source": "资料来源：智慧芽"},
            '<p class="figure-source">图表1.4&emsp;资料来源：智慧芽</p>',
        ),
        ("figure_source", {"source": "S"}, '<p class="figure-source">S</p>'),
        ("reading", {"text": "NEV & energy"}, '<p class="reading">NEV &amp; energy</p>'),
        (
            "table_title",
            {"number": "表1", "title": "T"},
            '<p class="table-title"><b>表1</b> T</p>',
        ),
        ("table_title", {"number": "", "title": "核对"}, '<p class="table-title"><b>核对</b></p>'),
        ("synthetic_banner", {"text": "示例"}, '<p class="synthetic-banner">示例</p>'),
        ("heading", {"text": "1.1 批次", "level": 2}, "<h2>1.1 批次</h2>"),
        ("heading", {"text": "一、"}, "<h1>一、</h1>"),
    ],
)
def test_fragments_match_the_markup_chapters_showed(kind, values, expected):
    assert render_fragment(kind, **values) == expected


@pytest.mark.parametrize(
    "kind", ["figure_title", "figure_source", "reading", "table_title", "synthetic_banner"]
)
def test_fragments_escape_their_values(kind):
    values = {"figure_title": ["number", "title"], "figure_source": ["number", "source"]}.get(
        kind,
        {"reading": ["text"], "synthetic_banner": ["text"], "table_title": ["title"]}.get(kind),
    )
    shown = render_fragment(kind, **{name: ATTACK for name in values})
    assert ATTACK not in shown and ESCAPED in shown


def test_fragment_errors():
    with pytest.raises(KeyError, match="unknown fragment 'banner'"):
        render_fragment("banner", text="x")
    with pytest.raises(ValueError, match="level"):
        render_fragment("heading", text="x", level=7)
    with pytest.raises(Exception, match="title"):
        render_fragment("figure_title", number="1")  # a missing value is an error


def executed_notebook(path: Path) -> Path:
    """A small notebook as papermill leaves it: code, a heading, a figure, a table, a note."""
    nb = nbformat.v4.new_notebook()
    outputs = [
        nbformat.v4.new_output("display_data", data={"text/html": "<h1>一、培育 &amp; 现状</h1>"}),
        nbformat.v4.new_output(
            "display_data",
            data={"text/html": render_fragment("figure_title", number="图表1.4", title="数量")},
        ),
        nbformat.v4.new_output(
            "display_data",
            data={"image/png": base64.b64encode(PNG).decode(), "text/plain": "<Image>"},
            metadata={"image/png": {"width": 720}},
        ),
        nbformat.v4.new_output(
            "display_data",
            data={"text/html": render_table(pd.DataFrame({"企业": [ATTACK]}))},
        ),
    ]
    cell = nbformat.v4.new_code_cell("ch.record('x', 1, '家', 'x', 'x')", outputs=outputs)
    nb.cells = [nbformat.v4.new_markdown_cell("# notes"), cell]
    nbformat.write(nb, path)
    return path


def test_export_html_keeps_figures_hides_code_and_is_stable(tmp_path):
    executed = executed_notebook(tmp_path / "01_x.ipynb")
    page = export_html(executed, tmp_path / "html" / "01_x.html", "zh")
    assert (tmp_path / "html" / "01_x.html").read_text(encoding="utf-8") == page
    assert '<html lang="zh-CN">' in page
    assert "<title>一、培育 &amp; 现状</title>" in page
    assert chapter_title(tmp_path / "html" / "01_x.html") == "一、培育 & 现状"
    assert 'src="data:image/png;base64,' in page and 'width="720"' in page
    assert '<p class="figure-title"><b>图表1.4</b> 数量</p>' in page
    assert ESCAPED in page and ATTACK not in page
    assert "ch.record(" not in page and "# notes" not in page  # code and markdown hidden
    assert "ch.record" not in visible_text(page) and "数量" in visible_text(page)
    again = export_html(executed, tmp_path / "again" / "html" / "01_x.html", "zh")
    assert again.encode() == page.encode()


def test_export_html_passes_page_options_through(tmp_path):
    executed = executed_notebook(tmp_path / "01_x.ipynb")
    page = export_html(
        executed,
        tmp_path / "p.html",
        "en",
        title="Chapter 1",
        edition_note="English edition · published tables",
        nav={"contents": ("../index.html", "Contents")},
    )
    assert '<html lang="en">' in page and "<title>Chapter 1</title>" in page
    assert '<p class="edition-note">English edition · published tables</p>' in page
    assert 'href="../index.html"' in page


@pytest.mark.parametrize(
    ("language", "contents", "profiles"),
    [("zh", "目录", "全部地区画像"), ("en", "Contents", "All regional profiles")],
)
def test_a_profile_page_links_the_edition_index_and_the_profiles_index(
    tmp_path, language, contents, profiles
):
    """profiles/<slug>.html as the build exports it (helpers.workflow.batch.render_notebook)."""
    executed = executed_notebook(tmp_path / "profile_beijing.ipynb")
    page = export_html(executed, tmp_path / "profiles" / "beijing.html", language)
    nav = page[page.index('<nav class="page-nav">') : page.index("</nav>")]
    assert f'<a class="nav-contents" href="../index.html">{contents}</a>' in nav
    assert f'<a class="nav-profiles" href="index.html">{profiles}</a>' in nav
    assert nav.index("nav-contents") < nav.index("nav-profiles")
    assert "nav-previous" not in nav and "nav-next" not in nav


@pytest.mark.build
def test_a_page_from_an_executed_chapter_still_has_its_figures(editions, tmp_path):
    editions("data/published", "zh")  # the shared build keeps its executed chapters
    executed = editions.build / "zh" / "executed" / "01_cultivation.ipynb"
    page = export_html(executed, tmp_path / "01_cultivation.html", "zh")
    assert page.count('src="data:image/png;base64,') >= 4
    assert page.count('class="figure-title"') >= 4
    assert "data-table" in page and '<p class="figure-source">' in page
    assert "<title>" in page and "ch.record(" not in page
    # the same page exported again elsewhere is the same (its anchors follow its name)
    again = tmp_path / "again"
    again.mkdir()
    assert export_html(executed, again / "01_cultivation.html", "zh") == page
