"""Reader-facing words: both editions have the same keys, and every key a notebook uses exists."""

import json
import re
from pathlib import Path

import pytest

from helpers.report.labels import label, label_tree, translate

REPO = Path(__file__).parents[1]
NOTEBOOKS = sorted(REPO.joinpath("notebooks").glob("*.ipynb"))
# Every literal label key in a notebook and in the chapter modules it shows its chapter with
# (helpers.report.chapters.<name>): chNN., checks., common., words., profile.; f-string keys
# with fields are checked by running the notebooks.
KEY_CALL = re.compile(r'"((?:ch\d\d|checks|common|words|profile)\.[a-z0-9_.]+)"')
CHAPTER_MODULE = re.compile(r"from helpers\.report\.chapters import (\w+)")


def keys(node, prefix=""):
    if not isinstance(node, dict):
        return {prefix}
    return set().union(*(keys(value, f"{prefix}{key}.") for key, value in node.items())) or {prefix}


def edition(language):
    content = dict(label_tree(language))
    content.pop("names")  # category names: English only where a translation is needed
    return content


def test_both_editions_have_the_same_keys():
    assert keys(edition("zh")) == keys(edition("en"))


@pytest.mark.parametrize("notebook", NOTEBOOKS, ids=lambda p: p.stem)
def test_every_label_a_notebook_uses_exists_in_both_editions(notebook):
    cells = json.loads(notebook.read_text(encoding="utf-8"))["cells"]
    source = "\n".join("".join(cell["source"]) for cell in cells)
    modules = CHAPTER_MODULE.findall(source)
    for module in modules:
        path = REPO / "src" / "helpers" / "report" / "chapters" / f"{module}.py"
        source += "\n" + path.read_text(encoding="utf-8")
    used = set(KEY_CALL.findall(source))
    assert used, "the notebook uses no labels?"
    leaves = {key.rstrip(".") for key in keys(edition("zh"))}
    available = leaves | {leaf.rsplit(".", n)[0] for leaf in leaves for n in (1, 2)}
    assert used - available == set()


def test_label_formats_values_and_reports_unknown_keys():
    assert label("ch01.fig_1_7.published_as") == "智慧芽2023 图表1.7"
    reading = label(
        "ch01.fig_1_7.reading",
        top="科创板",
        top_share="49.8%",
        second="北交所",
        second_share="46.2%",
        lowest="沪深主板",
        lowest_share="5.4%",
    )
    assert reading == "“小巨人”占科创板上市企业的49.8%、北交所的46.2%，在沪深主板中占5.4%。"
    with pytest.raises(KeyError, match=r"no label 'ch01.nope' in labels.en.yml"):
        label("ch01.nope", "en")
    with pytest.raises(ValueError, match="unknown language"):
        label("ch01.title", "fr")


def test_category_names_translate_and_unknown_names_pass_through():
    assert translate("科创板", "en") == "STAR Market"
    assert translate("科创板", "zh") == "科创板"
    assert translate("未收录的名字", "en") == "未收录的名字"
    assert translate("江苏省", "en") == "Jiangsu"  # from the reference tables
    assert translate("0件", "en") == "0"  # a YAML number is still a name


def _leaves(node, prefix=""):
    if isinstance(node, dict):
        for key, value in node.items():
            yield from _leaves(value, f"{prefix}{key}.")
    else:
        yield prefix.rstrip("."), node


def test_english_labels_quote_with_straight_quotes():
    """Chinese quotation marks are Chinese punctuation: an English sentence quotes with "…" or
    '…' (the English edition is scanned for them). The glossary's Chinese source terms and the
    category names (keys) are the Chinese originals, so they are left out."""
    tree = dict(label_tree("en"))
    curly = [
        key
        for key, value in _leaves(tree)
        if isinstance(value, str)
        and not key.startswith(("glossary.", "names."))
        and re.search("[“”‘’]", value)
    ]
    assert curly == []


@pytest.mark.parametrize("language", ["zh", "en"])
def test_libyaml_reads_the_label_files_as_pure_python_yaml_does(language):
    import yaml

    from helpers.report.labels import label_files

    for path in label_files(language):
        text = path.read_text(encoding="utf-8")
        assert yaml.load(text, Loader=yaml.CSafeLoader) == yaml.safe_load(text), path.name
