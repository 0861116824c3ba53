"""The build's parameters, checked before any kernel starts: `validate()` returns them
normalised or raises `ParameterError` naming the parameter (as the Makefile spells it), the value
and what would be valid, e.g. `CUTOFF=notadate: not a date; expected YYYY-MM-DD, e.g. 2023-07-31`.

Kept free of heavy imports (pathlib, datetime, re): it runs first in every build step.
A new parameter (say `region`) is one function in `VALIDATORS` and a keyword of `validate()`.

The Makefile hands its parameters to the steps in the environment, as ZJTX_DATA_DIR, ZJTX_FIRM, …
(`environment_name`), never pasted into a command line: no shell ever reads a value, so a folder
or firm id with quotes, backticks or `$(…)` is only ever data. `add_arguments` gives every step's
command line the same options, each defaulting to its environment variable."""

from __future__ import annotations

import datetime
import os
import re
from collections.abc import Callable
from pathlib import Path

LANGUAGES = ("zh", "en")  # the label editions (helpers.report.labels.LANGUAGES; a test checks)
DEFAULTS = {"data_dir": "data/published", "language": "zh", "cutoff": "2023-07-31"}
_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")
ENVIRONMENT_PREFIX = "ZJTX_"  # 专精特新: the Makefile's parameters as the steps read them


class ParameterError(ValueError):
    """A build parameter with a value the build cannot use; the message is one line."""

    def __init__(self, name: str, value: object, problem: str):
        self.name, self.value, self.problem = name, value, problem
        super().__init__(f"{name.upper()}={value}: {problem}")


def _root() -> Path:
    from helpers.paths import REPO_ROOT  # os + pathlib only

    return REPO_ROOT


# The files that make a folder a firm-level export (firms.csv, firms.xlsx or firms.parquet).
FIRM_FILES = tuple(f"firms.{suffix}" for suffix in ("csv", "xlsx", "parquet"))


def folder_kind(folder: Path) -> str | None:
    """What a data folder holds — the one place this is decided: 'published' for tables shaped
    like data/published/ (catalog_*.yml; also a firm-level export's aggregated tables),
    'firm-level' for an analyst's export (firms.csv|xlsx|parquet), None for neither."""
    folder = Path(folder)
    if any(folder.glob("catalog_*.yml")):
        return "published"
    # a firms file that is there but unreadable (a dangling link) is still an export: its
    # reader then names what is wrong with it, rather than "no export in this folder"
    if any((folder / name).is_file() or (folder / name).is_symlink() for name in FIRM_FILES):
        return "firm-level"
    return None


def check_data_dir(value: str | Path) -> dict:
    """A folder of published tables (catalog_*.yml) or a firm-level export (firms.csv|xlsx)."""
    text = str(value).strip()
    if not text:
        raise ParameterError("data_dir", value, "empty; expected a folder, e.g. data/published")
    folder = Path(text).expanduser()
    folder = folder if folder.is_absolute() else _root() / folder
    if not folder.is_dir():
        problem = "not a folder" if folder.exists() else "folder not found"
        raise ParameterError("data_dir", value, problem)
    kind = folder_kind(folder)
    if kind is None:
        raise ParameterError(
            "data_dir",
            value,
            "neither published tables (catalog_*.yml) nor a firm-level export "
            "(firms.csv|xlsx|parquet) in this folder; see data/README.md",
        )
    return {
        "data_dir": text,
        "data_path": folder.resolve(),
        "kind": kind,
        "synthetic": (folder / "SYNTHETIC").exists(),
    }


def check_previous(value: str | Path) -> dict:
    """The previous edition's data folder (PREVIOUS), checked like DATA_DIR; empty = none.
    Returns previous_dir (as given, '' for none), previous_path and previous_kind (or None)."""
    text = str(value or "").strip()
    if not text:
        return {"previous_dir": "", "previous_path": None, "previous_kind": None}
    try:
        found = check_data_dir(text)
    except ParameterError as error:
        raise ParameterError("previous", value, error.problem) from None
    return {
        "previous_dir": text,
        "previous_path": found["data_path"],
        "previous_kind": found["kind"],
    }


def check_language(value: str) -> dict:
    if value not in LANGUAGES:
        raise ParameterError("language", value, f"unknown language; valid: {', '.join(LANGUAGES)}")
    return {"language": value}


def check_cutoff(value: str) -> dict:
    """The data cut-off date, YYYY-MM-DD, a real calendar date."""
    example = DEFAULTS["cutoff"]
    text = str(value).strip()
    if not _DATE.fullmatch(text):
        raise ParameterError("cutoff", value, f"not a date; expected YYYY-MM-DD, e.g. {example}")
    try:
        datetime.date(*map(int, text.split("-")))
    except ValueError as error:
        raise ParameterError("cutoff", value, f"not a real date ({error})") from None
    return {"cutoff": text}


# The rulebooks' periods (data/published/catalog_miit.yml): the earliest day any is in force.
RULEBOOKS_FILE = "miit_rulebooks.csv"


def earliest_rulebook_date() -> str | None:
    """The first day a rulebook of data/published is in force (csv module only), or None when
    the table is missing: helpers.screening.rulebooks says more when it loads them."""
    import csv

    from helpers.paths import PUBLISHED_DIR

    try:
        with (PUBLISHED_DIR / RULEBOOKS_FILE).open(encoding="utf-8", newline="") as handle:
            starts = [row["in_force_from"] for row in csv.DictReader(handle)]
    except (OSError, KeyError):
        return None
    return min(starts) if starts else None


def check_assessment_date(value: str, name: str = "assessment_date") -> dict:
    """The assessment date (ASSESSMENT_DATE; `make assess` DATE): the rulebook in force that
    day judges the firms. Empty = the cut-off (then checked with it, in `validate`); else a
    real date, YYYY-MM-DD, on or after the first day a rulebook of the data is in force."""
    text = str(value or "").strip()
    if not text:
        return {name: ""}
    try:
        check_cutoff(text)
    except ParameterError as error:
        raise ParameterError(name, value, error.problem) from None
    earliest = earliest_rulebook_date()
    if earliest is not None and text < earliest:
        problem = (
            f"before every rulebook of the data (MIIT tier measures); the earliest date "
            f"available is {earliest}"
        )
        raise ParameterError(name, value, problem)
    return {name: text}


def check_date(value: str) -> dict:
    """`make assess DATE=…`: an assessment date for one firm's card (check_assessment_date)."""
    return check_assessment_date(value, "date")


def _region_names() -> dict[str, tuple[str, str]]:
    """Every spelling of a province or city in data/reference (name, short name, English name,
    variants; case-insensitive) -> (canonical name, 'province' | 'city'). csv module only."""
    import csv

    from helpers.paths import REFERENCE_DIR

    names: dict[str, tuple[str, str]] = {}
    for table, column, level in (("cities", "city", "city"), ("provinces", "province", "province")):
        with (REFERENCE_DIR / f"{table}.csv").open(encoding="utf-8", newline="") as handle:
            for row in csv.DictReader(handle):
                spellings = [row[column], row["short_name"], row["name_en"]]
                spellings += row.get("name_variants", "").split(";")
                for spelling in spellings:
                    if spelling.strip():
                        # 北京市 is a province and a city: the province (the wider unit) wins.
                        names[spelling.strip().casefold()] = (row[column], level)
    # 新疆生产建设兵团 (not a city) is counted in its province: its profile is the province's.
    with (REFERENCE_DIR / "province_folds.csv").open(encoding="utf-8", newline="") as handle:
        for row in csv.DictReader(handle):
            spellings = [row["name"], row["name_en"], *row.get("name_variants", "").split(";")]
            for spelling in spellings:
                key = spelling.strip().casefold()
                if key and key not in names:
                    names[key] = (
                        row["city"] or row["province"],
                        "city" if row["city"] else "province",
                    )
    return names


def close_matches(text: str, candidates: list[str], n: int = 5, cutoff: float = 0.5) -> list[str]:
    """The candidates closest to `text`, best first: difflib's ratio (a name told apart by its
    province counts without it too: Taizhou → Taizhou (Jiangsu), Taizhou (Zhejiang)), then the
    characters in the same place (宁坡市 → 宁波市 before 遂宁市, whose ratio is the same), then
    the candidates' order (the reference tables list the seeds' cities first)."""
    import difflib

    def score(candidate: str) -> tuple:
        ratio = max(
            difflib.SequenceMatcher(None, text, name).ratio()
            for name in (candidate, candidate.split(" (")[0])
        )
        same_place = sum(a == b for a, b in zip(text, candidate, strict=False))
        return (-ratio, -same_place)

    scored = [(score(c), i, c) for i, c in enumerate(candidates)]
    return [c for s, _, c in sorted(scored) if -s[0] >= cutoff][:n]


def check_region(value: str) -> dict:
    """A province or city of data/reference (江苏, 江苏省, Jiangsu, 宁波 …): its canonical name
    and level; an unknown name lists the closest valid names."""
    text = str(value).strip()
    names = _region_names()
    found = names.get(text.casefold())
    if found is None:
        canonical = sorted({name for name, _ in names.values()})
        spellings = {s: names[s][0] for s in names}
        close = close_matches(text.casefold(), list(spellings))
        suggestions = list(dict.fromkeys(spellings[c] for c in close))
        if suggestions:
            problem = f"unknown province or city; did you mean {', '.join(suggestions)}?"
        else:
            problem = (
                f"unknown province or city; valid: the {len(canonical)} names in "
                "data/reference/provinces.csv and cities.csv"
            )
        raise ParameterError("region", value, problem)
    return {"region": found[0], "region_level": found[1]}


def available_cores() -> int:
    """The cores this process may run on (a container's or taskset's share, not the machine's)."""
    try:
        return len(os.sched_getaffinity(0)) or 1
    except AttributeError:  # macOS, Windows
        return os.cpu_count() or 1


def check_jobs(value: str | int | None) -> dict:
    """JOBS: how many kernels build documents at once; empty (or 0) = make's -j."""
    text = str(value if value is not None else "").strip()
    if text in ("", "0"):
        return {"jobs": 0}
    if not text.isascii() or not text.isdigit():
        raise ParameterError(
            "jobs",
            value,
            f"not a whole number; expected the digits 0-9, e.g. JOBS={available_cores()} "
            "(this machine's cores)",
        )
    return {"jobs": int(text)}


VALIDATORS: dict[str, Callable[..., dict]] = {
    "data_dir": check_data_dir,
    "language": check_language,
    "cutoff": check_cutoff,
    "region": check_region,
    "previous": check_previous,
    "jobs": check_jobs,
    "assessment_date": check_assessment_date,
    "date": check_date,
}


def environment_name(name: str) -> str:
    """The environment variable the Makefile sets for a parameter: data_dir -> ZJTX_DATA_DIR."""
    return ENVIRONMENT_PREFIX + name.upper()


def from_environment(name: str, default: str = "") -> str:
    """A parameter as the Makefile handed it over (ZJTX_<NAME>), else `default`."""
    return os.environ.get(environment_name(name), default)


# The options of the build's steps: (name, default when the Makefile set nothing, help).
ARGUMENTS = {
    "build": ("build", "build folder (BUILD)"),
    "reports": ("reports", "where editions are published (REPORTS)"),
    "data_dir": (DEFAULTS["data_dir"], "the data folder (DATA_DIR)"),
    "language": (DEFAULTS["language"], "the edition's language (LANGUAGE)"),
    "cutoff": (DEFAULTS["cutoff"], "the data cut-off, YYYY-MM-DD (CUTOFF)"),
    "previous": ("", "the previous edition's data folder (PREVIOUS)"),
    "regions": ("all", "which profiles: all, none, slugs or names (REGIONS)"),
    "jobs": ("", "kernels at a time; empty = make's -j (JOBS)"),
    "firm": ("", "a firm_id of DATA_DIR's firms table (FIRM)"),
    "assessment_date": ("", "the date whose rulebook judges the firms; empty = CUTOFF"),
    "date": ("", "make assess: the date whose rulebook judges the firm; empty = ASSESSMENT_DATE"),
}


def add_arguments(parser, *names: str, **defaults: str) -> None:
    """Add `--data-dir`, `--language`, … (ARGUMENTS' `names`) to an argparse parser, each
    defaulting to the Makefile's environment variable, else to ARGUMENTS' default (or the one
    given here, e.g. regions="none")."""
    for name in names:
        default, help_text = ARGUMENTS[name]
        parser.add_argument(
            f"--{name.replace('_', '-')}",
            default=from_environment(name, defaults.get(name, default)),
            help=help_text,
        )


def validate(
    data_dir: str | Path = DEFAULTS["data_dir"],
    language: str = DEFAULTS["language"],
    cutoff: str = DEFAULTS["cutoff"],
    **more: object,
) -> dict:
    """Every parameter checked, in the order given; returns data_dir (as given), data_path
    (absolute), kind ('published' or 'firm-level'), synthetic, language and cutoff (and, for
    `previous=`, previous_dir, previous_path and previous_kind)."""
    values = {"data_dir": data_dir, "language": language, "cutoff": cutoff, **more}
    result: dict = {}
    for name, value in values.items():
        if name not in VALIDATORS:
            valid = ", ".join(n.upper() for n in VALIDATORS)
            raise ParameterError(name, value, f"unknown parameter; known: {valid}")
        result.update(VALIDATORS[name](value))
    for name in ("assessment_date", "date"):
        if name in result and not result[name]:
            # empty: the cut-off is the assessment date, and must itself have a rulebook
            try:
                check_assessment_date(result["cutoff"], name)
            except ParameterError as error:
                shown = f"(empty, so CUTOFF={result['cutoff']})"
                raise ParameterError(name, shown, error.problem) from None
    if result.get("previous_path") and result["previous_path"] == result.get("data_path"):
        problem = "the same folder as DATA_DIR; expected the previous edition's data folder"
        raise ParameterError("previous", values["previous"], problem)
    return result


def main(argv: list[str] | None = None) -> None:
    """`python -m helpers.parameters --cutoff X …`: one line, exit 1 on a bad value."""
    import argparse
    import sys

    parser = argparse.ArgumentParser(prog="python -m helpers.parameters")
    for name, default in DEFAULTS.items():
        parser.add_argument(f"--{name.replace('_', '-')}", default=default)
    parser.add_argument("--previous", default="")
    args = parser.parse_args(argv)
    try:
        checked = validate(args.data_dir, args.language, args.cutoff, previous=args.previous)
    except ParameterError as error:
        sys.exit(str(error))
    print(
        f"parameters ok: DATA_DIR={checked['data_dir']} ({checked['kind']}), "
        f"LANGUAGE={checked['language']}, CUTOFF={checked['cutoff']}"
    )


if __name__ == "__main__":
    main()
