"""The conventions a user expects of the repository and its build (issue 22, item 6): a licence
for the code and a note on whose the data is, a citation file the Citation File Format's schema
accepts, `make lab` as root with options of the user's, the edition's language never taken from
the system's LANGUAGE, a venv step that says what it does, and a build summary in headed
sections."""

from __future__ import annotations

import json
import os
import re
import shlex
import subprocess
import sys
from pathlib import Path

import jsonschema
import pytest
import yaml

REPO = Path(__file__).parents[1]
CFF_SCHEMA = Path(__file__).parent / "schemas" / "citation-cff-1.2.0.schema.json"


# Licence and citation.


def test_the_code_has_an_mit_licence_that_leaves_the_figures_to_their_publishers():
    text = (REPO / "LICENSE").read_text(encoding="utf-8")
    assert text.startswith("MIT License\n")
    assert "Permission is hereby granted, free of charge" in text
    assert "data/LICENSE-NOTES.md" in text
    notes = (REPO / "data" / "LICENSE-NOTES.md").read_text(encoding="utf-8")
    assert "belong to the publishers" in notes
    for publisher in ("上奇数字科技", "智慧芽", "经济日报", "中国电子报", "阿里云", "企知道"):
        assert publisher in notes, publisher
    for readme in (REPO / "README.md", REPO / "data" / "README.md"):
        assert "LICENSE-NOTES.md" in readme.read_text(encoding="utf-8"), readme


def citation_errors(citation: dict) -> list[str]:
    schema = json.loads(CFF_SCHEMA.read_text(encoding="utf-8"))
    validator = jsonschema.Draft7Validator(
        schema, format_checker=jsonschema.Draft7Validator.FORMAT_CHECKER
    )
    return [error.message for error in validator.iter_errors(citation)]


def read_citation() -> dict:
    return yaml.safe_load((REPO / "CITATION.cff").read_text(encoding="utf-8"))


def test_citation_cff_is_valid_citation_file_format():
    citation = read_citation()
    assert citation_errors(citation) == []
    assert citation["cff-version"] == "1.2.0"
    assert citation["license"] == "MIT"
    pyproject = (REPO / "pyproject.toml").read_text(encoding="utf-8")
    assert f'version = "{citation["version"]}"' in pyproject  # one version, said twice
    # the source documents are cited for their figures, each with its publisher
    assert len(citation["references"]) >= 5
    assert all(reference["authors"] for reference in citation["references"])


@pytest.mark.parametrize(
    ("change", "complaint"),
    [
        (lambda c: c.pop("authors"), "'authors' is a required property"),
        (lambda c: c.update(license="MIT-ish"), "is not valid under any of the given schemas"),
        (lambda c: c.update(colour="blue"), "Additional properties are not allowed"),
    ],
)
def test_the_schema_check_refuses_a_broken_citation(change, complaint):
    citation = read_citation()
    change(citation)
    assert any(complaint in message for message in citation_errors(citation))


# The end-of-build summary.


def staged_edition(folder: Path) -> Path:
    """A published-shaped edition of two chapters that both check the same printed figure
    (check_id batches:share) and find it disagreeing, and one figure each of their own."""
    for part in ("html", "pdf", "figures", "tables"):
        (folder / part).mkdir(parents=True)
    (folder / "html" / "01_a.html").write_text("<p>a</p>", encoding="utf-8")
    header = "source,item,stated,recomputed,difference,status,check_id\n"
    rows = {
        "01_a": "001 图表1.4,第一批 占比,0.126,0.1266,0.0006,mismatch,batches:share\n"
        "001 图表1.5,第二批 占比,0.2,0.2,0,ok,batches:share2\n",
        "02_b": "001 图表1.4,第一批占比（另一处）,0.126,0.1266,0.0006,mismatch,batches:share\n"
        "001 图表2.1,发明占比,0.5,0.504,0.004,rounding,patents:share\n",
    }
    for chapter, body in rows.items():
        path = folder / "tables" / f"{chapter}_reconciliation.csv"
        path.write_text(header + body, encoding="utf-8-sig")
    (folder / "statistics.csv").write_text(
        "key,value,unit\n01_a.share.batch_1,0.1266,share\n01_a.count,5,batches\n",
        encoding="utf-8",
    )
    return folder


def test_the_build_summary_has_headed_sections_and_each_disagreement_once(tmp_path, capsys):
    from helpers.workflow.publish import merge_reconciliations, print_summary

    edition = staged_edition(tmp_path / "zh")
    merge_reconciliations(edition, ["01_a", "02_b"])
    previous = "key,value,unit\n01_a.share.batch_1,0.1,share\n01_a.gone,1,firms\n"
    print_summary(edition, previous)
    lines = capsys.readouterr().out.splitlines()
    headings = [line for line in lines if not line.startswith("  ")]
    assert headings == [
        f"built: {edition}",
        "checks: the published figures against their parts",
        "changes: since the last build in this folder",
    ]
    assert lines[1:3] == ["  1 html, 0 pdf, 0 figures, 3 tables", "  statistics.csv: 2 numbers"]
    assert "  reconciliation: 1 ok, 1 rounding, 1 mismatch" in lines
    mismatches = [line for line in lines if line.startswith("  mismatch: ")]
    assert mismatches == [
        "  mismatch: 第一批 占比 (001 图表1.4): published 0.126, recomputed 0.1266"
    ]
    assert lines[-2:] == [
        "  1 numbers changed, 1 new, 1 gone",
        "  01_a.share.batch_1: 0.1 -> 0.1266",
    ]
    assert not [line for line in lines if " = " in line]  # no raw statistics lines


def test_the_first_build_says_there_is_nothing_to_compare(tmp_path, capsys):
    from helpers.workflow.publish import merge_reconciliations, print_summary

    edition = staged_edition(tmp_path / "zh")
    merge_reconciliations(edition, ["01_a", "02_b"])
    print_summary(edition)
    lines = capsys.readouterr().out.splitlines()
    assert lines[-2:] == [
        "changes: since the last build in this folder",
        "  none to compare: first build in this folder",
    ]


# The edition's language comes from make's command line, never from the system's LANGUAGE.

PROBE = """\
probe:
\t@echo "top $$ZJTX_LANGUAGE $${LANGUAGE-unset}"
\t@$(MAKE) --no-print-directory -f Makefile -f PROBE_FILE probe-sub
probe-sub:
\t@echo "sub $$ZJTX_LANGUAGE $${LANGUAGE-unset}"
"""


def probe_make(tmp_path: Path, *arguments: str, environment: dict) -> list[str]:
    """What a recipe of the Makefile and of its sub-make see: the edition's language
    (ZJTX_LANGUAGE) and LANGUAGE in their environment."""
    probe = tmp_path / "probe.mk"
    probe.write_text(PROBE.replace("PROBE_FILE", str(probe)), encoding="utf-8")
    env = {**os.environ, **environment}
    command = ["make", "--no-print-directory", "-f", "Makefile", "-f", str(probe), "probe"]
    result = subprocess.run(
        [*command, *arguments], cwd=REPO, env=env, capture_output=True, text=True, check=True
    )
    return result.stdout.splitlines()


@pytest.mark.parametrize("desktop", ["zh_CN:zh", "en", "fr_FR:fr"])
def test_the_environments_language_is_not_the_editions(tmp_path, desktop):
    """A desktop's LANGUAGE (gettext's) neither chooses the edition nor reaches a recipe or a
    sub-make; the edition is zh unless make's command line says otherwise."""
    seen = probe_make(tmp_path, environment={"LANGUAGE": desktop})
    assert seen == ["top zh unset", "sub zh unset"]
    seen = probe_make(tmp_path, "LANGUAGE=en", environment={"LANGUAGE": desktop})
    assert seen == ["top en unset", "sub en unset"]


def folders(tmp_path: Path) -> list[str]:
    return [f"BUILD={tmp_path / 'build'}", f"REPORTS={tmp_path / 'reports'}"]


def test_language_on_make_s_command_line_is_the_edition_s_and_checked(tmp_path):
    result = subprocess.run(
        ["make", "--no-print-directory", "report", "LANGUAGE=fr", *folders(tmp_path)],
        cwd=REPO,
        env={**os.environ, "LANGUAGE": "zh_CN:zh"},
        capture_output=True,
        text=True,
    )
    assert result.returncode != 0
    said = [line for line in result.stderr.splitlines() if "***" not in line]
    assert said == ["LANGUAGE=fr: unknown language; valid: zh, en"]
    assert not (tmp_path / "reports").exists()


# make lab: as root, with the user's options, printing the address.


def load_lab():
    from tools import lab

    return lab


@pytest.mark.parametrize(
    ("as_root", "options", "expected"),
    [
        (True, [], ["--allow-root"]),
        (False, [], []),
        (True, ["--allow-root", "--port", "8890"], ["--allow-root", "--port", "8890"]),
        (False, ["--no-browser"], ["--no-browser"]),
    ],
)
def test_lab_command_allows_root_and_takes_the_users_options(as_root, options, expected):
    lab = load_lab()
    command = lab.lab_command(options, as_root=as_root)
    assert command[1:4] == ["-m", "jupyterlab", "--notebook-dir=notebooks"]
    assert command[4:] == expected


def test_lab_options_are_split_as_a_shell_would_and_bad_quoting_is_one_line():
    lab = load_lab()
    assert lab.lab_options("--port 8890 --ServerApp.ip='0.0.0.0'") == [
        "--port",
        "8890",
        "--ServerApp.ip=0.0.0.0",
    ]
    with pytest.raises(SystemExit, match=r"^LAB_ARGS=--port '8: No closing quotation"):
        lab.lab_options("--port '8")


def test_lab_address_is_the_servers_with_its_token():
    lab = load_lab()
    server = {"url": "http://localhost:8890/", "token": "abc", "pid": 1}
    assert lab.address(server) == "http://localhost:8890/lab?token=abc"
    assert lab.address({"url": "http://127.0.0.1:8888/", "token": ""}) == (
        "http://127.0.0.1:8888/lab"
    )


def test_make_lab_hands_lab_args_to_the_command_as_data(tmp_path):
    """`make lab` run as root (the tests run as root here and in CI), dry-run: the command has
    --allow-root and LAB_ARGS's options, and a `$(shell …)` in LAB_ARGS is only text."""
    fake = tmp_path / "python"  # the venv's Python, asked for a dry run
    fake.write_text(f'#!/bin/sh\nexec {sys.executable} "$@" --dry-run\n', encoding="utf-8")
    fake.chmod(0o755)
    pwned = tmp_path / "pwned"
    options = f"--port 8890 --no-browser --ServerApp.base_url='/$(shell touch {pwned})'"
    # -o: the venv step is not this test's to run
    make = ["make", "--no-print-directory", "-s", "-o", ".venv/.installed"]
    result = subprocess.run(
        [*make, "lab", f"PY={fake}", f"LAB_ARGS={options}"],
        cwd=REPO,
        capture_output=True,
        text=True,
        check=True,
    )
    command = shlex.split(result.stdout.strip().splitlines()[-1])
    assert command[1:4] == ["-m", "jupyterlab", "--notebook-dir=notebooks"]
    root = ["--allow-root"] if os.geteuid() == 0 else []
    assert command[4:] == [
        *root,
        "--port",
        "8890",
        "--no-browser",
        f"--ServerApp.base_url=/$(shell touch {pwned})",
    ]
    assert not pwned.exists()


# The venv step says what it does, and pip shows its progress.


def load_venv_setup():
    from tools import venv_setup

    return venv_setup


def fake_pip(venv: Path, exit_code: int = 0) -> None:
    """A venv whose Python answers `-m pip …` with pip-like lines and this machine's noise."""
    python = venv / "bin" / "python"
    python.parent.mkdir(parents=True)
    python.write_text(
        "#!/bin/sh\n"
        'echo "Collecting pandas==2.3.3 (from -r requirements.txt)"\n'
        "echo \"WARNING: Location '/opt/x' is ignored: it is neither a file nor a directory\" >&2\n"
        'echo "Installing collected packages: pandas"\n'
        f"exit {exit_code}\n",
        encoding="utf-8",
    )
    python.chmod(0o755)


def test_the_venv_step_says_each_stage_and_streams_pips_progress(tmp_path, capsys):
    venv_setup = load_venv_setup()
    venv = tmp_path / "venv"
    fake_pip(venv)
    venv_setup.install(venv)
    out, err = capsys.readouterr()
    count = venv_setup.pinned_count(REPO / "requirements.txt")
    assert count > 100
    assert out.splitlines() == [
        "venv: upgrading pip",
        f"venv: installing the {count} pinned packages of requirements.txt (pip's progress follows)",
        "  Collecting pandas==2.3.3 (from -r requirements.txt)",
        "  Installing collected packages: pandas",
        "venv: installing the project's package (helpers, editable)",
    ]
    # the quiet installs say nothing unless pip does; the known noise never shows
    assert "is ignored" not in out + err
    assert (
        err.splitlines()
        == [
            "Collecting pandas==2.3.3 (from -r requirements.txt)",
            "Installing collected packages: pandas",
        ]
        * 2
    )


def test_a_failing_pip_stops_the_venv_step_in_one_line(tmp_path, capsys):
    venv_setup = load_venv_setup()
    venv = tmp_path / "venv"
    fake_pip(venv, exit_code=1)
    with pytest.raises(SystemExit, match=r"^venv: pip install --quiet --upgrade pip failed; run "):
        venv_setup.install(venv)


def test_a_made_venv_says_so_with_its_time(tmp_path, capsys):
    venv_setup = load_venv_setup()
    venv = tmp_path / "venv"
    made = venv_setup.ensure_venv(venv, install=lambda v: None)
    assert made
    lines = capsys.readouterr().out.splitlines()
    assert lines[0].startswith(f"venv: creating venv with {sys.executable} (Python ")
    assert re.fullmatch(r"venv: venv ready \(\d+ s\)", lines[-1])
