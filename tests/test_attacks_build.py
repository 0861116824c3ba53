"""The build under attack (issue 18), each case built from data the test writes:

* no parameter value or data string is ever read by a shell or by make: quotes, backticks,
  `$(shell …)` in every parameter, in a data folder's name and in a target's name create nothing
  and, where refused, give one line;
* rebuild decisions rest on content: a data file replaced under an older date (`cp -p`) is seen
  by the no-op `make report` and by the steps' digests; a screening card built from other inputs
  is dropped from the edition;
* two folders of the same name never share an edition;
* a full disk, a read-only folder, Ctrl-C, a half-made venv, a leftover `<edition>.new`, JOBS=abc
  or JOBS=64 each leave nothing behind and say in one line what to do.

The end-to-end cases stop before any kernel starts, except one screening card built in the shared
sample edition (tests/conftest.py)."""

from __future__ import annotations

import argparse
import errno
import json
import os
import shutil
import subprocess
import sys
import time
from pathlib import Path

import pytest

from helpers import parameters
from helpers.data import digest
from helpers.parameters import ParameterError, validate
from helpers.workflow import batch, cards, publish, steps, uptodate
from helpers.workflow.editions import Edition, claim_source, edition_id
from tests.test_pipeline import publish as publish_step
from tests.test_pipeline import stable_fingerprints, stage_edition  # noqa: F401 (a fixture)

REPO = Path(__file__).parents[1]


def hostile(tmp: Path) -> str:
    """Every way a shell or make could be made to run `touch <tmp>/pwned`."""
    pwned = tmp / "pwned"
    return (
        f"x'`touch {pwned}`'$(shell touch {pwned})$(touch {pwned});touch {pwned};"
        f'"`touch {pwned}`"$$(touch {pwned})'
    )


# The same without a slash, for a folder's or a target's name: it would touch ./pwned (the
# repository, where make and the steps run).
HOSTILE_NAME = "x'`touch pwned`'$(shell touch pwned)$(touch pwned);touch pwned;\"`touch pwned`\""


def make(*args: str, tmp: Path, build: Path | None = None) -> subprocess.CompletedProcess:
    """`make <args>` with the test's own build and reports folders unless given in `args`."""
    given = {arg.split("=", 1)[0] for arg in args if "=" in arg}
    folders = []
    if "BUILD" not in given:
        folders.append(f"BUILD={build or tmp / 'build'}")
    if "REPORTS" not in given:
        folders.append(f"REPORTS={tmp / 'reports'}")
    command = ["make", "--no-print-directory", *args, *folders]
    return subprocess.run(command, cwd=REPO, capture_output=True, text=True)


def said(result: subprocess.CompletedProcess) -> list[str]:
    """What the build itself said on stderr, without make's own `*** … Error` trailer."""
    return [line for line in result.stderr.splitlines() if "***" not in line]


def assert_nothing_ran(tmp: Path) -> None:
    assert not (tmp / "pwned").exists()
    assert not (REPO / "pwned").exists()


@pytest.fixture(scope="module")
def shared_build(tmp_path_factory) -> Path:
    """One build folder for the parameter cases: the data check of data/published and of the
    sample runs once."""
    return tmp_path_factory.mktemp("attacks") / "build"


# 1. Nothing a parameter holds reaches a shell or make.


@pytest.mark.parametrize(
    ("setting", "expected"),
    [
        ("DATA_DIR={tmp}/{bad}", "DATA_DIR={tmp}/{bad}: folder not found"),
        ("LANGUAGE={bad}", "LANGUAGE={bad}: unknown language; valid: zh, en"),
        ("CUTOFF={bad}", "CUTOFF={bad}: not a date; expected YYYY-MM-DD"),
        ("PREVIOUS={tmp}/{bad}", "PREVIOUS={tmp}/{bad}: folder not found"),
        ("JOBS={bad}", "JOBS={bad}: not a whole number; expected the digits 0-9"),
    ],
)
def test_a_hostile_parameter_is_refused_in_one_line_and_runs_nothing(
    setting, expected, tmp_path, shared_build
):
    bad = hostile(tmp_path)
    result = make("report", setting.format(tmp=tmp_path, bad=bad), tmp=tmp_path, build=shared_build)
    assert result.returncode != 0
    lines = said(result)
    assert len(lines) == 1 and lines[0].startswith(expected.format(tmp=tmp_path, bad=bad)), lines
    assert "helpers.workflow check" not in result.stdout  # refused before any step
    assert_nothing_ran(tmp_path)


def test_a_hostile_firm_id_is_data(tmp_path, shared_build):
    bad = hostile(tmp_path)
    result = make("assess", "DATA_DIR=data/sample", f"FIRM={bad}", tmp=tmp_path, build=shared_build)
    assert result.returncode != 0
    lines = said(result)
    assert len(lines) == 1
    assert lines[0].startswith(f"assess: FIRM {bad!r} is not a firm_id of data/sample; ")
    assert_nothing_ran(tmp_path)
    assert not (tmp_path / "reports").exists()


def test_hostile_regions_and_profile_names_are_data(tmp_path, shared_build):
    bad = hostile(tmp_path)
    result = make("report", f"REGIONS={bad}", tmp=tmp_path, build=shared_build)
    assert result.returncode != 0
    lines = said(result)
    assert len(lines) == 1 and lines[0].startswith("REGIONS=x'`touch: unknown province or city")
    assert "built " not in result.stdout  # refused before any kernel
    result = make(f"profile-{HOSTILE_NAME}", tmp=tmp_path, build=shared_build)
    assert result.returncode != 0
    lines = said(result)
    assert len(lines) == 1 and lines[0].startswith("REGIONS=x'`touch: unknown province or city")
    assert_nothing_ran(tmp_path)


def test_hostile_folder_names_are_only_folders(tmp_path, shared_build):
    data = tmp_path / HOSTILE_NAME / "published"
    shutil.copytree(REPO / "data" / "published", data)
    build, reports = tmp_path / f"build{HOSTILE_NAME}", tmp_path / f"reports{HOSTILE_NAME}"
    result = make("check-data", f"DATA_DIR={data}", f"BUILD={build}", tmp=tmp_path)
    assert result.returncode == 0, result.stderr
    assert "data ok: " in result.stdout
    assert (build / "published-zh" / "done" / "data.sha256").exists()
    result = make("index", f"REPORTS={reports}", tmp=tmp_path, build=shared_build)
    assert result.returncode == 0, result.stderr
    assert (reports / "index.html").exists()
    assert_nothing_ran(tmp_path)


def test_the_makefile_pastes_no_parameter_into_a_recipe_or_shell():
    """Every parameter reaches the steps as ZJTX_<NAME> in the environment; none is expanded
    in a recipe line or in a $(shell …)."""
    text = (REPO / "Makefile").read_text(encoding="utf-8")
    recipes = [line for line in text.splitlines() if line.startswith("\t")]
    names = ["DATA_DIR", "LANGUAGE", "CUTOFF", "PREVIOUS", "REGIONS", "FIRM", "BUILD"]
    names += ["REPORTS", "JOBS"]
    for name in names:
        assert f"export ZJTX_{name} := $(value {name})" in text
        assert not [line for line in recipes if f"$({name})" in line], name
        shells = [line for line in text.splitlines() if "$(shell" in line and f"$({name})" in line]
        assert not shells, name


def test_steps_read_the_parameters_from_the_environment(monkeypatch):
    monkeypatch.setenv("ZJTX_DATA_DIR", "data/sample")
    monkeypatch.setenv("ZJTX_FIRM", "$(touch pwned)")
    parser = argparse.ArgumentParser()
    parameters.add_arguments(parser, "data_dir", "firm", "language")
    args = parser.parse_args([])
    assert (args.data_dir, args.firm, args.language) == ("data/sample", "$(touch pwned)", "zh")


# 2. Rebuild decisions rest on content.


def firm_export(folder: Path, name: str = "甲公司") -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    firms = folder / "firms.csv"
    firms.write_text(f"firm_id,firm_name\nA1,{name}\n", encoding="utf-8")
    return firms


def record_publication(checked: dict, build: Path, reports: Path, regions: str = "none") -> str:
    """What publish --record writes after a publication (a stand-in edition folder)."""
    edition = edition_id(checked["data_path"], checked["language"])
    (reports / edition).mkdir(parents=True, exist_ok=True)
    (reports / edition / "edition.json").write_text("{}", encoding="utf-8")
    (reports / "index.html").write_text("index", encoding="utf-8")
    key = uptodate.key_parameters(checked, regions, build, reports)
    inputs = uptodate.inputs_manifest(uptodate.watched_files(checked))
    published = uptodate.published_files(reports, edition)
    uptodate.write_record(uptodate.record_path(build, key), key, inputs, published)
    return edition


def copy_preserving_times(source: Path, target: Path) -> None:
    """`cp -p`: the target keeps its inode and takes the source's content and times."""
    shutil.copy2(source, target)


def test_content_replaced_under_an_older_date_is_seen_by_the_no_op(tmp_path):
    firms = firm_export(tmp_path / "acme")
    long_ago = time.time_ns() - 86_400 * 10**9
    os.utime(firms, ns=(long_ago, long_ago))
    checked = validate(str(tmp_path / "acme"))
    build, reports = tmp_path / "build", tmp_path / "reports"
    edition = record_publication(checked, build, reports)
    assert uptodate.up_to_date(checked, edition, "none", build, reports)
    time.sleep(0.05)  # past the file system's clock tick
    # Another firm name, the same size, dated a day earlier still: what cp -p or rsync -a leave.
    renamed = tmp_path / "incoming.csv"
    renamed.write_text("firm_id,firm_name\nA1,乙公司\n", encoding="utf-8")
    os.utime(renamed, ns=(long_ago - 86_400 * 10**9,) * 2)
    copy_preserving_times(renamed, firms)
    assert firms.stat().st_mtime_ns < long_ago and firms.stat().st_size == renamed.stat().st_size
    assert not uptodate.up_to_date(checked, edition, "none", build, reports)
    # The first content back under a new date: hashed, found unchanged, the record refreshed...
    firm_export(tmp_path / "acme")
    assert uptodate.up_to_date(checked, edition, "none", build, reports)
    # ...so the next no-op hashes nothing.
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(uptodate, "file_sha256", lambda path: pytest.fail(f"hashed {path}"))
        assert uptodate.up_to_date(checked, edition, "none", build, reports)


def test_the_no_op_looks_at_the_published_files_and_leftovers(tmp_path):
    firm_export(tmp_path / "acme")
    checked = validate(str(tmp_path / "acme"))
    build, reports = tmp_path / "build", tmp_path / "reports"
    edition = record_publication(checked, build, reports)
    assert uptodate.up_to_date(checked, edition, "none", build, reports)
    assert not uptodate.up_to_date(checked, edition, "all", build, reports)  # other REGIONS
    (reports / f"{edition}.new").mkdir()
    assert not uptodate.up_to_date(checked, edition, "none", build, reports)
    (reports / f"{edition}.new").rmdir()
    (reports / edition / "edition.json").write_text("{} ", encoding="utf-8")
    assert not uptodate.up_to_date(checked, edition, "none", build, reports)
    edition = record_publication(checked, build, reports)
    (tmp_path / "acme" / "patents.csv").write_text("firm_id,year\nA1,2022\n", encoding="utf-8")
    assert not uptodate.up_to_date(checked, edition, "none", build, reports)  # a file added


def test_make_report_validates_data_replaced_under_an_older_date(tmp_path):
    """Break 2 end to end: after a publish (its record stood in here), `make report` runs no
    step; a table replaced by `cp -p` of a broken file dated years earlier is validated."""
    data = tmp_path / "pub"
    shutil.copytree(REPO / "data" / "published", data)
    checked = validate(str(data))
    record_publication(checked, tmp_path / "build", tmp_path / "reports")
    settings = (f"DATA_DIR={data}", "REGIONS=none")
    result = make("report", *settings, tmp=tmp_path)
    assert result.returncode == 0, result.stderr
    assert result.stdout == f"up to date: {tmp_path / 'reports' / 'pub-zh'}\n"
    table = data / "001_a_share_boards.csv"
    broken = tmp_path / "incoming.csv"
    broken.write_text(table.read_text(encoding="utf-8").replace(",550,", ",-550,"), "utf-8")
    os.utime(broken, (0, 0))  # 1970: older than anything make has seen
    copy_preserving_times(broken, table)
    result = make("report", *settings, tmp=tmp_path)
    assert result.returncode != 0
    assert "001_a_share_boards.csv, row 4, column 'listed_total', value -550" in result.stderr


def test_a_digest_in_memory_follows_content_replaced_under_the_same_date(tmp_path):
    firms = firm_export(tmp_path / "acme")
    before = digest.file_sha256(firms)
    time.sleep(0.05)
    other = tmp_path / "other.csv"
    other.write_text("firm_id,firm_name\nA1,乙公司\n", encoding="utf-8")
    stat = firms.stat()
    os.utime(other, ns=(stat.st_atime_ns, stat.st_mtime_ns))  # same size, same modification time
    copy_preserving_times(other, firms)
    assert (firms.stat().st_size, firms.stat().st_mtime_ns) == (stat.st_size, stat.st_mtime_ns)
    assert digest.file_sha256(firms) != before


def edition_args(data_dir: Path | str, build: Path, reports: Path | None = None, **more):
    return argparse.Namespace(
        build=str(build),
        data_dir=str(data_dir),
        language="zh",
        cutoff="2023-07-31",
        previous="",
        reports=str(reports) if reports else None,
        **more,
    )


def stage_card(edition, firm_id: str, fingerprint: str) -> None:
    folder = cards.cards_dir(edition)
    folder.mkdir(parents=True, exist_ok=True)
    html, pdf, record = cards.card_files(folder, cards.file_stem(firm_id))
    html.write_text(f"<html>{firm_id}</html>", encoding="utf-8")
    pdf.write_bytes(b"%PDF-1.4")
    record.write_text(json.dumps({"firm_id": firm_id, "fingerprint": fingerprint}), "utf-8")


def test_a_card_of_a_renamed_firm_is_dropped_not_published(tmp_path, capsys):
    firms = firm_export(tmp_path / "acme")
    edition = Edition(edition_args(tmp_path / "acme", tmp_path / "build"))
    stage_card(edition, "A1", cards.card_fingerprint(edition, "A1"))
    assert [record.stem for record, _ in cards.current_cards(edition)] == ["A1"]
    long_ago = firms.stat().st_mtime_ns
    time.sleep(0.05)
    firms.write_text("firm_id,firm_name\nA1,乙公司\n", encoding="utf-8")  # renamed
    os.utime(firms, ns=(long_ago, long_ago))  # under its old date
    assert cards.current_cards(edition) == []
    assert "the card of 'A1' is no longer published" in capsys.readouterr().out
    assert not list(cards.cards_dir(edition).glob("A1.*"))  # gone from the staging too


@pytest.mark.usefixtures("stable_fingerprints")
def test_publish_keeps_current_cards_only(tmp_path, monkeypatch, capsys):
    reports = tmp_path / "reports"
    version = {"A1": "one"}
    monkeypatch.setattr(cards, "card_fingerprint", lambda edition, firm: version[firm])
    args = stage_edition(tmp_path)
    stage_card(Edition(args), "A1", "one")
    publish_step(tmp_path, args)
    assert sorted(p.name for p in (reports / "zh" / "assess").iterdir()) == ["A1.html", "A1.pdf"]
    version["A1"] = "two"  # the firm's data changed
    publish_step(tmp_path, args)
    assert not (reports / "zh" / "assess").exists()
    assert "make assess FIRM=A1 builds it again" in capsys.readouterr().out


@pytest.mark.build
def test_assess_stages_and_publishes_with_the_edition(editions, shared_build_alone, tmp_path):
    """`make assess` never makes an edition folder holding only assess/: unpublished, the card
    stays staged; published (and current), the edition is published again with the card."""
    editions("data/sample", "zh")  # the shared build has the sample edition staged
    build, reports = editions.build, tmp_path / "reports"
    card = build / "sample-zh" / "assess"
    try:
        result = make("assess", "DATA_DIR=data/sample", "FIRM=SYN-00001", tmp=tmp_path, build=build)
        assert result.returncode == 0, result.stdout + result.stderr
        assert "sample-zh is not published yet" in result.stdout
        assert not (reports / "sample-zh").exists()
        assert (card / "SYN-00001.html").exists() and (card / "SYN-00001.json").exists()
        result = make(
            "report", "DATA_DIR=data/sample", "REGIONS=beijing", tmp=tmp_path, build=build
        )
        assert result.returncode == 0, result.stdout + result.stderr
        published = reports / "sample-zh" / "assess"
        assert sorted(p.name for p in published.iterdir()) == ["SYN-00001.html", "SYN-00001.pdf"]
        result = make("assess", "DATA_DIR=data/sample", "FIRM=SYN-00002", tmp=tmp_path, build=build)
        assert result.returncode == 0, result.stdout + result.stderr
        assert (published / "SYN-00002.pdf").exists() and (published / "SYN-00001.pdf").exists()
        assert (reports / "sample-zh" / "html" / "01_cultivation.html").exists()
        # The no-op make report sees the edition was published again and publishes nothing new.
        result = make(
            "report", "DATA_DIR=data/sample", "REGIONS=beijing", tmp=tmp_path, build=build
        )
        assert result.returncode == 0 and "built " not in result.stdout
        assert (published / "SYN-00002.pdf").exists()
    finally:  # the shared build stays as other tests expect it
        shutil.rmtree(card, ignore_errors=True)


# 3. Two folders of the same name never share an edition.


def test_two_folders_of_one_name_are_refused_naming_both(tmp_path):
    first, second = tmp_path / "a" / "acme", tmp_path / "b" / "acme"
    firm_export(first), firm_export(second)
    build, reports = tmp_path / "build", tmp_path / "reports"
    edition = Edition(edition_args(first, build, reports))
    claim_source(edition.checked, edition.id, build)
    with pytest.raises(ParameterError) as refused:
        Edition(edition_args(second, build, reports))
    message = str(refused.value)
    assert message.startswith(f"DATA_DIR={second}: edition acme-zh ")
    assert str(first) in message and "\n" not in message
    # A published edition says which folder it is, too (another build folder, same reports).
    (reports / "acme-zh").mkdir(parents=True)
    record = {"edition": "acme-zh", "data_dir": str(first)}
    (reports / "acme-zh" / "edition.json").write_text(json.dumps(record), encoding="utf-8")
    with pytest.raises(ParameterError, match=r"is built from .*/a/acme"):
        Edition(edition_args(second, tmp_path / "other-build", reports))
    Edition(edition_args(first, tmp_path / "other-build", reports))  # its own: fine


def test_make_refuses_a_second_folder_of_the_same_name(tmp_path):
    first, second = tmp_path / "a" / "acme", tmp_path / "b" / "acme"
    for folder in (first, second):
        shutil.copytree(REPO / "data" / "published", folder)
    result = make("check-data", f"DATA_DIR={first}", tmp=tmp_path)
    assert result.returncode == 0, result.stderr
    result = make("report", f"DATA_DIR={second}", tmp=tmp_path)
    assert result.returncode != 0
    lines = said(result)
    assert len(lines) == 1 and lines[0].startswith(f"DATA_DIR={second}: edition acme-zh")
    assert str(first) in lines[0]
    assert "built " not in result.stdout


# 4. Failures leave nothing behind and say in one line what to do.


def published_bytes(folder: Path) -> dict:
    return {p: p.read_bytes() for p in folder.rglob("*") if p.is_file()}


def publish_failing(tmp_path, monkeypatch, failure) -> str:
    """Publish a good edition, then publish again with `failure` patched in; the one line said."""
    reports = tmp_path / "reports"
    publish_step(tmp_path, stage_edition(tmp_path))
    before = published_bytes(reports / "zh")
    args = stage_edition(tmp_path, mark="2")
    with pytest.MonkeyPatch.context() as patch, pytest.raises(SystemExit) as stopped:
        failure(patch, reports)
        publish_step(tmp_path, args)
    assert published_bytes(reports / "zh") == before  # the last good edition
    assert not [p.name for p in reports.iterdir() if p.name.endswith((".new", ".old"))]
    message = str(stopped.value.code)
    assert "\n" not in message
    return message


@pytest.mark.usefixtures("stable_fingerprints")
def test_a_full_disk_while_publishing(tmp_path, monkeypatch):
    def full_disk(patch, reports):
        copy = shutil.copy2
        copies = []

        def copy_until_full(source, target, **kwargs):
            copies.append(target)
            if len(copies) > 5:
                raise OSError(errno.ENOSPC, "No space left on device", str(target))
            return copy(source, target, **kwargs)

        patch.setattr(shutil, "copy2", copy_until_full)

    message = publish_failing(tmp_path, monkeypatch, full_disk)
    assert message.startswith("publish: No space left on device: ")
    assert "zh.new/" in message
    assert message.endswith("; free some space and run make again")


@pytest.mark.usefixtures("stable_fingerprints")
def test_a_read_only_reports_folder(tmp_path, monkeypatch):
    def read_only(patch, reports):
        make_folder = Path.mkdir

        def refuse(self, *args, **kwargs):
            if self.parent == reports:
                raise PermissionError(errno.EACCES, "Permission denied", str(self))
            return make_folder(self, *args, **kwargs)

        patch.setattr(Path, "mkdir", refuse)

    message = publish_failing(tmp_path, monkeypatch, read_only)
    assert message.startswith("publish: Permission denied: ")
    assert "make it writable, or choose other folders with BUILD=… and REPORTS=…" in message


@pytest.mark.usefixtures("stable_fingerprints")
def test_ctrl_c_while_publishing(tmp_path, monkeypatch):
    def interrupt(patch, reports):
        def ctrl_c(folder):
            raise KeyboardInterrupt

        patch.setattr("helpers.workflow.webfont.embed_web_font", ctrl_c)

    message = publish_failing(tmp_path, monkeypatch, interrupt)
    assert message == "publish: interrupted; the published reports are untouched"


@pytest.mark.usefixtures("stable_fingerprints")
def test_a_publish_killed_outright_is_cleared_by_the_next_step(tmp_path):
    reports = tmp_path / "reports"
    publish_step(tmp_path, stage_edition(tmp_path))
    (reports / "zh.new" / "pdf").mkdir(parents=True)  # as a kill -9 mid-copy leaves it
    (reports / "zh.new" / "pdf" / "half.pdf").write_bytes(b"%PDF")
    publish.clear_leftovers(reports, "zh")
    assert not (reports / "zh.new").exists()
    # Killed between the two renames: the last good edition comes back.
    (reports / "zh").rename(reports / "zh.old")
    publish.clear_leftovers(reports, "zh")
    assert (reports / "zh" / "edition.json").exists() and not (reports / "zh.old").exists()


def test_the_data_check_clears_a_leftover_publish(tmp_path):
    reports = tmp_path / "reports"
    (reports / "zh.new").mkdir(parents=True)
    steps.main(["check", "--build", str(tmp_path / "build"), "--reports", str(reports)])
    assert not (reports / "zh.new").exists()


def test_jobs_beyond_the_cores_are_capped_in_one_line(monkeypatch, capsys):
    monkeypatch.setattr(parameters, "available_cores", lambda: 2)
    assert batch.worker_count(64, 54) == 2
    assert capsys.readouterr().out == (
        "JOBS=64: this machine gives the build 2 cores; running 2 kernels\n"
    )
    assert batch.worker_count(64, 1) == 1  # one document: one kernel, nothing to say
    assert batch.worker_count(2, 54, "make -j") == 2
    assert capsys.readouterr().out == ""
    # A variable on make's command line is not a -j: REGIONS='a -j64'.
    assert batch.jobs_from_make(" -j2 -- REGIONS=a\\ -j64") == 2
    assert batch.jobs_from_make(" -- REGIONS=a\\ -j64") == 1


@pytest.mark.parametrize("value", ["abc", "-1", "2.5", "２", "1e3"])
def test_jobs_must_be_digits(value):
    with pytest.raises(ParameterError, match=rf"^JOBS={value}: not a whole number"):
        parameters.check_jobs(value)
    assert parameters.check_jobs("")["jobs"] == 0 and parameters.check_jobs("3")["jobs"] == 3


def load_venv_setup():
    sys.path.insert(0, str(REPO / "tools"))
    try:
        import venv_setup
    finally:
        sys.path.remove(str(REPO / "tools"))
    return venv_setup


def test_a_half_made_venv_is_made_again_and_two_makes_take_turns(tmp_path):
    """Ctrl-C while `python -m venv` ran leaves a venv without pip: the next make makes it again.
    Two makes on a fresh clone: the second waits, then finds the venv made."""
    venv_setup = load_venv_setup()
    venv = tmp_path / "venv"
    subprocess.run([sys.executable, "-m", "venv", "--without-pip", str(venv)], check=True)
    assert not venv_setup.usable(venv)
    installs = []
    assert venv_setup.ensure_venv(venv, install=installs.append)
    assert venv_setup.usable(venv) and (venv / ".installed").exists() and installs == [venv]
    assert not venv_setup.ensure_venv(venv, install=installs.append)  # made: nothing to do
    fresh = tmp_path / "fresh"
    script = (
        f"import sys; sys.path.insert(0, {str(REPO / 'tools')!r}); import venv_setup, pathlib; "
        f"print(venv_setup.ensure_venv(pathlib.Path({str(fresh)!r}), install=lambda v: None))"
    )
    both = [
        subprocess.Popen([sys.executable, "-c", script], stdout=subprocess.PIPE, text=True)
        for _ in range(2)
    ]
    outputs = [process.communicate()[0] for process in both]
    assert all(process.returncode == 0 for process in both)
    made = [output for output in outputs if output.endswith("True\n")]
    waited = [output for output in outputs if output.endswith("False\n")]
    assert len(made) == 1 and len(waited) == 1  # one made it, the other found it made
    assert "waiting for another make" in waited[0]
    assert venv_setup.usable(fresh)
