"""Moved to helpers.stats.regions (regional shares, ranks and concentration are statistics, and
helpers.data sits below helpers.stats). Kept only while notebooks/03_regions.ipynb and
notebooks/profile.ipynb still say `from helpers.data import regions`: once they import
`from helpers.stats import regions`, delete this module and its entry in tests/test_imports.py."""

from helpers.stats.regions import (  # noqa: F401 (re-exported for the two notebooks)
    GROWTH_METRICS,
    PAGE_METRICS,
    SCHEMES,
    SMALL_REGION_FIRMS,
    cities_with_shares,
    concentration,
    folded_units,
    folds_summary,
    macro_regions,
    metrics_vs_national,
    provinces_by_batch,
    provinces_ranked,
    with_batch_columns,
)
