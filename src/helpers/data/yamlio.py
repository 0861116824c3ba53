"""YAML read and written with libyaml where PyYAML has it (as pip's wheels do): the same
objects as yaml.safe_load and the same text as yaml.safe_dump, about ten times faster. Every
label file, catalogue and firm-level table description goes through here."""

from __future__ import annotations

import yaml

LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
DUMPER = getattr(yaml, "CSafeDumper", yaml.SafeDumper)


def load_yaml(text: str):
    """The object of a YAML document (yaml.safe_load's)."""
    return yaml.load(text, Loader=LOADER)


def dump_yaml(content) -> str:
    """`content` as YAML text: Unicode as written, keys in their order, lines up to 100 wide."""
    return yaml.dump(content, Dumper=DUMPER, allow_unicode=True, sort_keys=False, width=100)
