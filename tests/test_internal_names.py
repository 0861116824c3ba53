"""No internal names in reader text: a data source goes by its title (公开报告数据, 示例数据（合成）,
企业数据：<the folder's name>), never its path; the build version and the fingerprints are in the
book's colophon and its PDF metadata, not on the cover; no page of any of the four editions shows
a file path, a .csv/.py/.yml name, a module name, a build variable or a screening rule code, and
no heading is a document id."""

import re

import pytest
from pypdf import PdfReader
from test_book import CHAPTER, stage
from test_reader_text import EDITIONS, reader_texts

from helpers.report import book
from helpers.report.sources import data_title

# What a reader must not see (URLs are allowed; file *formats* such as "CSV/XLSX" are words).
INTERNAL = {
    "path": re.compile(
        r"(?<![\w/])(?:data|src|helpers|notebooks|build|reports|tests|tools|docs)/[\w./-]*"
        r"|(?<![\w/:])/(?:tmp|home|work|Users|usr|var)/\S*"
    ),
    "file name": re.compile(r"[\w-]\.(?:csv|py|yml|yaml|ipynb|parquet|json)\b"),
    "module name": re.compile(r"\bhelpers\.[a-z_]+"),
    "build variable": re.compile(r"\b(?:DATA_DIR|LANGUAGE|CUTOFF|PREVIOUS|REGIONS|BUILD)="),
    "rule code": re.compile(r"(?<![A-Za-z0-9])(?:CX|ZJ|XJR)(?:\.[0-9a-z]+)*(?![A-Za-z0-9])"),
    # a seed goes by its short citation name (智慧芽2023), never its catalogue id
    "document id": re.compile(r"(?<![\w.,:/-])00[0-4](?![\w.%])", flags=re.ASCII),
}
URL = re.compile(r"https?://\S+")
HEADING = re.compile(r"<h([1-4])[^>]*>(.*?)</h\1>", flags=re.S)
DOCUMENT_ID = re.compile(r"(?<![\d.])00\d(?![\d.])")


def internal_names(text: str) -> dict[str, list[str]]:
    """Kind -> each hit with a little context, once each."""
    text = URL.sub(" ", text)
    found = {}
    for kind, pattern in INTERNAL.items():
        hits = [
            text[max(m.start() - 25, 0) : m.end() + 25].replace("\n", " ")
            for m in pattern.finditer(text)
        ]
        if hits:
            found[kind] = list(dict.fromkeys(hits))
    return found


@pytest.mark.parametrize(
    ("text", "kinds"),
    [
        ("数据来源：公开报告数据，各表日期见资料来源。", set()),
        ("数据来源：公开报告中的图表与文字数据（data/published）", {"path"}),
        ("按 data/reference/industry_fields.csv 归并", {"path", "file name"}),
        ("计分规则见 004_miit_points.csv", {"file name"}),
        ("（例如 DATA_DIR=data/sample）", {"path", "build variable"}),
        ("数值见 helpers/screening/examples.py", {"path", "file name"}),
        ("see helpers.screening.examples", {"module name"}),
        ("CX.1.a 创新型中小企业评价总得分不低于60分", {"rule code"}),
        ("XJR 小巨人", {"rule code"}),
        ("出口至 /tmp/h/acme 的数据", {"path"}),
        ("完整名单见本表的 CSV/XLSX 文件；股权融资（VC/PE）", set()),
        ("见 https://example.org/data/x.csv", set()),
        ("件/家、次/家；4.5.2节", set()),
        ("据004引阿里云研究院数据", {"document id"}),
        ("其他领域 占比（001 图表1.5）", {"document id"}),
        ("Shangqi 2021 (000) counts", {"document id"}),
        ("2000年、0.004、1,004家、2023-004、v004", set()),
    ],
)
def test_the_scan_finds_internal_names(text, kinds):
    assert set(internal_names(text)) == kinds


@pytest.mark.parametrize(
    ("language", "firm_level", "synthetic", "folder", "title"),
    [
        ("zh", False, False, "data/published", "公开报告数据"),
        ("zh", True, True, "data/sample", "示例数据（合成）"),
        ("zh", True, False, "/home/analyst/exports/acme", "企业数据：acme"),
        ("en", False, False, "data/published", "published report data"),
        ("en", True, True, "data/sample", "sample data (synthetic)"),
        ("en", True, False, "exports/acme", "firm data: acme"),
    ],
)
def test_a_data_source_goes_by_its_title(language, firm_level, synthetic, folder, title):
    assert data_title(language, firm_level=firm_level, synthetic=synthetic, folder=folder) == title


def test_version_and_fingerprints_are_in_the_colophon_not_on_the_cover(tmp_path):
    folder = stage(tmp_path)
    page = book.render_book(
        folder,
        [CHAPTER],
        language="zh",
        data_label="公开报告数据",
        synthetic=False,
        cutoff="2023-07-31",
        version="v1-test",
        fingerprints={"data": "0123456789ab", "inputs": "ba9876543210"},
    )
    cover = page.split('id="contents"')[0].split('<section class="book-cover')[1]
    assert "v1-test" not in cover and "构建版本" not in cover
    colophon = page.split('<section class="book-colophon"')[1]
    for text in ("构建版本", "v1-test", "数据指纹", "0123456789ab", "全书输入指纹", "ba9876543210"):
        assert text in colophon
    assert page.index('class="book-colophon"') > page.index('class="book-chapter"')  # at the end
    generator = re.search(r'<meta name="generator" content="([^"]*)"', page).group(1)
    assert "v1-test" in generator and "0123456789ab" in generator and "ba9876543210" in generator


@pytest.mark.build
@pytest.mark.parametrize(("data_dir", "language", "edition"), EDITIONS)
def test_no_internal_names_where_a_reader_looks(editions, data_dir, language, edition):
    folder = editions(data_dir, language) / edition
    texts = reader_texts(folder)
    assert texts, folder
    problems = {name: found for name, text in texts.items() if (found := internal_names(text))}
    assert problems == {}
    headings = {
        page.relative_to(folder).as_posix(): [
            re.sub(r"<[^>]+>", "", m.group(2)) for m in HEADING.finditer(page.read_text("utf-8"))
        ]
        for page in folder.rglob("*.html")
    }
    with_ids = {
        name: [h for h in found if DOCUMENT_ID.search(h)] for name, found in headings.items()
    }
    assert {name: found for name, found in with_ids.items() if found} == {}
    # the data source by its title under every chapter title, the version only in the colophon
    title = data_title(
        language,
        firm_level=data_dir != "data/published",
        synthetic=data_dir == "data/sample",
        folder=data_dir,
    )
    for chapter in sorted((folder / "html").glob("[0-9][0-9]_*.html")):
        assert title in texts[f"html/{chapter.name}"], chapter.name
    whole = (folder / "html" / "report.html").read_text(encoding="utf-8")
    colophon = whole.split('<section class="book-colophon"')[1]
    assert "book-cover" not in colophon
    metadata = PdfReader(folder / "pdf" / "report.pdf").metadata
    assert any(fact in str(metadata.get("/Creator", "")) for fact in colophon_facts(colophon))


def colophon_facts(colophon: str) -> list[str]:
    """The colophon's values (version, fingerprints) as its <dd> cells give them."""
    return [re.sub(r"<[^>]+>", "", cell) for cell in re.findall(r"<dd>(.*?)</dd>", colophon)]
