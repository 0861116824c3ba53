"""The conventions a user expects of the repository and its build (issue 22, item 6): a licence
for the code and a note on whose the data is, a citation file the Citation File Format's schema
accepts, `make lab` as root with options of the user's, the edition's language never taken from
the system's LANGUAGE, a venv step that says what it does, and a build summary in headed
sections."""

from __future__ import annotations

import json
from pathlib import Path

import jsonschema
import pytest
import yaml

REPO = Path(__file__).parents[1]
CFF_SCHEMA = Path(__file__).parent / "schemas" / "citation-cff-1.2.0.schema.json"


# Licence and citation.


def test_the_code_has_an_mit_licence_that_leaves_the_figures_to_their_publishers():
    text = (REPO / "LICENSE").read_text(encoding="utf-8")
    assert text.startswith("MIT License\n")
    assert "Permission is hereby granted, free of charge" in text
    assert "data/LICENSE-NOTES.md" in text
    notes = (REPO / "data" / "LICENSE-NOTES.md").read_text(encoding="utf-8")
    assert "belong to the publishers" in notes
    for publisher in ("上奇数字科技", "智慧芽", "经济日报", "中国电子报", "阿里云", "企知道"):
        assert publisher in notes, publisher
    for readme in (REPO / "README.md", REPO / "data" / "README.md"):
        assert "LICENSE-NOTES.md" in readme.read_text(encoding="utf-8"), readme


def citation_errors(citation: dict) -> list[str]:
    schema = json.loads(CFF_SCHEMA.read_text(encoding="utf-8"))
    validator = jsonschema.Draft7Validator(
        schema, format_checker=jsonschema.Draft7Validator.FORMAT_CHECKER
    )
    return [error.message for error in validator.iter_errors(citation)]


def read_citation() -> dict:
    return yaml.safe_load((REPO / "CITATION.cff").read_text(encoding="utf-8"))


def test_citation_cff_is_valid_citation_file_format():
    citation = read_citation()
    assert citation_errors(citation) == []
    assert citation["cff-version"] == "1.2.0"
    assert citation["license"] == "MIT"
    pyproject = (REPO / "pyproject.toml").read_text(encoding="utf-8")
    assert f'version = "{citation["version"]}"' in pyproject  # one version, said twice
    # the source documents are cited for their figures, each with its publisher
    assert len(citation["references"]) >= 5
    assert all(reference["authors"] for reference in citation["references"])


@pytest.mark.parametrize(
    ("change", "complaint"),
    [
        (lambda c: c.pop("authors"), "'authors' is a required property"),
        (lambda c: c.update(license="MIT-ish"), "is not valid under any of the given schemas"),
        (lambda c: c.update(colour="blue"), "Additional properties are not allowed"),
    ],
)
def test_the_schema_check_refuses_a_broken_citation(change, complaint):
    citation = read_citation()
    change(citation)
    assert any(complaint in message for message in citation_errors(citation))
