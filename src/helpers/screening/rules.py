"""The rule tree of `miit_criteria` and the points rules of `miit_points`, read from the published
tables (validated by helpers.data.catalog)."""

from __future__ import annotations

import functools
from dataclasses import dataclass, field

import pandas as pd

from helpers.data.catalog import load_published
from helpers.screening.attributes import CRITERION_ATTRIBUTES


@dataclass
class Rule:
    """One row of the criteria tree: a composite (`all` / `any`) or a leaf test on `attribute`."""

    id: str
    tier: str
    logic: str  # all / any / leaf
    text: str
    parent: str | None = None
    dimension: str | None = None
    indicator: str | None = None
    operator: str | None = None  # >=, >, <=, <, bool
    threshold: float | None = None
    unit: str | None = None
    attribute: str | None = None
    children: list[Rule] = field(default_factory=list)

    def walk(self):
        """This rule and every rule below it, parents before children."""
        yield self
        for child in self.children:
            yield from child.walk()


def _value(row, column):
    value = row[column]
    return None if pd.isna(value) else value


def build_tree(table: pd.DataFrame) -> dict[str, Rule]:
    """Tier name → root rule, from a table shaped like `miit_criteria`. A leaf whose attribute is
    not known (CRITERION_ATTRIBUTES) is an error: it could never be evaluated."""
    rules: dict[str, Rule] = {}
    for _, row in table.iterrows():
        rule = Rule(
            id=str(row["criterion_id"]),
            tier=str(row["tier"]),
            logic=str(row["logic"]),
            text=str(row["text"]),
            parent=_value(row, "parent_id"),
            dimension=_value(row, "dimension"),
            indicator=_value(row, "indicator"),
            operator=_value(row, "operator"),
            threshold=None if pd.isna(row["threshold"]) else float(row["threshold"]),
            unit=_value(row, "unit"),
        )
        if rule.logic == "leaf":
            if rule.id not in CRITERION_ATTRIBUTES:
                raise ValueError(f"criterion {rule.id}: no firm attribute is mapped to this leaf")
            rule.attribute = CRITERION_ATTRIBUTES[rule.id]
        rules[rule.id] = rule
    roots = {}
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
    return roots


@functools.cache
def load_criteria() -> dict[str, Rule]:
    """Tier → root rule of the published criteria (data/published/004_miit_criteria.csv)."""
    return build_tree(load_published("miit_criteria"))


@functools.cache
def load_points() -> pd.DataFrame:
    """The published points rules (data/published/004_miit_points.csv), one row per band."""
    return load_published("miit_points")
