"""Firm-level data: an analyst's export, validated (helpers.firmlevel.read), per-firm figures
(helpers.firmlevel.derive) and the aggregates in the shapes of the published tables
(helpers.firmlevel.aggregators, helpers.firmlevel.shape).

    data = FirmLevelData("data/sample")
    data.table("cultivation_batches")   # same columns and dtypes as catalog.load_published(...)

Chapters do not call this directly: helpers.firmlevel.tables.ensure_tables writes every
aggregate once into a folder shaped like data/published/, and helpers.data.source.DataSource
reads from there.
"""

from __future__ import annotations

import functools
from pathlib import Path

import pandas as pd

from helpers.data import catalog
from helpers.data.catalog import TableSpec
from helpers.data.digest import files_digest, folder_files
from helpers.firmlevel import derive, shape
from helpers.firmlevel.aggregators import AGGREGATORS
from helpers.firmlevel.read import CUTOFF, FirmLevelInput
from helpers.paths import PUBLISHED_DIR, display_path

# 图表3.3 is titled “数量>150家” but lists 厦门市 with 150 firms: the published table is >= 150.
CITY_MIN_FIRMS = 150


def firm_document(folder: Path) -> dict:
    """The `document:` of tables aggregated from `folder`: id firm-level, its display path, the
    first 12 hex digits of the SHA-256 of its files, and whether it is marked SYNTHETIC."""
    folder = Path(folder)
    digest = files_digest(folder_files(folder), root=folder)
    return {
        "id": shape.SOURCE_DOC,
        "title": shape.DOCUMENT,
        "title_en": shape.DOCUMENT_EN,
        "folder": display_path(folder),
        "fingerprint": digest[:12],
        "synthetic": (folder / "SYNTHETIC").exists(),
    }


class FirmLevelData(FirmLevelInput):
    """A validated firm-level folder (see FirmLevelInput); `table(name)` aggregates it into the
    published shape of `name` (None when firm data cannot give it)."""

    def __init__(
        self,
        folder: Path,
        cutoff: str = CUTOFF,
        city_min_firms: int = CITY_MIN_FIRMS,
        published_dir: Path = PUBLISHED_DIR,
    ):
        super().__init__(folder, cutoff)
        self.city_min_firms = int(city_min_firms)
        self.published_dir = Path(published_dir)
        self._metrics: dict[str, dict] = {}  # column -> value -> group_metrics

    @functools.cached_property
    def analysed(self) -> pd.DataFrame:
        """One row per analysed firm (index firm_id) with its attributes and patent figures, as
        a pandas frame (for analysts and tests; the aggregators read `analysed_sql`)."""
        return derive.analysed_firms(self)

    @functools.cached_property
    def analysed_sql(self) -> str:
        """The name of the DuckDB table of the analysed firms' figures, made on first use
        (derive.create_analysed): what the aggregators group, so that no pandas frame of every
        firm is made."""
        return derive.create_analysed(self)

    @functools.cached_property
    def yearly_columns(self) -> list[str]:
        """The yearly columns of the analysed firms (applications_<year>, pct_<year>,
        pct_through_<year>)."""
        return derive.yearly_columns(self)

    def metrics_by(self, column: str) -> dict:
        """group_metrics of every group of `column` (batch_no, province, city, cluster) that
        has analysed firms, value -> metrics; computed once per column."""
        if column not in self._metrics:
            self._metrics[column] = derive.sql_group_metrics_by(
                self.con, self.yearly_columns, column, table=self.analysed_sql
            )
        return self._metrics[column]

    def metrics_where(self, condition: str | None = None) -> dict[str, float]:
        """group_metrics of the analysed firms matching the SQL `condition` (all when None)."""
        return derive.sql_group_metrics(
            self.con, self.yearly_columns, condition, table=self.analysed_sql
        )

    @functools.cached_property
    def national(self) -> dict[str, float]:
        """group_metrics of all analysed firms."""
        return self.metrics_where()

    def counts(self, *columns: str, value: str = "count(*)", where: str | None = None) -> dict:
        """Analysed firms (or the SQL aggregate `value`) per value of `columns`, missing values
        left out (derive.sql_counts)."""
        return derive.sql_counts(
            self.con, *columns, value=value, where=where, table=self.analysed_sql
        )

    def board_counts(self, *columns: str) -> dict:
        """Analysed firms per board, per value of `columns` when given (derive.sql_board_counts)."""
        return derive.sql_board_counts(self.con, *columns, table=self.analysed_sql)

    def aggregate(self, *values: str, where: str | None = None) -> tuple:
        """SQL aggregates (`count(*)`, `sum(x)` …) over the analysed firms matching `where`."""
        query = f"SELECT {', '.join(values)} FROM {self.analysed_sql}"
        return self.con.execute(query + (f" WHERE {where}" if where else "")).fetchone()

    @functools.cached_property
    def analysed_count(self) -> int:
        """The number of analysed firms."""
        return int(self.aggregate("count(*)")[0])

    def firm_values(self, column: str) -> pd.Series:
        """One column of the analysed firms, in file order, typed as in `analysed` (counts int,
        yearly figures float, overseas_markets Int64)."""
        query = f"SELECT {column} FROM {self.analysed_sql} ORDER BY _row"
        values = self.con.execute(query).df()[column]
        if column == "overseas_markets":
            return values.astype("Int64")
        if column in self.yearly_columns:
            return values.astype(float)
        return values.astype(int)

    @functools.cached_property
    def same_population(self) -> bool:
        """Whether these firms are the population the published tables describe: at the same
        cut-off (2023-07-31), every published batch with as many announced firms as 001 counts
        (第一批 to 第五批: 12,950) and no other batch. Only then do the aggregates' *_stated
        columns hold the published figures to compare with; otherwise nothing is compared
        (helpers.firmlevel.shape.finish)."""
        published = self.published("cultivation_batches")
        counts = dict(
            self.con.execute("SELECT batch_no, count(*) FROM firms GROUP BY batch_no").fetchall()
        )
        announced = dict(
            zip(published["batch_no"].astype(int), published["announced"].astype(int), strict=True)
        )
        return self.cutoff == published.attrs["as_of"] and counts == announced

    @functools.cached_property
    def document(self) -> dict:
        return {**firm_document(self.folder), "same_population": self.same_population}

    def spec(self, name: str) -> TableSpec:
        """The catalogue entry table `name` takes its shape from (published or firm-level only)."""
        return shape.source_spec(name, self.published_dir)

    def published(self, name: str) -> pd.DataFrame:
        return catalog.load_published(name, self.published_dir)

    def provides(self, name: str) -> bool:
        """Whether `table(name)` aggregates `name` from the firm data: it has an aggregator
        and the folder has every input it needs (else see `lacking`)."""
        aggregator = AGGREGATORS.get(name)
        return aggregator is not None and all(self.has(need) for need in aggregator.needs)

    def tables(self) -> list[str]:
        """Every table this folder's data can give, in registration order."""
        return [name for name in AGGREGATORS if self.provides(name)]

    def lacking(self, name: str) -> list[str]:
        """The inputs (patents, listings, firms.<column>) table `name` needs and this folder
        lacks; empty when it is given or has no aggregator."""
        aggregator = AGGREGATORS.get(name)
        return [n for n in aggregator.needs if not self.has(n)] if aggregator else []

    def files_used(self, name: str) -> list[str]:
        """The input files an aggregate comes from (firms, then what it needs and uses)."""
        aggregator = AGGREGATORS[name]
        inputs = [n.partition(".")[0] for n in (*aggregator.needs, *aggregator.uses)]
        files = [self.files[n] for n in inputs if self.has(n)]
        return list(dict.fromkeys([self.files["firms"], *files]))

    def derived_spec(self, name: str) -> TableSpec:
        return shape.derived_spec(name, self.published_dir, self.cutoff, self.document)

    def table(self, name: str) -> pd.DataFrame | None:
        """Table `name` in its published shape, aggregated from the firm data; None when firm
        data cannot give it (then the published table applies) or the folder lacks an input it
        needs (then the table is absent: helpers.firmlevel.tables)."""
        if not self.provides(name):
            return None
        frame = AGGREGATORS[name].build(self)
        return shape.finish(
            name,
            frame,
            self.files_used(name),
            self.published_dir,
            self.derived_spec(name),
            same_population=self.same_population,
        )
