"""The build graph in notebooks/pipeline.yml (the book's chapters, in order, and what each
reads), the content fingerprints built on it, and publishing editions side by side (with
stand-in chapter files, no kernels: the end-to-end build is tests/test_build.py)."""

import argparse
import json
import os
import re
import shutil
import subprocess
import threading
import time
from pathlib import Path

import pytest

from helpers import pipeline
from helpers.workflow import editions, fingerprint, steps

REPO = Path(__file__).parents[1]
NOTEBOOKS = sorted((REPO / "notebooks").glob("[0-9][0-9]_*.ipynb"))
TABLE_CALL = re.compile(r'ch\.(?:table|optional_table|published_table)\("([a-z0-9_]+)"\)')


def test_every_notebook_is_declared_and_every_declaration_has_a_notebook():
    assert {nb.stem for nb in NOTEBOOKS} == set(pipeline.chapters())
    assert all(pipeline.notebook_path(c).exists() for c in pipeline.chapters())


def test_the_book_order_is_the_order_of_pipeline_yml():
    assert pipeline.chapters() == list(pipeline.declarations())
    assert pipeline.chapters()[0] == "01_cultivation"
    assert pipeline.chapters()[-1] == "99_reconciliation"


def test_the_makefile_reads_the_chapter_list_from_pipeline_yml():
    result = subprocess.run(
        ["make", "--no-print-directory", "list-chapters"],
        cwd=REPO,
        capture_output=True,
        text=True,
        check=True,
    )
    assert result.stdout.split() == pipeline.chapters()


def test_make_help_needs_no_venv():
    result = subprocess.run(
        ["make", "--no-print-directory", "help", "VENV=/nonexistent"],
        cwd=REPO,
        capture_output=True,
        text=True,
        check=True,
    )
    assert "report:" in result.stdout and "tables:" in result.stdout


def test_an_undeclared_chapter_is_named():
    with pytest.raises(KeyError, match="not a chapter"):
        pipeline.notebook_path("03_nope")


@pytest.mark.parametrize("notebook", NOTEBOOKS, ids=lambda p: p.stem)
def test_every_table_a_notebook_reads_is_declared(notebook):
    source = "".join(
        "".join(cell["source"])
        for cell in json.loads(notebook.read_text(encoding="utf-8"))["cells"]
    )
    declared = pipeline.declared_tables(notebook.stem)
    if declared != pipeline.ALL:
        assert set(TABLE_CALL.findall(source)) <= set(declared)


def test_an_undeclared_read_is_refused_with_a_fix():
    with pytest.raises(KeyError, match=r"does not declare.*add it there"):
        pipeline.check_declared("01_cultivation", "firms_by_city")
    pipeline.check_declared("01_cultivation", "cultivation_batches")
    pipeline.check_declared("99_reconciliation", "anything")  # tables: all


@pytest.fixture
def published_copy(tmp_path, monkeypatch):
    copy = tmp_path / "published"
    shutil.copytree(REPO / "data" / "published", copy)
    monkeypatch.setattr(fingerprint, "PUBLISHED_DIR", copy)
    return copy


def fingerprint_01(published_copy, **parameters):
    notebook = REPO / "notebooks" / "01_cultivation.ipynb"
    return fingerprint.fingerprint(notebook, published_copy, {"language": "zh", **parameters})


def test_fingerprint_follows_declared_content_not_file_times(published_copy):
    before = fingerprint_01(published_copy)
    declared = published_copy / "001_a_share_boards.csv"
    os.utime(declared, (0, 0))  # a new time, same content
    assert fingerprint_01(published_copy) == before
    undeclared = published_copy / "001_firms_by_city.csv"
    undeclared.write_text(undeclared.read_text(encoding="utf-8") + "\n", encoding="utf-8")
    assert fingerprint_01(published_copy) == before
    declared.write_text(
        declared.read_text(encoding="utf-8").replace("3182", "3183"), encoding="utf-8"
    )
    assert fingerprint_01(published_copy) != before


def test_fingerprint_follows_parameters(published_copy):
    assert fingerprint_01(published_copy) != fingerprint_01(published_copy, language="en")


def test_firm_level_fingerprint_covers_the_data_folder(tmp_path):
    folder = tmp_path / "firms"
    folder.mkdir()
    (folder / "firms.csv").write_text("firm_id\nA\n", encoding="utf-8")
    notebook = REPO / "notebooks" / "01_cultivation.ipynb"
    before = fingerprint.fingerprint(notebook, folder, {})
    (folder / "patents.csv").write_text("firm_id,year\nA,2022\n", encoding="utf-8")
    assert fingerprint.fingerprint(notebook, folder, {}) != before


# Publishing editions, with stand-in chapter outputs (blank PDFs) so no kernel runs.


@pytest.fixture
def stable_fingerprints(monkeypatch):
    """Fingerprint the notebook name and parameters only, so that someone editing helpers/
    while these tests run (the real fingerprint's job to notice) does not fail them."""
    monkeypatch.setattr(
        fingerprint,
        "fingerprint",
        lambda notebook, data_dir, parameters: f"{notebook.name} {data_dir} {parameters}",
    )


def stage_edition(tmp: Path, data_dir: str = "data/published", language: str = "zh", mark=""):
    """A staging folder as the chapter steps leave it, with markers for the current inputs."""
    from pypdf import PdfWriter

    args = argparse.Namespace(
        build=str(tmp / "build"), data_dir=data_dir, language=language, cutoff="2023-07-31"
    )
    edition = steps.Edition(args)
    staging = edition.staging
    for part in ("html", "pdf", "figures", "tables", "statistics"):
        (staging / part).mkdir(parents=True, exist_ok=True)
    for chapter in pipeline.chapters():
        title = f"{chapter} <{language}>{mark}"
        (staging / "html" / f"{chapter}.html").write_text(
            f"<html><head><title>{title}</title></head></html>", encoding="utf-8"
        )
        writer = PdfWriter()
        writer.add_blank_page(width=100, height=100)
        with (staging / "pdf" / f"{chapter}.pdf").open("wb") as handle:
            writer.write(handle)
        (staging / "figures" / f"{chapter}_fig1_1.png").write_bytes(b"png" + mark.encode())
        (staging / "tables" / f"{chapter}_reconciliation.csv").write_text(
            "source,item,stated,recomputed,difference,status,data_source\n"
            "001,x,1,1,0,ok,published\n",
            encoding="utf-8-sig",
        )
        (staging / "statistics" / f"{chapter}.csv").write_text(
            f"key,value,unit,label,source,notebook\n{chapter}.n,1{mark},家,n,001,{chapter}\n",
            encoding="utf-8",
        )
        marker = edition.marker(chapter)
        marker.parent.mkdir(parents=True, exist_ok=True)
        marker.write_text(
            fingerprint.fingerprint(
                pipeline.notebook_path(chapter),
                edition.checked["data_path"],
                edition.chapter_parameters(chapter),
            )
        )
    (staging / "figures" / "00_gone_fig1_1.png").write_bytes(b"a deleted notebook's figure")
    # The combined report as `make book` leaves it (publish refuses a stale or missing one).
    from helpers.workflow import book

    (staging / "html" / "report.html").write_text(f"<html>book{mark}</html>", encoding="utf-8")
    with (staging / "pdf" / "report.pdf").open("wb") as handle:
        writer = PdfWriter()
        writer.add_blank_page(width=100, height=100)
        writer.write(handle)
    chapters = pipeline.chapters()
    current = book.book_fingerprint(edition, chapters, "test")
    edition.marker(book.MARKER).write_text(f"{current}\ntest\n")
    from helpers.workflow.batch import chapter_pages

    for chapter in chapters:  # the chapters' pages the book's PDF was assembled from
        chapter_pages(edition, chapter).parent.mkdir(parents=True, exist_ok=True)
        chapter_pages(edition, chapter).write_bytes((staging / "pdf" / "report.pdf").read_bytes())
    book.pdf_marker(edition).write_text(book.pdf_fingerprint(edition, chapters, current))
    return args


def publish(tmp: Path, args) -> None:
    steps.main(
        [
            "publish",
            "--build",
            args.build,
            "--data-dir",
            args.data_dir,
            "--language",
            args.language,
            "--cutoff",
            args.cutoff,
            "--reports",
            str(tmp / "reports"),
        ]
    )


def test_editions_are_published_side_by_side_and_listed_in_the_index(tmp_path, stable_fingerprints):
    reports = tmp_path / "reports"
    (reports / "html").mkdir(parents=True)  # the single-edition layout's leftovers
    (reports / "statistics.csv").write_text("old", encoding="utf-8")
    publish(tmp_path, stage_edition(tmp_path, language="en"))
    publish(tmp_path, stage_edition(tmp_path, language="zh"))
    publish(tmp_path, stage_edition(tmp_path, data_dir="data/sample", language="zh"))
    assert sorted(p.name for p in reports.iterdir()) == [
        "README.md",
        "en",
        "fonts",  # the index's own font subset
        "index.html",
        "sample-zh",
        "zh",
    ]
    for edition in ("zh", "en", "sample-zh"):
        folder = reports / edition
        assert (folder / "html" / "01_cultivation.html").exists()
        assert (folder / "pdf" / "report.pdf").exists()
        assert not (folder / "figures" / "00_gone_fig1_1.png").exists()  # current chapters only
    record = json.loads((reports / "sample-zh" / "edition.json").read_text(encoding="utf-8"))
    assert record["edition"] == "sample-zh" and record["synthetic"] is True
    assert record["data_dir"] == "data/sample" and record["language"] == "zh"
    assert [c["id"] for c in record["chapters"]] == pipeline.chapters()
    assert record["chapters"][0]["title"] == "01_cultivation <zh>"
    index = (reports / "index.html").read_text(encoding="utf-8")
    # Book order inside an edition; zh, en, then the sample; words in both languages.
    assert index.index('href="zh/html/01_cultivation.html"') < index.index(
        'href="zh/html/02_innovation.html"'
    )
    assert index.index('id="edition-zh"') < index.index('id="edition-en"')
    assert index.index('id="edition-en"') < index.index('id="edition-sample-zh"')
    for edition in ("zh", "en", "sample-zh"):
        for link in ("pdf/report.pdf", "statistics.csv", "tables/reconciliation.csv"):
            assert f'href="{edition}/{link}"' in index
    assert index.count("示例数据 (synthetic sample)") == 1  # only the sample is marked
    # each data source by its title in both languages, never its path
    assert "示例数据（合成） (sample data (synthetic))" in index
    assert "公开报告数据 (published report data)" in index
    assert "data/sample" not in index and "data/published" not in index
    assert "01_cultivation &lt;zh&gt;" in index  # titles escaped
    assert "中文版 (Chinese edition)" in index and "英文版 (English edition)" in index


def test_republishing_replaces_only_that_edition_and_the_index_is_deterministic(
    tmp_path, stable_fingerprints
):
    reports = tmp_path / "reports"
    publish(tmp_path, stage_edition(tmp_path, language="en"))
    publish(tmp_path, stage_edition(tmp_path, language="zh"))
    english = {p: p.read_bytes() for p in (reports / "en").rglob("*") if p.is_file()}
    index = (reports / "index.html").read_bytes()
    publish(tmp_path, stage_edition(tmp_path, language="zh", mark="2"))
    assert {p: p.read_bytes() for p in (reports / "en").rglob("*") if p.is_file()} == english
    assert (reports / "zh" / "figures" / "01_cultivation_fig1_1.png").read_bytes() == b"png2"
    assert not list(reports.glob("*.new")) and not list(reports.glob("*.old"))
    assert (reports / "index.html").read_bytes() != index  # the zh titles changed
    before = (reports / "index.html").read_bytes()
    editions.write_index(reports)
    assert (reports / "index.html").read_bytes() == before


def test_publish_refuses_chapters_built_from_other_inputs(tmp_path, stable_fingerprints):
    args = stage_edition(tmp_path)
    marker = tmp_path / "build" / "zh" / "done" / "02_innovation.sha256"
    marker.write_text("built from an older notebook", encoding="utf-8")
    with pytest.raises(
        SystemExit, match=r"not built from the current inputs.*02_innovation: its inputs changed"
    ):
        publish(tmp_path, args)
    assert not (tmp_path / "reports" / "zh").exists()


def test_an_interrupted_swap_keeps_the_last_good_edition(tmp_path, stable_fingerprints):
    reports = tmp_path / "reports"
    publish(tmp_path, stage_edition(tmp_path))
    (reports / "zh").rename(reports / "zh.old")  # as if killed between the two renames
    (reports / "zh.new").mkdir()
    editions.write_index(reports)
    assert 'id="edition-zh"' not in (reports / "index.html").read_text(encoding="utf-8")
    publish(tmp_path, stage_edition(tmp_path, mark="3"))
    assert sorted(p.name for p in reports.iterdir()) == ["README.md", "fonts", "index.html", "zh"]


def test_a_second_build_waits_for_the_lock(tmp_path, capsys):
    order = []

    def hold():
        with editions.edition_lock(tmp_path, "zh"):
            order.append("first in")
            time.sleep(0.5)
            order.append("first out")

    thread = threading.Thread(target=hold)
    thread.start()
    time.sleep(0.1)
    with editions.edition_lock(tmp_path, "zh"):
        order.append("second in")
    thread.join()
    assert order == ["first in", "first out", "second in"]
    assert "waiting for another build" in capsys.readouterr().out
    # Chapter steps of one build share the edition's lock.
    with (
        editions.edition_lock(tmp_path, "zh", shared=True),
        editions.edition_lock(tmp_path, "zh", shared=True),
    ):
        pass
