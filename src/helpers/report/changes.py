"""What changed since the previous edition, as readers see it (PREVIOUS): the book's short
“本期变化” / "What changed" section, and the previous edition's tables for the chapters'
year-on-year columns. Numbers come from the statistics (helpers.stats.changes), words from
labels/changes.{zh,en}.yml, comparative words from helpers.report.words.

    section = changes_section(current, previous, "zh", previous_label="data/2022")
    previous = previous_source(previous_dir, cutoff)     # a DataSource on the previous data
"""

from __future__ import annotations

import csv
from pathlib import Path

import pandas as pd

from helpers.report import words
from helpers.report.format import UNITS, format_value, format_with_unit, unit_label
from helpers.report.labels import label
from helpers.stats.changes import largest_moves, previous_cutoff

# How many of the largest moves the section lists.
SECTION_SIZE = 5
# Units whose relative change means something: counts, means, money, multiples and shares; not
# ranks, years, scores, items checked or gaps in percentage points (a gap of 0.1 pp that becomes
# 0.3 pp is no news, though it triples).
MOVING_UNITS = (
    "share",
    "rate",
    "倍",
    "家",
    "件",
    "个",
    "人",
    "笔",
    "户",
    "件/家",
    "次/家",
    "个/家",
    "件有效发明专利/千人",
    "万元",
    "亿元",
)
FIRM_KEYS = {
    "entered": "01_cultivation.changes.firms_entered",
    "left": "01_cultivation.changes.firms_left",
    "revoked": "01_cultivation.changes.firms_revoked",
}


def units_by_label(language: str) -> dict[str, str]:
    """statistics.csv's unit words (占比, 家 / share, firms) -> the moving unit they name; the
    first of MOVING_UNITS wins where two units share words (倍 and 次 are both 'times' in
    English: 次 alone is not a moving unit)."""
    found: dict[str, str] = {}
    for unit in MOVING_UNITS:
        found.setdefault(unit_label(unit, language), unit)
    return found


def read_statistics(files: list[Path]) -> pd.DataFrame:
    """Statistics CSVs (a chapter's or the merged statistics.csv) as one text frame."""
    rows = []
    for path in files:
        with Path(path).open(encoding="utf-8", newline="") as handle:
            rows += list(csv.DictReader(handle))
    return pd.DataFrame(rows, columns=["key", "value", "unit", "label", "source", "notebook"])


def move_sentence(row, unit: str, language: str) -> str:
    """One move: '{label}：增至843家（上一版780家，+63家）' / '…: rose to 843 firms (…)'.
    A share's change is shown in percentage points."""
    if UNITS[unit][1] in {"share", "rate"}:
        change = format_with_unit(row.change_number * 100, "pp", language, signed=True)
    else:
        change = format_with_unit(row.change_number, unit, language, signed=True)
    return label(
        "changes.book.move",
        language,
        label=row.label,
        direction=words.direction(row.previous_number, row.value_number, language),
        value=format_with_unit(row.value_number, unit, language),
        previous=format_with_unit(row.previous_number, unit, language),
        change=change,
    )


def changes_section(
    joined: pd.DataFrame, language: str, previous_label: str, n: int = SECTION_SIZE
) -> dict:
    """The section's title, intro, the sentences of the `n` largest moves (by relative change,
    among MOVING_UNITS), and the firms that entered and left when chapter 1 recorded them.
    `joined`: the statistics with `previous` and `change` (helpers.stats.changes.join_previous)."""
    units = units_by_label(language)
    moves = largest_moves(joined, set(units), n)
    sentences = [move_sentence(row, units[row.unit], language) for row in moves.itertuples()]
    values = dict(zip(joined["key"], joined["value"], strict=True))
    firms = ""
    if all(key in values for key in FIRM_KEYS.values()):
        counts = {name: float(values[key]) for name, key in FIRM_KEYS.items()}
        firms = label(
            "changes.book.firms",
            language,
            **{name: format_with_unit(count, "家", language) for name, count in counts.items()},
        )
    t = lambda key, **v: label(f"changes.book.{key}", language, **v)  # noqa: E731
    return {
        "title": t("title"),
        "intro": t(
            "intro", previous=previous_label, count=format_value(len(sentences), "项", language)
        )
        if sentences
        else t("none", previous=previous_label),
        "moves": sentences,
        "firms": firms,
    }


def render_section(section: dict) -> str:
    """The section as HTML (templates/changes.html.j2), for the book."""
    from helpers.report.html import environment

    return environment().get_template("changes.html.j2").render(section=section)


def previous_source(previous_dir: str, cutoff: str):
    """The previous edition's tables as a DataSource (the published-shaped folder the build
    resolved PREVIOUS into), or None without PREVIOUS: chapters load its tables for their
    year-on-year columns. Its `label` names the previous data folder for readers."""
    if not previous_dir:
        return None
    from helpers.data.source import DataSource
    from helpers.paths import resolve

    return DataSource(resolve(previous_dir), cutoff=previous_cutoff(cutoff))


def previous_gives(ch, previous, name: str) -> bool:
    """Whether the previous edition's data (a previous_source, or None) has the table `name`
    to compare with. When it lacks it (an older export without listings or patents), one
    sentence of the chapter `ch` says which input it lacks and that the item is not compared:
    the edition is still built, with every figure of its own data."""
    if previous is None:
        return False
    if previous.provides(name):
        return True
    lacking = previous.not_given().get(name, [])
    inputs = words.join([ch.t(f"partial.inputs.{need}") for need in lacking], ch.language)
    if inputs:
        ch.text("changes.previous_lacks", inputs=inputs)
    else:
        ch.text("changes.previous_lacks_table")
    return False


def both_firm_level(current, previous) -> bool:
    """Whether both editions' tables were aggregated from firm-level exports (DataSources):
    only then can their firms be compared."""
    return previous is not None and current.is_firm_level and previous.is_firm_level


def firm_moves_between(current, previous) -> pd.DataFrame:
    """The firms that entered and left between the previous edition's firm list and this one
    (helpers.stats.changes.firm_moves), from the firms each edition's tables folder holds."""
    from helpers.firmlevel.tables import read_firm_rows
    from helpers.stats.changes import firm_moves

    return firm_moves(read_firm_rows(previous.tables_dir), read_firm_rows(current.tables_dir))
