"""Import contracts of our own for import-linter (registered under `contract_types` in
pyproject.toml; `lint-imports` and tests/test_imports.py run them with the built-in ones).

no_private_imports: no module of the package uses a private name (a leading underscore, not a
dunder) of another of its modules — neither `from helpers.x import _y` nor `x._y` on a module
bound by an import. A name used by another module is public: named without the underscore, or
moved to where both can use it. Ruff's PLC2701 does not flag first-party imports within one
package, and grimp's graph knows modules, not names, so the source of every module is read with
`ast` (imports inside functions included, as import-linter sees them).
"""

from __future__ import annotations

import ast
import importlib.util
from dataclasses import dataclass
from pathlib import Path

import grimp
from importlinter.application import output
from importlinter.domain.contract import Contract, ContractCheck


@dataclass(frozen=True, order=True)
class PrivateUse:
    importer: str
    line: int
    imported: str  # the module whose private name is used
    name: str

    def __str__(self) -> str:
        return f"{self.importer} (l.{self.line}) uses {self.imported}.{self.name}"


def is_private(name: str) -> bool:
    """A leading underscore that is not a dunder (__file__, __version__ are public)."""
    return name.startswith("_") and not (name.startswith("__") and name.endswith("__"))


def source_file(module: str) -> Path | None:
    """The .py file of a module of an importable package (without importing the module)."""
    root, _, rest = module.partition(".")
    spec = importlib.util.find_spec(root)
    if spec is None or not spec.submodule_search_locations:
        return None
    base = Path(next(iter(spec.submodule_search_locations)))
    path = base.joinpath(*rest.split(".")) if rest else base
    for candidate in (path.with_suffix(".py"), path / "__init__.py"):
        if candidate.is_file():
            return candidate
    return None


def _dotted(node: ast.expr) -> str | None:
    """'a.b.c' for a chain of attribute lookups on a name, else None."""
    parts = []
    while isinstance(node, ast.Attribute):
        parts.append(node.attr)
        node = node.value
    if not isinstance(node, ast.Name):
        return None
    parts.append(node.id)
    return ".".join(reversed(parts))


def private_uses(module: str, source: str, is_package: bool, modules: set[str]) -> list[PrivateUse]:
    """The private names of other modules in `modules` that `module` (its `source`) uses."""
    tree = ast.parse(source)
    package = module if is_package else module.rpartition(".")[0]
    bound: dict[str, str] = {}  # a local name -> the module of `modules` it is bound to
    found: list[PrivateUse] = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            for alias in node.names:
                if alias.asname:
                    bound[alias.asname] = alias.name
                else:  # `import a.b.c` binds `a`; `a.b.c._x` is read as a dotted lookup
                    bound[alias.name.partition(".")[0]] = alias.name.partition(".")[0]
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                parent = package.rsplit(".", node.level - 1)[0] if node.level > 1 else package
                base = f"{parent}.{base}" if base else parent
            if base not in modules:
                continue
            for alias in node.names:
                if f"{base}.{alias.name}" in modules:  # a submodule, bound to a name
                    bound[alias.asname or alias.name] = f"{base}.{alias.name}"
                if is_private(alias.name) and base != module:
                    found.append(PrivateUse(module, node.lineno, base, alias.name))
    for node in ast.walk(tree):
        if isinstance(node, ast.Attribute) and is_private(node.attr):
            dotted = _dotted(node.value)
            if dotted is None:
                continue
            first, _, rest = dotted.partition(".")
            if first not in bound:
                continue
            target = bound[first] + (f".{rest}" if rest else "")
            if target in modules and target != module:
                found.append(PrivateUse(module, node.lineno, target, node.attr))
    return sorted(set(found))


class NoPrivateImportsContract(Contract):
    """No module uses a private name of another module of the root packages.

    Configuration: none beyond name and type."""

    type_name = "no_private_imports"

    def check(self, graph: grimp.ImportGraph, verbose: bool) -> ContractCheck:
        modules = set(graph.modules)
        found: list[PrivateUse] = []
        for module in sorted(modules):
            path = source_file(module)
            if path is None:
                continue
            text = path.read_text(encoding="utf-8")
            found += private_uses(module, text, path.name == "__init__.py", modules)
        return ContractCheck(kept=not found, metadata={"private_uses": found})

    def render_broken_contract(self, check: ContractCheck) -> None:
        output.print_error("A private name is used only in its own module:", bold=False)
        output.new_line()
        for use in check.metadata["private_uses"]:
            output.print_error(f"- {use}", bold=False)
        output.new_line()
        output.print(
            "Make the name public (no leading underscore) or move it to the module that uses it."
        )
