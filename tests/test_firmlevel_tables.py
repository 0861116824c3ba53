"""helpers.firmlevel.tables: firm-level aggregation as a saved step. The folder it writes is shaped
like data/published/ and validated by the same code; it is rebuilt only when an input changed."""

from __future__ import annotations

import concurrent.futures

import pandas as pd
import pytest
import yaml

from helpers.data import catalog
from helpers.data.errors import DataInputError
from helpers.data.source import DataSource
from helpers.firmlevel import tables
from helpers.firmlevel.firms import FirmLevelData
from helpers.firmlevel.read import output_specs
from helpers.paths import PUBLISHED_DIR, REPO_ROOT, SAMPLE_DIR
from helpers.stats.reconcile import firm_level_checks
from tests.test_firms import FIRMS, write

CUTOFF = "2023-07-31"


@pytest.fixture(scope="module")
def sample_tables(tmp_path_factory):
    return tables.ensure_tables(SAMPLE_DIR, CUTOFF, tmp_path_factory.mktemp("tables"))


def firm_catalog(folder):
    return yaml.safe_load((folder / "catalog_firm-level.yml").read_text(encoding="utf-8"))


# --------------------------------------------------------------------------- the sample's folder


def test_sample_folder_validates_like_published(sample_tables):
    assert sample_tables.name == "data_sample"
    counts = catalog.validate_all(sample_tables)
    # every published table (aggregated or copied) plus the two firm-level-only tables
    # Every published table, and the tables only firm-level data gives (firm_schema.yml outputs).
    assert set(counts) == set(catalog.load_catalog(PUBLISHED_DIR)) | set(output_specs())
    assert (sample_tables / tables.FINGERPRINT_FILE).read_text().strip() == tables.fingerprint(
        SAMPLE_DIR, CUTOFF
    )


def test_sample_folder_has_the_firm_level_document_and_provenance(sample_tables):
    document = firm_catalog(sample_tables)["document"]
    assert document["id"] == "firm-level"
    assert document["title"] == "企业级数据"
    assert document["title_en"] == "firm-level data"
    assert document["folder"] == "data/sample"
    assert document["synthetic"] is True  # data/sample/SYNTHETIC
    assert len(document["fingerprint"]) == 12
    assert catalog.documents(sample_tables)["firm-level"] == document
    assert catalog.documents(sample_tables)["001"]["title"].startswith("智慧芽")

    batches = catalog.load_published("cultivation_batches", sample_tables)
    assert set(batches["source_doc"]) == {"firm-level"}
    assert set(batches["source_id"]) == {"firms.csv"}
    assert not batches["inferred"].any()
    assert batches["note"].isna().all()
    assert batches.attrs["origin"] == "firm-level"
    assert batches.attrs["synthetic"] is True
    assert batches.attrs["data_folder"] == "data/sample"
    assert batches.attrs["fingerprint"] == document["fingerprint"]
    assert batches.attrs["as_of"] == CUTOFF
    assert batches.attrs["document"] == "企业级数据"
    density = catalog.load_published("invention_density", sample_tables)
    assert set(density["source_id"]) == {"firms.csv、patents.csv"}


def test_derived_catalogue_entry_keeps_shape_but_not_totals(sample_tables):
    published = yaml.safe_load((PUBLISHED_DIR / "catalog_001.yml").read_text(encoding="utf-8"))
    entry = firm_catalog(sample_tables)["tables"]["cultivation_batches"]
    original = published["tables"]["cultivation_batches"]
    assert "totals" in original and "reconcile" in original
    assert "totals" not in entry and "reconcile" not in entry
    assert entry["as_of"] == CUTOFF
    assert (entry["title"], entry["population"]) == (original["title"], original["population"])
    assert entry["key"] == original["key"]
    assert list(entry["columns"]) == list(original["columns"])
    # float columns may be missing (an empty group) in firm-level aggregates
    assert entry["columns"]["analysed_share_stated"]["nullable"] is True
    assert entry["columns"]["announced"] == original["columns"]["announced"]
    header = (sample_tables / entry["file"]).read_text(encoding="utf-8").splitlines()[0]
    assert header.split(",") == [
        *original["columns"],
        "source_doc",
        "source_id",
        "inferred",
        "note",
    ]


def test_sample_cultivation_batches_equal_the_published_counts(sample_tables):
    mine = catalog.load_published("cultivation_batches", sample_tables).set_index("batch_no")
    published = catalog.load_published("cultivation_batches").set_index("batch_no")
    # 图表1.4: announced 12950 in all, analysed 12192; batch 5 not yet reviewed (missing)
    for column in ("batch", "announced", "reviewed", "analysed", "analysed_share_stated"):
        assert mine[column].equals(published[column]), column
    assert mine["announced"].sum() == 12950
    assert mine["analysed"].sum() == 12192


def test_published_only_table_is_copied_with_its_provenance(sample_tables):
    name = "typical_profile_multiples"
    spec = catalog.table_spec(name)
    copied = sample_tables / spec.file
    assert copied.read_bytes() == (PUBLISHED_DIR / spec.file).read_bytes()
    frame = catalog.load_published(name, sample_tables)
    assert frame.attrs["origin"] == "published"
    assert frame.attrs["synthetic"] is False
    assert (frame.attrs["data_folder"], frame.attrs["fingerprint"]) == ("", "")
    assert frame.attrs["document"] == spec.document["title"]
    assert frame.equals(catalog.load_published(name))
    # its catalogue entry is the published one, totals and document included
    here = yaml.safe_load((sample_tables / "catalog_001_innovation.yml").read_text("utf-8"))
    there = yaml.safe_load((PUBLISHED_DIR / "catalog_001_innovation.yml").read_text("utf-8"))
    assert here["document"] == there["document"]
    assert here["tables"][name] == there["tables"][name]


def test_mixed_table_keeps_published_rows_provenance(sample_tables):
    scale = catalog.load_published("tech_scale_by_population", sample_tables)
    mine = scale[scale["population"] == "小巨人"]
    others = scale[scale["population"] != "小巨人"]
    assert set(mine["source_doc"]) == {"firm-level"}
    assert set(others["source_doc"]) == {"001"}  # 科创板 / 北交所 rows stay published
    assert set(others["population"]) == {"科创板", "北交所"}
    assert scale.attrs["origin"] == "firm-level"


def test_firm_level_checks_compare_only_derived_rows(sample_tables, tmp_path):
    source = DataSource(sample_tables, CUTOFF)
    assert source.tables_dir == sample_tables and source.is_firm_level
    checks = firm_level_checks(source)
    assert len(checks)
    assert not checks["source"].str.contains("typical_profile_multiples").any()
    # 科创板 / 北交所 rows are published copies: nothing to compare
    scale = checks[checks["source"] == "001 tech_scale_by_population"]
    assert scale["item"].str.startswith("小巨人").all()
    announced = checks[checks["item"].str.endswith("announced")]
    assert (announced["stated"] == announced["recomputed"]).all()
    assert len(announced) == 5


# --------------------------------------------------------------------------- rebuilding


def test_unchanged_inputs_are_a_no_op(tmp_path, monkeypatch):
    firm_dir = write(tmp_path / "export")
    root = tmp_path / "tables"
    folder = tables.ensure_tables(firm_dir, CUTOFF, root)
    marker = (folder / tables.FINGERPRINT_FILE).stat()

    def fail(*args, **kwargs):
        raise AssertionError("rebuilt although nothing changed")

    monkeypatch.setattr(tables, "write_tables", fail)
    monkeypatch.setattr(tables, "FirmLevelData", fail)
    assert tables.ensure_tables(firm_dir, CUTOFF, root) == folder
    after = (folder / tables.FINGERPRINT_FILE).stat()
    assert (after.st_ino, after.st_mtime_ns) == (marker.st_ino, marker.st_mtime_ns)
    assert [p.name for p in root.iterdir() if p.is_dir()] == [folder.name]


def test_changed_firm_file_changes_the_fingerprint_and_rebuilds(tmp_path):
    firm_dir = write(tmp_path / "export")
    root = tmp_path / "tables"
    folder = tables.ensure_tables(firm_dir, CUTOFF, root)
    before = (folder / tables.FINGERPRINT_FILE).read_text()
    document = firm_catalog(folder)["document"]
    assert catalog.load_published("cultivation_batches", folder)["announced"].sum() == 6
    # F6 moves from batch 5 to batch 3
    (firm_dir / "firms.csv").write_text(FIRMS.replace("F6,己公司,5,", "F6,己公司,3,"), "utf-8")
    assert tables.fingerprint(firm_dir, CUTOFF) != before.strip()
    assert tables.ensure_tables(firm_dir, CUTOFF, root) == folder
    assert (folder / tables.FINGERPRINT_FILE).read_text() != before
    assert firm_catalog(folder)["document"]["fingerprint"] != document["fingerprint"]
    batches = catalog.load_published("cultivation_batches", folder).set_index("batch_no")
    assert batches["announced"].tolist() == [2, 1, 1, 1, 1]  # read again, not from a cache
    # no temporary or retired folders are left behind
    assert [p.name for p in root.iterdir() if p.is_dir()] == [folder.name]


def test_cutoff_is_part_of_the_fingerprint(tmp_path):
    firm_dir = write(tmp_path / "export")
    assert tables.fingerprint(firm_dir, "2023-07-31") != tables.fingerprint(firm_dir, "2023-08-31")
    folder = tables.ensure_tables(firm_dir, "2023-08-31", tmp_path / "tables")
    assert catalog.load_published("cultivation_batches", folder).attrs["as_of"] == "2023-08-31"


def test_same_inputs_give_the_same_bytes(tmp_path):
    firm_dir = write(tmp_path / "export")
    first = tables.ensure_tables(firm_dir, CUTOFF, tmp_path / "one")
    second = tables.ensure_tables(firm_dir, CUTOFF, tmp_path / "two")
    names = sorted(p.name for p in first.iterdir())
    assert names == sorted(p.name for p in second.iterdir())
    for name in names:
        assert (first / name).read_bytes() == (second / name).read_bytes(), name
    text = (first / "firm-level_cultivation_batches.csv").read_bytes()
    assert b"\r" not in text and text.endswith(b"\n")


def test_parallel_callers_see_one_complete_folder(tmp_path):
    firm_dir = write(tmp_path / "export")
    root = tmp_path / "tables"
    with concurrent.futures.ThreadPoolExecutor(max_workers=2) as pool:
        futures = [pool.submit(tables.ensure_tables, firm_dir, CUTOFF, root) for _ in range(2)]
        folders = {f.result() for f in futures}
    (folder,) = folders
    assert catalog.validate_all(folder)
    assert [p.name for p in root.iterdir() if p.is_dir()] == [folder.name]


def test_only_firms_file(tmp_path):
    firm_dir = write(tmp_path / "only_firms", patents=None, listings=None)
    folder = tables.ensure_tables(firm_dir, CUTOFF, tmp_path / "tables")
    names = catalog.load_catalog(folder)
    derived = firm_catalog(folder)["tables"]
    assert "cultivation_batches" in derived and "overseas_market_reach" in derived
    # without patents these are absent (no published figures of another population in their
    # place), and so are the firm-level-only tables; what they lack is listed
    assert "tech_scale_by_population" not in names
    assert tables.not_given(folder)["tech_scale_by_population"] == ["patents"]
    assert (
        catalog.load_published("typical_profile_multiples", folder).attrs["origin"] == "published"
    )
    assert "invention_density" not in names
    assert not DataSource(folder).provides("invention_density")
    assert catalog.validate_all(folder)


# --------------------------------------------------------------------------- names and cut-off


def test_slug():
    assert tables.slug(SAMPLE_DIR) == "data_sample"
    assert tables.slug(REPO_ROOT / "data" / "mine-2023") == "data_mine-2023"
    chinese = tables.slug(REPO_ROOT / "data" / "企业名单")
    assert chinese.isascii() and chinese.startswith("data-")
    assert chinese != tables.slug(REPO_ROOT / "data" / "企业数据")


@pytest.mark.parametrize("cutoff", ["2023-02-30", "2023/07/31", "20230731", "2023-7-31", "", "x"])
def test_cutoff_must_be_a_real_iso_date(tmp_path, cutoff):
    firm_dir = write(tmp_path / "export")
    for call in (
        lambda: tables.ensure_tables(firm_dir, cutoff, tmp_path / "tables"),
        lambda: FirmLevelData(firm_dir, cutoff=cutoff),
    ):
        with pytest.raises(DataInputError) as caught:
            call()
        assert "cutoff" in str(caught.value)
        assert repr(cutoff) in str(caught.value)
    assert not (tmp_path / "tables").exists()


def test_patent_year_after_the_cutoff_is_still_refused(tmp_path):
    firm_dir = write(tmp_path / "export")
    with pytest.raises(DataInputError, match="after the cut-off 2022-12-31"):
        tables.ensure_tables(firm_dir, "2022-12-31", tmp_path / "tables")
    # nothing half-written is left
    assert [p.name for p in (tmp_path / "tables").iterdir() if p.is_dir()] == []


def test_invalid_firm_data_keeps_the_last_good_folder(tmp_path):
    firm_dir = write(tmp_path / "export")
    root = tmp_path / "tables"
    folder = tables.ensure_tables(firm_dir, CUTOFF, root)
    good = (folder / tables.FINGERPRINT_FILE).read_text()
    (firm_dir / "firms.csv").write_text(FIRMS.replace("北京,北京", "北京x,北京"), "utf-8")
    with pytest.raises(DataInputError, match="province"):
        tables.ensure_tables(firm_dir, CUTOFF, root)
    assert (folder / tables.FINGERPRINT_FILE).read_text() == good
    assert isinstance(catalog.load_published("cultivation_batches", folder), pd.DataFrame)


def test_documents_of_a_folder_win_over_the_published_ones(tmp_path):
    (tmp_path / "catalog_mine.yml").write_text(
        "document: {id: '001', title: 我的, title_en: mine}\ntables: {}\n", encoding="utf-8"
    )
    found = catalog.documents(tmp_path)
    assert found["001"]["title"] == "我的"
    assert found["000"] == catalog.documents()["000"]  # the others from data/published
    assert "firm-level" not in catalog.documents()
