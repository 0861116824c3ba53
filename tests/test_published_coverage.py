"""Every table of data/published appears somewhere in the book: the catalogue's tables
(data/published/catalog_*.yml) against what the chapters and the region profiles declare and read
(notebooks/pipeline.yml `tables:`, PROFILE_TABLES), and against what a built edition actually
shows (the tables whose rows a statistic, a check, a caption or a table cites:
statistics/<notebook>.tables.csv, written by Chapter). The appendix (`tables: all`) checks every
table against itself and is not counted as showing one."""

import json

import pandas as pd

from helpers.data import catalog
from helpers.pipeline import ALL, PROFILE_TABLES, chapters, declared_tables, notebook_path
from helpers.report.chapter import SHOWN_TABLES_SUFFIX


def published_tables() -> set[str]:
    return set(catalog.load_catalog())


def chapter_code(chapter: str) -> str:
    cells = json.loads(notebook_path(chapter).read_text(encoding="utf-8"))["cells"]
    return "\n".join("".join(c["source"]) for c in cells if c["cell_type"] == "code")


def declared_by_chapters() -> dict[str, set[str]]:
    """Each chapter's declared tables (the appendix's `all` left out)."""
    found = {}
    for chapter in chapters():
        tables = declared_tables(chapter)
        if tables != ALL:
            found[chapter] = set(tables)
    return found


def test_every_published_table_is_declared_by_a_chapter_or_the_profiles():
    declared = set(PROFILE_TABLES).union(*declared_by_chapters().values())
    assert sorted(published_tables() - declared) == []


def test_every_declared_table_is_asked_for_by_its_notebook():
    # ch.table / optional_table / published_table / has_table name it: declared but never asked
    # for would be read nowhere.
    unread = {
        chapter: sorted(t for t in tables if f'"{t}"' not in chapter_code(chapter))
        for chapter, tables in declared_by_chapters().items()
    }
    assert {c: t for c, t in unread.items() if t} == {}


def shown_tables(statistics: "Path") -> dict[str, set[str]]:  # noqa: F821
    """notebook → the tables it showed, from a built edition's statistics folder."""
    shown = {}
    for path in sorted(statistics.glob(f"*{SHOWN_TABLES_SUFFIX}")):
        notebook = path.name.removesuffix(SHOWN_TABLES_SUFFIX)
        shown[notebook] = set(pd.read_csv(path)["table"])
    return shown


def test_every_published_table_is_shown_in_the_book(editions):
    editions("data/published", "zh")  # the profiles built beside it show their city tables too
    shown = shown_tables(editions.build / "zh" / "reports" / "statistics")
    assert "01_cultivation" in shown
    in_book = set().union(*(t for notebook, t in shown.items() if notebook != "99_reconciliation"))
    assert sorted(published_tables() - in_book) == []


def test_a_chapter_notes_the_tables_it_cites(tmp_path):
    from helpers.report.chapter import Chapter

    ch = Chapter("05_context", output_dir=str(tmp_path))
    rows = ch.table("sme_loans")
    ch.record("financing.loan_balance", rows["loan_balance"].iloc[0], source=rows.iloc[[0]])
    ch.source_line("vc_pe_penetration")
    ch.source_line(ch.published_table("qzd_industry_distribution"))
    path = tmp_path / "statistics" / f"05_context{SHOWN_TABLES_SUFFIX}"
    assert pd.read_csv(path)["table"].tolist() == [
        "sme_loans",
        "vc_pe_penetration",
        "qzd_industry_distribution",
    ]
    # a new run of the notebook starts its list afresh
    Chapter("05_context", output_dir=str(tmp_path))
    assert not path.exists()
