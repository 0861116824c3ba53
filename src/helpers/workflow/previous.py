"""The previous edition's statistics (PREVIOUS): every chapter notebook executed once more on the
previous edition's data folder — the same code, so every statistics key means the same in both —
into `build/<edition>/previous/`, without HTML or PDF, and merged into
`build/<edition>/previous/statistics.csv`. A chapter runs again only when its fingerprint (the
notebook, the helpers, the previous folder's files and the parameters) changed.

The previous folder's cut-off is CUTOFF one year earlier (helpers.stats.changes.previous_cutoff;
it matters only for firm-level data). A chapter that fails on the previous data (say, an older
export without patents) is reported in one line and leaves its keys without a previous value:
the comparison is extra content and does not stop the edition."""

from __future__ import annotations

from pathlib import Path

from helpers.paths import display_path

FOLDER = "previous"


def previous_folder(staging: Path) -> Path:
    """build/<edition>/previous (beside the edition's staging folder build/<edition>/reports)."""
    return Path(staging).parent / FOLDER


def statistics_file(staging: Path) -> Path:
    return previous_folder(staging) / "statistics.csv"


def chapter_parameters(checked: dict, tables_dir: str, output: Path) -> dict:
    """The parameters cell of a chapter run on the previous data (its published-shaped folder,
    `tables_dir`; no comparison of its own)."""
    from helpers.stats.changes import previous_cutoff

    return {
        "data_dir": str(tables_dir),
        "output_dir": str(output),
        "language": checked["language"],
        "cutoff": previous_cutoff(checked["cutoff"]),
    }


def ensure_previous_statistics(
    checked: dict, staging: Path, chapters: list[str], tables_dir: str = ""
) -> Path | None:
    """The merged statistics of the previous edition's data (None without PREVIOUS), rebuilt
    chapter by chapter when their inputs changed; `tables_dir`: PREVIOUS resolved into its
    published-shaped folder (Edition.previous_tables_dir; default: PREVIOUS as given, for
    published tables)."""
    if not checked.get("previous_path"):
        return None
    from helpers.pipeline import notebook_path
    from helpers.workflow import batch
    from helpers.workflow.editions import merge_statistics
    from helpers.workflow.fingerprint import fingerprint

    folder = previous_folder(staging)
    output = folder / "reports"
    parameters = chapter_parameters(checked, tables_dir or checked["previous_path"], output)
    failed = []
    kernel = batch.WarmKernel()  # one kernel for every chapter that has work, started on the first
    for chapter in chapters:
        notebook = notebook_path(chapter)
        marker = folder / "done" / f"{chapter}.sha256"
        statistics = output / "statistics" / f"{chapter}.csv"
        current = fingerprint(notebook, checked["previous_path"], parameters)
        if marker.exists() and marker.read_text() == current:
            continue  # built (or failed, without statistics) from the same inputs
        marker.unlink(missing_ok=True)
        statistics.unlink(missing_ok=True)
        try:
            executed = folder / "executed" / f"{chapter}.ipynb"
            batch.execute_notebook(notebook, executed, parameters, kernel=kernel)
        except Exception as error:
            if type(error).__name__ != "PapermillExecutionError":
                raise
            statistics.unlink(missing_ok=True)  # half a chapter's keys would mislead
            first_line = next(iter(str(error.evalue).splitlines()), "")[:200]
            failed.append(f"{chapter} ({error.ename}: {first_line})")
        marker.parent.mkdir(parents=True, exist_ok=True)
        marker.write_text(current)
    kernel.shutdown()
    if failed:
        print(
            f"previous edition ({display_path(checked['previous_path'])}): no previous values "
            f"for {'; '.join(failed)}; see {display_path(folder / 'executed')}",
            flush=True,
        )
    return merge_statistics(output, chapters).replace(statistics_file(staging))
