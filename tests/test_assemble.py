"""The book's PDF assembled from its parts' PDFs (helpers.report.assemble): page numbers stamped
as artifacts, one structure tree, links and outline leading to the copied pages, page labels as
printed, one copy of a shared font, the same bytes twice."""

from __future__ import annotations

from pathlib import Path

import pikepdf
import pytest
from pypdf import PdfReader

from helpers.report import assemble
from helpers.report.book import FRONT_CSS, print_back, print_front
from helpers.report.fonts import subset_characters
from helpers.report.pdf import (
    PDF_VARIANT,
    layout,
    render_marks,
    render_pdf,
    with_style,
    write_pages,
)

STYLE = (
    "<style>@page { size: A4; margin: 18mm 16mm 20mm; } h2 { break-before: page; }"
    "section.book-contents, section.book-front { break-before: page; }</style>"
)


def page(body: str, title: str = "测试") -> str:
    return (
        f'<!DOCTYPE html><html lang="zh-CN"><head><meta charset="utf-8"><title>{title}</title>'
        f"{STYLE}</head><body><main>{body}</main></body></html>"
    )


def chapter(number: int, sections: int) -> str:
    anchor = f"ch-0{number}_x"
    parts = [f'<h1 id="{anchor}" class="chapter-title">第{number}章</h1><p>正文{number}</p>']
    parts += [
        f'<h2 id="{anchor}-s{s}">{number}.{s} 小节</h2><p>内容{number}{s}</p>'
        for s in range(1, sections + 1)
    ]
    return page("".join(parts))


BOOK = page(
    '<section class="book-cover" id="cover"><p>封面</p></section>'
    '<section class="book-contents" id="contents"><h1 class="front-title">目录</h1>'
    '<ol class="toc"><li class="toc-front"><a href="#findings">主要发现</a></li>'
    '<li class="toc-chapter"><a href="#ch-01_x">第1章</a><ol>'
    '<li class="toc-section"><a href="#ch-01_x-s1">1.1 小节</a></li></ol></li>'
    '<li class="toc-chapter"><a href="#ch-02_x">第2章</a></li>'
    '<li class="toc-front"><a href="#colophon">版本说明</a></li></ol></section>'
    '<section class="book-front" id="findings-section">'
    '<h1 class="front-title" id="findings">主要发现</h1><p>发现</p></section>'
    '<section class="book-chapter" id="section-ch-01_x"><h1>第1章</h1></section>'
    '<section class="book-colophon" id="colophon"><h1 class="front-title">版本说明</h1>'
    "<p>版本</p></section>"
)


def test_print_front_keeps_the_front_matter_and_numbers_the_contents_links():
    front = print_front(BOOK, {"ch-01_x": "1", "ch-01_x-s1": "2", "colophon": "5"})
    assert "book-chapter" not in front and "book-colophon" not in front
    assert 'data-page="1"' in front and 'data-page="2"' in front and 'data-page="5"' in front
    assert '<span id="ch-01_x"></span>' in front  # a target, so the link is kept in the PDF
    assert 'href="#findings">' in front and 'data-page="1">主要发现' not in front
    back = print_back(BOOK)
    assert "版本说明" in back and "book-cover" not in back and "主要发现" not in back


# every character the test's pages show: one subset for all of them, as an edition has
CHARACTERS = frozenset(
    subset_characters(set("封面目录主要发现第章正文内容小节版本说明测试0123456789."))
)


@pytest.fixture(scope="module")
def book(tmp_path_factory):
    folder = tmp_path_factory.mktemp("assemble")
    parts = []
    for number, sections in ((1, 2), (2, 1)):
        pages = folder / f"0{number}.pdf"
        count = write_pages(chapter(number, sections), folder, pages, CHARACTERS)
        assert count == sections + 1
        anchors = [f"ch-0{number}_x-s{s}" for s in range(1, sections + 1)]
        found = assemble.pages_and_destinations(pages, [*anchors, "nowhere"])
        assert found == (sections + 1, {name: index for index, name in enumerate(anchors, 1)})
        anchor = f"ch-0{number}_x"
        named = [(f"{anchor}-s{s}", f"{number}.{s} 小节") for s in range(1, sections + 1)]
        parts.append(assemble.Part(pages, f"第{number}章", anchor, named))
    numbers = {"ch-01_x": "1", "ch-01_x-s1": "2", "ch-02_x": "4", "colophon": "6"}
    front = folder / "front.pdf"
    layout(with_style(print_front(BOOK, numbers), FRONT_CSS), folder, CHARACTERS).write_pdf(
        front, full_fonts=True, pdf_variant=PDF_VARIANT
    )
    back = folder / "back.pdf"
    write_pages(print_back(BOOK), folder, back, CHARACTERS)
    marks = [assemble.PageMark(str(n), "第1章" if n < 4 else "第2章") for n in range(1, 6)]
    marks.append(assemble.PageMark("6", "版本说明"))
    stamps = folder / "marks.pdf"
    render_marks(marks, stamps, "zh-CN", CHARACTERS)
    target = folder / "book.pdf"
    assemble.assemble_book(front, parts, back, target, stamps)
    again = folder / "again.pdf"
    assemble.assemble_book(front, parts, back, again, stamps)
    return {"pdf": target, "again": again, "front_pages": len(PdfReader(front).pages)}


def test_the_book_numbers_its_pages_as_printed(book):
    reader = PdfReader(book["pdf"])
    front = book["front_pages"]
    assert len(reader.pages) == front + 6
    assert reader.page_labels[:front] == ["i", "ii", "iii"][:front]
    assert reader.page_labels[front:] == ["1", "2", "3", "4", "5", "6"]
    first_chapter_page = reader.pages[front].extract_text()
    assert "第1章" in first_chapter_page and first_chapter_page.strip().endswith("1")
    assert reader.pages[front + 3].extract_text().strip().endswith("4")
    contents = reader.pages[1].extract_text()
    assert "第1章" in contents and "1.1 小节" in contents


def test_the_book_outline_and_links_lead_to_the_copied_pages(book):
    reader = PdfReader(book["pdf"])
    front = book["front_pages"]
    titles = {}

    def walk(items, level=1):
        for item in items:
            if isinstance(item, list):
                walk(item, level + 1)
            else:
                titles[item.title] = (level, reader.get_destination_page_number(item))

    walk(reader.outline)
    assert titles["第1章"] == (1, front) and titles["1.2 小节"] == (2, front + 2)
    assert titles["第2章"] == (1, front + 3) and titles["版本说明"] == (1, front + 5)
    destinations = reader.named_destinations
    assert reader.get_destination_page_number(destinations["ch-01_x-s1"]) == front + 1
    assert reader.get_destination_page_number(destinations["colophon"]) == front + 5
    # the contents' links, drawn in the front matter, lead into the chapters
    links = [a.get_object() for a in reader.pages[1].get("/Annots", [])]
    assert {"ch-01_x", "ch-02_x", "colophon"} <= {str(a.get("/Dest")) for a in links}


def test_the_book_has_one_structure_tree_and_stamps_are_artifacts(book):
    with pikepdf.open(book["pdf"]) as pdf:
        root = pdf.Root.StructTreeRoot
        (document,) = list(root.K)
        assert document.S == "/Document"
        assert [str(part.S) for part in document.K] == ["/Part"] * 4  # front, 2 chapters, back
        nums = list(root.ParentTree.Nums)
        keys = [int(k) for k in nums[::2]]
        assert len(keys) == len(set(keys))
        for page in pdf.pages:
            assert int(page.obj.StructParents) in keys
            for annotation in page.obj.get("/Annots", []):
                assert int(annotation.StructParent) in keys
        stamped = pdf.pages[book["front_pages"]]
        forms = [x for x in stamped.Resources.XObject.values() if x.Subtype == "/Form"]
        assert [f.read_bytes()[:36] for f in forms] == [b"/Artifact <</Type /Pagination>> BDC\n"]
        programs = {
            descriptor[key].objgen
            for descriptor in pdf.objects
            if isinstance(descriptor, pikepdf.Dictionary)
            and descriptor.get("/Type") == "/FontDescriptor"
            for key in ("/FontFile2", "/FontFile3")
            if key in descriptor
        }
        assert len(programs) == 1  # every part embeds the same subset: kept once


def test_the_book_is_the_same_bytes_twice(book):
    assert book["pdf"].read_bytes() == book["again"].read_bytes()


def test_a_chapter_pdf_is_its_pages_numbered(tmp_path: Path):
    pages, target = tmp_path / "pages.pdf", tmp_path / "chapter.pdf"
    render_pdf(chapter(1, 2), tmp_path, target, pages=pages)
    bare, numbered = PdfReader(pages), PdfReader(target)
    assert len(bare.pages) == len(numbered.pages) == 3
    assert not bare.pages[1].extract_text().strip().endswith("2")
    assert numbered.pages[1].extract_text().strip().endswith("2")
    assert not list(tmp_path.glob("*.marks.pdf"))  # the stamps are not left behind


def test_the_colophon_keeps_the_synthetic_mark_the_cover_sets(tmp_path: Path):
    # report.css's rules for the mark
    corner = (
        ".synthetic-mark { string-set: synthetic-mark content(); }"
        "@page { @top-right { content: string(synthetic-mark); } }"
    )
    synthetic = BOOK.replace("<p>封面</p>", '<p><span class="synthetic-mark">合成示例</span></p>')
    back = tmp_path / "back.pdf"
    write_pages(with_style(print_back(synthetic), corner), tmp_path, back)
    assert PdfReader(back).pages[0].extract_text().split() == ["版本说明", "版本", "合成示例"]
    write_pages(with_style(print_back(BOOK), corner), tmp_path, back)
    assert "合成" not in PdfReader(back).pages[0].extract_text()


def test_a_cached_front_is_its_render_and_the_book_says_what_made_it(tmp_path, monkeypatch, book):
    from helpers.data import content_cache
    from helpers.report import pdf
    from helpers.report.html import visible_text

    monkeypatch.setattr(content_cache, "CACHE_DIR", tmp_path / "cache")
    generated = BOOK.replace(
        "<title>", '<meta name="generator" content="构建版本 abc &amp; 指纹 1f"><title>', 1
    )
    numbers = {"ch-01_x": "1", "ch-01_x-s1": "2", "ch-02_x": "4", "colophon": "6"}
    front_page, creator = pdf.without_generator(
        with_style(print_front(generated, numbers), FRONT_CSS)
    )
    assert creator == "构建版本 abc & 指纹 1f"
    assert '<meta name="generator" content="-">' in front_page and "指纹" not in front_page
    font = pdf.font_for(set(visible_text(front_page)), CHARACTERS)
    made, copied = tmp_path / "made.pdf", tmp_path / "copied.pdf"
    assert pdf.write_cached(front_page, tmp_path, made, font) is False  # rendered, then kept

    def refuse(*args, **kwargs):
        raise AssertionError("laid out again")

    monkeypatch.setattr(pdf, "layout", refuse)
    assert pdf.write_cached(front_page, tmp_path, copied, font) is True
    assert copied.read_bytes() == made.read_bytes()
    # a file the page shows is part of what it is cached by
    (tmp_path / "a.svg").write_text(
        '<svg xmlns="http://www.w3.org/2000/svg" width="4" height="4"/>'
    )
    shown = front_page.replace("<p>封面</p>", '<p>封面<img src="a.svg" alt="图"></p>')
    monkeypatch.undo()
    monkeypatch.setattr(content_cache, "CACHE_DIR", tmp_path / "cache")
    assert pdf.write_cached(shown, tmp_path, made, font) is False
    assert pdf.write_cached(shown, tmp_path, made, font) is True
    (tmp_path / "a.svg").write_text(
        '<svg xmlns="http://www.w3.org/2000/svg" width="5" height="4"/>'
    )
    assert pdf.write_cached(shown, tmp_path, made, font) is False

    back = book["pdf"].parent / "back.pdf"
    marks = tmp_path / "marks.pdf"
    render_marks([assemble.PageMark("1", "版本说明")] * len(PdfReader(back).pages), marks, "zh-CN")
    target = tmp_path / "book.pdf"
    assemble.assemble_book(copied, [], back, target, marks, creator=creator)
    with pikepdf.open(target) as made_book:
        assert str(made_book.docinfo["/Creator"]) == creator
        xmp = made_book.Root.Metadata.read_bytes().decode()
        assert "<xmp:CreatorTool>构建版本 abc &amp; 指纹 1f</xmp:CreatorTool>" in xmp
