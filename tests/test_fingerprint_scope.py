"""A change rebuilds only what it touches (issue 23, item 1): a document's fingerprint covers
its notebook, the helpers modules it imports (their closure, read from the imports) and the label
keys those name — so editing chapter 01's words or one of its cells changes the fingerprint of
chapter 01, and of no other chapter or profile. The appendix that lists the chapters' checks
reads the checks they wrote (its fingerprint is taken again once they ran): it is rebuilt when
those changed (the book follows from the chapters' new pages: helpers.workflow.book)."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from helpers import pipeline
from helpers.paths import PUBLISHED_DIR
from helpers.workflow import fingerprint as fp
from helpers.workflow import profiles

REPO = Path(__file__).resolve().parents[1]
NOTEBOOKS = REPO / "notebooks"


@pytest.fixture
def copy(tmp_path, monkeypatch):
    """The helpers package and the notebooks copied, the fingerprint reading the copies."""
    helpers = tmp_path / "src" / "helpers"
    shutil.copytree(fp.HELPERS_DIR, helpers, ignore=shutil.ignore_patterns("__pycache__"))
    notebooks = tmp_path / "notebooks"
    shutil.copytree(NOTEBOOKS, notebooks, ignore=shutil.ignore_patterns(".ipynb_checkpoints"))
    monkeypatch.setattr(fp, "HELPERS_DIR", helpers)
    monkeypatch.setattr(fp, "LABELS_DIR", helpers / "report" / "labels")
    monkeypatch.setattr(fp, "NOTEBOOKS_DIR", notebooks)
    monkeypatch.setattr(profiles, "NOTEBOOK", notebooks / "profile.ipynb")
    fp.module_path.cache_clear()
    yield tmp_path
    fp.module_path.cache_clear()


def fingerprints(root: Path, language: str = "zh") -> dict[str, str]:
    """Every chapter's fingerprint and the profiles' (one notebook for all regions)."""
    parameters = {"language": language, "output_dir": str(root / "staging")}
    found = {
        chapter: fp.fingerprint(root / "notebooks" / f"{chapter}.ipynb", PUBLISHED_DIR, parameters)
        for chapter in pipeline.chapters()
    }
    files = profiles.input_files(PUBLISHED_DIR)
    found["profile"] = fp.document_digest(profiles.NOTEBOOK, files, parameters)
    return found


def changed(before: dict, after: dict) -> set[str]:
    return {name for name in before if before[name] != after[name]}


def appendix() -> str:
    return next(c for c in pipeline.chapters() if pipeline.checked_chapters(c))


def test_editing_chapter_01s_words_rebuilds_chapter_01_only(copy):
    before, english = fingerprints(copy), fingerprints(copy, "en")
    labels = copy / "src" / "helpers" / "report" / "labels" / "ch01.zh.yml"
    text = labels.read_text(encoding="utf-8")
    # one word of one sentence of chapter 01 (a value under the top-level key ch01)
    edited = text.replace("：", "： ", 1)
    assert edited != text and text.lstrip().startswith(("ch01", "#"))
    labels.write_text(edited, encoding="utf-8")
    assert changed(before, fingerprints(copy)) == {"01_cultivation"}
    # the English edition does not read the Chinese words
    assert fingerprints(copy, "en") == english


def test_editing_a_cell_of_chapter_01_rebuilds_chapter_01_only(copy):
    before = fingerprints(copy)
    notebook = copy / "notebooks" / "01_cultivation.ipynb"
    content = json.loads(notebook.read_text(encoding="utf-8"))
    cell = next(c for c in content["cells"] if c["cell_type"] == "code")
    cell["source"] = [*cell["source"], "\n# an analyst's note"]
    notebook.write_text(json.dumps(content, ensure_ascii=False), encoding="utf-8")
    assert changed(before, fingerprints(copy)) == {"01_cultivation"}


def test_a_module_only_chapter_04_imports_rebuilds_chapter_04_only(copy):
    before = fingerprints(copy)
    module = copy / "src" / "helpers" / "report" / "chapters" / "portrait.py"
    module.write_text(module.read_text(encoding="utf-8") + "\n# a comment\n", encoding="utf-8")
    assert changed(before, fingerprints(copy)) == {"04_portrait"}


def test_the_appendix_follows_the_checks_its_chapters_wrote(copy):
    statistics = copy / "staging" / "statistics"
    statistics.mkdir(parents=True)
    checks = statistics / "01_cultivation.checks.csv"
    checks.write_text("check_id,stated\n01.a,1\n", encoding="utf-8")
    before = fingerprints(copy)
    (statistics / "01_cultivation.csv").write_text("key,value\n01.x,2\n", encoding="utf-8")
    assert changed(before, fingerprints(copy)) == set()  # not what the appendix reads
    checks.write_text("check_id,stated\n01.a,2\n", encoding="utf-8")
    assert changed(before, fingerprints(copy)) == {appendix()}


def test_a_module_every_document_uses_rebuilds_them_all(copy):
    before = fingerprints(copy)
    module = copy / "src" / "helpers" / "report" / "format.py"
    module.write_text(module.read_text(encoding="utf-8") + "\n# a comment\n", encoding="utf-8")
    assert changed(before, fingerprints(copy)) == set(before)


def test_shared_words_rebuild_every_document(copy):
    before = fingerprints(copy)
    units = copy / "src" / "helpers" / "report" / "labels" / "units.zh.yml"
    units.write_text(units.read_text(encoding="utf-8") + "\n# a comment\n", encoding="utf-8")
    assert changed(before, fingerprints(copy)) == set()  # a comment is no word
    tree = units.read_text(encoding="utf-8").replace("家", "户", 1)
    units.write_text(tree, encoding="utf-8")
    assert changed(before, fingerprints(copy)) == set(before)


@pytest.mark.parametrize("notebook", [*pipeline.chapters(), "profile"])
def test_the_static_closure_holds_every_module_the_notebook_imports(notebook):
    """What the notebook's imports (and the export's) load at run time is a subset of what the
    fingerprint reads from the import statements."""
    path = NOTEBOOKS / f"{notebook}.ipynb"
    imports = sorted(fp._code_facts(fp.notebook_code(path))[0] | set(fp.EXPORT_MODULES))
    code = (
        "import importlib, sys\n"
        f"for name in {imports!r}:\n"
        "    try:\n"
        "        importlib.import_module(name)\n"
        "    except ImportError:\n"
        "        pass  # `from package import name` of a function\n"
        "print('\\n'.join(sorted(str(m.__file__) for n, m in sys.modules.items()\n"
        "    if n.split('.')[0] == 'helpers' and getattr(m, '__file__', None))))\n"
    )
    loaded = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True, cwd=REPO
    ).stdout.split()
    closure = {str(p.resolve()) for p in fp.document_sources(path)}
    assert {str(Path(p).resolve()) for p in loaded} <= closure


def test_a_modules_facts_are_parsed_once_and_kept_on_disk(tmp_path, monkeypatch):
    monkeypatch.setattr(fp, "CODE_FACTS", tmp_path / "facts")
    module = tmp_path / "module.py"
    module.write_text('"""Doc."""\nfrom helpers.report import words\nKEY = "ch01.title"\n')
    digest = b"\x01" * 32  # a digest of its own: the in-memory cache has not seen it
    facts = fp._parsed(module, digest)
    assert facts == (frozenset({"helpers.report", "helpers.report.words"}), ("ch01.title",))
    (entry,) = (tmp_path / "facts").iterdir()
    assert entry.name == "01" * 32 + ".json"
    # another step (a new process: the memory cache cleared) reads the entry, not the file
    fp._parsed.cache_clear()
    module.unlink()
    assert fp._parsed(module, digest) == facts
    # a damaged entry is parsed again
    fp._parsed.cache_clear()
    entry.write_text("{not json", encoding="utf-8")
    module.write_text('KEY = "ch02.title"\n')
    assert fp._parsed(module, digest) == (frozenset(), ("ch02.title",))
    fp._parsed.cache_clear()


def test_the_data_check_reads_the_code_not_the_words():
    """Editing a sentence (a label file) or a page template does not run the data check again;
    editing the code that validates does."""
    files = set(fp.data_files(PUBLISHED_DIR))
    helpers = pipeline.HELPERS_DIR
    assert helpers / "data" / "catalog.py" in files
    assert helpers / "firmlevel" / "checks.py" in files
    assert not any(path.suffix == ".yml" and "labels" in path.parts for path in files)
    assert not any("templates" in path.parts for path in files)
    assert {path for path in files if path.is_relative_to(helpers)} == {
        path for path in helpers.rglob("*.py") if "__pycache__" not in path.parts
    }
