"""Chapter 5's figures since the 2023 reports (data/published/catalog_since2023.yml): the batch
publicity counts (batches 6 and 7), MIIT's own totals, PatSnap's 2025 headline figures, and
what can be recomputed from them to check them like any other source (a per-firm figure from
its total and the firms, a growth rate from two counts, a publicity count against the final
list 001 used)."""

from __future__ import annotations

import pandas as pd

# The figures of `figures_since_2023` a check recomputes: (stated per-firm or share item, its
# numerator item, its denominator item).
PER_FIRM_CHECKS = (
    (
        "patsnap_2025_valid_inventions_per_firm",
        "patsnap_2025_valid_inventions",
        "patsnap_2025_firms",
    ),
    ("patsnap_2025_applications_per_firm", "patsnap_2025_applications", "patsnap_2025_firms"),
    ("patsnap_2025_three_fields_share", "patsnap_2025_three_fields_firms", "patsnap_2025_firms"),
    ("miit_2024_granted_per_firm", "miit_2024_invention_patents", "miit_2024_little_giants"),
)


def batches(publicity: pd.DataFrame) -> pd.DataFrame:
    """One row per batch (the first source listing it), in batch order: batch_no, batch, year,
    announced, growth_stated and the row's provenance."""
    return publicity.drop_duplicates("batch_no").sort_values("batch_no")


def batch_growth(publicity: pd.DataFrame, batch_no: int) -> float:
    """A batch's publicity count over the previous batch's, less one.

    Example: batch 7 3,482, batch 6 3,012 -> 3482 / 3012 - 1 = 0.15604."""
    counts = batches(publicity).set_index("batch_no")["announced"]
    return float(counts[batch_no]) / float(counts[batch_no - 1]) - 1


def per_firm_checks(figures: pd.DataFrame) -> pd.DataFrame:
    """Each stated per-firm figure or share of PER_FIRM_CHECKS beside its recomputation (the
    numerator item over the denominator item): item, stated, recomputed, unit, numerator,
    denominator.

    Example: 116万 valid invention patents over 1.76万 firms -> 65.9 per firm, stated 32."""
    values = figures.set_index("item")
    rows = []
    for stated, numerator, denominator in PER_FIRM_CHECKS:
        rows.append(
            {
                "item": stated,
                "stated": float(values.at[stated, "value_stated"]),
                "recomputed": float(values.at[numerator, "value_stated"])
                / float(values.at[denominator, "value_stated"]),
                "unit": values.at[stated, "unit"],
                "numerator": numerator,
                "denominator": denominator,
            }
        )
    return pd.DataFrame(rows)


def check_rows(figures: pd.DataFrame, check: pd.Series) -> pd.DataFrame:
    """The rows of `figures_since_2023` a per-firm check cites: the stated figure first, then
    its numerator and denominator."""
    items = [check["item"], check["numerator"], check["denominator"]]
    rows = figures.set_index("item", drop=False).loc[items]
    rows.attrs = dict(figures.attrs)
    return rows


def reviewed(figures: pd.DataFrame) -> float:
    """The firms re-reviewed in 2025, implied by those that passed and the pass rate.

    Example: 3,916 passed at 87.04% -> 3916 / 0.8704 = 4,499.1."""
    values = figures.set_index("item")["value_stated"]
    return float(values["rereview_2025_passed"]) / float(values["rereview_2025_pass_rate"])


def publicity_vs_final(publicity: pd.DataFrame, final: pd.DataFrame) -> pd.DataFrame:
    """The batches both the publicity counts and 001's list (cultivation_batches: announced)
    give: batch_no, batch, publicity, final, difference (publicity − final)."""
    both = batches(publicity).merge(
        final[["batch_no", "announced"]].rename(columns={"announced": "final"}), on="batch_no"
    )
    both = both.rename(columns={"announced": "publicity"})
    return both.assign(difference=both["publicity"] - both["final"])[
        ["batch_no", "batch", "publicity", "final", "difference"]
    ]


def latest_growth(publicity: pd.DataFrame) -> float:
    """The latest batch's publicity count over the batch before it, less one (batch_growth)."""
    return batch_growth(publicity, int(publicity["batch_no"].max()))
