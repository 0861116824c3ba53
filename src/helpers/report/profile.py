"""One region's profile (notebooks/profile.ipynb): what a PatSnap 2023 city page shows — firm
count and national rank, listings by board, patent applications by industry field, the eight
per-firm metrics against the national average — plus the batch and industry mix and the share
of the nation and of the province, for any province or city.

With published tables a region gets what is published for it (counts for the 31 provinces and the
cities of 图表3.3, everything for the five city pages) and the profile says what is not; with
firm-level data every region gets every table (region_metrics, region_breakdowns)."""

from __future__ import annotations

from dataclasses import dataclass, field

import pandas as pd

from helpers import stats
from helpers.data import reference
from helpers.pipeline import PROFILE_TABLES
from helpers.report.chapter import Chapter
from helpers.stats import regions

PARTS = ("boards", "fields", "metrics", "batches", "industries")
# The firm-level table that needs the same inputs as a part (region_breakdowns gives a part only
# when the folder has them): what it lacks is what the part's placeholder names.
PART_INPUTS_OF = {
    "boards": "city_capital_markets",
    "fields": "city_field_patents",
    "metrics": "region_metrics",
    "industries": "industry_fields",
}


def region_slug(region: str) -> str:
    """ASCII slug of a canonical region name from its English name: 江苏省 -> jiangsu."""
    from helpers.report import words
    from helpers.report.labels import translate

    return words.slug(translate(region, "en"))


class ProfileChapter(Chapter):
    """A Chapter whose declared tables are PROFILE_TABLES (not notebooks/pipeline.yml)."""

    def table(self, name: str) -> pd.DataFrame:
        if name not in PROFILE_TABLES:
            raise KeyError(f"profile reads table '{name}', which PROFILE_TABLES does not declare")
        frame = self.source.table(name)
        self.provenance[name] = dict(frame.attrs)
        return frame

    def optional_table(self, name: str) -> pd.DataFrame | None:
        return self.table(name) if self.source.provides(name) else None


def lacking_inputs(ch: Chapter, part: str) -> list[str]:
    """The inputs a firm-level folder lacks for a part of the profile (patents, listings,
    firms.<column>); [] with published tables (a region is then missing what is not published
    for it) or when the folder has them."""
    table = PART_INPUTS_OF.get(part)
    return ch.lacking(table) if table else []


def open_profile(region, data_dir, output_dir, language, cutoff) -> tuple[ProfileChapter, dict]:
    """The profile's Chapter (notebook id profile_<slug>) and the validated region."""
    from helpers.parameters import validate

    checked = validate(data_dir=data_dir, language=language, cutoff=cutoff, region=region)
    slug = region_slug(checked["region"])
    ch = ProfileChapter(
        f"profile_{slug}",
        data_dir=data_dir,
        output_dir=output_dir,
        language=language,
        cutoff=cutoff,
    )
    return ch, {**checked, "slug": slug}


@dataclass
class RegionProfile:
    region: str
    level: str  # province or city (a municipality is a province that is also a city)
    is_city: bool
    province: str
    firms: int
    firms_rows: pd.DataFrame
    rank: int
    rank_of: int
    national_total: int
    national_rows: pd.DataFrame
    province_firms: int | None = None
    province_rows: pd.DataFrame | None = None
    parts: dict[str, pd.DataFrame] = field(default_factory=dict)

    @property
    def small(self) -> bool:
        return self.firms < regions.SMALL_REGION_FIRMS

    @property
    def share_of_nation(self) -> float:
        return float(stats.share(self.firms, self.national_total))

    @property
    def share_of_province(self) -> float | None:
        if self.province_firms is None or self.province == self.region:
            return None
        return float(stats.share(self.firms, self.province_firms))

    def missing(self) -> list[str]:
        return [p for p in PARTS if p not in self.parts]


def _counts(tables: dict, level: str) -> pd.DataFrame | None:
    """Firm counts (name, firms, provenance) of every region of a level."""
    metrics = tables.get("region_metrics")
    if metrics is not None:
        rows = metrics[(metrics["level"] == level) & (metrics["metric"] == "firms")]
        return rows.rename(columns={"region": "name", "value": "firms"})
    table = tables["firms_by_province" if level == "province" else "firms_by_city"]
    return table.rename(columns={level: "name"})


def gather(tables: dict[str, pd.DataFrame | None], region: str, level: str) -> RegionProfile:
    """Everything the data has on `region` (canonical name, level from helpers.parameters)."""
    cities = reference.table("cities").set_index("city")["province"]
    is_city = region in cities.index
    province = cities[region] if is_city else region
    own_level = "province" if level == "province" else "city"
    counts = _counts(tables, own_level)
    provinces = _counts(tables, "province")
    rows = counts[counts["name"] == region]
    if rows.empty:
        raise LookupError(f"{region}: no firm count in the data ({own_level} table)")
    firms = int(rows["firms"].iloc[0])
    ranks = stats.rank(counts["firms"].astype(float).reset_index(drop=True))
    rank = int(ranks[counts["name"].reset_index(drop=True) == region].iloc[0])
    province_rows = provinces[provinces["name"] == province]
    profile = RegionProfile(
        region=region,
        level=own_level,
        is_city=is_city,
        province=province,
        firms=firms,
        firms_rows=rows,
        rank=rank,
        rank_of=len(counts),
        national_total=int(provinces["firms"].sum()),
        national_rows=provinces,
        province_firms=int(province_rows["firms"].iloc[0]) if len(province_rows) else None,
        province_rows=province_rows,
    )
    metrics, breakdowns = tables.get("region_metrics"), tables.get("region_breakdowns")
    if metrics is not None:
        mine = metrics[(metrics["level"] == own_level) & (metrics["region"] == region)]
        profile.parts["metrics"] = regions.metrics_vs_national(mine, firms)
    elif is_city and tables.get("city_metrics") is not None:
        mine = tables["city_metrics"][tables["city_metrics"]["city"] == region]
        if len(mine):
            profile.parts["metrics"] = regions.metrics_vs_national(mine, firms)
    if breakdowns is not None:
        mine = breakdowns[(breakdowns["level"] == own_level) & (breakdowns["region"] == region)]
        for part, dimension in (
            ("boards", "board"),
            ("batches", "batch"),
            ("industries", "industry_field"),
        ):
            rows = mine[mine["dimension"] == dimension]
            if len(rows):
                profile.parts[part] = rows.rename(columns={"category": dimension}).reset_index(
                    drop=True
                )
        # patent applications by field need patents (without, the column is empty)
        fields = mine[(mine["dimension"] == "industry_field") & mine["patent_applications"].notna()]
        if len(fields):
            profile.parts["fields"] = fields.rename(columns={"category": "field"})[
                ["field", "patent_applications", "source_doc", "source_id", "inferred", "note"]
            ].reset_index(drop=True)
    elif is_city:
        boards = tables.get("city_capital_markets")
        if boards is not None and (boards["city"] == region).any():
            profile.parts["boards"] = boards[boards["city"] == region].reset_index(drop=True)
        fields = tables.get("city_field_patents")
        if fields is not None and (fields["city"] == region).any():
            profile.parts["fields"] = fields[fields["city"] == region].reset_index(drop=True)
    if "fields" in profile.parts:
        frame = profile.parts["fields"].copy()
        frame["patent_applications"] = frame["patent_applications"].astype(float)
        total = frame["patent_applications"].sum()
        frame["share"] = frame["patent_applications"] / total if total > 0 else float("nan")
        profile.parts["fields"] = frame.sort_values(
            "patent_applications", ascending=False, kind="stable"
        ).reset_index(drop=True)
    return profile
