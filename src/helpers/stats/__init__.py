"""Every statistic of the report, in one home: descriptive statistics (shares, ranks,
concentration, weighted means) and innovation metrics (growth, density, ratios, binnings).
Notebooks and the firm-level aggregators call `stats.share(...)`, `stats.cagr(...)`; nothing
else keeps a private copy. `stats.reconcile` compares published with recomputed figures."""

from helpers.stats.descriptive import (
    pp_gap,
    rank,
    share,
    share_of_sum,
    share_within,
    top_n_share,
    weighted_mean,
)
from helpers.stats.innovation import (
    OVERSEAS_MARKET_BINS,
    PCT_BINS,
    Binning,
    bin_counts,
    cagr,
    cagr_between,
    grant_rate,
    growth,
    invention_share,
    multiple,
    patent_density,
    pct_share,
    per_firm,
    ratio_to_reference,
)

__all__ = [
    "OVERSEAS_MARKET_BINS",
    "PCT_BINS",
    "Binning",
    "bin_counts",
    "cagr",
    "cagr_between",
    "grant_rate",
    "growth",
    "invention_share",
    "multiple",
    "patent_density",
    "pct_share",
    "per_firm",
    "pp_gap",
    "rank",
    "ratio_to_reference",
    "share",
    "share_of_sum",
    "share_within",
    "top_n_share",
    "weighted_mean",
]
