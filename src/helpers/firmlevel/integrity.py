"""Checks across the rows and files of a firm-level folder, in SQL on the typed DuckDB tables
(helpers.firmlevel.checks made them): a city of data/reference/cities.csv lies in its row's
province; every firm_id of `patents` (or `patent_records`) and `listings` is in `firms`;
invention applications do not exceed applications; no year (or date) after the cut-off; at most
one carry-in row per firm, its earliest. Each returns the problems of its first PROBLEM_ROWS rows
(ordered by row) and a line with how many more."""

from __future__ import annotations

import difflib

from helpers.data import reference
from helpers.data.errors import Problem
from helpers.firmlevel.checks import PROBLEM_ROWS, more_rows, plain
from helpers.firmlevel.engine import literal

# Above this many firm ids, close matches are looked for among the 200 nearest by Jaro-Winkler.
DIFFLIB_MAX_IDS = 20_000


def first_rows(con, query: str, lines=None) -> tuple[list[tuple], int]:
    """(first PROBLEM_ROWS records of `query` ordered by _row, total count)."""
    count = con.execute(f"SELECT count(*) FROM ({query})").fetchone()[0]
    if not count:
        return [], 0
    found = con.execute(f"SELECT * FROM ({query}) ORDER BY _row LIMIT {PROBLEM_ROWS}").fetchall()
    if lines is not None:
        mapped = lines(r[0] for r in found)
        found = [(mapped[r[0]], *r[1:]) for r in found]
    return found, count


def row_problems(file, found, count, column, message, value=lambda r: plain(r[1])) -> list[Problem]:
    """A Problem per record of `found` (its row first), then a line for the rest of `count`."""
    problems = [Problem(file, message(r), row=r[0], column=column, value=value(r)) for r in found]
    if count > len(found):
        problems.append(more_rows(file, column, count - len(found)))
    return problems


def city_problems(con, file: str, lines=None) -> list[Problem]:
    """A city of data/reference/cities.csv must lie in the row's province."""
    cities = reference.table("cities")[["city", "province"]]
    pairs = ", ".join(f"({literal(c)}, {literal(p)})" for c, p in cities.itertuples(index=False))
    query = (
        f"SELECT f._row, f.city, f.province, c.province AS home FROM firms f JOIN "
        f"(VALUES {pairs}) c(city, province) ON f.city = c.city WHERE f.province <> c.province"
    )
    found, count = first_rows(con, query, lines)
    return row_problems(
        file,
        found,
        count,
        "city",
        lambda r: f"{r[1]} lies in {r[3]}, not in {r[2]} (column province)",
    )


def _close_ids(con, firm_id: str, total: int) -> list[str]:
    if total <= DIFFLIB_MAX_IDS:
        known = [r[0] for r in con.execute("SELECT firm_id FROM firms ORDER BY _row").fetchall()]
    else:
        known = [
            r[0]
            for r in con.execute(
                "SELECT firm_id FROM firms ORDER BY jaro_winkler_similarity(firm_id, ?) DESC, "
                "_row LIMIT 200",
                [firm_id],
            ).fetchall()
        ]
    return difflib.get_close_matches(str(firm_id), list(dict.fromkeys(known)), n=3, cutoff=0.6)


def unknown_firm_problems(con, table: str, file: str, firms_file: str, lines=None):
    """Every firm_id of `table` must be in firms."""
    query = f"SELECT _row, firm_id FROM {table} t WHERE NOT EXISTS (SELECT 1 FROM firms f WHERE f.firm_id = t.firm_id)"
    found, count = first_rows(con, query, lines)
    if not found:
        return []
    total = con.execute("SELECT count(*) FROM firms").fetchone()[0]

    def message(record):
        close = _close_ids(con, record[1], total)
        return f"unknown firm_id: not in {firms_file}" + (
            f"; close matches: {', '.join(close)}" if close else ""
        )

    return row_problems(file, found, count, "firm_id", message)


def patent_aggregates(cutoff: str) -> dict[str, str]:
    """Per firm of patents: whether it has a row with more invention applications than
    applications, a row after the cut-off year, carry-in rows that break the rule (more than
    one, or not the firm's earliest row); see patent_problems."""
    cutoff_year = int(cutoff[:4])
    return {
        "inventions": "bool_or(invention_applications > applications)",
        "late": f"bool_or(year > {cutoff_year})",
        "carry": "count(*) FILTER (WHERE includes_earlier_years) > 1 OR "
        "min(year) FILTER (WHERE includes_earlier_years) <> min(year)",
    }


def patent_screen(con, cutoff: str, firms: bool, groups: str | None = None) -> dict[str, int]:
    """Whether each check of patents (patent_problems, and unknown_firm_problems when `firms`)
    finds anything, from patents grouped by firm (`groups`: a table of patent_aggregates per
    firm_id made already, else made here) instead of a scan per check and a probe of firms per
    row: name -> firms with such rows, 0 when there are none."""
    if groups is None:
        aggregates = ", ".join(
            f"{sql} AS {name}" for name, sql in patent_aggregates(cutoff).items()
        )
        groups = f"(SELECT firm_id, {aggregates} FROM patents GROUP BY firm_id)"
    known = "EXISTS (SELECT 1 FROM firms f WHERE f.firm_id = g.firm_id)" if firms else "true"
    counts = con.execute(
        "SELECT count(*) FILTER (WHERE inventions), count(*) FILTER (WHERE late), "
        f"count(*) FILTER (WHERE carry), count(*) FILTER (WHERE NOT {known}) FROM {groups} g"
    ).fetchone()
    return dict(zip(("inventions", "late", "carry", "unknown"), counts, strict=True))


def patent_problems(con, file: str, cutoff: str, lines=None, screen=None) -> list[Problem]:
    """Invention applications within applications, no year after the cut-off, at most one
    carry-in row per firm and only as its earliest row. `screen` (patent_screen): the checks
    that find nothing are not run again."""
    cutoff_year = int(cutoff[:4])
    problems = []
    if screen is not None and not (screen["inventions"] or screen["late"] or screen["carry"]):
        return problems
    found, count = first_rows(
        con,
        "SELECT _row, invention_applications, applications FROM patents "
        "WHERE invention_applications > applications",
        lines,
    )
    problems += row_problems(
        file,
        found,
        count,
        "invention_applications",
        lambda r: f"more invention applications than applications ({r[2]})",
    )
    found, count = first_rows(
        con, f"SELECT _row, year FROM patents WHERE year > {cutoff_year}", lines
    )
    problems += row_problems(
        file, found, count, "year", lambda r: f"year after the cut-off {cutoff}"
    )
    wrong = con.execute(
        "SELECT count(*) FROM (SELECT firm_id FROM patents GROUP BY firm_id HAVING "
        "count(*) FILTER (WHERE includes_earlier_years) > 1 OR "
        "min(year) FILTER (WHERE includes_earlier_years) <> min(year))"
    ).fetchone()[0]
    query = (
        "WITH carry AS (SELECT _row, firm_id, year, row_number() OVER (PARTITION BY firm_id "
        "ORDER BY year) AS nth FROM patents WHERE includes_earlier_years), "
        "first AS (SELECT firm_id, min(year) AS year FROM patents WHERE firm_id IN "
        "(SELECT firm_id FROM carry) GROUP BY firm_id) "
        "SELECT c._row FROM carry c JOIN first f USING (firm_id) WHERE c.nth > 1 OR c.year <> f.year"
    )
    found, count = first_rows(con, query, lines) if wrong else ([], 0)
    problems += row_problems(
        file,
        found,
        count,
        "includes_earlier_years",
        lambda r: (
            "a row with includes_earlier_years = true must be the firm's only such "
            "row and its earliest year"
        ),
        value=lambda r: True,
    )
    return problems
