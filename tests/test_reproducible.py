"""Byte-identical across checkouts: two copies of the tracked files at different paths build
the same chapter (published and firm-level data) into identical HTML, PDF, PNG, SVG, CSV and
XLSX files — no absolute path, time or random id reaches an output, and neither do the languages
or the time zone of the environment (the second build runs as on a Chinese desktop)."""

import hashlib
import os
import shutil
import subprocess
from pathlib import Path

import pytest

from tests.conftest import chapter_command

REPO = Path(__file__).parents[1]
pytestmark = [pytest.mark.build, pytest.mark.edition]  # two whole builds


def copy_checkout(target: Path) -> Path:
    files = (
        subprocess.run(["git", "ls-files", "-z"], cwd=REPO, capture_output=True, check=True)
        .stdout.decode()
        .split("\0")
    )
    for name in filter(None, files):
        source = REPO / name
        if source.is_file():
            (target / name).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(source, target / name)
    return target


# Another machine's settings. LANGUAGE once chose the digits Pango drew after "vs" in a zh-CN PDF.
ELSEWHERE = {"LANGUAGE": "zh_CN:zh", "TZ": "Asia/Shanghai"}


def build(checkout: Path, data_dir: str, **settings: str) -> dict[str, str]:
    env = {**os.environ, "PYTHONPATH": f"{checkout / 'src'}{os.pathsep}{checkout}", **settings}
    for notebook in ("01_cultivation", "02_innovation"):
        result = subprocess.run(
            chapter_command(notebook, data_dir, "build"),
            cwd=checkout,
            env=env,
            capture_output=True,
            text=True,
        )
        assert result.returncode == 0, result.stdout + result.stderr
    edition = "zh" if data_dir == "data/published" else "sample-zh"
    reports = checkout / "build" / edition / "reports"
    return {
        str(p.relative_to(reports)): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(reports.rglob("*"))
        if p.is_file()
    }


@pytest.mark.parametrize("data_dir", ["data/published", "data/sample"])
def test_two_checkouts_at_different_paths_give_identical_files(tmp_path, data_dir):
    # The second copy is made from the first before either builds: the same sources even while
    # someone edits the working tree.
    first_checkout = copy_checkout(tmp_path / "a")
    second_checkout = tmp_path / "a much longer path" / "b"
    shutil.copytree(first_checkout, second_checkout)
    first = build(first_checkout, data_dir)
    second = build(second_checkout, data_dir, **ELSEWHERE)
    assert {Path(name).suffix for name in first} >= {
        ".html",
        ".pdf",
        ".png",
        ".svg",
        ".csv",
        ".xlsx",
    }
    assert first == second
