"""The profiles' index (profiles/index.html and index.csv, helpers.workflow.profiles.write_index):
a tile map of the provinces linking each to its profile, then two tables an analyst sorts —
provinces, and cities with at least 150 firms, never mixed — with firms, share of the nation,
rank, and the 2021 → 2023 growth (the province's where 000 prints it, else its belt's), built
from the numbers each profile recorded (statistics/profile_<slug>.csv), in the edition's words.
A click on a column heading sorts by it (a few lines of script; without script the table reads
largest first); the same rows are a CSV for a spreadsheet."""

from __future__ import annotations

import csv
import html
import io
from dataclasses import dataclass, field

from helpers.report.format import format_value
from helpers.report.labels import label, translate

# A headline number of a profile: its key after profile_<GB code>. and its unit.
PROVINCE_COLUMNS = (
    ("firms", "firms", "家"),
    ("share", "share_of_nation", "share"),
    ("rank", "rank", "position"),
    ("firms_2021", "growth.province.firms_2021", "家"),
    ("growth", "growth.province.growth", "rate"),
    ("belt_growth", "growth.belt.growth", "rate"),
)
CITY_COLUMNS = (
    ("firms", "firms", "家"),
    ("share", "share_of_nation", "share"),
    ("rank", "rank", "position"),
    ("share_of_province", "share_of_province", "share"),
)
SORT_SCRIPT = """<script>
document.querySelectorAll("table.sortable").forEach(function (table) {
  table.querySelectorAll("th").forEach(function (th, column) {
    th.style.cursor = "pointer";
    th.addEventListener("click", function () {
      var body = table.tBodies[0], rows = Array.from(body.rows);
      var up = th.dataset.order !== "up";
      th.dataset.order = up ? "up" : "down";
      rows.sort(function (a, b) {
        var x = a.cells[column].dataset.sort, y = b.cells[column].dataset.sort;
        var nx = parseFloat(x), ny = parseFloat(y);
        var order = isNaN(nx) || isNaN(ny) ? x.localeCompare(y) : nx - ny;
        return up ? order : -order;
      });
      rows.forEach(function (row) { body.appendChild(row); });
    });
  });
});
</script>"""


@dataclass
class Entry:
    """One built profile: its page, region, level and the numbers it recorded (key → value)."""

    slug: str
    region: str
    is_province: bool
    numbers: dict[str, float] = field(default_factory=dict)


def _t(key: str, language: str, **values) -> str:
    return label(f"profile.index.{key}", language, **values)


def _cell(value, unit: str, language: str) -> str:
    if value is None:
        return '<td data-sort="">–</td>'
    shown = html.escape(format_value(value, unit, language))
    return f'<td data-sort="{value!r}">{shown}</td>'


def _belts() -> dict[str, str]:
    from helpers.data import reference

    return reference.table("provinces").set_index("province")["region_3belt"].to_dict()


def _province_of() -> dict[str, str]:
    from helpers.data import reference

    return reference.table("cities").set_index("city")["province"].to_dict()


def province_rows(entries: list[Entry], language: str) -> list[dict]:
    """The provinces' rows (region, belt, each PROVINCE_COLUMNS number or None), most firms
    first."""
    belts = _belts()
    rows = [
        {
            "entry": e,
            "region": translate(e.region, language),
            "belt": translate(belts.get(e.region, ""), language),
            **{name: e.numbers.get(key) for name, key, _ in PROVINCE_COLUMNS},
        }
        for e in entries
        if e.is_province
    ]
    return sorted(rows, key=lambda r: -(r["firms"] or 0))


def city_rows(entries: list[Entry], language: str) -> list[dict]:
    """The cities' rows, most firms first: every city profile, and each municipality ranked
    among the cities (its rank as a city, linked to its province's page)."""
    provinces = _province_of()
    rows = []
    for e in entries:
        if e.is_province and "city_rank" not in e.numbers:
            continue
        numbers = dict(e.numbers)
        if e.is_province:  # a municipality: its rank among the cities, no share of a province
            numbers["rank"] = numbers["city_rank"]
            numbers.pop("share_of_province", None)
        rows.append(
            {
                "entry": e,
                "region": translate(e.region, language),
                "province": translate(provinces.get(e.region, e.region), language),
                **{name: numbers.get(key) for name, key, _ in CITY_COLUMNS},
            }
        )
    return sorted(rows, key=lambda r: -(r["firms"] or 0))


def _table(rows: list[dict], columns, first: list[str], language: str) -> str:
    header = "".join(f"<th>{html.escape(_t(c, language))}</th>" for c in first)
    header += "".join(f"<th>{html.escape(_t(name, language))}</th>" for name, _, _ in columns)
    header += f"<th>{html.escape(_t('pdf', language))}</th>"
    body = []
    for row in rows:
        slug = row["entry"].slug
        name = html.escape(row["region"])
        cells = [f'<td data-sort="{name}"><a href="{slug}.html">{name}</a></td>']
        cells += [
            f'<td data-sort="{html.escape(row[c])}">{html.escape(row[c])}</td>' for c in first[1:]
        ]
        cells += [_cell(row[n], unit, language) for n, _, unit in columns]
        cells.append(
            f'<td data-sort=""><a href="{slug}.pdf">{html.escape(_t("pdf", language))}</a></td>'
        )
        body.append("<tr>" + "".join(cells) + "</tr>")
    return (
        f'<table class="sortable"><thead><tr>{header}</tr></thead>'
        f"<tbody>{''.join(body)}</tbody></table>"
    )


def tile_map(rows: list[dict], language: str = "zh") -> str:
    """The provinces on the tile grid of data/reference/provinces.csv (tile_row, tile_col), each
    square linking to the province's page, shaded by its firms (one sequential scale)."""
    from helpers.data import reference

    ref = reference.table("provinces").set_index("province")
    by_region = {row["entry"].region: row for row in rows}
    top = max((row["firms"] or 0) for row in rows) if rows else 1
    tiles = []
    for province, place in ref.iterrows():
        row = by_region.get(province)
        firms = row["firms"] if row else None
        level = (firms or 0) / top if top else 0
        # Blues from #deebf7 (few) to #08519c (most); white text on the dark half
        red, green, blue = (int(a + (b - a) * level) for a, b in ((222, 8), (235, 81), (247, 156)))
        color = "#fff" if level > 0.5 else "#1a1a1a"
        # a province without a page of its own still reads in the edition's language
        own = place["short_name"] if language == "zh" else place["name_en"]
        name = html.escape(own if row is None else row["short_name"])
        count = "" if firms is None else html.escape(row["firms_shown"])
        inner = f"<span>{name}</span><br><small>{count}</small>"
        style = (
            f"grid-row:{int(place['tile_row']) + 1};grid-column:{int(place['tile_col']) + 1};"
            f"background:rgb({red},{green},{blue});color:{color};"
            "padding:0.3em 0.1em;text-align:center;text-decoration:none;border-radius:3px;"
            "font-size:0.85em;line-height:1.2"
        )
        if row is None:
            tiles.append(f'<div style="{style}">{inner}</div>')
        else:
            tiles.append(
                f'<a style="{style}" href="{row["entry"].slug}.html" '
                f'title="{html.escape(row["region"])}">{inner}</a>'
            )
    grid = "display:grid;grid-template-columns:repeat(8,4.2em);gap:3px;margin:0.5em 0 1.5em"
    return f'<div class="tile-map" style="{grid}">{"".join(tiles)}</div>'


def page_body(entries: list[Entry], language: str, context: dict) -> tuple[str, str, dict]:
    """The index's body HTML, its CSV text and its counts. `context`: min_firms, date_001,
    national (firms) and firms_000 as readers see them."""
    from helpers.data import reference

    short = reference.table("provinces").set_index("province")
    provinces = province_rows(entries, language)
    for row in provinces:
        region = row["entry"].region
        row["short_name"] = (
            short.loc[region, "short_name"] if language == "zh" else translate(region, language)
        )
        row["firms_shown"] = (
            "" if row["firms"] is None else format_value(row["firms"], "家", language)
        )
    cities = city_rows(entries, language)
    counts = {
        "count": len(entries),
        "provinces": len(provinces),
        "cities": sum(not e.is_province for e in entries),
    }
    body = (
        f"<h1>{html.escape(_t('title', language))}</h1>"
        f"<p>{html.escape(_t('intro', language, **counts, **context))}</p>"
        f'<p><a href="index.csv">{html.escape(_t("csv", language))}</a></p>'
        f"<h2>{html.escape(_t('map_title', language))}</h2>{tile_map(provinces, language)}"
        f"<h2>{html.escape(_t('provinces', language))}</h2>"
        + _table(provinces, PROVINCE_COLUMNS, ["region", "belt"], language)
        + f"<h2>{html.escape(_t('cities', language, min_firms=context['min_firms']))}</h2>"
        + _table(cities, CITY_COLUMNS, ["region", "province"], language)
        + SORT_SCRIPT
    )
    return body, index_csv(provinces, cities, language), counts


def index_columns(language: str) -> dict[str, str]:
    """index.csv's columns: machine name -> header in the edition's words."""
    names = ["level", "region", "belt", "province"] + [
        n for n in dict.fromkeys(name for name, _, _ in (*PROVINCE_COLUMNS, *CITY_COLUMNS))
    ]
    return {name: _t(name, language) for name in names}


def index_csv(provinces: list[dict], cities: list[dict], language: str) -> str:
    """Both tables in one CSV (a level column keeps them apart), raw numbers for sorting; text
    a spreadsheet would run as a formula neutralised (helpers.data.tableio)."""
    from helpers.data.tableio import neutralise_text

    columns = index_columns(language)
    names = list(columns)
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(list(columns.values()))
    for level, rows in (("provinces", provinces), ("cities", cities)):
        for row in rows:
            cells = [_t(f"level_{level}", language)]
            for name in names[1:]:
                value = row.get(name)
                if isinstance(value, float) and value.is_integer():
                    value = int(value)  # a count or a rank, as written: 1477, not 1477.0
                cells.append("" if value is None else neutralise_text(value))
            writer.writerow(cells)
    return out.getvalue()
