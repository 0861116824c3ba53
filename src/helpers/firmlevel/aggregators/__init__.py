"""The aggregators of every table firm-level data can give, one function per table, registered by
table name in AGGREGATORS (see registry.py). Importing this package registers them all."""

from helpers.firmlevel.aggregators import cultivation, innovation, profiles, regions, text  # noqa: F401
from helpers.firmlevel.aggregators.registry import AGGREGATORS, Aggregator, aggregates

__all__ = ["AGGREGATORS", "Aggregator", "aggregates"]
