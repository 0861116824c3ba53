"""Seeded synthetic firm-level sample whose aggregates reproduce the published 001 tables.

Longer than the other modules on purpose: one generator whose steps share the allocation state
(counts, totals, yearly splits); it is a tool, not part of a report build.

    python -m tools.sample_data data/sample      # writes firms.csv, patents.csv, listings.csv,
                                              # SYNTHETIC and README.md into data/sample

The firms are invented ("示例企业00001（合成）", ids "SYN-00001"); only their aggregates mean
something. The sample is built constructively, not by trial and error:

1. Counts are allocated exactly. Firms get a location (province, city) from the published
   province and city counts, an industry field by iterative proportional fitting (IPF) of a
   location × field table to the published field totals followed by controlled rounding (every
   row and column total kept), and a batch by a shuffled assignment. Bins (PCT holdings,
   overseas markets) are allocated to regions the same way, then to the firms of a region by
   a seeded score.
2. Totals of per-firm values are fixed first for every published group: the integer total
   round(published mean × firms) of each batch, city page, city cluster and the nation (the
   remainder of a cluster or the nation goes to its firms outside the named groups). Where
   groups cross (batch × region), a batch × region table is fitted by IPF and rounded with
   controlled rounding, so both margins stay exact.
3. Within each cell the total is spread over the firms by seeded random weights, scaled to the
   total (respecting per-firm bounds such as a PCT bin or invention applications <= applications)
   and rounded by systematic rounding, which keeps the cell total exact and every value between
   the floor and the ceiling of its real value (so integer bounds hold).
4. Yearly rows split each firm's totals over 2019 (a carry-in row: all years up to 2019), 2020,
   2021, 2022 and 2023 (to the cut-off), with yearly totals per group fixed the same way so the
   published growth rates (national and per city page) are met.

Output bytes are deterministic: integers only, rows sorted by firm_id (and year / board), "\\n"
line endings, UTF-8 without BOM. The generator reads its targets from data/published, so the
decisions it has to make itself are the constants below (documented in data/sample/README.md).
"""

from __future__ import annotations

import argparse
import csv
import io
import math
import sys
import time
from pathlib import Path

import numpy as np
import pandas as pd

from helpers.data import catalog, reference
from helpers.firmlevel.read import firm_specs
from helpers.paths import PUBLISHED_DIR, SAMPLE_DIR, display_path

SEED = 20230731
N_WIDTH = 5  # SYN-00001
CARRY_YEAR = 2019  # the carry-in row: every year up to and including 2019
YEARS = (2020, 2021, 2022, 2023)
PERIODS = (CARRY_YEAR, *YEARS)
CUTOFF_YEAR = 2023

# Decisions the publication leaves open -------------------------------------------------------
# Reference cities not in 图表3.3 (fewer than 150 firms). The six 粤港澳 cities besides 深圳, 广州
# and 东莞 share the published 其他城市 count by these weights.
GBA_OTHER_WEIGHTS = {
    "佛山市": 36,
    "珠海市": 21,
    "惠州市": 17,
    "中山市": 14,
    "江门市": 7.5,
    "肇庆市": 4.5,
}
EXTRA_CITIES = {"济南市": 120, "清远市": 9}
# 图表3.3 shows 天津市 with 244 firms, 图表3.1 with 246: two 天津市 firms get no city.
# NEEQ (新三板) quotations outside the five city pages (not published).
NEEQ_OUTSIDE_PAGES = {"京津冀·其他": 20, "长三角·其他": 150, "粤港澳·其他": 35, "其他地区": 240}
# The 6 港交所 listings outside the city pages: HK-only firms per unit, and 2 firms in 其他地区
# listed in Hong Kong and on an A-share board (dual listing).
HK_ONLY_OUTSIDE_PAGES = {"长三角·其他": 2, "粤港澳·其他": 1, "其他地区": 1}
HK_DUAL_IN_OTHER = 2
# Yearly profile: the 2023 row covers January to the cut-off (31 July): about 0.6 of a year.
PART_YEAR_2023 = 0.6
# 图表2.9's unassigned bar labels 0.27 and 0.32 are used as the 2020 and 2021 PCT means per firm.
PCT_MEAN_2020, PCT_MEAN_2021 = 0.27, 0.32
# Share of 2023 PCT applications (non-first-time filers) relative to 2022.
PCT_2023_VS_2022 = 0.55
# Review outcome: batch 4 has 4357 announced, 4328 confirmed, and all 4357 analysed.
EMPLOYEES_LOG_MEAN, EMPLOYEES_LOG_SD = 5.15, 0.85

OTHER = "其他地区"
REST = "·其他"


# =========================================================================== numeric tools


def systematic_round(x: np.ndarray, total: int | None = None) -> np.ndarray:
    """Integers whose running sums are the rounded running sums of `x`: every value is the floor
    or the ceiling of its real value, and the total is round(sum(x)) (or `total`)."""
    x = np.asarray(x, dtype=float)
    if x.size == 0:
        return np.zeros(0, dtype=np.int64)
    x = np.where(np.abs(x - np.rint(x)) < 1e-9, np.rint(x), x)
    running = np.floor(np.cumsum(x) + 0.5)
    if total is not None:
        if abs(running[-1] - total) > 1:
            raise ValueError(f"systematic_round: values sum to {x.sum()}, not {total}")
        running[-1] = total
    return np.diff(running, prepend=0.0).astype(np.int64)


def ipf(
    prior: np.ndarray, rows: np.ndarray, cols: np.ndarray, iterations: int = 2000
) -> np.ndarray:
    """Iterative proportional fitting of a non-negative table to row and column totals."""
    table = np.asarray(prior, dtype=float).copy()
    rows, cols = np.asarray(rows, float), np.asarray(cols, float)
    if abs(rows.sum() - cols.sum()) > 1e-6 * max(1.0, rows.sum()):
        raise ValueError(f"ipf: row total {rows.sum()} != column total {cols.sum()}")
    for _ in range(iterations):
        r = table.sum(1)
        table *= np.divide(rows, r, out=np.zeros_like(r), where=r > 0)[:, None]
        c = table.sum(0)
        table *= np.divide(cols, c, out=np.zeros_like(c), where=c > 0)[None, :]
        if np.abs(table.sum(1) - rows).max() < 1e-9 * max(1.0, rows.max()):
            break
    else:
        raise ValueError("ipf: did not converge (a row or column has no allowed cell?)")
    # End on the rows, so that integer row totals stay exact for controlled_round.
    r = table.sum(1)
    return table * np.divide(rows, r, out=np.zeros_like(r), where=r > 0)[:, None]


def controlled_round(
    x: np.ndarray,
    col_targets: np.ndarray,
    lo: np.ndarray | None = None,
    hi: np.ndarray | None = None,
    allowed: np.ndarray | None = None,
) -> np.ndarray:
    """Round a real table whose row sums are integers to integers with the same row sums and
    the given (integer) column totals. Rows are rounded systematically (floor or ceiling of every
    cell), then column totals are repaired by moving single units within rows along shortest
    paths between columns, never below `lo`, above `hi` or into a cell not `allowed`."""
    x = np.asarray(x, dtype=float)
    n, m = x.shape
    row_totals = np.rint(x.sum(1))
    if (np.abs(x.sum(1) - row_totals) > 1e-6 * np.maximum(1.0, row_totals)).any():
        raise ValueError("controlled_round: row sums must be integers")
    running = np.floor(np.cumsum(x, axis=1) + 0.5)
    running[:, -1] = row_totals
    y = np.diff(running, axis=1, prepend=0.0).astype(np.int64)
    lo = np.zeros((n, m), np.int64) if lo is None else np.asarray(lo, np.int64)
    hi = (
        np.full((n, m), np.iinfo(np.int64).max, np.int64)
        if hi is None
        else np.asarray(hi, np.int64)
    )
    allowed = np.ones((n, m), bool) if allowed is None else np.asarray(allowed, bool)
    diff = np.asarray(col_targets, np.int64) - y.sum(0)
    if diff.sum() != 0:
        raise ValueError("controlled_round: row and column totals differ")
    while diff.any():
        can_give = y > lo
        can_take = (y < hi) & allowed
        # Best row for a move j -> k: the one where y[., j] is most above and y[., k] most below x.
        score = (y - x)[:, :, None] + (x - y)[:, None, :]
        feasible = can_give[:, :, None] & can_take[:, None, :]
        score = np.where(feasible, score, -np.inf)
        best_row = score.argmax(0)
        edge = np.isfinite(score.max(0))
        np.fill_diagonal(edge, False)
        # Breadth-first search from the surplus columns to a deficit column.
        parent = np.full(m, -2)
        frontier = list(np.flatnonzero(diff < 0))
        parent[frontier] = -1
        target = -1
        while frontier and target < 0:
            following = []
            for j in frontier:
                for k in np.flatnonzero(edge[j] & (parent == -2)):
                    parent[k] = j
                    if diff[k] > 0:
                        target = k
                        break
                    following.append(k)
                if target >= 0:
                    break
            frontier = following
        if target < 0:
            raise ValueError("controlled_round: column totals cannot be met within the bounds")
        k = target
        while parent[k] != -1:
            j = parent[k]
            i = best_row[j, k]
            y[i, j] -= 1
            y[i, k] += 1
            k = j
        diff[k] += 1
        diff[target] -= 1
    return y


def fit_total(weights, target: float, lo=None, hi=None) -> np.ndarray:
    """Real values lo + s * weights, clipped to [lo, hi], that sum to `target` (s by bisection)."""
    w = np.asarray(weights, dtype=float)
    lo = np.zeros_like(w) if lo is None else np.asarray(lo, dtype=float)
    hi = np.full_like(w, np.inf) if hi is None else np.asarray(hi, dtype=float)
    if target < lo.sum() - 1e-6 or target > hi.sum() + 1e-6:
        raise ValueError(f"fit_total: {target} outside [{lo.sum()}, {hi.sum()}]")
    if target <= lo.sum() + 1e-12:
        return lo.copy()

    def total(s: float) -> float:
        return float(np.clip(lo + s * w, lo, hi).sum())

    low, high = 0.0, 1.0
    while total(high) < target:
        high *= 2
        if high > 1e15:
            raise ValueError("fit_total: weights cannot reach the target")
    for _ in range(200):
        mid = (low + high) / 2
        if total(mid) < target:
            low = mid
        else:
            high = mid
    x = np.clip(lo + high * w, lo, hi)
    free = (x > lo) & (x < hi) & (w > 0)
    if free.any():
        x[free] += (target - x.sum()) * w[free] / w[free].sum()
    return np.clip(x, lo, hi)


def integer_fit(weights, target: int, lo=None, hi=None) -> np.ndarray:
    """fit_total rounded systematically: integers within the (integer) bounds summing to target."""
    return systematic_round(fit_total(weights, target, lo, hi), int(target))


def largest_remainder(weights, total: int) -> np.ndarray:
    """Integers proportional to `weights` summing to `total` (Hamilton's method, ties by order)."""
    w = np.asarray(weights, dtype=float)
    quota = w / w.sum() * total
    base = np.floor(quota).astype(np.int64)
    order = np.argsort(-(quota - base), kind="stable")
    base[order[: total - base.sum()]] += 1
    return base


def rounds_to(value: float, printed: float, decimals: int) -> bool:
    return round(value + 1e-12, decimals) == round(printed, decimals)


def batch_totals(means, counts, overall: float, decimals: int) -> np.ndarray:
    """Integer totals per batch whose means round to the printed batch means and whose overall
    mean rounds to the printed overall mean, with as many as possible within 1% of the printed
    values: scan a common relative shift e of all batch means (0 when that already works)."""
    means, counts = np.asarray(means, float), np.asarray(counts, float)
    best, best_key = None, None
    for e in np.round(np.arange(-0.03, 0.030001, 0.0001), 6):
        totals = np.rint(means * (1 + e) * counts)
        batch = totals / counts
        whole = totals.sum() / counts.sum()
        valid = all(rounds_to(b, p, decimals) for b, p in zip(batch, means, strict=True))
        valid = valid and rounds_to(whole, overall, decimals)
        errors = np.append(np.abs(batch / means - 1), abs(whole / overall - 1))
        within = errors[errors <= 0.01]
        key = (not valid, -len(within), within.max(initial=0), errors.sum())
        if best_key is None or key < best_key:
            best, best_key = totals, key
    return best.astype(np.int64)


# =========================================================================== the published targets


class Targets:
    """The published figures the sample reproduces, read from data/published."""

    def __init__(self, published_dir: Path = PUBLISHED_DIR):
        load = lambda name: catalog.load_published(name, published_dir)  # noqa: E731
        self.batches = load("cultivation_batches").set_index("batch_no")
        self.fields = load("industry_fields").set_index("field")["firms"].astype(int)
        self.provinces = load("firms_by_province").set_index("province")["firms"].astype(int)
        self.cities = load("firms_by_city").set_index("city")["firms"].astype(int)
        self.markets = load("capital_markets").set_index("market")["firms"].astype(int)
        self.pct_bins = load("pct_holdings")
        self.overseas_bins = load("overseas_market_reach")
        self.pct_by_year = load("pct_holdings_by_year")
        self.pct_growth = load("pct_growth").set_index("population")["pct_cagr_2020_2022_stated"]
        scale = load("tech_scale_by_population")
        self.scale = scale[scale["population"] == "小巨人"].set_index("batch")
        self.influence = load("tech_influence_by_batch").set_index("batch")
        quality = load("invention_quality").set_index("population")
        self.invention_share = float(quality.loc["小巨人", "invention_share_stated"])
        self.grant_rate = float(quality.loc["小巨人", "grant_rate_stated"])
        profile = load("typical_profile").set_index(["metric", "population"])["value"]
        self.pct_per_firm = float(profile.loc[("pct_per_firm", "小巨人")])
        self.cluster = load("cluster_metrics").set_index(["region", "metric"])
        self.cluster_fields = load("cluster_field_patents").set_index(["region", "field"])[
            "patent_applications"
        ]
        self.gba = load("cluster_city_distribution").set_index("city")["firms"]
        self.city_overview = load("city_overview").set_index("city")
        self.city_boards = load("city_capital_markets").set_index(["city", "board"])["firms"]
        self.city_fields = load("city_field_patents").set_index(["city", "field"])[
            "patent_applications"
        ]
        self.city = load("city_metrics").set_index(["city", "metric"])
        text = load("text_figures").set_index("item")["value"]
        self.applications_2022 = int(text["patent_applications_2022"])
        self.applications_cagr = float(text["patent_applications_cagr_2020_2022"])
        region_text = load("region_text_figures").set_index("item")["value"]
        self.employees_mean = float(region_text["avg_employees_per_firm"])
        self.page_cities = list(self.city_overview.index)

    def city_value(self, city: str, metric: str) -> float:
        return float(self.city.loc[(city, metric), "value"])

    def national(self, metric: str) -> float:
        return float(self.city.xs(metric, level="metric")["national_avg"].iloc[0])

    def cluster_value(self, region: str, metric: str) -> float:
        return float(self.cluster.loc[(region, metric), "value"])


# =========================================================================== the generator


class Generator:
    def __init__(self, seed: int = SEED, published_dir: Path = PUBLISHED_DIR):
        self.rng = np.random.default_rng(seed)
        self.t = Targets(published_dir)
        self.fields = list(reference.values("industry_fields", "field"))
        field_table = reference.table("industry_fields")
        self.key_fields = field_table.loc[field_table["key_field"] == "true", "field"].tolist()
        self.province_cluster = reference.table("provinces").set_index("province")["cluster"]
        self.city_table = reference.table("cities").set_index("city")
        self.boards = reference.table("listing_boards")

    # ----------------------------------------------------------------------- geography

    def unit_of(self, province: str, city: str) -> str:
        if city in self.t.page_cities:
            return city
        cluster = self.cluster_of(province, city)
        return cluster + REST if cluster else OTHER

    def cluster_of(self, province: str, city: str) -> str:
        cluster = self.province_cluster.get(province, "")
        if city and city in self.city_table.index:
            return self.city_table.loc[city, "cluster"]
        return "" if cluster == "粤港澳" else cluster

    @property
    def units(self) -> list[str]:
        units = []
        for city in self.t.page_cities:
            cluster = self.cluster_of(self.city_table.loc[city, "province"], city)
            units.append(city)
            if cluster and cluster + REST not in units:
                units.append(cluster + REST)
        return [*units, OTHER]

    def locations(self) -> pd.DataFrame:
        """(province, city, firms) cells of the analysed firms; city '' = not recorded."""
        t = self.t
        cities = dict(t.cities)
        gba_named = [c for c in t.gba.index if c != "其他城市"]
        gba_other = int(t.gba["其他城市"]) - sum(
            n
            for c, n in cities.items()
            if c not in gba_named and self.city_table.loc[c, "cluster"] == "粤港澳"
        )
        cities.update(
            zip(
                GBA_OTHER_WEIGHTS,
                largest_remainder(list(GBA_OTHER_WEIGHTS.values()), gba_other),
                strict=True,
            )
        )
        cities.update(EXTRA_CITIES)
        rows = []
        for province, firms in t.provinces.items():
            here = {
                c: n for c, n in cities.items() if self.city_table.loc[c, "province"] == province
            }
            if sum(here.values()) > firms:
                raise ValueError(f"{province}: city counts exceed the province count")
            rows += [(province, c, int(n)) for c, n in here.items()]
            if firms > sum(here.values()):
                rows.append((province, "", int(firms - sum(here.values()))))
        frame = pd.DataFrame(rows, columns=["province", "city", "firms"])
        frame["unit"] = [
            self.unit_of(p, c) for p, c in zip(frame["province"], frame["city"], strict=True)
        ]
        frame["cluster"] = [
            self.cluster_of(p, c) for p, c in zip(frame["province"], frame["city"], strict=True)
        ]
        return frame

    # ----------------------------------------------------------------------- group totals

    def unit_totals(
        self, counts: pd.Series, national_total: int, city=None, cluster=None
    ) -> pd.Series:
        """Integer totals per unit: round(mean * firms) for each city page and cluster (the
        cluster's own rest unit gets the cluster total minus its page cities), the rest of the
        national total to the remaining units in proportion to their firms."""
        totals = pd.Series(np.nan, index=counts.index)
        for unit in counts.index:
            if city is not None and unit in self.t.page_cities:
                totals[unit] = round(city(unit) * counts[unit])
        if cluster is not None:
            for unit in counts.index:
                if unit.endswith(REST):
                    region = unit.removesuffix(REST)
                    members = self.cluster_members(region)
                    whole = round(cluster(region) * counts[[unit, *members]].sum())
                    totals[unit] = whole - totals[members].sum()
        free = totals.isna()
        remainder = national_total - int(totals[~free].sum())
        totals[free] = largest_remainder(counts[free].to_numpy(), remainder)
        if (totals < 0).any():
            raise ValueError(f"negative unit totals: {totals.to_dict()}")
        return totals.astype(np.int64)

    # ----------------------------------------------------------------------- build

    def build(self) -> dict[str, pd.DataFrame]:
        rng, t = self.rng, self.t
        started = time.perf_counter()
        loc = self.locations()
        units = self.units
        n_analysed = int(loc["firms"].sum())

        # Fields: IPF of location x field to the published field totals ---------------------
        field_targets = self.application_field_targets(loc)
        unit_share = field_targets.div(field_targets.sum(axis=1), axis=0)
        national_share = t.fields[self.fields] / t.fields.sum()
        prior = np.array(
            [
                n * (0.5 * national_share.to_numpy() + 0.5 * unit_share.loc[u].to_numpy())
                if u != OTHER
                else n * national_share.to_numpy()
                for n, u in zip(loc["firms"], loc["unit"], strict=True)
            ]
        )
        fitted = ipf(prior, loc["firms"].to_numpy(), t.fields[self.fields].to_numpy())
        field_counts = controlled_round(fitted, t.fields[self.fields].to_numpy())

        firms = []
        for (province, city, _, unit, cluster), counts in zip(
            loc.itertuples(index=False), field_counts, strict=True
        ):
            labels = np.repeat(self.fields, counts)
            rng.shuffle(labels)
            firms += [(province, city, unit, cluster, f) for f in labels]
        a = pd.DataFrame(firms, columns=["province", "city", "unit", "cluster", "industry_field"])
        a = a.sample(frac=1, random_state=rng.integers(2**31)).reset_index(drop=True)
        batches = np.repeat(
            t.batches.index.to_numpy(dtype=int), t.batches["analysed"].to_numpy(dtype=int)
        )
        rng.shuffle(batches)
        a["batch_no"] = batches
        self.check_field_cells(a, field_targets)

        unit_counts = a["unit"].value_counts().reindex(units)
        batch_counts = a["batch_no"].value_counts().sort_index()

        # Applications: batch x (unit, field) ---------------------------------------------
        batch_names = list(t.batches["batch"])
        apps_batch = batch_totals(
            t.scale.loc[batch_names, "patent_applications_per_firm"],
            batch_counts,
            float(t.scale.loc["全部", "patent_applications_per_firm"]),
            0,
        )
        other_total = int(apps_batch.sum() - field_targets.drop(index=OTHER).to_numpy().sum())
        field_targets.loc[OTHER] = self.split_other_fields(a, field_targets, other_total)
        a["applications"] = self.crossed(
            a, ["unit", "industry_field"], field_targets.stack(), apps_batch, sigma=0.9, weight=None
        )

        # Invention applications and grants per unit --------------------------------------
        apps_unit = a.groupby("unit")["applications"].sum().reindex(units)
        inv_total = round(t.invention_share * apps_unit.sum())
        inv_unit = self.share_totals(apps_unit, inv_total)
        a["invention_applications"] = 0
        for unit, total in inv_unit.items():
            rows = a.index[a["unit"] == unit]
            apps = a.loc[rows, "applications"].to_numpy()
            share = rng.beta(4, 4, len(rows))
            a.loc[rows, "invention_applications"] = integer_fit(apps * share, total, hi=apps)
        inv_unit = a.groupby("unit")["invention_applications"].sum().reindex(units)
        grants_total = round(t.grant_rate * inv_unit.sum())
        grants_unit = self.rate_totals(inv_unit, grants_total)
        a["invention_grants"] = 0
        for unit, total in grants_unit.items():
            rows = a.index[a["unit"] == unit]
            inv = a.loc[rows, "invention_applications"].to_numpy()
            a.loc[rows, "invention_grants"] = integer_fit(
                inv * rng.beta(5, 5, len(rows)), total, hi=inv
            )

        # Valid invention patents per batch ------------------------------------------------
        valid_batch = batch_totals(
            t.scale.loc[batch_names, "valid_invention_patents_per_firm"],
            batch_counts,
            float(t.scale.loc["全部", "valid_invention_patents_per_firm"]),
            0,
        )
        a["valid_invention_patents"] = 0
        for b, total in zip(t.batches.index, valid_batch, strict=True):
            rows = a.index[a["batch_no"] == b]
            grants = a.loc[rows, "invention_grants"].to_numpy()
            weights = (grants + 1.0) ** 0.9 * rng.lognormal(0, 0.3, len(rows))
            a.loc[rows, "valid_invention_patents"] = integer_fit(weights, total)

        # Citations and licences: batch x unit ----------------------------------------------
        influence = t.influence
        cit_batch = batch_totals(
            influence.loc[batch_names, "citations_per_firm"],
            batch_counts,
            float(influence.loc["全部", "citations_per_firm"]),
            2,
        )
        cit_unit = self.unit_totals(
            unit_counts,
            int(cit_batch.sum()),
            city=lambda c: t.city_value(c, "citations_per_firm"),
            cluster=lambda r: t.cluster_value(r, "citations_per_firm"),
        )
        a["citations_received"] = self.crossed(
            a, ["unit"], cit_unit, cit_batch, sigma=0.8, weight=(a["applications"] + 1.0) ** 0.8
        )
        lic_batch = batch_totals(
            influence.loc[batch_names, "licences_per_firm"],
            batch_counts,
            float(influence.loc["全部", "licences_per_firm"]),
            2,
        )
        a["licence_unit"] = a["unit"].where(a["unit"].isin(t.page_cities), OTHER)
        lic_counts = a["licence_unit"].value_counts()
        lic_unit = self.unit_totals(
            lic_counts, int(lic_batch.sum()), city=lambda c: t.city_value(c, "licences_per_firm")
        )
        a["licences_out"] = self.crossed(
            a,
            ["licence_unit"],
            lic_unit,
            lic_batch,
            sigma=1.8,
            weight=(a["applications"] + 1.0) ** 0.3,
        )

        # Listings, then PCT, overseas markets, employees, financing -----------------------
        listings = self.listings(a, unit_counts)
        a["a_share"] = a.index.isin(
            listings.loc[listings["board"].isin(self.a_share_boards), "row"]
        )
        a["listed"] = a.index.isin(listings.loc[listings["board"] != "新三板", "row"])
        self.pct(a, unit_counts)
        self.overseas(a)
        a["employees"] = integer_fit(
            rng.lognormal(EMPLOYEES_LOG_MEAN, EMPLOYEES_LOG_SD, len(a)),
            round(t.employees_mean * len(a)),
            lo=np.full(len(a), 5.0),
        )
        financing = int(t.markets["参与一级市场融资"])
        score = (
            3.0 * a["listed"]
            + 1.5 * a.index.isin(listings["row"])
            + 0.5 * np.log1p(a["applications"])
            + rng.gumbel(0, 1, len(a))
        )
        a["primary_market_financing"] = False
        a.loc[
            score.sort_values(ascending=False, kind="stable").index[:financing],
            "primary_market_financing",
        ] = True

        patents = self.yearly(a)
        firms, ids = self.all_firms(a, n_analysed)
        patents["firm_id"] = ids[patents.pop("row").to_numpy()]
        listings["firm_id"] = ids[listings.pop("row").to_numpy()]
        self.seconds = time.perf_counter() - started
        return {"firms": firms, "patents": patents, "listings": listings}

    # ----------------------------------------------------------------------- pieces

    def application_field_targets(self, loc: pd.DataFrame) -> pd.DataFrame:
        """Cumulative applications per unit and field; the 其他地区 row is filled later."""
        t = self.t
        units = self.units
        counts = loc.groupby("unit")["firms"].sum().reindex(units)
        table = pd.DataFrame(0, index=units, columns=self.fields, dtype=np.int64)
        other_field = "其他领域"
        for city in t.page_cities:
            for field in self.key_fields:
                table.loc[city, field] = int(t.city_fields.loc[(city, field)])
            # 城市页 “总计X万余件”: X is a lower bound of [X, X + 100); X itself is used (it also
            # gives the printed applications per firm, checked here).
            total = int(t.city_overview.loc[city, "patent_applications_total"])
            mean = total / counts[city]
            if round(mean) != round(t.city_value(city, "patent_applications_per_firm")):
                raise ValueError(f"{city}: {total} applications do not give the published mean")
            table.loc[city, other_field] = total - table.loc[city, self.key_fields].sum()
        for unit in units:
            if not unit.endswith(REST):
                continue
            region = unit.removesuffix(REST)
            members = [
                c
                for c in t.page_cities
                if self.cluster_of(self.city_table.loc[c, "province"], c) == region
            ]
            n = counts[[unit, *members]].sum()
            whole = round(t.cluster_value(region, "patent_applications_per_firm") * n)
            for field in self.key_fields:
                table.loc[unit, field] = (
                    int(t.cluster_fields.loc[(region, field)]) - table.loc[members, field].sum()
                )
            key_sum = sum(int(t.cluster_fields.loc[(region, f)]) for f in self.key_fields)
            table.loc[unit, other_field] = whole - key_sum - table.loc[members, other_field].sum()
        if (table < 0).to_numpy().any():
            raise ValueError("negative field targets")
        # 其他地区: national shares for now (only used as an IPF prior).
        table.loc[OTHER] = (t.fields[self.fields] * 100).to_numpy()
        return table

    def check_field_cells(self, a: pd.DataFrame, targets: pd.DataFrame) -> None:
        counts = a.groupby(["unit", "industry_field"]).size()
        for unit in targets.index.drop(OTHER):
            for field in self.fields:
                if targets.loc[unit, field] > 0 and counts.get((unit, field), 0) == 0:
                    raise ValueError(f"no firm in {unit} × {field} for its published applications")

    def split_other_fields(self, a, targets: pd.DataFrame, total: int) -> np.ndarray:
        """其他地区's applications by field: its firms per field × the mean applications per firm
        of that field in the named regions."""
        counts = (
            a.groupby(["unit", "industry_field"])
            .size()
            .unstack(fill_value=0)
            .reindex(columns=self.fields, fill_value=0)
        )
        named = targets.drop(index=OTHER)
        per_firm = named.sum(axis=0) / counts.drop(index=OTHER).sum(axis=0)
        weights = counts.loc[OTHER].to_numpy() * per_firm.to_numpy()
        return largest_remainder(weights, total)

    def crossed(
        self, a, keys: list[str], cell_totals: pd.Series, batch_targets, sigma: float, weight
    ) -> np.ndarray:
        """Per-firm integers whose sums per cell (the `keys` columns) and per batch equal the
        targets: a batch × cell table by IPF and controlled rounding, then the firms of each
        batch × cell by weights × lognormal noise and systematic rounding."""
        rng = self.rng
        cells = list(cell_totals.index)
        key = (
            list(zip(*(a[k] for k in keys), strict=True)) if len(keys) > 1 else a[keys[0]].tolist()
        )
        index = {cell: j for j, cell in enumerate(cells)}
        codes = np.array([index[k] for k in key])
        batch = a["batch_no"].to_numpy() - 1
        counts = np.zeros((5, len(cells)))
        np.add.at(counts, (batch, codes), 1)
        col_totals = cell_totals.to_numpy().astype(float)
        intensity = col_totals / np.maximum(counts.sum(0), 1)
        batch_mean = np.asarray(batch_targets, float) / counts.sum(1)
        prior = counts * batch_mean[:, None] * intensity[None, :]
        allowed = counts > 0
        fitted = ipf(prior, np.asarray(batch_targets, float), col_totals)
        table = controlled_round(fitted, cell_totals.to_numpy(), allowed=allowed)
        values = np.zeros(len(a), dtype=np.int64)
        noise = rng.lognormal(0, sigma, len(a))
        w = noise if weight is None else noise * np.asarray(weight, float)
        groups = pd.Series(np.arange(len(a))).groupby([batch, codes])
        for (b, j), rows in groups:
            rows = rows.to_numpy()
            values[rows] = integer_fit(w[rows], int(table[b, j]))
        return values

    def cluster_members(self, region: str) -> list[str]:
        return [
            c
            for c in self.t.page_cities
            if self.cluster_of(self.city_table.loc[c, "province"], c) == region
        ]

    def share_totals(
        self, base: pd.Series, national: int, metric: str = "invention_share"
    ) -> pd.Series:
        """Totals per unit of a ratio numerator (invention applications) from the published
        city and cluster ratios: round(ratio × denominator); the rest of the nation shares the
        remainder in proportion to the denominator."""
        t = self.t
        totals = pd.Series(np.nan, index=base.index)
        for city in t.page_cities:
            totals[city] = round(t.city_value(city, metric) * base[city])
        for unit in base.index:
            if unit.endswith(REST):
                region = unit.removesuffix(REST)
                members = self.cluster_members(region)
                whole = round(t.cluster_value(region, metric) * base[[unit, *members]].sum())
                totals[unit] = whole - totals[members].sum()
        free = totals.isna()
        totals[free] = largest_remainder(base[free].to_numpy(), national - int(totals[~free].sum()))
        return totals.astype(np.int64)

    def rate_totals(self, base: pd.Series, national: int) -> pd.Series:
        """Invention grants per unit: published city grant rates; the rest shares the remainder."""
        t = self.t
        totals = pd.Series(np.nan, index=base.index)
        for city in t.page_cities:
            totals[city] = round(t.city_value(city, "grant_rate") * base[city])
        free = totals.isna()
        totals[free] = largest_remainder(base[free].to_numpy(), national - int(totals[~free].sum()))
        return totals.astype(np.int64)

    @property
    def a_share_boards(self) -> list[str]:
        return self.boards.loc[self.boards["a_share"] == "true", "board"].tolist()

    def listings(self, a: pd.DataFrame, unit_counts: pd.Series) -> pd.DataFrame:
        """Listings per unit: the city pages exactly, the clusters' listed firms, the national
        board counts; firms chosen within a unit by applications and a seeded score."""
        rng, t = self.rng, self.t
        boards = self.boards.set_index("board")
        national = {
            b: int(t.markets[boards.loc[b, "market_label"]])
            for b in boards.index
            if boards.loc[b, "market_label"] in t.markets.index
        }
        a_boards = self.a_share_boards
        plan: dict[str, dict[str, int]] = {}
        for city in t.page_cities:
            plan[city] = {b: int(t.city_boards.get((city, b), 0)) for b in boards.index}
        remaining = {b: national[b] - sum(plan[c][b] for c in t.page_cities) for b in national}
        hk_outside = sum(HK_ONLY_OUTSIDE_PAGES.values()) + HK_DUAL_IN_OTHER
        if hk_outside != remaining["港交所"]:
            raise ValueError(
                f"港交所 outside the city pages: {remaining['港交所']}, planned {hk_outside}"
            )
        rest_units = [u for u in self.units if u not in t.page_cities]
        a_share_firms = {}
        for unit in rest_units:
            hk_only = HK_ONLY_OUTSIDE_PAGES.get(unit, 0)
            sg = remaining["新加坡交易所"] if unit == OTHER else 0
            if unit.endswith(REST):
                region = unit.removesuffix(REST)
                listed = int(t.cluster_value(region, "listed_firms")) - sum(
                    sum(v for b, v in plan[c].items() if b != "新三板")
                    for c in self.cluster_members(region)
                )
                a_share_firms[unit] = listed - hk_only - sg
            plan[unit] = {
                "港交所": hk_only + (HK_DUAL_IN_OTHER if unit == OTHER else 0),
                "新加坡交易所": sg,
                "新三板": NEEQ_OUTSIDE_PAGES[unit],
            }
        a_share_firms[OTHER] = sum(remaining[b] for b in a_boards) - sum(a_share_firms.values())
        rows = np.array([a_share_firms[u] for u in rest_units], float)
        cols = np.array([remaining[b] for b in a_boards], float)
        split = controlled_round(ipf(np.outer(rows, cols), rows, cols), cols.astype(np.int64))
        for unit, counts in zip(rest_units, split, strict=True):
            plan[unit].update(zip(a_boards, counts.tolist(), strict=True))

        records = []
        for unit in self.units:
            rows = a.index[a["unit"] == unit].to_numpy()
            score = np.log1p(a.loc[rows, "applications"].to_numpy()) + rng.gumbel(0, 0.7, len(rows))
            order = rows[np.argsort(-score, kind="stable")]
            listed_boards = [b for b in a_boards for _ in range(plan[unit].get(b, 0))]
            others = ["港交所"] * (
                plan[unit]["港交所"] - (HK_DUAL_IN_OTHER if unit == OTHER else 0)
            )
            others += ["新加坡交易所"] * plan[unit]["新加坡交易所"]
            labels = np.array(listed_boards + others, dtype=object)
            rng.shuffle(labels)
            listed = order[: len(labels)]
            records += list(zip(listed.tolist(), labels.tolist(), strict=True))
            if unit == OTHER:
                a_listed = [r for r, b in zip(listed, labels, strict=True) if b in a_boards]
                records += [(r, "港交所") for r in a_listed[:HK_DUAL_IN_OTHER]]
            pool = order[len(labels) :].copy()
            rng.shuffle(pool)
            records += [(r, "新三板") for r in pool[: plan[unit]["新三板"]].tolist()]
        frame = pd.DataFrame(records, columns=["row", "board"])
        return frame

    def bins_by_unit(
        self, a, unit_col: str, published: pd.DataFrame, means: pd.Series, alphas
    ) -> dict:
        """Firms per unit and bin: IPF of unit × bin to the published bin counts, prior tilted to
        the units' published means, then controlled rounding."""
        units = list(means.index)
        counts = a[unit_col].value_counts().reindex(units).to_numpy()
        bins = published["firms"].astype(int).to_numpy()
        base = bins / bins.sum()
        tilt = (means.to_numpy() / means.mean())[:, None] ** np.asarray(alphas)[None, :]
        prior = counts[:, None] * base[None, :] * tilt
        table = controlled_round(ipf(prior, counts, bins), bins)
        return dict(zip(units, table, strict=True))

    def binned_values(
        self, a, unit_col, totals: pd.Series, table: dict, published, spread, score
    ) -> np.ndarray:
        """Per-firm counts within their bin: the highest-scoring firms of a unit get the highest
        bins, then lo + s × spread × gamma noise fitted to the unit total, within the bin."""
        rng = self.rng
        lows = published.iloc[:, 1].astype(int).to_numpy()
        highs = published.iloc[:, 2].astype("Float64").fillna(1e7).to_numpy(dtype=float)
        values = np.zeros(len(a), dtype=np.int64)
        for unit, total in totals.items():
            rows = a.index[a[unit_col] == unit].to_numpy()
            order = rows[np.argsort(-score[rows], kind="stable")]
            counts = table[unit]
            bin_of = np.repeat(np.arange(len(counts))[::-1], counts[::-1])
            lo, hi = lows[bin_of], highs[bin_of]
            # Gamma(0.6) spreads: most firms near the bottom of their bin, a long tail.
            w = np.asarray(spread, float)[bin_of] * rng.gamma(0.6, 1.0, len(order))
            w[bin_of == 0] = 0
            values[order] = integer_fit(w, int(total), lo=lo, hi=hi)
        return values

    def pct(self, a: pd.DataFrame, unit_counts: pd.Series) -> None:
        t, rng = self.t, self.rng
        total = round(self.t.pct_per_firm * len(a))
        totals = self.unit_totals(
            unit_counts,
            total,
            city=lambda c: t.city_value(c, "pct_per_firm"),
            cluster=lambda r: t.cluster_value(r, "pct_per_firm"),
        )
        means = totals / unit_counts
        table = self.bins_by_unit(a, "unit", t.pct_bins, means, (0, 0.8, 1.3, 1.8))
        score = (
            np.log1p(a["applications"].to_numpy())
            + 0.5 * a["a_share"].to_numpy()
            + rng.gumbel(0, 1, len(a))
        )
        a["pct_applications"] = self.binned_values(
            a,
            "unit",
            totals,
            table,
            t.pct_bins[["pct_bin", "pct_min", "pct_max"]],
            (0, 1.5, 12, 150),
            score,
        )

    def overseas(self, a: pd.DataFrame) -> None:
        t, rng = self.t, self.rng
        a["overseas_unit"] = a["unit"].where(a["unit"].isin(t.page_cities), OTHER)
        counts = a["overseas_unit"].value_counts().reindex([*t.page_cities, OTHER])
        total = round(t.national("overseas_markets_per_firm") * len(a))
        totals = self.unit_totals(
            counts, total, city=lambda c: t.city_value(c, "overseas_markets_per_firm")
        )
        table = self.bins_by_unit(
            a, "overseas_unit", t.overseas_bins, totals / counts, (0, 0.8, 1.3, 1.8)
        )
        score = (
            1.5 * np.log1p(a["pct_applications"].to_numpy())
            + 0.3 * np.log1p(a["applications"].to_numpy())
            + rng.gumbel(0, 1, len(a))
        )
        a["overseas_markets"] = self.binned_values(
            a,
            "overseas_unit",
            totals,
            table,
            t.overseas_bins[["market_bin", "markets_min", "markets_max"]],
            (0, 1.2, 1.5, 4),
            score,
        )

    # ----------------------------------------------------------------------- yearly rows

    def split_rows(
        self, totals: np.ndarray, profile: np.ndarray, col_targets: np.ndarray, sigma: float
    ) -> np.ndarray:
        """Firms × periods integers with row sums `totals` and column sums `col_targets`."""
        rng = self.rng
        prior = (
            totals[:, None]
            * profile[None, :]
            * rng.lognormal(0, sigma, (len(totals), len(profile)))
        )
        fitted = ipf(prior, totals.astype(float), col_targets.astype(float))
        return controlled_round(fitted, col_targets)

    def yearly(self, a: pd.DataFrame) -> pd.DataFrame:
        t, rng = self.t, self.rng
        n_periods = len(PERIODS)
        apps = np.zeros((len(a), n_periods), dtype=np.int64)
        # Applications: yearly totals per city page (its growth rate) and the rest of the nation.
        ratio_2022 = t.applications_2022 / a["applications"].sum()
        groups = a["unit"].where(a["unit"].isin(t.page_cities), OTHER)
        national = self.year_profile(
            a["applications"].sum(), t.applications_2022, t.applications_cagr
        )
        rest = national.copy()
        plans = {}
        for city in t.page_cities:
            total = int(a.loc[groups == city, "applications"].sum())
            plans[city] = self.year_profile(
                total, round(total * ratio_2022), t.city_value(city, "applications_cagr_2020_2022")
            )
            rest -= plans[city]
        plans[OTHER] = rest
        for group, targets in plans.items():
            rows = a.index[groups == group].to_numpy()
            apps[rows] = self.split_rows(
                a.loc[rows, "applications"].to_numpy(), targets / targets.sum(), targets, 0.25
            )

        # Invention applications: a random subset of each firm's applications.
        inv = np.zeros_like(apps)
        for i, (row, k) in enumerate(
            zip(apps, a["invention_applications"].to_numpy(), strict=True)
        ):
            if k:
                inv[i] = rng.multivariate_hypergeometric(row, int(k))
        grants = self.rows_by_profile(a["invention_grants"].to_numpy(), inv + 0.2)
        citations = self.rows_by_profile(
            a["citations_received"].to_numpy(),
            np.array([0.45, 0.11, 0.13, 0.18, 0.13])[None, :]
            * rng.lognormal(0, 0.2, (len(a), n_periods)),
        )
        licences = np.zeros_like(apps)
        for i, k in enumerate(a["licences_out"].to_numpy()):
            if k:
                licences[i] = rng.multinomial(int(k), [0.4, 0.14, 0.15, 0.17, 0.14])
        pct = self.pct_years(a)
        # Valid invention patents: a stock growing with the firm's invention applications.
        valid = a["valid_invention_patents"].to_numpy()
        cumulative = np.cumsum(inv, axis=1) / np.maximum(inv.sum(1), 1)[:, None]
        cumulative[inv.sum(1) == 0] = 1.0
        stock = np.floor(valid[:, None] * cumulative**0.8).astype(np.int64)
        stock[:, -1] = valid

        frame = pd.DataFrame(
            {
                "row": np.repeat(np.arange(len(a)), n_periods),
                "year": np.tile(PERIODS, len(a)),
                "includes_earlier_years": np.tile([True] + [False] * len(YEARS), len(a)),
                "applications": apps.ravel(),
                "invention_applications": inv.ravel(),
                "pct_applications": pct.ravel(),
                "invention_grants": grants.ravel(),
                "citations_received": citations.ravel(),
                "licences_out": licences.ravel(),
                "valid_invention_patents": stock.ravel(),
            }
        )
        return frame

    @staticmethod
    def year_profile(total: int, year_2022: int, cagr: float) -> np.ndarray:
        """Totals for (≤2019, 2020, 2021, 2022, 2023 to the cut-off) with the given 2022 total
        and 2020–2022 growth rate; the carry-in row takes the rest."""
        y2020 = round(year_2022 / (1 + cagr) ** 2)
        y2021 = round(math.sqrt(y2020 * year_2022))
        y2023 = round(PART_YEAR_2023 * year_2022)
        carry = total - (y2020 + y2021 + year_2022 + y2023)
        if carry < 0:
            raise ValueError("yearly totals exceed the cumulative total")
        return np.array([carry, y2020, y2021, year_2022, y2023], dtype=np.int64)

    @staticmethod
    def rows_by_profile(totals: np.ndarray, weights: np.ndarray) -> np.ndarray:
        """Each firm's total split over periods in proportion to `weights`, rounded per row."""
        weights = np.broadcast_to(weights, (len(totals), len(PERIODS))).astype(float)
        share = weights / weights.sum(1, keepdims=True)
        real = totals[:, None] * share
        running = np.floor(np.cumsum(real, axis=1) + 0.5)
        running[:, -1] = totals
        return np.diff(running, axis=1, prepend=0.0).astype(np.int64)

    def pct_years(self, a: pd.DataFrame) -> np.ndarray:
        """PCT applications per period. Firms that hold 1–9 at the cut-off but none at the end of
        2022 (published: 2404 vs 1617) file all of theirs in 2023; everybody else stays in their
        bin through 2022. 2020–2022 totals give the published growth rates of all firms and of
        A-share-listed firms."""
        t, rng = self.t, self.rng
        pct = a["pct_applications"].to_numpy()
        out = np.zeros((len(a), len(PERIODS)), dtype=np.int64)
        by_year = t.pct_by_year.set_index(["year", "pct_bin"])["firms"]
        first_bin = t.pct_bins["pct_bin"].iloc[1]
        newcomers = int(by_year[(CUTOFF_YEAR, first_bin)]) - int(
            by_year[(CUTOFF_YEAR - 1, first_bin)]
        )
        small = np.flatnonzero((pct >= 1) & (pct <= 9))
        score = -pct[small] + rng.gumbel(0, 2, len(small))
        new = small[np.argsort(-score, kind="stable")[:newcomers]]
        out[new, -1] = pct[new]
        holders = np.setdiff1d(np.flatnonzero(pct > 0), new)
        lows = t.pct_bins["pct_min"].astype(int).to_numpy()
        low_of = lows[np.searchsorted(lows, pct[holders], side="right") - 1]
        cap_2023 = pct[holders] - low_of
        n = len(a)
        y2020_all = round(PCT_MEAN_2020 * n)
        y2021_all = round(PCT_MEAN_2021 * n)
        growth_all = float(t.pct_growth["小巨人"])
        y2022_all = round(y2020_all * (1 + growth_all) ** 2)
        a_share = a["a_share"].to_numpy()[holders]
        share_a = pct[holders][a_share].sum() / pct[holders].sum()
        y2020_a = round(y2020_all * share_a)
        growth_a = float(t.pct_growth["A股上市小巨人"])
        plan = {
            True: [
                y2020_a,
                round(y2020_a * y2021_all / y2020_all),
                round(y2020_a * (1 + growth_a) ** 2),
            ],
        }
        plan[False] = [
            y2020_all - plan[True][0],
            y2021_all - plan[True][1],
            y2022_all - plan[True][2],
        ]
        for flag, (y2020, y2021, y2022) in plan.items():
            rows = holders[a_share == flag]
            caps = cap_2023[a_share == flag]
            y2023 = min(round(PCT_2023_VS_2022 * y2022), int(0.8 * caps.sum()))
            out[rows, -1] = integer_fit(caps * rng.lognormal(0, 0.5, len(rows)), y2023, hi=caps)
            left = pct[rows] - out[rows, -1]
            carry = int(left.sum()) - (y2020 + y2021 + y2022)
            targets = np.array([carry, y2020, y2021, y2022], dtype=np.int64)
            if carry < 0:
                raise ValueError("PCT yearly totals exceed the cumulative PCT of the group")
            out[rows, :-1] = self.split_rows(left, targets / targets.sum(), targets, 0.4)
        return out

    # ----------------------------------------------------------------------- all firms

    def all_firms(self, a: pd.DataFrame, n_analysed: int) -> tuple[pd.DataFrame, np.ndarray]:
        """Analysed firms plus the announced firms that were not analysed (batches 1–2 firms
        that did not pass review); review status per batch as published; ids and names."""
        t, rng = self.t, self.rng
        a = a.copy()
        a["analysed"] = True
        a["review_status"] = "confirmed"
        not_reviewed = t.batches.index[t.batches["reviewed"].isna()]  # 2023: batch 5
        a.loc[a["batch_no"].isin(not_reviewed), "review_status"] = "announced"
        for b in t.batches.index:
            reviewed = t.batches.loc[b, "reviewed"]
            rows = a.index[a["batch_no"] == b].to_numpy()
            if pd.isna(reviewed) or int(reviewed) >= len(rows):
                continue
            revoked = rng.choice(rows, len(rows) - int(reviewed), replace=False)
            a.loc[revoked, "review_status"] = "revoked"
        extra = []
        for b in t.batches.index:
            missing = int(t.batches.loc[b, "announced"]) - int(t.batches.loc[b, "analysed"])
            if missing <= 0:
                continue
            like = a.iloc[rng.choice(len(a), missing)]
            block = pd.DataFrame(
                {
                    "province": like["province"].to_numpy(),
                    "city": like["city"].to_numpy(),
                    "industry_field": a["industry_field"].to_numpy()[rng.choice(len(a), missing)],
                    "batch_no": b,
                    "analysed": False,
                    "review_status": "revoked",
                    "employees": systematic_round(
                        rng.lognormal(EMPLOYEES_LOG_MEAN, EMPLOYEES_LOG_SD, missing)
                    )
                    + 5,
                    "primary_market_financing": rng.random(missing) < 0.35,
                    "overseas_markets": a["overseas_markets"].to_numpy()[
                        rng.choice(len(a), missing)
                    ],
                }
            )
            extra.append(block)
        columns = [
            "batch_no",
            "review_status",
            "analysed",
            "province",
            "city",
            "industry_field",
            "employees",
            "primary_market_financing",
            "overseas_markets",
        ]
        everyone = pd.concat([a[columns], *[e[columns] for e in extra]], ignore_index=True)
        order = rng.permutation(len(everyone))
        numbers = np.empty(len(everyone), dtype=np.int64)
        numbers[order] = np.arange(1, len(everyone) + 1)
        ids = np.array([f"SYN-{k:0{N_WIDTH}d}" for k in numbers], dtype=object)
        everyone.insert(0, "name", [f"示例企业{k:0{N_WIDTH}d}（合成）" for k in numbers])
        everyone.insert(0, "firm_id", ids)
        return everyone, ids[: len(a)]


# =========================================================================== output

# Column order of the written files: as declared in data/firm_schema.yml.
FIRMS_COLUMNS = list(firm_specs()["firms"].columns)
# The optional screening attributes (issue 12): declared after `overseas_markets`; those the
# 2026 measures added (issue 21) last, after `rd_institution_level`.
SCREENING_COLUMNS = FIRMS_COLUMNS[
    FIRMS_COLUMNS.index("overseas_markets") + 1 : FIRMS_COLUMNS.index("rd_institution_level") + 1
]
SCREENING_2026_COLUMNS = FIRMS_COLUMNS[FIRMS_COLUMNS.index("rd_institution_level") + 1 :]
PATENTS_COLUMNS = list(firm_specs()["patents"].columns)
LISTINGS_COLUMNS = list(firm_specs()["listings"].columns)


# =========================================================================== screening attributes

# Drawn from their own random stream (seed, SCREENING_STREAM), after every other column: adding
# or changing them never changes a byte of the other columns. Nothing about these distributions
# is published; they are plausible for little giants (data/sample/README.md).
SCREENING_STREAM = 12
REVENUE_PER_EMPLOYEE = 80.0  # 万元 per insured employee (median)
# Share of cells left empty ("not recorded"): the screening shows them as cannot be decided.
NOT_RECORDED = {"digital_level": 0.15, "local_feature_points": 0.2}
NOT_RECORDED_DEFAULT = 0.03
CATEGORY_SHARES = {
    "ip_class": {"Ⅰ类高价值": 0.35, "自主研发Ⅰ类": 0.4, "Ⅰ类": 0.15, "Ⅱ类": 0.08, "无": 0.02},
    "main_product_role": {"补短板锻长板填空白": 0.45, "六基老字号龙头配套": 0.3, "其他": 0.25},
    "digital_level": {"三级以上": 0.3, "二级": 0.5, "一级": 0.2},
    "rd_institution_level": {
        "国家级": 0.12,
        "省级": 0.55,
        "市级": 0.2,
        "市级以下": 0.05,
        "未建立": 0.08,
    },
}
FLAG_SHARES = {
    "sci_award_3y": 0.35,
    "honours_valid": 0.93,
    "maker_china_top500": 0.06,
    "well_known": 0.92,
    "strategic_emerging_industry": 0.8,
    "quality_award_provincial": 0.25,
    "iso9001": 0.95,
    "own_brand": 0.85,
    "standards_participation": 0.6,
}


def _text_column(values: np.ndarray, decimals: int) -> np.ndarray:
    """Fixed decimals (never scientific notation), "" for NaN."""
    return np.array(
        ["" if np.isnan(x) else f"{x:.{decimals}f}" for x in np.asarray(values, dtype=float)],
        dtype=object,
    )


def screening_attributes(firms: pd.DataFrame, seed: int = SEED) -> pd.DataFrame:
    """The screening attribute columns (SCREENING_COLUMNS) for `firms` (rows in file order), as
    text cells: money in whole 万元, shares and rates to 0.001, years, ranks and points whole."""
    rng = np.random.default_rng([seed, SCREENING_STREAM])
    n = len(firms)
    employees = pd.to_numeric(firms["employees"], errors="coerce").fillna(200).to_numpy(float)
    financed = firms["primary_market_financing"].astype(bool).to_numpy()
    revenue = np.maximum(employees, 5) * REVENUE_PER_EMPLOYEE * rng.lognormal(0, 0.5, n)
    rd_share = np.clip(rng.lognormal(np.log(0.055), 0.45, n), 0.005, 0.5).round(3)
    rd_expense = (revenue * rd_share).round(0)
    growth = np.clip(rng.normal(0.14, 0.18, n), -0.6, 3)
    equity_3y = np.where(financed, rng.lognormal(np.log(5000), 1.0, n), 0.0)
    market_share = rng.beta(3, 10, n)
    award = rng.random(n) < FLAG_SHARES["sci_award_3y"]
    numbers = {
        "revenue": (revenue, 0),
        "main_revenue_share": (1 - rng.beta(1.2, 12, n), 3),
        "main_revenue_growth": (growth, 3),
        "main_revenue_growth_2y": (0.6 * growth + rng.normal(0.05, 0.08, n), 3),
        "net_profit_margin": (np.clip(rng.normal(0.09, 0.06, n), -0.3, 0.5), 3),
        "debt_ratio": (rng.beta(4, 6, n), 3),
        "rd_expense": (rd_expense, 0),
        "rd_share": (rd_share, 3),
        "rd_expense_2y_mean": (rd_expense * rng.uniform(0.8, 1.0, n), 0),
        "rd_staff_share": (rng.beta(3, 14, n), 3),
        "niche_years": (np.clip(np.rint(rng.lognormal(np.log(10), 0.55, n)), 1, 40), 0),
        "equity_financing_2y": (equity_3y * rng.uniform(0.4, 1.0, n), 0),
        "equity_financing_3y": (equity_3y, 0),
        "provincial_award_rank": (
            np.where(award & (rng.random(n) < 0.7), rng.integers(1, 9, n), np.nan),
            0,
        ),
        "national_award_rank": (
            np.where(award & (rng.random(n) < 0.15), rng.integers(1, 11, n), np.nan),
            0,
        ),
        "market_share": (market_share, 3),
        "market_rank": (
            np.clip(np.rint(0.35 / market_share + rng.normal(0, 0.8, n)), 1, 20),
            0,
        ),
        "local_feature_points": (rng.integers(6, 16, n).astype(float), 0),
    }
    out = {}
    for column, (values, decimals) in numbers.items():
        out[column] = _text_column(values, decimals)
    for column, share in FLAG_SHARES.items():
        flag = award if column == "sci_award_3y" else rng.random(n) < share
        out[column] = np.where(flag, "true", "false").astype(object)
    for column, shares in CATEGORY_SHARES.items():
        names = list(shares)
        out[column] = np.array(names, dtype=object)[
            rng.choice(len(names), n, p=list(shares.values()))
        ]
    level = out["rd_institution_level"]
    out["rd_institution_provincial"] = np.where(
        np.isin(level, ["国家级", "省级"]), "true", "false"
    ).astype(object)
    for column in SCREENING_COLUMNS:  # in schema order: the draws' order is fixed
        empty = rng.random(n) < NOT_RECORDED.get(column, NOT_RECORDED_DEFAULT)
        out[column] = np.where(empty, "", out[column]).astype(object)
    return pd.DataFrame({c: out[c] for c in SCREENING_COLUMNS}, index=firms.index)


# Drawn from a stream of their own too (seed, SCREENING_2026_STREAM), after the columns above,
# and consistent with them: the year before last's R&D spending is what the 2-year mean leaves
# (2 × mean − last year), its share of that year's revenue (last year's over 1 + growth).
SCREENING_2026_STREAM = 21


def screening_2026_attributes(firms: pd.DataFrame, drawn: pd.DataFrame, seed: int = SEED):
    """The columns the 2026 measures test (SCREENING_2026_COLUMNS) for `firms`, from the
    screening attributes already `drawn` (text cells, screening_attributes), as text cells."""
    rng = np.random.default_rng([seed, SCREENING_2026_STREAM])
    n = len(firms)

    def numbers(column: str) -> np.ndarray:
        return pd.to_numeric(drawn[column].replace("", np.nan), errors="coerce").to_numpy(float)

    rd_expense, mean = numbers("rd_expense"), numbers("rd_expense_2y_mean")
    revenue, growth = numbers("revenue"), numbers("main_revenue_growth")
    prior = np.maximum(2 * mean - rd_expense, 0).round(0)
    with np.errstate(divide="ignore", invalid="ignore"):
        prior_share = prior / (revenue / (1 + np.maximum(growth, -0.5)))
    growth_2y = numbers("main_revenue_growth_2y")
    ip = drawn["ip_class"].to_numpy(object)
    class_one = np.isin(ip, ["Ⅰ类高价值", "自主研发Ⅰ类", "Ⅰ类"])
    ip_count = np.where(class_one, 1 + rng.poisson(4.0, n), 0).astype(float)
    ip_count[ip == ""] = np.nan
    values = {
        "rd_expense_prior": (prior, 0),
        "rd_share_prior": (np.clip(prior_share, 0, 100), 3),
        "revenue_cagr_2y": (growth_2y + rng.normal(0, 0.03, n), 3),
        "net_profit_growth_2y": (rng.normal(0.08, 0.2, n), 3),
        "class1_ip_count": (ip_count, 0),
    }
    out = {column: _text_column(*values[column]) for column in SCREENING_2026_COLUMNS}
    for column in SCREENING_2026_COLUMNS:  # in schema order: the draws' order is fixed
        empty = rng.random(n) < NOT_RECORDED.get(column, NOT_RECORDED_DEFAULT)
        out[column] = np.where(empty, "", out[column]).astype(object)
    return pd.DataFrame(out, index=firms.index)


def _cell(value) -> str:
    if isinstance(value, bool | np.bool_):
        return "true" if value else "false"
    if isinstance(value, np.integer):
        return str(int(value))
    return "" if value is None else str(value)


def csv_bytes(frame: pd.DataFrame, columns: list[str]) -> bytes:
    """Deterministic CSV: UTF-8, "\\n" line endings, minimal quoting, integers and true/false."""
    buffer = io.StringIO(newline="")
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(columns)
    for row in frame[columns].itertuples(index=False):
        writer.writerow([_cell(v) for v in row])
    return buffer.getvalue().encode("utf-8")


SYNTHETIC_TEXT = (
    "SYNTHETIC: 本文件夹中的企业与数值均为合成数据（seeded synthetic sample），不是真实企业；"
    "仅其汇总值按智慧芽2023年报告的公开图表构造。Generated by `python -m tools.sample_data`.\n"
)


README_TEMPLATE = """# data/sample — synthetic firm-level sample (合成示例数据)

**Synthetic.** Every firm here is invented: ids `SYN-00001`…, names `示例企业00001（合成）`. Only the
aggregates mean something: they reproduce the published tables of seed 001 (PatSnap/智慧芽
《2023年专精特新“小巨人”企业科创力报告》, cut-off 2023-07-31). The `SYNTHETIC` file marks the folder;
reports built from it say so on every page.

Regenerate (byte-identical; seed and targets fixed; the targets are read from `data/published`):

    .venv/bin/python -m tools.sample_data data/sample
    make report DATA_DIR=data/sample

Files and columns: see `data/README.md`, section "Firm-level input". 12,950 firms (`firms.csv`), of which
12,192 analysed; `patents.csv` has five rows per analysed firm: 2019 (`includes_earlier_years = true`:
everything filed up to 2019), 2020, 2021, 2022 and 2023 (to 31 July); `listings.csv` one row per firm and
board.

## What the sample reproduces

* **Exactly** (every count): announced / reviewed / analysed per batch (图表1.4); firms per industry field
  (图表1.5) and the 小巨人 category shares; firms per board, primary-market financing 5062 and their shares
  (图表1.6); 小巨人 per A-share board and its share of the board (图表1.7); firms per province (图表3.1,
  incl. 长三角 4201); the 20 cities of 图表3.3; the PCT bins (图表2.8: 9334 / 2404 / 431 / 23) and the
  2022 1–9 bin 1617 (图表2.10); the overseas-market bins (8898 / 2790 / 368 / 136, i.e. 3294 firms abroad);
  the 粤港澳 city split (744 / 237 / 441); listed firms per cluster (84 / 421 / 115); the city pages' firms,
  boards, application totals (the printed lower bounds) and applications per key industry; the clusters' applications per key industry; applications in
  2022 (241,600).
* **To the printed precision** (the recomputed value rounds to the printed one, and is within 1%):
  applications and valid invention patents per firm per batch (图表2.3), citations and licences per firm
  per batch (图表2.7), invention share 45.4% and grant rate 40.2% (图表2.6), PCT per firm 1.65, the PCT
  growth rates 22.6% / 24.1% (图表2.9), the application growth rate 15.6%, the three clusters' and five
  city pages' metrics, average employees 251.
* **Within the printed rounding but not within 1%**: valid invention patents per firm of all five batches
  together: published 20, sample 19.5 — the published batch values (28 / 25 / 19 / 19 / 18) average 19.34,
  so a value within 1% of both the batches and the whole is impossible; the sample keeps every batch
  within 1% and the whole at the lowest value that still prints as 20.
* **Not reproduced**: year-on-year changes (图表1.6 `change_yoy`, needs last year's list); figures about
  other populations (科创板, 北交所, 专精特新中小企业, 单项冠军 — taken from the published tables).

## Decisions the publication leaves open

* **Cities.** Firms get a city only where it is one of the seeds' 29 cities in `data/reference/cities.csv`;
  other firms have an empty city (the sample does not invent city names). 图表3.3 shows 天津市 with 244
  firms but 图表3.1 with 246: two 天津市 firms have no city, so both tables are exact. 济南市 has 120 firms
  and 清远市 9 (both below the 150 of 图表3.3); the 441 粤港澳 firms outside 深圳 and 广州 are 东莞 172 and
  佛山, 珠海, 惠州, 中山, 江门, 肇庆 by fixed weights (36 : 21 : 17 : 14 : 7.5 : 4.5). 粤港澳 = the nine
  Guangdong cities of the reference (44 Guangdong firms lie outside them: 9 in 清远市, 35 without a city).
* **Review.** Batches 1–2: the firms that passed review are analysed, the others (93 and 665) are
  `revoked` and not analysed; batch 3: all confirmed; batch 4: 4328 confirmed, 29 revoked, all 4357
  analysed (the publication's pie counts 4357); batch 5: `announced` (no review yet), all analysed.
* **City totals.** The city pages print applications as “X万余件”, a lower bound; the sample uses
  X itself (e.g. 北京 95,400 for 9.54万余), which also gives the printed applications per firm.
* **Yearly rows.** 2022 applications total 241,600 (摘要); 2020 follows from the 15.6% growth rate,
  2021 is the geometric middle, 2023 (to 31 July) is 0.6 × 2022 and the 2019 carry-in row takes the rest;
  the same per city page with its own growth rate. PCT: the unassigned bar labels 0.27 and 0.32 (图表2.9)
  are used as the 2020 and 2021 means; 787 firms (2404 − 1617) file their first PCT applications in 2023.
* **Listings.** No dual listings on the city pages; 2 firms outside them are listed in Hong Kong and on an
  A-share board; 港交所 elsewhere: 长三角 2, 粤港澳 1, rest 1; 新加坡 1 (rest of the country). 新三板
  quotations outside the city pages (not published): 京津冀 20, 长三角 150, 粤港澳 35, rest 240.
* **Per-firm values** are seeded lognormal draws scaled to the group totals; employees are lognormal with
  mean exactly 251 (参保人数). Nothing else about the distributions is published.

## Screening attributes (optional columns, invented)

`firms.csv` also has the optional columns the MIIT tier criteria test (`data/firm_schema.yml`, after
`overseas_markets`; screened by `helpers.screening` and chapter 06). **Nothing about them is published for
these firms: every value is a synthetic draw**, from its own random stream (seed, 12), so the columns above
keep every byte they had before these were added. About 3% of the cells of each column are empty (not
recorded; 15% of `digital_level`, 20% of `local_feature_points`): the screening counts them as cannot be
decided, never as passed or failed.

| column | unit | how it is drawn |
|---|---|---|
| `revenue` | 万元 | employees × 80万元 × lognormal(0, 0.5) |
| `rd_share`, `rd_expense` | share, 万元 | share lognormal, median 5.5% (0.5%–50%); spending = revenue × share |
| `rd_expense_2y_mean` | 万元 | last year's spending × uniform(0.8, 1) |
| `main_revenue_share` | share | 1 − beta(1.2, 12) (mean ≈ 91%) |
| `main_revenue_growth`, `main_revenue_growth_2y` | rate | normal(14%, 18%); the 2-year mean 0.6 × that + normal(5%, 8%) |
| `net_profit_margin`, `debt_ratio`, `rd_staff_share` | rate, share | normal(9%, 6%); beta(4, 6) (mean 40%); beta(3, 14) (mean 18%) |
| `niche_years` | 年 | lognormal, median 10 years, 1–40, whole years |
| `equity_financing_3y`, `equity_financing_2y` | 万元 | 0 unless `primary_market_financing`; then lognormal (median 5000万元); 2 years = 3 years × uniform(0.4, 1) |
| `market_share`, `market_rank` | share, 名 | beta(3, 10) (mean 23%); rank ≈ 0.35 / share (1–20) |
| `provincial_award_rank`, `national_award_rank` | 名 | for the 35% with `sci_award_3y`: 70% a provincial rank 1–8, 15% a national rank 1–10; else empty |
| `local_feature_points` | 分 | whole points 6–15 |
| yes/no columns | | true with: `honours_valid` 93%, `well_known` 92%, `iso9001` 95%, `own_brand` 85%, `strategic_emerging_industry` 80%, `standards_participation` 60%, `quality_award_provincial` 25%, `maker_china_top500` 6% |
| `ip_class` | | Ⅰ类高价值 35%, 自主研发Ⅰ类 40%, Ⅰ类 15%, Ⅱ类 8%, 无 2% |
| `main_product_role` | | 补短板锻长板填空白 45%, 六基老字号龙头配套 30%, 其他 25% |
| `digital_level` | | 三级以上 30%, 二级 50%, 一级 20% |
| `rd_institution_level`, `rd_institution_provincial` | | 国家级 12%, 省级 55%, 市级 20%, 市级以下 5%, 未建立 8%; provincial or above = 国家级 or 省级 |

The columns the 2026 measures test come last, from a stream of their own (seed, 21), so every column
above keeps its bytes; they follow from the columns above where they can (about 3% of cells empty):

| column | unit | how it is drawn |
|---|---|---|
| `rd_expense_prior`, `rd_share_prior` | 万元, share | the year before last: 2 × `rd_expense_2y_mean` − `rd_expense`; its share of that year's revenue (`revenue` / (1 + `main_revenue_growth`)) |
| `revenue_cagr_2y` | rate | `main_revenue_growth_2y` + normal(0, 3%) |
| `net_profit_growth_2y` | rate | normal(8%, 20%) |
| `class1_ip_count` | 项 | 0 when `ip_class` is Ⅱ类 or 无, else 1 + Poisson(4) |
"""


def write(folder: Path, seed: int = SEED) -> dict[str, Path]:
    """Generate the sample into `folder`; returns the written paths."""
    folder = Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    generator = Generator(seed)
    tables = generator.build()
    firms = tables["firms"].sort_values("firm_id", kind="stable")
    drawn = screening_attributes(firms, seed)
    firms = pd.concat([firms, drawn, screening_2026_attributes(firms, drawn, seed)], axis=1)
    patents = tables["patents"].sort_values(["firm_id", "year"], kind="stable")
    board_order = {b: i for i, b in enumerate(generator.boards["board"])}
    listings = tables["listings"].assign(order=tables["listings"]["board"].map(board_order))
    listings = listings.sort_values(["firm_id", "order"], kind="stable")
    outputs = {
        "firms.csv": csv_bytes(firms, FIRMS_COLUMNS),
        "patents.csv": csv_bytes(patents, PATENTS_COLUMNS),
        "listings.csv": csv_bytes(listings, LISTINGS_COLUMNS),
        "SYNTHETIC": SYNTHETIC_TEXT.encode("utf-8"),
        "README.md": README_TEMPLATE.encode("utf-8"),
    }
    paths = {}
    for name, content in outputs.items():
        path = folder / name
        path.write_bytes(content)
        paths[name] = path
    return paths


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m tools.sample_data", description=__doc__.split("\n\n")[0]
    )
    parser.add_argument(
        "folder", nargs="?", default=str(SAMPLE_DIR), help="output folder (default data/sample)"
    )
    parser.add_argument("--seed", type=int, default=SEED, help=f"random seed (default {SEED})")
    args = parser.parse_args(argv)
    started = time.perf_counter()
    paths = write(Path(args.folder), args.seed)
    seconds = time.perf_counter() - started
    for path in paths.values():
        print(f"{display_path(path)}  {path.stat().st_size:,} bytes")
    print(f"generated in {seconds:.1f} s")
    return 0


if __name__ == "__main__":
    sys.exit(main())
