"""The import contracts of pyproject.toml ([tool.importlinter]: imports only go down the layers,
no import circles between the modules of a package, no private name of another module —
tools/import_contracts.py), checked here as `make lint` checks them with lint-imports, so that
CI (`make test`) keeps them.

KNOWN_BREAKS lists the imports that break a contract today, each with why and who removes it.
This is not an expected failure of the whole test: any other broken import fails it, listed
with its contract and line. An allowance covers exactly one import (importer and imported
module), not the layers it crosses, so the test tightens by itself: once that import is gone,
nothing else may take its place, and its entry can be deleted."""

from __future__ import annotations

import pytest
from importlinter.application.use_cases import create_report, read_user_options
from importlinter.configuration import configure
from importlinter.contracts.acyclic_siblings import AcyclicSiblingsContract
from importlinter.contracts.layers import LayersContract
from importlinter.domain.contract import registry

from helpers.paths import REPO_ROOT
from tools.import_contracts import PrivateUse, private_uses

KNOWN_BREAKS: set[tuple[str, str]] = set()  # none: every contract is kept

PRIVATE_NAMES = "No module uses a private name"  # the start of that contract's name


def broken_imports() -> dict[tuple[str, str], list[str]]:
    """(importer, imported) -> the contracts it breaks, from a fresh import graph."""
    configure()
    for contract_type in (LayersContract, AcyclicSiblingsContract):  # the built-in types used
        registry.register(contract_type, contract_type.type_name)
    options = read_user_options(str(REPO_ROOT / "pyproject.toml"))
    report = create_report(options, cache_dir=None)
    assert not report.could_not_run and not report.invalid_contract_options
    broken: dict[tuple[str, str], list[str]] = {}
    for contract, check in report.get_contracts_and_checks():
        if check.kept:
            continue
        found: list[tuple[tuple[str, str], str]] = []
        if isinstance(contract, LayersContract):
            for dependency in check.metadata["invalid_dependencies"]:
                for route in dependency["routes"]:
                    links = [*route["extra_firsts"], *route["chain"], *route["extra_lasts"]]
                    for link in links:
                        lines = ", ".join(map(str, link["line_numbers"]))
                        found.append(((link["importer"], link["imported"]), f"l.{lines}"))
        elif isinstance(contract, AcyclicSiblingsContract):
            for package, imports in check.metadata["cycle_breakers_by_package"].items():
                found += [(pair, f"a circle in {package}") for pair in sorted(imports)]
        else:  # no_private_imports
            for use in check.metadata["private_uses"]:
                found.append(((use.importer, use.imported), f"l.{use.line}: {use.name}"))
        for pair, where in found:
            broken.setdefault(pair, []).append(f"{contract.name} ({where})")
    return broken


@pytest.fixture(scope="module")
def broken():
    return broken_imports()


def test_every_import_keeps_the_contracts_but_the_known_breaks(broken):
    unexpected = {
        pair: why
        for pair, why in broken.items()
        # A known break may cross layers, never use a private name.
        if pair not in KNOWN_BREAKS or any(w.startswith(PRIVATE_NAMES) for w in why)
    }
    assert not unexpected, "imports that break the contracts of pyproject.toml:\n" + "\n".join(
        f"  {importer} -> {imported}: {'; '.join(why)}"
        for (importer, imported), why in sorted(unexpected.items())
    )


@pytest.mark.parametrize(
    ("source", "expected"),
    [
        ("from helpers.b import _hidden\n", [("helpers.b", "_hidden", 1)]),
        ("from helpers.b import public, __version__\n", []),
        ("from . import b\nb._hidden()\n", [("helpers.b", "_hidden", 2)]),
        ("from .b import _hidden\n", [("helpers.b", "_hidden", 1)]),
        (
            "import helpers.b as bee\n\n\ndef f():\n    return bee._hidden\n",
            [("helpers.b", "_hidden", 5)],
        ),
        ("import helpers.b\nhelpers.b._hidden\n", [("helpers.b", "_hidden", 2)]),
        ("def f():\n    from helpers.b import _hidden\n", [("helpers.b", "_hidden", 2)]),
        ("import os\nos._exit\nself_value = 1\nself_value._x\n", []),  # not ours, not a module
        ("_own = 1\nprint(_own)\n", []),
    ],
)
def test_the_private_names_contract_sees_imports_and_module_attributes(source, expected):
    modules = {"helpers", "helpers.a", "helpers.b"}
    found = private_uses("helpers.a", source, is_package=False, modules=modules)
    assert found == [PrivateUse("helpers.a", line, module, name) for module, name, line in expected]
