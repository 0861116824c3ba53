"""One region's profile (notebooks/profile.ipynb): its Chapter (notebook id profile_<slug>, keys
declared once for every region in notebooks/statistics/profile.yml) and which inputs a firm-level
folder lacks for a part. What the profile computes is helpers.stats.profile; what it draws and
says, helpers.report.chapters.profile.

With published tables a region gets what is published for it (counts for the 31 provinces and the
cities of 图表3.3, everything for the five city pages) and the profile says what is not; with
firm-level data every region gets every table (region_metrics, region_breakdowns)."""

from __future__ import annotations

import pandas as pd

from helpers.pipeline import PROFILE_TABLES
from helpers.report.chapter import Chapter
from helpers.stats.profile import RegionProfile

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

    def tables(self) -> dict[str, pd.DataFrame | None]:
        """Every table of PROFILE_TABLES by name, None where the data source lacks it."""
        return {name: self.optional_table(name) for name in PROFILE_TABLES}


def lacking_inputs(ch: Chapter, part: str) -> list[str]:
    """The inputs a firm-level folder lacks for a part of the profile (patents, listings,
    firms.<column>); [] with published tables (a region is then missing what is not published
    for it) or when the folder has them."""
    table = PART_INPUTS_OF.get(part)
    return ch.lacking(table) if table else []


def unpublished_parts(ch: Chapter, profile: RegionProfile) -> list[str]:
    """The parts the data has nothing on for the region though no input lacks for them (with
    published tables: what is not published for it); a part a firm-level folder lacks the inputs
    for gets a placeholder in its place instead."""
    return [part for part in profile.missing() if not lacking_inputs(ch, part)]


def open_profile(region, data_dir, output_dir, language, cutoff) -> tuple[ProfileChapter, dict]:
    """The profile's Chapter and the validated region: its files are named by the region's
    page (profile_<slug>: profile_jiangsu), its statistics keys by the region's fixed id
    (profile_320000.firms: helpers.data.ids), so no key follows a name a reader sees."""
    from helpers.data.ids import category_id
    from helpers.parameters import validate

    checked = validate(data_dir=data_dir, language=language, cutoff=cutoff, region=region)
    slug = region_slug(checked["region"])
    ch = ProfileChapter(
        f"profile_{slug}",
        data_dir=data_dir,
        output_dir=output_dir,
        language=language,
        cutoff=cutoff,
        key_prefix=f"profile_{category_id(checked['region'])}",
    )
    return ch, {**checked, "slug": slug}
