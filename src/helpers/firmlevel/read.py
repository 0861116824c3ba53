"""Reading an analyst's firm-level export: a folder with one row per firm (`firms`), one row per
firm and year (`patents`) and one row per firm and listing board (`listings`), each a CSV (UTF-8,
UTF-8 with BOM or GBK) or XLSX file, validated against `data/firm_schema.yml` with the same code
as the published tables (helpers.data.catalog.validate_frame).

Every problem is reported at once, naming the file, the row (line in the file; header = 1), the
column, the value and the valid choices. Besides the schema (types, ranges, allowed values,
duplicate keys), `FirmLevelInput` checks across files: every firm_id of `patents` and `listings`
is in `firms`; a known city lies in its row's province; invention applications do not exceed
applications; no `year` after the cut-off; at most one carry-in row per firm, its earliest.
Analysts' spellings are accepted: 是/否 for yes/no, 通过/撤销/公示 for the review status.
"""

from __future__ import annotations

import datetime as dt
import difflib
import functools
import re
from dataclasses import dataclass
from pathlib import Path

import pandas as pd
import yaml

from helpers.data import reference
from helpers.data.catalog import TableSpec, validate_frame
from helpers.data.errors import DataInputError, Problem
from helpers.data.tableio import find_table_file, read_table_text
from helpers.paths import DATA_DIR, display_path

SCHEMA_PATH = DATA_DIR / "firm_schema.yml"
CUTOFF = "2023-07-31"
# The input tables of a firm-level folder; only `firms` is required.
INPUT_TABLES = ("firms", "patents", "listings")
SYNTHETIC_MARKER = "SYNTHETIC"
# Common spellings accepted in bool and review_status cells (besides true/false/1/0/yes/no).
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
ISO_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")


@dataclass(frozen=True)
class FirmTableSpec(TableSpec):
    """A firm-level table: validated like a published table, but without provenance columns."""

    @property
    def all_columns(self) -> dict:
        return dict(self.columns)


def _specs(schema_path: Path, section: str, kind: type[TableSpec]) -> dict:
    content = yaml.safe_load(Path(schema_path).read_text(encoding="utf-8")) or {}
    document = content.get("document", {})
    return {
        name: kind.from_entry(name, entry, document, schema_path)
        for name, entry in (content.get(section) or {}).items()
    }


@functools.cache
def firm_specs(schema_path: Path = SCHEMA_PATH) -> dict[str, FirmTableSpec]:
    """The input table specs (firms, patents, listings) of data/firm_schema.yml, by name."""
    return _specs(schema_path, "tables", FirmTableSpec)


@functools.cache
def output_specs(schema_path: Path = SCHEMA_PATH) -> dict[str, TableSpec]:
    """Specs of the tables only firm-level data gives (`outputs` in data/firm_schema.yml); like
    published tables they carry provenance columns."""
    return _specs(schema_path, "outputs", TableSpec)


# Tables firm-level data gives that have no published counterpart (chapter.optional_table).
FIRM_LEVEL_ONLY_TABLES = tuple(output_specs())


def check_cutoff(cutoff) -> str:
    """The cut-off date as text, or DataInputError naming the parameter when it is not a real
    ISO date (YYYY-MM-DD): '2023-02-30' and '31.07.2023' are refused."""
    text = str(cutoff).strip()
    try:
        valid = bool(ISO_DATE.match(text)) and dt.date.fromisoformat(text) is not None
    except ValueError:
        valid = False
    if not valid:
        raise DataInputError(
            Problem(
                "parameter cutoff",
                "not a real date written YYYY-MM-DD (e.g. 2023-07-31)",
                value=cutoff,
            )
        )
    return text


def _prepare(frame: pd.DataFrame, spec: FirmTableSpec) -> pd.DataFrame:
    """Defaults for absent optional columns; Chinese yes/no and review-status words."""
    frame = frame.copy()
    for column, rule in spec.columns.items():
        if column not in frame and "default" in rule:
            frame[column] = str(rule["default"]).lower()
        if column not in frame:
            continue
        if rule.get("type") == "bool":
            frame[column] = frame[column].map(
                lambda v: BOOL_WORDS.get(v.strip().lower(), v) if isinstance(v, str) else v
            )
    if "review_status" in frame:
        frame["review_status"] = frame["review_status"].map(
            lambda v: STATUS_WORDS.get(v.strip(), v.strip().lower()) if isinstance(v, str) else v
        )
    return frame


def read_firm_table(folder: Path, name: str) -> tuple[pd.DataFrame | None, str]:
    """A validated firm-level table (index = row number in the file) and its display path, or
    (None, "") when the folder has no such file."""
    spec = firm_specs()[name]
    path = find_table_file(Path(folder), Path(spec.file).stem)
    if path is None:
        return None, ""
    file = display_path(path)
    frame = _prepare(read_table_text(path), spec)
    return validate_frame(frame, spec, file), file


def _close(value: str, choices) -> str:
    close = difflib.get_close_matches(str(value), choices, n=3, cutoff=0.6)
    return f"; close matches: {', '.join(close)}" if close else ""


class FirmLevelInput:
    """A folder with firms.csv|xlsx (required), patents.csv|xlsx and listings.csv|xlsx (optional),
    read and validated on construction (every problem of every file in one DataInputError)."""

    def __init__(self, folder: Path, cutoff: str = CUTOFF):
        self.folder = Path(folder)
        self.cutoff = check_cutoff(cutoff)
        self.cutoff_year = int(self.cutoff[:4])
        self.synthetic = (self.folder / SYNTHETIC_MARKER).exists()
        problems: list[Problem] = []
        frames: dict[str, pd.DataFrame | None] = {}
        self.files: dict[str, str] = {}
        for name in INPUT_TABLES:
            try:
                frames[name], self.files[name] = read_firm_table(self.folder, name)
            except DataInputError as error:
                problems.extend(error.problems)
                frames[name] = None
        if frames.get("firms") is None and not problems:
            problems.append(
                Problem(display_path(self.folder), "no firms.csv or firms.xlsx in this folder")
            )
        if problems:
            raise DataInputError(problems)
        self.firms: pd.DataFrame = frames["firms"]
        self.patents: pd.DataFrame | None = frames["patents"]
        self.listings: pd.DataFrame | None = frames["listings"]
        problems = self._city_problems() + self._unknown_firm_problems()
        if self.patents is not None:
            problems += self._patent_problems()
        if problems:
            raise DataInputError(problems)

    def has(self, name: str) -> bool:
        """Whether the folder holds the input table `name` (firms, patents, listings)."""
        return getattr(self, name) is not None

    # ----------------------------------------------------------------------- integrity

    def _city_problems(self) -> list[Problem]:
        """A city of data/reference/cities.csv must lie in the row's province."""
        cities = reference.table("cities").set_index("city")["province"]
        firms = self.firms
        return [
            Problem(
                self.files["firms"],
                f"{city} lies in {cities[city]}, not in {province} (column province)",
                row=row,
                column="city",
                value=city,
            )
            for row, city, province in zip(
                firms.index, firms["city"], firms["province"], strict=True
            )
            if pd.notna(city) and city in cities.index and cities[city] != province
        ]

    def _unknown_firm_problems(self) -> list[Problem]:
        """Every firm_id of patents and listings must be in firms."""
        known = set(self.firms["firm_id"])
        problems = []
        for name in ("patents", "listings"):
            frame = getattr(self, name)
            if frame is None:
                continue
            unknown = frame[~frame["firm_id"].isin(known)]
            problems += [
                Problem(
                    self.files[name],
                    f"unknown firm_id: not in {self.files['firms']}" + _close(firm_id, known),
                    row=row,
                    column="firm_id",
                    value=firm_id,
                )
                for row, firm_id in unknown["firm_id"].items()
            ]
        return problems

    def _patent_problems(self) -> list[Problem]:
        """Invention applications within applications, no year after the cut-off, at most one
        carry-in row per firm and only as its earliest row."""
        patents = self.patents
        file = self.files["patents"]
        problems = []
        too_many = patents[patents["invention_applications"] > patents["applications"]]
        for row, values in too_many.iterrows():
            problems.append(
                Problem(
                    file,
                    f"more invention applications than applications ({values['applications']})",
                    row=row,
                    column="invention_applications",
                    value=int(values["invention_applications"]),
                )
            )
        late = patents[patents["year"] > self.cutoff_year]
        for row, year in late["year"].items():
            problems.append(
                Problem(
                    file,
                    f"year after the cut-off {self.cutoff}",
                    row=row,
                    column="year",
                    value=int(year),
                )
            )
        first_year = patents.groupby("firm_id")["year"].transform("min")
        carry = patents[patents["includes_earlier_years"].astype(bool)].sort_values("year")
        repeated = carry["firm_id"].duplicated(keep="first")
        wrong = repeated | (carry["year"] != first_year[carry.index])
        for row in sorted(carry.index[wrong.to_numpy()]):
            problems.append(
                Problem(
                    file,
                    "a row with includes_earlier_years = true must be the firm's only such "
                    "row and its earliest year",
                    row=row,
                    column="includes_earlier_years",
                    value=True,
                )
            )
        return problems
