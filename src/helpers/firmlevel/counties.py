"""A firm's city written as a county-level unit (昆山市, 海淀区, 南京市鼓楼区) is counted in its
prefecture-level city (data/reference/counties.csv): exports from enterprise databases often
give the county or district, while the seeds count prefecture-level cities (001 图表3.3).

A name that is a city of data/reference/cities.csv stays that city. Otherwise the name is
looked up among the county-level units of the row's province: one unit maps to its city; a name
two cities of the province share (鼓楼区 in 南京 and 徐州) is refused unless the cell also names
the city (南京市鼓楼区, 南京鼓楼区); a unit of another province only is refused like a city in
the wrong province. Names that are neither (a misspelling) are kept as written
(helpers.firmlevel.aggregators.regions.firms_by_city refuses them once they have 150 firms)."""

from __future__ import annotations

import functools
from collections import defaultdict

from helpers.data import reference
from helpers.data.errors import Problem
from helpers.firmlevel.checks import typed_table
from helpers.firmlevel.engine import literal


@functools.cache
def _units() -> dict[str, list[dict]]:
    """County name -> its rows (county, city, province) in data/reference/counties.csv."""
    units = defaultdict(list)
    for row in reference.table("counties").to_dict("records"):
        units[row["county"]].append(row)
    return dict(units)


@functools.cache
def _city_prefixes() -> list[tuple[str, str]]:
    """(spelling, city) of every city's full and short name, longest first (延边朝鲜族自治州
    before 延边), to read a cell that writes the city before the county."""
    cities = reference.table("cities")
    pairs = {(name, row.city) for row in cities.itertuples() for name in (row.city, row.short_name)}
    return sorted(pairs, key=lambda pair: (-len(pair[0]), pair))


def resolve(text: str, province: str) -> tuple[str, list[dict]]:
    """How a city cell that is not a city of the reference reads in `province`: ("city", [unit])
    for one county-level unit, ("ambiguous", units) for a name several cities of the province
    share, ("elsewhere", units) for units of other provinces only, ("", []) for none."""
    text = str(text).strip()
    for spelling, city in _city_prefixes():
        rest = text[len(spelling) :].strip() if text.startswith(spelling) else ""
        named = [u for u in _units().get(rest, []) if u["city"] == city]
        if named and named[0]["province"] == province:
            return "city", named
    units = _units().get(text, [])
    here = [u for u in units if u["province"] == province]
    if len(here) == 1:
        return "city", here
    if here:
        return "ambiguous", here
    return ("elsewhere", units) if units else ("", [])


def map_counties(con, file: str, lines=None) -> tuple[list[dict], list[Problem]]:
    """Replace, in the typed firms table, each city cell naming a county-level unit of the row's
    province by its prefecture-level city. Returns what was mapped (one entry per name and
    province: county as written, province, city, firms and analysed firms) and one problem per
    name that cannot be mapped (ambiguous, or a unit of another province), on its first row."""
    known = set(reference.values("cities", "city"))
    groups = con.execute(
        "SELECT city, province, count(*), count(*) FILTER (WHERE analysed), min(_row) "
        "FROM firms WHERE city IS NOT NULL AND province IS NOT NULL "
        "GROUP BY city, province ORDER BY min(_row)"
    ).fetchall()
    groups = [g for g in groups if g[0] not in known]
    shown = lines([g[4] for g in groups]) if lines is not None and groups else {}
    mapped, problems = [], []
    for text, province, firms, analysed, first in groups:
        kind, units = resolve(text, province)
        row = shown.get(first, first)
        if kind == "city":
            mapped.append(
                {
                    "county": text,
                    "province": province,
                    "city": units[0]["city"],
                    "firms": int(firms),
                    "analysed": int(analysed),
                }
            )
            continue
        if kind == "ambiguous":
            names = ", ".join(f"{u['city']}{u['county']}" for u in units)
            why = (
                f"a district or county of more than one city of {province} ({names}); write the "
                "prefecture-level city, or the city before the district "
                f"({units[0]['city']}{units[0]['county']})"
            )
        elif kind == "elsewhere":
            names = ", ".join(f"{u['city']} ({u['province']})" for u in units)
            why = f"a district or county of {names}, not of {province} (column province)"
        else:
            continue
        problems.append(
            Problem(file, f"{firms} firms: {why}", row=int(row), column="city", value=text)
        )
    if mapped:
        values = ", ".join(
            f"({literal(m['county'])}, {literal(m['province'])}, {literal(m['city'])})"
            for m in mapped
        )
        table = typed_table("firms")
        con.execute(
            f"UPDATE {table} SET city = m.city FROM (VALUES {values}) m(county, province, city) "
            f"WHERE {table}.city = m.county AND {table}.province = m.province"
        )
    return mapped, problems
