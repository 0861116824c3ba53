"""Convert a firm-level folder's patents by firm and year (patents.csv) into one row per patent
(patent_records.csv) that helpers.firmlevel.records aggregates back to the same firm-year figures
the report uses; firms.csv and listings.csv are copied. Deterministic (no randomness).

    .venv/bin/python -m tools.patent_records data/sample build/records-sample

Per firm and year row: `applications` CN rows (the first `invention_applications` of type
invention, the rest utility and design in turn) and `pct_applications` PCT rows, dated within the
year (a carry-in row's over the five years up to its year). The firm's invention grants go to its
earliest invention rows (granted 400 days after application, at the latest on the cut-off); its
valid invention patents at its latest row are its earliest invention rows marked valid, plus
acquired rows (filed_by_firm = false) where the stock exceeds its own inventions; its citations
and licences sit on its first row (only their sums enter the report).
"""

from __future__ import annotations

import csv
import datetime as dt
import shutil
import sys
from pathlib import Path

from helpers.firmlevel.read import CUTOFF, firm_specs

COLUMNS = list(firm_specs()["patent_records"].columns)
OTHER_TYPES = ("utility", "design")


def _date(year: int, k: int, cutoff: dt.date) -> dt.date:
    day = dt.date(year, 1 + k % 6, 1 + k % 28)
    return min(day, cutoff)


def firm_records(firm_id: str, rows: list[dict], cutoff: dt.date) -> list[dict]:
    """The patent rows of one firm from its firm-year rows (sorted by year)."""
    records, inventions = [], []
    for row in rows:
        year = int(row["year"])
        carry = row.get("includes_earlier_years", "false") == "true"
        applications, invent = int(row["applications"]), int(row["invention_applications"])
        for k in range(applications + int(row["pct_applications"])):
            pct = k >= applications
            kind = "invention" if pct or k < invent else OTHER_TYPES[(k - invent) % 2]
            filed = _date(year - (k % 5 if carry else 0), k, cutoff)
            record = {"firm_id": firm_id, "application_date": filed, "patent_type": kind}
            records.append({**record, "pct": pct, "status": "pending", "filed_by_firm": True})
            if kind == "invention" and not pct:
                inventions.append(records[-1])
    inventions.sort(key=lambda r: r["application_date"])
    grants = sum(int(r["invention_grants"]) for r in rows)
    for record in inventions[:grants]:
        record["grant_date"] = min(record["application_date"] + dt.timedelta(days=400), cutoff)
    valid = int(rows[-1]["valid_invention_patents"])
    for record in inventions[:valid]:
        record["status"] = "valid"
    for k in range(valid - len(inventions)):
        acquired = {"firm_id": firm_id, "application_date": dt.date(2015, 1, 1 + k % 28)}
        records.append(
            {**acquired, "patent_type": "invention", "pct": False, "status": "valid"}
            | {"filed_by_firm": False}
        )
    citations = sum(int(r["citations_received"]) for r in rows)
    licences = sum(int(r["licences_out"]) for r in rows)
    if (citations or licences) and not records:
        raise ValueError(f"{firm_id}: citations or licences without any patent")
    if records:
        records[0]["citations"], records[0]["licences"] = citations, licences
    return records


def _cell(value) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    return "" if value is None else str(value)


def convert(source: Path, target: Path, cutoff: str = CUTOFF) -> Path:
    """Write target/patent_records.csv (and copies of firms and listings) from source."""
    source, target = Path(source), Path(target)
    target.mkdir(parents=True, exist_ok=True)
    end = dt.date.fromisoformat(cutoff)
    by_firm: dict[str, list[dict]] = {}
    with open(source / "patents.csv", encoding="utf-8-sig", newline="") as handle:
        for row in csv.DictReader(handle):
            by_firm.setdefault(row["firm_id"], []).append(row)
    with open(target / "patent_records.csv", "w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle, lineterminator="\n")
        writer.writerow(COLUMNS)
        number = 0
        for firm_id, rows in by_firm.items():
            for record in firm_records(firm_id, sorted(rows, key=lambda r: int(r["year"])), end):
                number += 1
                record = {"patent_id": f"P{number:09d}", "citations": 0, "licences": 0} | record
                writer.writerow([_cell(record.get(c)) for c in COLUMNS])
    for name in ("firms.csv", "listings.csv", "SYNTHETIC"):
        if (source / name).exists():
            shutil.copyfile(source / name, target / name)
    return target


if __name__ == "__main__":
    print(convert(Path(sys.argv[1]), Path(sys.argv[2])))
