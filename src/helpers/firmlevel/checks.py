"""Validating a firm-level input table in DuckDB against its entry in data/firm_schema.yml, with
the messages of helpers.data.catalog.validate_frame (file, row, column, value, valid choices).

`validate(con, raw, spec, table)` turns the text table `raw` (helpers.firmlevel.ingest) into the
typed table `table` in one pass, then counts every kind of problem in one more: required and
undeclared columns, cells that are not of the column's type, missing values, values below `min`
or above `max`, values not `allowed`, duplicate keys. Only for a problem that occurs are its
first PROBLEM_ROWS rows fetched (ordered by row) and, beyond them, one line saying how many more
there are: a national export with a systematic error fails in seconds, not after a Python loop
over millions of rows.
"""

from __future__ import annotations

import difflib

import duckdb

from helpers.data import reference
from helpers.data.catalog import THOUSANDS, TRUE_WORDS, _allowed_values
from helpers.data.errors import Problem
from helpers.firmlevel.engine import literal, quote
from helpers.firmlevel.ingest import RawTable

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
        text = (
            f"CASE WHEN contains({text}, ',') AND regexp_full_match({text}, {literal(THOUSANDS_SQL)}) "
            f"THEN replace({text}, ',', '') ELSE {text} END"
        )
    if kind == "int":
        # TRY_CAST alone would take 3.5, 1e3 and 0x10; the canonical form is the fast path.
        value = f"TRY_CAST({text} AS BIGINT)"
        return (
            f"CASE WHEN CAST({value} AS VARCHAR) = {text} THEN {value} "
            f"WHEN regexp_full_match({text}, '[+-]?[0-9]+') THEN {value} END"
        )
    if kind == "float":
        return f"TRY_CAST({text} AS DOUBLE)"
    if kind == "date":
        # 2021-03-05 (fast path), also 2021/3/5 and the 2021-03-05 00:00:00 of XLSX cells
        cleaned = f"replace(regexp_replace({text}, ' 00:00:00$', ''), '/', '-')"
        return (
            f"CASE WHEN length({text}) = 10 AND {text}[5] = '-' AND {text}[8] = '-' "
            f"AND {text}[1] IN ('1', '2') THEN TRY_CAST({text} AS DATE) "
            f"WHEN regexp_full_match({cleaned}, '[0-9]{{4}}-[0-9]{{1,2}}-[0-9]{{1,2}}') "
            f"THEN TRY_CAST({cleaned} AS DATE) END"
        )
    return text


def _alias_table(con, kind: str) -> str:
    name = f"_aliases_{kind}"
    pairs = reference._aliases(kind)
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


def _plain(value):
    return value.item() if hasattr(value, "item") else value


def validate(
    con: duckdb.DuckDBPyConnection, raw: RawTable, spec, table: str, words: dict | None = None
) -> list[Problem]:
    """Create the typed table `table` from `raw` and return every problem of `spec` (empty when
    the table is valid). `words`: per column, spellings mapped to canonical values."""
    words = words or {}
    file, columns = raw.file, spec.all_columns
    problems = [
        Problem(
            file, f"column is not declared in {spec.catalog_file}", column=c, choices=tuple(columns)
        )
        for c in raw.columns
        if c not in columns
    ]
    # Optional columns: those with a `default`, and nullable ones (all missing when absent).
    absent = [
        c
        for c, rule in columns.items()
        if c not in raw.columns and "default" not in rule and not rule.get("nullable", False)
    ]
    problems += [
        Problem(file, "required column is missing", column=c, choices=tuple(columns))
        for c in absent
    ]
    if absent:
        return problems
    selected = [f"{raw.row} AS _row"] if raw.row else []
    inner = ["r.*"]  # each typed value computed once, in the inner projection
    for column, rule in columns.items():
        kind = SQL_TYPES[rule.get("type", "str")]
        if column not in raw.columns:
            if "default" not in rule:  # an absent nullable column: every value missing
                selected.append(f"CAST(NULL AS {kind}) AS {quote(column)}")
                continue
            default = literal(str(rule["default"]).lower())
            selected.append(f"CAST({_typed(default, rule, {})} AS {kind}) AS {quote(column)}")
            continue
        text, typed = f"r.{quote(column)}", quote(f"{column}\x1ftyped")
        inner.append(f"CAST({_typed(text, rule, words.get(column, {}))} AS {kind}) AS {typed}")
        selected.append(f"{typed} AS {quote(column)}")
        if kind != "VARCHAR":
            selected.append(f"CASE WHEN {typed} IS NULL THEN {text} END AS {bad(column)}")
    blank = " AND ".join(f"r.{quote(c)} IS NULL" for c in raw.columns) or "false"
    selected.append(f"{blank} AS _blank")
    # One scan, no join: the typed table keeps the file's order (rowid = record number).
    create = (
        f"CREATE OR REPLACE TABLE {table} AS SELECT {', '.join(selected)} FROM "
        f"(SELECT {', '.join(inner)} FROM {raw.table} r) r"
    )
    try:
        con.execute(create)
    except duckdb.Error:
        if raw.path is None:
            raise
        raw = raw.reread(con)  # raises the row-naming error of a malformed CSV
        return validate(con, raw, spec, table, words)
    if raw.row is None:
        con.execute(f"ALTER TABLE {table} ADD COLUMN _row BIGINT")
        con.execute(f"UPDATE {table} SET _row = rowid + 2")
    empty = not con.execute(f"SELECT count(*) FROM {table} WHERE NOT _blank").fetchone()[0]
    if empty and raw.path is not None:
        raw.reread(con)  # a header without rows: the text reader's error
    raw.drop(con)
    for column, rule in columns.items():
        if rule.get("fills_city") in raw.columns and column in raw.columns:
            _fill_city_of_folds(con, table, column, rule["fills_city"])
        if rule.get("normalize") and column in raw.columns:
            alias = _alias_table(con, rule["normalize"])
            con.execute(
                f"UPDATE {table} SET {quote(column)} = a.canonical FROM {alias} a "
                f"WHERE a.key = lower({table}.{quote(column)}) "
                f"AND a.canonical <> {table}.{quote(column)}"
            )
    checks = _checks(spec, raw.columns)
    if checks:
        counts = con.execute(
            "SELECT "
            + ", ".join(f"count(*) FILTER (WHERE {c[1]})" for c in checks)
            + f" FROM {table} WHERE NOT _blank"
        ).fetchone()
        for (column, condition, value, describe), count in zip(checks, counts, strict=True):
            if not count:
                continue
            found = con.execute(
                f"SELECT _row, {value} FROM {table} WHERE ({condition}) AND NOT _blank "
                f"ORDER BY _row LIMIT {PROBLEM_ROWS}"
            ).fetchall()
            lines = raw.lines(row for row, _ in found)
            for row, shown in found:
                message, shown, choices = describe(_plain(shown))
                problems.append(
                    Problem(
                        file, message, row=lines[row], column=column, value=shown, choices=choices
                    )
                )
            if count > len(found):
                problems.append(_more(file, column, count - len(found)))
    con.execute(f"DELETE FROM {table} WHERE _blank")
    con.execute(f"ALTER TABLE {table} DROP COLUMN _blank")
    problems += _duplicates(con, raw, spec, table)
    for column in columns:
        if column in raw.columns and SQL_TYPES[columns[column].get("type", "str")] != "VARCHAR":
            con.execute(f"ALTER TABLE {table} DROP COLUMN {bad(column)}")
    return problems


def _more(file: str, column: str | None, count: int) -> Problem:
    return Problem(file, f"... and {count} more rows with this problem", column=column)


def _checks(spec, present: list[str]) -> list[tuple]:
    """(column, SQL condition, SQL of the value shown, describe(value) -> (message, value,
    choices)) of every cell check of `spec`."""
    checks = []
    for column, rule in spec.all_columns.items():
        if column not in present:
            continue
        kind = rule.get("type", "str")
        name = quote(column)
        if kind != "str":
            unit = f" ({rule['unit']})" if rule.get("unit") else ""
            message = f"expected {kind}{unit}"
            checks.append(
                (column, f"{bad(column)} IS NOT NULL", bad(column), lambda v, m=message: (m, v, ()))
            )
        if not rule.get("nullable", False):
            condition = f"{name} IS NULL" + (f" AND {bad(column)} IS NULL" if kind != "str" else "")
            checks.append((column, condition, "NULL", lambda v: ("missing value", None, ())))
        for bound, op, word in (("min", "<", "least"), ("max", ">", "most")):
            if bound in rule:
                message = f"must be at {word} {rule[bound]}"
                checks.append(
                    (column, f"{name} {op} {rule[bound]}", name, lambda v, m=message: (m, v, ()))
                )
        if "allowed" in rule:
            allowed = _allowed_values(rule["allowed"])
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


def _duplicates(con, raw: RawTable, spec, table: str) -> list[Problem]:
    """Rows sharing a key, each key column of each such row (as pandera reports them)."""
    key = [quote(k) for k in spec.key]
    if not key:
        return []
    joined = ", ".join(key)
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
        Problem(raw.file, message, row=lines[record[0]], column=column, value=_plain(record[i + 1]))
        for i, column in enumerate(spec.key)
        for record in found
    ]
    if count > len(found):
        problems.append(_more(raw.file, None, count))
    return problems
