"""Export headers → schema columns, and the value forms exports use: the one place where an
analyst's export (企查查/启信宝 firm lists, patent-database records) is translated into the
columns and values of data/firm_schema.yml before validation.

Headers. A header names a schema column when, normalised (`normalise`: NFKC, so full-width
letters and brackets become ASCII; whitespace and the line breaks of wrapped header cells removed;
a required-field marker `*` dropped; lower case), it equals, by priority:

1. a header mapped to the column in the folder's optional `columns.yml` (per table; a header
   mapped to `~` is ignored without being listed);
2. the column's own name (`province`);
3. one of the column's `aliases` in data/firm_schema.yml (所属省份, 省份 …).

A column given by two headers of the same priority is an error naming both; a lower-priority
header is ignored and said. Headers that name no column are ignored and listed once (a note, not
an error). A missing required column is an error listing its names and the headers present that
are closest to them (difflib).

Mapping is a rename in SQL (helpers.firmlevel.ingest selects `"所属省份" AS province`): no Python
pass over the rows.

Value forms. Besides the canonical forms (`12`, `true`, `2021-03-05`) every column accepts:

* spellings (`WORDS`, per column, mapped in SQL before the cast): 是/否 in yes/no columns, 公示 /
  通过 / 撤销 … in review_status, 第三批 / 第3批 in batch_no, 发明 / 实用新型 / 外观设计 in
  patent_type, 有效 / 失效 / 审中 in status;
* a number followed by the column's unit (`58人`, `12 件`), and in 万元 columns money in 元, 万元 or
  亿元 (`1,200万元` → 1200, `1.5亿元` → 15000, `500万人民币` → 500, `3000000元` → 300);
* dates as 2021-03-05, 2021/3/5, 2021.3.5, 2021年3月5日 or 20210305 (an XLSX date cell reads as
  2021-03-05);
* in a column that may be empty, the placeholders exports write for "no value" (`-`, `--`, `—`,
  `/`, 暂无, 未公开) are empty cells.

They apply only to cells not already in canonical form (helpers.firmlevel.checks' slow path), so
a clean national export is typed at the speed of a cast.
"""

from __future__ import annotations

import difflib
import functools
import os
import re
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path

import yaml

from helpers.data.errors import DataInputError, Problem
from helpers.data.tableio import shown_file, unreadable
from helpers.firmlevel.engine import literal
from helpers.paths import DATA_DIR

COLUMNS_FILE = "columns.yml"
SCHEMA_PATH = DATA_DIR / "firm_schema.yml"
# Priorities of a header's match (lower wins).
FROM_FILE, FROM_NAME, FROM_ALIAS = 0, 1, 2
PRIORITY_WORDS = {FROM_FILE: COLUMNS_FILE, FROM_NAME: "schema name", FROM_ALIAS: "alias"}
CLOSE_CUTOFF = 0.5
CLOSE_MATCHES = 3

# ---------------------------------------------------------------------------- value forms

BOOL_WORDS = {"是": "true", "否": "false", "有": "true", "无": "false", "y": "true", "n": "false"}
STATUS_WORDS = {
    "公示": "announced",
    "已公示": "announced",
    "待复核": "announced",
    "通过": "confirmed",
    "复核通过": "confirmed",
    "认定通过": "confirmed",
    "撤销": "revoked",
    "未通过": "revoked",
    "复核未通过": "revoked",
    "移出": "revoked",
}
PATENT_TYPE_WORDS = {
    "发明": "invention",
    "发明专利": "invention",
    "发明申请": "invention",
    "发明授权": "invention",
    "发明公开": "invention",
    "实用新型": "utility",
    "实用新型专利": "utility",
    "外观设计": "design",
    "外观设计专利": "design",
    "utility model": "utility",
}
PATENT_STATUS_WORDS = {
    "有效": "valid",
    "失效": "invalid",
    "无效": "invalid",
    "审中": "pending",
    "在审": "pending",
    "pending": "pending",
}
NUMERALS = "一二三四五六七八九"
# Batch ordinals as MIIT's lists write them; enough for decades of yearly batches.
MAX_BATCH_WORDS = 30


def chinese_number(n: int) -> str:
    """1 → 一, 10 → 十, 12 → 十二, 20 → 二十, 23 → 二十三 (1–99)."""
    tens, ones = divmod(n, 10)
    text = ("" if tens <= 1 else NUMERALS[tens - 1]) + ("十" if tens else "")
    return text + (NUMERALS[ones - 1] if ones else "")


def batch_words(count: int = MAX_BATCH_WORDS) -> dict[str, str]:
    """第一批 / 第1批 / 一 / 第一批次 … → '1' for batches 1..count."""
    words = {}
    for n in range(1, count + 1):
        for number in (chinese_number(n), str(n)):
            for form in ("第{}批", "第{}批次", "{}批", "{}"):
                words[form.format(number)] = str(n)
    return words


# Per table, per column: spellings accepted for the canonical values (bool columns get
# BOOL_WORDS through `words_for`).
WORDS = {
    "firms": {"review_status": STATUS_WORDS, "batch_no": batch_words()},
    "patent_records": {"patent_type": PATENT_TYPE_WORDS, "status": PATENT_STATUS_WORDS},
}

NUMBER_SQL = r"[+-]?[0-9][0-9,]*(\.[0-9]+)?"
# Money units of a 万元 column and their factor to 万元 (longest first: 万元 before 元).
MONEY_UNITS = {
    "亿元人民币": 10000,
    "亿人民币": 10000,
    "亿元": 10000,
    "亿": 10000,
    "万元人民币": 1,
    "万人民币": 1,
    "万元": 1,
    "万": 1,
    "元人民币": 0.0001,
    "人民币": 0.0001,
    "元": 0.0001,
}


# What exports write in a cell that has no value (企查查 writes "-").
PLACEHOLDERS = ("-", "--", "—", "——", "/", "暂无", "未公开")


def placeholder_sql(text: str) -> str:
    """SQL of a trimmed cell with the placeholders of "no value" made NULL."""
    listed = ", ".join(literal(p) for p in PLACEHOLDERS)
    return f"CASE WHEN {text} IN ({listed}) THEN NULL ELSE {text} END"


def words_for(table: str, rules: dict[str, dict]) -> dict[str, dict]:
    """Spellings accepted per column of `table` (rules: its schema columns)."""
    words = {c: BOOL_WORDS for c, rule in rules.items() if rule.get("type") == "bool"}
    return {**words, **WORDS.get(table, {})}


def number_sql(text: str, rule: dict) -> str:
    """SQL turning a number written with its unit into plain number text (`58人` → `58`,
    `1.5亿元` → `15000.0` in a 万元 column); other text unchanged. `text` is trimmed."""
    unit = rule.get("unit")
    if not unit:
        return text
    units = MONEY_UNITS if unit == "万元" else {unit: 1}
    alternatives = "|".join(re.escape(u) for u in units)
    pattern = literal(f"^({NUMBER_SQL})\\s*({alternatives})$")
    number = f"replace(regexp_extract({text}, {pattern}, 1), ',', '')"
    if set(units.values()) != {1}:
        factor = " ".join(f"WHEN {literal(u)} THEN {f}" for u, f in units.items())
        factor = f"CASE regexp_extract({text}, {pattern}, 3) {factor} END"
        number = f"CAST(round(CAST({number} AS DOUBLE) * {factor}, 6) AS VARCHAR)"
    return f"CASE WHEN regexp_matches({text}, {pattern}) THEN {number} ELSE {text} END"


def date_sql(text: str) -> str:
    """SQL of a date cell as YYYY-M-D text: 2021/3/5, 2021.3.5, 2021年3月5日, 20210305 and the
    `2021-03-05 00:00:00` of spreadsheet date cells; other text unchanged. `text` is trimmed."""
    cleaned = (
        f"regexp_replace(regexp_replace(regexp_replace({text}, ' 00:00:00$', ''), "
        "'[年月/.]', '-', 'g'), '日$', '')"
    )
    compact = f"substr({text}, 1, 4) || '-' || substr({text}, 5, 2) || '-' || substr({text}, 7, 2)"
    return (
        f"CASE WHEN regexp_full_match({text}, '[12][0-9]{{7}}') THEN {compact} ELSE {cleaned} END"
    )


# ---------------------------------------------------------------------------- headers


def normalise(header) -> str:
    """A header as compared: NFKC (全角 → ASCII), no whitespace, no `*` marker, lower case."""
    text = unicodedata.normalize("NFKC", "" if header is None else str(header))
    return re.sub(r"\s+", "", text).strip("*").lower()


@functools.cache
def schema_columns(schema_path: Path = SCHEMA_PATH) -> dict[str, dict[str, dict]]:
    """Table -> column -> rule of the input tables of data/firm_schema.yml."""
    content = yaml.safe_load(Path(schema_path).read_text(encoding="utf-8")) or {}
    return {name: dict(entry["columns"]) for name, entry in (content.get("tables") or {}).items()}


def required(rule: dict) -> bool:
    """A column that must be in the file (no `default`, not nullable)."""
    return "default" not in rule and not rule.get("nullable", False)


def read_columns_file(folder: Path, schema_path: Path = SCHEMA_PATH) -> dict[str, dict]:
    """The folder's columns.yml as table -> {header: column or None}; {} when there is none.
    DataInputError naming the file and every bad entry."""
    path = Path(folder) / COLUMNS_FILE
    if not os.path.lexists(path):
        return {}
    problem = unreadable(path)  # a broken link or a folder is refused, not taken for absent
    if problem is not None:
        raise DataInputError(problem)
    file = shown_file(path)
    try:
        content = yaml.safe_load(path.read_text(encoding="utf-8"))
    except (yaml.YAMLError, UnicodeDecodeError) as error:
        raise DataInputError(Problem(file, f"cannot read as YAML ({error})")) from None
    tables = schema_columns(schema_path)
    if content is None:
        return {}
    if not isinstance(content, dict):
        raise DataInputError(
            Problem(file, "expected table names with `export header: schema column` under each")
        )
    problems, mapping = [], {}
    for table, entries in content.items():
        if table not in tables:
            close = difflib.get_close_matches(str(table), list(tables), n=CLOSE_MATCHES)
            hint = f"; close matches: {', '.join(close)}" if close else ""
            problems.append(
                Problem(file, f"unknown table{hint}", value=table, choices=tuple(tables))
            )
            continue
        if not isinstance(entries, dict):
            problems.append(
                Problem(file, f"{table}: expected `export header: schema column` lines")
            )
            continue
        mapping[table] = {}
        for header, column in entries.items():
            if column is not None and column not in tables[table]:
                close = difflib.get_close_matches(str(column), list(tables[table]), n=3)
                hint = f"; close matches: {', '.join(close)}" if close else ""
                problems.append(
                    Problem(
                        file,
                        f"{table}: not a column of {table} in data/firm_schema.yml{hint}",
                        column=str(header),
                        value=column,
                    )
                )
                continue
            mapping[table][str(header)] = column
    if problems:
        raise DataInputError(problems)
    return mapping


@dataclass(frozen=True)
class Matcher:
    """What the headers of one input table may be called: normalised header -> (priority,
    schema column or None = ignored quietly)."""

    table: str
    rules: dict[str, dict]
    names: dict[str, tuple[int, str | None]]

    @classmethod
    def build(cls, table: str, from_file: dict | None = None, schema_path: Path = SCHEMA_PATH):
        rules = schema_columns(schema_path)[table]
        names: dict[str, tuple[int, str | None]] = {}
        for column, rule in rules.items():
            for alias in rule.get("aliases") or []:
                names.setdefault(normalise(alias), (FROM_ALIAS, column))
        for column in rules:  # a column's own name beats another column's alias
            names[normalise(column)] = (FROM_NAME, column)
        for header, column in (from_file or {}).items():
            names[normalise(header)] = (FROM_FILE, column)
        return cls(table, rules, names)

    def column(self, header) -> str | None:
        return self.names.get(normalise(header), (None, None))[1]

    def score(self, headers) -> int:
        """How many distinct schema columns the headers name (to find a header row)."""
        return len({self.column(h) for h in headers} - {None})

    def spellings(self, column: str) -> list[str]:
        """The names a column is known by: its own, then its aliases and columns.yml headers."""
        rule = self.rules[column]
        known = [column, *(rule.get("aliases") or [])]
        known += [h for h, (p, c) in self.names.items() if c == column and p == FROM_FILE]
        return list(dict.fromkeys(known))

    def resolve(self, headers: list[str], file: str) -> ColumnMap:
        """Which header gives which column (DataInputError when two of one priority give one)."""
        chosen: dict[str, tuple[int, int]] = {}  # column -> (priority, position)
        clashes, quiet = [], set()
        for position, header in enumerate(headers):
            priority, column = self.names.get(normalise(header), (None, None))
            if priority is None or normalise(header) == "":
                continue
            if column is None:
                quiet.add(position)
                continue
            if column in chosen and chosen[column][0] == priority:
                clashes.append((column, chosen[column][1], position))
            elif column not in chosen or priority < chosen[column][0]:
                chosen[column] = (priority, position)
        if clashes:
            raise DataInputError(
                [
                    Problem(
                        file,
                        f"columns '{headers[a]}' and '{headers[b]}' both give {column}; map the "
                        f"one to use in {COLUMNS_FILE} (and the other to ~ to ignore it)",
                        column=column,
                    )
                    for column, a, b in clashes
                ]
            )
        positions = {position: column for column, (_, position) in chosen.items()}
        unknown, shadowed = [], []
        for position, header in enumerate(headers):
            if position in positions or position in quiet:
                continue
            column = self.column(header)
            if column is not None:
                shadowed.append((header, column, headers[chosen[column][1]]))
            elif normalise(header):
                unknown.append(str(header))
        return ColumnMap(
            self, file, list(map(str, headers)), positions, unknown=unknown, shadowed=shadowed
        )


@dataclass
class ColumnMap:
    """The headers of one file and the schema column each gives (by position)."""

    matcher: Matcher
    file: str
    headers: list[str]
    positions: dict[int, str]  # position in the file -> schema column
    unknown: list[str] = field(default_factory=list)
    shadowed: list[tuple[str, str, str]] = field(default_factory=list)

    @property
    def columns(self) -> dict[str, str]:
        """Schema column -> header as written, in file order."""
        return {column: self.headers[p] for p, column in sorted(self.positions.items())}

    def shown(self, column: str) -> str:
        """A column as an error names it: the header as written, with its schema name."""
        header = self.columns.get(column)
        return column if header is None or header == column else f"{header} ({column})"

    def missing(self, column: str) -> Problem:
        """A required column no header gives, with the headers present closest to its names."""
        known = self.matcher.spellings(column)
        free = [h for p, h in enumerate(self.headers) if p not in self.positions and h.strip()]
        scores = {}
        for header in free:
            ratios = [
                difflib.SequenceMatcher(None, normalise(header), normalise(k)).ratio()
                for k in known
            ]
            scores[header] = max(ratios)
        close = sorted(
            (h for h, s in scores.items() if s >= CLOSE_CUTOFF), key=lambda h: -scores[h]
        )
        names = ", ".join(known[:5]) + (" …" if len(known) > 5 else "")
        message = f"required column is missing (a header {names})"
        if close:
            message += (
                f"; close matches among the headers: {', '.join(close[:CLOSE_MATCHES])} "
                f"(map one to {column} in {COLUMNS_FILE})"
            )
        return Problem(self.file, message, column=column)

    def notes(self) -> list[str]:
        """What was ignored, one line each (nothing when every header named a column)."""
        lines = []
        if self.unknown:
            lines.append(
                f"{self.file}: {len(self.unknown)} column(s) not in data/firm_schema.yml "
                f"ignored: {', '.join(self.unknown)}"
            )
        for header, column, used in self.shadowed:
            lines.append(f"{self.file}: column '{header}' also names {column}; '{used}' used")
        return lines


def matcher(folder: Path, table: str, schema_path: Path = SCHEMA_PATH) -> Matcher:
    """The header matcher of `table` for a folder (with its columns.yml)."""
    return Matcher.build(table, read_columns_file(folder, schema_path).get(table), schema_path)
