"""End-to-end: `make report` builds every chapter to HTML and PDF in reports/<edition>/;
editions sit side by side; a failed build leaves the previous reports untouched; the same inputs
give byte-identical outputs."""

import json
import shutil
import subprocess
from pathlib import Path

import pytest
from pypdf import PdfReader

from helpers import pipeline
from tests.conftest import assert_same_outputs, make_report

REPO = Path(__file__).parents[1]
pytestmark = pytest.mark.build


@pytest.fixture(scope="session")
def built(editions):
    return editions("data/published", "zh")


def read_files(folder: Path) -> dict[Path, bytes]:
    return {p.relative_to(folder): p.read_bytes() for p in folder.rglob("*") if p.is_file()}


def pdf_pages(data: bytes) -> int:
    import io

    return len(PdfReader(io.BytesIO(data)).pages)


def pdf_text(path: Path) -> str:
    return "".join(page.extract_text() for page in PdfReader(path).pages)


def test_html_has_the_chinese_title_and_recomputed_figures_without_code(built):
    root = built
    reports = root / "zh"
    html = (reports / "html" / "01_cultivation.html").read_text(encoding="utf-8")
    assert "<title>一、专精特新“小巨人”企业的培育现状</title>" in html
    assert "49.8%" in html  # 科创板: 274/550 recomputed
    assert "12,192" in html
    assert "ch.record(" not in html and "import pandas" not in html  # code hidden
    assert 'src="data:image/png;base64,' in html  # figures embedded


def test_pdf_has_real_chinese_text_and_embeds_the_cjk_font(built):
    root = built
    reports = root / "zh"
    pdf = reports / "pdf" / "01_cultivation.pdf"
    text = pdf_text(pdf)
    assert "专精特新“小巨人”企业的培育现状" in text.replace("\n", "")
    assert "49.8%" in text
    fonts = set()
    for page in PdfReader(pdf).pages:
        for font in page["/Resources"]["/Font"].values():
            font = font.get_object()
            fonts.add(str(font["/BaseFont"]))
            for descendant in font.get("/DescendantFonts", []):
                descriptor = descendant.get_object()["/FontDescriptor"].get_object()
                assert any(key in descriptor for key in ("/FontFile", "/FontFile2", "/FontFile3"))
    # Only the packaged font (regular and WeasyPrint's synthetic bold), never a system font.
    assert fonts and all("Noto-Sans-SC" in name for name in fonts), fonts


def test_outputs_are_all_there(built):
    root = built
    assert {"README.md", "index.html", "zh"} <= {p.name for p in root.iterdir()}
    reports = root / "zh"
    whole = PdfReader(reports / "pdf" / "report.pdf")
    chapters = [PdfReader(p) for p in sorted((reports / "pdf").glob("[0-9][0-9]_*.pdf"))]
    assert len(whole.pages) > sum(len(c.pages) for c in chapters)  # + cover and front matter
    outline = [item.title for item in whole.outline if not isinstance(item, list)]
    assert outline[:3] == ["目录", "主要发现", "研究方法与口径"]
    assert outline[3] == "一、专精特新“小巨人”企业的培育现状"
    assert (reports / "html" / "report.html").exists()
    index = (root / "index.html").read_text(encoding="utf-8")
    assert 'href="zh/html/01_cultivation.html"' in index and 'href="zh/pdf/report.pdf"' in index
    # the data source by its title, never its path
    assert 'href="zh/statistics.csv"' in index and "公开报告数据" in index
    assert "data/published" not in index
    assert (reports / "profiles" / "beijing.html").exists()
    assert (reports / "profiles" / "beijing.pdf").exists()
    assert 'href="beijing.html"' in (reports / "profiles" / "index.html").read_text(
        encoding="utf-8"
    )
    edition = json.loads((reports / "edition.json").read_text(encoding="utf-8"))
    assert edition["edition"] == "zh" and edition["synthetic"] is False
    assert [c["id"] for c in edition["chapters"]] == pipeline.chapters()  # the book's order
    for part, suffix in [
        ("html", ".html"),
        ("pdf", ".pdf"),
        ("figures", ".png"),
        ("figures", ".svg"),
        ("tables", ".csv"),
        ("tables", ".xlsx"),
    ]:
        assert list((reports / part).glob(f"01_cultivation*{suffix}")), (part, suffix)
    # headers in the edition's language, UTF-8 with BOM (tests/test_tables_excel.py)
    statistics = (reports / "statistics.csv").read_text(encoding="utf-8-sig").splitlines()
    assert statistics[0] == "键,数值,单位,说明,来源,章节"
    reconciliation = (reports / "tables" / "reconciliation.csv").read_text(encoding="utf-8-sig")
    assert reconciliation.startswith("来源,项目,公开值,重新计算值,差异,结论,")
    # 1543/12192 = 0.12656 is published as 12.6%: a finding listed first, not hidden.
    assert reconciliation.splitlines()[1].split(",")[1] == "其他领域 占比"
    shares = [line.split(",") for line in statistics if "boards.little_giant_share." in line]
    assert any(cells[1].startswith("0.4981818") for cells in shares)  # 科创板: 274/550


def test_same_inputs_give_byte_identical_outputs(built, editions):
    first, second = built, editions.second()  # two builds from scratch, in different folders
    # The shared reports/ holds other editions too (and its index lists them): compare zh/.
    before, after = read_files(first), read_files(second)
    pdfs_differing = assert_same_outputs(
        {k: v for k, v in before.items() if k.parts[0] in ("zh", "README.md")},
        {k: v for k, v in after.items() if k.parts[0] in ("zh", "README.md")},
        pdf_pages,
    )
    tmp = second.parent.parent
    # Nothing changed: the no-op (helpers.workflow.uptodate) finds every input and published file
    # as the last publish recorded them, and runs no step.
    result, again = make_report(tmp, "second")
    assert result.returncode == 0, result.stdout + result.stderr
    assert "helpers.workflow" not in result.stdout
    assert f"up to date: {again / 'zh'}" in result.stdout
    # Without its record (a copied build folder, a record damaged) the steps run and find, from
    # the content fingerprints, every chapter and the one profile up to date; nothing is built.
    shutil.rmtree(tmp / "second" / "build" / "stamps")
    result, again = make_report(tmp, "second")
    assert result.returncode == 0, result.stdout + result.stderr
    lines = result.stdout.splitlines()
    for chapter in pipeline.chapters():
        assert f"up to date: {chapter}" in lines
    assert "up to date: profile beijing" in lines
    assert "built " not in result.stdout
    assert read_files(again) == after
    # The record is back: the next no-op runs no step again.
    result, _ = make_report(tmp, "second")
    assert "helpers.workflow" not in result.stdout, result.stdout
    assert pdfs_differing == []  # the PDF font subset has no GSUB (issue 10)


def test_a_failed_build_leaves_the_last_good_reports_untouched(built, tmp_path):
    good = built
    broken = tmp_path / "broken"
    shutil.copytree(REPO / "data" / "published", broken)
    path = broken / "001_a_share_boards.csv"
    path.write_text(path.read_text(encoding="utf-8").replace("550", "-550"), encoding="utf-8")
    target = tmp_path / "target"
    shutil.copytree(good, target / "reports")
    before = {p: p.read_bytes() for p in (target / "reports").rglob("*") if p.is_file()}
    result = subprocess.run(
        [
            "make",
            "--no-print-directory",
            "report",
            f"DATA_DIR={broken}",
            f"BUILD={tmp_path / 'build'}",
            f"REPORTS={target / 'reports'}",
        ],
        cwd=REPO,
        capture_output=True,
        text=True,
    )
    assert result.returncode != 0
    message = result.stdout + result.stderr
    assert "bad input data" in message  # stopped by the data check, before any chapter ran
    assert "001_a_share_boards.csv" in message and "listed_total" in message and "-550" in message
    assert "built 01_cultivation" not in message
    after = {p: p.read_bytes() for p in (target / "reports").rglob("*") if p.is_file()}
    assert after == before


def test_editions_sit_side_by_side(editions, shared_build_alone, tmp_path):
    """English first, then Chinese, into the same reports/: both stay, each in its folder.
    The chapters are the shared build's (already staged), so this publishes and runs nothing."""
    editions("data/published", "en"), editions("data/published", "zh")
    result, root = make_report(tmp_path, "both", LANGUAGE="en", build=editions.build)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "built " not in result.stdout
    english = read_files(root / "en")
    html = (root / "en" / "html" / "01_cultivation.html").read_text(encoding="utf-8")
    assert "<title>1. Cultivation of the Little Giant firms</title>" in html
    assert '<html lang="en">' in html
    assert "STAR Market" in html and "49.8%" in html
    assert (editions.build / "en" / "reports" / "html").is_dir()  # staged apart
    result, root = make_report(tmp_path, "both", build=editions.build)
    assert result.returncode == 0, result.stdout + result.stderr
    assert sorted(p.name for p in root.iterdir()) == [
        "README.md",
        "en",
        "fonts",
        "index.html",
        "zh",
    ]
    assert read_files(root / "en") == english  # building zh did not touch en
    index = (root / "index.html").read_text(encoding="utf-8")
    assert index.index('href="zh/html/01_cultivation.html"') < index.index(
        'href="en/html/01_cultivation.html"'
    )
    assert "1. Cultivation of the Little Giant firms" in index


def test_report_builds_on_the_synthetic_sample_and_says_so(editions):
    root = editions("data/sample", "zh")
    reports = root / "sample-zh"
    assert (reports / "profiles" / "beijing.html").exists()
    assert (reports / "profiles" / "beijing.pdf").exists()
    assert 'href="beijing.html"' in (reports / "profiles" / "index.html").read_text(
        encoding="utf-8"
    )
    edition = json.loads((reports / "edition.json").read_text(encoding="utf-8"))
    assert edition["synthetic"] is True and edition["data_dir"] == "data/sample"
    index = (root / "index.html").read_text(encoding="utf-8")
    assert "示例数据 (synthetic sample)" in index and 'href="sample-zh/pdf/report.pdf"' in index
    for chapter in ("01_cultivation", "02_innovation"):
        html = (reports / "html" / f"{chapter}.html").read_text(encoding="utf-8")
        assert "示例数据（合成样本，非真实企业" in html  # every source line
        assert 'class="synthetic-banner"' in html
    # Every table computed from the sample says so in each row, CSV and XLSX alike; the
    # published context of chapters 04/05 (firm data cannot give it) cites its document.
    for table in (reports / "tables").glob("*.csv"):
        text = table.read_text(encoding="utf-8-sig")
        if "示例数据" not in text:
            assert "资料来源：" in text and "企业级数据" not in text, table.name
    # Firm-level data gives the yearly series the published report lost (图表2.4).
    assert list((reports / "figures").glob("02_innovation_fig2_4_growth.png"))
    statistics = (reports / "statistics.csv").read_text(encoding="utf-8-sig")
    assert "02_innovation.quality.invention_density," in statistics


def test_bad_firm_level_data_stops_the_build_with_file_row_column(tmp_path):
    folder = tmp_path / "firms"
    shutil.copytree(REPO / "data" / "sample", folder)
    firms = folder / "firms.csv"
    lines = firms.read_text(encoding="utf-8").splitlines()
    cells = lines[3].split(",")  # row 4 of the file (the header is row 1)
    cells[5] = "北京x"  # the province column
    lines[3] = ",".join(cells)
    firms.write_text("\n".join(lines) + "\n", encoding="utf-8")
    result, root = make_report(tmp_path, "bad", data_dir=str(folder))
    message = result.stdout + result.stderr
    assert result.returncode != 0
    assert "bad input data" in message and "firms.csv, row 4, column 'province'" in message
    assert not root.exists()
