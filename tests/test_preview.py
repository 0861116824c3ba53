"""`make preview` (issue 23, item 2) without a long-running server: the served pages carry the
reload script, the build's number changes after one rebuild cycle (which a page reloads on), a
save is seen by the watcher, and an HTML-only document gets its PDF later from its page alone."""

from __future__ import annotations

import subprocess
import sys
import threading
import time
import urllib.request
from pathlib import Path

import pytest

from helpers.workflow import preview

REPO = Path(__file__).resolve().parents[1]


@pytest.fixture
def served(tmp_path):
    (tmp_path / "html").mkdir()
    (tmp_path / "html" / "01.html").write_text(
        "<html><body><p>一</p></body></html>", encoding="utf-8"
    )
    (tmp_path / "index.html").write_text("<html><body>index</body></html>", encoding="utf-8")
    (tmp_path / "figure.svg").write_text("<svg/>", encoding="utf-8")
    marker = tmp_path / "cycles"
    # one rebuild cycle: a stand-in for `make preview-steps` that rewrites the page
    command = [
        sys.executable,
        "-c",
        f"import pathlib; p = pathlib.Path({str(tmp_path / 'html' / '01.html')!r}); "
        "p.write_text(p.read_text(encoding='utf-8').replace('一', '二'), encoding='utf-8'); "
        f"m = pathlib.Path({str(marker)!r}); m.write_text(m.read_text() + 'x' if m.exists() else 'x')",
    ]
    build = preview.Build(command, say=lambda line: None)
    server = preview.serve(tmp_path, build, 0)
    yield tmp_path, build, f"http://127.0.0.1:{server.server_address[1]}"
    server.shutdown()


def get(url: str) -> str:
    with urllib.request.urlopen(url, timeout=10) as response:
        return response.read().decode("utf-8")


def test_pages_are_served_with_the_reload_script_and_reload_after_a_rebuild(served):
    folder, build, url = served
    page = get(f"{url}/html/01.html")
    assert "<p>一</p>" in page and "data-preview-reload" in page
    assert page.index("data-preview-reload") < page.index("</body>")
    assert "data-preview-reload" in get(f"{url}/")  # the folder's index.html
    assert "data-preview-reload" not in get(f"{url}/figure.svg")  # only pages
    before = get(f"{url}{preview.VERSION_PATH}")
    assert build.run()
    assert get(f"{url}{preview.VERSION_PATH}") != before  # the open page reloads
    assert "<p>二</p>" in get(f"{url}/html/01.html")
    assert (folder / "cycles").read_text() == "x"


def test_a_failed_cycle_keeps_serving_the_last_pages(served):
    _, build, url = served
    build.command = [sys.executable, "-c", "raise SystemExit(2)"]
    assert not build.run() and not build.ok
    assert "<p>一</p>" in get(f"{url}/html/01.html")


def test_the_watcher_sees_a_save_and_not_a_checkpoint(tmp_path):
    (tmp_path / "notebook.ipynb").write_text("{}", encoding="utf-8")
    seen = []
    watcher = preview.changes([tmp_path], interval=0.05)

    def first():
        seen.append(next(watcher))

    thread = threading.Thread(target=first, daemon=True)
    thread.start()
    time.sleep(0.3)  # watching
    (tmp_path / ".ipynb_checkpoints").mkdir()
    (tmp_path / ".ipynb_checkpoints" / "notebook-checkpoint.ipynb").write_text("{}", "utf-8")
    (tmp_path / "notebook.ipynb").write_text('{"cells": []}', encoding="utf-8")
    thread.join(timeout=20)
    assert seen and {Path(p).name for p in seen[0]} == {"notebook.ipynb"}


def test_the_child_make_keeps_the_command_lines_variables_not_the_jobserver():
    flags = "rs -j2 --jobserver-auth=fifo:/tmp/x -- BUILD=/tmp/b REGIONS=none"
    assert preview.child_makeflags(flags) == "rs -- BUILD=/tmp/b REGIONS=none"
    assert preview.child_makeflags("") == ""


def test_make_preview_steps_build_html_only_unless_pdf_is_asked():
    def dry(*variables):
        return subprocess.run(
            ["make", "-n", "--no-print-directory", "preview-steps", *variables],
            capture_output=True,
            text=True,
            cwd=REPO,
            check=True,
        ).stdout

    steps = dry()
    assert "documents --chapters all --book --html-only" in steps
    assert "helpers.workflow.book --html-only" in steps and "publish" not in steps
    assert "--html-only" not in dry("PREVIEW_PDF=1")


def test_a_page_built_html_only_gets_its_pdf_from_the_page_without_running_again(
    tmp_path, monkeypatch
):
    from helpers.report import pdf as pdf_module
    from helpers.workflow import batch

    staging = tmp_path / "build" / "zh" / "reports"
    document = batch.Document(
        name="01_x",
        notebook=tmp_path / "01_x.ipynb",
        parameters={},
        html=staging / "html" / "01_x.html",
        pdf=staging / "pdf" / "01_x.pdf",
        executed=tmp_path / "build" / "zh" / "executed" / "01_x.ipynb",
        fingerprint="f1",
        language="zh",
        marker=tmp_path / "build" / "zh" / "done" / "01_x.sha256",
        build=tmp_path / "build",
        edition="zh",
        with_pdf=False,
    )
    ran, rendered = [], []
    monkeypatch.setattr(batch, "render_notebook", lambda *a, **k: ran.append(a) or {})
    monkeypatch.setattr(
        pdf_module,
        "render_pdf",
        lambda page, base, target, characters=None, pages=None: rendered.append(page),
    )
    document.html.parent.mkdir(parents=True)
    document.html.write_text("<p>page</p>", encoding="utf-8")
    document.marker.parent.mkdir(parents=True)
    document.marker.write_text("f1")
    assert document.up_to_date()  # HTML-only: the page is all it needs
    with_pdf = batch.Document(**{**document.__dict__, "with_pdf": True})
    assert not with_pdf.up_to_date()
    status, _ = batch.render(with_pdf)
    assert status == "built" and ran == [] and rendered == ["<p>page</p>"]
    stale = batch.Document(**{**document.__dict__, "fingerprint": "f2"})
    with_pdf.pdf.parent.mkdir(parents=True)
    with_pdf.pdf.write_bytes(b"%PDF of f1")
    batch.render(stale)  # other inputs: executed again, HTML-only, and the old PDF goes
    assert len(ran) == 1 and not stale.pdf.exists()
