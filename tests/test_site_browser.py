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

pytestmark = [pytest.mark.build, pytest.mark.edition]  # two shared editions in a browser

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


# The search box and the cross-links, from file:// as a reader opens a copied folder: no server,
# no network (helpers.workflow.search, templates/search.js, helpers.report.html.link_page).
HITS = "() => Array.from(document.querySelectorAll('ol.site-search-results a')).map(a => a.href)"
SEARCHED = "() => document.querySelector('#site-search-status').textContent !== ''"
IN_VIEW = """id => { const r = document.getElementById(id).getBoundingClientRect();
    return r.top >= -1 && r.top < window.innerHeight; }"""


def search(page, query: str) -> list[str]:
    """Type `query` into the page's search box; the hits' links."""
    page.fill("#site-search-input", "")
    page.fill("#site-search-input", query)
    page.press("#site-search-input", "Enter")
    page.wait_for_function(SEARCHED)
    return page.evaluate(HITS)


def title_words(page, anchor: str, language: str) -> str:
    """A figure's or table's title as a reader would type it, without its number."""
    return page.text_content(f"#{anchor}").split(" ", 2 if language == "en" else 1)[-1].strip()


@pytest.fixture(scope="module")
def browser_page():
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=["--no-sandbox"])
        page = browser.new_page()
        page.errors = []
        page.on("pageerror", lambda error: page.errors.append(str(error)))
        page.on("console", lambda m: m.type == "error" and page.errors.append(m.text))
        yield page
        browser.close()


@pytest.mark.skipif(CHROMIUM is None, reason="needs Debian's chromium (.ci/run installs it)")
@pytest.mark.parametrize("edition", ["zh", "sample-en"])
def test_search_from_a_file_finds_figures_tables_text_and_profiles(reports, browser_page, edition):
    page, folder = browser_page, reports / edition
    language = "en" if edition.endswith("en") else "zh"
    chapter = folder / "html" / "03_regions.html"
    page.goto(chapter.as_uri())
    assert page.is_visible("form.site-search")  # shown once MiniSearch and the index loaded
    # a figure and a table by words of their titles: the hit leads to its page and anchor
    figure = title_words(page, "figure-3-2", language)
    assert f"{chapter.as_uri()}#figure-3-2" in search(page, figure)
    page.goto((folder / "html" / "01_cultivation.html").as_uri())
    table = title_words(page, "table-1-1", language)
    first = folder / "html" / "01_cultivation.html"
    assert f"{first.as_uri()}#table-1-1" in search(page, table)
    # the book's own front matter, from the edition's index one folder up
    page.goto((folder / "index.html").as_uri())
    findings = (folder / "html" / "report.html").as_uri() + "#findings"
    assert findings in search(page, "主要发现" if language == "zh" else "Key findings")
    # a profile, by its region's name
    page.goto((folder / "profiles" / "beijing.html").as_uri())
    region = page.text_content("h1").strip()
    assert (folder / "profiles" / "beijing.html").as_uri() + "#beijing" in search(page, region)
    # a hit is a link: following it shows the figure
    page.goto(chapter.as_uri())
    search(page, figure)
    page.click("ol.site-search-results a[href$='#figure-3-2']")
    page.wait_for_url("**#figure-3-2")
    assert page.evaluate(IN_VIEW, "figure-3-2")
    assert page.text_content("#site-search-status")  # says how many
    nothing = search(page, "qqqxyzzy")
    assert nothing == [] and page.text_content("#site-search-status").strip()
    assert page.errors == []


@pytest.mark.skipif(CHROMIUM is None, reason="needs Debian's chromium (.ci/run installs it)")
def test_a_figure_number_in_the_text_jumps_to_the_figure(reports, browser_page):
    page = browser_page
    chapter = reports / "zh" / "html" / "01_cultivation.html"
    page.goto(chapter.as_uri())
    links = page.eval_on_selector_all("main a.crossref", "els => els.map(e => e.hash)")
    assert "#figure-1-1" in links  # the number under the figure, in its source line
    page.evaluate("() => window.scrollTo(0, document.body.scrollHeight)")
    page.click("main a.crossref[href='#figure-1-2']")
    assert page.evaluate(IN_VIEW, "figure-1-2")
    # the book: a chapter page's link to another chapter's figure stays within the book
    page.goto((reports / "zh" / "html" / "report.html").as_uri())
    hrefs = page.eval_on_selector_all(
        "main a.crossref", "els => els.map(e => e.getAttribute('href'))"
    )
    assert hrefs and all(href.startswith("#") for href in hrefs)
    # every figure and table offers its data beside it
    assert page.locator("main p.downloads a[href$='.csv']").count() > 10
    assert page.locator("main p.downloads a[href$='.xlsx']").count() > 10


# axe-core's WCAG 2.1 A and AA rules, and the landmark rules of its best practices: every piece
# of a page in a landmark (header, nav, main, search), one main.
WCAG = {"runOnly": {"type": "tag", "values": ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]}}
LANDMARKS = {
    "runOnly": {
        "type": "rule",
        "values": [
            "region",
            "landmark-one-main",
            "landmark-no-duplicate-main",
            "landmark-no-duplicate-banner",
            "landmark-unique",
            "landmark-main-is-top-level",
            "landmark-banner-is-top-level",
        ],
    }
}


@pytest.mark.skipif(CHROMIUM is None, reason="needs Debian's chromium (.ci/run installs it)")
def test_pages_have_no_axe_violations(reports, browser_page):
    from axe_playwright_python.sync_playwright import Axe

    axe, page = Axe(), browser_page
    pages = [reports / "index.html"]
    for edition in ("zh", "sample-en"):
        folder = reports / edition
        pages += [folder / "index.html", folder / "html" / "01_cultivation.html"]
        pages += [folder / "html" / "report.html", folder / "profiles" / "index.html"]
        pages += [folder / "profiles" / "beijing.html"]
    found = {}
    for path in pages:
        page.goto(path.as_uri())
        if page.is_visible("form.site-search"):  # with the hits of a search shown
            search(page, "北京" if "sample-en" not in str(path) else "Beijing")
        for options in (WCAG, LANDMARKS):
            violations = axe.run(page, options=options).response["violations"]
            for violation in violations:
                targets = [node["target"] for node in violation["nodes"]][:3]
                found.setdefault(str(path.relative_to(reports)), []).append(
                    f"{violation['id']}: {targets}"
                )
    assert found == {}
