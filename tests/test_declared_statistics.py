"""Statistics keys are declared, stable and findable: every key a notebook records is written out
in notebooks/statistics/<notebook>.yml with its unit and label; `{column}` fields are filled with
fixed category ids (data/reference), never with words a reader sees; recording an undeclared key
or the same key twice stops with a message naming the key and both places."""

import json
import re
from pathlib import Path

import pandas as pd
import pytest

from helpers import pipeline
from helpers.data import ids
from helpers.data.catalog import load_published
from helpers.report import labels
from helpers.report.chapter import STRICT_ENV, Chapter, _is_rerun

REPO = Path(__file__).parents[1]
DECLARATIONS = sorted((REPO / "notebooks" / "statistics").glob("*.yml"))


# Fixed ids ---------------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("江苏省", "320000"),  # provinces and cities: GB/T 2260
        ("宁波市", "330200"),
        ("新材料", "new_materials"),  # industry_fields.field_id
        ("科创板", "star_market"),  # listing_boards.board_id
        ("第一批", "batch_1"),  # any batch, from its number
        ("第十二批", "batch_12"),
        (3, "3"),
        (3.0, "3"),
        ("CX.1.a", "cx_1_a"),  # codes the data writes in ASCII
        ("京津冀", "beijing_tianjin_hebei"),  # category_ids.csv
    ],
)
def test_category_ids_come_from_reference_data(value, expected):
    assert ids.category_id(value) == expected


def test_a_category_without_an_id_names_the_value_and_the_file():
    with pytest.raises(ids.UnknownCategory, match=r"'火星省'.*data/reference/category_ids.csv"):
        ids.category_id("火星省")


def test_category_name_reverses_an_id():
    assert ids.category_name("320000") == "江苏省"
    assert ids.category_name("star_market") == "科创板"


# Declarations ------------------------------------------------------------------------------
@pytest.fixture
def declared(tmp_path, monkeypatch):
    """A notebook 'demo' with its own declaration file."""
    folder = tmp_path / "statistics"
    folder.mkdir()
    monkeypatch.setattr(pipeline, "STATISTICS_DIR", folder)

    def write(text: str) -> Path:
        path = folder / "demo.yml"
        path.write_text(text, encoding="utf-8")
        pipeline._read_statistics.cache_clear()
        return path

    yield write
    pipeline._read_statistics.cache_clear()


def test_a_key_pattern_matches_ids_only(declared):
    declared("boards.share.{board}: {unit: share, label: ch01.stats.board_share, value: share}\n")
    spec = pipeline.statistic_spec("demo", "boards.share.star_market")
    assert spec.fields == ("board",) and spec.unit == "share" and spec.value == "share"
    assert spec.fill({"board": "chinext"}) == "boards.share.chinext"
    assert not spec.matches("boards.share.star.market")  # an id holds no dot


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("x: {unit: share}\n", "needs a unit and a label"),
        ("x: {unit: share, label: a, colour: red}\n", "unknown entries"),
        ("'x y': {unit: share, label: a}\n", "may hold only"),
    ],
)
def test_a_malformed_declaration_names_the_file_and_key(declared, text, message):
    declared(text)
    with pytest.raises(pipeline.StatisticsDeclarationError, match=message):
        pipeline.declared_statistics("demo")


def test_a_key_matching_two_patterns_is_refused(declared):
    declared("a.{x}.b: {unit: 家, label: l}\na.c.{y}: {unit: 家, label: l}\n")
    with pytest.raises(pipeline.StatisticsDeclarationError, match="matches 2 keys"):
        pipeline.statistic_spec("demo", "a.c.b")


@pytest.mark.parametrize("path", DECLARATIONS, ids=lambda p: p.name)
def test_every_declared_label_exists_in_both_languages(path):
    for spec in pipeline.declared_statistics(path.stem).values():
        for language in labels.LANGUAGES:
            labels.label(spec.label, language)  # KeyError names the label


@pytest.mark.parametrize("path", DECLARATIONS, ids=lambda p: p.name)
def test_every_unit_is_known(path):
    from helpers.report.format import UNITS

    for spec in pipeline.declared_statistics(path.stem).values():
        assert spec.unit in UNITS, f"{path.name}: {spec.key} has unknown unit {spec.unit!r}"


NOTEBOOKS = sorted((REPO / "notebooks").glob("*.ipynb"))


@pytest.mark.parametrize("notebook", NOTEBOOKS, ids=lambda p: p.name)
def test_notebooks_build_no_key_from_text(notebook):
    """Keys are written out (declared patterns), never assembled with f-strings or slugs of
    words, so a search for a key finds its declaration."""
    cells = json.loads(notebook.read_text(encoding="utf-8"))["cells"]
    code = "\n".join("".join(c["source"]) for c in cells if c["cell_type"] == "code")
    assert not re.search(r"\.record(_table)?\(\s*f[\"']", code), "f-string statistics key"
    assert "ch.slug(" not in code


# Recording ---------------------------------------------------------------------------------
@pytest.fixture
def chapter(tmp_path, monkeypatch):
    monkeypatch.delenv(STRICT_ENV, raising=False)
    return Chapter("01_cultivation", output_dir=str(tmp_path))


def test_record_table_records_one_statistic_per_row_with_ids(chapter, tmp_path):
    batches = chapter.table("cultivation_batches")
    shares = batches.assign(analysed_share=batches["analysed"] / batches["analysed"].sum())
    chapter.record_table(shares, "batches.share.batch{batch_no}")
    rows = pd.read_csv(tmp_path / "statistics" / "01_cultivation.csv")
    assert rows["key"].tolist() == [f"01_cultivation.batches.share.batch{n}" for n in range(1, 6)]
    # hand-computed: batch 1 analysed 155 of 12,192 firms
    assert rows["value"].iloc[0] == pytest.approx(155 / 12192)
    assert rows["label"].iloc[0] == "第一批占分析企业比例" and rows["unit"].iloc[0] == "占比"


def test_record_table_skips_rows_without_a_value(chapter, tmp_path):
    batches = chapter.table("cultivation_batches").assign(kept_after_review=float("nan"))
    chapter.record_table(batches, "batches.kept_after_review.batch{batch_no}")
    assert not (tmp_path / "statistics" / "01_cultivation.csv").exists()


def test_an_undeclared_key_names_the_declaration_file(chapter):
    batches = chapter.table("cultivation_batches")
    with pytest.raises(
        pipeline.StatisticsDeclarationError,
        match=r"'01_cultivation.batches.median' is not declared in notebooks/statistics/01_",
    ):
        chapter.record("batches.median", 3, source=batches)


def test_a_key_recorded_twice_names_both_places(chapter):
    batches = chapter.table("cultivation_batches")
    chapter.record("batches.count", 5, source=batches)
    with pytest.raises(pipeline.StatisticsDeclarationError) as error:
        chapter.record("batches.count", 6, source=batches)
    message = str(error.value)
    assert "'01_cultivation.batches.count' is recorded twice" in message
    assert message.count("chapter.record(") == 2  # the code of both places


def test_duplicate_ids_in_a_table_are_refused(chapter):
    batches = chapter.table("cultivation_batches")
    doubled = pd.concat([batches, batches]).assign(analysed_share=0.1).reset_index(drop=True)
    with pytest.raises(pipeline.StatisticsDeclarationError, match=r"recorded twice.*\(row 5\)"):
        chapter.record_table(doubled, "batches.share.batch{batch_no}")


def test_a_later_run_of_a_cell_replaces_its_keys_but_a_build_never_does():
    earlier = {"where": "line 1", "execution": 3, "strict": False}
    assert _is_rerun(earlier, {"where": "line 1", "execution": 4, "strict": False})
    assert not _is_rerun(earlier, {"where": "line 1", "execution": 3, "strict": False})
    assert not _is_rerun(earlier, {"where": "line 1", "execution": 4, "strict": True})


def test_a_source_function_is_given_each_row_as_a_one_row_frame(chapter, tmp_path):
    batches = chapter.table("cultivation_batches")
    shares = batches.assign(analysed_share=batches["analysed"] / batches["analysed"].sum())
    seen = []

    def cited(row):
        seen.append(row.index.tolist())
        return batches

    chapter.record_table(shares, "batches.share.batch{batch_no}", source=cited)
    assert seen == [[index] for index in shares.index]


# A family declared key by key, each key with its own unit -----------------------------------
@pytest.fixture
def family(declared, tmp_path, monkeypatch):
    """A chapter 'demo' whose thresholds are declared criterion by criterion, each in its own
    unit (a pattern has one unit), and a candidate's value declared per criterion."""
    monkeypatch.delenv(STRICT_ENV, raising=False)
    declared(
        "t.zj_2_a.threshold: {unit: 万元, label: ch06.stats.threshold, value: threshold}\n"
        "t.zj_2_b.threshold: {unit: share, label: ch06.stats.threshold, value: threshold}\n"
        "c.zj_2_b.{firm_id}.value: {unit: share, label: ch06.stats.candidate_value, "
        "value: value}\n"
    )
    return Chapter("demo", output_dir=str(tmp_path / "out"))


def thresholds() -> pd.DataFrame:
    """ZJ.2.a (100万元) and ZJ.2.b (3%) of the published criteria, each named by its id."""
    criteria = load_published("miit_criteria")
    rows = criteria[criteria["criterion_id"].isin(["ZJ.2.a", "ZJ.2.b"])]
    return rows.assign(criterion=rows["criterion_id"])


def recorded(tmp_path) -> pd.DataFrame:
    return pd.read_csv(tmp_path / "out" / "statistics" / "demo.csv", dtype={"value": str})


def test_each_filled_key_takes_its_own_declaration(family, tmp_path):
    family.record_table(thresholds(), "t.{criterion_id}.threshold", unit_column="unit")
    rows = recorded(tmp_path)
    assert rows["key"].tolist() == ["demo.t.zj_2_a.threshold", "demo.t.zj_2_b.threshold"]
    assert rows["unit"].tolist() == ["万元", "占比"]  # each its own declared unit
    assert rows["value"].tolist() == ["100", "0.03"]
    assert rows["label"].tolist() == ["认定条件ZJ.2.a的门槛", "认定条件ZJ.2.b的门槛"]
    assert set(rows["source"]) == {
        "阿里云手册2023 第四章第一节·优质中小企业评价及认定标准"
    }  # its own row


def test_a_member_of_the_family_without_a_value_is_skipped(family, tmp_path):
    family.record_table(
        thresholds().assign(threshold=[100.0, float("nan")]), "t.{criterion_id}.threshold"
    )
    assert recorded(tmp_path)["key"].tolist() == ["demo.t.zj_2_a.threshold"]


def test_a_row_in_another_unit_than_declared_stops(family):
    wrong = thresholds().iloc[[0]].assign(unit="亿元")
    with pytest.raises(pipeline.StatisticsDeclarationError, match=r"declared in '万元'.*'亿元'"):
        family.record_table(wrong, "t.{criterion_id}.threshold", unit_column="unit")


def test_an_undeclared_member_of_the_family_stops(family):
    other = thresholds().iloc[[0]].assign(criterion_id="ZJ.4.2")
    with pytest.raises(
        pipeline.StatisticsDeclarationError, match=r"'demo\.t\.zj_4_2\.threshold' is not declared"
    ):
        family.record_table(other, "t.{criterion_id}.threshold")


def test_a_declared_pattern_is_filled_with_the_rest_of_the_rows_ids(family, tmp_path):
    candidate = pd.DataFrame(
        {
            "criterion_id": ["ZJ.2.b"],
            "firm_id": ["SYN-00279"],
            "firm": ["SYN-00279"],
            "condition": ["上年度研发费用占营业收入比例"],
            "value": [0.0299],
            "source_doc": ["firm-level"],
            "source_id": ["firms"],
        }
    )
    family.record_table(candidate, "c.{criterion_id}.{firm_id}.value")
    rows = recorded(tmp_path)
    assert rows["key"].tolist() == ["demo.c.zj_2_b.syn_00279.value"]
    assert rows["label"].tolist() == ["SYN-00279：上年度研发费用占营业收入比例"]


# Book and PREVIOUS ------------------------------------------------------------------------
def test_the_key_findings_read_declared_keys():
    """report/book.py picks statistics by key: every key it names is declared."""
    source = (REPO / "src" / "helpers" / "report" / "book.py").read_text(encoding="utf-8")
    source += (REPO / "src" / "helpers" / "report" / "changes.py").read_text(encoding="utf-8")
    keys = set(re.findall(r"\"(\d\d_[a-z]+\.[a-z0-9_.]+)\"", source))
    assert len(keys) > 20
    undeclared = sorted(k for k in keys if not pipeline.is_declared(k) and not _prefix(k))
    assert undeclared == []


def _prefix(key: str) -> bool:
    """A prefix the book lists keys under (s.largest, s.stats.keys): some declared pattern
    starts with it."""
    notebook, _, rest = key.partition(".")
    return any(
        spec.key.startswith(rest + ".") for spec in pipeline.declared_statistics(notebook).values()
    )


# A renamed label renames no key -------------------------------------------------------------
def run_notebook_cells(notebook: Path, parameters: dict) -> None:
    """Execute a notebook's code cells in this process (the parameters cell replaced)."""
    cells = json.loads(notebook.read_text(encoding="utf-8"))["cells"]
    namespace: dict = {}
    for cell in cells:
        if cell["cell_type"] != "code":
            continue
        if "parameters" in cell.get("metadata", {}).get("tags", []):
            namespace.update(parameters)
            continue
        exec(compile("".join(cell["source"]), str(notebook), "exec"), namespace)


@pytest.mark.build
def test_renaming_a_boards_english_name_keeps_every_key_and_value(tmp_path, monkeypatch):
    """Chapter 01 in English, before and after the STAR Market is renamed in the label files:
    statistics.csv has the same keys and values (only the labels that name it change)."""
    monkeypatch.chdir(REPO / "notebooks")
    notebook = REPO / "notebooks" / "01_cultivation.ipynb"
    runs = {}
    for run in ("before", "after"):
        if run == "after":
            names = labels.label_tree("en").setdefault("names", {})
            monkeypatch.setitem(names, "科创板", "Sci-Tech Innovation Board")
        output = tmp_path / run
        run_notebook_cells(
            notebook,
            {
                "data_dir": "data/published",
                "output_dir": str(output),
                "language": "en",
                "cutoff": "2023-07-31",
                "previous_dir": "",
            },
        )
        runs[run] = pd.read_csv(output / "statistics" / "01_cultivation.csv")
    before, after = runs["before"], runs["after"]
    assert after["key"].tolist() == before["key"].tolist()
    assert after["value"].tolist() == before["value"].tolist()
    renamed = after[after["label"] != before["label"]]
    assert len(renamed) >= 1 and renamed["label"].str.contains("Sci-Tech").all()
