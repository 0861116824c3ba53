"""Editions side by side: one data source in one language is one edition, staged under
`build/<edition>/` and published to `reports/<edition>/`, so building one never touches another.

    data/published  -> zh, en
    data/sample     -> sample-zh, sample-en
    any/other/firms -> firms-zh, firms-en   (ASCII slug of the folder's name)

Two folders of the same name (a/acme, b/acme) would share an edition: the data check records the
folder an edition is built from (build/<edition>/source.json; a published edition.json says it
too), and a step given another folder for that edition stops in one line naming both.

Locks (helpers.data.locks, files under `build/locks/`) keep two builds in one checkout from mixing:
chapter steps share their edition's lock (they run in parallel with `make -j2`) and hold an
exclusive lock per chapter; the data check and publish hold the edition's lock exclusively; writing
reports/index.html holds a global lock. A step that must wait says so and waits."""

from __future__ import annotations

import functools
import hashlib
import json
import re
from pathlib import Path

from helpers.parameters import LANGUAGES, ParameterError, validate
from helpers.paths import PUBLISHED_DIR, SAMPLE_DIR, display_path, resolve

EDITION_FILE = "edition.json"
SOURCE_FILE = "source.json"  # build/<edition>/source.json: the data folder it is built from
TEMPLATES_DIR = Path(__file__).parents[1] / "report" / "templates"
# Names of the single-edition layout (before editions): removed from reports/ on publish. No
# edition can have these names (editions are zh, en or end in -zh/-en).
LEGACY_ENTRIES = ("html", "pdf", "figures", "tables", "statistics.csv")
_RESERVED_SLUGS = {"", "sample"}  # no slug: not ASCII; "sample": data/sample's name


def slug(name: str) -> str:
    """Lower-case ASCII letters, digits and single hyphens."""
    return re.sub(r"[^a-z0-9]+", "-", name.lower()).strip("-")


def edition_id(data_dir: str | Path, language: str) -> str:
    """The edition's folder name under build/ and reports/ (see the module docstring)."""
    folder = Path(data_dir).resolve()
    if folder == PUBLISHED_DIR.resolve():
        return language
    if folder == SAMPLE_DIR.resolve():
        return f"sample-{language}"
    name = slug(folder.name)
    if name in _RESERVED_SLUGS:
        # Would have no name or another edition's name: told apart by its path's hash.
        digest = hashlib.sha256(str(folder).encode()).hexdigest()[:8]
        name = f"{name}-{digest}" if name else f"data-{digest}"
    return f"{name}-{language}"


def resolve_tables(given: str, checked: dict, build: Path) -> str:
    """The data folder resolved once for every notebook (the one data route): a folder of
    published tables as given; a firm-level export (checked["kind"]) aggregated by
    helpers.firmlevel.tables.ensure_tables into <build>/tables/<slug>/ — rebuilt only when its
    inputs' fingerprint changed — and shown relative to the repository where it lies inside."""
    if checked["kind"] == "published":
        return str(given)
    from helpers.firmlevel.tables import ensure_tables

    folder = ensure_tables(checked["data_path"], checked["cutoff"], Path(build) / "tables")
    return display_path(folder)


class NotCurrent(RuntimeError):
    """The staged edition was not built from the current inputs: publishing it would mix. The
    message is the line to print (what is stale and what to run)."""


def recorded_source(build: Path, reports: Path | None, edition: str) -> tuple[Path, Path] | None:
    """The data folder an edition is already built from, with the file that says so: the build's
    source.json, else the published edition.json; None when neither names one."""
    candidates = [(Path(build) / edition / SOURCE_FILE, "data_path")]
    if reports is not None:
        candidates.append((Path(reports) / edition / EDITION_FILE, "data_dir"))
    for path, key in candidates:
        try:
            record = json.loads(path.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            continue  # absent or not ours: nothing recorded
        if isinstance(record, dict) and isinstance(record.get(key), str):
            return resolve(record[key]).resolve(), path
    return None


def check_source(checked: dict, edition: str, build: Path, reports: Path | None) -> None:
    """Refuse a data folder whose edition id is already another folder's (a/acme and b/acme are
    both acme-zh): one line naming both folders and what to do."""
    found = recorded_source(build, reports, edition)
    if found is None or found[0] == checked["data_path"]:
        return
    other, where = found
    folders = [Path(build) / edition] + ([Path(reports) / edition] if reports else [])
    remove = " and ".join(display_path(f) for f in folders if f.exists())
    raise ParameterError(
        "data_dir",
        checked["data_dir"],
        f"edition {edition} is built from {display_path(other)}, another folder of the same name "
        f"({display_path(where)}); rename one of the two folders, or remove {remove} if "
        f"{display_path(other)} moved here",
    )


def claim_source(checked: dict, edition: str, build: Path) -> None:
    """Record which data folder the edition in `build` is built from (the data check does)."""
    target = Path(build) / edition / SOURCE_FILE
    if target.exists():
        return
    target.parent.mkdir(parents=True, exist_ok=True)
    text = json.dumps({"data_path": str(checked["data_path"])}, ensure_ascii=False) + "\n"
    scratch = target.with_name(SOURCE_FILE + ".new")
    scratch.write_text(text, encoding="utf-8")
    scratch.replace(target)


def staging_dir(build: Path, edition: str) -> Path:
    """build/<edition>/reports: what publish copies from."""
    return Path(build) / edition / "reports"


def edition_lock(build: Path, edition: str, shared: bool = False):
    from helpers.data.locks import locked  # filelock: not needed by a no-op make report

    return locked(Path(build) / "locks" / f"{edition}.lock", shared=shared)


def chapter_lock(build: Path, edition: str, chapter: str):
    from helpers.data.locks import locked  # filelock: not needed by a no-op make report

    return locked(Path(build) / "locks" / f"{edition}.{chapter}.lock")


def index_lock(build: Path):
    from helpers.data.locks import locked  # filelock: not needed by a no-op make report

    return locked(Path(build) / "locks" / "index.lock")


def merge_statistics(staging: Path, chapters: list[str]) -> Path:
    """statistics.csv: every chapter's recorded numbers, in chapter order (the edition's, and
    the previous edition's: helpers.workflow.previous)."""
    import pandas as pd

    parts = []
    for chapter in chapters:
        path = staging / "statistics" / f"{chapter}.csv"
        if path.exists():
            parts.append(pd.read_csv(path, dtype=str, keep_default_na=False))
    merged = pd.concat(parts, ignore_index=True) if parts else pd.DataFrame()
    target = staging / "statistics.csv"
    merged.to_csv(target, index=False, encoding="utf-8", lineterminator="\n")
    return target


def edition_record(edition: str, checked: dict, chapters: list[str], titles: dict) -> dict:
    """What edition.json says: enough for the index page and for a reader of the folder."""
    return {
        "edition": edition,
        "language": checked["language"],
        "data_dir": display_path(checked["data_path"]),
        "data_kind": checked["kind"],
        "synthetic": checked["synthetic"],
        "cutoff": checked["cutoff"],
        "chapters": [{"id": c, "title": titles[c]} for c in chapters],
        **(
            {"previous_dir": display_path(checked["previous_path"])}
            if checked.get("previous_path")
            else {}
        ),
    }


def write_edition(folder: Path, record: dict) -> Path:
    target = folder / EDITION_FILE
    text = json.dumps(record, ensure_ascii=False, indent=2) + "\n"
    target.write_text(text, encoding="utf-8")
    return target


def _order(record: dict) -> tuple:
    """zh, en, then the sample, then other folders by name; Chinese before English in each."""
    kind = {"published": 0}.get(record["data_kind"], 2)
    if record["edition"].startswith("sample-"):
        kind = 1
    language = LANGUAGES.index(record["language"]) if record["language"] in LANGUAGES else 9
    return (kind, record["data_dir"], language, record["edition"])


def published_editions(reports: Path) -> list[dict]:
    """Every reports/<edition>/edition.json (not half-swapped .new/.old folders), in index order."""
    records = []
    for path in sorted(Path(reports).glob(f"*/{EDITION_FILE}")):
        if path.parent.name.endswith((".new", ".old")):
            continue
        try:
            record = json.loads(path.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            continue  # not ours, or damaged: left out rather than breaking the index
        if isinstance(record, dict) and record.get("edition") == path.parent.name:
            records.append(record)
    return sorted(records, key=_order)


def render_index(records: list[dict]) -> str:
    """reports/index.html from the editions' records: words from labels/build.*.yml, both languages."""
    import jinja2
    import markupsafe

    from helpers.report.labels import label

    def words(key: str, **values) -> dict:
        if key.startswith("site."):  # the edition's own index page (helpers.workflow.site)
            return {lang: label(key, lang, **values) for lang in LANGUAGES}
        return {lang: label(f"build.index.{key}", lang, **values) for lang in LANGUAGES}

    environment = jinja2.Environment(
        loader=jinja2.FileSystemLoader(TEMPLATES_DIR),
        autoescape=True,
        undefined=jinja2.StrictUndefined,
        keep_trailing_newline=True,
        trim_blocks=True,
        lstrip_blocks=True,
    )
    from helpers.report.sources import data_title

    def titled(record: dict) -> dict:
        """The record with its data source's title in both languages (never its path)."""
        kind = {"firm_level": record["data_kind"] != "published", "synthetic": record["synthetic"]}
        titles = {lang: data_title(lang, **kind, folder=record["data_dir"]) for lang in LANGUAGES}
        return {**record, "data_title": titles}

    template = environment.get_template("index.html.j2")
    return template.render(
        editions=[titled(record) for record in records],
        words=words,
        css=markupsafe.Markup((TEMPLATES_DIR / "report.css").read_text(encoding="utf-8")),
    )


def write_index(reports: Path) -> Path:
    target = Path(reports) / "index.html"
    records = [
        {**record, "site": (Path(reports) / record["edition"] / "index.html").is_file()}
        for record in published_editions(reports)
    ]  # an edition published before editions had their own index has none to link
    # the packaged font beside it (reports/fonts/), like every edition's pages: Chinese glyphs
    # on a machine without CJK fonts too
    from helpers.workflow.webfont import with_web_font

    page = with_web_font(render_index(records), target)
    scratch = target.with_name("index.html.new")
    scratch.write_text(page, encoding="utf-8")
    scratch.replace(target)  # readers never see half a page
    return target


class Edition:
    """The validated parameters of one step and where its edition is staged."""

    def __init__(self, args):
        # PREVIOUS (the previous edition's data folder) adds content; the edition id is the same.
        previous = getattr(args, "previous", None) or ""
        # ASSESSMENT_DATE (chapter 06 and the cards): checked here, before any kernel starts
        dated = (
            {"assessment_date": args.assessment_date} if hasattr(args, "assessment_date") else {}
        )
        self.checked = validate(
            args.data_dir, args.language, args.cutoff, previous=previous, **dated
        )
        self.id = edition_id(self.checked["data_path"], self.checked["language"])
        staging = getattr(args, "staging", None)
        self.staging = resolve(staging) if staging else staging_dir(resolve(args.build), self.id)
        self.build = self.staging.parent.parent  # build/<edition>/reports -> build (locks/)
        reports = getattr(args, "reports", None)
        self.reports = resolve(reports) if reports else None
        check_source(self.checked, self.id, self.build, self.reports)

    @functools.cached_property
    def tables_dir(self) -> str:
        """The published-shaped folder every notebook of the edition reads: DATA_DIR itself
        for published tables, else the export's aggregate under <build>/tables/ (made once by
        the `tables` step; here a check of its fingerprint)."""
        return resolve_tables(self.checked["data_dir"], self.checked, self.build)

    @functools.cached_property
    def previous_tables_dir(self) -> str:
        """PREVIOUS resolved like DATA_DIR, with the previous edition's cut-off; '' for none."""
        if not self.checked["previous_dir"]:
            return ""
        from helpers.stats.changes import previous_cutoff

        previous = {
            "kind": self.checked["previous_kind"],
            "data_path": self.checked["previous_path"],
            "cutoff": previous_cutoff(self.checked["cutoff"]),
        }
        return resolve_tables(self.checked["previous_dir"], previous, self.build)

    def parameters(self) -> dict:
        """The notebook's parameters cell, as papermill sets it (and the fingerprint sees it):
        the resolved published-shaped folders, never a firm-level export to aggregate."""
        return {
            "data_dir": self.tables_dir,
            "output_dir": str(self.staging),
            "language": self.checked["language"],
            "cutoff": self.checked["cutoff"],
            # Only when set: without PREVIOUS the parameters (and fingerprints) are as before.
            **({"previous_dir": self.previous_tables_dir} if self.checked["previous_dir"] else {}),
        }

    def chapter_parameters(self, chapter: str) -> dict:
        """parameters(), with the extra parameters the chapter declares in notebooks/pipeline.yml
        (assessment_date: '' = the cut-off)."""
        from helpers.pipeline import chapter_parameters

        extra = {name: self.checked.get(name, "") for name in chapter_parameters(chapter)}
        return {**self.parameters(), **extra}

    def marker(self, name: str) -> Path:
        return self.staging.parent / "done" / f"{name}.sha256"
