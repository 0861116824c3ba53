"""The HTML editions as a reader's browser sees them: a real headless Chromium (Debian's
`chromium`; `.ci/run` installs it when missing) opens every page reachable from
reports/index.html over HTTP — each edition's own index.html, its book, chapters, profiles and
downloads — and checks that every image loads and has alt text, every internal link (pages,
downloads, #anchors) resolves, and the console shows no errors.

`SITE_REPORTS=reports pytest tests/test_site_browser.py` checks an already built reports/
folder instead of building the editions."""

from __future__ import annotations

import functools
import http.server
import json
import os
import shutil
import threading
import urllib.parse
import urllib.request
from collections import deque
from pathlib import Path

import pytest

pytestmark = pytest.mark.build

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
MAX_PAGES = 400  # every edition, chapter, book and the tests' few profiles fit well within

BROKEN_IMAGES = """() => Array.from(document.images)
    .filter(i => !(i.complete && i.naturalWidth > 0)).map(i => i.currentSrc || i.src)"""
MISSING_ALT = """() => Array.from(document.images)
    .filter(i => !i.alt || i.alt.startsWith('No description')).map(i => i.src.slice(0, 80))"""
LINKS = "els => els.map(e => e.href)"
IDS = "() => Array.from(document.querySelectorAll('[id], a[name]')).map(e => e.id || e.name)"


class QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, *args):  # keep the test output readable
        pass


@pytest.fixture(scope="module")
def reports(request) -> Path:
    if os.environ.get("SITE_REPORTS"):
        return Path(os.environ["SITE_REPORTS"]).resolve()
    editions = request.getfixturevalue("editions")
    folder = editions("data/published", "zh")
    editions("data/sample", "en")  # a synthetic edition in the same reports/ folder
    return folder


@pytest.fixture(scope="module")
def site(reports):
    handler = functools.partial(QuietHandler, directory=str(reports))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}"
    server.shutdown()


def _status(url: str) -> int:
    request = urllib.request.Request(url, method="HEAD")
    try:
        with urllib.request.urlopen(request) as response:
            return response.status
    except urllib.error.HTTPError as error:
        return error.code


def crawl(base: str) -> dict[str, list[str]]:
    """Problems by kind, from a breadth-first walk over the site's pages."""
    from playwright.sync_api import sync_playwright

    problems: dict[str, list[str]] = {
        "console": [],
        "images": [],
        "alt": [],
        "links": [],
        "anchors": [],
    }
    pages_ids: dict[str, set[str]] = {}
    anchors: list[tuple[str, str, str]] = []  # (from page, target page, fragment)
    files_checked: dict[str, int] = {}
    queue, seen = deque([f"{base}/index.html"]), {f"{base}/index.html"}
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=["--no-sandbox"])
        page = browser.new_page()
        current = {"url": ""}
        page.on(
            "console",
            lambda m: (
                m.type == "error" and problems["console"].append(f"{current['url']}: {m.text}")
            ),
        )
        page.on("pageerror", lambda e: problems["console"].append(f"{current['url']}: {e}"))
        page.on(
            "response",
            lambda r: (
                r.status >= 400
                and problems["links"].append(f"{current['url']}: {r.url} → HTTP {r.status}")
            ),
        )
        while queue and len(pages_ids) < MAX_PAGES:
            url = queue.popleft()
            current["url"] = url.removeprefix(base)
            page.goto(url, wait_until="load")
            pages_ids[url] = set(page.evaluate(IDS))
            problems["images"] += [
                f"{current['url']}: {s[:80]}" for s in page.evaluate(BROKEN_IMAGES)
            ]
            problems["alt"] += [f"{current['url']}: {s}" for s in page.evaluate(MISSING_ALT)]
            for href in page.eval_on_selector_all("a[href]", LINKS):
                if not href.startswith(base):
                    continue  # external links are the reader's business
                target, _, fragment = href.partition("#")
                if fragment:
                    anchors.append((url, target, urllib.parse.unquote(fragment)))
                if target.endswith(".html") or target.endswith("/"):
                    if target not in seen:
                        seen.add(target)
                        queue.append(target)
                elif target not in files_checked:
                    files_checked[target] = _status(target)
                    if files_checked[target] != 200:
                        problems["links"].append(
                            f"{current['url']}: {target} → HTTP {files_checked[target]}"
                        )
        browser.close()
    for source, target, fragment in anchors:
        if target in pages_ids and fragment not in pages_ids[target]:
            problems["anchors"].append(f"{source.removeprefix(base)} → {target}#{fragment}")
    problems["pages"] = sorted(url.removeprefix(base) for url in pages_ids)
    return problems


@pytest.mark.skipif(CHROMIUM is None, reason="needs Debian's chromium (.ci/run installs it)")
def test_every_page_loads_cleanly_in_a_real_browser(site, reports):
    problems = crawl(site)
    pages = problems.pop("pages")
    assert len(pages) >= 10  # the index, both editions' pages, books and profiles
    assert problems == {kind: [] for kind in problems}
    # Every edition's own index was reached from reports/index.html, and from it every
    # chapter, the book and (when built) the profiles' index.
    for record in sorted(reports.glob("*/edition.json")):
        edition = json.loads(record.read_text(encoding="utf-8"))
        folder = f"/{edition['edition']}"
        assert f"{folder}/index.html" in pages
        assert f"{folder}/html/report.html" in pages
        for chapter in edition["chapters"]:
            assert f"{folder}/html/{chapter['id']}.html" in pages
        if (record.parent / "profiles" / "index.html").exists():
            assert f"{folder}/profiles/index.html" in pages
