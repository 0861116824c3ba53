"""The MIIT measures as rulebooks, versioned by date (data/published/catalog_miit.yml): each
rulebook is the rows of `rulebook_conditions` under its id, the points rules its `points_table`
gives for its `scored_tiers`, and the dates it is in force; `rulebook_transitions` says what the
older rulebook still judges after the newer one took over. No threshold is written here.

    book = rulebooks.for_date("2026-06-01")     # the rulebook in force on that date
    book.roots                                   # tier name → rule tree (tiers nest)
    result = book.screen(firms)                  # helpers.screening.evaluate.Screening

A date before every rulebook raises NoRulebook naming the earliest date there is."""

from __future__ import annotations

import functools
from dataclasses import dataclass

import pandas as pd

from helpers.data.catalog import load_published
from helpers.screening.rules import Rule, build_tree


class NoRulebook(ValueError):
    """No rulebook of the data is in force on the date asked for; the message is one line."""


@dataclass(frozen=True)
class Rulebook:
    id: str
    title: str
    document_no: str
    issued: str
    in_force_from: str
    in_force_to: str | None
    conditions: pd.DataFrame  # its rows of rulebook_conditions
    points: pd.DataFrame  # its points rules (of its scored tiers), with tier_code
    row: pd.DataFrame  # its row of `rulebooks` (the source of what is said about it)

    @functools.cached_property
    def roots(self) -> dict[str, Rule]:
        """Tier name → root rule, lowest tier first."""
        return build_tree(self.conditions)

    @property
    def tier_codes(self) -> dict[str, str]:
        return {tier: root.id for tier, root in self.roots.items()}

    def in_force(self, date: str) -> bool:
        return self.in_force_from <= date and (self.in_force_to is None or date <= self.in_force_to)

    def screen(self, firms: pd.DataFrame):
        """Every firm of `firms` under this rulebook (helpers.screening.evaluate.screen)."""
        from helpers.screening.evaluate import screen

        result = screen(firms, self.roots, self.points)
        result.rulebook = self
        return result

    def rules_by_id(self) -> dict[str, Rule]:
        return {rule.id: rule for root in self.roots.values() for rule in root.walk()}

    def has_review(self) -> bool:
        """Whether some condition can only be decided by a review (never from data)."""
        return any(rule.operator == "review" for rule in self.rules_by_id().values())

    def __hash__(self) -> int:
        return hash(self.id)

    def __eq__(self, other) -> bool:
        return isinstance(other, Rulebook) and other.id == self.id


def points_tier_code(indicator_id: pd.Series) -> pd.Series:
    """The tier code of a points rule: its indicator id's first part (CX.P1 → CX)."""
    return indicator_id.astype(str).str.split(".").str[0]


@functools.cache
def load_rulebooks() -> dict[str, Rulebook]:
    """Every rulebook of data/published, oldest first (their periods never overlap: the
    catalogue refuses that)."""
    table = load_published("rulebooks").sort_values("in_force_from", kind="stable")
    conditions = load_published("rulebook_conditions")
    found = {}
    for index, row in table.iterrows():
        points = load_published(str(row["points_table"]))
        points = points.assign(tier_code=points_tier_code(points["indicator_id"]))
        scored = str(row["scored_tiers"]).split(";")
        rows = conditions[conditions["rulebook"] == row["rulebook"]]
        found[str(row["rulebook"])] = Rulebook(
            id=str(row["rulebook"]),
            title=str(row["title"]),
            document_no=str(row["document_no"]),
            issued=str(row["issued"]),
            in_force_from=str(row["in_force_from"]),
            in_force_to=None if pd.isna(row["in_force_to"]) else str(row["in_force_to"]),
            conditions=rows,
            points=points[points["tier_code"].isin(scored)],
            row=table.loc[[index]],
        )
    return found


def earliest() -> str:
    return min(book.in_force_from for book in load_rulebooks().values())


def for_date(date: str) -> Rulebook:
    """The rulebook in force on `date` (YYYY-MM-DD); NoRulebook when none is."""
    for book in load_rulebooks().values():
        if book.in_force(str(date)):
            return book
    raise NoRulebook(
        f"no rulebook of the data is in force on {date}; the earliest date available is "
        f"{earliest()} (data/published/miit_rulebooks.csv)"
    )


def successor(book: Rulebook) -> Rulebook | None:
    """The rulebook that took over from `book`, or None while it is the latest."""
    books = list(load_rulebooks().values())
    position = books.index(book)
    return books[position + 1] if position + 1 < len(books) else None


@functools.cache
def transitions() -> pd.DataFrame:
    """What an older rulebook still judges after the newer took over (rulebook_transitions)."""
    return load_published("rulebook_transitions")


def transitions_on(date: str, book: Rulebook) -> pd.DataFrame:
    """The transition rules in effect on `date` by which `book` still judges something."""
    rows = transitions()
    started = rows["start"] <= str(date)
    running = rows["end"].isna() | (rows["end"].fillna("") >= str(date))
    return rows[started & running & (rows["judged_by"] == book.id)]


def conditions_rows(books: list[Rulebook] | None = None) -> pd.DataFrame:
    """The condition rows of `books` (default: all), for a source line."""
    books = list(load_rulebooks().values()) if books is None else books
    return pd.concat([book.conditions for book in books])


def batches_judged(batches: pd.DataFrame, books: dict[str, Rulebook] | None = None):
    """Which rulebook judged each batch (a table with batch_no and year, one row per batch):
    `judged_by` = the rulebook in force all that year, `from_date` = the day a rulebook took
    effect within that year ('' when none did), '' for a batch judged before every rulebook
    of the data; `re_review` = the rulebook a transition rule names for its later re-review
    (its `re_review_year`), else ''."""
    books = load_rulebooks() if books is None else books
    rows = []
    re_review = transitions()
    re_review = re_review[re_review["batches"].notna()]
    for row in batches.drop_duplicates("batch_no").sort_values("batch_no").itertuples():
        start, end = f"{row.year}-01-01", f"{row.year}-12-31"
        whole = [b for b in books.values() if b.in_force(start) and b.in_force(end)]
        begun = [b for b in books.values() if start < b.in_force_from <= end]
        judged = whole[0].id if whole else (begun[0].id if begun else "")
        named = re_review["batches"].str.split(";").map(set)
        later = re_review[named.map({str(row.batch_no)}.issubset)]
        rows.append(
            {
                "batch_no": int(row.batch_no),
                "batch": row.batch,
                "year": int(row.year),
                "judged_by": judged,
                "from_date": begun[0].in_force_from if begun and not whole else "",
                "re_review": str(later["judged_by"].iloc[0]) if len(later) else "",
                "re_review_year": str(later["start"].iloc[0])[:4] if len(later) else "",
            }
        )
    return pd.DataFrame(rows)


def condition_counts(books: dict[str, Rulebook] | None = None) -> pd.DataFrame:
    """Per rulebook: its conditions (leaves), those only a review decides, those known only
    from secondary sources (trust B–D: not confirmed by the official text) and those that are
    our reading (inferred)."""
    books = load_rulebooks() if books is None else books
    rows = []
    for book in books.values():
        leaves = book.conditions[book.conditions["logic"] == "leaf"]
        rows.append(
            {
                "rulebook": book.id,
                "conditions": len(leaves),
                "review": int((leaves["operator"] == "review").sum()),
                "secondary": int((leaves["trust"] != "A").sum()),
                "inferred": int(leaves["inferred"].sum()),
            }
        )
    return pd.DataFrame(rows)
