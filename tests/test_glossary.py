"""One glossary (labels/glossary.*.yml) fixes each term of the English edition once: every
English label, category name and document title uses its words, none of the variants it lists
under `avoid`, and a category the glossary names translates to the glossary's name."""

from pathlib import Path

import pytest
import yaml

from helpers.data import catalog
from helpers.report.labels import LABELS_DIR, label_tree, translate


def _texts(node, path=""):
    if isinstance(node, dict):
        for key, value in node.items():
            yield from _texts(value, f"{path}.{key}" if path else str(key))
    elif isinstance(node, list):
        for i, value in enumerate(node):
            yield from _texts(value, f"{path}[{i}]")
    else:
        yield path, str(node)


def _english_files():
    return [p for p in sorted(LABELS_DIR.glob("*.en.yml")) if p.name != "glossary.en.yml"]


GLOSSARY = label_tree("en")["glossary"]


def test_the_glossary_has_the_same_terms_in_both_languages():
    assert set(label_tree("zh")["glossary"]["terms"]) == set(GLOSSARY["terms"])
    for key, entry in GLOSSARY["terms"].items():
        assert label_tree("zh")["glossary"]["terms"][key]["source"] == entry["source"], key


@pytest.mark.parametrize("path", _english_files(), ids=lambda p: p.name)
def test_no_english_label_spells_a_term_another_way(path: Path):
    found = [
        (where, variant)
        for where, text in _texts(yaml.safe_load(path.read_text(encoding="utf-8")))
        for variant in GLOSSARY["avoid"]
        if variant in text
    ]
    assert found == []


def test_document_titles_use_the_glossary():
    for document, entry in catalog.documents().items():
        title = entry.get("title_en", "")
        assert not [v for v in GLOSSARY["avoid"] if v in title], (document, title)


def test_categories_the_glossary_names_translate_to_its_names():
    for key, entry in GLOSSARY["terms"].items():
        if "name" in entry:
            assert translate(entry["source"], "en") == entry["name"], key


def test_the_variants_the_issue_found_are_listed():
    """The drift the English edition had: 'specialised firms', 'Specialized and Sophisticated',
    "'Specialised, Refined, Distinctive and Novel'", and money in units of 100 million."""
    for variant in (
        "specialised firms",
        "Specialized",
        "Refined, Distinctive and Novel",
        "× 100 m",
    ):
        assert variant in GLOSSARY["avoid"]
