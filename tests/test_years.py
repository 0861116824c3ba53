"""Next year's data needs no code change for its years (issue 11, item 3): the growth window
follows the cut-off (helpers.stats.growth_window), the published tables say which years they
print (start_year / end_year columns), and chapter 02 of a sample one year later (tools.
later_cutoff: every patent row a year later, cut-off 2024-07-31) says 2021—2023 and 2023 vs 2024
where the sample says 2020—2022 and 2022 vs 2023."""

import io
import re
import tokenize
from pathlib import Path

import nbformat
import pandas as pd
import pytest
import yaml

from helpers import stats
from helpers.data import catalog
from helpers.report.labels import LABELS_DIR
from tests.conftest import chapter_page_text
from tools.later_cutoff import later_cutoff, write_variant

REPO = Path(__file__).parents[1]
SAMPLE_DIR = REPO / "data" / "sample"
CUTOFF, LATER = "2023-07-31", "2024-07-31"


# The growth window -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("cutoff", "years"),
    [
        ("2023-07-31", (2020, 2021, 2022)),  # the report's 2020–2022 CAGRs
        ("2024-07-31", (2021, 2022, 2023)),
        ("2024-01-01", (2021, 2022, 2023)),  # a cut-off year is never complete
        ("2023-12-31", (2020, 2021, 2022)),
        (2030, (2027, 2028, 2029)),
        ("2030", (2027, 2028, 2029)),
    ],
)
def test_the_growth_window_is_the_three_complete_years_before_the_cut_off_year(cutoff, years):
    assert stats.growth_window(cutoff) == years


def test_the_growth_window_takes_another_length():
    assert stats.growth_window("2023-07-31", years=2) == (2021, 2022)
    assert stats.growth_window("2023-07-31", years=5) == (2018, 2019, 2020, 2021, 2022)


@pytest.mark.parametrize(
    ("cutoff", "years"), [("31.07.2023", 3), ("", 3), (True, 3), ("2023-07", 3), (CUTOFF, 1)]
)
def test_a_growth_window_of_no_cut_off_or_one_year_is_refused(cutoff, years):
    with pytest.raises(ValueError, match="growth_window"):
        stats.growth_window(cutoff, years=years)


def _analysed(**columns) -> pd.DataFrame:
    """Analysed firms as derive.analysed_firms gives them: zeros where a test sets nothing."""
    from helpers.firmlevel import derive

    n = len(next(iter(columns.values())))
    frame = pd.DataFrame({c: [0] * n for c in derive.SUMMED})
    frame["listed"] = False
    frame["employees"] = pd.array([pd.NA] * n, dtype="Float64")
    for name, values in columns.items():
        frame[name] = values
    return frame


def test_firm_growth_rates_span_the_window_of_their_yearly_columns():
    from helpers.firmlevel import derive

    # Two firms, 2021–2023 columns (a 2024 cut-off): applications 40 + 60 = 100 in 2021 and
    # 50 + 71 = 121 in 2023: (121 / 100) ** (1 / 2) − 1 = 10%; PCT 1 + 3 = 4 → 9 + 0 = 9: 50%.
    group = _analysed(
        applications_2021=[40.0, 60.0],
        applications_2022=[45.0, 65.0],
        applications_2023=[50.0, 71.0],
        pct_2021=[1.0, 3.0],
        pct_2022=[2.0, 2.0],
        pct_2023=[9.0, 0.0],
        pct_through_2023=[12.0, 5.0],  # a stock, not a window year
    )
    assert derive.window_years(group) == [2021, 2022, 2023]
    assert derive.window_years(group, "pct") == [2021, 2022, 2023]
    metrics = derive.group_metrics(group)
    assert metrics["applications_cagr_2020_2022"] == pytest.approx(0.1)
    assert metrics["pct_cagr_2020_2022"] == pytest.approx(0.5)
    # a firm whose year a carry-in row covers: unknown, no rate
    covered = group.assign(applications_2021=[40.0, float("nan")])
    assert pd.isna(derive.group_metrics(covered)["applications_cagr_2020_2022"])


def test_group_metrics_by_a_column_equal_each_groups_own_metrics():
    from helpers.firmlevel import derive

    # Province A: firms 1 and 2; B: firm 3; firm 4 has no province (in no group).
    firms = _analysed(
        province=["A", "A", "B", None],
        applications=[10, 30, 5, 100],
        invention_applications=[4, 6, 5, 50],
        invention_grants=[2, 1, 0, 0],
        pct_applications=[1, 1, 0, 0],
        overseas_markets=pd.array([2, pd.NA, 4, 0], dtype="Int64"),
        listed=[True, False, True, False],
        employees=pd.array([50.0, pd.NA, 20.0, 10.0], dtype="Float64"),
        applications_2020=[8.0, 8.0, 1.0, 0.0],
        applications_2022=[9.0, 16.0, float("nan"), 0.0],
        pct_2020=[0.0, 0.0, 0.0, 0.0],
        pct_2022=[1.0, 0.0, 0.0, 0.0],
    )
    by_province = derive.group_metrics_by(firms, "province")
    assert sorted(by_province) == ["A", "B"]
    a = by_province["A"]
    assert a["firms"] == 2
    assert a["patent_applications_per_firm"] == 20.0  # (10 + 30) / 2
    assert a["invention_share"] == pytest.approx(0.25)  # (4 + 6) / 40
    assert a["grant_rate"] == pytest.approx(0.3)  # (2 + 1) / 10
    assert a["pct_share"] == pytest.approx(0.05)  # 2 / 40
    assert a["overseas_markets_per_firm"] == 1.0  # 2 / 2 firms (no value counts as none)
    assert a["employees_per_firm"] == 50.0  # the one firm that gives it
    assert a["listed_firms"] == 1
    assert a["applications_cagr_2020_2022"] == pytest.approx(0.25)  # 16 → 25 over two years
    assert pd.isna(a["pct_cagr_2020_2022"])  # a zero start
    assert pd.isna(by_province["B"]["applications_cagr_2020_2022"])  # a year not known
    for province, metrics in by_province.items():
        own = derive.group_metrics(firms[firms["province"] == province])
        assert metrics.keys() == own.keys()
        for key, value in own.items():
            assert metrics[key] == pytest.approx(value, nan_ok=True), (province, key)
    empty = derive.group_metrics(firms.iloc[:0])
    assert empty["firms"] == 0 and pd.isna(empty["patent_applications_per_firm"])


def test_the_later_cut_off_keeps_month_and_day():
    assert later_cutoff("2023-07-31") == "2024-07-31"
    assert later_cutoff("2023-07-31", 2) == "2025-07-31"


# Published tables carry their years --------------------------------------------------------------


def test_the_published_growth_rates_and_text_figures_say_their_years():
    pct = catalog.load_published("pct_growth")
    assert pct[["start_year", "end_year"]].drop_duplicates().values.tolist() == [[2020, 2022]]
    text = catalog.load_published("text_figures").set_index("item")
    assert text.loc["patent_applications_cagr_2020_2022", ["start_year", "end_year"]].tolist() == [
        2020,
        2022,
    ]
    assert text.loc["patent_applications_2022", ["start_year", "end_year"]].tolist() == [
        2022,
        2022,
    ]
    # every other item: no years
    others = text.drop(index=["patent_applications_cagr_2020_2022", "patent_applications_2022"])
    assert others["start_year"].isna().all() and others["end_year"].isna().all()


# A firm-level sample one year later --------------------------------------------------------------


@pytest.fixture(scope="session")
def later_folder(tmp_path_factory):
    return write_variant(SAMPLE_DIR, tmp_path_factory.mktemp("years-later", numbered=False))


@pytest.fixture(scope="session")
def later_tables(later_folder, tmp_path_factory):
    from helpers.firmlevel import tables

    return tables.ensure_tables(later_folder, LATER, tmp_path_factory.mktemp("later-tables"))


@pytest.fixture(scope="session")
def sample_tables(tmp_path_factory):
    from helpers.firmlevel import tables

    return tables.ensure_tables(SAMPLE_DIR, CUTOFF, tmp_path_factory.mktemp("sample-tables"))


def _table(folder: Path, name: str) -> pd.DataFrame:
    return pd.read_csv(folder / f"firm-level_{name}.csv", keep_default_na=False, dtype=str)


def test_the_variant_moves_every_patent_row_one_year(later_folder):
    sample = pd.read_csv(SAMPLE_DIR / "patents.csv", dtype=str, keep_default_na=False)
    variant = pd.read_csv(later_folder / "patents.csv", dtype=str, keep_default_na=False)
    assert (variant["year"].astype(int) - sample["year"].astype(int)).eq(1).all()
    assert (variant.drop(columns="year") == sample.drop(columns="year")).all().all()
    for name in ("firms.csv", "listings.csv"):
        assert (later_folder / name).read_bytes() == (SAMPLE_DIR / name).read_bytes()


def test_the_later_tables_take_their_years_from_the_cut_off(later_tables, sample_tables):
    # Sample (cut-off 2023-07-31): rates over 2020–2022, holdings 2022 and 2023; one year later
    # every year moves by one and every value stays the same.
    for folder, (start, end), holdings in (
        (sample_tables, ("2020", "2022"), {"2022", "2023"}),
        (later_tables, ("2021", "2023"), {"2023", "2024"}),
    ):
        pct = _table(folder, "pct_growth")
        assert set(zip(pct["start_year"], pct["end_year"], strict=True)) == {(start, end)}
        text = _table(folder, "text_figures").set_index("item")
        assert tuple(
            text.loc["patent_applications_cagr_2020_2022", ["start_year", "end_year"]]
        ) == (
            start,
            end,
        )
        assert tuple(text.loc["patent_applications_2022", ["start_year", "end_year"]]) == (end, end)
        assert set(_table(folder, "pct_holdings_by_year")["year"]) == holdings
    for name, column in (
        ("pct_growth", "pct_cagr_2020_2022_stated"),
        ("text_figures", "value"),
    ):
        assert (
            _table(later_tables, name)[column].tolist()
            == _table(sample_tables, name)[column].tolist()
        )
    # The sample's 2022 applications, 241,600 (data/sample/README.md), are the variant's 2023 ones.
    text = _table(later_tables, "text_figures").set_index("item")
    assert float(text.loc["patent_applications_2022", "value"]) == 241600


# Chapter 02, end to end ----------------------------------------------------------------------------


def _build_chapter(data_dir: Path, cutoff: str, build: Path) -> str:
    return chapter_page_text("02_innovation", data_dir, cutoff, build)


@pytest.mark.build  # chapter 02, twice
def test_chapter_02_says_the_years_of_its_data(later_folder, tmp_path):
    sample = _build_chapter(SAMPLE_DIR, CUTOFF, tmp_path / "sample")
    later = _build_chapter(later_folder, LATER, tmp_path / "later")
    expected = {
        sample: ("2020—2022年PCT专利复合增长率", "（2022年 vs 2023年）", "由2020年的"),
        later: ("2021—2023年PCT专利复合增长率", "（2023年 vs 2024年）", "由2021年的"),
    }
    for page, phrases in expected.items():
        for phrase in phrases:
            assert phrase in page, phrase
    assert "2022年 vs 2023年" not in later and "2020—2022年PCT" not in later
    assert "平均每家企业的专利申请量由2021年的" in later and "增至2023年的" in later
    assert "文字数据复核：2023年专利申请24.16万件（公开值：2022年24.16万件）" in later


# Nothing in chapter 02 hard-codes its years -------------------------------------------------------

YEAR = re.compile(r"(?<![\w.])(19[89]\d|20\d\d)(?![\w])")  # a year alone, not in an identifier
CHECKED_HELPERS = [
    "src/helpers/stats/innovation_tables.py",  # the chapter's tables, charts and sentences
    "src/helpers/report/chapters/innovation.py",
    "src/helpers/firmlevel/derive.py",
    "src/helpers/firmlevel/aggregators/innovation.py",
    "src/helpers/firmlevel/aggregators/text.py",
]
SKIPPED = {tokenize.COMMENT, tokenize.NL, tokenize.INDENT, tokenize.DEDENT, tokenize.ENCODING}
STRING_TYPES = {tokenize.STRING, getattr(tokenize, "FSTRING_MIDDLE", tokenize.STRING)}


def _is_docstring(tokens, i) -> bool:
    """Whether tokens[i] is a string statement alone on its logical line."""
    before = tokens[i - 1] if i else None
    after = tokens[i + 1] if i + 1 < len(tokens) else None
    starts = before is None or before.type == tokenize.NEWLINE
    ends = after is None or after.type in {tokenize.NEWLINE, tokenize.ENDMARKER}
    return starts and ends


def _year_literals(source: str, where: str) -> list[str]:
    """Years as numbers or inside strings (`2022`, "2022"), not in comments, docstrings or
    identifiers (the published item and column names `patent_applications_2022`,
    `pct_cagr_2020_2022_stated` keep the first edition's years as names; their years are read
    from the rows)."""
    tokens = [
        t for t in tokenize.generate_tokens(io.StringIO(source).readline) if t.type not in SKIPPED
    ]
    found = []
    for i, token in enumerate(tokens):
        text = token.string
        if token.type == tokenize.NUMBER and YEAR.fullmatch(text):
            found.append(f"{where}:{token.start[0]}: {text}")
        elif token.type in STRING_TYPES and YEAR.search(text) and not _is_docstring(tokens, i):
            found.append(f"{where}:{token.start[0]}: {text[:40]}")
    return found


def _notebook_code_cells():
    for path in sorted((REPO / "notebooks").glob("02_*.ipynb")):
        for index, cell in enumerate(nbformat.read(path, as_version=4).cells):
            if cell.cell_type == "code" and "parameters" not in cell.metadata.get("tags", []):
                yield f"{path.name} cell {index}", cell.source + "\n"


def test_chapter_02_and_its_aggregators_write_no_year():
    sources = list(_notebook_code_cells())
    sources += [(name, (REPO / name).read_text(encoding="utf-8")) for name in CHECKED_HELPERS]
    assert [p for where, source in sources for p in _year_literals(source, where)] == []


def test_the_parameters_cell_holds_the_only_cut_off():
    notebook = nbformat.read(REPO / "notebooks" / "02_innovation.ipynb", as_version=4)
    (parameters,) = [c for c in notebook.cells if "parameters" in c.metadata.get("tags", [])]
    assert _year_literals(parameters.source, "parameters") == ['parameters:5: "2023-07-31"']


@pytest.mark.parametrize(
    ("source", "found"),
    [
        ("x = series.loc[2020:2022]\n", 2),
        ("order = ['2022', '2023']\n", 2),
        ("label = f'{a} vs 2023'\n", 1),
        ("row = table.loc['patent_applications_2022']\n", 0),
        ("# 2020–2022 in the published report\nx = 1\n", 0),
        ("x = 1.2022\n", 0),
        ('def f():\n    """The 2020–2022 growth rate."""\n', 0),
    ],
)
def test_the_year_check_finds_years_and_spares_names_and_comments(source, found):
    assert len(_year_literals(source, "example.py")) == found


def _leaves(tree, prefix=""):
    for key, value in tree.items():
        if isinstance(value, dict):
            yield from _leaves(value, f"{prefix}{key}.")
        else:
            yield f"{prefix}{key}", str(value)


@pytest.mark.parametrize("language", ["zh", "en"])
def test_no_chapter_02_label_writes_a_year(language):
    """The words of chapter 02 take their years from the data ({start}, {end}, {year}); the one
    year left is the name of the source document (智慧芽2023 图表2.4, PatSnap 2023)."""
    found = []
    for path in sorted(LABELS_DIR.glob(f"*.{language}.yml")):
        tree = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
        for key, text in _leaves(tree.get("ch02", {}), "ch02."):
            if not key.endswith(".published_as") and YEAR.search(text):
                found.append(f"{path.name}: {key}: {text}")
    assert found == []
