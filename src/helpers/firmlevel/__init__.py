"""Firm-level data, from an analyst's export to published-shaped tables:

* read.py: the schema (data/firm_schema.yml), reading and validating firms/patents/listings;
* derive.py: per-firm figures and group metrics (the conventions of every aggregate);
* aggregators/: one function per published (or firm-level-only) table, registered by name;
* shape.py: provenance, printed rounding, dtypes and catalogue entries of the aggregates;
* firms.py: FirmLevelData, which ties them together (`FirmLevelData(folder).table(name)`);
* tables.py: ensure_tables, the saved step that writes every table into a folder shaped like
  data/published/ (what helpers.data.source.DataSource reads).
"""
