"""`make assess FIRM=<firm_id>`: one firm's screening card (notebooks/assess.ipynb, which calls
helpers.screening) executed with papermill and exported to HTML and PDF like the chapters and
profiles (helpers.workflow.batch), into `build/<edition>/assess/<firm>.html|pdf`, then copied
into the published edition's `assess/` folder (`make report` keeps them there:
helpers.workflow.publish calls publish_cards).

    python -m helpers.workflow.cards --firm SYN-00001 --build … --data-dir … --language …

The firm id is checked before any kernel starts: an unknown id stops with the closest ids. A
card is rebuilt only when the SHA-256 fingerprint of its inputs changed (the notebook, the
helpers, the reference and criteria tables, the firm-level folder, the parameters)."""

from __future__ import annotations

import argparse
import difflib
import hashlib
import re
import shutil
import sys
from pathlib import Path

from helpers.data.digest import files_digest, folder_files
from helpers.parameters import DEFAULTS, ParameterError
from helpers.paths import NOTEBOOKS_DIR, REPO_ROOT, display_path, resolve

NOTEBOOK = NOTEBOOKS_DIR / "assess.ipynb"
FOLDER = "assess"
CRITERIA_TABLES = ("miit_criteria", "miit_points")
SAFE = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._-]{0,80}$")


class UnknownFirm(ValueError):
    pass


def file_stem(firm_id: str) -> str:
    """The file name of a card: the id itself when it is a safe name, else an ASCII slug with a
    short hash (a 统一社会信用代码 is safe; a name with '/' or spaces is not)."""
    if SAFE.match(firm_id):
        return firm_id
    slug = re.sub(r"[^A-Za-z0-9._-]+", "-", firm_id).strip("-.")[:40] or "firm"
    return f"{slug}-{hashlib.sha256(firm_id.encode()).hexdigest()[:8]}"


def firm_ids(data_path: Path) -> list[str]:
    """The firm_id column of the folder's firms file, as text (read alone: fast; the whole
    folder is validated by the data check and again when the notebook runs)."""
    from helpers.data.errors import DataInputError, Problem
    from helpers.firmlevel import engine, ingest

    path = ingest.find_input_file(data_path, "firms")
    if path is None:
        raise DataInputError(Problem(display_path(data_path), "no firms.csv|xlsx|parquet"))
    con = engine.connect()
    raw = ingest.load(con, path, "_assess_firms")
    try:
        rows = con.execute(
            'SELECT "firm_id" FROM _assess_firms WHERE "firm_id" IS NOT NULL'
        ).fetchall()
    finally:
        raw.cleanup()
    return [str(row[0]) for row in rows]


def distance(a: str, b: str, limit: int) -> int:
    """Levenshtein distance of a and b, or limit + 1 when it exceeds `limit`."""
    if abs(len(a) - len(b)) > limit:
        return limit + 1
    previous = list(range(len(b) + 1))
    for i, x in enumerate(a, 1):
        current = [i]
        for j, y in enumerate(b, 1):
            current.append(min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (x != y)))
        if min(current) > limit:
            return limit + 1
        previous = current
    return previous[-1]


def close_ids(firm_id: str, ids: list[str], n: int = 5) -> list[str]:
    """The ids fewest edits away (then in order), falling back to difflib's ratio."""
    limit = max(2, len(firm_id) // 4)
    scored = sorted((distance(firm_id, i, limit), i) for i in ids)
    found = [i for d, i in scored if d <= limit][:n]
    return found or difflib.get_close_matches(firm_id, ids, n=n, cutoff=0.5)


def check_firm(firm_id: str, data_path: Path, cutoff: str) -> None:
    """UnknownFirm naming the firms file and the closest ids when `firm_id` is not in it."""
    ids = firm_ids(data_path)
    if firm_id in set(ids):
        return
    close = close_ids(firm_id, ids)
    hint = f"; close ids: {', '.join(close)}" if close else f"; ids look like {', '.join(ids[:3])}"
    raise UnknownFirm(
        f"assess: FIRM '{firm_id}' is not a firm_id of {display_path(data_path)}{hint}"
    )


def input_files(data_dir: Path) -> list[Path]:
    from helpers.paths import DATA_DIR, REFERENCE_DIR
    from helpers.pipeline import HELPERS_DIR
    from helpers.workflow import fingerprint as fp

    files = [NOTEBOOK, REPO_ROOT / "requirements.txt", DATA_DIR / "firm_schema.yml"]
    files += folder_files(HELPERS_DIR) + folder_files(REFERENCE_DIR)
    files += fp.published_files(list(CRITERIA_TABLES))
    files += folder_files(data_dir)
    return sorted(set(files))


def cards_dir(edition) -> Path:
    """build/<edition>/assess: where cards are built (beside the chapters' staging folder)."""
    return edition.staging.parent / FOLDER


def publish_cards(staging: Path, fresh: Path) -> None:
    """Copy the built cards (build/<edition>/assess/*.html|pdf) into the edition folder being
    published, so that `make report` keeps them."""
    source = Path(staging).parent / FOLDER
    if not source.is_dir():
        return
    target = Path(fresh) / FOLDER
    for path in sorted(source.glob("*")):
        if path.suffix in (".html", ".pdf"):
            target.mkdir(parents=True, exist_ok=True)
            shutil.copy2(path, target / path.name)


def build_card(args) -> list[Path]:
    from helpers.workflow.editions import Edition, chapter_lock, edition_lock

    edition = Edition(args)  # validates DATA_DIR, LANGUAGE, CUTOFF first
    checked = edition.checked
    if checked["kind"] != "firm-level":
        raise ParameterError(
            "DATA_DIR", checked["data_dir"], "assess needs a firm-level folder (e.g. data/sample)"
        )
    firm_id = str(args.firm).strip()
    if not firm_id:
        raise ParameterError("FIRM", args.firm, "give a firm_id, e.g. make assess FIRM=SYN-00001")
    check_firm(firm_id, checked["data_path"], checked["cutoff"])

    stem = file_stem(firm_id)
    folder = cards_dir(edition)
    parameters = {**edition.parameters(), "firm_id": firm_id}
    parameters["output_dir"] = str(folder / "work" / stem)
    outputs = [folder / f"{stem}.html", folder / f"{stem}.pdf"]
    with (
        edition_lock(edition.build, edition.id, shared=True),
        chapter_lock(edition.build, edition.id, f"assess_{stem}"),
    ):
        marker = edition.marker(f"assess_{stem}")
        current = files_digest(input_files(checked["data_path"]), parameters)
        if marker.exists() and marker.read_text() == current and all(p.exists() for p in outputs):
            print(f"up to date: assess {firm_id}")
        else:
            marker.unlink(missing_ok=True)
            from helpers.workflow.batch import render_notebook

            executed = edition.staging.parent / "executed" / f"assess_{stem}.ipynb"
            took = render_notebook(NOTEBOOK, executed, parameters, *outputs, checked["language"])
            marker.parent.mkdir(parents=True, exist_ok=True)
            marker.write_text(current)
            print(f"built assess {firm_id} ({edition.id}): {sum(took.values()):.1f} s")
    published = resolve(args.reports) / edition.id / FOLDER
    published.mkdir(parents=True, exist_ok=True)
    for path in outputs:
        shutil.copy2(path, published / path.name)
        print(display_path(published / path.name))
    return [published / p.name for p in outputs]


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(prog="python -m helpers.workflow.cards")
    parser.add_argument("--firm", required=True, help="a firm_id of DATA_DIR's firms table")
    parser.add_argument("--build", default="build")
    parser.add_argument("--reports", default="reports")
    parser.add_argument("--data-dir", default=DEFAULTS["data_dir"])
    parser.add_argument("--language", default=DEFAULTS["language"])
    parser.add_argument("--cutoff", default=DEFAULTS["cutoff"])
    parser.add_argument(
        "--previous", default="", help="the previous edition's data folder (PREVIOUS)"
    )
    args = parser.parse_args(argv)
    try:
        build_card(args)
    except (ParameterError, UnknownFirm) as error:
        sys.exit(str(error))
    except Exception as error:
        from helpers.data.errors import DataInputError
        from helpers.workflow.batch import NotebookFailed

        if isinstance(error, NotebookFailed):
            sys.exit(str(error))
        if isinstance(error, DataInputError):
            sys.exit(f"bad input data:\n{error}")
        raise


if __name__ == "__main__":
    main()
