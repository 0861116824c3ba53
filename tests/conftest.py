"""Shared end-to-end builds: each edition (data source × language) is built once per test
session, into one reports/ folder, and reused by every test that reads it."""

import subprocess
from pathlib import Path

import pytest

REPO = Path(__file__).parents[1]


def make_report(tmp: Path, name: str, data_dir: str = "data/published", **extra):
    """`make -j2 report` into tmp/name/{build,reports}; returns the result and reports/."""
    reports = tmp / name / "reports"
    # One profile exercises the fan-out; all 47 are timed by `make benchmark`, not by the tests.
    extra.setdefault("REGIONS", "beijing")
    args = [
        "make",
        "-j2",
        "--no-print-directory",
        "report",
        f"DATA_DIR={data_dir}",
        f"BUILD={tmp / name / 'build'}",
        f"REPORTS={reports}",
        *[f"{k}={v}" for k, v in extra.items()],
    ]
    result = subprocess.run(args, cwd=REPO, capture_output=True, text=True)
    return result, reports


@pytest.fixture(scope="session")
def editions(tmp_path_factory):
    """`editions(data_dir, language)` → the shared reports/ folder with that edition built."""
    tmp = tmp_path_factory.mktemp("editions")
    done: dict[tuple, Path] = {}

    def build(data_dir: str = "data/published", language: str = "zh", regions: str = "beijing"):
        key = (data_dir, language, regions)
        if key not in done:
            result, reports = make_report(
                tmp, "shared", data_dir, LANGUAGE=language, REGIONS=regions
            )
            assert result.returncode == 0, result.stdout + result.stderr
            done[key] = reports
        return done[key]

    return build


def assert_same_outputs(first: dict, second: dict, pdf_pages) -> list[str]:
    """Every output byte-identical, except PDFs whose bytes differ (with the same page count):
    those are returned, and the caller marks the test xfail at its end, so the difference shows
    in every run. Seen on fresh clones only: the first build's PDFs draw “2023” after “vs” with
    the font's ordinary digits, later builds with alternate glyphs (text extraction then reads
    “˱˯˱˲”); HTML, PNG, SVG, CSV and XLSX stay identical. Tracked in issue 10."""
    assert sorted(first) == sorted(second)
    different = [name for name in first if first[name] != second[name]]
    not_pdf = [str(name) for name in different if not str(name).endswith(".pdf")]
    assert not_pdf == []
    for name in different:
        assert pdf_pages(first[name]) == pdf_pages(second[name]), name
    return sorted(map(str, different))
