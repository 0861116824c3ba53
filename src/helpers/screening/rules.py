"""The criteria as rule trees: one tree per tier, from rows shaped like `rulebook_conditions`
(one rulebook's rows) or 004's `miit_criteria` (whose leaves take their attribute from
CRITERION_ATTRIBUTES). A leaf tests one firm attribute against a threshold (>=, >, <=, <), as a
yes/no (bool), as one of a list of categories (in), or stands for a lower tier (tier: tiers
nest) or for what data cannot decide (review)."""

from __future__ import annotations

import functools
from dataclasses import dataclass, field

import pandas as pd

from helpers.data.catalog import load_published
from helpers.screening.attributes import ATTRIBUTES, CRITERION_ATTRIBUTES

NUMERIC_OPERATORS = (">=", ">", "<=", "<")
# Leaves that read no firm attribute: a lower tier's outcome, and what only a review decides.
NO_ATTRIBUTE = ("tier", "review")


@dataclass
class Rule:
    """One row of a criteria tree: a composite (`all` / `any`) or a leaf test on `attribute`."""

    id: str
    tier: str
    logic: str  # all / any / leaf
    text: str
    parent: str | None = None
    dimension: str | None = None
    indicator: str | None = None
    operator: str | None = None  # >=, >, <=, <, bool, in, tier, review
    threshold: float | None = None
    unit: str | None = None
    attribute: str | None = None
    # `in`: the categories that meet it; `tier`: the code of the lower tier (one item)
    categories: tuple[str, ...] = ()
    trust: str | None = None  # A–D (catalog_miit.yml); None for 004's rows
    inferred: bool = False
    children: list[Rule] = field(default_factory=list)

    def walk(self):
        """This rule and every rule below it, parents before children."""
        yield self
        for child in self.children:
            yield from child.walk()

    @property
    def numeric(self) -> bool:
        return self.logic == "leaf" and self.operator in NUMERIC_OPERATORS


def _value(row, column):
    if column not in row.index:
        return None
    value = row[column]
    return None if pd.isna(value) else value


def _rule(row) -> Rule:
    categories = _value(row, "categories")
    return Rule(
        id=str(row["criterion_id"]),
        tier=str(row["tier"]),
        logic=str(row["logic"]),
        text=str(row["text"]),
        parent=_value(row, "parent_id"),
        dimension=_value(row, "dimension"),
        indicator=_value(row, "indicator"),
        operator=_value(row, "operator"),
        threshold=None if _value(row, "threshold") is None else float(row["threshold"]),
        unit=_value(row, "unit"),
        attribute=_value(row, "attribute"),
        categories=tuple(str(categories).split(";")) if categories else (),
        trust=_value(row, "trust"),
        inferred=bool(_value(row, "inferred") or False),
    )


def build_tree(table: pd.DataFrame) -> dict[str, Rule]:
    """Tier name → root rule, tiers in the table's order, from one rulebook's rows. A leaf
    whose attribute is not known (ATTRIBUTES; for 004's rows CRITERION_ATTRIBUTES) could never
    be evaluated, and a `tier` leaf must name a tier listed before its own: both are errors."""
    rules: dict[str, Rule] = {}
    for _, row in table.iterrows():
        rule = _rule(row)
        if rule.logic == "leaf" and rule.operator not in NO_ATTRIBUTE:
            if rule.attribute is None:
                if rule.id not in CRITERION_ATTRIBUTES:
                    raise ValueError(f"criterion {rule.id}: no firm attribute is mapped to it")
                rule.attribute = CRITERION_ATTRIBUTES[rule.id]
            if rule.attribute not in ATTRIBUTES:
                raise ValueError(f"criterion {rule.id}: unknown firm attribute {rule.attribute}")
        rules[rule.id] = rule
    roots: dict[str, Rule] = {}
    for rule in rules.values():
        if rule.parent is None:
            roots[rule.tier] = rule
        elif rule.parent not in rules:
            raise ValueError(f"criterion {rule.id}: unknown parent {rule.parent}")
        else:
            rules[rule.parent].children.append(rule)
    for rule in rules.values():
        if rule.logic != "leaf" and not rule.children:
            raise ValueError(f"criterion {rule.id}: an '{rule.logic}' rule without children")
    codes = [root.id for root in roots.values()]
    for tier, root in roots.items():
        for rule in root.walk():
            if rule.operator == "tier" and rule.categories[0] not in codes[: codes.index(root.id)]:
                raise ValueError(
                    f"criterion {rule.id}: tier {rule.categories[0]!r} is not a tier before {tier}"
                )
    return roots


def root_of(roots: dict[str, Rule], code: str) -> Rule:
    """The root of the tier whose code is `code` (CX, ZJ, XJR)."""
    return next(root for root in roots.values() if root.id == code)


@functools.cache
def load_criteria() -> dict[str, Rule]:
    """Tier → root rule of 004's criteria (data/published/004_miit_criteria.csv)."""
    return build_tree(load_published("miit_criteria"))


@functools.cache
def load_points() -> pd.DataFrame:
    """The published points rules (data/published/004_miit_points.csv), one row per band."""
    return load_published("miit_points")
