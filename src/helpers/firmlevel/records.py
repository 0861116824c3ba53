"""Patent-level input: `patent_records` (one row per patent, what patent databases export) instead
of `patents` (one row per firm and year), aggregated in SQL to the same per-firm-year table.

Counting (documented in data/README.md, section "patent_records"):

* the row's year is the year of `application_date`; years up to the cut-off year − 4 (2019 for
  2023-07-31) are folded into one carry-in row per firm (includes_earlier_years = true), as the
  per-year exports give them: the yearly figures of the report start the year after;
* applications = rows filed by the firm (`filed_by_firm`, default true) that are not PCT
  international applications, by type: invention_applications = those of type invention;
* pct_applications = PCT international applications (`pct` = true; a PCT filing's national-phase
  entry in China is an ordinary row);
* invention_grants = the firm's own invention rows by the year of `grant_date`;
* citations_received and licences_out = sums of `citations` and `licences` by application year;
* valid_invention_patents at the end of a year = invention rows (own or acquired, not PCT) whose
  `status` at the cut-off is valid, filed up to that year: the latest row holds every valid
  invention patent the firm holds at the cut-off.
"""

from __future__ import annotations

from helpers.data.errors import Problem
from helpers.firmlevel import columns
from helpers.firmlevel.integrity import first_rows, row_problems

# Years of the report's yearly figures after the carry-in year (2020–2023 for a 2023 cut-off).
YEARLY_YEARS = 4
# Spellings of patent_type and status (发明, 有效 …): helpers.firmlevel.columns, with the other
# value forms of exports.
WORDS = {"patent_records": columns.WORDS["patent_records"]}
OWN_CN = "filed_by_firm AND NOT pct"
INVENTION = "patent_type = 'invention'"


def carry_year(cutoff: str) -> int:
    return int(cutoff[:4]) - YEARLY_YEARS


def problems(con, file: str, cutoff: str, lines=None) -> list[Problem]:
    """Dates after the cut-off, grants before their application."""
    found = []
    for column in ("application_date", "grant_date"):
        rows, count = first_rows(
            con,
            f"SELECT _row, CAST({column} AS VARCHAR) FROM patent_records "
            f"WHERE {column} > DATE '{cutoff}'",
            lines,
        )
        found += row_problems(
            file, rows, count, column, lambda r: f"date after the cut-off {cutoff}"
        )
    rows, count = first_rows(
        con,
        "SELECT _row, CAST(grant_date AS VARCHAR), CAST(application_date AS VARCHAR) "
        "FROM patent_records WHERE grant_date < application_date",
        lines,
    )
    found += row_problems(
        file, rows, count, "grant_date", lambda r: f"granted before its application date {r[2]}"
    )
    return found


def aggregate(con, cutoff: str) -> None:
    """The typed table `patents` (as if read from patents.csv) from `patent_records`."""
    fold = carry_year(cutoff)
    con.execute(
        f"""
        CREATE OR REPLACE TABLE patents AS
        WITH events AS (
            SELECT firm_id, greatest(year(application_date), {fold}) AS year,
                count(*) FILTER (WHERE {OWN_CN}) AS applications,
                count(*) FILTER (WHERE {OWN_CN} AND {INVENTION}) AS invention_applications,
                count(*) FILTER (WHERE filed_by_firm AND pct) AS pct_applications,
                0 AS invention_grants,
                sum(citations) AS citations_received,
                sum(licences) AS licences_out,
                count(*) FILTER (WHERE NOT pct AND {INVENTION} AND status = 'valid') AS valid
            FROM patent_records GROUP BY ALL
            UNION ALL
            SELECT firm_id, greatest(year(grant_date), {fold}), 0, 0, 0, count(*), 0, 0, 0
            FROM patent_records
            WHERE grant_date IS NOT NULL AND {OWN_CN} AND {INVENTION} GROUP BY ALL
        ), years AS (
            SELECT firm_id, year,
                CAST(sum(applications) AS BIGINT) AS applications,
                CAST(sum(invention_applications) AS BIGINT) AS invention_applications,
                CAST(sum(pct_applications) AS BIGINT) AS pct_applications,
                CAST(sum(invention_grants) AS BIGINT) AS invention_grants,
                CAST(sum(citations_received) AS BIGINT) AS citations_received,
                CAST(sum(licences_out) AS BIGINT) AS licences_out,
                sum(valid) AS valid
            FROM events GROUP BY firm_id, year
        )
        SELECT CAST(row_number() OVER (ORDER BY firm_id, year) + 1 AS BIGINT) AS _row,
            firm_id, CAST(year AS BIGINT) AS year, year = {fold} AS includes_earlier_years,
            applications, invention_applications, pct_applications, invention_grants,
            citations_received, licences_out,
            CAST(sum(valid) OVER (PARTITION BY firm_id ORDER BY year) AS BIGINT)
                AS valid_invention_patents
        FROM years ORDER BY _row
        """
    )
