"""The no-op `make report`: is the published edition still what the steps would make now?

    python -m helpers.workflow.uptodate   # exit 0: up to date; 1: run the steps; 2: a bad parameter

After a successful `make report`, publish writes a record (`<build>/stamps/report-<key>.json`,
one per set of parameters) of every input file the build reads — with its SHA-256 and its size,
modification and change times and inode — and of every published file. The next `make report`
reads that record: a file whose size, times and inode are all unchanged is taken as unchanged;
any other is hashed again, so content replaced by older-dated content (`cp -p`, `rsync -a`, an
unzipped archive: their change time or inode differs) is seen, and only a file whose content
really differs makes the steps run. Their own content fingerprints then decide what to rebuild.
A missing or damaged record, a different file list, a published file changed or missing, or a
leftover `<edition>.new` folder: the steps run. No shell or make function ever sees a value."""

from __future__ import annotations

import hashlib
import json
import os
import sys
from pathlib import Path

from helpers.data.digest import file_sha256, file_state, folder_files
from helpers.parameters import ParameterError, validate
from helpers.paths import (
    DATA_DIR,
    NOTEBOOKS_DIR,
    PUBLISHED_DIR,
    REFERENCE_DIR,
    REPO_ROOT,
    display_path,
    resolve,
)

HELPERS_DIR = Path(__file__).resolve().parents[1]
STAMPS = "stamps"
UP_TO_DATE, RUN_STEPS, BAD_PARAMETER = 0, 1, 2


def watched_files(checked: dict) -> list[Path]:
    """Every file whose content a published edition depends on: the build's own files, the
    notebooks and their declarations, the helpers package, the published and reference tables,
    the data folder and PREVIOUS's."""
    files = [REPO_ROOT / name for name in ("Makefile", "requirements.txt", "pyproject.toml")]
    files.append(DATA_DIR / "firm_schema.yml")
    for folder in (NOTEBOOKS_DIR, HELPERS_DIR, PUBLISHED_DIR, REFERENCE_DIR):
        files += folder_files(folder)
    for key in ("data_path", "previous_path"):
        if checked.get(key):
            files += folder_files(checked[key])
    return sorted({path for path in files if path.exists()})


def key_parameters(checked: dict, regions: str, build: Path, reports: Path) -> dict:
    """What makes one published edition differ from another: the record's key."""
    return {
        "data_path": str(checked["data_path"]),
        "language": checked["language"],
        "cutoff": checked["cutoff"],
        "previous_path": str(checked.get("previous_path") or ""),
        "regions": " ".join(regions.replace(",", " ").split()),
        "build": str(Path(build).resolve()),
        "reports": str(Path(reports).resolve()),
        # only when given: without ASSESSMENT_DATE the record's key is as before
        **(
            {"assessment_date": checked["assessment_date"]}
            if checked.get("assessment_date")
            else {}
        ),
    }


def record_path(build: Path, parameters: dict) -> Path:
    key = hashlib.sha256(json.dumps(parameters, sort_keys=True).encode()).hexdigest()[:16]
    return Path(build) / STAMPS / f"report-{key}.json"


def inputs_manifest(files: list[Path]) -> dict[str, list]:
    """{path: [size, mtime_ns, ctime_ns, inode, sha256]}; the state is taken before the hash, so
    a file changed while hashed is hashed again next time."""
    manifest = {}
    for path in files:
        state = file_state(path)
        manifest[str(path)] = [*state, file_sha256(path).hex()]
    return manifest


def published_files(reports: Path, edition: str) -> dict[str, list[int] | bool]:
    """{name: [size, mtime_ns, ctime_ns, inode]} of the edition's published files, and whether
    reports/index.html is there (other editions rewrite it: its presence is what counts)."""
    target = Path(reports) / edition
    files = sorted(p for p in target.rglob("*") if p.is_file())
    published: dict[str, list[int] | bool] = {
        p.relative_to(reports).as_posix(): list(file_state(p)) for p in files
    }
    published["index.html"] = (Path(reports) / "index.html").is_file()
    return published


def write_record(path: Path, parameters: dict, inputs: dict, published: dict) -> None:
    """Written by publish after a complete publication (never half: a rename)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    record = {"parameters": parameters, "inputs": inputs, "published": published}
    scratch = path.with_name(f"{path.name}.{os.getpid()}.new")
    scratch.write_text(json.dumps(record, ensure_ascii=False), encoding="utf-8")
    scratch.replace(path)


def leftovers(reports: Path, edition: str) -> list[Path]:
    """Half-swapped folders of an interrupted publish (publish clears them)."""
    return [
        p
        for p in (Path(reports) / f"{edition}.new", Path(reports) / f"{edition}.old")
        if p.exists()
    ]


def up_to_date(checked: dict, edition: str, regions: str, build: Path, reports: Path) -> bool:
    """True when the record says the published edition is the current inputs' (see the module
    docstring). Refreshes the record's states of files whose content turned out unchanged."""
    parameters = key_parameters(checked, regions, build, reports)
    path = record_path(build, parameters)
    try:
        record = json.loads(path.read_text(encoding="utf-8"))
        inputs, published = record["inputs"], record["published"]
    except (OSError, ValueError, KeyError, TypeError):
        return False
    if record.get("parameters") != parameters or leftovers(reports, edition):
        return False
    if published_files(reports, edition) != published:
        return False
    files = watched_files(checked)
    if sorted(map(str, files)) != sorted(inputs):
        return False  # a file added, removed or renamed
    refreshed = False
    for file in files:
        before = inputs[str(file)]
        state = list(file_state(file))
        if state == before[:4]:
            continue
        if file_sha256(file).hex() != before[4]:
            return False
        inputs[str(file)] = [*state, before[4]]  # same content, new times: look again only if
        refreshed = True  # they change again
    if refreshed:
        write_record(path, parameters, inputs, published)
    return True


def main(argv: list[str] | None = None) -> int:
    """Prints `up to date: reports/<edition>` and returns 0, returns 1 silently when the steps
    must run, 2 after one line for a bad parameter. Light imports only: this is the whole of a
    no-op `make report`."""
    import argparse

    from helpers.parameters import add_arguments
    from helpers.workflow.editions import edition_id

    parser = argparse.ArgumentParser(prog="python -m helpers.workflow.uptodate")
    add_arguments(parser, "build", "reports", "data_dir", "language", "cutoff", "previous")
    add_arguments(parser, "regions", "jobs", "assessment_date")
    args = parser.parse_args(argv)
    try:
        checked = validate(
            args.data_dir,
            args.language,
            args.cutoff,
            previous=args.previous,
            jobs=args.jobs,
            assessment_date=args.assessment_date,
        )
    except ParameterError as error:
        print(error, file=sys.stderr)
        return BAD_PARAMETER
    try:
        edition = edition_id(checked["data_path"], checked["language"])
        reports = resolve(args.reports)
        fresh = up_to_date(checked, edition, args.regions, resolve(args.build), reports)
    except (OSError, ValueError):  # unreadable inputs: the steps say what is wrong
        return RUN_STEPS
    if not fresh:
        return RUN_STEPS
    print(f"up to date: {display_path(reports / edition)}")
    return UP_TO_DATE


if __name__ == "__main__":
    sys.exit(main())
