"""Unchanged pins do not reach the network (issue 23, item 5): the venv step (tools/venv_setup.py,
the Makefile's `.venv/.installed`) records the content of requirements.txt and pyproject.toml in
its stamp; an input whose time alone changed (`touch requirements.txt`, a checkout) runs no pip,
and the stamp is touched so that make asks no more."""

from __future__ import annotations

import os

import pytest

from tools import venv_setup


@pytest.fixture
def project(tmp_path, monkeypatch):
    """A venv folder and its two inputs; the venv counts as working (no real pip here)."""
    monkeypatch.setattr(venv_setup, "usable", lambda venv: venv.is_dir())
    (tmp_path / "venv").mkdir()
    requirements = tmp_path / "requirements.txt"
    requirements.write_text("pandas==2.2.3\n", encoding="utf-8")
    (tmp_path / "pyproject.toml").write_text("[project]\nname = 'helpers'\n", encoding="utf-8")
    return tmp_path


def ensure(project, installs):
    inputs = [project / "requirements.txt", project / "pyproject.toml"]
    return venv_setup.ensure_venv(
        project / "venv", inputs, install=installs.append, create=lambda venv: None
    )


def later(path, seconds=100):
    """Make the file `seconds` newer than the stamp (older when negative), as `touch` a while
    after the install would: the stamp is set back, the file keeps the present."""
    stamp = path.parent / "venv" / venv_setup.STAMP
    moment = path.stat().st_mtime - seconds
    os.utime(stamp, (moment, moment))


def test_a_touched_requirements_file_runs_no_pip(project):
    installs = []
    assert ensure(project, installs) and len(installs) == 1
    stamp = project / "venv" / venv_setup.STAMP
    inputs = [project / "requirements.txt", project / "pyproject.toml"]
    assert stamp.read_text(encoding="utf-8").strip() == venv_setup.inputs_digest(inputs)
    later(project / "requirements.txt")
    assert not ensure(project, installs) and len(installs) == 1  # same content: no pip
    # the stamp is newer again, so make does not run the step next time
    assert stamp.stat().st_mtime_ns >= (project / "requirements.txt").stat().st_mtime_ns


@pytest.mark.parametrize("changed", ["requirements.txt", "pyproject.toml"])
def test_a_changed_pin_installs_again(project, changed):
    installs = []
    assert ensure(project, installs)
    path = project / changed
    path.write_text(path.read_text(encoding="utf-8") + "# another pin\n", encoding="utf-8")
    assert ensure(project, installs) and len(installs) == 2
    assert not ensure(project, installs) and len(installs) == 2


def test_a_changed_pin_installs_again_whatever_the_times(project):
    """Content decides, not time: a stamp newer than an edited file still installs."""
    installs = []
    assert ensure(project, installs)
    requirements = project / "requirements.txt"
    requirements.write_text("pandas==2.2.4\n", encoding="utf-8")
    later(requirements, seconds=-100)
    assert ensure(project, installs) and len(installs) == 2


def test_a_stamp_made_before_it_recorded_content_follows_the_times(project):
    """A venv stamped by the earlier step (an empty stamp) stays made while it is newer than
    the inputs, and is installed again (recording the content) when it is not."""
    installs = []
    stamp = project / "venv" / venv_setup.STAMP
    stamp.touch()
    later(project / "requirements.txt", seconds=-100)
    assert not ensure(project, installs) and installs == []
    later(project / "requirements.txt")
    assert ensure(project, installs) and len(installs) == 1
    assert stamp.read_text(encoding="utf-8").strip()
