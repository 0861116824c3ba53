"""Issue 20's measure: every province's profile built from data/published shows at least two
charts and eight recorded figures, and so does a city's; the profile's sections come in the
same order for every region; the smallest provinces read sensibly (no note on averages where
none is shown, no rank among one, no multiple of a base under the threshold). The notebook's
code cells run in this process, one region after another (as the build's warm kernels do),
which takes a few seconds a region instead of a kernel's start each."""

from __future__ import annotations

import json
import os
from pathlib import Path

import matplotlib
import pandas as pd
import pytest

from helpers.data import reference

REPO = Path(__file__).resolve().parents[1]
NOTEBOOK = REPO / "notebooks" / "profile.ipynb"
SECTIONS = ("scale", "cities", "region", "growth", "financing")


def code_cells() -> list[str]:
    cells = json.loads(NOTEBOOK.read_text(encoding="utf-8"))["cells"]
    return ["".join(c["source"]) for c in cells if c["cell_type"] == "code"]


def run(region: str, output: Path, language: str = "zh", data_dir: str = "data/published"):
    """The profile notebook's cells for `region` (its parameters cell replaced), in this
    process; the texts it shows, its statistics and its figures' files."""
    from IPython import display as ipython_display

    shown: list[str] = []
    original = ipython_display.display
    ipython_display.display = lambda *objects, **_: shown.extend(
        o.data for o in objects if isinstance(getattr(o, "data", None), str)
    )
    cwd = os.getcwd()
    os.chdir(REPO / "notebooks")
    try:
        namespace = {
            "region": region,
            "data_dir": data_dir,
            "output_dir": str(output),
            "language": language,
            "cutoff": "2023-07-31",
        }
        for source in code_cells()[1:]:  # the first is the parameters cell
            exec(compile(source, str(NOTEBOOK), "exec"), namespace)
        matplotlib.pyplot.close("all")
    finally:
        os.chdir(cwd)
        ipython_display.display = original
    slug = namespace["checked"]["slug"]
    statistics = pd.read_csv(output / "statistics" / f"profile_{slug}.csv", dtype=str)
    figures = sorted((output / "figures").glob(f"profile_{slug}_*.png"))
    return shown, statistics, figures


@pytest.mark.build
@pytest.mark.edition  # 32 profiles
def test_every_province_and_a_city_show_two_charts_and_eight_figures(tmp_path):
    from helpers.report.labels import label

    regions = [*reference.values("provinces", "province"), "宁波市"]
    sections = [f"<h2>{label(f'profile.sections.{s}', 'zh')}</h2>" for s in SECTIONS]
    thin, out_of_order = {}, []
    for region in regions:
        shown, statistics, figures = run(region, tmp_path / region)
        if len(figures) < 2 or len(statistics) < 8:
            thin[region] = (len(figures), len(statistics))
        headings = [text.strip() for text in shown if "<h2" in text]
        if headings[: len(SECTIONS)] != sections:
            out_of_order.append((region, headings))
    assert not thin, f"profiles with fewer than two charts or eight figures: {thin}"
    assert not out_of_order  # the five sections every profile has, in the same order


@pytest.mark.build
@pytest.mark.parametrize("language", ["zh", "en"])
def test_the_smallest_provinces_read_sensibly(tmp_path, language):
    for region in ("西藏自治区", "青海省", "海南省"):
        shown, statistics, _ = run(region, tmp_path / region / language, language)
        text = "\n".join(shown)
        # no note on averages on a page that shows none, no multiple of a tiny base
        assert "平均数受个别企业影响" not in text and "depend heavily on single firms" not in text
        assert not statistics["key"].str.endswith(".multiple_of_mean").any()
        assert not statistics["key"].str.endswith(".growth.province.growth").any()
        # what the data lacks is said once, at the end
        lacks = [t for t in shown if "公开数据中没有" in t or "The published data has none" in t]
        assert len(lacks) == 1 and shown[-1] == lacks[0]
