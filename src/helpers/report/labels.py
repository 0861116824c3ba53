"""Words shown to readers live in YAML next to the code (`labels/*.zh.yml`, `labels/*.en.yml`),
so the English edition is a parameter. Every file of a language is merged into one tree (a key
may be defined once only); `labels.zh.yml` holds the chapters' words, other files hold the words
of one part (units, build pages). Values may contain str.format fields filled at call time."""

from __future__ import annotations

import functools
from pathlib import Path

from helpers.data.batches import batch_number, chinese_numeral
from helpers.data.yamlio import load_yaml
from helpers.paths import REPO_ROOT

# The label files of the checkout the build runs for (helpers.paths.REPO_ROOT, which
# WORKBENCH_ROOT may point at another copy of the project); the package's own otherwise.
_CHECKOUT_LABELS = REPO_ROOT / "src" / "helpers" / "report" / "labels"
LABELS_DIR = _CHECKOUT_LABELS if _CHECKOUT_LABELS.is_dir() else Path(__file__).parent / "labels"
LANGUAGES = ("zh", "en")


def label_files(language: str) -> list[Path]:
    """The label files of one language, `labels.<language>.yml` first."""
    if language not in LANGUAGES:
        raise ValueError(f"unknown language {language!r} (valid: {', '.join(LANGUAGES)})")
    return sorted(
        LABELS_DIR.glob(f"*.{language}.yml"), key=lambda p: (p.stem != f"labels.{language}", p.name)
    )


def _merge(into: dict, other: dict, file: str, prefix: str = "") -> None:
    for key, value in other.items():
        if key in into and isinstance(into[key], dict) and isinstance(value, dict):
            _merge(into[key], value, file, f"{prefix}{key}.")
        elif key in into:
            raise ValueError(f"label '{prefix}{key}' is defined twice (again in {file})")
        else:
            into[key] = value


@functools.cache
def label_tree(language: str) -> dict:
    """Every label of `language`: its files merged into one tree (read once per process)."""
    tree: dict = {}
    for path in label_files(language):
        content = load_yaml(path.read_text(encoding="utf-8"))
        _merge(tree, content or {}, path.name)
    return tree


def label(key: str, language: str = "zh", **values) -> str:
    """The text at dotted `key` (e.g. 'ch01.fig_1_4.title'), formatted with `values`."""
    node = label_tree(language)
    for part in key.split("."):
        if not isinstance(node, dict) or part not in node:
            raise KeyError(f"no label '{key}' in labels.{language}.yml")
        node = node[part]
    if isinstance(node, dict) and set(node) == {"one", "other"}:
        # a sentence with a count in it: its singular form when `count` is 1 (English)
        node = node["one"] if values.get("count") == 1 else node["other"]
    return str(node).format(**values) if values else str(node)


def batch_name(n: int, language: str = "zh") -> str:
    """A batch for readers, from its number: 6 → 第六批 / Batch 6 (any n up to 99); also
    helpers.report.words.batch_name, beside the other words chosen by the data."""
    return label("batches.name", language, numeral=chinese_numeral(n), number=int(n))


# English names the reference tables hold for the data's proper names (provinces, cities, …).
REFERENCE_NAMES = {
    "province_folds": ("name", "name_en"),  # first: the cities' own rows win
    "provinces": ("province", "name_en"),
    "cities": ("city", "name_en"),
    "industry_fields": ("field", "field_en"),
    "listing_boards": ("board", "board_en"),
}


@functools.cache
def _reference_names() -> dict[str, str]:
    from helpers.data import reference

    names = {}
    for table, (chinese, english) in REFERENCE_NAMES.items():
        frame = reference.table(table)
        names.update(zip(frame[chinese], frame[english], strict=True))
    return names


def translate(value: str, language: str = "zh") -> str:
    """A category name from the data (always Chinese) in the report language: `names:` in the
    label files first, then the English names of the reference tables (provinces, cities)."""
    names = label_tree(language).get("names") or {}
    if value in names:
        return str(names[value])
    if (batch := batch_number(str(value))) is not None:  # 第六批 → Batch 6, for any batch
        return batch_name(batch, language)
    if language == "zh":
        return str(value)
    return str(_reference_names().get(value, value))
