"""Words shown to readers live in YAML next to the code (`labels/labels.zh.yml`, `labels.en.yml`),
so the English edition is a parameter. Values may contain str.format fields filled at call time."""

from __future__ import annotations

import functools
from pathlib import Path

import yaml

LABELS_DIR = Path(__file__).parent / "labels"
LANGUAGES = ("zh", "en")


@functools.cache
def _labels(language: str) -> dict:
    if language not in LANGUAGES:
        raise ValueError(f"unknown language {language!r} (valid: {', '.join(LANGUAGES)})")
    return yaml.safe_load((LABELS_DIR / f"labels.{language}.yml").read_text(encoding="utf-8"))


def label(key: str, language: str = "zh", **values) -> str:
    """The text at dotted `key` (e.g. 'ch01.fig_1_4.title'), formatted with `values`."""
    node = _labels(language)
    for part in key.split("."):
        if not isinstance(node, dict) or part not in node:
            raise KeyError(f"no label '{key}' in labels.{language}.yml")
        node = node[part]
    return str(node).format(**values) if values else str(node)


def translate(value: str, language: str = "zh") -> str:
    """A category name from the data (always Chinese) in the report language, via `names:`."""
    return (_labels(language).get("names") or {}).get(value, value)
