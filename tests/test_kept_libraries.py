"""Kept libraries where code was written by hand (issue 22, item 7): an HTML page's text with
BeautifulSoup instead of regular expressions, a label's printed width with wcwidth instead of a
hand-written East Asian Width test. Hand-worked cases, including the ones the old code got wrong."""

from __future__ import annotations

import pytest

from helpers.report.book import chapter_part
from helpers.report.html import markup_text, text_width, visible_text


@pytest.mark.parametrize(
    ("markup", "text"),
    [
        ("<b>图1.4</b> 五批&nbsp;企业", "图1.4 五批\xa0企业"),
        ("<p title='a>b'>占比</p>", "占比"),  # a regular expression's tag ended at the '>'
        ("<p>A<!-- a > b -->B</p>", "AB"),  # a comment's text is not the page's
        ("<p\nclass='x'>跨行</p>", "跨行"),
        ("<style>p{content:'隐'}</style><script>var s='<b>';</script><p>显</p>", "显"),
        ("&lt;b&gt; stays text", "<b> stays text"),
    ],
)
def test_markup_text_is_what_a_reader_sees(markup, text):
    assert markup_text(markup) == text


def test_visible_text_of_a_page_keeps_its_characters():
    page = (
        "<!DOCTYPE html><html><head><title>标题</title><style>.a::before{content:'样'}</style>"
        "</head><body><h1>第一章 &amp; 概览</h1><p>共12,950家</p></body></html>"
    )
    assert visible_text(page) == "标题第一章 & 概览共12,950家"


def test_a_book_section_title_is_its_headings_text():
    page = "<body><h1>培育<i>概况</i> &amp; 数量</h1><h2>第<b>一</b>节</h2></body>"
    part = chapter_part("01_cultivation", page)
    assert part.title == "培育概况 & 数量"
    assert [section["title"] for section in part.sections] == ["第一节"]


@pytest.mark.parametrize(
    ("text", "width"),
    [
        ("Batch 4", 7),
        ("第四批", 6),
        ("江苏省（CN-JS）", 6 + 2 + 5 + 2),  # full-width brackets are wide
        ("·—“”", 4),  # ambiguous-width punctuation counts one, as before
        ("e\u0301", 1),  # a combining accent takes no column (the old test counted two)
        ("", 0),
    ],
)
def test_text_width_counts_wide_characters_twice(text, width):
    assert text_width(text) == width


@pytest.mark.parametrize(
    "markup",
    [
        "<b>图1.4</b> 五批&nbsp;企业",
        "<p title='a>b'>占比</p>",
        "<p>A<!-- a > b -->B</p>",
        "<style>p{content:'隐'}</style>前<script>var s='<b>';</script>后<p>显</p>",
        "&lt;b&gt; stays text",
    ],
)
def test_visible_text_has_the_characters_markup_text_reads(markup):
    assert set(visible_text(markup)) == set(markup_text(markup))
