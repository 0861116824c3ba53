"""Validating a firm-level input table in DuckDB against its entry in data/firm_schema.yml, with
the messages of helpers.data.catalog.validate_frame (file, row, column, value, valid choices).

`validate(con, raw, spec, table)` turns the text table `raw` (helpers.firmlevel.ingest) into the
typed table `_typed_<table>` in one pass, behind the view `table` (its non-blank rows, `_row` =
the line in the file), then counts every kind of problem in one more: required and undeclared
columns, cells that are not of the column's type, missing values, values below `min` or above
`max`, values not `allowed`, duplicate keys. Only for a problem that occurs are its first
PROBLEM_ROWS rows fetched (ordered by row) and, beyond them, one line saying how many more there
are: a national export with a systematic error fails in seconds, not after a Python loop over
millions of rows.

Speed: a cell already in canonical form (`12`, `true`, `2021-03-05`) is typed by a cast without
trimming or spellings; only the other cells go through the general expression. The typed table
keeps one flag per row (a cell that does not convert, a blank row), not the text: only when some
cell does not convert is the table made again with that text, to name the cells. When every
cell is canonical, the cell checks (missing, min, max, allowed) are evaluated in the typing scan
too, as one more flag per row (`_check`); only when a row fails one are they counted one by one
(the checks of columns updated after typing, by aliases, are counted after the update).
"""

from __future__ import annotations

import difflib
import itertools
import math

import duckdb

from helpers.data import reference
from helpers.data.catalog import THOUSANDS, TRUE_WORDS, allowed_values
from helpers.data.errors import Problem
from helpers.firmlevel import columns as value_forms
from helpers.firmlevel import ingest
from helpers.firmlevel.engine import literal, quote
from helpers.firmlevel.ingest import WHITESPACE, RawTable, trim_text

PROBLEM_ROWS = 50
SQL_TYPES = {
    "int": "BIGINT",
    "float": "DOUBLE",
    "str": "VARCHAR",
    "bool": "BOOLEAN",
    "date": "DATE",
}
THOUSANDS_SQL = THOUSANDS.pattern.strip("^$").replace(r"\d", "[0-9]")


def bad(column: str) -> str:
    """The column of a typed table holding the text of cells that did not convert."""
    return quote(f"{column}\x1fbad")


def _case(text: str, words: dict, otherwise: str) -> str:
    whens = " ".join(f"WHEN {literal(k)} THEN {literal(v)}" for k, v in words.items())
    return f"CASE {text} {whens} ELSE {otherwise} END" if words else otherwise


_ONCE = itertools.count(1)  # a fresh lambda parameter name for each stage


def _once(text: str, build) -> str:
    """`build(v)` evaluated with `v` bound to the value of `text`: each stage of a cell's
    conversion names its input once (a lambda parameter), instead of pasting the previous
    stage's SQL into every place it is used; pasted, the expressions grew to ~10 KB per column
    and validating the sample's firms took 20 s instead of 1.5 s."""
    name = f"_zjtx_v{next(_ONCE)}"
    return f"list_transform([{text}], lambda {name}: {build(name)})[1]"


def finite(text: str) -> str:
    """SQL of a text cell as a DOUBLE, NULL (does not convert) when it is not a number or not
    finite: DuckDB, like Python, reads inf, -Infinity, nan and 1e999 (overflow) as doubles, and
    they would pass every range check and break the statistics downstream."""
    value = f"TRY_CAST({text} AS DOUBLE)"
    return f"CASE WHEN isfinite({value}) THEN {value} END"


def float_problem(value, unit: str) -> str:
    """What is wrong with the text of a float cell that did not convert."""
    try:
        number = float(str(value).replace(",", ""))
    except ValueError:
        return f"expected float{unit}"
    return "not a finite number" if not math.isfinite(number) else f"expected float{unit}"


def _typed(text: str, rule: dict, words: dict) -> str:
    """SQL of the typed value of a text cell (NULL when it does not convert)."""
    kind = rule.get("type", "str")
    if kind == "bool":
        mapping = {**{k: v for k, v in words.items()}, **TRUE_WORDS}
        whens = " ".join(
            f"WHEN {literal(k)} THEN {'true' if v in (True, 'true') else 'false'}"
            for k, v in mapping.items()
        )
        return f"CASE lower({text}) {whens} END"
    if words:
        text = _case(text, words, f"lower({text})")
    if kind in {"int", "float"}:
        if rule.get("unit"):
            text = _once(text, lambda t: value_forms.number_sql(t, rule))  # 58人, 1,200万元
        text = _once(
            text,
            lambda t: (
                f"CASE WHEN contains({t}, ',') AND regexp_full_match({t}, {literal(THOUSANDS_SQL)}) "
                f"THEN replace({t}, ',', '') ELSE {t} END"
            ),
        )
    if kind == "int":
        # TRY_CAST alone would take 3.5, 1e3 and 0x10; the canonical form is the fast path.
        def whole(t):
            value = f"TRY_CAST({t} AS BIGINT)"
            return (
                f"CASE WHEN CAST({value} AS VARCHAR) = {t} THEN {value} "
                f"WHEN regexp_full_match({t}, '[+-]?[0-9]+') THEN {value} END"
            )

        return _once(text, whole)
    if kind == "float":
        return _once(text, finite)
    if kind == "date":
        # 2021-03-05 (fast path), also 2021/3/5, 2021年3月5日, 20210305 (helpers.firmlevel.columns)
        cleaned = value_forms.date_sql(text)
        return (
            f"CASE WHEN length({text}) = 10 AND {text}[5] = '-' AND {text}[8] = '-' "
            f"AND {text}[1] IN ('1', '2') THEN TRY_CAST({text} AS DATE) "
            f"WHEN regexp_full_match({cleaned}, '[0-9]{{4}}-[0-9]{{1,2}}-[0-9]{{1,2}}') "
            f"THEN TRY_CAST({cleaned} AS DATE) END"
        )
    return text


def _alias_table(con, kind: str) -> str:
    name = f"_aliases_{kind}"
    pairs = reference.aliases(kind)
    values = ", ".join(f"({literal(k)}, {literal(v)})" for k, v in pairs.items())
    con.execute(f"CREATE OR REPLACE TEMP TABLE {name} (key VARCHAR, canonical VARCHAR)")
    con.execute(f"INSERT INTO {name} VALUES {values}")
    return name


def _fill_city_of_folds(con, table: str, column: str, city: str) -> None:
    """A province written as a 计划单列市 (宁波市) is folded into its province by the province
    aliases; the firm keeps the city when its city cell is empty."""
    pairs = [(k, v["city"]) for k, v in reference.folds().items() if v["city"]]
    values = ", ".join(f"({literal(k)}, {literal(v)})" for k, v in pairs)
    con.execute(
        f"UPDATE {table} SET {quote(city)} = f.city FROM (VALUES {values}) f(key, city) "
        f"WHERE f.key = lower(trim({table}.{quote(column)})) AND {table}.{quote(city)} IS NULL"
    )


def _close(value, allowed: list[str]) -> str:
    close = difflib.get_close_matches(str(value), allowed, n=3, cutoff=0.3)
    return "unknown value" + (f"; close matches: {', '.join(close)}" if close else "")


def plain(value):
    """A NumPy or DuckDB scalar as the plain Python value a Problem shows."""
    return value.item() if hasattr(value, "item") else value


def _fast(text: str, rule: dict, words: dict) -> tuple[str, str] | None:
    """(condition, value) of a cell already in canonical form (no whitespace to trim, no
    spelling to map), typed without the general expression; None when there is no such form.
    The value is exactly what _typed gives for the same text."""
    kind = rule.get("type", "str")
    if kind == "bool":  # true/false map to themselves whatever the spellings
        return f"{text} IN ('true', 'false')", f"{text} = 'true'"
    if words:
        return None
    if kind == "int":
        # INTEGER: a cheaper cast than BIGINT (8% of a national patents file's typing); a
        # whole number beyond it (no column's max is) takes the general expression.
        value = f"TRY_CAST({text} AS INTEGER)"
        return f"CAST({value} AS VARCHAR) = {text}", value
    if kind == "float":  # DuckDB refuses what trimming would change (non-ASCII spaces, commas)
        value = f"TRY_CAST({text} AS DOUBLE)"
        return f"isfinite({value})", value
    if kind == "date":  # a digit at both ends: nothing to trim
        return (
            f"length({text}) = 10 AND {text}[5] = '-' AND {text}[8] = '-' "
            f"AND {text}[1] IN ('1', '2') AND {text}[10] BETWEEN '0' AND '9'",
            f"TRY_CAST({text} AS DATE)",
        )
    return None


def _value(text: str, rule: dict, words: dict, trimmed: bool) -> str:
    """SQL of the typed value of a cell: `text` is trimmed already, or raw (then a cell in
    canonical form takes the fast path and only the others are trimmed). In a nullable column
    an exports' placeholder for "no value" (-, --, 暂无) is empty."""
    if rule.get("nullable", False):

        def blank(t):
            return _once(t, value_forms.placeholder_sql)
    else:

        def blank(t):
            return t

    if trimmed:
        return _typed(blank(text), rule, words)
    slow = _typed(blank(trim_text(text)), rule, words)
    fast = _fast(text, rule, words)
    # An empty cell (most cells of the optional attributes) is NULL without the general path.
    if fast is None:
        return f"CASE WHEN {text} IS NULL THEN NULL ELSE {slow} END"
    return f"CASE WHEN {text} IS NULL THEN NULL WHEN {fast[0]} THEN {fast[1]} ELSE {slow} END"


def _state(text: str, typed: str, kind: str, trimmed: bool, rule: dict) -> str:
    """0: the cell has a value, 1: its text does not convert (bad), 2: it is empty."""
    if kind == "VARCHAR":  # text or its mapped spelling: NULL only when empty
        return f"CASE WHEN {typed} IS NOT NULL THEN 0 ELSE 2 END"
    empty = f"{text} IS NULL" if trimmed else f"{text} IS NULL OR {trim_text(text)} IS NULL"
    if rule.get("nullable", False):
        shown = text if trimmed else trim_text(text)
        empty += f" OR {value_forms.placeholder_sql(shown)} IS NULL"
    return f"CASE WHEN {typed} IS NOT NULL THEN 0 WHEN {empty} THEN 2 ELSE 1 END"


def typed_table(table: str) -> str:
    """The DuckDB table behind the view `table` (validate's typed cells and row flags)."""
    return f"_typed_{table}"


def _absent(column: str, rule: dict, raw: RawTable, trimmed: bool) -> str | None:
    """SQL of a schema column the file lacks (a copy of its `from_column`, its `default`, or
    all missing); None when the file has it."""
    kind = SQL_TYPES[rule.get("type", "str")]
    if column in raw.columns:
        return None
    if rule.get("from_column") in raw.columns:  # firm_id absent: the name stands in
        copied = _value(f"r.{quote(rule['from_column'])}", rule, {}, trimmed)
        return f"CAST({copied} AS {kind}) AS {quote(column)}"
    if "default" not in rule:  # an absent nullable or optional column: all missing
        return f"CAST(NULL AS {kind}) AS {quote(column)}"
    default = literal(str(rule["default"]).lower())
    return f"CAST({_typed(default, rule, {})} AS {kind}) AS {quote(column)}"


def _view(con, raw: RawTable, table: str, blank: int, hidden=()) -> None:
    """The view `table` on the typed table: the file's non-blank rows, `_row` first (the
    typed table's `hidden` columns left out)."""
    # The line of a record: its position in the file (rowid) + 2, kept for XLSX and Parquet.
    row = "_row" if raw.row else "rowid + 2 AS _row"
    excluded = ["_flag", *hidden, *(["_row"] if raw.row else [])]
    con.execute(
        f"CREATE OR REPLACE VIEW {table} AS SELECT {row}, * EXCLUDE ({', '.join(excluded)}) "
        f"FROM {typed_table(table)}" + (" WHERE _flag <> 2" if blank else "")
    )


def _canonical(text: str, rule: dict, words: dict) -> tuple[str, str] | None:
    """(condition, value) of a cell written in its column's canonical form, as _fast, and for
    text columns too: text with no whitespace at its ends that is no placeholder, or, in a
    column with spellings, one of the canonical values. The value is exactly what the general
    expression gives for the same text; None when the column has no such form."""
    kind = rule.get("type", "str")
    if kind == "str":
        if words:
            canonical = sorted(
                v
                for v in set(words.values())
                if v == v.lower() == v.strip(WHITESPACE)
                and v
                and words.get(v, v) == v
                and v not in value_forms.PLACEHOLDERS
            )
            if not canonical:
                return None
            return f"{text} IN ({', '.join(literal(v) for v in canonical)})", text
        codes = ", ".join(str(ord(c)) for c in WHITESPACE)
        condition = f"NOT (ord({text}) IN ({codes}) OR ord({text}[-1]) IN ({codes}))"
        if rule.get("nullable", False):
            listed = ", ".join(literal(p) for p in value_forms.PLACEHOLDERS)
            condition += f" AND {text} NOT IN ({listed})"
        return condition, text
    if kind == "int" and words:
        # Digits among the spellings (batch 5 written 5) must stand for themselves.
        digits = [k for k in words if k.lstrip("+-").isdigit()]
        if any(words[k] != k for k in digits):
            return None
        return _fast(text, rule, {})
    return _fast(text, rule, words)


def _create_canonical(
    con, raw: RawTable, spec, table: str, words: dict, fused: list[str] = ()
) -> tuple[int, int] | None:
    """The typed table of `raw` when every cell is empty or written in its canonical form
    (12, 0.5, true, 2021-03-05, text without edge whitespace): one scan with a cast per cell
    and no general expression, about the cost of reading the file (a national export's columns
    are written this way). `fused`: SQL conditions on the typed columns (cell checks, see
    _checks) evaluated in the same scan, as one flag per row (`_check`). Returns (non-blank
    rows, non-blank rows failing a fused condition); None when some cell is not canonical (then
    _create types the table with the general expression)."""
    if raw.trimmed:
        return None
    selected = [f"{raw.row} AS _row"] if raw.row else []
    empty, lost = [], []  # per cell given: its text is empty; its text did not convert
    for column, rule in spec.all_columns.items():
        absent = _absent(column, rule, raw, False)
        if absent is not None:
            selected.append(absent)
            continue
        kind = SQL_TYPES[rule.get("type", "str")]
        if kind == "BIGINT":
            # Every canonical whole number fits INTEGER (_fast): half a BIGINT's memory, so a
            # national export's typed tables fit DuckDB's memory cap without spilling.
            kind = "INTEGER"
        text = f"r.{quote(column)}"
        canonical = _canonical(text, rule, words.get(column, {}))
        if canonical is None:
            return None
        condition, value = canonical
        selected.append(
            f"CAST(CASE WHEN {condition} THEN {value} END AS {kind}) AS {quote(column)}"
        )
        null = quote(f"{column}\x1fempty")
        selected.append(f"{text} IS NULL AS {null}")
        empty.append(null)
        lost.append(f"({quote(column)} IS NULL AND NOT {null})")
    if not empty:
        return None
    # 2: a blank row (no cell given); 4: a cell given that is not canonical (NULL value).
    # Booleans, not counts of cells: a row's first given cell decides most rows.
    flag = f"CASE WHEN {' AND '.join(empty)} THEN 2 WHEN {' OR '.join(lost)} THEN 4 ELSE 0 END"
    check = " OR ".join(f"({c})" for c in fused) if fused else "false"
    con.execute(
        f"CREATE OR REPLACE TABLE {typed_table(table)} AS SELECT * EXCLUDE (_flag, "
        f"{', '.join(empty)}), CAST(_flag AS UTINYINT) AS _flag, "
        f"CAST(_flag = 0 AND coalesce({check}, false) AS BOOLEAN) AS _check FROM "
        f"(SELECT *, {flag} AS _flag FROM (SELECT {', '.join(selected)} FROM {raw.table} r))"
    )
    other, kept, blank, failing = con.execute(
        "SELECT count(*) FILTER (WHERE _flag = 4), count(*) FILTER (WHERE _flag = 0), "
        f"count(*) FILTER (WHERE _flag = 2), count(*) FILTER (WHERE _check) "
        f"FROM {typed_table(table)}"
    ).fetchone()
    if other:
        return None
    _view(con, raw, table, blank, hidden=("_check",))
    return kept, failing


def _create(con, raw: RawTable, spec, table: str, words: dict, detail: bool) -> tuple[int, int]:
    """Create the typed table of `raw` and the view `table` on it (the file's non-blank rows with
    `_row`); return (rows with a cell that does not convert, non-blank rows). `detail` also
    keeps, in the table and the view, the text of each typed cell that does not convert
    (bad(column))."""
    columns = spec.all_columns
    trimmed = raw.trimmed
    source = raw.table
    if detail and not trimmed:  # the bad cells are shown trimmed
        texts = ", ".join(f"{trim_text(quote(c))} AS {quote(c)}" for c in raw.columns)
        source = f"(SELECT {'_row, ' if raw.row else ''}{texts} FROM {raw.table})"
        trimmed = True
    selected = [f"{raw.row} AS _row"] if raw.row else []
    inner, states = ["r.*"], []  # typed values computed once, inside
    for column, rule in columns.items():
        kind = SQL_TYPES[rule.get("type", "str")]
        absent = _absent(column, rule, raw, trimmed)
        if absent is not None:
            selected.append(absent)
            continue
        text, typed = f"r.{quote(column)}", quote(f"{column}\x1ftyped")
        value = _value(text, rule, words.get(column, {}), trimmed)
        inner.append(f"CAST({value} AS {kind}) AS {typed}")
        selected.append(f"{typed} AS {quote(column)}")
        state = quote(f"{column}\x1fstate")
        inner_state = _state(text, typed, kind, trimmed, rule)
        states.append((state, inner_state))
        if detail and kind != "VARCHAR":
            selected.append(f"CASE WHEN {state} = 1 THEN {text} END AS {bad(column)}")
    names = [s for s, _ in states]
    # 1 when a cell does not convert, 2 when every cell is empty (a blank row), else 0
    flag = f"(({' | '.join(names)}) & 1) | (({' & '.join(names)}) & 2)" if names else "2"
    selected.append(f"CAST({flag} AS UTINYINT) AS _flag")
    with_states = ", ".join(f"CAST({sql} AS UTINYINT) AS {name}" for name, sql in states)
    # One scan, no join: the typed table keeps the file's order (rowid = record number).
    con.execute(
        f"CREATE OR REPLACE TABLE {typed_table(table)} AS SELECT {', '.join(selected)} FROM "
        f"(SELECT r.*{', ' + with_states if states else ''} FROM "
        f"(SELECT {', '.join(inner)} FROM {source} r) r) r"
    )
    bad_rows, kept, blank = con.execute(
        "SELECT count(*) FILTER (WHERE _flag = 1), count(*) FILTER (WHERE _flag <> 2), "
        f"count(*) FILTER (WHERE _flag = 2) FROM {typed_table(table)}"
    ).fetchone()
    _view(con, raw, table, blank)
    return bad_rows, kept


def validate(
    con: duckdb.DuckDBPyConnection,
    raw: RawTable,
    spec,
    table: str,
    words: dict | None = None,
    by_key: dict[str, str] | None = None,
) -> list[Problem]:
    """Create the typed view `table` from `raw` and return every problem of `spec` (empty when
    the table is valid). `words`: per column, spellings mapped to canonical values. `by_key`:
    aggregates (name -> SQL) the caller wants per group of the key without its narrow integer
    (per firm of firm_id, year), computed with the duplicate check's groups into the table
    key_groups(table) (absent when the check did not group: see _no_duplicate_years)."""
    words = words or {}
    file, columns = raw.file, spec.all_columns
    problems = [
        Problem(
            file, f"column is not declared in {spec.catalog_file}", column=c, choices=tuple(columns)
        )
        for c in raw.columns
        if c not in columns
    ]
    # Optional columns: those with a `default` or `from_column`, optional and nullable ones
    # (all missing when absent).
    absent = [
        c
        for c, rule in columns.items()
        if c not in raw.columns
        and "default" not in rule
        and rule.get("from_column") not in raw.columns
        and not rule.get("nullable", False)
        and not rule.get("optional", False)
    ]
    problems += [
        raw.column_map.missing(c)
        if raw.column_map is not None
        else Problem(file, "required column is missing", column=c, choices=tuple(columns))
        for c in absent
    ]
    if absent:
        return problems
    try:
        # Valid cells need no text kept: a narrow table first; only when some cell does not
        # convert is it made again with the text of those cells, to name them.
        detail = False
        # The cell checks of columns that keep their typed values are counted in the typing
        # scan (one flag per row); those of columns updated below (aliases, a province's city)
        # after the update.
        updated = _updated_columns(columns, raw.columns)
        fused = [c for c in _checks(spec, raw.columns, detail) if c[0] not in updated]
        canonical = _create_canonical(con, raw, spec, table, words, [c[1] for c in fused])
        bad_rows, failing = 0, None
        if canonical is None:
            bad_rows, kept = _create(con, raw, spec, table, words, detail)
        else:
            kept, failing = canonical
        if bad_rows:
            detail = True
            bad_rows, kept = _create(con, raw, spec, table, words, detail)
    except duckdb.Error as error:
        if raw.path is None:
            raise
        if raw.utf8_unchecked and ingest.not_utf8(error):
            raw = raw.transcoded(con)  # GBK/GB18030 (or refused as not Chinese)
        else:
            raw = raw.reread(con)  # raises the row-naming error of a malformed CSV
        return validate(con, raw, spec, table, words, by_key)
    if not kept and raw.path is not None:
        raw.reread(con)  # a header without rows: the text reader's error
    raw.drop(con)
    typed = typed_table(table)
    for column, rule in columns.items():
        if rule.get("fills_city") in raw.columns and column in raw.columns:
            _fill_city_of_folds(con, typed, column, rule["fills_city"])
        if rule.get("normalize") and column in raw.columns:
            alias = _alias_table(con, rule["normalize"])
            con.execute(
                f"UPDATE {typed} SET {quote(column)} = a.canonical FROM {alias} a "
                f"WHERE a.key = lower({typed}.{quote(column)}) "
                f"AND a.canonical <> {typed}.{quote(column)}"
            )
    checks = _checks(spec, raw.columns, detail)
    if failing == 0:  # every fused check passed in the typing scan
        checks = [c for c in checks if c[0] in updated]
    if checks:
        counts = con.execute(
            "SELECT "
            + ", ".join(f"count(*) FILTER (WHERE {c[1]})" for c in checks)
            + f" FROM {table}"
        ).fetchone()
        for (column, condition, value, describe), count in zip(checks, counts, strict=True):
            if not count:
                continue
            found = con.execute(
                f"SELECT _row, {value} FROM {table} WHERE {condition} "
                f"ORDER BY _row LIMIT {PROBLEM_ROWS}"
            ).fetchall()
            lines = raw.lines(row for row, _ in found)
            for row, shown in found:
                message, shown, choices = describe(plain(shown))
                problems.append(
                    Problem(
                        file, message, row=lines[row], column=column, value=shown, choices=choices
                    )
                )
            if count > len(found):
                problems.append(more_rows(file, column, count - len(found)))
    problems += _duplicates(con, raw, spec, table, by_key or {})
    return problems


def _updated_columns(columns: dict, present: list[str]) -> set[str]:
    """The columns validate updates after typing: normalised by aliases, and the city a
    province written as a 计划单列市 fills (their cell checks run after the update)."""
    updated = set()
    for column, rule in columns.items():
        if column not in present:
            continue
        if rule.get("normalize"):
            updated.add(column)
        if rule.get("fills_city") in present:
            updated |= {column, rule["fills_city"]}
    return updated


def more_rows(file: str, column: str | None, count: int) -> Problem:
    """The line after the first PROBLEM_ROWS problems of a kind: how many more rows have it."""
    return Problem(file, f"... and {count} more rows with this problem", column=column)


def _checks(spec, present: list[str], detail: bool = True) -> list[tuple]:
    """(column, SQL condition, SQL of the value shown, describe(value) -> (message, value,
    choices)) of every cell check of `spec`. Without `detail` every cell converted (there are
    no bad(column) columns)."""
    checks = []
    for column, rule in spec.all_columns.items():
        if column not in present:
            continue
        kind = rule.get("type", "str")
        name = quote(column)
        if kind != "str" and detail:
            unit = f" ({rule['unit']})" if rule.get("unit") else ""
            message = f"expected {kind}{unit}"
            if kind == "float":  # inf, nan: said as such

                def describe(v, u=unit):
                    return float_problem(v, u), v, ()
            else:

                def describe(v, m=message):
                    return m, v, ()

            checks.append((column, f"{bad(column)} IS NOT NULL", bad(column), describe))
        if not rule.get("nullable", False):
            typed = kind != "str" and detail
            condition = f"{name} IS NULL" + (f" AND {bad(column)} IS NULL" if typed else "")
            checks.append((column, condition, "NULL", lambda v: ("missing value", None, ())))
        for bound, op, word in (("min", "<", "least"), ("max", ">", "most")):
            if bound in rule:
                message = f"must be at {word} {rule[bound]}"
                checks.append(
                    (column, f"{name} {op} {rule[bound]}", name, lambda v, m=message: (m, v, ()))
                )
        if "allowed" in rule:
            allowed = allowed_values(rule["allowed"])
            listed = ", ".join(literal(v) for v in allowed)
            choices = tuple(allowed) if len(allowed) <= 12 else ()
            checks.append(
                (
                    column,
                    f"{name} NOT IN ({listed})",
                    name,
                    lambda v, a=allowed, c=choices: (_close(v, a), v, c),
                )
            )
    return checks


SPAN_BITS = 127  # the positive bits of a HUGEINT


def key_groups(table: str) -> str:
    """The table of validate's `by_key` aggregates of `table`, one row per key group."""
    return f"_by_key_{table}"


def _no_duplicate_years(con, spec, table: str, by_key: dict[str, str]) -> bool:
    """Whether a key of firm and a narrow integer (firm_id, year: 1985–2100) has no duplicate,
    from one group per firm instead of a distinct count of every row (a national export's
    12 M patent rows): each firm's values as bits of one number, as many bits set as rows.
    False when the key has no such column, a value lies outside its range (then the general
    count decides) or some firm has a duplicate."""
    narrow = [
        k
        for k in spec.key
        if spec.all_columns[k].get("type") == "int"
        and {"min", "max"} <= set(spec.all_columns[k])
        and spec.all_columns[k]["max"] - spec.all_columns[k]["min"] < SPAN_BITS
    ]
    if len(narrow) != 1 or len(spec.key) < 2:
        return False
    column, low = quote(narrow[0]), int(spec.all_columns[narrow[0]]["min"])
    high = int(spec.all_columns[narrow[0]]["max"])
    others = ", ".join(quote(k) for k in spec.key if k != narrow[0])
    inside = f"{column} BETWEEN {low} AND {high}"
    bit = f"CAST(1 AS HUGEINT) << CAST({column} - {low} AS HUGEINT)"
    groups = (
        f"SELECT {others}, count(*) AS rows, "
        f"bit_count(bit_or(CASE WHEN {inside} THEN {bit} END)) AS bits, "
        f"bool_or({column} IS NULL OR NOT ({inside})) AS outside"
        + "".join(f", {sql} AS {quote(name)}" for name, sql in by_key.items())
        + f" FROM {table} GROUP BY {others}"
    )
    if by_key:  # kept for the caller (one grouping of the rows for both)
        con.execute(f"CREATE OR REPLACE TEMP TABLE {key_groups(table)} AS {groups}")
        groups = f"SELECT * FROM {key_groups(table)}"
    repeated, outside = con.execute(
        "SELECT count(*) FILTER (WHERE rows <> bits), coalesce(bool_or(outside), false) FROM "
        f"({groups})"
    ).fetchone()
    return not repeated and not outside


def _duplicates(con, raw: RawTable, spec, table: str, by_key: dict[str, str]) -> list[Problem]:
    """Rows sharing a key, each key column of each such row (as pandera reports them)."""
    key = [quote(k) for k in spec.key]
    if not key:
        return []
    joined = ", ".join(key)
    if _no_duplicate_years(con, spec, table, by_key):
        return []
    # Fast path: distinct key hashes as many as rows means no duplicate (a hash collision only
    # sends the table to the exact count).
    rows, hashes = con.execute(
        f"SELECT count(*), count(DISTINCT hash({joined})) FROM {table}"
    ).fetchone()
    if rows == hashes:
        return []
    count = con.execute(
        f"SELECT count(*) FROM (SELECT {joined} FROM {table} GROUP BY {joined} HAVING count(*) > 1)"
    ).fetchone()[0]
    if not count:
        return []
    found = con.execute(
        f"SELECT _row, {joined} FROM {table} QUALIFY count(*) OVER (PARTITION BY {joined}) > 1 "
        f"ORDER BY _row LIMIT {PROBLEM_ROWS}"
    ).fetchall()
    lines = raw.lines(row for row, *_ in found)
    message = f"duplicate key {list(spec.key)}"
    problems = [
        Problem(raw.file, message, row=lines[record[0]], column=column, value=plain(record[i + 1]))
        for i, column in enumerate(spec.key)
        for record in found
    ]
    if count > len(found):
        problems.append(more_rows(raw.file, None, count))
    return problems
