"""An edition's files for spreadsheets and machines, written by publish from the staged tables:

* every CSV (tables/*.csv, statistics.csv) in UTF-8 with a byte-order mark (Excel on Windows
  then reads its Chinese) with headers in the edition's language; statistics.csv's text cells
  that a spreadsheet would run as a formula neutralised as the tables' are
  (helpers.data.tableio);
* `datapackage.json`: a Frictionless Data Package (v2) describing each CSV — its title,
  source, and each column's header (`name`), stable machine name (`machineName`, what the
  staged file and the code call it), type, unit and description in the edition's language —,
  the documents the figures come from and the licences; `frictionless validate` accepts it
  (tests/test_tables_excel.py);
* `<edition>-tables.zip`: the package and its CSVs, entries sorted and dated 1980-01-01, so the
  same tables give the same bytes; the edition's index links it.

The staging folder keeps the machine names (chapters, tests and the summary read them); a
published CSV is read back under them by `read_published`."""

from __future__ import annotations

import csv
import json
import zipfile
from pathlib import Path

import pandas as pd

from helpers.data.tableio import neutralise_text
from helpers.report.labels import label
from helpers.report.spreadsheet import DESCRIPTION_SUFFIX, ColumnAbout, TableAbout, describe

PACKAGE = "datapackage.json"
PROFILE = "https://datapackage.org/profiles/2.0/datapackage.json"
ENCODING = "utf-8-sig"  # UTF-8 with BOM, as Excel needs it
# statistics.csv's columns (helpers.report.chapter, helpers.stats.changes) and their types.
STATISTICS_TYPES = {
    "key": "string",
    "value": "number",
    "unit": "string",
    "label": "string",
    "source": "string",
    "notebook": "string",
    "previous": "number",
    "change": "number",
}
ZIP_DATE = (1980, 1, 1, 0, 0, 0)  # the earliest a zip entry can carry; the same every build
CODE_LICENCE = {"name": "MIT", "path": "https://opensource.org/license/mit"}


def zip_name(edition: str) -> str:
    return f"{edition}-tables.zip"


def statistics_about(columns: list[str], language: str) -> TableAbout:
    """The description of statistics.csv (its columns as the edition names them)."""

    def t(key: str) -> str:
        return label(f"spreadsheet.statistics.{key}", language)

    return TableAbout(
        language=language,
        title=t("title"),
        source="",
        columns=[
            ColumnAbout(
                name=column,
                title=t(column),
                type=STATISTICS_TYPES.get(column, "string"),
                description=t(f"description.{column}"),
            )
            for column in columns
        ],
    )


def staged_about(staging: Path, table: Path, language: str) -> TableAbout:
    """The description a chapter staged for tables/<stem>.csv; a merged reconciliation takes
    its chapters' (plus `notebook`); any other CSV is described from its own columns."""
    stem = table.stem
    described = staging / "statistics" / f"{stem}{DESCRIPTION_SUFFIX}"
    if described.exists():
        return TableAbout.from_json(described.read_text(encoding="utf-8"))
    frame = pd.read_csv(table, encoding=ENCODING)
    found = sorted((staging / "statistics").glob(f"*_reconciliation{DESCRIPTION_SUFFIX}"))
    if stem == "reconciliation" and found:
        about = TableAbout.from_json(found[0].read_text(encoding="utf-8"))
        known = {c.name: c for c in about.columns}
        extra = describe(
            frame[[c for c in frame.columns if c not in known]],
            language=language,
            titles=column_titles(frame.columns, language),
            units={},
            title="",
            source="",
        ).columns
        known.update({c.name: c for c in extra})
        about.columns = [known[c] for c in frame.columns]
        about.title = label("spreadsheet.reconciliation.title", language)
        return about
    titles = column_titles(frame.columns, language)
    return describe(frame, language=language, titles=titles, units={}, title=stem, source="")


def column_titles(columns, language: str) -> dict[str, str]:
    """Headers in the edition's words (`columns:` in the label files), else the name itself."""
    titles = {}
    for column in columns:
        try:
            titles[column] = label(f"columns.{column}", language)
        except KeyError:
            titles[column] = str(column)
    return titles


def localised_csv(source: Path, target: Path, about: TableAbout, neutralise=()) -> None:
    """`source` (machine names) as `target`: headers in the edition's words, UTF-8 with BOM,
    every value's text unchanged (columns in `neutralise`: text a spreadsheet would run as a
    formula neutralised)."""
    # The csv module, not pandas: every cell is text passed through, and an edition's 220
    # tables go ten times faster (the same bytes: compared on the zh, en and sample editions).
    with open(source, encoding=ENCODING, newline="") as file:
        header, *rows = list(csv.reader(file)) or [[]]
    titles = {c.name: c.title for c in about.columns}
    neutralised = set(neutralise)
    marked = [i for i, column in enumerate(header) if column in neutralised]
    for row in rows:
        for i in marked:
            if i < len(row):
                row[i] = neutralise_text(row[i])
    target.parent.mkdir(parents=True, exist_ok=True)
    with open(target, "w", encoding=ENCODING, newline="") as file:
        writer = csv.writer(file, lineterminator="\n")
        writer.writerow([titles.get(column, column) for column in header])
        writer.writerows(row for row in rows if row)  # a blank line is no row (as pandas read it)


def resource(path: str, about: TableAbout, name: str) -> dict:
    """A Data Package resource for the CSV at `path` (relative to the package)."""
    fields = []
    for column in about.columns:
        entry = {
            "name": column.title,
            "machineName": column.name,
            "type": column.type,
            "description": column.description,
        }
        if column.unit_words:
            entry["unit"] = column.unit_words
        fields.append(entry)
    entry = {
        "name": name,
        "path": path,
        "type": "table",
        "format": "csv",
        "mediatype": "text/csv",
        "encoding": "utf-8",
        "title": about.title or name,
        "schema": {"fields": fields},
    }
    if about.source:
        entry["sources"] = [{"title": about.source}]
    return entry


def package_sources(checked: dict, language: str) -> list[dict]:
    """The documents an edition's figures come from (their titles in the edition's language),
    and a firm-level folder by its title."""
    from helpers.data.catalog import documents
    from helpers.report.sources import data_title

    found = []
    if checked["kind"] != "published":
        folder = str(checked["data_path"])
        synthetic = bool(checked["synthetic"])
        found.append(
            {"title": data_title(language, firm_level=True, synthetic=synthetic, folder=folder)}
        )
    for _, document in sorted(documents().items()):
        title = document.get("title_en") if language == "en" else None
        found.append({"title": str(title or document["title"])})
    return found


def publish_tables(
    staging: Path, fresh: Path, stems: list[str], edition: str, checked: dict
) -> None:
    """Write the edition's CSVs (tables/<stem>.csv for `stems`, tables/reconciliation.csv,
    statistics.csv) into `fresh` with headers in the edition's language, then its
    datapackage.json (with profiles/index.csv, published before) and the tables' zip."""
    language = checked["language"]
    resources = []
    for stem in stems:
        source = staging / "tables" / f"{stem}.csv"
        about = staged_about(staging, source, language)
        localised_csv(source, fresh / "tables" / f"{stem}.csv", about)
        resources.append(resource(f"tables/{stem}.csv", about, stem.lower()))
    statistics = staging / "statistics.csv"
    columns = list(pd.read_csv(statistics, dtype=str, nrows=0).columns)
    about = statistics_about(columns, language)
    text = [c for c in columns if STATISTICS_TYPES.get(c) == "string"]
    localised_csv(statistics, fresh / "statistics.csv", about, neutralise=text)
    resources.insert(0, resource("statistics.csv", about, "statistics"))
    profiles = fresh / "profiles" / "index.csv"
    if profiles.exists():  # the profiles' index, when profiles were built
        about = profiles_about(profiles, language)
        resources.append(resource("profiles/index.csv", about, "profiles_index"))
    package = package_descriptor(resources, edition, checked)
    (fresh / PACKAGE).write_text(
        json.dumps(package, ensure_ascii=False, indent=1) + "\n", encoding="utf-8"
    )
    write_zip(fresh, zip_name(edition), [PACKAGE, *(r["path"] for r in resources)])


def profiles_about(path: Path, language: str) -> TableAbout:
    """The description of profiles/index.csv (helpers.report.profile_index)."""
    from helpers.report.profile_index import index_columns

    columns = index_columns(language)
    names = {header: name for name, header in columns.items()}
    frame = pd.read_csv(path, encoding=ENCODING)
    frame = frame.rename(columns=names)
    return describe(
        frame,
        language=language,
        titles=columns,
        units={},
        title=label("profile.index.title", language),
        source="",
    )


def package_descriptor(resources: list[dict], edition: str, checked: dict) -> dict:
    language = checked["language"]

    def t(key: str, **values) -> str:
        return label(f"spreadsheet.datapackage.{key}", language, **values)

    rights = [t("data_rights")] + ([t("synthetic_rights")] if checked["synthetic"] else [])
    return {
        "$schema": PROFILE,
        "name": f"zjtx-report-{edition}".lower(),
        "title": t(
            "title",
            book=label("book.title", language),
            edition=label(f"site.index.edition.{language}", language),
        ),
        "description": " ".join([t("description"), *rights]),
        "languages": [language],
        "licenses": [{**CODE_LICENCE, "title": t("code_licence")}],
        "sources": package_sources(checked, language),
        "resources": resources,
    }


def write_zip(folder: Path, name: str, members: list[str]) -> Path:
    """`name` in `folder`: the files `members` (relative to folder), sorted, each dated
    ZIP_DATE with fixed permissions, so the same files give the same bytes."""
    target = folder / name
    with zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED) as archive:
        for member in sorted(members):
            info = zipfile.ZipInfo(member, date_time=ZIP_DATE)
            info.compress_type = zipfile.ZIP_DEFLATED
            info.external_attr = 0o644 << 16
            archive.writestr(info, (folder / member).read_bytes())
    return target


def read_published(path: Path) -> pd.DataFrame:
    """A published CSV under its columns' machine names (from the datapackage.json beside it),
    every cell as text; a CSV published before the package existed is read as it is."""
    path = Path(path)
    frame = pd.read_csv(path, encoding=ENCODING, dtype=str, keep_default_na=False)
    for folder in list(path.parents)[:2]:  # the edition: beside the CSV, or above tables/
        package = folder / PACKAGE
        if package.exists():
            relative = path.relative_to(folder).as_posix()
            descriptor = json.loads(package.read_text(encoding="utf-8"))
            for entry in descriptor["resources"]:
                if entry["path"] == relative:
                    names = [f["machineName"] for f in entry["schema"]["fields"]]
                    return frame.set_axis(names, axis=1)
            break
    return frame
