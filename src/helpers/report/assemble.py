"""PDFs put together from PDFs already rendered: a chapter's pages with their numbers stamped on,
and the book made of its front matter, its chapters' pages and its colophon — instead of laying
out and drawing every chapter a second time as one long document.

qpdf (through pikepdf) does the work: pages copied between files keep what they point to (the
structure tree that tags them for a screen reader, link targets, fonts), and it writes the same
bytes for the same input. Page numbers and running headers come drawn on otherwise empty pages
(helpers.report.pdf.render_marks, with the report's own page rules, so they look as a whole
render would print them); they are stamped on as pagination artifacts, which a screen reader
skips."""

from __future__ import annotations

import hashlib
import warnings
from dataclasses import dataclass, field
from pathlib import Path

# A stamp's content is a pagination artifact, outside the structure tree (a screen reader
# skips it); rendered untagged, then marked so as a whole.
MARK_NAME = "/PageMark"  # the stamp's name among a page's resources
_ARTIFACT = (b"/Artifact <</Type /Pagination>> BDC\n", b"\nEMC\n")
# What a page rendered to be cached says made it, in place of the build's version and inputs'
# fingerprint, which change with every edit (helpers.report.pdf.without_generator); set_creator
# writes the real one into the assembled PDF.
CREATOR_PLACEHOLDER = "-"


@dataclass(frozen=True)
class PageMark:
    """What is printed in a page's margins: its number and, in the book, its running header."""

    number: str
    title: str = ""


@dataclass
class Part:
    """A document of the book: its PDF (pages without numbers) and, for a chapter, its outline
    entry (`title` at `anchor`, a named destination of the PDF) with its sections' (name,
    title) under it."""

    pages: Path
    title: str = ""
    anchor: str = ""
    sections: list[tuple[str, str]] = field(default_factory=list)


def stamp_pages(pages: Path, marks: Path, target: Path) -> None:
    """`pages` with page i of `marks` (helpers.report.pdf.render_marks) stamped on page i."""
    import pikepdf

    with pikepdf.open(pages) as pdf, pikepdf.open(marks) as stamp:
        _overlay(pdf, range(len(pdf.pages)), stamp)
        _share_fonts(pdf)
        _save(pdf, target)


def assemble_book(
    front: Path,
    parts: list[Part],
    back: Path,
    target: Path,
    marks: Path,
    creator: str | None = None,
) -> None:
    """One PDF: `front` (numbered by itself, in lower-case Roman numerals, with its outline),
    then each part's pages and `back`, numbered on from 1 by `marks` (render_marks: one page per
    page after the front). The tags of every file hang under one Document element, one Part
    each; named destinations and outline entries lead to the copied pages, and the page labels
    a viewer shows match the printed numbers. `creator`: what made it (set_creator), for a
    `front` rendered with the generator's placeholder."""
    import pikepdf
    from pikepdf import Array, Dictionary, Name

    with pikepdf.open(front) as book:
        front_pages = len(book.pages)
        tree = book.Root.StructTreeRoot
        top = book.make_indirect(
            Dictionary(Type=Name.StructElem, S=Name.Document, P=tree, K=Array())
        )
        _adopt(list(_elements(tree.K)), top)
        tree.K = Array([top])
        parent_tree = list(_numbers(tree.ParentTree))
        destinations = _destinations(book, book, {})
        anchors: list[tuple[Part, int]] = []
        outline_back: list[tuple[str, int]] = []
        for part in [*parts, Part(back)]:
            with pikepdf.open(part.pages) as source:
                offset = max((int(k) for k in parent_tree[::2]), default=-1) + 1
                for page in source.pages:
                    if "/StructParents" in page.obj:
                        page.obj.StructParents = int(page.obj.StructParents) + offset
                    for annotation in page.obj.get("/Annots", []):
                        if "/StructParent" in annotation:
                            annotation.StructParent = int(annotation.StructParent) + offset
                first = len(book.pages)
                with warnings.catch_warnings():  # the named destinations are carried below
                    warnings.simplefilter("ignore")
                    book.pages.extend(source.pages)
                copied = {
                    source.pages[i].obj.objgen: book.pages[first + i].obj
                    for i in range(len(source.pages))
                }

                def bring(value, copied=copied):
                    if isinstance(value, (Dictionary, Array)) and value.is_indirect:
                        return copied.get(value.objgen) or book.copy_foreign(value)
                    if isinstance(value, Array):
                        return Array([bring(item) for item in value])
                    return value

                source_tree = source.Root.StructTreeRoot
                _adopt([bring(element) for element in _elements(source_tree.K)], top)
                numbers = list(_numbers(source_tree.ParentTree))
                for key, value in zip(numbers[::2], numbers[1::2], strict=True):
                    parent_tree += [int(key) + offset, bring(value)]
                _destinations(source, book, destinations, bring)
                if part.title:
                    anchors.append((part, first))
                else:
                    with source.open_outline() as outline:
                        outline_back = [(item.title, first) for item in outline.root]
        tree.ParentTree = book.make_indirect(Dictionary(Nums=Array(parent_tree)))
        names = Array()
        for name in sorted(destinations):
            names.extend([pikepdf.String(name), destinations[name]])
        book.Root.Names = Dictionary(Dests=book.make_indirect(Dictionary(Names=names)))
        with pikepdf.open(marks) as stamp:
            _overlay(book, range(front_pages, len(book.pages)), stamp)
        book.Root.PageLabels = Dictionary(
            Nums=Array([0, Dictionary(S=Name.r), front_pages, Dictionary(S=Name.D)])
        )
        _write_outline(book, anchors, outline_back, destinations)
        if creator is not None:
            set_creator(book, creator)
        _share_fonts(book)
        _save(book, target)


def set_creator(pdf, creator: str, placeholder: str = CREATOR_PLACEHOLDER) -> None:
    """The PDF's creator (its Info dictionary and its XMP metadata's CreatorTool, as WeasyPrint
    writes them from <meta name="generator">) set to `creator`, where it says `placeholder`."""
    from xml.sax.saxutils import escape

    pdf.docinfo["/Creator"] = creator
    if "/Metadata" not in pdf.Root:
        return
    said, says = (f"<xmp:CreatorTool>{escape(v)}</xmp:CreatorTool>" for v in (placeholder, creator))
    xmp = pdf.Root.Metadata.read_bytes()
    if said.encode() not in xmp:
        raise ValueError(f"the PDF's metadata has no {said}")
    pdf.Root.Metadata.write(xmp.replace(said.encode(), says.encode()))


def pages_and_destinations(pages: Path, names: list[str]) -> tuple[int, dict[str, int]]:
    """How many pages the PDF has, and the page (0 = the first) each of `names` leads to, of
    those it has."""
    import pikepdf

    with pikepdf.open(pages) as pdf:
        index = {page.obj.objgen: number for number, page in enumerate(pdf.pages)}
        found = _destinations(pdf, pdf, {})
        return len(pdf.pages), {
            name: index[found[name][0].objgen]
            for name in names
            if name in found and found[name][0].objgen in index
        }


def _elements(kids):
    """A structure element's kids as a list (a single kid may be given bare)."""
    import pikepdf

    return list(kids) if isinstance(kids, pikepdf.Array) else [kids]


def _adopt(elements, top) -> None:
    """Hang each file's Document element under the book's one, as a Part."""
    import pikepdf

    for element in elements:
        element.S = pikepdf.Name.Part
        element.P = top
        top.K.append(element)


def _numbers(tree):
    """The flat (key, value, …) list of a number tree, its kids walked in order."""
    if "/Nums" in tree:
        yield from tree.Nums
    for kid in tree.get("/Kids", []):
        yield from _numbers(kid)


def _name_pairs(tree):
    if "/Names" in tree:
        names = list(tree.Names)
        yield from zip(names[::2], names[1::2], strict=True)
    for kid in tree.get("/Kids", []):
        yield from _name_pairs(kid)


def _destinations(source, book, into: dict, bring=lambda value: value) -> dict:
    """`into` updated with the named destinations of `source` (brought into `book`)."""
    names = source.Root.get("/Names")
    if names is not None and "/Dests" in names:
        for name, value in _name_pairs(names.Dests):
            into[str(name)] = bring(value)
    return into


def _write_outline(book, chapters, back_items, destinations) -> None:
    """The book's outline: the front matter's own items, one item per chapter with its
    sections under it (their named destinations), then the colophon."""
    import pikepdf
    from pikepdf import OutlineItem

    with book.open_outline() as outline:
        for part, first in chapters:
            item = OutlineItem(part.title, _target(part.anchor, first, destinations))
            for name, title in part.sections:
                if name in destinations:
                    item.children.append(OutlineItem(title, pikepdf.String(name)))
            outline.root.append(item)
        for title, first in back_items:
            outline.root.append(OutlineItem(title, first))


def _target(anchor: str, page: int, destinations):
    import pikepdf

    return pikepdf.String(anchor) if anchor in destinations else page


def _overlay(pdf, indexes, stamp) -> None:
    """Stamp page i of `stamp` onto each of `indexes` in turn, its text as artifacts."""
    import pikepdf

    for stamp_page in stamp.pages:
        data = stamp_page.Contents.read_bytes()
        stamp_page.Contents = stamp.make_stream(_ARTIFACT[0] + data + _ARTIFACT[1])
    for index, stamp_page in zip(indexes, stamp.pages, strict=True):
        form = pdf.copy_foreign(stamp_page.as_form_xobject())
        page = pdf.pages[index]
        # by a fixed name (pikepdf's add_overlay names it at random: other bytes each time),
        # after the page's own content, whose graphics state it leaves as it was
        # pages often share one resource dictionary: each gets its own, with its own stamp
        resources = pikepdf.Dictionary(
            dict(page.obj.get("/Resources", pikepdf.Dictionary()).items())
        )
        forms = pikepdf.Dictionary(dict(resources.get("/XObject", pikepdf.Dictionary()).items()))
        forms[MARK_NAME] = form
        resources.XObject = forms
        page.obj.Resources = resources
        page.contents_add(pdf.make_stream(b"q\n"), prepend=True)
        page.contents_add(pdf.make_stream(f"\nQ\nq {MARK_NAME} Do Q\n".encode()))


def _share_fonts(pdf) -> None:
    """One copy of each embedded font program: every chapter embeds the edition's subset."""
    import pikepdf

    seen: dict[str, object] = {}
    for item in pdf.objects:
        if (
            isinstance(item, pikepdf.Dictionary)
            and item.get("/Type") == pikepdf.Name.FontDescriptor
        ):
            for key in ("/FontFile", "/FontFile2", "/FontFile3"):
                if key in item:
                    digest = hashlib.sha256(item[key].read_raw_bytes()).hexdigest()
                    item[key] = seen.setdefault(digest, item[key])


def _save(pdf, target: Path) -> None:
    """Written whole under another name, then moved: never half a PDF under its own."""
    import pikepdf

    partial = target.with_name(target.name + ".partial")
    pdf.save(
        partial,
        deterministic_id=True,
        object_stream_mode=pikepdf.ObjectStreamMode.generate,
    )
    partial.replace(target)
