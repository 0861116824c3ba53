"""README's "Adding a chapter", followed to the letter in a copy of the project: a new chapter
with one chart, one sentence and one statistic, touching only the notebook, pipeline.yml, the
statistics declaration and one label-file pair, built in both languages."""

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pandas as pd
import pytest

REPO = Path(__file__).parents[1]
pytestmark = pytest.mark.build

NOTEBOOK_CELLS = [
    (
        ["parameters"],
        'data_dir = "data/published"\noutput_dir = "build/lab/reports"\nlanguage = "zh"\n'
        'cutoff = "2023-07-31"',
    ),
    (
        [],
        "from helpers.report import charts\nfrom helpers.report.chapter import Chapter\n\n"
        'ch = Chapter("07_demo", data_dir=data_dir, output_dir=output_dir, language=language, '
        "cutoff=cutoff)\n"
        'ch.heading("ch07.title")',
    ),
    (
        [],
        'batches = ch.table("cultivation_batches")\n'
        'total = ch.record("batches.announced_total", batches["announced"].sum(), source=batches)\n'
        "figure = charts.bar_chart(\n"
        '    batches.assign(batch=batches["batch"].map(ch.name)), "batch", "announced", '
        "sort=False\n)\n"
        'ch.figure(figure, "fig7_1_announced", "ch07.fig_7_1", '
        'ch.source_line("cultivation_batches"), data=batches[["batch", "announced"]], '
        'total=ch.fmt(total, "家"))',
    ),
]
LABELS = {
    "zh": {
        "ch07": {
            "title": "七、示例章节",
            "stats": {"announced_total": "各批公示企业合计"},
            "fig_7_1": {"title": "各批公示企业数", "reading": "各批合计公示{total}家企业。"},
        }
    },
    "en": {
        "ch07": {
            "title": "7. A demonstration chapter",
            "stats": {"announced_total": "Firms announced, all batches"},
            "fig_7_1": {
                "title": "Firms announced per batch",
                "reading": "{total} firms were announced in all.",
            },
        }
    },
}


def copy_of_the_project(root: Path) -> Path:
    """What a build reads, copied: notebooks, data (without the sample), label files."""
    for part in ("notebooks", "data/published", "data/reference"):
        shutil.copytree(REPO / part, root / part)
    shutil.copy(REPO / "data" / "firm_schema.yml", root / "data" / "firm_schema.yml")
    shutil.copy(REPO / "requirements.txt", root / "requirements.txt")
    labels = Path("src") / "helpers" / "report" / "labels"
    shutil.copytree(REPO / labels, root / labels)
    return root


def follow_the_recipe(root: Path) -> None:
    """The four things the README says to write, and nothing else."""
    cells = [
        {
            "cell_type": "code",
            "execution_count": None,
            "id": f"c{index}",
            "metadata": {"tags": tags},
            "outputs": [],
            "source": source,
        }
        for index, (tags, source) in enumerate(NOTEBOOK_CELLS)
    ]
    # "Copy notebooks/01_cultivation.ipynb … keep the parameters cell": its metadata, our cells
    notebook = json.loads((root / "notebooks" / "01_cultivation.ipynb").read_text("utf-8"))
    notebook["cells"] = cells
    (root / "notebooks" / "07_demo.ipynb").write_text(json.dumps(notebook), encoding="utf-8")
    with (root / "notebooks" / "pipeline.yml").open("a", encoding="utf-8") as pipeline:
        pipeline.write("\n07_demo:\n  tables:\n    - cultivation_batches\n")
    (root / "notebooks" / "statistics" / "07_demo.yml").write_text(
        "batches.announced_total: {unit: 家, label: ch07.stats.announced_total}\n",
        encoding="utf-8",
    )
    import yaml

    for language, words in LABELS.items():
        path = root / "src" / "helpers" / "report" / "labels" / f"ch07.{language}.yml"
        path.write_text(yaml.safe_dump(words, allow_unicode=True), encoding="utf-8")


@pytest.mark.parametrize("language", ["zh", "en"])
def test_a_new_chapter_builds_from_the_recipe(tmp_path, language):
    root = follow_the_recipe_once(tmp_path)
    env = {**os.environ, "WORKBENCH_ROOT": str(root)}
    command = [sys.executable, "-m", "helpers.workflow", "documents"]
    result = subprocess.run(
        [
            *command,
            *("--build", str(root / "build"), "--data-dir", "data/published"),
            *("--language", language, "--chapters", "07_demo", "--regions", "none"),
        ],
        cwd=root,
        env=env,
        capture_output=True,
        text=True,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    staging = root / "build" / language / "reports"
    statistics = pd.read_csv(staging / "statistics" / "07_demo.csv")
    assert statistics["key"].tolist() == ["07_demo.batches.announced_total"]
    assert statistics["value"].tolist() == [12950]
    page = (staging / "html" / "07_demo.html").read_text(encoding="utf-8")
    sentence = {"zh": "各批合计公示12,950家企业。", "en": "12,950 firms were announced in all."}
    assert sentence[language] in page
    assert (staging / "pdf" / "07_demo.pdf").stat().st_size > 0
    assert sorted(p.name for p in (staging / "figures").glob("07_demo_*")) == [
        "07_demo_fig7_1_announced.png",
        "07_demo_fig7_1_announced.svg",
    ]
    assert sorted(p.name for p in (staging / "tables").glob("07_demo_fig7_1_*")) == [
        "07_demo_fig7_1_announced.csv",  # the numbers it draws, beside it
        "07_demo_fig7_1_announced.xlsx",
    ]


def follow_the_recipe_once(tmp_path: Path) -> Path:
    root = copy_of_the_project(tmp_path / "project")
    follow_the_recipe(root)
    return root
