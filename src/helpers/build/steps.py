"""The report build, called by the Makefile:

    python -m helpers.build chapter --notebook notebooks/01_x.ipynb --staging build/.../reports ...
    python -m helpers.build publish --staging build/.../reports --reports reports

`chapter` executes one notebook with papermill and exports it to HTML (code hidden) and PDF
(WeasyPrint, packaged CJK font). Everything goes to a staging folder; `publish` replaces
reports/ only when every chapter succeeded, so a failed build leaves the last good reports/."""

from __future__ import annotations

import argparse
import html
import shutil
import sys
import time
from pathlib import Path

from helpers.paths import REPO_ROOT, display_path, resolve
from helpers.report.html import CSS_PATH, chapter_title, export_html
from helpers.report.pdf import merge_pdfs, render_pdf
PUBLISHED_PARTS = ("html", "pdf", "figures", "tables")


def execute_notebook(notebook: Path, executed: Path, parameters: dict) -> None:
    import papermill

    executed.parent.mkdir(parents=True, exist_ok=True)
    papermill.execute_notebook(
        str(notebook),
        str(executed),
        parameters=parameters,
        kernel_name="python3",
        cwd=str(notebook.parent),
        progress_bar=False,
        log_output=False,
    )








def build_chapter(args) -> None:
    """Execute, export and render one chapter, unless its inputs' fingerprint is unchanged
    since the last successful build into the same staging folder."""
    from helpers.build.fingerprint import fingerprint

    notebook = resolve(args.notebook)
    staging = resolve(args.staging)
    stem = notebook.stem
    parameters = {
        "data_dir": str(args.data_dir),
        "output_dir": str(staging),
        "language": args.language,
        "cutoff": args.cutoff,
    }
    marker = staging.parent / "done" / f"{stem}.sha256"
    current = fingerprint(notebook, resolve(args.data_dir), parameters)
    outputs = [staging / "html" / f"{stem}.html", staging / "pdf" / f"{stem}.pdf"]
    if marker.exists() and marker.read_text() == current and all(p.exists() for p in outputs):
        print(f"up to date: {stem}")
        return
    marker.unlink(missing_ok=True)  # a failed run must not leave an old marker claiming success
    timings = {}
    start = time.perf_counter()
    executed = staging.parent / "executed" / f"{stem}.ipynb"
    execute_notebook(notebook, executed, parameters)
    timings["execute"] = time.perf_counter() - start
    page = export_html(executed, outputs[0], args.language)
    timings["html"] = time.perf_counter() - start - timings["execute"]
    render_pdf(page, staging / "html", outputs[1])
    timings["pdf"] = time.perf_counter() - start - timings["execute"] - timings["html"]
    marker.parent.mkdir(parents=True, exist_ok=True)
    marker.write_text(current)
    summary = ", ".join(f"{k} {v:.1f} s" for k, v in timings.items())
    print(f"built {stem}: {summary}")


def check_data(args) -> None:
    """Validate every input before any notebook runs, so bad data fails fast with the file, row,
    column and value, and nothing is built. Skipped when the data's content is unchanged."""
    from helpers.build.fingerprint import data_files, digest_files

    folder = resolve(args.data_dir)
    marker = resolve(args.staging).parent / "done" / "data.sha256"
    current = digest_files(data_files(folder), {"cutoff": args.cutoff})
    if marker.exists() and marker.read_text() == current:
        return
    marker.unlink(missing_ok=True)
    from helpers.data import catalog
    from helpers.data.source import DataSource

    source = DataSource(folder, cutoff=args.cutoff)
    # Published tables are always read (as data or as context for firm-level data).
    counts = catalog.validate_all(folder if source.is_published else catalog.PUBLISHED_DIR)
    summary = f"{len(counts)} published tables, {sum(counts.values())} rows"
    if source.is_firm_level:
        from helpers.firmlevel.firms import FirmLevelData

        firms = FirmLevelData(folder, cutoff=args.cutoff)
        summary += f"; firm-level data in {display_path(folder)}: {len(firms.firms)} firms"
        summary += " (synthetic sample)" if firms.synthetic else ""
    print(f"data ok: {summary}")
    marker.parent.mkdir(parents=True, exist_ok=True)
    marker.write_text(current)


def merge_statistics(staging: Path, chapters: list[str]) -> Path:
    """statistics.csv: every chapter's recorded numbers, in chapter order."""
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


def merge_reconciliations(staging: Path, chapters: list[str]) -> Path:
    """tables/reconciliation.csv: every chapter's published-vs-recomputed checks, mismatches first."""
    import pandas as pd

    from helpers.stats.reconcile import STATUS_ORDER

    parts = []
    for chapter in chapters:
        path = staging / "tables" / f"{chapter}_reconciliation.csv"
        if path.exists():
            parts.append(pd.read_csv(path, encoding="utf-8-sig").assign(notebook=chapter))
    merged = pd.concat(parts, ignore_index=True) if parts else pd.DataFrame()
    if not merged.empty:
        merged = merged.sort_values("status", key=lambda s: s.map(STATUS_ORDER), kind="stable")
    target = staging / "tables" / "reconciliation.csv"
    merged.to_csv(target, index=False, encoding="utf-8-sig", lineterminator="\n")
    return target






def write_index(reports: Path, chapters: list[str], titles: dict[str, str]) -> None:
    """reports/index.html: the chapters with their HTML and PDF, and the machine-readable files."""
    rows = "\n".join(
        f'<li><a href="html/{c}.html">{html.escape(titles[c])}</a> '
        f'(<a href="pdf/{c}.pdf">PDF</a>)</li>'
        for c in chapters
    )
    page = (
        '<!DOCTYPE html>\n<html lang="zh-CN">\n<head>\n<meta charset="utf-8">\n'
        f"<title>专精特新“小巨人”企业报告 / Little Giant firms report</title>\n<style>\n{CSS_PATH.read_text(encoding='utf-8')}</style>\n"
        "</head>\n<body>\n<h1>专精特新“小巨人”企业报告 / Little Giant firms report</h1>\n"
        f"<ol>\n{rows}\n</ol>\n"
        '<p><a href="pdf/report.pdf">全文 PDF / whole report (PDF)</a> · '
        '<a href="statistics.csv">statistics.csv</a> · '
        '<a href="tables/reconciliation.csv">reconciliation.csv</a></p>\n'
        "</body>\n</html>\n"
    )
    (reports / "index.html").write_text(page, encoding="utf-8")


def publish(args) -> None:
    """Swap a complete new reports/ into place; on any error the old one stays."""
    staging = resolve(args.staging)
    reports = resolve(args.reports)
    chapters = sorted(p.stem for p in (REPO_ROOT / "notebooks").glob("[0-9][0-9]_*.ipynb"))
    missing = [c for c in chapters if not (staging / "pdf" / f"{c}.pdf").exists()]
    if missing:
        sys.exit(f"publish: chapters not built in {display_path(staging)}: {', '.join(missing)}")
    merge_statistics(staging, chapters)
    merge_reconciliations(staging, chapters)
    previous = reports / "statistics.csv"
    previous_statistics = previous.read_text(encoding="utf-8") if previous.exists() else None
    fresh = reports.with_name(reports.name + ".new")
    shutil.rmtree(fresh, ignore_errors=True)
    fresh.mkdir(parents=True)
    # Only the current chapters' files: a renamed or deleted notebook leaves nothing behind.
    for part in PUBLISHED_PARTS:
        (fresh / part).mkdir()
        for path in sorted((staging / part).glob("*")):
            if any(
                path.name.startswith(f"{c}.") or path.name.startswith(f"{c}_") for c in chapters
            ):
                shutil.copy2(path, fresh / part / path.name)
    shutil.copy2(staging / "tables" / "reconciliation.csv", fresh / "tables" / "reconciliation.csv")
    shutil.copy2(staging / "statistics.csv", fresh / "statistics.csv")
    titles = {c: chapter_title(fresh / "html" / f"{c}.html") for c in chapters}
    merge_pdfs(fresh / "pdf", chapters, titles, fresh / "pdf" / "report.pdf")
    write_index(fresh, chapters, titles)
    if (reports / "README.md").exists():
        shutil.copy2(reports / "README.md", fresh / "README.md")
    old = reports.with_name(reports.name + ".old")
    shutil.rmtree(old, ignore_errors=True)
    if reports.exists():
        reports.rename(old)
    fresh.rename(reports)
    shutil.rmtree(old, ignore_errors=True)
    print_summary(reports)
    print_changes(previous_statistics, reports / "statistics.csv")


def print_changes(previous: str | None, current: Path) -> None:
    """Which headline numbers changed since the last published build."""
    import io

    import pandas as pd

    if previous is None:
        print("changes: first build in this folder")
        return
    old = pd.read_csv(io.StringIO(previous), dtype=str).set_index("key")["value"]
    new = pd.read_csv(current, dtype=str).set_index("key")["value"]
    added, removed = new.index.difference(old.index), old.index.difference(new.index)
    common = new.index.intersection(old.index)
    changed = [key for key in common if old[key] != new[key]]
    print(f"changes: {len(changed)} numbers changed, {len(added)} new, {len(removed)} gone")
    for key in changed[:10]:
        print(f"  {key}: {old[key]} -> {new[key]}")


def print_summary(reports: Path) -> None:
    """'The step completed' is not 'the data is right': say what was built."""
    import pandas as pd

    stats = pd.read_csv(reports / "statistics.csv", dtype=str)
    counts = {part: len(list((reports / part).glob("*"))) for part in PUBLISHED_PARTS}
    print(f"published {display_path(reports)}: " + ", ".join(f"{n} {p}" for p, n in counts.items()))
    print(f"statistics.csv: {len(stats)} numbers")
    checks = pd.read_csv(reports / "tables" / "reconciliation.csv", encoding="utf-8-sig")
    counts = checks["status"].value_counts().to_dict()
    print(
        "reconciliation: "
        + ", ".join(f"{counts.get(k, 0)} {k}" for k in ("ok", "rounding", "mismatch"))
    )
    for row in checks[checks["status"] == "mismatch"].itertuples():
        print(
            f"  mismatch: {row.item} ({row.source}): published {row.stated:g}, recomputed {row.recomputed:.4g}"
        )
    for row in stats.head(8).itertuples():
        print(f"  {row.key} = {row.value} {row.unit}")


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(prog="python -m helpers.build")
    commands = parser.add_subparsers(dest="command", required=True)
    chapter = commands.add_parser("chapter", help="execute one notebook and export HTML + PDF")
    chapter.add_argument("--notebook", required=True)
    chapter.add_argument("--staging", required=True)
    chapter.add_argument("--data-dir", default="data/published")
    chapter.add_argument("--language", default="zh", choices=["zh", "en"])
    chapter.add_argument("--cutoff", default="2023-07-31")
    check = commands.add_parser("check", help="validate the input data (fast, before any chapter)")
    check.add_argument("--staging", required=True)
    check.add_argument("--data-dir", default="data/published")
    check.add_argument("--cutoff", default="2023-07-31")
    pub = commands.add_parser("publish", help="replace reports/ with a complete staging folder")
    pub.add_argument("--staging", required=True)
    pub.add_argument("--reports", default="reports")
    args = parser.parse_args(argv)
    try:
        {"chapter": build_chapter, "check": check_data, "publish": publish}[args.command](args)
    except Exception as error:  # the message is what the analyst needs; the traceback is noise
        from helpers.data.errors import DataInputError

        if isinstance(error, DataInputError):
            sys.exit(f"bad input data:\n{error}")
        name = type(error).__name__
        if name == "PapermillExecutionError":
            sys.exit(f"notebook {args.notebook} failed:\n{error}")
        raise


if __name__ == "__main__":
    main()
