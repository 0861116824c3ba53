"""Results kept by content (helpers.data.content_cache): computed once, read back by the next
step, computed again when the entry is damaged or the content changes; a page's characters and
search documents parsed only when the page changed (issue 23: publish after an edit)."""

from __future__ import annotations

import hashlib
import json
import os
import sys

import pytest

from helpers.data import content_cache
from helpers.data.catalog import latest_as_of
from helpers.data.content_cache import cached_json, content_key
from helpers.workflow import search, webfont


@pytest.fixture
def cache(tmp_path, monkeypatch):
    monkeypatch.setattr(content_cache, "CACHE_DIR", tmp_path / "cache")
    return tmp_path / "cache"


def test_a_value_is_computed_once_and_read_back(cache):
    calls = []

    def compute():
        calls.append(1)
        return {"text": "标题\udc80", "n": [1, 2]}  # a lone surrogate survives the round trip

    first = cached_json("kind", "k1", compute)
    assert cached_json("kind", "k1", compute) == first == {"text": "标题\udc80", "n": [1, 2]}
    assert len(calls) == 1
    (entry,) = (cache / "kind").iterdir()
    assert entry.name == "k1.json" and entry.read_text(encoding="ascii").isascii()
    entry.write_text("{not json", encoding="ascii")  # damaged: computed again
    assert cached_json("kind", "k1", compute) == first and len(calls) == 2
    assert json.loads(entry.read_text(encoding="ascii")) == first


def test_a_cache_that_cannot_be_written_still_computes(cache, monkeypatch):
    def refuse(*args):
        raise PermissionError("read-only")

    monkeypatch.setattr(content_cache.os, "replace", refuse)
    assert cached_json("kind", "k", lambda: [3]) == [3]
    assert not list((cache / "kind").iterdir())  # no partial entry left behind


def test_keys_of_different_parts_differ():
    assert content_key("ab", "c") != content_key("a", "bc")
    assert content_key("a") == content_key(b"a")
    assert content_key("x", "yz") == hashlib.sha256(b"1:x2:yz").hexdigest()


PAGE = (
    "<html><head><title>一、培育现状</title><style>.x{}</style></head><body><main>"
    "<h1 id='ch'>一、培育现状</h1><p>共12,950家</p></main></body></html>"
)


def test_a_pages_search_documents_are_parsed_only_when_it_changed(cache, tmp_path, monkeypatch):
    page = tmp_path / "html" / "01.html"
    page.parent.mkdir()
    page.write_text(PAGE, encoding="utf-8")
    parsed = search.page_documents(page, "html/01.html")
    assert [(d["kind"], d["title"], d["text"]) for d in parsed] == [
        ("section", "一、培育现状", "共12,950家")
    ]

    def refuse(*args):
        raise AssertionError("parsed again")

    monkeypatch.setattr(search, "page_documents_of", refuse)
    assert search.page_documents(page, "html/01.html") == parsed  # unchanged: read back
    page.write_text(PAGE.replace("12,950", "12,951"), encoding="utf-8")
    with pytest.raises(AssertionError, match="parsed again"):
        search.page_documents(page, "html/01.html")
    page.write_text(PAGE, encoding="utf-8")
    with pytest.raises(AssertionError, match="parsed again"):  # the same page elsewhere
        search.page_documents(page, "profiles/01.html")


def test_a_pages_characters_are_parsed_only_when_it_changed(cache, monkeypatch):
    assert webfont.page_characters(PAGE) == set("一、培育现状共12,950家")  # not the style
    monkeypatch.setitem(sys.modules, "helpers.report.html", None)  # would raise on import
    assert webfont.page_characters(PAGE) == set("一、培育现状共12,950家")
    with pytest.raises(ImportError):
        webfont.page_characters(PAGE + "<p>新</p>")


def test_the_published_datas_cut_off_is_its_latest_full_date(tmp_path):
    entry = (
        "  {name}: {{file: {name}.csv, title: t, population: p, as_of: '{as_of}', columns: {{}}}}\n"
    )
    for number, dates in enumerate((["2023-07-31", "2025"], ["2023-06-30", "2024"])):
        (tmp_path / f"catalog_00{number}.yml").write_text(
            "tables:\n"
            + "".join(entry.format(name=f"t{number}_{i}", as_of=d) for i, d in enumerate(dates)),
            encoding="utf-8",
        )
    # a year alone (2025) is not a full date: the cut-off is 2023-07-31
    assert latest_as_of(tmp_path) == "2023-07-31"


def test_a_file_is_made_once_then_copied(cache, tmp_path, monkeypatch):
    made = []

    def make(path):
        made.append(path)
        path.write_bytes(b"%PDF-1.7 one")

    first, second = tmp_path / "a.pdf", tmp_path / "b.pdf"
    assert content_cache.cached_file("pdf", "k", make, first) is False
    assert content_cache.cached_file("pdf", "k", make, second) is True
    assert first.read_bytes() == second.read_bytes() == b"%PDF-1.7 one" and len(made) == 1
    assert [p.name for p in (cache / "pdf").iterdir()] == ["k.pdf"]

    def refuse(*args):
        raise PermissionError("read-only")

    monkeypatch.setattr(content_cache.os, "replace", refuse)
    third = tmp_path / "c.pdf"
    assert content_cache.cached_file("pdf", "other", make, third) is False
    assert third.read_bytes() == b"%PDF-1.7 one" and made[-1] == third  # made in place
    assert [p.name for p in (cache / "pdf").iterdir()] == ["k.pdf"]


def test_a_kind_keeps_its_most_recently_used_entries(cache, monkeypatch):
    monkeypatch.setattr(content_cache, "KEEP", 2)
    for key in ("a", "b"):
        cached_json("kind", key, lambda: 1)
    os.utime(cache / "kind" / "a.json", ns=(1, 1))
    os.utime(cache / "kind" / "b.json", ns=(2, 2))
    cached_json("kind", "a", lambda: 1)  # used: now the newest
    cached_json("kind", "c", lambda: 1)  # a third entry: the least recently used (b) goes
    assert sorted(p.name for p in (cache / "kind").iterdir()) == ["a.json", "c.json"]
