"""Firm-level input: an analyst's export of one row per firm (`firms`), one row per firm and year
(`patents`) and one row per firm and listing board (`listings`), validated against
`data/firm_schema.yml` and aggregated into the shapes of the published tables.

    data = FirmLevelData("data/sample")
    data.table("cultivation_batches")   # same columns and dtypes as catalog.load_published(...)

Conventions (documented for analysts in data/README.md, section "Firm-level input"):

* Populations. `announced` counts every row of `firms` (every announced firm, 公示); `reviewed`
  counts review_status == confirmed (复核/认定通过) and is missing for a batch none of whose firms
  has been reviewed yet (all `announced`); every other figure counts the firms with
  analysed == true only (PatSnap 2023: 12192 of 12950). `analysed` is the analyst's record of the
  population the report covers and is not derived from review_status: the publication analyses
  all 4357 announced firms of batch 4 although only 4328 passed review, and all of batch 5,
  which had not been reviewed yet.
* Patents. Every column of `patents` except valid_invention_patents is a flow within the row's
  year; a firm's cumulative figure to the cut-off is the sum over its rows (a row with
  includes_earlier_years = true carries all years up to its `year`). valid_invention_patents is a
  stock at the end of the row's year; the firm's figure is the one of its latest row. A yearly
  figure (the 2020–2022 growth rates) is missing when a firm's carry-in row covers that year.
  Analysed firms without patent rows count with zero patents.
* Means per firm divide by all analysed firms of the group, ratios (invention share, grant rate)
  divide sums: sum(invention applications) / sum(applications).
* Listed = at least one listing on a board other than 新三板 (NEEQ quotation is not a listing);
  A-share = a listing on 沪深主板, 创业板, 科创板 or 北交所. A firm listed on two boards counts on
  each board and once among listed firms.
* Clusters. 京津冀 and 长三角 by province (data/reference/provinces.csv); 粤港澳 = the nine
  Guangdong cities of data/reference/cities.csv (the publication's “广东省9市口径”).
* Columns named *_stated are filled with the recomputed value rounded half-up to the decimals the
  publication prints (shares to 0.1 percentage point, i.e. 3 decimals of a fraction; a positive
  share that would round to 0 gets more decimals, like 新加坡交易所上市 0.01%), and so are the
  columns holding printed figures (PRINTED_COLUMNS: text figures, the typical profile, the
  national averages of the city and cluster pages); integer columns are rounded half-up; other
  value columns keep full precision. A figure the data cannot give (a growth rate from a zero
  base) is missing, or has no row in a long table (metric/value).
* Rows a firm list cannot give (科创板/北交所 comparison rows, all companies listed on a board,
  the other populations of the typical profile) are copied from the published table with their
  published provenance; derived rows have source_doc = "firm-level" and source_id = the files used.
"""

from __future__ import annotations

import difflib
import functools
from dataclasses import dataclass, replace
from decimal import ROUND_HALF_UP, Decimal
from pathlib import Path

import numpy as np
import pandas as pd
import yaml

from helpers import stats
from helpers.data import catalog, reference
from helpers.data.catalog import TableSpec, validate_frame
from helpers.data.errors import DataInputError, Problem
from helpers.paths import DATA_DIR, PUBLISHED_DIR, display_path
from helpers.data.tableio import find_table_file, read_table_text

SCHEMA_PATH = DATA_DIR / "firm_schema.yml"
SOURCE_DOC = "firm-level"
DOCUMENT = "企业级数据"
DOCUMENT_EN = "firm-level data"
CUTOFF = "2023-07-31"
# 图表3.3 is titled “数量>150家” but lists 厦门市 with 150 firms: the published table is >= 150.
CITY_MIN_FIRMS = 150
# Clusters defined by cities rather than whole provinces (粤港澳 = nine of Guangdong's cities).
CITY_LEVEL_CLUSTERS = {"粤港澳"}
NEEQ_BOARD = "新三板"
PRIMARY_FINANCING = "参与一级市场融资"
ALL_BATCHES = "全部"
LITTLE_GIANTS = "小巨人"
CAGR_YEARS = (2020, 2022)
# Units of the metrics on the cluster and city pages, as printed there.
METRIC_UNITS = {
    "patent_applications_per_firm": "件/家",
    "invention_share": "share",
    "pct_per_firm": "件/家",
    "applications_cagr_2020_2022": "rate",
    "licences_per_firm": "次/家",
    "grant_rate": "share",
    "citations_per_firm": "次/家",
    "overseas_markets_per_firm": "个/家",
    "listed_firms": "家",
}
# Published columns that firm data cannot fill (missing in the aggregated table), although the
# published catalogue declares them non-nullable.
NOT_DERIVABLE = {"capital_markets": ("change_yoy",)}
# Published columns holding figures as printed (stated text figures, the typical profile, the
# national averages printed on the cluster and city pages): like *_stated columns, the firm-level
# value is rounded half-up to the decimals the published row is printed with.
PRINTED_COLUMNS = {
    "typical_profile": ("value",),
    "text_figures": ("value",),
    "region_text_figures": ("value",),
    "cluster_metrics": ("national_avg",),
    "city_metrics": ("national_avg",),
}
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


def stated(value: float, decimals: int = 3) -> float:
    """`value` rounded half-up to `decimals` as the publication prints it; a positive value that
    would round to 0 gets more decimals (up to 6): 1/12192 -> 0.0001 (新加坡交易所上市 0.01%)."""
    if value is None or pd.isna(value):
        return np.nan
    text = Decimal(repr(float(value)))
    for places in range(decimals, 7):
        rounded = float(text.quantize(Decimal(1).scaleb(-places), rounding=ROUND_HALF_UP))
        if rounded != 0 or value == 0:
            return rounded
    return rounded


def _ratio(func, numerator, denominator):
    """A stats.* ratio, or NaN when the denominator is zero (an empty group)."""
    if denominator == 0:
        return np.nan
    return float(func(numerator, denominator))


def _cagr(start: float, end: float) -> float:
    if pd.isna(start) or pd.isna(end) or start <= 0:
        return np.nan
    return stats.cagr({CAGR_YEARS[0]: float(start), CAGR_YEARS[1]: float(end)})


# --------------------------------------------------------------------------- reading


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


class FirmLevelData:
    """A folder with firms.csv|xlsx (required), patents.csv|xlsx and listings.csv|xlsx (optional),
    validated on construction; `table(name)` aggregates into the published shape of `name`."""

    def __init__(
        self,
        folder: Path,
        cutoff: str = CUTOFF,
        city_min_firms: int = CITY_MIN_FIRMS,
        published_dir: Path = PUBLISHED_DIR,
    ):
        self.folder = Path(folder)
        self.cutoff = str(cutoff)
        self.cutoff_year = int(self.cutoff[:4])
        self.city_min_firms = int(city_min_firms)
        self.published_dir = Path(published_dir)
        self.synthetic = (self.folder / "SYNTHETIC").exists()
        problems: list[Problem] = []
        frames: dict[str, pd.DataFrame | None] = {}
        self.files: dict[str, str] = {}
        for name in ("firms", "patents", "listings"):
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
        self._check_integrity()

    # ----------------------------------------------------------------------- integrity

    def _check_integrity(self) -> None:
        problems: list[Problem] = []
        firms_file = self.files["firms"]
        known = set(self.firms["firm_id"])
        cities = reference.table("cities").set_index("city")["province"]
        for row, city, province in zip(
            self.firms.index, self.firms["city"], self.firms["province"], strict=True
        ):
            if pd.notna(city) and city in cities.index and cities[city] != province:
                problems.append(
                    Problem(
                        firms_file,
                        f"{city} lies in {cities[city]}, not in {province} (column province)",
                        row=row,
                        column="city",
                        value=city,
                    )
                )
        for name in ("patents", "listings"):
            frame = getattr(self, name)
            if frame is None:
                continue
            unknown = frame[~frame["firm_id"].isin(known)]
            for row, firm_id in unknown["firm_id"].items():
                problems.append(
                    Problem(
                        self.files[name],
                        f"unknown firm_id: not in {firms_file}" + _close(firm_id, known),
                        row=row,
                        column="firm_id",
                        value=firm_id,
                    )
                )
        patents = self.patents
        if patents is not None:
            file = self.files["patents"]
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
        if problems:
            raise DataInputError(problems)

    # ----------------------------------------------------------------------- per-firm figures

    @functools.cached_property
    def analysed(self) -> pd.DataFrame:
        """One row per analysed firm (index firm_id) with its attributes and patent figures."""
        firms = self.firms[self.firms["analysed"].astype(bool)].set_index("firm_id")
        out = pd.DataFrame(index=firms.index)
        out["batch_no"] = firms["batch_no"].astype(int)
        for column in ("province", "city", "industry_field"):
            out[column] = firms[column].astype(object).where(firms[column].notna(), None)
        fields = reference.table("industry_fields").set_index("field")
        out["category"] = out["industry_field"].map(fields["category"])
        out["key_field"] = out["industry_field"].map(fields["key_field"]).eq("true")
        out["cluster"] = self._clusters(out)
        out["employees"] = firms["employees"].astype("Float64")
        out["primary_market_financing"] = firms["primary_market_financing"].astype(bool)
        out["overseas_markets"] = firms["overseas_markets"].astype(int)
        flows = [
            "applications",
            "invention_applications",
            "pct_applications",
            "invention_grants",
            "citations_received",
            "licences_out",
        ]
        patents = self.patents
        if patents is not None:
            patents = patents[patents["firm_id"].isin(out.index)]
        if patents is None or patents.empty:
            for column in [*flows, "valid_invention_patents"]:
                out[column] = 0
        else:
            totals = patents.groupby("firm_id")[flows].sum()
            out[flows] = totals.reindex(out.index).fillna(0).astype(int)
            latest = patents.sort_values("year").groupby("firm_id").tail(1).set_index("firm_id")
            stock = latest["valid_invention_patents"].reindex(out.index)
            out["valid_invention_patents"] = stock.fillna(0).astype(int)
        for year in sorted({*CAGR_YEARS, 2021}):
            out[f"applications_{year}"] = self._yearly(out.index, "applications", year)
            out[f"pct_{year}"] = self._yearly(out.index, "pct_applications", year)
        for year in (self.cutoff_year - 1, self.cutoff_year):
            out[f"pct_through_{year}"] = self._through(out.index, "pct_applications", year)
        boards = self._boards(out.index)
        out["boards"] = boards
        a_share = set(self._board_reference().query("a_share == 'true'")["board"])
        out["listed"] = boards.map(lambda b: any(x != NEEQ_BOARD for x in b))
        out["a_share"] = boards.map(lambda b: bool(b & a_share))
        return out

    def _clusters(self, firms: pd.DataFrame) -> pd.Series:
        provinces = reference.table("provinces").set_index("province")["cluster"]
        cities = reference.table("cities").set_index("city")["cluster"]
        by_province = firms["province"].map(provinces).fillna("")
        by_city = firms["city"].map(cities)
        city_level = by_province.isin(CITY_LEVEL_CLUSTERS)
        cluster = by_province.where(~city_level, "")
        cluster = cluster.where(by_city.isna(), by_city)
        return cluster.fillna("")

    def _yearly(self, index: pd.Index, column: str, year: int) -> pd.Series:
        """Flow in `year` per firm; NaN for a firm whose carry-in row covers `year`."""
        if self.patents is None:
            return pd.Series(0.0, index=index)
        patents = self.patents
        exact = patents[(patents["year"] == year) & ~patents["includes_earlier_years"].astype(bool)]
        values = exact.groupby("firm_id")[column].sum().reindex(index).fillna(0).astype(float)
        carry = patents[patents["includes_earlier_years"].astype(bool) & (patents["year"] >= year)]
        values[values.index.isin(carry["firm_id"])] = np.nan
        return values

    def _through(self, index: pd.Index, column: str, year: int) -> pd.Series:
        """Cumulative flow up to and including `year` per firm; NaN when a carry-in row covers
        years after `year` (its split is unknown)."""
        if self.patents is None:
            return pd.Series(0.0, index=index)
        patents = self.patents
        within = patents[patents["year"] <= year]
        values = within.groupby("firm_id")[column].sum().reindex(index).fillna(0).astype(float)
        carry = patents[patents["includes_earlier_years"].astype(bool) & (patents["year"] > year)]
        values[values.index.isin(carry["firm_id"])] = np.nan
        return values

    def _boards(self, index: pd.Index) -> pd.Series:
        if self.listings is None:
            return pd.Series([frozenset()] * len(index), index=index, dtype=object)
        grouped = self.listings.groupby("firm_id")["board"].agg(frozenset)
        return pd.Series(
            [grouped.get(firm, frozenset()) for firm in index], index=index, dtype=object
        )

    @staticmethod
    def _board_reference() -> pd.DataFrame:
        return reference.table("listing_boards")

    # ----------------------------------------------------------------------- group metrics

    @staticmethod
    def group_metrics(group: pd.DataFrame) -> dict[str, float]:
        """Per-firm means and ratios of a group of analysed firms (see the module docstring)."""
        n = len(group)
        applications = float(group["applications"].sum())
        inventions = float(group["invention_applications"].sum())
        per = functools.partial(_ratio, stats.per_firm)
        start = group[f"applications_{CAGR_YEARS[0]}"].sum(min_count=n) if n else np.nan
        end = group[f"applications_{CAGR_YEARS[1]}"].sum(min_count=n) if n else np.nan
        pct_start = group[f"pct_{CAGR_YEARS[0]}"].sum(min_count=n) if n else np.nan
        pct_end = group[f"pct_{CAGR_YEARS[1]}"].sum(min_count=n) if n else np.nan
        employees = group["employees"].dropna()
        return {
            "firms": n,
            "patent_applications_per_firm": per(applications, n),
            "valid_invention_patents_per_firm": per(
                float(group["valid_invention_patents"].sum()), n
            ),
            "invention_share": _ratio(stats.invention_share, inventions, applications),
            "grant_rate": _ratio(
                stats.grant_rate, float(group["invention_grants"].sum()), inventions
            ),
            "pct_per_firm": per(float(group["pct_applications"].sum()), n),
            "pct_share": _ratio(
                stats.pct_share, float(group["pct_applications"].sum()), applications
            ),
            "citations_per_firm": per(float(group["citations_received"].sum()), n),
            "licences_per_firm": per(float(group["licences_out"].sum()), n),
            "overseas_markets_per_firm": per(float(group["overseas_markets"].sum()), n),
            "applications_cagr_2020_2022": _cagr(start, end),
            "pct_cagr_2020_2022": _cagr(pct_start, pct_end),
            "employees_per_firm": per(float(employees.sum()), len(employees)),
            "listed_firms": int(group["listed"].sum()),
        }

    # ----------------------------------------------------------------------- tables

    def provides(self, name: str) -> bool:
        """Whether `table(name)` aggregates `name` from the firm data (else None / published)."""
        return name in self._builders() and self._needs_met(name)

    def _builders(self) -> dict:
        return {
            "cultivation_batches": (self._cultivation_batches, ()),
            "industry_fields": (self._industry_fields, ()),
            "industry_shares_by_population": (self._industry_shares, ()),
            "capital_markets": (self._capital_markets, ("listings",)),
            "a_share_boards": (self._a_share_boards, ("listings",)),
            "firms_by_province": (self._firms_by_province, ()),
            "firms_by_city": (self._firms_by_city, ()),
            "pct_holdings": (self._pct_holdings, ("patents",)),
            "pct_holdings_by_year": (self._pct_holdings_by_year, ("patents",)),
            "overseas_market_reach": (self._overseas_market_reach, ()),
            "pct_growth": (self._pct_growth, ("patents", "listings")),
            "tech_scale_by_population": (self._tech_scale, ("patents",)),
            "invention_quality": (self._invention_quality, ("patents",)),
            "tech_influence_by_batch": (self._tech_influence, ("patents",)),
            "typical_profile": (self._typical_profile, ("patents",)),
            "cluster_metrics": (self._cluster_metrics, ("patents", "listings")),
            "cluster_field_patents": (self._cluster_field_patents, ("patents",)),
            "cluster_city_distribution": (self._cluster_city_distribution, ()),
            "city_overview": (self._city_overview, ("patents",)),
            "city_capital_markets": (self._city_capital_markets, ("listings",)),
            "city_field_patents": (self._city_field_patents, ("patents",)),
            "city_metrics": (self._city_metrics, ("patents",)),
            "region_text_figures": (self._region_text_figures, ()),
            "text_figures": (self._text_figures, ("patents", "listings")),
            "patents_per_firm_by_year": (self._patents_per_firm_by_year, ("patents", "listings")),
            "invention_density": (self._invention_density, ("patents",)),
        }

    def _needs_met(self, name: str) -> bool:
        _, needs = self._builders()[name]
        return all(getattr(self, need) is not None for need in needs)

    def table(self, name: str) -> pd.DataFrame | None:
        """Table `name` in its published shape, aggregated from the firm data; None when firm
        data cannot give it (or the file it needs is absent): then the published table applies."""
        if name not in self._builders() or not self._needs_met(name):
            return None
        builder, needs = self._builders()[name]
        frame = builder()
        files = [self.files["firms"], *(self.files[need] for need in needs)]
        return self._finish(name, frame, files)

    def _spec(self, name: str) -> TableSpec:
        if name in output_specs():
            return output_specs()[name]
        return catalog.table_spec(name, self.published_dir)

    def _printed_decimals(self, name: str, column: str) -> tuple[dict, int]:
        """Decimals each published row of `name` prints `column` with (from the CSV text), by
        key, and the most decimals of the column (for rows not published)."""
        spec = self._spec(name)
        text = read_table_text(self.published_dir / spec.file)
        decimals = {}
        for _, row in text.iterrows():
            shown = str(row[column])
            if shown:
                decimals[tuple(str(row[k]) for k in spec.key)] = (
                    len(shown.split(".")[1]) if "." in shown else 0
                )
        return decimals, max(decimals.values(), default=3)

    def _published(self, name: str) -> pd.DataFrame:
        return catalog.load_published(name, self.published_dir)

    def _finish(self, name: str, frame: pd.DataFrame, files: list[str]) -> pd.DataFrame:
        """Provenance, column order, the published dtypes (validated with the published schema,
        without its stated totals) and attrs."""
        spec = self._spec(name)
        source_id = ", ".join(Path(f).name for f in files)
        frame = frame.copy().reset_index(drop=True)
        for column in catalog.PROVENANCE_COLUMNS:
            frame[column] = frame[column].astype(object) if column in frame else pd.NA
        # Rows without a source_doc are derived here; rows copied from a published table keep theirs.
        derived = frame["source_doc"].isna()
        frame.loc[derived, "source_doc"] = SOURCE_DOC
        frame.loc[derived, "source_id"] = source_id
        frame.loc[derived, "inferred"] = False
        frame.loc[derived & frame["note"].isna(), "note"] = ""
        frame = frame[list(spec.all_columns)]
        for column in PRINTED_COLUMNS.get(name, ()):
            decimals, default = self._printed_decimals(name, column)
            keys = frame[list(spec.key)].astype(str).apply(tuple, axis=1)
            frame[column] = [
                stated(value, decimals.get(k, default)) if is_derived and pd.notna(value) else value
                for value, k, is_derived in zip(frame[column], keys, derived, strict=True)
            ]
        # A long table leaves out a metric its data cannot give (a growth rate from a zero base);
        # in a wide table such a figure stays missing (floats are nullable here, counts are not).
        if "metric" in frame and "value" in frame:
            frame = frame[frame["value"].notna()]
        frame.index = pd.RangeIndex(2, 2 + len(frame))
        nullable = set(NOT_DERIVABLE.get(name, ()))
        nullable |= {c for c, rule in spec.columns.items() if rule.get("type") == "float"}
        columns = {
            column: {**rule, "nullable": True} if column in nullable else rule
            for column, rule in spec.columns.items()
        }
        relaxed = replace(spec, totals=(), columns=columns)
        typed = validate_frame(frame, relaxed, f"{display_path(self.folder)} → {name}")
        typed.attrs.update(
            table=name,
            title=spec.title,
            population=spec.population,
            as_of=self.cutoff,
            document=DOCUMENT,
            document_en=DOCUMENT_EN,
            source_ids=sorted(
                {part for ids in typed["source_id"].dropna() for part in ids.split(", ")}
            ),
            firm_level=True,
            synthetic=self.synthetic,
        )
        return typed

    # Chapter 01 -------------------------------------------------------------------------

    def _cultivation_batches(self) -> pd.DataFrame:
        firms = self.firms
        published = self._published("cultivation_batches").set_index("batch_no")
        analysed_total = int(firms["analysed"].astype(bool).sum())
        rows = []
        for batch_no in range(1, 6):
            batch = firms[firms["batch_no"] == batch_no]
            reviewed_any = batch["review_status"].isin(["confirmed", "revoked"]).any()
            analysed = int(batch["analysed"].astype(bool).sum())
            rows.append(
                {
                    "batch_no": batch_no,
                    "batch": published.loc[batch_no, "batch"],
                    "announced": len(batch),
                    "reviewed": int((batch["review_status"] == "confirmed").sum())
                    if reviewed_any
                    else pd.NA,
                    "analysed": analysed,
                    "analysed_share_stated": stated(analysed / analysed_total)
                    if analysed_total
                    else np.nan,
                }
            )
        return pd.DataFrame(rows)

    def _industry_fields(self) -> pd.DataFrame:
        fields = reference.values("industry_fields", "field")
        counts = self.analysed["industry_field"].value_counts()
        return pd.DataFrame({"field": fields, "firms": [int(counts.get(f, 0)) for f in fields]})

    def _industry_shares(self) -> pd.DataFrame:
        published = self._published("industry_shares_by_population")
        firms = self.analysed
        categories = list(dict.fromkeys(reference.values("industry_fields", "category")))
        counts = firms["category"].value_counts()
        rows = pd.DataFrame(
            {
                "category": categories,
                "population": LITTLE_GIANTS,
                "share_stated": [
                    stated(counts.get(c, 0) / len(firms)) if len(firms) else np.nan
                    for c in categories
                ],
            }
        )
        return pd.concat([rows, published[published["population"] != LITTLE_GIANTS]])

    def _board_counts(self, firms: pd.DataFrame) -> dict[str, int]:
        counts: dict[str, int] = {}
        for boards in firms["boards"]:
            for board in boards:
                counts[board] = counts.get(board, 0) + 1
        return counts

    def _capital_markets(self) -> pd.DataFrame:
        firms = self.analysed
        boards = self._board_reference()
        counts = self._board_counts(firms)
        allowed = self._spec("capital_markets").columns["market"]["allowed"]
        rows = []
        for board, market in zip(boards["board"], boards["market_label"], strict=True):
            if market in allowed:
                rows.append({"market": market, "firms": counts.get(board, 0)})
        rows.append(
            {"market": PRIMARY_FINANCING, "firms": int(firms["primary_market_financing"].sum())}
        )
        frame = pd.DataFrame(rows)
        frame["share_stated"] = [
            stated(v / len(firms)) if len(firms) else np.nan for v in frame["firms"]
        ]
        # The change against the previous year needs last year's list: not in a firm export.
        frame["change_yoy"] = pd.NA
        return frame

    def _a_share_boards(self) -> pd.DataFrame:
        published = self._published("a_share_boards").set_index("board")
        counts = self._board_counts(self.analysed)
        boards = self._board_reference().query("a_share == 'true'")["board"]
        rows = []
        for board in boards:
            total = int(published.loc[board, "listed_total"])
            firms = counts.get(board, 0)
            rows.append(
                {
                    "board": board,
                    "listed_total": total,
                    "little_giants": firms,
                    "share_stated": stated(firms / total),
                    "note": "listed_total 为该板块全部上市企业数，取自"
                    + f"{published.attrs.get('document', '')}{published.loc[board, 'source_id']}"
                    + "（企业级数据无法得出）",
                }
            )
        frame = pd.DataFrame(rows)
        frame["source_doc"] = pd.NA
        return frame

    # Chapter 02 -------------------------------------------------------------------------

    def _bins(self, values: pd.Series, binning: stats.Binning, labels: list[str]) -> pd.DataFrame:
        counted = stats.bin_counts(values.astype(int).reset_index(drop=True), binning)
        counted["bin"] = labels
        counted["min"] = list(binning.edges)
        counted["max"] = [e - 1 for e in binning.edges[1:]] + [pd.NA]
        return counted

    def _binned_table(self, name: str, values: pd.Series, binning, prefix: tuple[str, str, str]):
        """A distribution table (图表2.8): bin label, its bounds, firms and the printed share.
        `prefix` names the label, lower-bound and upper-bound columns of the published table."""
        label, low, high = prefix
        labels = self._spec(name).columns[label]["allowed"]
        counted = self._bins(values, binning, labels)
        return pd.DataFrame(
            {
                label: counted["bin"],
                low: counted["min"],
                high: counted["max"],
                "firms": counted["firms"],
                "share_stated": [stated(s) for s in counted["share"]],
            }
        )

    def _pct_holdings(self) -> pd.DataFrame:
        return self._binned_table(
            "pct_holdings",
            self.analysed["pct_applications"],
            stats.PCT_BINS,
            ("pct_bin", "pct_min", "pct_max"),
        )

    def _pct_holdings_by_year(self) -> pd.DataFrame:
        labels = self._spec("pct_holdings_by_year").columns["pct_bin"]["allowed"]
        frames = []
        for year in (self.cutoff_year, self.cutoff_year - 1):
            values = self.analysed[f"pct_through_{year}"]
            if values.isna().any():
                continue  # a carry-in row hides the split: that year cannot be binned
            counted = self._bins(values, stats.PCT_BINS, labels)
            frames.append(
                pd.DataFrame({"year": year, "pct_bin": counted["bin"], "firms": counted["firms"]})
            )
        return pd.concat(frames, ignore_index=True)

    def _overseas_market_reach(self) -> pd.DataFrame:
        return self._binned_table(
            "overseas_market_reach",
            self.analysed["overseas_markets"],
            stats.OVERSEAS_MARKET_BINS,
            ("market_bin", "markets_min", "markets_max"),
        )

    def _pct_growth(self) -> pd.DataFrame:
        firms = self.analysed
        groups = {LITTLE_GIANTS: firms, "A股上市小巨人": firms[firms["a_share"]]}
        rows = [
            {
                "population": population,
                "pct_cagr_2020_2022_stated": stated(
                    self.group_metrics(group)["pct_cagr_2020_2022"]
                ),
            }
            for population, group in groups.items()
        ]
        return pd.DataFrame(rows)

    def _by_batch(self) -> list[tuple[str, pd.DataFrame]]:
        batches = self._published("cultivation_batches").set_index("batch_no")["batch"]
        firms = self.analysed
        groups = [(batches[b], firms[firms["batch_no"] == b]) for b in range(1, 6)]
        return [(name, group) for name, group in groups if len(group)] + [(ALL_BATCHES, firms)]

    def _tech_scale(self) -> pd.DataFrame:
        published = self._published("tech_scale_by_population")
        rows = []
        for batch, group in self._by_batch():
            values = self.group_metrics(group)
            rows.append(
                {
                    "population": LITTLE_GIANTS,
                    "batch": batch,
                    "patent_applications_per_firm": values["patent_applications_per_firm"],
                    "valid_invention_patents_per_firm": values["valid_invention_patents_per_firm"],
                }
            )
        return pd.concat([pd.DataFrame(rows), published[published["population"] != LITTLE_GIANTS]])

    def _invention_quality(self) -> pd.DataFrame:
        published = self._published("invention_quality")
        values = self.group_metrics(self.analysed)
        row = {
            "population": LITTLE_GIANTS,
            "invention_share_stated": stated(values["invention_share"]),
            "grant_rate_stated": stated(values["grant_rate"]),
        }
        return pd.concat([pd.DataFrame([row]), published[published["population"] != LITTLE_GIANTS]])

    def _tech_influence(self) -> pd.DataFrame:
        rows = []
        for batch, group in self._by_batch():
            values = self.group_metrics(group)
            rows.append(
                {
                    "batch": batch,
                    "citations_per_firm": values["citations_per_firm"],
                    "licences_per_firm": values["licences_per_firm"],
                }
            )
        return pd.DataFrame(rows)

    def _typical_profile(self) -> pd.DataFrame:
        published = self._published("typical_profile")
        values = self.group_metrics(self.analysed)
        mine = published[published["population"] == LITTLE_GIANTS][["metric", "population", "unit"]]
        mine = mine.assign(value=[values[m] for m in mine["metric"]])
        others = published[published["population"] != LITTLE_GIANTS]
        order = {m: i for i, m in enumerate(dict.fromkeys(published["metric"]))}
        populations = {p: i for i, p in enumerate(dict.fromkeys(published["population"]))}
        frame = pd.concat([mine, others])
        return frame.sort_values(
            ["metric", "population"],
            key=lambda s: s.map(order) if s.name == "metric" else s.map(populations),
            kind="stable",
        )

    # Chapter 03 -------------------------------------------------------------------------

    def _firms_by_province(self) -> pd.DataFrame:
        provinces = reference.values("provinces", "province")
        counts = self.analysed["province"].value_counts()
        frame = pd.DataFrame(
            {"province": provinces, "firms": [int(counts.get(p, 0)) for p in provinces]}
        )
        return frame.sort_values("firms", ascending=False, kind="stable")

    def _firms_by_city(self) -> pd.DataFrame:
        firms = self.analysed
        counts = firms["city"].dropna().value_counts()
        known = reference.values("cities", "city")
        shown = counts[counts >= self.city_min_firms]
        unknown = [c for c in shown.index if c not in known]
        if unknown:
            rows = self.firms.index[self.firms["city"].isin(unknown)]
            raise DataInputError(
                Problem(
                    self.files["firms"],
                    f"{len(rows)} firms in {', '.join(unknown)}: at least {self.city_min_firms} "
                    "firms, so the city belongs in firms_by_city, but it is not in "
                    "data/reference/cities.csv; add it there (or correct the spelling)",
                    row=int(rows[0]),
                    column="city",
                    value=unknown[0],
                )
            )
        order = {c: i for i, c in enumerate(known)}
        frame = pd.DataFrame({"city": shown.index, "firms": shown.to_numpy().astype(int)})
        frame["order"] = frame["city"].map(order)
        frame = frame.sort_values(["firms", "order"], ascending=[False, True], kind="stable")
        return frame.drop(columns="order")

    def _regions(self, name: str) -> list[str]:
        return list(self._spec(name).columns["region"]["allowed"])

    def _cities(self, name: str) -> list[str]:
        return list(self._spec(name).columns["city"]["allowed"])

    def _national(self) -> dict[str, float]:
        return self.group_metrics(self.analysed)

    def _metrics_by_group(self, table: str, column: str, groups: list[str]) -> pd.DataFrame:
        """Long table group x metric with the national average, for the cluster and city pages."""
        firms = self.analysed
        national = self._national()
        allowed = self._spec(table).columns["metric"]["allowed"]
        rows = []
        for name in groups:
            group = firms[firms[column] == name]
            if group.empty:
                continue
            values = self.group_metrics(group)
            rows += [
                {
                    column: name,
                    "metric": metric,
                    "unit": METRIC_UNITS[metric],
                    "value": values[metric],
                    "national_avg": national.get(metric, np.nan),
                }
                for metric in allowed
            ]
        return pd.DataFrame(rows)

    def _cluster_metrics(self) -> pd.DataFrame:
        frame = self._metrics_by_group(
            "cluster_metrics", "cluster", self._regions("cluster_metrics")
        )
        frame.loc[frame["metric"] == "listed_firms", "national_avg"] = np.nan  # a count, no average
        return frame.rename(columns={"cluster": "region"})

    def _field_patents(self, key: str, groups: list[str]) -> pd.DataFrame:
        firms = self.analysed
        fields = reference.table("industry_fields")
        key_fields = fields.loc[fields["key_field"] == "true", "field"].tolist()
        rows = []
        for group_name in groups:
            group = firms[firms[key] == group_name]
            if group.empty:
                continue
            sums = group.groupby("industry_field")["applications"].sum()
            for field in key_fields:
                rows.append(
                    {
                        "group": group_name,
                        "field": field,
                        "patent_applications": int(sums.get(field, 0)),
                    }
                )
        return pd.DataFrame(rows, columns=["group", "field", "patent_applications"])

    def _cluster_field_patents(self) -> pd.DataFrame:
        frame = self._field_patents("cluster", self._regions("cluster_field_patents"))
        return frame.rename(columns={"group": "region"})

    def _cluster_city_distribution(self) -> pd.DataFrame:
        spec = self._spec("cluster_city_distribution")
        rest = "其他城市"
        named = [c for c in spec.columns["city"]["allowed"] if c != rest]
        rows = []
        for region in spec.columns["region"]["allowed"]:
            group = self.analysed[self.analysed["cluster"] == region]
            if group.empty:
                continue
            counts = group["city"].value_counts()
            for city in named:
                rows.append({"region": region, "city": city, "firms": int(counts.get(city, 0))})
            rows.append(
                {
                    "region": region,
                    "city": rest,
                    "firms": int(len(group) - sum(counts.get(c, 0) for c in named)),
                }
            )
        return pd.DataFrame(rows)

    def _city_overview(self) -> pd.DataFrame:
        firms = self.analysed
        rows = []
        for city in self._cities("city_overview"):
            group = firms[firms["city"] == city]
            if group.empty:
                continue
            rows.append(
                {
                    "city": city,
                    "firms": len(group),
                    "patent_applications_total": int(group["applications"].sum()),
                }
            )
        return pd.DataFrame(rows, columns=["city", "firms", "patent_applications_total"])

    def _city_capital_markets(self) -> pd.DataFrame:
        firms = self.analysed
        boards = self._board_reference()["board"].tolist()
        rows = []
        for city in self._cities("city_capital_markets"):
            counts = self._board_counts(firms[firms["city"] == city])
            rows += [
                {"city": city, "board": b, "firms": counts[b]} for b in boards if counts.get(b)
            ]
        return pd.DataFrame(rows, columns=["city", "board", "firms"])

    def _city_field_patents(self) -> pd.DataFrame:
        frame = self._field_patents("city", self._cities("city_field_patents"))
        return frame.rename(columns={"group": "city"})

    def _city_metrics(self) -> pd.DataFrame:
        return self._metrics_by_group("city_metrics", "city", self._cities("city_metrics"))

    # Firm-level only --------------------------------------------------------------------

    def _patents_per_firm_by_year(self) -> pd.DataFrame:
        firms = self.analysed
        patents = self.patents[self.patents["firm_id"].isin(firms.index)]
        carry = patents[patents["includes_earlier_years"].astype(bool)]
        covered = int(carry["year"].max()) if len(carry) else -1
        years = sorted(y for y in patents["year"].unique() if y > covered)
        groups = {LITTLE_GIANTS: firms, "A股上市小巨人": firms[firms["a_share"]]}
        rows = []
        for population, group in groups.items():
            if group.empty:
                continue
            here = patents[patents["firm_id"].isin(group.index)]
            sums = here.groupby("year")[
                ["applications", "invention_applications", "pct_applications"]
            ].sum()
            for year in years:
                row = sums.loc[year] if year in sums.index else pd.Series(0, index=sums.columns)
                rows.append(
                    {
                        "population": population,
                        "year": int(year),
                        "firms": len(group),
                        "applications_per_firm": float(row["applications"]) / len(group),
                        "invention_applications_per_firm": float(row["invention_applications"])
                        / len(group),
                        "pct_applications_per_firm": float(row["pct_applications"]) / len(group),
                        "note": f"1月1日至{self.cutoff}" if year == self.cutoff_year else "",
                    }
                )
        return pd.DataFrame(rows)

    def _invention_density(self) -> pd.DataFrame:
        firms = self.analysed[self.analysed["employees"].notna()]
        patents = int(firms["valid_invention_patents"].sum())
        employees = int(firms["employees"].sum())
        density = float(stats.patent_density(patents, employees)) if employees else np.nan
        row = {
            "population": LITTLE_GIANTS,
            "firms": len(firms),
            "valid_invention_patents": patents,
            "employees": employees,
            "density": density,
        }
        return pd.DataFrame([row])

    # Text figures -----------------------------------------------------------------------

    def _recompute_items(self, name: str, values: dict[str, float]) -> pd.DataFrame:
        """The published text-figure table with the items in `values` recomputed (firm-level
        provenance; rounded as printed in _finish; label, bound and unit as published); the
        other items stay as published."""
        published = self._published(name)
        frame = published.astype(object)
        recomputed = frame["item"].isin([k for k, v in values.items() if pd.notna(v)])
        for row in frame.index[recomputed]:
            frame.loc[row, "value"] = float(values[frame.loc[row, "item"]])
        for column in ("source_doc", "source_id", "inferred", "note"):
            frame.loc[recomputed, column] = pd.NA
        return frame

    def _region_text_figures(self) -> pd.DataFrame:
        firms = self.analysed
        provinces = firms["province"].value_counts()
        cities = firms["city"].dropna().value_counts()
        employees = firms["employees"].dropna()
        values = {
            "top3_provinces_share": provinces.nlargest(3).sum() / len(firms)
            if len(firms)
            else np.nan,
            "top3_cities_vs_fourth": cities.nlargest(3).mean() / cities.nlargest(4).iloc[-1]
            if len(cities) >= 4
            else np.nan,
            "yrd_firms": float((firms["cluster"] == "长三角").sum()),
            "avg_employees_per_firm": employees.mean() if len(employees) else np.nan,
        }
        return self._recompute_items("region_text_figures", values)

    def _text_figures(self) -> pd.DataFrame:
        firms = self.analysed
        national = self._national()
        batch1 = firms[firms["batch_no"] == 1]
        year_2022 = firms["applications_2022"].sum(min_count=len(firms)) if len(firms) else np.nan
        values = {
            "little_giants_announced": float(len(self.firms)),
            "analysed_firms": float(len(firms)),
            "a_share_listed_firms": float(firms["a_share"].sum()),
            "listed_share": firms["listed"].mean() if len(firms) else np.nan,
            "firms_with_overseas_markets": float((firms["overseas_markets"] > 0).sum()),
            "key_fields_share": firms["key_field"].mean() if len(firms) else np.nan,
            "patent_applications_2022": year_2022,
            "pct_share_of_applications": national["pct_share"],
            "patent_applications_cagr_2020_2022": national["applications_cagr_2020_2022"],
            "batch1_citations_multiple": _ratio(
                stats.multiple,
                self.group_metrics(batch1)["citations_per_firm"],
                national["citations_per_firm"],
            )
            if len(batch1)
            else np.nan,
        }
        return self._recompute_items("text_figures", values)
