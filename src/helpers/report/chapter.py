"""What a chapter notebook uses: load tables, record headline numbers, show figures and tables
with their number and source, and write them to the build's output folder.

    ch = Chapter("01_cultivation", data_dir=data_dir, output_dir=output_dir, language=language)
    batches = ch.table("cultivation_batches")
    ch.record("batches.announced_total", batches["announced"].sum(), "家",
              "ch01.stats.announced_total", source=batches)

Every word comes from the label files (`ch.t`), every number shown is formatted by its unit
(`ch.fmt`), and every source is named from the provenance of the rows used: a published
document and chart, or the firm-level folder and its fingerprint. Cells may be run again in
JupyterLab: recording or checking the same key again replaces it.
"""

from __future__ import annotations

import csv
import re
from dataclasses import dataclass, field
from pathlib import Path

import matplotlib.pyplot as plt
import pandas as pd

from helpers.data import catalog
from helpers.data import source as datasource
from helpers.data.ids import category_id
from helpers.paths import display_path, resolve
from helpers.pipeline import (
    CHECKS_SUFFIX,
    DOWNLOADS_SUFFIX,
    KEY_FIELD,
    StatisticsDeclarationError,
    StatisticSpec,
    check_declared,
    statistic_spec,
)
from helpers.report import charts, words
from helpers.report.book import LEDGER_COLUMNS, PLACEHOLDERS_SUFFIX
from helpers.report.format import format_column, format_value, format_with_unit, unit_label
from helpers.report.html import downloads_line, figure_image, render_fragment, render_table
from helpers.report.labels import label, translate
from helpers.report.sources import FIRM_LEVEL, Sources, data_title, reader_source
from helpers.report.spreadsheet import TableAbout, describe, save_table_files

STATISTICS_COLUMNS = ["key", "value", "unit", "label", "source", "notebook"]
# What a chapter shows in place of a figure or table its data cannot give (Chapter.missing),
# in statistics/<notebook>.placeholders.csv: the book skips the findings they would carry.
CHECK_COLUMNS = [
    *["source", "item", "stated", "recomputed", "decimals", "unit", "firm_level"],
    *["check_id", "document"],  # which printed figure, in which document (Chapter.check)
]
PLACEHOLDER_COLUMNS = ["notebook", "kind", "name", "number", "title", "lacking"]
# `data=` of Chapter.figure when its data is the table saved next under its name (save_table).
FIGURE_DATA_BELOW = "the table saved next under the figure's name"
DOWNLOAD_COLUMNS = ["kind", "name", "number", "title", "files"]
# The catalogue tables whose rows a reader sees in a chapter (cited by a statistic, a check, a
# caption or a table): statistics/<notebook>.tables.csv, so a test can list every published
# table against what the book shows (tests/test_published_coverage.py).
SHOWN_TABLES_SUFFIX = ".tables.csv"


@dataclass
class Chapter:
    notebook: str
    data_dir: str = "data/published"
    output_dir: str = "build/scratch/reports"
    language: str = "zh"
    cutoff: str = "2023-07-31"
    statistics: dict[str, dict] = field(default_factory=dict)
    provenance: dict[str, dict] = field(default_factory=dict)
    checks: dict[tuple[str, str], dict] = field(default_factory=dict)
    # Figures and tables saved for download, by (kind, name): the edition's index lists them.
    downloads: dict[tuple[str, str], dict] = field(default_factory=dict)
    # Our own figure and table numbers (图3.2, 表3.1), by name: running a cell again keeps them.
    numbers: dict[tuple[str, str], str] = field(default_factory=dict)
    # Figures and tables shown as placeholders (Chapter.missing), by (kind, name).
    placeholders: dict[tuple[str, str], dict] = field(default_factory=dict)
    # The tables whose rows it showed, by name, in order of first use (_note_shown).
    shown_tables: dict[str, None] = field(default_factory=dict)
    # The notebooks/statistics/<declarations>.yml its keys are declared in (default: notebook).
    declarations: str = ""
    # What its keys start with (default: notebook): a region's profile keys by the region's
    # fixed id (profile_320000.firms), whatever its pages are called.
    key_prefix: str = ""
    # Where each key was recorded, to refuse one recorded twice.
    _places: dict[str, dict] = field(default_factory=dict, repr=False)

    def __post_init__(self):
        from helpers.parameters import validate

        validate(data_dir=self.data_dir, language=self.language, cutoff=self.cutoff)
        self.declarations = self.declarations or self.notebook
        self.key_prefix = self.key_prefix or self.notebook
        self.output = resolve(self.output_dir)
        self.source = datasource.DataSource(resolve(self.data_dir), cutoff=self.cutoff)
        self.documents = catalog.documents(self.source.tables_dir)
        self.sources = Sources(self.documents, self.language, self._table_rows)
        self._placeholders_path.unlink(missing_ok=True)  # from an earlier run of the notebook
        (self.output / "statistics" / f"{self.notebook}{SHOWN_TABLES_SUFFIX}").unlink(
            missing_ok=True
        )
        charts.setup_style(self.language)

    # Load ---------------------------------------------------------------------------------
    def table(self, name: str) -> pd.DataFrame:
        """A table by name from the chosen data source (published, or aggregated firm-level)."""
        check_declared(self.notebook, name)
        frame = self.source.table(name)
        self.provenance[name] = dict(frame.attrs)
        return frame

    def published_table(self, name: str) -> pd.DataFrame:
        """A published table whatever the data source: for published context such as figures
        printed only as text. Its provenance is kept under 'published:<name>'."""
        check_declared(self.notebook, name)
        frame = catalog.load_published(name)
        self.provenance[f"published:{name}"] = dict(frame.attrs)
        return frame

    def optional_table(self, name: str) -> pd.DataFrame | None:
        """A table only some data sources have (e.g. yearly series that only firm-level data
        gives, or a table a firm-level folder lacks the inputs for), or None."""
        check_declared(self.notebook, name)
        return self.table(name) if self.source.provides(name) else None

    def has_table(self, *names: str) -> bool:
        """Whether the data source has every table named. Published tables have them all but
        the firm-level-only ones; a firm-level folder lacks those whose inputs it lacks
        (patents, listings, an optional column of firms): see `lacking`."""
        for name in names:
            check_declared(self.notebook, name)
        return all(self.source.provides(name) for name in names)

    def lacking(self, *names: str) -> list[str]:
        """The inputs the data folder lacks for the tables named, each once, in order:
        'patents', 'listings' or 'firms.<column>' (an optional column of firms.csv)."""
        given = self.source.not_given()
        return list(dict.fromkeys(need for name in names for need in given.get(name, [])))

    def reference(self, name: str) -> pd.DataFrame:
        """A reference table of data/reference/ (provinces, cities, industry_fields, …) with
        its columns typed (key_field as booleans, codes as numbers)."""
        return pd.read_csv(self.source.reference_path(name))

    def as_of(self, name: str) -> str:
        """The date a loaded table describes (its catalogue `as_of`; the cut-off for firm data),
        as readers see it."""
        return words.format_date(self.provenance[name]["as_of"], self.language)

    # Words and numbers --------------------------------------------------------------------
    def t(self, key: str, **values) -> str:
        """Reader-facing text in the chapter's language."""
        return label(key, self.language, **values)

    def name(self, value: str) -> str:
        """A category name from the data in the report language."""
        return translate(value, self.language)

    def population_names(self, frame: pd.DataFrame, column: str) -> dict:
        """Each value of `column` (a population, batch or board a chart shows as a series or a
        bar) → its name in the report language. When the rows mix figures aggregated from the
        firm data with published figures of other populations (a firm-level edition's 小巨人
        next to the published 科创板), every name says which it is: 小巨人（本数据）,
        科创板（已发布：001）."""
        names = {value: self.name(value) for value in dict.fromkeys(frame[column])}
        if "source_doc" not in frame:
            return names
        docs = {
            value: set(rows.astype(str))
            for value, rows in frame.groupby(column, sort=False)["source_doc"]
        }
        derived = {value for value, found in docs.items() if FIRM_LEVEL in found}
        if not derived or derived == set(docs):
            return names
        for value, found in docs.items():
            if value in derived:
                names[value] = self.t("partial.population.this_data", name=names[value])
            else:
                documents = words.join(sorted(found), self.language)
                names[value] = self.t(
                    "partial.population.published", name=names[value], documents=documents
                )
        return names

    def names(self, values) -> str:
        """Several category names as one list in the edition's punctuation."""
        return words.join([self.name(v) for v in values], self.language)

    def fmt(self, value, unit: str, **options) -> str:
        """A number as a sentence writes it, by its unit (49.8%, 12,950, 1.60, 24.16万; see
        helpers.report.format: `compact=False` for the full count)."""
        return format_value(value, unit, self.language, **{"compact": True, **options})

    def with_unit_words(self, table: pd.DataFrame) -> pd.DataFrame:
        """The table with its unit keys (if it has a unit column) as this edition's words
        ('亿元' -> 'CNY 100 m' in English), for the spreadsheets a reader opens; empty units
        stay empty."""
        if "unit" not in table:
            return table
        words = table["unit"].map(
            lambda u: unit_label(u, self.language) if isinstance(u, str) and u else u
        )
        return table.assign(unit=words)

    def fmtu(self, value, unit: str, **options) -> str:
        """A number with its unit's words as a sentence writes it (12,950家 / 12,950 firms,
        24.16万件, 2.72万亿元 / CNY 2.72 trillion)."""
        return format_with_unit(value, unit, self.language, **{"compact": True, **options})

    # Sources ------------------------------------------------------------------------------
    def _table_rows(self, name: str) -> pd.DataFrame:
        if name.startswith("published:"):
            return catalog.load_published(name.removeprefix("published:"))
        return self.source.table(name)

    def source_line(self, *items, note: str = "") -> str:
        """'资料来源：…' for a caption, from the provenance of the tables (by name) or rows
        given; rows from firm-level data name the folder (示例数据 for the synthetic sample).
        When any of those rows is marked `inferred`, the line ends with the note on † marks."""
        self._note_shown(*items)
        if self.is_inferred(*items):
            note = self.t("common.clause_separator").join(
                [self.t("inferred.note"), *([note] if note else [])]
            )
        return self.sources.line(*items, note=note)

    def is_inferred(self, *items) -> bool:
        """Whether any of the tables (by name) or rows given is marked `inferred`."""
        for item in items:
            rows = self._table_rows(item) if isinstance(item, str) else item
            if isinstance(rows, pd.Series):
                rows = rows.to_frame().T
            if "inferred" in rows and any(_true(v) for v in rows["inferred"]):
                return True
        return False

    def _inferred_marks(self, frame: pd.DataFrame, table: str | None, inferred) -> list[bool]:
        """One flag per row of `frame`: given, from its own `inferred` column, or from the rows
        of the loaded `table` it was selected from (same index and the same values in the
        columns both have); otherwise none."""
        if inferred is not None:
            flags = [_true(v) for v in inferred]
            if len(flags) != len(frame):
                raise ValueError(f"inferred has {len(flags)} entries for {len(frame)} rows")
            return flags
        if "inferred" in frame:
            return [_true(v) for v in frame["inferred"]]
        if table is not None:
            rows = self._table_rows(table)
            if "inferred" in rows and frame.index.isin(rows.index).all():
                picked = rows.loc[frame.index]
                shared = [c for c in frame.columns if c in picked and c != "inferred"]
                if all(frame[c].astype(str).equals(picked[c].astype(str)) for c in shared):
                    return [_true(v) for v in picked["inferred"]]
        return [False] * len(frame)

    def source_ref(self, *items, fingerprint: bool = True) -> str:
        """The short source of a recorded number or a check (e.g. '001 图表1.4'; see
        Sources.ref)."""
        self._note_shown(*items)
        return self.sources.ref(*items, fingerprint=fingerprint)

    def source_title(self, source) -> str:
        """A data source (this edition's, or PREVIOUS's) by its title, never its path:
        公开报告数据, 示例数据（合成）, 企业数据：<the folder's name>."""
        return data_title(
            self.language,
            firm_level=source.is_firm_level,
            synthetic=source.is_synthetic,
            folder=source.label,
        )

    def _note_shown(self, *items) -> None:
        """Note the tables the items come from (a name, or rows keeping their table's attrs)
        in statistics/<notebook>.tables.csv."""
        names = []
        for item in items:
            name = item if isinstance(item, str) else getattr(item, "attrs", {}).get("table")
            if name:
                names.append(str(name).removeprefix("published:"))
        new = [name for name in dict.fromkeys(names) if name not in self.shown_tables]
        if new:
            self.shown_tables.update(dict.fromkeys(new))
            rows = {name: {"table": name} for name in self.shown_tables}
            path = self.output / "statistics" / f"{self.notebook}{SHOWN_TABLES_SUFFIX}"
            _write_rows(path, ["table"], rows)

    # Record -------------------------------------------------------------------------------
    def record(self, key: str, value, *legacy, source=None, **values):
        """Register a number a reader sees for statistics.csv and return it unchanged. The key
        is declared in notebooks/statistics/<notebook>.yml with its unit and label (a key in
        the label files, formatted with `values`); a `{column}` field in it is filled with the
        fixed id (helpers.data.ids) of `values[column]`. `source` names the tables or rows the
        number comes from (see `source_ref`). Shares are fractions. Recording an undeclared key,
        or a key already recorded by another call, raises StatisticsDeclarationError."""
        if legacy:  # (unit, label_key): notebooks without a declaration file yet
            unit, label_key = legacy
            spec = None
        else:
            spec = self._spec_for(key)
            unit, label_key = spec.unit, spec.label
            if spec.fields:
                key = spec.fill({f: self.id(values[f]) for f in spec.fields})
                spec = self._spec_for(key)
        self._store(key, value, unit, label_key, source, values)
        return value

    def record_table(
        self,
        frame: pd.DataFrame,
        *keys: str,
        source=None,
        also=(),
        unit_column: str = "",
        **values,
    ) -> None:
        """Record a table of statistics in one call: for each key pattern (e.g.
        'provinces.share.{province}'), one statistic per row of `frame`, its fields filled
        with the fixed ids of the row's categories. Each filled key takes its unit, label and
        `value` column from its declaration (the pattern's own, or — for a family declared key
        by key because each has its own unit — the filled key's); the label is formatted with
        the row's columns (categories in the edition's words) and `values`. Rows whose value is
        missing are skipped (a figure the data does not give).

        `source`: what every statistic comes from — by default its own row; tables or rows for
        all rows; or a function of the row (a one-row frame) giving its rows. `also`: rows or
        tables added to every statistic's source (a printed total it is a share of).
        `unit_column`: a column holding each row's unit, which must be the declared one."""
        for pattern in keys:
            fields = KEY_FIELD.findall(pattern)
            missing = [c for c in fields if c not in frame.columns]
            if missing:
                raise StatisticsDeclarationError(
                    f"record_table({pattern!r}): the table has no column {missing} "
                    f"(columns: {', '.join(map(str, frame.columns))})"
                )
            for index, row in frame.iterrows():
                key = KEY_FIELD.sub(lambda m, r=row: self.id(r[m.group(1)]), pattern)
                spec = self._spec_for(key)
                if not spec.value or spec.value not in frame.columns:
                    raise StatisticsDeclarationError(
                        f"{display_path(spec.file)}: key '{spec.key}' needs `value: <column>` "
                        f"naming a column of the table to be recorded from it (columns: "
                        f"{', '.join(map(str, frame.columns))})"
                    )
                if pd.isna(row[spec.value]):
                    continue
                if unit_column and row[unit_column] != spec.unit:
                    raise StatisticsDeclarationError(
                        f"{display_path(spec.file)}: '{spec.key}' is declared in {spec.unit!r} "
                        f"but row {index} of the table is in {row[unit_column]!r}"
                    )
                own = frame.loc[[index]]
                if source is None:
                    rows = own
                elif callable(source):
                    rows = source(own)
                else:
                    rows = source
                rows = (*(rows if isinstance(rows, tuple) else (rows,)), *also)
                words_of_row = {
                    str(column): self.name(cell) if isinstance(cell, str) else cell
                    for column, cell in row.items()
                }
                self._store(
                    key,
                    row[spec.value],
                    spec.unit,
                    spec.label,
                    rows if len(rows) > 1 else rows[0],
                    {**words_of_row, **values},
                    row_label=str(index),
                )

    def id(self, value) -> str:
        """The fixed id of a category for statistics keys (江苏省 -> 320000, 科创板 ->
        star_market, 第一批 -> batch_1): from data/reference/, never from a label."""
        return category_id(value)

    def _spec_for(self, key: str) -> StatisticSpec:
        return statistic_spec(self.declarations, key)

    def _store(self, key, value, unit, label_key, source, values, row_label: str = "") -> None:
        number = float(value)
        if number != number:  # NaN
            raise ValueError(f"record: {key} is NaN; a headline number must be computed")
        full_key = f"{self.key_prefix}.{key}"
        place = _caller_place(row_label)
        earlier = self._places.get(full_key)
        if earlier is not None and not _is_rerun(earlier, place):
            raise StatisticsDeclarationError(
                f"statistic '{full_key}' is recorded twice: first at {earlier['where']}, "
                f"again at {place['where']}"
            )
        self._places[full_key] = place
        self.statistics[full_key] = {
            "key": full_key,
            "value": repr(round(number, 10)) if not number.is_integer() else str(int(number)),
            "unit": unit_label(unit, self.language),
            "label": self.t(label_key, **values),
            "source": self.source_ref(source)
            if not isinstance(source, tuple)
            else self.source_ref(*source),
            "notebook": self.notebook,
        }
        self._write_statistics()

    def _write_statistics(self):
        _write_rows(
            self.output / "statistics" / f"{self.notebook}.csv", STATISTICS_COLUMNS, self.statistics
        )

    # Show ---------------------------------------------------------------------------------
    def _show(self, kind: str, **values) -> None:
        from IPython.display import HTML, display

        display(HTML(render_fragment(kind, **values)))

    def figure(
        self,
        fig,
        name: str,
        key: str,
        source: str,
        reading: str | None = None,
        *,
        data: pd.DataFrame | str,
        data_units: dict[str, str] | None = None,
        data_table: str | None = None,
        **values,
    ):
        """Save the figure (PNG + SVG) and show it under its number and title, with the source
        and a sentence of reading below. Words come from the labels at `key` (`.number`,
        `.title`, `.reading`), formatted with `values`; pass `reading` to use another sentence.

        `data` is what the chart draws, required so that every figure offers its numbers: a
        frame (the values drawn, under column names the label files name in `columns:`) saved
        as tables/<notebook>_<name>.csv and .xlsx like a table (units from the catalogue entry
        of `data_table` and `data_units`) and linked beside the chart; or FIGURE_DATA_BELOW
        when the table saved next under the same name (save_table) is its data."""
        from IPython.display import HTML, display

        if not isinstance(data, pd.DataFrame) and data != FIGURE_DATA_BELOW:
            given = repr(data)
            raise TypeError(f"figure {name}: data must be its frame or FIGURE_DATA_BELOW: {given}")
        if isinstance(data, pd.DataFrame):  # before anything is shown or saved
            self._check_column_names(data, name)

        number = self.number("figure", name)
        title = self.t(f"{key}.title", **values)
        if reading is None:
            reading = self.t(f"{key}.reading", **values)
        mark = self.t("common.synthetic_mark") if self.source.is_synthetic else ""
        paths = charts.save_figure(
            fig, f"{self.notebook}_{name}", self.output / "figures", mark=mark
        )
        self._list_download("figure", name, number, title, paths.values())
        plt.close(fig)
        self._show("figure_title", number=number, title=title)
        # Alt text: the figure's number and title and the reading with its key numbers.
        alt = " ".join(part for part in (number, title, reading or "") if part)
        # the PNG in the page, the SVG in the PDF (helpers.report.pdf draws it as vectors)
        display(HTML(figure_image(paths["png"], paths["svg"], self.output, alt)))
        published = self.published_figure(key)
        caption = source
        if published:  # a reproduction says which published chart it reproduces
            caption = self.t("common.reproduces", source=source, published=published)
        self._show("figure_source", number=number, source=caption)
        # the chart's own files beside it, then its data's (else under its data table)
        files = self.downloads[("figure", name)]["files"].split(";")
        display(HTML(downloads_line(files, self.language, "site.downloads.chart")))
        if isinstance(data, pd.DataFrame):
            files = self.save_figure_data(data, name, title, source, data_units, data_table)
            display(HTML(downloads_line(files, self.language)))
        if reading:
            self._show("reading", text=reading)

    def save_figure_data(
        self,
        data: pd.DataFrame,
        name: str,
        title: str,
        source: str,
        units: dict[str, str] | None = None,
        table: str | None = None,
    ) -> list[str]:
        """A figure's data as tables/<notebook>_<name>.csv and .xlsx (save_table_files: BOM,
        formulas neutralised, each row with its source line; the XLSX and datapackage.json
        titled as the figure), listed with the figure; returns the files. Every column must be
        named in the label files (`columns:`), so no machine name reaches a reader."""
        self._check_column_names(data, name)
        column_units = self.column_units(table)
        column_units.update(units or {})
        frame = data.reset_index(drop=True).assign(data_source=source)
        stem = f"{self.notebook}_{name}"
        about = self.table_about(frame, title=title, source=source, units=column_units)
        save_table_files(frame, self.output / "tables", stem, about)
        self.list_table(name, "", "")  # untitled under a figure's name: the figure's data
        return self.downloads[("table", name)]["files"].split(";")

    def _check_column_names(self, data: pd.DataFrame, name: str) -> None:
        unnamed = []
        for column in map(str, data.columns):
            try:
                self.column_name(column)
            except KeyError:
                unnamed.append(column)
        if unnamed:
            raise KeyError(
                f"figure {name}: name the columns {unnamed} under `columns:` in the label files"
            )

    def missing(self, kind: str, name: str, key: str, tables=(), needs=None, **values) -> str:
        """Show, in place of a figure or table (`kind`) the data cannot give, its number and
        title (labels `{key}.title`, formatted with `values`) and one sentence naming the inputs
        that would give it: `needs`, else those `tables` lack (see `lacking`). Numbered like the
        figure or table itself, so the numbers after it stay the same; records no number;
        listed in statistics/<notebook>.placeholders.csv. Returns the sentence."""
        if kind not in ("figure", "table"):
            raise ValueError(f"missing: kind must be 'figure' or 'table', not {kind!r}")
        lacking = list(needs) if needs is not None else self.lacking(*tables)
        if not lacking:
            raise ValueError(
                f"missing: {name} lacks no input (tables {list(tables)}); show it instead"
            )
        number = self.number(kind, name)
        title = self.t(f"{key}.title", **values)
        inputs = words.join([self.t(f"partial.inputs.{need}") for need in lacking], self.language)
        sentence = self.t(f"partial.placeholder.{kind}", inputs=inputs)
        self._show(f"{kind}_title", number=number, title=title)
        self._show("placeholder", text=sentence)
        self.placeholders[(kind, name)] = {
            "notebook": self.notebook,
            "kind": kind,
            "name": name,
            "number": number,
            "title": title,
            "lacking": ";".join(lacking),
        }
        _write_rows(self._placeholders_path, PLACEHOLDER_COLUMNS, self.placeholders)
        return sentence

    @property
    def _placeholders_path(self):
        return self.output / "statistics" / f"{self.notebook}{PLACEHOLDERS_SUFFIX}"

    @property
    def in_build(self) -> bool:
        """Whether the notebook runs in a build's kernel (helpers.workflow.batch), not in
        JupyterLab."""
        import os

        return bool(os.environ.get(STRICT_ENV))

    @property
    def chapter_number(self) -> str:
        """The chapter's number in the book: the notebook's leading digits (03_regions → 3);
        the appendix (99_…) is A; a notebook without digits (a profile) has none."""
        prefix = self.notebook.split("_", 1)[0]
        if not prefix.isdigit():
            return ""
        return self.t("common.appendix_letter") if prefix == "99" else str(int(prefix))

    def number(self, kind: str, name: str) -> str:
        """Our own number of a figure or table (图3.2 / Figure 3.2), in order of first
        appearance in the chapter; the same name keeps its number when a cell runs again."""
        if (kind, name) not in self.numbers:
            count = sum(1 for k, _ in self.numbers if k == kind) + 1
            index = f"{self.chapter_number}.{count}" if self.chapter_number else str(count)
            self.numbers[(kind, name)] = self.t(f"common.{kind}_number", index=index)
        return self.numbers[(kind, name)]

    def published_figure(self, key: str) -> str:
        """The published chart a figure reproduces (`{key}.published_as` in the labels,
        e.g. 智慧芽2023 图表1.4), or '' when it is our own chart."""
        try:
            return self.t(f"{key}.published_as")
        except KeyError:
            return ""

    def check(
        self,
        source,
        item,
        stated,
        recomputed,
        decimals: int | None = None,
        unit=None,
        *,
        check_ids=None,
    ):
        """Queue a published-vs-recomputed comparison for the chapter's reconciliation table.
        `source` names the published rows (tables or rows, or a tuple of them, as for `record`);
        `item` (text, or a Series of texts) and the values are scalars or aligned Series;
        `decimals` is the published precision where the stored value lost it (0.730 stored as
        0.73). Checking the same source and item again replaces it.

        A figure is never checked against itself: when the rows come from firm-level data, only
        a column the catalogue marks as compared (catalog.compared_columns: analysed_share_stated,
        share_stated …) holds a published figure (of the same population; else it is empty,
        helpers.firmlevel.shape), and any other stated value is this data's own, so the item is
        listed without a published value ('unpublished') instead of being compared.

        Each check is the printed figure it checks (its check_id, reconcile.cell_id): found in
        the first rows cited (the column of a Series taken from them, or the one cell of one row
        holding the number), else given as `check_ids=` (one per item), else the chapter's own
        (chapter and item). The appendix lists each figure once, in the words of the chapter
        that checked it."""
        sources = source if isinstance(source, tuple) else (source,)
        figures = self._printed_figures(sources, stated, item, check_ids)
        firm_level = self._from_firm_level(sources)
        if firm_level and not (
            isinstance(stated, pd.Series) and stated.name in catalog.compared_columns()
        ):
            stated = (
                pd.Series(float("nan"), index=stated.index)
                if isinstance(stated, pd.Series)
                else float("nan")
            )
        # Without the fingerprint: the table's source line below gives it once for every row.
        source_text = self.source_ref(*sources, fingerprint=False)
        items = pd.DataFrame(
            {"item": item, "stated": stated, "recomputed": recomputed},
            index=None if isinstance(stated, pd.Series) else [0],
        )
        for row, (check_id, document) in zip(items.itertuples(index=False), figures, strict=True):
            self.checks[(source_text, str(row.item))] = {
                "check_id": check_id,
                "document": FIRM_LEVEL if firm_level else document,
                "source": source_text,
                "item": str(row.item),
                "stated": _float(row.stated),
                "recomputed": _float(row.recomputed),
                "decimals": decimals,
                "unit": unit,
                "firm_level": firm_level,  # this data's figure, not a published one's parts
            }

    def _printed_figures(self, sources, stated, item, check_ids) -> list[tuple[str, str]]:
        """(check_id, document) of each item a check queues (see `check`)."""
        from helpers.stats.reconcile import printed_cells

        first = self._table_rows(sources[0]) if isinstance(sources[0], str) else sources[0]
        if isinstance(first, pd.Series):
            first = first.to_frame().T
        table = str(first.attrs.get("table", ""))
        items = list(item) if isinstance(item, pd.Series | list) else [item]
        if check_ids is not None:
            given = [check_ids] if isinstance(check_ids, str) else list(check_ids)
            cells = [(i, None) if i else None for i in given]
        else:
            cells = printed_cells(first, stated, self._key_of(table), table)
        document = str(first["source_doc"].iloc[0]) if "source_doc" in first and len(first) else ""
        return [
            (cell[0], cell[1] or document) if cell else (f"{self.notebook}:{name}", document)
            for cell, name in zip(cells, items, strict=True)
        ]

    def _key_of(self, table: str) -> tuple[str, ...]:
        """The key columns of a loaded table (its catalogue entry), or () if none is known."""
        for folder in (self.source.tables_dir, catalog.PUBLISHED_DIR):
            if table in catalog.load_catalog(folder):
                return catalog.table_spec(table, folder).key
        return ()

    def _from_firm_level(self, sources) -> bool:
        """Whether any of the tables (by name) or rows given were aggregated from firm-level
        data."""
        for item in sources:
            rows = self._table_rows(item) if isinstance(item, str) else item
            if isinstance(rows, pd.Series):
                rows = rows.to_frame().T
            if "source_doc" in rows and (rows["source_doc"].astype(str) == FIRM_LEVEL).any():
                return True
        return False

    def check_table(
        self,
        frame: pd.DataFrame,
        item: str,
        stated: str,
        recomputed: str,
        *,
        unit=None,
        label_key: str = "checks.share_of",
        source=None,
        decimals: int | None = None,
    ) -> None:
        """Check every row of a table that has a published value: its `stated` column against
        the `recomputed` one, each row named by the label `label_key` filled with its `item`
        category in the edition's words ('第一批占比'). `source`: the published rows (default:
        the table); `decimals`: the printed precision where the stored value lost it."""
        # A published row without a printed figure has nothing to check; a firm-level row
        # without one is listed as having no published value (see `check`).
        firm_level = (
            frame["source_doc"].astype(str).eq(FIRM_LEVEL)
            if "source_doc" in frame
            else pd.Series(False, index=frame.index)
        )
        printed = frame[frame[stated].notna() | firm_level]
        from helpers.stats.reconcile import printed_cells

        # the rows' table (a merge keeps no attrs: then the published rows `source` names)
        table = str(printed.attrs.get("table") or getattr(source, "attrs", {}).get("table", ""))
        cells = printed_cells(printed, printed[stated], self._key_of(table), table)
        self.check(
            printed if source is None else source,
            printed[item].map(lambda value: self.t(label_key, name=self.name(value))),
            printed[stated],
            printed[recomputed],
            decimals=decimals,
            unit=unit,
            check_ids=[cell[0] if cell else None for cell in cells],  # printed's rows
        )

    def save_table(
        self,
        frame: pd.DataFrame,
        name: str,
        *,
        source: str,
        number: str = "",
        title: str = "",
        units: dict[str, str] | None = None,
        table: str | None = None,
        row_classes: list[str] | None = None,
        shown: pd.DataFrame | None = None,
        inferred=None,
        signed: tuple[str, ...] = (),
    ):
        """Write the table as CSV (UTF-8 with BOM, so Excel shows Chinese) and XLSX, each row
        carrying its source line (so a table from the synthetic sample says so); show it with
        headers and values in the edition's words. Units per column come from the catalogue
        entry of `table` and from `units`; text cells that a spreadsheet would run as a formula
        are neutralised; columns named in `signed` are changes, shown with their sign (+55,
        −3). Rows marked inferred (`inferred`: a flag per row; else the frame's own
        `inferred` column or the rows of `table` it was selected from) show † after their
        first cell, and the source line explains the mark."""
        from IPython.display import HTML, display

        marks = self._inferred_marks(frame, table, inferred)
        if table is not None:
            self._note_shown(table)
        if any(marks) and self.t("inferred.note") not in source:
            source = self.t("common.clause_separator").join([source, self.t("inferred.note")])

        column_units = self.column_units(table)
        column_units.update(units or {})
        figure = self.downloads.get(("figure", name), {})  # a figure's data: under its title
        save_table_files(
            frame.assign(data_source=source),
            self.output / "tables",
            f"{self.notebook}_{name}",
            self.table_about(
                frame.assign(data_source=source),
                title=title or figure.get("title", ""),
                source=source,
                units=column_units,
                signed=signed,
            ),
        )
        if title:  # our own running number (`number` is no longer used)
            self._show("table_title", number=self.number("table", name), title=title)
        self.list_table(name, self.numbers.get(("table", name), ""), title)
        if shown is None:
            shown = self.display_frame(frame, column_units, signed)
        else:
            shown = shown.rename(columns=self.column_name)
        if any(marks) and len(shown) == len(marks) and len(shown.columns):
            shown = shown.copy()
            first = shown.columns[0]
            shown[first] = [
                f"{cell}{self.t('inferred.mark')}" if mark else cell
                for cell, mark in zip(shown[first], marks, strict=True)
            ]
        display(HTML(render_table(shown, row_classes=row_classes)))
        self._show("figure_source", number="", source=source)
        self._show_downloads(name)

    def table_about(
        self,
        frame: pd.DataFrame,
        *,
        title: str,
        source: str,
        units: dict[str, str] | None = None,
        signed: tuple[str, ...] = (),
    ) -> TableAbout:
        """How a downloaded table describes itself (its XLSX's second sheet and the edition's
        datapackage.json): headers in the edition's words, units, the source; integer columns
        without a unit are counts, as the HTML table shows them."""
        notes = [self.t("inferred.note")] if self.t("inferred.note") in source else []
        return describe(
            frame,
            language=self.language,
            titles={str(c): self._column_title(str(c)) for c in frame.columns},
            units=units or {},
            title=title,
            source=source,
            notes=notes,
            signed=signed,
        )

    def _column_title(self, column: str) -> str:
        """column_name, or the name itself for a column the label files do not name (a
        published table's bookkeeping column kept in the download)."""
        try:
            return self.column_name(column)
        except KeyError:
            return column

    def column_units(self, table: str | None) -> dict[str, str]:
        """Units of a loaded table's columns, from its catalogue entry."""
        if table is None:
            return {}
        spec = catalog.table_spec(table.removeprefix("published:"), self.source.tables_dir)
        return {column: rule["unit"] for column, rule in spec.columns.items() if "unit" in rule}

    def display_frame(
        self, frame: pd.DataFrame, units: dict[str, str], signed: tuple[str, ...] = ()
    ) -> pd.DataFrame:
        """The table as a reader sees it: numbers formatted by their column's unit as a table
        shows them (every digit; one precision per column; changes in `signed` with their
        sign), headers and category names in the report language."""
        shown = pd.DataFrame(index=frame.index)
        for column in frame.columns:
            values = frame[column]
            header = self.column_name(column)
            unit = units.get(column)
            if unit is None and pd.api.types.is_integer_dtype(values):
                unit = "项"
            if unit is None and pd.api.types.is_float_dtype(values):
                unit = "number"  # a figure whose unit the header names
            if unit is not None:
                options = {"signed": True} if column in signed else {}
                shown[header] = format_column(values, unit, self.language, **options).to_numpy()
            else:
                shown[header] = values.map(lambda v: "–" if pd.isna(v) else self.name(str(v)))
        return shown

    def column_name(self, column: str) -> str:
        """A column header in the report language (`columns:` in the label files); a
        per-batch column (batch_6) is named from its number."""
        if re.fullmatch(r"batch_\d+", column):
            batch = words.batch_name(int(column.removeprefix("batch_")), self.language)
            return self.t("batches.column", batch=batch)
        return self.t(f"columns.{column}")

    def heading(self, key: str, level: int = 1, **values):
        """A chapter or section heading from the labels file. A numbered chapter's sections
        (level 2) are numbered in the order shown — 6.1, 6.2, … whichever sections its data
        gives —, the same key keeping its number when a cell runs again."""
        text = self.t(key, **values)
        if level == 2 and self.chapter_number:
            text = self.t("common.section_heading", number=self.number("section", key), title=text)
        self._show("heading", level=level, text=text)
        if level != 1:
            return
        if self.source.is_synthetic:
            self._show(
                "synthetic_banner",
                text=self.t("common.synthetic_banner"),
                mark=self.t("common.synthetic_mark"),
            )
        title = self.source_title(self.source)  # by its title, never a path
        if self.source.is_firm_level:
            cutoff = words.format_date(self.cutoff, self.language)
            note = self.t("common.data_note_firm_level", title=title, cutoff=cutoff)
        else:
            note = self.t("common.data_note_published", title=title)
        self._show("data_note", text=note)

    def list_table(self, name: str, number: str, title: str) -> None:
        """Note tables/<notebook>_<name>.csv and .xlsx for the edition's index (see _list_download)."""
        stem = self.output / "tables" / f"{self.notebook}_{name}"
        self._list_download(
            "table",
            name,
            number,
            title,
            [stem.parent / f"{stem.name}.{ext}" for ext in ("csv", "xlsx")],
        )

    def _show_downloads(self, name: str) -> None:
        """Links to table `name`'s CSV and XLSX (list_table) under it; not in the PDF."""
        from IPython.display import HTML, display

        files = self.downloads[("table", name)]["files"].split(";")
        display(HTML(downloads_line(files, self.language)))

    def _list_download(self, kind: str, name: str, number: str, title: str, paths) -> None:
        """Note a saved figure or table (its number, title and files) in
        statistics/<notebook>.downloads.csv, in order of first appearance: the edition's index
        (helpers.workflow.site) links them under the chapter. A cell run again replaces its row."""
        files = sorted(Path(p).relative_to(self.output).as_posix() for p in paths)
        self.downloads[(kind, name)] = {
            "kind": kind,
            "name": name,
            "number": number,
            "title": title,
            "files": ";".join(files),
        }
        path = self.output / "statistics" / f"{self.notebook}{DOWNLOADS_SUFFIX}"
        _write_rows(path, DOWNLOAD_COLUMNS, self.downloads)

    def reconciliation(self, items: pd.DataFrame | None = None, name: str = "reconciliation"):
        """Recomputed-vs-published checks: a summary, a sentence per mismatch, then the table
        (mismatches first, highlighted); saved as tables/<notebook>_reconciliation.csv/.xlsx.
        Values read as in the appendix (helpers.report.appendix.shown_values): with their
        unit's words, shares as percent with one decimal, multiples with two, counts with
        separators; the verdict in the appendix's words."""
        from IPython.display import HTML, display

        from helpers.stats.reconcile import COMPARED, reconcile

        if items is None:  # no checks at all (partial data): an empty table, said so
            items = pd.DataFrame(list(self.checks.values()), columns=CHECK_COLUMNS)
        table = reconcile(items, decimals="decimals" if "decimals" in items else None)
        self.write_checks(table)
        counts = table["status"].value_counts()
        compared = int(sum(counts.get(status, 0) for status in COMPARED))
        self._show("table_title", number="", title=self.t("common.reconciliation_title"))
        self.text(
            "common.reconciliation_reading",
            count=compared,
            total=self.fmt(compared, "项"),
            ok=self.fmt(int(counts.get("ok", 0)), "项"),
            rounding=self.fmt(int(counts.get("rounding", 0)), "项"),
            mismatch=self.fmt(int(counts.get("mismatch", 0)), "项"),
        )
        if counts.get("unpublished", 0):
            self.text(
                "common.reconciliation_unpublished",
                count=self.fmt(int(counts["unpublished"]), "项"),
            )
        values = [self._check_values(row, items) for row in table.itertuples()]
        for row, (stated, recomputed, difference) in zip(table.itertuples(), values, strict=True):
            if row.status == "mismatch":
                mine = items[(items["source"] == row.source) & (items["item"] == row.item)]
                self.text(
                    "common.mismatch_sentence_firm_level"
                    if "firm_level" in mine and mine["firm_level"].any()
                    else "common.mismatch_sentence",
                    item=row.item,
                    source=reader_source(row.source, self.language),
                    stated=stated,
                    recomputed=recomputed,
                    difference=difference,
                )
        source = self.t("common.reconciliation_source") + (
            self.t("common.clause_separator") + self.sources.firm_level()
            if self.source.is_firm_level
            else ""
        )
        spreadsheet = self.with_unit_words(table).assign(data_source=source)
        save_table_files(
            spreadsheet,
            self.output / "tables",
            f"{self.notebook}_{name}",
            self.table_about(
                spreadsheet, title=self.t("common.reconciliation_title"), source=source
            ),
        )
        self.list_table(name, "", self.t("common.reconciliation_title"))
        from helpers.report.appendix import shown_checks

        shown = shown_checks(
            self,
            [reader_source(s, self.language) for s in table["source"]],
            table,
            values,
            source_column="columns.source",
        )
        css = "data-table reconciliation-table"
        statuses = table["status"].tolist()
        # fixed column widths (report.css): every source cell wraps, whatever its length
        markup = render_table(shown, css_class=css, row_classes=statuses, short_labels=False)
        display(HTML(markup))
        self._show("figure_source", number="", source=source)
        self._show_downloads(name)
        return table

    def write_checks(self, table: pd.DataFrame) -> Path:
        """statistics/<notebook>.checks.csv: the reconciled checks (LEDGER_COLUMNS) as the
        appendix and the key findings read them."""
        path = self.output / "statistics" / f"{self.notebook}{CHECKS_SUFFIX}"
        path.parent.mkdir(parents=True, exist_ok=True)
        ledger = table.reindex(columns=LEDGER_COLUMNS)
        # who checked it first: a chapter's own checks are its own
        ledger["notebook"] = [
            n if isinstance(n, str) else self.notebook for n in ledger["notebook"]
        ]
        ledger.to_csv(path, index=False, encoding="utf-8", lineterminator="\n")
        return path

    def _check_values(self, row, items: pd.DataFrame) -> tuple[str, str, str]:
        """Stated, recomputed and difference of a reconciled row as readers see them, by the
        unit and printed precision (`decimals`) its item was checked with, as the appendix
        shows them (helpers.report.appendix.shown_values)."""
        from helpers.report.appendix import shown_values

        def detail(column: str):
            if column not in items:
                return None
            found = items[(items["source"] == row.source) & (items["item"] == row.item)]
            value = found[column].iloc[-1] if len(found) else None
            return None if value is None or pd.isna(value) else value

        return shown_values(self, row.stated, row.recomputed, detail("unit"), detail("decimals"))

    def text(self, key: str, **values):
        """Show a paragraph of reading from the labels file."""
        self._show("reading", text=self.t(key, **values))


def _write_rows(path: Path, columns: list[str], rows: dict) -> None:
    """A chapter's list (statistics, placeholders, downloads) as CSV, rewritten whole: a cell
    run again replaces its rows."""
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=columns, lineterminator="\n")
        writer.writeheader()
        writer.writerows(rows.values())


def _float(value) -> float:
    """A number of a check as a float; a missing one (NaN or pandas' NA) as NaN."""
    return float("nan") if pd.isna(value) else float(value)


def _true(value) -> bool:
    """A provenance flag as read from any table: True, 'true', 1 (missing is False)."""
    return str(value).strip().lower() in {"true", "1", "yes"}


# Set by the build's kernels (helpers.workflow.batch): a notebook runs each cell once, so a key
# recorded twice is always an error; in JupyterLab a cell may be run again.
STRICT_ENV = "HELPERS_STRICT_STATISTICS"


PACKAGE_DIR = str(Path(__file__).resolve().parents[1])


def _caller_place(row_label: str = "") -> dict:
    """Where a statistic is recorded: the notebook's line (its code, from the cell or file
    that called into helpers), the row of a table recorded in one call, and which cell
    execution it was (None outside IPython)."""
    import linecache
    import os
    import sys

    frame = sys._getframe(1)
    while frame is not None and frame.f_code.co_filename.startswith(PACKAGE_DIR):
        frame = frame.f_back
    line, code = 0, ""
    if frame is not None:
        line = frame.f_lineno
        code = linecache.getline(frame.f_code.co_filename, line).strip()
    execution = None
    shell = sys.modules.get("IPython") and sys.modules["IPython"].get_ipython()
    if shell is not None and shell is not False:
        execution = shell.execution_count
    where = f"line {line} `{code}`" + (f" (row {row_label})" if row_label else "")
    strict = bool(os.environ.get(STRICT_ENV)) or execution is None
    return {"where": where, "execution": execution, "strict": strict}


def _is_rerun(earlier: dict, place: dict) -> bool:
    """A key recorded again by a later run of a cell in JupyterLab (not in a build)."""
    return (
        not place["strict"]
        and earlier["execution"] is not None
        and place["execution"] != earlier["execution"]
    )
