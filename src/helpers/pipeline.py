"""The build graph, written down once (`notebooks/pipeline.yml`): which chapters the book has,
in book order (the file's key order), and which tables each may read. The Makefile and the build
take the chapter list from here; the build fingerprints exactly the declared inputs
(`helpers.workflow.fingerprint`), and `Chapter.table()` refuses a read that is not declared."""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass
from pathlib import Path

import yaml

from helpers.paths import NOTEBOOKS_DIR, display_path

PIPELINE_FILE = NOTEBOOKS_DIR / "pipeline.yml"
HELPERS_DIR = Path(__file__).parent
ALL = "all"
# <staging>/statistics/<chapter>.checks.csv: a chapter's published-vs-recomputed checks, which
# the appendix lists (helpers.report.chapter.Chapter.write_checks)
CHECKS_SUFFIX = ".checks.csv"
# <staging>/statistics/<chapter>.downloads.csv: the figures and tables a chapter saved, which the
# edition's index lists (helpers.report.chapter.Chapter._list_download)
DOWNLOADS_SUFFIX = ".downloads.csv"


@functools.cache
def declarations() -> dict[str, dict]:
    return yaml.safe_load(PIPELINE_FILE.read_text(encoding="utf-8")) or {}


def chapters() -> list[str]:
    """The chapters in book order: the top-level keys of notebooks/pipeline.yml."""
    return list(declarations())


def notebook_path(chapter: str) -> Path:
    """notebooks/<chapter>.ipynb, which must exist for a declared chapter."""
    path = NOTEBOOKS_DIR / f"{chapter}.ipynb"
    if chapter not in declarations():
        raise KeyError(f"'{chapter}' is not a chapter of {display_path(PIPELINE_FILE)}")
    if not path.exists():
        raise FileNotFoundError(
            f"{display_path(PIPELINE_FILE)} declares chapter '{chapter}' but "
            f"{display_path(path)} does not exist"
        )
    return path


def declared_tables(notebook: str) -> list[str] | str:
    """The table names a notebook may read, or 'all'."""
    if notebook not in declarations():
        raise KeyError(
            f"notebook '{notebook}' is not declared in {display_path(PIPELINE_FILE)}; "
            "add it with the tables it reads"
        )
    return declarations()[notebook].get("tables", [])


def chapter_parameters(notebook: str) -> list[str]:
    """The build parameters besides the edition's own that a chapter takes (`parameters:` in
    notebooks/pipeline.yml, e.g. assessment_date): only those chapters get them, so changing
    one rebuilds nothing else."""
    declared = declarations().get(notebook) or {}
    return list(declared.get("parameters") or [])


def checked_chapters(notebook: str) -> list[str]:
    """The chapters whose checks `notebook` lists (`checks_of: chapters`: every other chapter
    that lists none, in book order), or []. Such a notebook (the appendix) is built after them
    (helpers.workflow.steps) and fingerprinted with their notebooks (helpers.workflow.fingerprint)."""
    declared = declarations().get(notebook) or {}
    if declared.get("checks_of") is None:
        return []
    if declared["checks_of"] != "chapters":
        raise ValueError(
            f"{display_path(PIPELINE_FILE)}: {notebook}: checks_of must be 'chapters', "
            f"not {declared['checks_of']!r}"
        )
    return [
        chapter
        for chapter in chapters()
        if chapter != notebook and (declarations()[chapter] or {}).get("checks_of") is None
    ]


def check_declared(notebook: str, table: str) -> None:
    """Refuse a read the pipeline does not know of: its changes would not trigger a rebuild."""
    tables = declared_tables(notebook)
    if tables != ALL and table not in tables:
        raise KeyError(
            f"{notebook} reads table '{table}', which {display_path(PIPELINE_FILE)} does not "
            f"declare for it; add it there so incremental builds see its changes"
        )


# The tables a profile may read (profiles are not chapters of notebooks/pipeline.yml; the
# profile build fingerprints exactly these, see helpers.workflow.profiles).
PROFILE_TABLES = (
    "firms_by_province",
    "firms_by_city",
    "city_capital_markets",
    "city_field_patents",
    "city_metrics",
    "city_overview",
    "cultivation_batches",  # the announced and analysed firms of each batch
    "region_metrics",
    "region_breakdowns",
    # the clusters of 001 (京津冀, 长三角, 粤港澳 by its nine cities)
    "cluster_metrics",
    "cluster_city_distribution",
    # 000 (上奇, 4,851 firms, 2021): its belts, top three provinces and their financing
    "sq_macro_regions",
    "sq_provinces",
    "sq_financing",
    "sq_financing_by_province",
)


# Statistics ------------------------------------------------------------------------------------
# Every key a notebook records, written out in full in notebooks/statistics/<notebook>.yml with
# its unit and label: `key: {unit: …, label: …}`, and for a table recorded in one call
# (Chapter.record_table) the column holding the values: `value: <column>`. A `{column}` field in
# a key is filled with the fixed id of that column's category (helpers.data.ids), so no key
# depends on a word a reader sees.
STATISTICS_DIR = NOTEBOOKS_DIR / "statistics"
KEY_FIELD = re.compile(r"\{([A-Za-z_][A-Za-z0-9_]*)\}")
KEY_TEXT = re.compile(r"[A-Za-z0-9_.{}-]+")


class StatisticsDeclarationError(ValueError):
    """A statistics declaration is malformed, or a key is not declared."""


@dataclass(frozen=True)
class StatisticSpec:
    """One declared key (or key pattern) of a notebook."""

    key: str
    unit: str
    label: str
    value: str | None
    file: Path

    @property
    def fields(self) -> tuple[str, ...]:
        return tuple(KEY_FIELD.findall(self.key))

    @functools.cached_property
    def regex(self) -> re.Pattern:
        parts = KEY_FIELD.split(self.key)
        text = "".join(
            re.escape(part) if i % 2 == 0 else f"(?P<{part}>[A-Za-z0-9_-]+)"
            for i, part in enumerate(parts)
        )
        return re.compile(text)

    def matches(self, key: str) -> bool:
        return self.regex.fullmatch(key) is not None

    def fill(self, ids: dict[str, str]) -> str:
        """The key with every field replaced by its id."""
        return KEY_FIELD.sub(lambda m: ids[m.group(1)], self.key)


def statistics_file(notebook: str) -> Path:
    """notebooks/statistics/<notebook>.yml; every region's profile (profile_<region>) is
    declared once, in profile.yml."""
    if notebook.startswith("profile_"):
        notebook = "profile"
    return STATISTICS_DIR / f"{notebook}.yml"


def declared_statistics(notebook: str) -> dict[str, StatisticSpec]:
    """The keys a notebook may record, by key as written (without the notebook prefix)."""
    return _read_statistics(statistics_file(notebook))


@functools.cache
def _read_statistics(path: Path) -> dict[str, StatisticSpec]:
    notebook = path.stem
    shown = display_path(path)
    if not path.is_file():
        raise StatisticsDeclarationError(
            f"{notebook} records statistics but {shown} does not exist; declare every key there "
            "with its unit and label"
        )
    content = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    if not isinstance(content, dict):
        raise StatisticsDeclarationError(f"{shown}: a mapping of key -> {{unit, label}} is needed")
    specs = {}
    for key, entry in content.items():
        key = str(key)
        if not KEY_TEXT.fullmatch(key) or key.startswith(".") or ".." in key:
            raise StatisticsDeclarationError(
                f"{shown}: key '{key}' may hold only ASCII letters, digits, '_', '-', '.' and "
                "{column} fields"
            )
        if not isinstance(entry, dict) or not {"unit", "label"} <= set(entry):
            raise StatisticsDeclarationError(f"{shown}: key '{key}' needs a unit and a label")
        unknown = set(entry) - {"unit", "label", "value"}
        if unknown:
            raise StatisticsDeclarationError(
                f"{shown}: key '{key}' has unknown entries {sorted(unknown)} (unit, label, value)"
            )
        specs[key] = StatisticSpec(
            key, str(entry["unit"]), str(entry["label"]), entry.get("value"), path
        )
    return specs


def statistic_spec(notebook: str, key: str) -> StatisticSpec:
    """The declaration a recorded key (without the notebook prefix) falls under: the key
    itself, else the one pattern it matches."""
    specs = declared_statistics(notebook)
    if key in specs:
        return specs[key]
    found = [spec for spec in specs.values() if spec.fields and spec.matches(key)]
    shown = display_path(statistics_file(notebook))
    if not found:
        raise StatisticsDeclarationError(
            f"statistic '{notebook}.{key}' is not declared in {shown}; add it there with its "
            "unit and label"
        )
    if len(found) > 1:
        raise StatisticsDeclarationError(
            f"statistic '{notebook}.{key}' matches {len(found)} keys of {shown}: "
            + ", ".join(spec.key for spec in found)
        )
    return found[0]


def is_declared(full_key: str) -> bool:
    """Whether `<notebook>.<key>` is declared (for the book's findings and PREVIOUS)."""
    notebook, _, key = full_key.partition(".")
    try:
        statistic_spec(notebook, key)
    except StatisticsDeclarationError:
        return False
    return True
