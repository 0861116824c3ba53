"""The same firms under two rulebooks, side by side: per tier how many meet it, await review,
do not meet it or cannot be decided under each, and which conditions move most firms across
the line between the two (vectorised over the firm table, like helpers.screening.summary).

A firm "passes" a tier when it meets it, or when every condition the data can decide is met
and the rest only a review decides (the 2026 measures' platform score): what data can tell."""

from __future__ import annotations

import numpy as np
import pandas as pd

import helpers.screening.closeness as closeness
from helpers.screening.evaluate import MET, NOT_MET, REVIEW, Screening
from helpers.screening.rules import Rule
from helpers.screening.summary import tier_counts


def passes(result: Screening, tier: str) -> pd.Series:
    codes = result.tiers[tier]
    return (codes == MET) | (codes == REVIEW)


def side_by_side(results: dict[str, Screening]) -> pd.DataFrame:
    """One row per rulebook and tier (rulebook id → screening of the same firms): rulebook,
    tier, tier_code, firms, met, review, not_met, unknown, missing_one and passes (met +
    review). Tiers are matched across rulebooks by their code (CX, ZJ, XJR)."""
    parts = []
    for rulebook, result in results.items():
        counts = tier_counts(result)
        codes = {tier: root.id for tier, root in result.roots.items()}
        parts.append(
            counts.assign(
                rulebook=rulebook,
                tier_code=counts["tier"].map(codes),
                passes=counts["met"] + counts["review"],
            )
        )
    columns = ["rulebook", "tier", "tier_code", "firms", "met", "review", "not_met"]
    columns += ["unknown", "missing_one", "passes"]
    return pd.concat(parts, ignore_index=True)[columns]


def _tier_of(result: Screening, code: str) -> str:
    return next(tier for tier, root in result.roots.items() if root.id == code)


def crossings(old: Screening, new: Screening, old_id: str, new_id: str) -> pd.DataFrame:
    """Per tier code, the firms that cross the line between the rulebooks, and why: `lost` =
    pass under `old` and do not meet the tier under `new`, counted by each condition of the
    new tier they do not meet; `gained` = do not meet it under `old` and pass under `new`,
    counted by each condition of the old tier they did not meet. One row per tier, direction
    and condition: tier_code, direction, rulebook (whose condition), criterion_id, firms (with
    that condition not met), crossing (all firms crossing that way), share (firms ÷ crossing).
    Sorted by tier, direction, most firms first. Firms that cannot be decided under either
    rulebook cross no line."""
    rows = []
    for tier, root in new.roots.items():
        code = root.id
        if code not in {r.id for r in old.roots.values()}:
            continue
        before = _tier_of(old, code)
        lost = passes(old, before) & (new.tiers[tier] == NOT_MET)
        gained = (old.tiers[before] == NOT_MET) & passes(new, tier)
        for direction, moved, result, rulebook, name in (
            ("lost", lost, new, new_id, tier),
            ("gained", gained, old, old_id, before),
        ):
            total = int(moved.sum())
            mask = moved.to_numpy()
            for rule in closeness.conditions(result.roots[name]):
                failed = int(((result.outcomes[rule.id].to_numpy() == NOT_MET) & mask).sum())
                if failed:
                    rows.append(
                        {
                            "tier_code": code,
                            "direction": direction,
                            "rulebook": rulebook,
                            "criterion_id": rule.id,
                            "firms": failed,
                            "crossing": total,
                            "share": failed / total if total else np.nan,
                        }
                    )
    columns = ["tier_code", "direction", "rulebook", "criterion_id", "firms", "crossing", "share"]
    table = pd.DataFrame(rows, columns=columns)
    order = {code: i for i, code in enumerate(r.id for r in new.roots.values())}
    table["order"] = table["tier_code"].map(order)
    table = table.sort_values(
        ["order", "direction", "firms"], ascending=[True, False, False], kind="stable"
    )
    return table.drop(columns="order").reset_index(drop=True)


def crossing_totals(old: Screening, new: Screening) -> pd.DataFrame:
    """Per tier code: the firms that pass under `old` (`old_passes`) and under `new`
    (`new_passes`), those that lose the tier (`lost`) and those that gain it (`gained`)."""
    rows = []
    for tier, root in new.roots.items():
        if root.id not in {r.id for r in old.roots.values()}:
            continue
        before = _tier_of(old, root.id)
        rows.append(
            {
                "tier_code": root.id,
                "old_passes": int(passes(old, before).sum()),
                "new_passes": int(passes(new, tier).sum()),
                "lost": int((passes(old, before) & (new.tiers[tier] == NOT_MET)).sum()),
                "gained": int(((old.tiers[before] == NOT_MET) & passes(new, tier)).sum()),
            }
        )
    return pd.DataFrame(rows)


def _leaves(book_roots: dict) -> pd.DataFrame:
    """Every leaf of a rulebook's trees with what makes it the same condition in another
    rulebook: the tier's code, and the attribute and the direction of its test (a condition
    without an attribute — a lower tier, a review — by its own id)."""
    rows = []
    seen: dict[tuple[str, str], int] = {}
    for tier, root in book_roots.items():
        for rule in root.walk():
            if rule.logic != "leaf":
                continue
            direction = {">": ">=", "<": "<="}.get(rule.operator, rule.operator)
            same = rule.attribute if rule.attribute else rule.operator
            if rule.operator == "review":
                same = f"review:{rule.threshold is not None}:{rule.unit}"
            key = f"{same}|{direction}"
            seen[(root.id, key)] = seen.get((root.id, key), 0) + 1
            rows.append(
                {
                    "tier_code": root.id,
                    "tier": tier,
                    # the k-th test of an attribute in a tier pairs with the k-th in the other
                    "match": f"{key}|{seen[(root.id, key)]}",
                    "position": len(rows),
                    "criterion_id": rule.id,
                    "operator": rule.operator,
                    "threshold": rule.threshold,
                    "rule": rule,
                }
            )
    return pd.DataFrame(rows)


def rule_changes(old_roots: dict, new_roots: dict) -> pd.DataFrame:
    """The conditions of two rulebooks matched tier by tier (by the tiers' codes) and by what
    they test: one row per condition with `old` and `new` (the Rule, or None where one
    rulebook lacks it) and `status`: stricter / looser (a threshold moved), same, added (only
    in the new rulebook) or removed (only in the old). Rows in the new rulebook's order, the
    removed ones after their tier's."""
    old, new = _leaves(old_roots), _leaves(new_roots)
    merged = new.merge(old, on=["tier_code", "match"], how="outer", suffixes=("_new", "_old"))
    # the new rulebook's order; a condition it dropped after its tier's, in the old order
    merged["removed_last"] = merged["position_new"].isna()
    merged["position"] = merged["position_new"].fillna(merged["position_old"])
    statuses = []
    for row in merged.itertuples():
        if pd.isna(row.criterion_id_old):
            statuses.append("added")
        elif pd.isna(row.criterion_id_new):
            statuses.append("removed")
        elif pd.isna(row.threshold_new) or row.threshold_new == row.threshold_old:
            statuses.append("same")
        else:
            higher = row.threshold_new > row.threshold_old
            stricter = higher if row.operator_new in (">=", ">", "review") else not higher
            statuses.append("stricter" if stricter else "looser")
    order = {code: i for i, code in enumerate(r.id for r in new_roots.values())}
    merged = merged.assign(status=statuses, order=merged["tier_code"].map(order))
    merged = merged.sort_values(["order", "removed_last", "position"], kind="stable")
    return pd.DataFrame(
        {
            "tier_code": merged["tier_code"].to_numpy(),
            "old": [None if not isinstance(x, Rule) else x for x in merged["rule_old"]],
            "new": [None if not isinstance(x, Rule) else x for x in merged["rule_new"]],
            "status": merged["status"].to_numpy(),
        }
    )


def example_outcomes(
    worked: dict[str, Screening], targets: dict[str, str], judged: dict[str, str]
) -> pd.DataFrame:
    """004's worked examples under each rulebook (rulebook id → the examples' firms screened,
    indexed by the firm's name): one row per firm and rulebook with the target tier's code
    (`targets`: firm → code), the criterion judged (the tier's root, or under the rulebook that
    has it the one condition 004 judged: `judged`), its outcome (met / review / not_met /
    unknown), the tier's name and its points (low, high; NaN where the tier has no points)."""
    from helpers.screening.evaluate import OUTCOMES

    rows = []
    for rulebook, result in worked.items():
        ids = set(result.outcomes.columns)
        for firm, code in targets.items():
            tier = _tier_of(result, code)
            criterion = judged.get(firm, code)
            criterion = criterion if criterion in ids else code
            low = high = np.nan
            if result.scores is not None and result.scores.dimensions(code):
                low, high = (float(bound[firm]) for bound in result.scores.total(code))
            rows.append(
                {
                    "firm": firm,
                    "rulebook": rulebook,
                    "tier_code": code,
                    "tier": tier,
                    "criterion_id": criterion,
                    "whole_tier": criterion == code,
                    "outcome": OUTCOMES[int(result.outcomes.loc[firm, criterion])],
                    "low": low,
                    "high": high,
                }
            )
    return pd.DataFrame(rows)
