"""A sixth batch needs no code change (issue 11, item 3): batch names come from numbers, the
batch palette extends, the tables and catalogues take any number of batches, and a six-batch
variant of the synthetic sample (tools.six_batches: the last 1,000 firms of batch 5 become batch
6) builds every chapter with 六批 / six batches in its titles and sentences."""

import dataclasses
import io
import re
import tokenize
from pathlib import Path

import matplotlib.colors
import nbformat
import numpy as np
import pandas as pd
import pytest

from helpers.data import batches, catalog
from helpers.data.errors import DataInputError
from helpers.report import charts, region_charts, words
from helpers.report.labels import LABELS_DIR, translate
from helpers.workflow.datapackage import read_published
from tools.six_batches import write_variant

REPO = Path(__file__).parents[1]
SAMPLE_DIR = REPO / "data" / "sample"
CUTOFF = "2023-07-31"


# Batch names from numbers ----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("n", "data_name", "en"),
    [
        (1, "第一批", "Batch 1"),
        (2, "第二批", "Batch 2"),
        (3, "第三批", "Batch 3"),
        (4, "第四批", "Batch 4"),
        (5, "第五批", "Batch 5"),
        (6, "第六批", "Batch 6"),
        (7, "第七批", "Batch 7"),
        (8, "第八批", "Batch 8"),
        (10, "第十批", "Batch 10"),
        (11, "第十一批", "Batch 11"),
        (20, "第二十批", "Batch 20"),
        (23, "第二十三批", "Batch 23"),
    ],
)
def test_batch_names_come_from_the_number_in_both_languages(n, data_name, en):
    assert batches.batch_name(n) == data_name
    assert batches.batch_number(data_name) == n
    assert words.batch_name(n, "zh") == data_name
    assert words.batch_name(n, "en") == en
    # A name in a table reads in the edition's language without a label per batch.
    assert translate(data_name, "zh") == data_name
    assert translate(data_name, "en") == en


@pytest.mark.parametrize("name", ["全部", "小巨人", "第批", "第6批", "第十十批", "第五批次", ""])
def test_other_names_are_not_batches(name):
    assert batches.batch_number(name) is None


@pytest.mark.parametrize("n", [0, 100, -1])
def test_a_batch_number_outside_1_to_99_is_refused(n):
    with pytest.raises(ValueError, match="from 1 to 99"):
        batches.batch_name(n)


@pytest.mark.parametrize(
    ("n", "zh", "en"), [(5, "五", "five"), (6, "六", "six"), (8, "八", "eight"), (11, "十一", "11")]
)
def test_batch_count_reads_as_a_numeral(n, zh, en):
    assert words.batch_count(n, "zh") == zh
    assert words.batch_count(n, "en") == en


def test_per_batch_column_headers_come_from_the_number():
    from helpers.report.chapter import Chapter
    from helpers.report.labels import label

    chapters = {}
    for language in ("zh", "en"):
        chapters[language] = Chapter.__new__(Chapter)  # column_name needs only the language
        chapters[language].language = language
    assert chapters["zh"].column_name("batch_7") == "第七批（家）"
    assert chapters["en"].column_name("batch_7") == "Batch 7 (firms)"
    assert chapters["en"].column_name("batch_no") == label("columns.batch_no", "en")


def test_no_label_names_a_batch_or_counts_five_batches():
    """Batch names are made from numbers, so no label file spells one out as a key, and no
    sentence says five batches (the count is filled from the data)."""
    for path in sorted(LABELS_DIR.glob("*.yml")):
        text = path.read_text(encoding="utf-8")
        assert not re.search(r"^\s*第[一二三四五六七八九十]+批\s*:", text, flags=re.M), path.name
        assert not re.search(r"^\s*batch_\d+\s*:", text, flags=re.M), path.name
        assert not re.search(r"(?<!第)五批|five batches", text, flags=re.I), path.name


# Batch palette -----------------------------------------------------------------------------------


def _distance(a: str, b: str) -> float:
    return float(
        np.linalg.norm(np.subtract(matplotlib.colors.to_rgb(a), matplotlib.colors.to_rgb(b)))
    )


def test_batch_palette_is_distinct_for_eight_batches_and_keeps_each_batch_colour():
    eight = charts.batch_colors(8)
    assert len(set(eight)) == 8
    # Every pair is far apart in RGB (0–1 per channel). The closest pair is brown #8c564b and
    # grey #7f7f7f: (140−127, 86−127, 75−127) = (13, −41, −52), √4554 = 67.5 of 255 = 0.265.
    closest = min(_distance(a, b) for i, a in enumerate(eight) for b in eight[i + 1 :])
    assert closest == pytest.approx(67.48 / 255, abs=1e-3)
    # Adding batches never changes an existing batch's colour, and runs give the same colours.
    assert charts.batch_colors(5) == eight[:5]
    assert charts.batch_colors(30)[:8] == eight
    assert charts.batch_colors(30) == charts.batch_colors(30)
    assert eight[:3] == ["#1f77b4", "#ff7f0e", "#2ca02c"]  # tab10: blue, orange, green


def test_batch_palette_never_repeats_a_colour():
    many = charts.batch_colors(40)
    assert len(set(many)) == 40
    assert all(re.fullmatch(r"#[0-9a-f]{6}", c) for c in many)


def test_tint_mixes_with_white():
    assert charts.tint("#000000", 0) == "#000000"
    assert charts.tint("#000000", 1) == "#ffffff"
    assert charts.tint("#ff0000", 0.5) == "#ff8080"  # 255 + (255 − 0) … 0 + 255 × 0.5 = 127.5


def _face_colors(ax) -> list[str]:
    return [matplotlib.colors.to_hex(p.get_facecolor()) for p in ax.patches]


def test_grouped_bars_take_one_colour_per_category_and_shades_per_series():
    table = pd.DataFrame(
        {
            "batch": [f"B{i}" for i in range(1, 7)] * 2,
            "series": ["announced"] * 6 + ["reviewed"] * 6,
            "firms": [10, 20, 30, 40, 50, 60, 5, 15, 25, 35, 45, 55],
        }
    )
    colors = charts.batch_colors(6)
    fig = charts.grouped_bar_chart(
        table,
        "batch",
        "series",
        "firms",
        category_colors=colors,
        series_order=["announced", "reviewed"],
    )
    bars = _face_colors(fig.axes[0])
    assert bars[:6] == colors  # first series: the batches' own colours
    assert bars[6:] == [charts.tint(c, 0.55) for c in colors]  # second: lighter shades
    assert len(set(bars)) == 12
    legend = [t.get_text() for t in fig.axes[0].get_legend().get_texts()]
    assert legend == ["announced", "reviewed"]


def test_stacked_bars_of_eight_batches_have_eight_colours():
    names = [batches.batch_name(n) for n in range(1, 9)]
    table = pd.DataFrame(
        {"province": ["甲"] * 8 + ["乙"] * 8, "batch": names * 2, "firms": range(1, 17)}
    )
    fig = region_charts.stacked_count_bars(table, "province", "batch", "firms", series_order=names)
    segments = _face_colors(fig.axes[0])
    assert segments == [c for c in charts.batch_colors(8) for _ in range(2)]


# Catalogues ----------------------------------------------------------------------------------------


def test_a_sixth_published_batch_is_checked_against_the_new_stated_totals():
    """A sixth row in the published batch table needs no code: only its document's stated
    totals in the catalogue (here the sample's batch 5 again as batch 6: 12,950 + 3,671 =
    16,621 announced, 12,192 + 3,671 = 15,863 analysed)."""
    spec = catalog.table_spec("cultivation_batches")
    published = pd.read_csv(catalog.PUBLISHED_DIR / spec.file, dtype=str, keep_default_na=False)
    frame = pd.concat(
        [published, published.iloc[[-1]].assign(batch_no="6", batch="第六批")], ignore_index=True
    )
    with pytest.raises(DataInputError, match=r"parts sum to 16621 .* stated total is 12950"):
        catalog.validate_frame(frame, spec, "six.csv")
    new_totals = tuple(
        {**total, "equals": {"announced": 16621, "analysed": 15863}[total["column"]]}
        for total in spec.totals
    )
    six = dataclasses.replace(spec, totals=new_totals)
    assert catalog.validate_frame(frame, six, "six.csv")["batch"].iloc[-1] == "第六批"
    frame.loc[5, "batch"] = "第6批"
    with pytest.raises(DataInputError) as error:
        catalog.validate_frame(frame, six, "six.csv")
    assert "column 'batch', value '第6批': must match" in str(error.value)
    assert "(e.g. 第六批)" in str(error.value)


# A six-batch variant of the sample ---------------------------------------------------------------


@pytest.fixture(scope="session")
def six_batch_folder(tmp_path_factory):
    return write_variant(SAMPLE_DIR, tmp_path_factory.mktemp("six-batches", numbered=False))


@pytest.fixture(scope="session")
def six_batch_tables(six_batch_folder, tmp_path_factory):
    from helpers.firmlevel import tables

    return tables.ensure_tables(six_batch_folder, CUTOFF, tmp_path_factory.mktemp("tables"))


def _table(folder: Path, name: str) -> pd.DataFrame:
    return pd.read_csv(folder / f"firm-level_{name}.csv", keep_default_na=False, dtype=str)


def test_the_variant_moves_the_last_thousand_firms_of_batch_5(six_batch_folder):
    sample = pd.read_csv(SAMPLE_DIR / "firms.csv", dtype=str, keep_default_na=False)
    variant = pd.read_csv(six_batch_folder / "firms.csv", dtype=str, keep_default_na=False)
    moved = variant["batch_no"] != sample["batch_no"]
    assert moved.sum() == 1000
    assert set(sample.loc[moved, "batch_no"]) == {"5"} and set(variant.loc[moved, "batch_no"]) == {
        "6"
    }
    assert (variant.drop(columns="batch_no") == sample.drop(columns="batch_no")).all().all()
    assert (six_batch_folder / "patents.csv").read_bytes() == (
        SAMPLE_DIR / "patents.csv"
    ).read_bytes()


def test_the_batch_table_has_six_rows_counted_by_hand(six_batch_tables):
    table = _table(six_batch_tables, "cultivation_batches")
    # The sample's batches (data/sample/README.md): 248/155, 1744/1079, 2930, 4357/4328, 3671
    # announced/reviewed; batch 5 gives its last 1,000 firms to batch 6, none reviewed.
    assert table["batch_no"].tolist() == ["1", "2", "3", "4", "5", "6"]
    assert table["batch"].tolist() == ["第一批", "第二批", "第三批", "第四批", "第五批", "第六批"]
    assert table["announced"].tolist() == ["248", "1744", "2930", "4357", "2671", "1000"]
    assert table["reviewed"].tolist() == ["155", "1079", "2930", "4328", "", ""]
    assert table["analysed"].tolist() == ["155", "1079", "2930", "4357", "2671", "1000"]
    # The variant is not the population 001 describes, so no printed share is set beside its
    # own (a figure is never checked against itself): the stated column is empty, and the
    # shares a chapter shows are of the 12,192 analysed firms: 2671/12192 = 0.21908,
    # 1000/12192 = 0.08202, 155/12192 = 0.01271.
    assert table["analysed_share_stated"].tolist() == [""] * 6
    analysed = table["analysed"].astype(int)
    shares = (analysed / analysed.sum()).round(5).tolist()
    assert shares == [0.01271, 0.0885, 0.24032, 0.35737, 0.21908, 0.08202]


def test_every_per_batch_table_has_the_sixth_batch(six_batch_tables):
    for name in ("tech_influence_by_batch", "tech_scale_by_population"):
        table = _table(six_batch_tables, name)
        assert "第六批" in set(table["batch"]), name
    breakdowns = _table(six_batch_tables, "region_breakdowns")
    by_batch = breakdowns[
        (breakdowns["dimension"] == "batch") & (breakdowns["level"] == "province")
    ]
    firms = by_batch.groupby("category")["firms"].apply(lambda s: s.astype(int).sum())
    assert firms.to_dict() == {
        "第一批": 155,
        "第二批": 1079,
        "第三批": 2930,
        "第四批": 4357,
        "第五批": 2671,
        "第六批": 1000,
    }


# End to end: every chapter, the book and a profile from the variant ----------------------------


def _text(html: str) -> str:
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html))


@pytest.fixture(scope="session")
def six_batch_edition(editions, six_batch_folder):
    from helpers.workflow.editions import edition_id

    def edition(language: str) -> Path:
        # One profile in Chinese (its batch chart and table), none in English.
        regions = {"zh": "beijing", "en": "none"}[language]
        reports = editions(str(six_batch_folder), language, regions=regions)
        return reports / edition_id(six_batch_folder, language)

    return edition


FIVE = {"zh": r"(?<!第)五批", "en": r"\bfive batches\b"}  # 第五批 is batch 5's name
SIX = {"zh": "六批", "en": "six batches"}


@pytest.mark.parametrize("language", ["zh", "en"])
def test_chapter_01_and_the_book_count_six_batches(six_batch_edition, language):
    edition = six_batch_edition(language)
    chapter = (edition / "html" / "01_cultivation.html").read_text(encoding="utf-8")
    titles = " ".join(
        re.findall(
            r"<(?:h[1-4]|figcaption)[^>]*>(.*?)</(?:h[1-4]|figcaption)>", chapter, flags=re.S
        )
    )
    text = _text(chapter)
    assert re.search(SIX[language], _text(titles), flags=re.I), "no title says six batches"
    assert len(re.findall(SIX[language], text, flags=re.I)) >= 4  # section, two titles, reading
    book = _text((edition / "html" / "report.html").read_text(encoding="utf-8"))
    for page in (text, book):
        assert not re.search(FIVE[language], page, flags=re.I)
    assert re.search(SIX[language], book, flags=re.I)
    sixth = "第六批" if language == "zh" else "Batch 6"
    assert sixth in text and sixth in book
    statistics = read_published(edition / "statistics.csv")
    count = statistics.loc[statistics["key"] == "01_cultivation.batches.count", "value"]
    assert count.tolist() == ["6"]


def test_the_batch_charts_have_six_distinct_batch_colours(six_batch_edition):
    colors = charts.batch_colors(6)
    assert len(set(colors)) == 6
    for chart in ("01_cultivation_fig1_4_batches", "03_regions_fig3_1_provinces"):
        svg = (six_batch_edition("zh") / "figures" / f"{chart}.svg").read_text(encoding="utf-8")
        assert set(colors) <= set(re.findall(r"fill: ?(#[0-9a-f]{6})", svg)), chart


def test_regions_and_the_profile_count_the_sixth_batch(six_batch_edition):
    edition = six_batch_edition("zh")
    statistics = read_published(edition / "statistics.csv").set_index("key")["value"]
    by_batch = statistics.filter(regex=r"^03_regions\.provinces\.firms\.[0-9]{6}\.batch_6$")
    assert len(by_batch) >= 20 and by_batch.astype(int).sum() == 1000  # every firm of batch 6
    province_table = (edition / "html" / "03_regions.html").read_text(encoding="utf-8")
    assert "第六批（家）" in province_table
    profile = (edition / "profiles" / "beijing.html").read_text(encoding="utf-8")
    assert "北京市“小巨人”企业的批次构成" in profile


# Nothing hard-codes five batches or the 2023 totals -----------------------------------------------

# `range(1, 6)` (batches 1–5) and the publication's totals (12,950 announced, 12,192 analysed)
# may appear in comments and docstrings that describe the published document, never in code:
# the batches and totals come from the data.
FORBIDDEN_NUMBERS = {"12950", "12192"}
FORBIDDEN_IN_STRINGS = re.compile(r"12,?950|12,?192")


# Python 3.12 tokenizes f-strings into parts; their text is FSTRING_MIDDLE.
STRING_TYPES = {tokenize.STRING, getattr(tokenize, "FSTRING_MIDDLE", tokenize.STRING)}
SKIPPED = {tokenize.COMMENT, tokenize.NL, tokenize.INDENT, tokenize.DEDENT, tokenize.ENCODING}


def _code_problems(source: str, where: str) -> list[str]:
    """`range(1, 6)` and the totals in code (numbers, strings); comments and docstrings (a
    string that is a statement on its own) are skipped."""
    tokens = [
        t for t in tokenize.generate_tokens(io.StringIO(source).readline) if t.type not in SKIPPED
    ]
    code = [t for t in tokens if t.type != tokenize.NEWLINE]
    problems = []
    for i, token in enumerate(tokens):
        line = f"{where}:{token.start[0]}"
        if token.type == tokenize.NUMBER and token.string.replace("_", "") in FORBIDDEN_NUMBERS:
            problems.append(f"{line}: {token.string}")
        elif (
            token.type in STRING_TYPES
            and FORBIDDEN_IN_STRINGS.search(token.string)
            and not _is_docstring(tokens, i)
        ):
            problems.append(f"{line}: {token.string[:40]}")
    for i, token in enumerate(code):
        if "".join(t.string for t in code[i : i + 6]) == "range(1,6)":
            problems.append(f"{where}:{token.start[0]}: range(1, 6)")
    return problems


def _is_docstring(tokens, i) -> bool:
    """Whether tokens[i] is a string statement alone on its logical line."""
    before = tokens[i - 1] if i else None
    after = tokens[i + 1] if i + 1 < len(tokens) else None
    starts = before is None or before.type == tokenize.NEWLINE
    ends = after is None or after.type in {tokenize.NEWLINE, tokenize.ENDMARKER}
    return starts and ends


def _sources():
    for path in sorted((REPO / "src" / "helpers").rglob("*.py")):
        yield str(path.relative_to(REPO)), path.read_text(encoding="utf-8")
    for path in sorted((REPO / "notebooks").glob("*.ipynb")):
        notebook = nbformat.read(path, as_version=4)
        for index, cell in enumerate(notebook.cells):
            if cell.cell_type == "code":
                yield f"{path.relative_to(REPO)} cell {index}", cell.source + "\n"


def test_no_code_hard_codes_five_batches_or_the_2023_totals():
    problems = [p for where, source in _sources() for p in _code_problems(source, where)]
    assert problems == []


@pytest.mark.parametrize(
    ("source", "found"),
    [
        ("for b in range(1, 6):\n    pass\n", 1),
        ("total = 12950\n", 1),
        ("message = f'{n} of 12,192'\n", 1),
        ("x = f(\n    '12,950'\n)\n", 1),
        ('def f():\n    """Sums to 12,950 (PatSnap 2023)."""\n', 0),
        ("# 12192 analysed firms in the published report\nx = 1\n", 0),
        ("for b in range(1, 7):\n    pass\n", 0),
    ],
)
def test_the_hard_coding_check_finds_code_and_spares_comments(source, found):
    assert len(_code_problems(source, "example.py")) == found
