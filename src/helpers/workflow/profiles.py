"""`make profiles`: the region profile (notebooks/profile.ipynb) for every province and every city
with at least 150 firms, run in warm kernels with the chapters (helpers.workflow.batch), into the edition's staging folder
`build/<edition>/reports/profiles/<slug>.html|pdf` (ASCII slugs from the reference English names:
jiangsu, shenzhen) plus `profiles/index.html` listing them with their headline numbers.

    python -m helpers.workflow.profiles list    --data-dir … --cutoff …      # the slugs, one a line
    python -m helpers.workflow.profiles build   --region jiangsu --build … --data-dir … --language …
    python -m helpers.workflow.profiles index   --build … --data-dir … --language …

`make report` and `make profiles` run every profile through `python -m helpers.workflow documents`
(one warm kernel per make -j job); `build` is one profile alone. A profile is rebuilt only when
the SHA-256 fingerprint of its inputs changed (the notebook, the helpers, the reference tables, the
pinned requirements, the published tables it may read or the firm-level folder, and the
parameters, region included), like the chapters (helpers.workflow.steps.build_chapter)."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from helpers.data.digest import files_digest, folder_files
from helpers.parameters import ParameterError, add_arguments
from helpers.paths import NOTEBOOKS_DIR, REPO_ROOT, display_path
from helpers.workflow.batch import Document

NOTEBOOK = NOTEBOOKS_DIR / "profile.ipynb"
PROFILES = "profiles"
CITY_MIN_FIRMS = 150  # as 图表3.3 (and helpers.firmlevel.firms.CITY_MIN_FIRMS)


def profile_regions(data_dir: str, cutoff: str) -> dict[str, str]:
    """slug -> canonical name: the 31 provinces, then the cities with >= CITY_MIN_FIRMS firms
    (a municipality is profiled once, as its province)."""
    from helpers.data import reference
    from helpers.data.source import DataSource
    from helpers.paths import resolve
    from helpers.report.profile import region_slug

    source = DataSource(resolve(data_dir), cutoff=cutoff)
    regions = {region_slug(p): p for p in reference.values("provinces", "province")}
    cities = source.table("firms_by_city")
    for row in cities[cities["firms"] >= CITY_MIN_FIRMS].itertuples():
        slug = region_slug(row.city)
        regions.setdefault(slug, row.city)
    return regions


def regions_file(edition) -> Path:
    return edition.staging.parent / "profile_regions.json"


def selected(regions: dict[str, str], only: str) -> list[str]:
    """The slugs `REGIONS` asks for: all, none, or a list of slugs or names (江苏, Jiangsu,
    jiangsu); a name that is not among the regions is an error naming the valid slugs."""
    wanted = only.replace(",", " ").split()
    if wanted == ["all"]:
        return list(regions)
    if wanted in ([], ["none"]):
        return []
    from helpers.parameters import check_region

    slugs = []
    for name in wanted:
        if name in regions:
            slug = name
        else:  # a name: 江苏 / Jiangsu -> jiangsu (imports the report code, so only for names)
            from helpers.report.profile import region_slug

            try:
                slug = region_slug(check_region(name)["region"])
            except ParameterError as error:
                raise ParameterError("REGIONS", name, error.problem) from None
        if slug not in regions:
            raise ParameterError("REGIONS", name, f"no profile; valid: {', '.join(regions)}")
        slugs.append(slug)
    return slugs


def input_files(data_dir: Path) -> list[Path]:
    from helpers.paths import DATA_DIR, PUBLISHED_DIR, REFERENCE_DIR
    from helpers.pipeline import PROFILE_TABLES
    from helpers.workflow import fingerprint as fp

    files = [NOTEBOOK, REPO_ROOT / "requirements.txt", *fp.statistics_declarations(NOTEBOOK)]
    # the helpers modules the profile imports (and the export's), not the whole package
    files += fp.document_sources(NOTEBOOK) + folder_files(REFERENCE_DIR)
    files += fp.published_files(list(PROFILE_TABLES))
    if Path(data_dir).resolve() != PUBLISHED_DIR.resolve():
        files += [*folder_files(data_dir), DATA_DIR / "firm_schema.yml"]
    return sorted(set(files))


def profile_documents(
    edition, slugs: list[str], regions: dict[str, str], with_pdf: bool = True
) -> list[Document]:
    """The profiles' documents (helpers.workflow.batch), one per slug of `regions` (HTML only
    when not `with_pdf`: make preview)."""
    from helpers.workflow import fingerprint as fp

    files = input_files(edition.checked["data_path"])
    folder = edition.staging / PROFILES
    documents = []
    for slug in slugs:
        parameters = {"region": regions[slug], **edition.parameters()}
        stem = f"profile_{slug}"
        documents.append(
            Document(
                name=stem,
                notebook=NOTEBOOK,
                parameters=parameters,
                html=folder / f"{slug}.html",
                pdf=folder / f"{slug}.pdf",
                executed=edition.staging.parent / "executed" / f"{stem}.ipynb",
                fingerprint=fp.document_digest(NOTEBOOK, files, parameters),
                language=edition.checked["language"],
                marker=edition.marker(stem),
                build=edition.build,
                edition=edition.id,
                region=slug,
                with_pdf=with_pdf,
            )
        )
    return documents


def build_profile(args) -> None:
    """One region's profile, unless up to date (helpers.workflow.batch, one kernel)."""
    from helpers.workflow import batch
    from helpers.workflow.editions import Edition, edition_lock

    edition = Edition(args)  # validates DATA_DIR, LANGUAGE, CUTOFF first
    regions = region_list(edition)
    if args.region not in regions:
        sys.exit(f"profiles: no profile '{args.region}'; known: {', '.join(regions)}")
    with edition_lock(edition.build, edition.id, shared=True):
        batch.run(profile_documents(edition, [args.region], regions), jobs=1)


def region_list(edition) -> dict[str, str]:
    """slug -> name of every profile of the edition's data, saved beside its staging folder
    with the data's fingerprint (a later run, or each profile step, need not load the data)."""
    import json

    from helpers.workflow.fingerprint import data_files

    checked = edition.checked
    saved = regions_file(edition)
    current = files_digest(data_files(checked["data_path"]), {"cutoff": checked["cutoff"]})
    cached = json.loads(saved.read_text(encoding="utf-8")) if saved.exists() else {}
    if cached.get("fingerprint") == current:  # same data: no need to load it again
        return cached["regions"]
    regions = profile_regions(edition.tables_dir, checked["cutoff"])
    saved.parent.mkdir(parents=True, exist_ok=True)
    record = {"fingerprint": current, "regions": regions}
    saved.write_text(json.dumps(record, ensure_ascii=False, indent=1), "utf-8")
    return regions


def headline(staging: Path, slug: str) -> dict:
    """The headline numbers a profile recorded (statistics/profile_<slug>.csv)."""
    import csv

    path = staging / "statistics" / f"profile_{slug}.csv"
    if not path.exists():
        return {}
    with path.open(encoding="utf-8", newline="") as handle:
        return {row["key"].split(".", 1)[1]: row for row in csv.DictReader(handle)}


def index_entries(edition, regions: dict[str, str], folder: Path) -> list:
    """One helpers.report.profile_index.Entry per built profile, with the numbers it recorded."""
    from helpers.data import reference
    from helpers.report.profile_index import Entry

    provinces = set(reference.values("provinces", "province"))
    return [
        Entry(
            slug,
            region,
            region in provinces,
            {k: float(row["value"]) for k, row in headline(edition.staging, slug).items()},
        )
        for slug, region in regions.items()
        if (folder / f"{slug}.html").exists()
    ]


def index_context(edition, entries: list) -> dict:
    """The words of the index's introduction: the 2023 date and count, 000's 2021 count."""
    from helpers.data.source import DataSource
    from helpers.report import words
    from helpers.report.format import format_with_unit

    language = edition.checked["language"]
    source = DataSource(edition.tables_dir, cutoff=edition.checked["cutoff"])
    as_of = source.table("firms_by_province").attrs["as_of"]
    numbers = entries[0].numbers if entries else {}

    def count(key):
        value = numbers.get(key)
        return "–" if value is None else format_with_unit(value, "家", language, compact=True)

    return {
        "min_firms": CITY_MIN_FIRMS,
        "date_001": words.format_date(as_of, language),
        "national": count("national_firms"),
        "firms_000": count("growth.nation.firms_2021"),
    }


def write_index(args) -> Path:
    """profiles/index.html (and index.csv): a tile map of the provinces linking to their
    profiles, then the provinces and the cities apart, in tables an analyst sorts
    (helpers.report.profile_index)."""
    from helpers.workflow.editions import Edition

    edition = Edition(args)
    language = edition.checked["language"]
    folder = edition.staging / PROFILES
    # The index depends only on which profiles were built from which inputs (their markers).
    markers = sorted((edition.staging.parent / "done").glob("profile_*.sha256"))
    built = sorted(p.name for p in folder.glob("*.html") if p.name != "index.html")
    state = "\n".join([*built, *(m.read_text() for m in markers)])
    stamp = edition.staging.parent / "done" / "profiles_index.state"
    target = folder / "index.html"
    if target.exists() and stamp.exists() and stamp.read_text(encoding="utf-8") == state:
        print(f"up to date: {display_path(target)}")
        return target
    # heavy (pandas, the page templates): only when the index is written
    from helpers.report import profile_index
    from helpers.report.html import profile_nav, render_page
    from helpers.report.labels import label

    regions = region_list(edition)
    entries = index_entries(edition, regions, folder)
    body, table_csv, counts = profile_index.page_body(
        entries, language, index_context(edition, entries)
    )
    title = label("profile.index.title", language)
    page = render_page(
        body_html=body, language=language, title=title, nav=profile_nav(target, language)
    )
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_text(page, encoding="utf-8")
    (folder / "index.csv").write_text(table_csv, encoding="utf-8-sig")  # BOM: Excel reads it
    stamp.parent.mkdir(parents=True, exist_ok=True)
    stamp.write_text(state, encoding="utf-8")
    print(f"wrote {display_path(target)}: {counts['count']} profiles")
    return target


def publish_profiles(staging: Path, fresh: Path) -> None:
    """Copy the staged profiles/ (HTML, PDF, index) into the edition folder being published."""
    import shutil

    source = Path(staging) / PROFILES
    if not source.is_dir():
        return
    target = Path(fresh) / PROFILES
    target.mkdir(parents=True, exist_ok=True)
    for path in sorted(source.glob("*")):
        if path.suffix in (".html", ".pdf", ".csv"):
            shutil.copy2(path, target / path.name)


def main(argv: list[str] | None = None) -> None:
    from helpers.workflow.failures import one_line

    parser = argparse.ArgumentParser(prog="python -m helpers.workflow.profiles")
    commands = parser.add_subparsers(dest="command", required=True)
    for name in ("list", "build", "index"):
        sub = commands.add_parser(name)
        add_arguments(sub, "build", "reports", "data_dir", "language", "cutoff", "previous")
        if name == "build":
            sub.add_argument("--region", required=True, help="a slug from `list`")
        if name == "list":
            sub.add_argument(
                "--only",
                default="all",
                help="REGIONS: 'all', 'none', or slugs or names separated by spaces or commas",
            )
    args = parser.parse_args(argv)
    with one_line(f"profiles {args.command}"):
        if args.command == "list":
            from helpers.workflow.editions import Edition

            print("\n".join(selected(region_list(Edition(args)), args.only)))
        elif args.command == "build":
            build_profile(args)
        else:
            write_index(args)


if __name__ == "__main__":
    main()
