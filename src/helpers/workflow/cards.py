"""`make assess FIRM=<firm_id>`: one firm's screening card (notebooks/assess.ipynb, which calls
helpers.screening) executed with papermill and exported to HTML and PDF like the chapters and
profiles (helpers.workflow.batch), staged in `build/<edition>/assess/<firm>.html|pdf` with
`<firm>.json` (the firm id and the fingerprint of the card's inputs), then published like every
other part of the edition: `python -m helpers.workflow assess` republishes the edition
(helpers.workflow.publish) when it is published and current, and `make report` keeps every card
still built from the current inputs (current_cards). A card whose inputs changed — the firm's
data, the criteria, the helpers — is dropped from the edition with a line saying how to build it
again, so a renamed firm never keeps its old name on a published card.

    python -m helpers.workflow assess --firm SYN-00001 --date 2026-06-01 --build … --data-dir …

The firm id is checked before any kernel starts: an unknown id stops with the closest ids. A
card is rebuilt only when the SHA-256 fingerprint of its inputs changed (the notebook, the
helpers, the reference and criteria tables, the firm-level folder, the parameters)."""

from __future__ import annotations

import difflib
import hashlib
import json
import re
import shutil
from pathlib import Path

from helpers.data.digest import files_digest, folder_files
from helpers.parameters import ParameterError, check_date
from helpers.paths import NOTEBOOKS_DIR, REPO_ROOT, display_path

NOTEBOOK = NOTEBOOKS_DIR / "assess.ipynb"
FOLDER = "assess"
# The rulebooks a card applies (data/published/catalog_miit.yml) and their points rules.
CRITERIA_TABLES = ("miit_points", "rulebooks", "rulebook_conditions", "rulebook_transitions")
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
        f"assess: FIRM {firm_id!r} is not a firm_id of {display_path(data_path)}{hint}"
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


def card_fingerprint(edition, firm_id: str, date: str = "") -> str:
    """SHA-256 over the card's input files and what it is a card of (the firm, the data folder,
    the language, the cut-off, and the assessment date when one is given). PREVIOUS adds
    nothing to a card and is left out."""
    checked = edition.checked
    about = {
        "firm_id": firm_id,
        "data_dir": display_path(checked["data_path"]),
        "language": checked["language"],
        "cutoff": checked["cutoff"],
        **({"date": date} if date else {}),
    }
    return files_digest(input_files(checked["data_path"]), about)


def card_stem(firm_id: str, date: str = "") -> str:
    """A card's file name: the firm's (file_stem), with the assessment date when one is given
    (SYN-00015_2026-06-01), so cards of one firm at two dates sit side by side."""
    return file_stem(firm_id) + (f"_{date}" if date else "")


def measures_line(date: str) -> str:
    """Which measures judge a card of `date`, and why (the rulebook in force that day)."""
    from helpers.screening.rulebooks import for_date, successor

    book = for_date(date)
    until = f" to {book.in_force_to}" if book.in_force_to else ""
    later = successor(book)
    then = f"; {later.document_no} applies from {later.in_force_from}" if later else ""
    return (
        f"assess: judged under {book.document_no} ({book.id}), in force from "
        f"{book.in_force_from}{until}, the measures in force on {date}{then}"
    )


def card_files(folder: Path, stem: str) -> list[Path]:
    """A staged card: its HTML, its PDF and its record (<stem>.json: firm id, fingerprint)."""
    return [folder / f"{stem}.html", folder / f"{stem}.pdf", folder / f"{stem}.json"]


def current_cards(edition) -> list[tuple[Path, str]]:
    """The staged cards built from the current inputs, as (record, fingerprint); the others are
    removed from the staging, each with a line naming the firm and how to build its card again."""
    folder = cards_dir(edition)
    found = []
    stems = {p.stem for p in folder.glob("*") if p.suffix in (".html", ".pdf", ".json")}
    for stem in sorted(stems):
        html, pdf, record = card_files(folder, stem)
        try:
            saved = json.loads(record.read_text(encoding="utf-8"))
            firm_id, fingerprint = str(saved["firm_id"]), str(saved["fingerprint"])
            date = str(saved.get("date", ""))
        except (OSError, ValueError, KeyError, TypeError):
            firm_id, fingerprint, date = stem, "", ""
        # a card of the cut-off's date is fingerprinted as before dates were given
        current = (
            card_fingerprint(edition, firm_id, date) if date else card_fingerprint(edition, firm_id)
        )
        if html.exists() and pdf.exists() and fingerprint == current:
            found.append((record, fingerprint))
            continue
        for path in (html, pdf, record):
            path.unlink(missing_ok=True)
        print(
            f"assess: the card of {firm_id!r} is no longer published, its inputs changed since it "
            f"was built; make assess FIRM={firm_id} builds it again"
        )
    return found


def publish_cards(cards: list[tuple[Path, str]], fresh: Path) -> None:
    """Copy the current cards (current_cards) into the edition folder being published, so that
    `make report` keeps them."""
    for record, _ in cards:
        target = Path(fresh) / FOLDER
        target.mkdir(parents=True, exist_ok=True)
        for path in card_files(record.parent, record.stem)[:2]:
            shutil.copy2(path, target / path.name)


def build_card(args) -> tuple:
    """Stage one firm's card in build/<edition>/assess/ (unless built from the same inputs);
    returns the edition and the card's HTML and PDF. Publishing is the caller's
    (helpers.workflow.steps.assess)."""
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
    # DATE (make assess), else ASSESSMENT_DATE, else the cut-off: checked like ASSESSMENT_DATE
    date = check_date(getattr(args, "date", "") or "")["date"] or checked.get("assessment_date", "")

    stem = card_stem(firm_id, date)
    folder = cards_dir(edition)
    html, pdf, record = card_files(folder, stem)
    with (
        edition_lock(edition.build, edition.id, shared=True),
        chapter_lock(edition.build, edition.id, f"assess_{stem}"),
    ):
        current = card_fingerprint(edition, firm_id, date)
        try:
            saved = json.loads(record.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            saved = {}
        if saved.get("fingerprint") == current and html.exists() and pdf.exists():
            print(f"up to date: assess {firm_id}")
            return edition, [html, pdf]
        record.unlink(missing_ok=True)  # a failed run must not leave a current record
        from helpers.workflow.batch import render_notebook

        parameters = {k: v for k, v in edition.parameters().items() if k != "previous_dir"}
        parameters |= {"firm_id": firm_id, "output_dir": str(folder / "work" / stem)}
        parameters |= {"assessment_date": date}
        executed = edition.staging.parent / "executed" / f"assess_{stem}.ipynb"
        took = render_notebook(NOTEBOOK, executed, parameters, html, pdf, checked["language"])
        record_of = {"firm_id": firm_id, "fingerprint": current, **({"date": date} if date else {})}
        text = json.dumps(record_of, ensure_ascii=False)
        record.write_text(text + "\n", encoding="utf-8")
        print(f"built assess {firm_id} ({edition.id}): {sum(took.values()):.1f} s")
    print(measures_line(date or checked["cutoff"]))
    return edition, [html, pdf]
