"""Publishing an edition: merge the chapters' statistics and reconciliations, copy the current
chapters' files into reports/<edition>.new, swap it in alone (only when every chapter was built
from the current inputs), rewrite reports/index.html, and say what was built and what changed.

A publish that fails (a full disk, a read-only folder, Ctrl-C) removes its reports/<edition>.new
and leaves the last good edition; one killed outright leaves it for the next run of any step to
clear (clear_leftovers). Screening cards (`make assess`) are published only while built from the
current inputs; a card whose inputs changed is dropped with a line saying how to rebuild it."""

from __future__ import annotations

import shutil
import sys
from pathlib import Path

from helpers.paths import REPO_ROOT, display_path, resolve
from helpers.workflow.editions import (
    LEGACY_ENTRIES,
    Edition,
    NotCurrent,
    edition_lock,
    edition_record,
    index_lock,
    merge_statistics,
    write_edition,
    write_index,
)
from helpers.workflow.profiles import publish_profiles

PUBLISHED_PARTS = ("html", "pdf", "figures", "tables")
# Written by publish itself from the chapters' files, so not part of what decides a publish.
MERGED = ("statistics.csv", "tables/reconciliation.csv", "index.html")


def join_previous_statistics(edition: Edition) -> None:
    """With PREVIOUS: statistics.csv gets `previous` and `change` columns (same key in the
    previous edition's statistics, helpers.stats.changes.join_previous; empty when absent), from
    the previous statistics the book step computed (helpers.workflow.previous)."""
    if not edition.checked.get("previous_path"):
        return
    import pandas as pd

    from helpers.stats.changes import join_previous
    from helpers.workflow.previous import statistics_file

    previous = statistics_file(edition.staging)
    if not previous.exists():
        raise NotCurrent(
            f"publish: the previous edition's statistics ({display_path(previous)}) are missing; "
            "run make report again"
        )
    target = edition.staging / "statistics.csv"
    current = pd.read_csv(target, dtype=str, keep_default_na=False)
    try:
        before = pd.read_csv(previous, dtype=str, keep_default_na=False)
    except pd.errors.EmptyDataError:  # no chapter ran on the previous data
        before = None
    joined = join_previous(current, before if before is not None and "key" in before else None)
    joined.to_csv(target, index=False, encoding="utf-8", lineterminator="\n")


def merge_reconciliations(staging: Path, chapters: list[str]) -> Path:
    """tables/reconciliation.csv: every chapter's published-vs-recomputed checks, each printed
    figure once (by check_id: the chapter that checked it first, else the appendix), mismatches
    first."""
    import pandas as pd

    from helpers.stats.reconcile import STATUS_ORDER, one_per_figure

    parts = []
    for chapter in chapters:
        path = staging / "tables" / f"{chapter}_reconciliation.csv"
        if path.exists():
            parts.append(pd.read_csv(path, encoding="utf-8-sig").assign(notebook=chapter))
    merged = one_per_figure(*parts) if parts else pd.DataFrame()
    if not merged.empty:
        merged = merged.sort_values("status", key=lambda s: s.map(STATUS_ORDER), kind="stable")
    target = staging / "tables" / "reconciliation.csv"
    merged.to_csv(target, index=False, encoding="utf-8-sig", lineterminator="\n")
    return target


def stale_chapters(edition: Edition, chapters: list[str]) -> dict[str, str]:
    """Chapters whose staged outputs are missing or were built from other inputs than the
    current ones (say, a notebook edited during the build): publishing them would mix."""
    from helpers.pipeline import notebook_path
    from helpers.workflow.fingerprint import fingerprint

    stale = {}
    for chapter in chapters:
        marker = edition.marker(chapter)
        if not marker.exists() or not (edition.staging / "pdf" / f"{chapter}.pdf").exists():
            stale[chapter] = "not built"
            continue
        current = fingerprint(
            notebook_path(chapter),
            edition.checked["data_path"],
            edition.chapter_parameters(chapter),
        )
        if marker.read_text() != current:
            stale[chapter] = "its inputs changed after it was built"
    return stale


def swap_in(fresh: Path, target: Path) -> None:
    """Replace `target` by the complete folder `fresh` (two renames; the old copy goes last).
    Should the second rename fail, the old edition is put back."""
    old = target.with_name(target.name + ".old")
    remove(old)
    if target.exists():
        target.rename(old)
    try:
        fresh.rename(target)
    except BaseException:
        if old.exists() and not target.exists():
            old.rename(target)
        raise
    remove(old)


def remove(path: Path) -> None:
    """Remove a file or folder if there (errors raise: a folder that cannot be removed is said)."""
    if path.is_dir() and not path.is_symlink():
        shutil.rmtree(path)
    elif path.exists() or path.is_symlink():
        path.unlink()


def clear_leftovers(reports: Path, edition: str) -> None:
    """What an interrupted publish of `edition` left: reports/<edition>.old without
    reports/<edition> is the last good edition, mid-swap, and goes back; a half-copied
    reports/<edition>.new and a spare .old are removed."""
    target, old = reports / edition, reports / f"{edition}.old"
    if old.is_dir() and not target.exists():
        old.rename(target)
    remove(old)
    remove(reports / f"{edition}.new")


def refresh_index(reports: Path, build: Path) -> None:
    """reports/index.html from every published edition; the layout's README; no legacy files."""
    with index_lock(build):
        for name in LEGACY_ENTRIES:  # the single-edition layout's files, before editions
            path = reports / name
            if path.is_dir():
                shutil.rmtree(path)
            elif path.exists():
                path.unlink()
        readme = REPO_ROOT / "reports" / "README.md"
        if readme.exists() and not (reports / "README.md").exists():
            shutil.copy2(readme, reports / "README.md")
        write_index(reports)


def publish(args) -> None:
    """Swap a complete new reports/<edition>/ into place; on any error the old one stays, and
    other editions are never touched. With --record (make report), also write the record the
    next no-op `make report` checks (helpers.workflow.uptodate)."""
    edition = Edition(args)
    reports = resolve(args.reports)
    with edition_lock(edition.build, edition.id):
        inputs = None
        if getattr(args, "record", False):  # taken first: an input edited from here on is seen
            from helpers.workflow import uptodate

            inputs = uptodate.inputs_manifest(uptodate.watched_files(edition.checked))
        try:
            publish_edition(edition, reports)
        except NotCurrent as error:
            sys.exit(str(error))
        if inputs is not None:
            key = uptodate.key_parameters(edition.checked, args.regions, edition.build, reports)
            published = uptodate.published_files(reports, edition.id)
            uptodate.write_record(uptodate.record_path(edition.build, key), key, inputs, published)


def published_listing(target: Path) -> list[str]:
    """Every published file's name, size and time: a file changed or removed in reports/ means
    publish again."""
    return sorted(
        f"{p.relative_to(target)} {p.stat().st_size} {p.stat().st_mtime_ns}"
        for p in target.rglob("*")
        if p.is_file()
    )


def publish_edition(edition: Edition, reports: Path) -> Path:
    """Publish `edition` from its staging into reports/<edition>/ unless what is there was
    published from the same staged files (NotCurrent when the staging is not the current
    inputs'); returns the folder. The caller holds the edition's lock."""
    from helpers.pipeline import chapters as book
    from helpers.workflow.cards import current_cards

    staging = edition.staging
    chapters = book()
    target = reports / edition.id
    clear_leftovers(reports, edition.id)
    stale = stale_chapters(edition, chapters)
    if stale:
        reasons = "; ".join(f"{chapter}: {why}" for chapter, why in stale.items())
        raise NotCurrent(
            f"publish: {edition.id} not published, not built from the current inputs in "
            f"{display_path(staging)} ({reasons}); run make report again"
        )
    cards = current_cards(edition)  # a card built from other inputs is dropped (and said)
    # What this publication is made of: every chapter's and profile's input fingerprint, the
    # profiles staged and the current cards. Unchanged since the last publish of the same target,
    # and the published files as that publish left them: nothing to do.
    done = staging.parent / "done"
    markers = [done / f"{c}.sha256" for c in chapters] + sorted(done.glob("profile_*.sha256"))
    # Every staged file's name, size and time: a file written again means publish again.
    staged = sorted(
        f"{p.relative_to(staging)} {p.stat().st_size} {p.stat().st_mtime_ns}"
        for p in staging.rglob("*")
        if p.is_file() and p.relative_to(staging).as_posix() not in MERGED
    )
    cards_state = [f"card {path.name} {fingerprint}" for path, fingerprint in cards]
    state = "\n".join([str(target), *staged, *cards_state, *(m.read_text() for m in markers)])
    stamp = done / "published.state"
    if target.is_dir() and stamp.exists():
        recorded = stamp.read_text(encoding="utf-8")
        if recorded == "\n".join([state, "--", *published_listing(target)]):
            if not (reports / "index.html").exists():
                refresh_index(reports, edition.build)
            print(f"up to date: {display_path(target)}")
            return target
    stamp.unlink(missing_ok=True)
    from helpers.report.html import chapter_title  # heavy: only when publishing
    from helpers.workflow.book import publish_book
    from helpers.workflow.cards import publish_cards
    from helpers.workflow.datapackage import publish_tables, read_published
    from helpers.workflow.search import write_search
    from helpers.workflow.site import write_edition_index
    from helpers.workflow.webfont import embed_web_font

    merge_statistics(staging, chapters)
    join_previous_statistics(edition)
    merge_reconciliations(staging, chapters)
    previous = target / "statistics.csv"
    previous_statistics = (  # under the machine names, whatever language it was published in
        read_published(previous).to_csv(index=False) if previous.exists() else None
    )
    fresh = reports / f"{edition.id}.new"
    try:
        fresh.mkdir(parents=True)
        # Only the current chapters' files: a renamed or deleted notebook leaves nothing behind.
        tables = []  # CSVs get their headers in the edition's language (publish_tables)
        # and the charts of the profiles published, which their pages offer for download
        profiles = sorted((staging / "profiles").glob("*.html"))
        owners = [*chapters, *(f"profile_{page.stem}" for page in profiles)]
        for part in PUBLISHED_PARTS:
            (fresh / part).mkdir()
            for path in sorted((staging / part).glob("*")):
                if any(
                    path.name.startswith(f"{c}.") or path.name.startswith(f"{c}_") for c in owners
                ):
                    if part == "tables" and path.suffix == ".csv":
                        tables.append(path.stem)
                    else:
                        shutil.copy2(path, fresh / part / path.name)
        shutil.copy2(
            write_edition_index(edition, chapters), fresh / "index.html"
        )  # helpers.workflow.site
        publish_profiles(staging, fresh)  # profiles/<slug>.html|pdf and their index, if built
        # tables/*.csv, reconciliation.csv, statistics.csv, datapackage.json and the tables' zip
        publish_tables(staging, fresh, [*tables, "reconciliation"], edition.id, edition.checked)
        publish_cards(cards, fresh)  # assess/<firm>.html|pdf built by `make assess`
        titles = {c: chapter_title(fresh / "html" / f"{c}.html") for c in chapters}
        publish_book(edition, chapters, fresh)  # html/report.html, pdf/report.pdf (make book)
        write_search(fresh)  # search/: every page's text for the search box on each page
        embed_web_font(fresh)  # fonts/: the pages' Chinese without the reader's fonts
        write_edition(fresh, edition_record(edition.id, edition.checked, chapters, titles))
        swap_in(fresh, target)
    except BaseException:  # a full disk, a read-only folder, Ctrl-C: no half copy stays
        shutil.rmtree(fresh, ignore_errors=True)
        raise
    refresh_index(reports, edition.build)
    stamp.write_text("\n".join([state, "--", *published_listing(target)]), encoding="utf-8")
    print_summary(target, previous_statistics)
    return target


def index(args) -> None:
    reports = resolve(args.reports)
    reports.mkdir(parents=True, exist_ok=True)
    refresh_index(reports, resolve(args.build))
    print(f"wrote {display_path(reports / 'index.html')}")


# How many changed numbers the summary's changes section lists; statistics.csv has them all.
CHANGES_SHOWN = 10


def print_summary(reports: Path, previous: str | None = None) -> None:
    """'The step completed' is not 'the data is right': after a publish, three headed sections —
    built (what the edition holds), checks (the published figures against their parts, each
    disagreeing figure once, as tables/reconciliation.csv keeps it) and changes (the numbers that
    differ from the last publish of this folder, `previous` being its statistics.csv text)."""
    import pandas as pd

    from helpers.workflow.datapackage import read_published

    stats = read_published(reports / "statistics.csv")
    counts = {part: len(list((reports / part).glob("*"))) for part in PUBLISHED_PARTS}
    print(f"built: {display_path(reports)}")
    print("  " + ", ".join(f"{n} {p}" for p, n in counts.items()))
    print(f"  statistics.csv: {len(stats)} numbers")
    checks = read_published(reports / "tables" / "reconciliation.csv")
    if "status" not in checks:  # no chapter checked a published figure
        checks = checks.assign(status=pd.Series(dtype=str))
    counts = checks["status"].value_counts().to_dict()
    print("checks: the published figures against their parts")
    print(
        "  reconciliation: "
        + ", ".join(f"{counts.get(k, 0)} {k}" for k in ("ok", "rounding", "mismatch"))
        + (
            f"; {counts['unpublished']} figures had no published value to compare with"
            if counts.get("unpublished")
            else ""
        )
    )
    for row in checks[checks["status"] == "mismatch"].itertuples():
        # four significant digits (whole above 10,000): the difference stays visible (12.6% is
        # 0.126 against 0.1266, not 0.13 against 0.13)
        stated, recomputed = (
            f"{v:,.4g}" if abs(v) < 1e4 else f"{v:,.0f}"
            for v in (float(row.stated), float(row.recomputed))
        )
        print(f"  mismatch: {row.item} ({row.source}): published {stated}, recomputed {recomputed}")
    print_changes(previous, reports / "statistics.csv")


def print_changes(previous: str | None, current: Path) -> None:
    """The summary's changes section: which numbers changed since the last publish of the
    folder (the first CHANGES_SHOWN of them)."""
    import io

    import pandas as pd

    print("changes: since the last build in this folder")
    if previous is None:
        print("  none to compare: first build in this folder")
        return
    from helpers.workflow.datapackage import read_published

    old = pd.read_csv(io.StringIO(previous), dtype=str).set_index("key")["value"]
    new = read_published(current).set_index("key")["value"]
    added, removed = new.index.difference(old.index), old.index.difference(new.index)
    common = new.index.intersection(old.index)
    changed = [key for key in common if old[key] != new[key]]
    print(f"  {len(changed)} numbers changed, {len(added)} new, {len(removed)} gone")
    for key in changed[:CHANGES_SHOWN]:
        print(f"  {key}: {old[key]} -> {new[key]}")
    if len(changed) > CHANGES_SHOWN:
        print(f"  ... and {len(changed) - CHANGES_SHOWN} more (statistics.csv)")
