"""A next-year variant of a firm-level folder (by default the synthetic sample): every patent row
one year later, to be built with the cut-off one year later (2023-07-31 → 2024-07-31). It
stands in for next year's export, to show that the years of the report follow the data and the
cut-off, not the code (tests/test_years.py):

    python -m tools.later_cutoff data/sample build/later-cutoff
    python -m helpers.workflow chapter --notebook notebooks/02_innovation.ipynb \\
        --data-dir build/later-cutoff --cutoff 2024-07-31

Every figure of a year moves with it: the sample's 2020–2022 growth rates become 2021–2023 ones
of the same value, its 2022 vs 2023 PCT holdings become 2023 vs 2024. The firms have no dates
(firms.csv and listings.csv are copied byte for byte); only `year` of patents.csv changes."""

from __future__ import annotations

import argparse
from pathlib import Path

from tools.variants import write_with_one_file_changed

YEARS = 1  # years every patent row moves


def later_cutoff(cutoff: str, years: int = YEARS) -> str:
    """The cut-off `years` later, same month and day: 2023-07-31 → 2024-07-31."""
    return f"{int(cutoff[:4]) + years:04d}{cutoff[4:]}"


def write_variant(source: Path, target: Path, years: int = YEARS) -> Path:
    """Copy `source` to `target` with every patent row `years` later; returns `target`. Every
    file but patents.csv (and the sample's README.md, which describes the original) is copied
    byte for byte."""
    source = Path(source)
    if not (source / "patents.csv").is_file():
        raise ValueError(f"{source / 'patents.csv'}: no such file (a later cut-off moves its rows)")

    def later(patents):
        patents["year"] = (patents["year"].astype(int) + years).astype(str)
        return patents

    return write_with_one_file_changed(source, target, "patents.csv", later)


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("source", type=Path, help="a firm-level folder, e.g. data/sample")
    parser.add_argument("target", type=Path, help="the folder to write")
    parser.add_argument("--years", type=int, default=YEARS, help="years every patent row moves")
    args = parser.parse_args(argv)
    print(write_variant(args.source, args.target, args.years))


if __name__ == "__main__":
    main()
