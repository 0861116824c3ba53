"""What a chapter notebook uses: load tables, record headline numbers, show figures and tables
with their number and source, and write them to the build's output folder.

    ch = Chapter("01_cultivation", data_dir=data_dir, output_dir=output_dir, language=language)
    batches = ch.table("cultivation_batches")
    ch.record("batches.announced_total", 12950, "家", "五批公示总数", source="001 图表1.4")
"""

from __future__ import annotations

import csv
from dataclasses import dataclass, field
from pathlib import Path

import matplotlib.pyplot as plt
import pandas as pd

from helpers.data import source as datasource
from helpers.report import charts
from helpers.report.labels import label, translate
from helpers.paths import resolve
from helpers.pipeline import check_declared

STATISTICS_COLUMNS = ["key", "value", "unit", "label", "source", "notebook"]


@dataclass
class Chapter:
    notebook: str
    data_dir: str = "data/published"
    output_dir: str = "build/scratch/reports"
    language: str = "zh"
    cutoff: str = "2023-07-31"
    statistics: list[dict] = field(default_factory=list)
    provenance: dict[str, dict] = field(default_factory=dict)
    checks: list[pd.DataFrame] = field(default_factory=list)

    def __post_init__(self):
        self.output = resolve(self.output_dir)
        self.source = datasource.DataSource(resolve(self.data_dir), cutoff=self.cutoff)
        charts.setup_style()

    # Load ---------------------------------------------------------------------------------
    def table(self, name: str) -> pd.DataFrame:
        """A table by name from the chosen data source (published or aggregated firm-level)."""
        check_declared(self.notebook, name)
        frame = self.source.table(name)
        self.provenance[name] = dict(frame.attrs)
        return frame

    def published_table(self, name: str) -> pd.DataFrame:
        """A published table whatever the data source: for published context such as figures
        printed only as text. Its provenance is kept under 'published:<name>'."""
        from helpers.data.catalog import load_published

        check_declared(self.notebook, name)
        frame = load_published(name)
        self.provenance[f"published:{name}"] = dict(frame.attrs)
        return frame

    def optional_table(self, name: str) -> pd.DataFrame | None:
        """A table only some data sources have (e.g. yearly series that only firm-level data
        gives), or None."""
        check_declared(self.notebook, name)
        if not self.source.provides(name):
            return None
        return self.table(name)

    # Words --------------------------------------------------------------------------------
    def t(self, key: str, **values) -> str:
        """Reader-facing text in the chapter's language."""
        return label(key, self.language, **values)

    def name(self, value: str) -> str:
        return translate(value, self.language)

    def source_line(self, *tables: str, note: str = "", rows: pd.DataFrame | None = None) -> str:
        """'资料来源：…' for a caption, from the provenance of the named tables as loaded; `rows`
        (a subset of a table) narrows it to the charts or sections of the rows actually used.
        Synthetic and firm-level data say so instead of naming a published document."""
        ids = None if rows is None else sorted(set(rows["source_id"].dropna()))
        origins = []
        for name in tables:
            attrs = self.provenance[name]
            if attrs.get("synthetic"):
                origin = self.t("common.synthetic_source")
            elif attrs.get("firm_level"):
                origin = self.t("common.firm_level_source", folder=self.data_dir)
            else:
                document = attrs["document"] if self.language == "zh" else attrs["document_en"]
                shown = "、".join(ids if ids is not None else attrs.get("source_ids", []))
                if self.language != "zh":
                    shown = shown.replace("图表", "Chart ").replace("、", ", ")
                origin = document + " " + shown
            if origin not in origins:
                origins.append(origin)
        separator = "；" if self.language == "zh" else "; "
        text = self.t("common.source_prefix") + separator.join(origins)
        text += self.t("common.recomputed_suffix")
        return text + (separator + note if note else "")

    # Record -------------------------------------------------------------------------------
    def record(self, key: str, value, unit: str, label: str, source: str):
        """Register a headline number for reports/statistics.csv and return it unchanged.
        Shares are fractions (unit 'share'); values must be plain numbers."""
        number = float(value)
        if number != number:  # NaN
            raise ValueError(f"record: {key} is NaN; a headline number must be computed")
        row = {
            "key": f"{self.notebook}.{key}",
            "value": repr(round(number, 10)) if not number.is_integer() else str(int(number)),
            "unit": unit,
            "label": label,
            "source": source,
            "notebook": self.notebook,
        }
        self.statistics = [r for r in self.statistics if r["key"] != row["key"]] + [row]
        self._write_statistics()
        return value

    def _write_statistics(self):
        path = self.output / "statistics" / f"{self.notebook}.csv"
        path.parent.mkdir(parents=True, exist_ok=True)
        with path.open("w", encoding="utf-8", newline="") as handle:
            writer = csv.DictWriter(handle, fieldnames=STATISTICS_COLUMNS, lineterminator="\n")
            writer.writeheader()
            writer.writerows(self.statistics)

    # Show ---------------------------------------------------------------------------------
    def figure(self, fig, name: str, key: str, source: str, reading: str | None = None, **values):
        """Save the figure (PNG + SVG) and show it under its number and title, with the source
        and a sentence of reading below. Words come from the labels at `key` (`.number`,
        `.title`, `.reading`), formatted with `values`; pass `reading` to use another sentence."""
        from IPython.display import HTML, Image, display

        number = self.t(f"{key}.number")
        title = self.t(f"{key}.title", **values)
        if reading is None:
            reading = self.t(f"{key}.reading", **values)
        paths = charts.save_figure(fig, f"{self.notebook}_{name}", self.output / "figures")
        plt.close(fig)
        display(HTML(f'<p class="figure-title"><b>{number}</b> {title}</p>'))
        display(Image(filename=str(paths["png"]), width=720))
        display(HTML(f'<p class="figure-source">{number}　{source}</p>'))
        if reading:
            display(HTML(f'<p class="reading">{reading}</p>'))

    def check(self, source: str, item, stated, recomputed, decimals: int | None = None):
        """Queue a published-vs-recomputed comparison for the chapter's reconciliation table.
        Scalars or aligned Series; `decimals` is the published precision where the stored
        value lost it (0.730 stored as 0.73)."""
        self.checks.append(
            pd.DataFrame(
                {
                    "source": source,
                    "item": item,
                    "stated": stated,
                    "recomputed": recomputed,
                    "decimals": decimals,
                },
                index=None if isinstance(stated, pd.Series) else [0],
            )
        )

    def save_table(
        self,
        frame: pd.DataFrame,
        name: str,
        *,
        source: str,
        number: str = "",
        title: str = "",
        percent: tuple[str, ...] = (),
    ):
        """Write the table as CSV (UTF-8 with BOM, so Excel shows Chinese) and XLSX, each row
        carrying its source line (so a table from the synthetic sample says so); show it."""
        from IPython.display import HTML, display

        tables = self.output / "tables"
        tables.mkdir(parents=True, exist_ok=True)
        stem = f"{self.notebook}_{name}"
        written = frame.assign(data_source=source)
        written.to_csv(
            tables / f"{stem}.csv", index=False, encoding="utf-8-sig", lineterminator="\n"
        )
        write_xlsx(written, tables / f"{stem}.xlsx", sheet=name[:31])
        if title:
            display(HTML(f'<p class="table-title"><b>{number}</b> {title}</p>'))
        shown = self.display_frame(frame, percent)
        display(HTML(shown.to_html(index=False, border=0, classes="data-table")))
        display(HTML(f'<p class="figure-source">{source}</p>'))

    def display_frame(self, frame: pd.DataFrame, percent: tuple[str, ...] = ()) -> pd.DataFrame:
        """The table as a reader sees it: shares (columns named *share* or *_rate, or listed in
        `percent`) as percentages, counts with separators, names in the report language."""
        shown = pd.DataFrame(index=frame.index)
        for column in frame.columns:
            values = frame[column]
            header = self.column_name(column)
            if "share" in column or column.endswith("_rate") or column in percent:
                shown[header] = values.map(format_percent)
            elif pd.api.types.is_integer_dtype(values):
                shown[header] = values.map(lambda v: "–" if pd.isna(v) else f"{int(v):,}")
            elif pd.api.types.is_float_dtype(values):
                shown[header] = values.map(lambda v: "–" if pd.isna(v) else format_number(v))
            else:
                shown[header] = values.map(lambda v: "–" if pd.isna(v) else self.name(str(v)))
        return shown

    def column_name(self, column: str) -> str:
        try:
            return self.t(f"columns.{column}")
        except KeyError:
            return column

    def heading(self, key: str, level: int = 1):
        """A chapter or section heading from the labels file."""
        from IPython.display import HTML, display

        display(HTML(f"<h{level}>{self.t(key)}</h{level}>"))
        if level == 1 and self.source.is_synthetic:
            display(HTML(f'<p class="synthetic-banner">{self.t("common.synthetic_banner")}</p>'))

    def reconciliation(self, items: pd.DataFrame | None = None, name: str = "reconciliation"):
        """Recomputed-vs-published checks: a summary, a sentence per mismatch, then the table
        (mismatches first); saved as tables/<notebook>_reconciliation.csv/.xlsx."""
        from IPython.display import HTML, display

        from helpers.stats.reconcile import reconcile

        if items is None:
            items = pd.concat(self.checks, ignore_index=True)
        table = reconcile(items, decimals="decimals" if "decimals" in items else None)
        counts = table["status"].value_counts()
        display(HTML(f'<p class="table-title"><b>{self.t("common.reconciliation_title")}</b></p>'))
        self.text(
            "common.reconciliation_reading",
            total=len(table),
            ok=int(counts.get("ok", 0)),
            rounding=int(counts.get("rounding", 0)),
            mismatch=int(counts.get("mismatch", 0)),
        )
        for row in table[table["status"] == "mismatch"].itertuples():
            self.text(
                "common.mismatch_sentence",
                item=row.item,
                source=row.source,
                stated=format_number(row.stated),
                recomputed=format_number(row.recomputed),
                difference=format_number(row.difference, signed=True),
            )
        source = self.t("common.reconciliation_source")
        if self.source.is_synthetic:
            source += "；" + self.t("common.synthetic_source")
        self.save_table(table, name, source=source)
        return table

    def text(self, key: str, **values):
        """Show a paragraph of reading from the labels file."""
        from IPython.display import HTML, display

        display(HTML(f'<p class="reading">{self.t(key, **values)}</p>'))


def format_percent(value: float) -> str:
    """A share for readers: one decimal (49.8%), two for shares under 0.1% (0.01%)."""
    if pd.isna(value):
        return "–"
    return f"{value:.2%}" if 0 < abs(value) < 0.001 else f"{value:.1%}"


def format_number(value: float, signed: bool = False) -> str:
    """A number for readers: thousands separators for large values, four significant digits
    otherwise, never scientific notation (264,900 / 1.462 / 0.0005584)."""
    sign = "+" if signed else ""
    if abs(value) >= 1000:
        return f"{value:{sign},.0f}"
    if value == 0 or abs(value) >= 1e-4:
        text = f"{value:{sign}.4g}"
        return text if "e" not in text else f"{value:{sign}.6f}".rstrip("0")
    return f"{value:{sign}.2e}"


def write_xlsx(frame: pd.DataFrame, path: Path, sheet: str = "data") -> None:
    """XLSX with fixed document properties, so the same table gives the same bytes."""
    import re
    import zipfile
    from datetime import datetime

    from openpyxl import Workbook

    workbook = Workbook()
    sheet_ = workbook.active
    sheet_.title = sheet
    sheet_.append([str(c) for c in frame.columns])
    for row in frame.itertuples(index=False):
        sheet_.append(
            [None if pd.isna(v) else (v.item() if hasattr(v, "item") else v) for v in row]
        )
    fixed = datetime(2000, 1, 1)
    workbook.properties.created = fixed
    workbook.properties.modified = fixed
    workbook.properties.creator = "zjtx-report"
    workbook.save(path)
    # openpyxl stamps the save time into docProps/core.xml and the zip entry headers.
    with zipfile.ZipFile(path) as source:
        entries = [(info.filename, source.read(info.filename)) for info in source.infolist()]
    entries = [
        (name, re.sub(rb"(<dcterms:modified[^>]*>)[^<]*", rb"\g<1>2000-01-01T00:00:00Z", content))
        if name == "docProps/core.xml"
        else (name, content)
        for name, content in entries
    ]
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as target:
        for filename, content in entries:
            info = zipfile.ZipInfo(filename, date_time=(2000, 1, 1, 0, 0, 0))
            info.compress_type = zipfile.ZIP_DEFLATED
            target.writestr(info, content)
