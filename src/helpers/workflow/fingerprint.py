"""Content fingerprints: a document is rebuilt when the SHA-256 of what it uses changes — its
notebook and statistics declarations, the helpers modules it imports (their closure within the
package, read statically from the import statements: helpers_closure), the label keys those read
(label_scope), the pinned requirements, the reference tables, the data files of the tables it
declares (notebooks/pipeline.yml) and the build parameters — never because a file's time changed,
and never because a module or a label it does not use changed: editing chapter 01's words
rebuilds chapter 01 and what embeds it (the appendix, the book), nothing else. Kept free of heavy
imports: it runs once per document on every build. The files of a folder and their digest are
helpers.data.digest's (one rule for every fingerprint)."""

from __future__ import annotations

import ast
import functools
import hashlib
import json
import re
from collections.abc import Iterable
from pathlib import Path

import yaml

from helpers.data.content_cache import cached_json
from helpers.data.digest import file_sha256, files_digest, folder_files
from helpers.paths import (
    BUILD_DIR,
    DATA_DIR,
    NOTEBOOKS_DIR,
    PUBLISHED_DIR,
    REFERENCE_DIR,
    REPO_ROOT,
)
from helpers.pipeline import (
    ALL,
    CHECKS_SUFFIX,
    HELPERS_DIR,
    PIPELINE_FILE,
    checked_chapters,
    declared_tables,
)
from helpers.report import labels

PACKAGE = HELPERS_DIR.name  # "helpers"
# What turns an executed notebook into its pages, in the build's worker (helpers.workflow.batch):
# their modules feed every document too.
EXPORT_MODULES = ("helpers.report.html", "helpers.report.pdf", "helpers.workflow.batch")
# Files of the package a module reads rather than imports: the page templates and CSS, the chart
# font's word list. Label files are fingerprinted by key (label_digest), not as files.
RESOURCES = ("report/templates",)
# The label files the build reads (those of the checkout WORKBENCH_ROOT names, like the labels)
LABELS_DIR = labels.LABELS_DIR
# Top-level label keys that belong to one kind of document: a chapter's (ch01, ch99) and the
# profiles'. A document reads another's only if a string of its code or declarations names it;
# every other top-level key (units, columns, common words, site, book, …) is everyone's.
OWNED_LABEL_KEY = re.compile(r"ch\d+|profile")
# What each Python file of the package imports and names, by the digest of its content (_parsed)
CODE_FACTS = BUILD_DIR / "cache" / "code-facts"


def published_files(tables: list[str] | str) -> list[Path]:
    """Catalogues plus the CSV files of the declared tables (all of them for 'all')."""
    catalogs = sorted(PUBLISHED_DIR.glob("catalog_*.yml"))
    if tables == ALL:
        return folder_files(PUBLISHED_DIR)
    files = list(catalogs)
    for catalog_path in catalogs:
        entries = _catalog_files(catalog_path, file_sha256(catalog_path))
        files += [PUBLISHED_DIR / entries[name] for name in tables if name in entries]
    return sorted(set(files))


@functools.cache
def _catalog_files(path: Path, digest: bytes) -> dict[str, str]:
    """Table name -> its file, of one catalogue (read once per content, with libyaml)."""
    loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
    entries = (yaml.load(path.read_text(encoding="utf-8"), Loader=loader) or {}).get("tables")
    return {name: entry["file"] for name, entry in (entries or {}).items()}


# Which helpers modules and label keys a document uses ------------------------------------


@functools.cache
def _parsed(path: Path, digest: bytes) -> tuple[frozenset[str], tuple[str, ...]]:
    """(modules imported, string constants other than docstrings) of a Python file: cached by
    its content's digest, in memory and on disk (CODE_FACTS), so a build parses each module once
    — not once more in every step that fingerprints (documents, book, publish, the no-op)."""

    def parse() -> dict:
        imports, strings = _code_facts(path.read_text(encoding="utf-8"))
        return {"imports": sorted(imports), "strings": list(strings)}

    facts = cached_json(CODE_FACTS.name, digest.hex(), parse, folder=CODE_FACTS.parent)
    try:
        return frozenset(facts["imports"]), tuple(facts["strings"])
    except (KeyError, TypeError):  # an entry of another shape: parse again
        facts = parse()
        return frozenset(facts["imports"]), tuple(facts["strings"])


def _code_facts(source: str) -> tuple[frozenset[str], tuple[str, ...]]:
    tree = ast.parse(source)
    docstrings = set()
    for node in ast.walk(tree):
        if isinstance(node, (ast.Module, ast.ClassDef, ast.FunctionDef, ast.AsyncFunctionDef)):
            body = node.body
            if body and isinstance(body[0], ast.Expr) and isinstance(body[0].value, ast.Constant):
                docstrings.add(id(body[0].value))
    imports: set[str] = set()
    strings: list[str] = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            imports.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and not node.level:
            # `from helpers.report import chapter`: the package and, if it is one, the module
            imports.add(node.module)
            imports.update(f"{node.module}.{alias.name}" for alias in node.names)
        elif (
            isinstance(node, ast.Constant)
            and isinstance(node.value, str)
            and id(node) not in docstrings
        ):
            strings.append(node.value)
    return frozenset(imports), tuple(strings)


def module_facts(path: Path) -> tuple[frozenset[str], tuple[str, ...]]:
    return _parsed(Path(path), file_sha256(path))


@functools.cache
def module_path(name: str) -> Path | None:
    """The file of a helpers module or package (`helpers.report.chapter`), None for another
    package's or a name that is no module (`from helpers.report.chapter import Chapter`)."""
    parts = name.split(".")
    if parts[0] != PACKAGE:
        return None
    base = HELPERS_DIR.joinpath(*parts[1:])
    for candidate in (base.with_suffix(".py"), base / "__init__.py"):
        if candidate.is_file():
            return candidate
    return None


def notebook_code(notebook: Path) -> str:
    """A notebook's code cells, IPython's magics and shell lines left out."""
    cells = json.loads(Path(notebook).read_text(encoding="utf-8")).get("cells", [])
    lines = []
    for cell in cells:
        if cell.get("cell_type") == "code":
            source = cell.get("source", "")
            source = "".join(source) if isinstance(source, list) else source
            lines += [
                line for line in source.splitlines() if not line.lstrip().startswith(("%", "!"))
            ]
    return "\n".join(lines)


@functools.cache
def _notebook_facts(notebook: Path, digest: bytes) -> tuple[frozenset[str], tuple[str, ...]]:
    return _code_facts(notebook_code(notebook))


def helpers_closure(roots: Iterable[str]) -> list[Path]:
    """The files of the helpers modules `roots` import, directly or through each other, with
    the packages (__init__.py) each import runs: the transitive closure, read from the import
    statements (functions' own imports too), not by running them."""
    seen: set[Path] = set()
    queue = list(roots)
    names: set[str] = set()
    while queue:
        name = queue.pop()
        if name in names:
            continue
        names.add(name)
        parts = name.split(".")
        # importing helpers.a.b runs helpers/__init__.py and helpers/a/__init__.py first
        for depth in range(1, len(parts) + 1):
            path = module_path(".".join(parts[:depth]))
            if path is None or path in seen:
                continue
            seen.add(path)
            queue += module_facts(path)[0]
    return sorted(seen)


def document_sources(notebook: Path) -> list[Path]:
    """The helpers files a document's outputs depend on: its notebook's imports' closure, the
    export's (EXPORT_MODULES), and the package's templates."""
    imports = _notebook_facts(Path(notebook), file_sha256(notebook))[0]
    files = helpers_closure([*imports, *EXPORT_MODULES])
    for folder in RESOURCES:
        files += folder_files(HELPERS_DIR / folder)
    # files the label module reads beside the label files (the chart font's words)
    files += [p for p in folder_files(LABELS_DIR) if not p.name.endswith(".yml")]
    return sorted(set(files))


def statistics_declarations(notebook: Path) -> list[Path]:
    """notebooks/statistics/<notebook>.yml, when there is one."""
    path = NOTEBOOKS_DIR / "statistics" / f"{Path(notebook).stem}.yml"
    return [path] if path.exists() else []


@functools.cache
def _label_trees(files: tuple[tuple[Path, bytes], ...]) -> dict[str, dict]:
    """Per top-level key, its subtrees from every label file of a language (C YAML loader:
    fast enough to read them all on each build)."""
    loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
    trees: dict[str, dict] = {}
    for path, _digest in files:
        loaded = yaml.load(path.read_text(encoding="utf-8"), Loader=loader) or {}
        for key, value in loaded.items():
            trees.setdefault(str(key), {})[path.name] = value
    return trees


def label_keys(language: str) -> dict[str, dict]:
    files = sorted(LABELS_DIR.glob(f"*.{language}.yml"))
    return _label_trees(tuple((path, file_sha256(path)) for path in files))


def label_scope(notebook: Path, keys: Iterable[str]) -> set[str]:
    """The top-level label keys `notebook` may read: every shared key, and each owned one
    (OWNED_LABEL_KEY) that a string of its code, its modules or its statistics declarations
    names (`"ch01.fig_1_4"`, `f"ch03.metrics.{m}"`, `label: ch01.stats.firms`)."""
    notebook = Path(notebook)
    strings = list(_notebook_facts(notebook, file_sha256(notebook))[1])
    for path in document_sources(notebook):
        if path.suffix == ".py":
            strings += module_facts(path)[1]
    for path in statistics_declarations(notebook):
        strings.append(path.read_text(encoding="utf-8"))
    text = "\n".join(strings)
    scope = set()
    for key in keys:
        if not OWNED_LABEL_KEY.fullmatch(key) or re.search(rf"\b{re.escape(key)}\.", text):
            scope.add(key)
    return scope


def label_digest(notebooks: Iterable[Path], languages: Iterable[str]) -> str:
    """SHA-256 over the label subtrees the notebooks may read (label_scope), per language."""
    digest = hashlib.sha256()
    for language in languages:
        trees = label_keys(language)
        scope = set().union(*(label_scope(notebook, trees) for notebook in notebooks))
        for key in sorted(scope):
            text = json.dumps(trees[key], sort_keys=True, ensure_ascii=False, default=str)
            digest.update(f"{language}:{key}={text}\n".encode())
    return digest.hexdigest()


def checks_files(notebook: Path, parameters: dict) -> list[Path]:
    """For the appendix, the checks its chapters wrote (<output_dir>/statistics/<chapter>.checks.
    csv, those there): what it reads of them. They are written when the chapters run, so its
    fingerprint is taken again once they did (helpers.workflow.batch.Document.late)."""
    try:
        checked = checked_chapters(Path(notebook).stem)
    except KeyError:
        return []
    if not checked or not parameters.get("output_dir"):
        return []
    folder = Path(parameters["output_dir"]) / "statistics"
    found = [folder / f"{chapter}{CHECKS_SUFFIX}" for chapter in checked]
    return [path for path in found if path.exists()]


def document_digest(notebook: Path, files: list[Path], parameters: dict) -> str:
    """SHA-256 over `files` and `parameters` and the label keys the document may read, in the
    edition's language (both when the parameters name none)."""
    language = parameters.get("language")
    languages = (language,) if language else ("zh", "en")
    inputs = files_digest(files)
    label_files = tuple(
        (path, file_sha256(path))
        for each in languages
        for path in sorted(LABELS_DIR.glob(f"*.{each}.yml"))
    )
    labels = _cached_label_digest((Path(notebook),), languages, inputs, label_files)
    return files_digest([], {**parameters, "inputs": inputs, "labels": labels})


@functools.cache
def _cached_label_digest(
    notebooks: tuple, languages: tuple, inputs: str, label_files: tuple
) -> str:
    # the same notebook, modules (inputs) and label files give the same digest: the 47 profiles
    # of an edition work it out once
    return label_digest(notebooks, languages)


def input_files(notebook: Path, data_dir: Path) -> list[Path]:
    """Every file whose content a chapter's outputs depend on (label files by key: label_digest)."""
    tables = declared_tables(notebook.stem)
    files = [PIPELINE_FILE, REPO_ROOT / "requirements.txt"]
    files += [notebook, *statistics_declarations(notebook), *document_sources(notebook)]
    files += folder_files(REFERENCE_DIR)
    files += published_files(tables)
    if Path(data_dir).resolve() != PUBLISHED_DIR.resolve():
        # Firm-level data: every file of the folder feeds the aggregation.
        files += [*folder_files(data_dir), DATA_DIR / "firm_schema.yml"]
    return sorted(set(files))


# Folders of the package no data check reads: the words shown to readers and the page templates
# (editing a sentence does not validate every table again: 1.7 s of each edit's build).
NOT_VALIDATION = (HELPERS_DIR / "report" / "labels", HELPERS_DIR / "report" / "templates")


def validation_code() -> list[Path]:
    """The package's files a data check may depend on: all of them but NOT_VALIDATION."""
    return [
        path
        for path in folder_files(HELPERS_DIR)
        if not any(path.is_relative_to(folder) for folder in NOT_VALIDATION)
    ]


def data_files(data_dir: Path) -> list[Path]:
    """Every file the data check reads: all published and reference tables, the firm-level
    folder and schema, and the validation code."""
    files = folder_files(PUBLISHED_DIR) + folder_files(REFERENCE_DIR) + validation_code()
    if Path(data_dir).resolve() != PUBLISHED_DIR.resolve():
        files += [*folder_files(data_dir), DATA_DIR / "firm_schema.yml"]
    return sorted(set(files))


def chapter_files(notebook: Path, data_dir: Path, parameters: dict) -> list[Path]:
    """input_files, the checks an appendix lists (checks_files), and with PREVIOUS
    (`previous_dir`) the previous edition's data files too."""
    files = input_files(notebook, data_dir) + checks_files(notebook, parameters)
    if parameters.get("previous_dir"):
        from helpers.paths import resolve

        files = sorted({*files, *folder_files(resolve(parameters["previous_dir"]))})
    return files


def fingerprint(notebook: Path, data_dir: Path, parameters: dict) -> str:
    """SHA-256 over a chapter's inputs' paths and contents, the label keys it may read and the
    build parameters."""
    return document_digest(notebook, chapter_files(notebook, data_dir, parameters), parameters)
