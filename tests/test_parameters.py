"""Build parameters mean what they say: checked before any kernel starts, one line naming the
parameter, the value and what would be valid."""

import subprocess
import sys
from pathlib import Path

import pytest

from helpers import parameters
from helpers.parameters import ParameterError, validate
from helpers.report import labels
from helpers.workflow.editions import edition_id, slug

REPO = Path(__file__).parents[1]


def test_defaults_are_valid_and_normalised():
    checked = validate()
    assert checked["data_dir"] == "data/published"
    assert checked["data_path"] == (REPO / "data" / "published").resolve()
    assert checked["kind"] == "published" and checked["synthetic"] is False
    assert (checked["language"], checked["cutoff"]) == ("zh", "2023-07-31")


def test_the_sample_is_firm_level_and_synthetic():
    checked = validate("data/sample", "en", "2023-07-31")
    assert checked["kind"] == "firm-level" and checked["synthetic"] is True


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        (
            {"cutoff": "notadate"},
            "CUTOFF=notadate: not a date; expected YYYY-MM-DD, e.g. 2023-07-31",
        ),
        ({"cutoff": "2023-7-31"}, "CUTOFF=2023-7-31: not a date; expected YYYY-MM-DD"),
        ({"cutoff": "2023-13-45"}, "CUTOFF=2023-13-45: not a real date"),
        ({"cutoff": "2023-02-29"}, "CUTOFF=2023-02-29: not a real date"),
        ({"language": "fr"}, "LANGUAGE=fr: unknown language; valid: zh, en"),
        ({"data_dir": "nope"}, "DATA_DIR=nope: folder not found"),
        ({"data_dir": "README.md"}, "DATA_DIR=README.md: not a folder"),
        (
            {"data_dir": "data/reference"},
            "DATA_DIR=data/reference: neither published tables (catalog_*.yml) nor a firm-level "
            "export (firms.csv|xlsx|parquet)",
        ),
        (
            {"colour": "north"},
            "COLOUR=north: unknown parameter; known: DATA_DIR, LANGUAGE, CUTOFF, REGION",
        ),
    ],
)
def test_a_bad_value_is_named_with_what_would_be_valid(kwargs, message):
    with pytest.raises(ParameterError) as caught:
        validate(**kwargs)
    assert str(caught.value).startswith(message)
    assert "\n" not in str(caught.value)
    assert isinstance(caught.value, ValueError)


def test_a_leap_day_is_a_date():
    assert validate(cutoff="2024-02-29")["cutoff"] == "2024-02-29"


def test_a_firm_level_export_anywhere_is_accepted(tmp_path):
    (tmp_path / "firms.csv").write_text("firm_id\nA\n", encoding="utf-8")
    checked = validate(str(tmp_path))
    assert checked["kind"] == "firm-level" and checked["synthetic"] is False


def test_languages_are_the_label_editions():
    assert parameters.LANGUAGES == labels.LANGUAGES


def test_the_module_stays_light():
    code = (
        "import sys, helpers.parameters as p; p.validate();"
        "heavy = {'yaml', 'pandas', 'numpy', 'jinja2'} & set(sys.modules); assert not heavy, heavy"
    )
    subprocess.run([sys.executable, "-c", code], check=True, cwd=REPO)


@pytest.mark.parametrize(
    ("data_dir", "language", "edition"),
    [
        ("data/published", "zh", "zh"),
        ("./data/published", "en", "en"),
        ("data/sample", "zh", "sample-zh"),
        ("data/sample", "en", "sample-en"),
    ],
)
def test_edition_names(data_dir, language, edition):
    assert edition_id(REPO / data_dir, language) == edition


def test_other_folders_are_named_by_an_ascii_slug(tmp_path):
    assert edition_id(tmp_path / "My Firms 2023", "zh") == "my-firms-2023-zh"
    assert slug("企业 Export_v2") == "export-v2"
    chinese = edition_id(tmp_path / "企业数据", "en")
    assert chinese.startswith("data-") and chinese.endswith("-en") and chinese.isascii()
    # Another folder called "sample" is not data/sample's edition.
    assert edition_id(tmp_path / "sample", "zh") not in {"sample-zh", "zh"}


def make(*args: str, tmp: Path) -> subprocess.CompletedProcess:
    return subprocess.run(
        ["make", "--no-print-directory", *args, f"BUILD={tmp / 'build'}", f"REPORTS={tmp / 'r'}"],
        cwd=REPO,
        capture_output=True,
        text=True,
    )


@pytest.mark.parametrize(
    ("setting", "expected"),
    [
        ("CUTOFF=notadate", "CUTOFF=notadate: not a date; expected YYYY-MM-DD, e.g. 2023-07-31"),
        ("CUTOFF=2023-13-45", "CUTOFF=2023-13-45: not a real date"),
        ("LANGUAGE=fr", "LANGUAGE=fr: unknown language; valid: zh, en"),
        ("DATA_DIR=nope", "DATA_DIR=nope: folder not found"),
    ],
)
def test_make_report_stops_in_one_line_before_any_chapter(setting, expected, tmp_path):
    result = make("report", setting, tmp=tmp_path)
    # stopped before any step ran: nothing built, no notebook executed
    assert not list((tmp_path / "build").rglob("*.ipynb"))
    assert "helpers.workflow documents" not in result.stdout
    assert result.returncode != 0
    assert expected in result.stderr
    assert "Traceback" not in result.stderr + result.stdout
    assert "helpers.workflow chapter" not in result.stdout  # stopped at the first step
    assert not (tmp_path / "r").exists()


def test_the_chapter_step_validates_too(tmp_path):
    result = subprocess.run(
        [
            sys.executable,
            "-m",
            "helpers.workflow",
            "chapter",
            "--notebook",
            "notebooks/01_cultivation.ipynb",
            "--build",
            str(tmp_path),
            "--cutoff",
            "2023-13-45",
        ],
        cwd=REPO,
        capture_output=True,
        text=True,
    )
    assert result.returncode == 1
    assert result.stderr.strip().startswith("CUTOFF=2023-13-45: not a real date")
    assert "Traceback" not in result.stderr
    assert not (tmp_path / "zh").exists()
