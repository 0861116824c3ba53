"""The report's Chinese font: Noto Sans SC (SIL Open Font License), shipped on PyPI in
`pylopdf-fonts-zh-cn`, so charts and PDFs never depend on a system font.

For PDFs the font is subset before WeasyPrint sees it: WeasyPrint's own fontTools subsetting of
the 8 MB CFF font takes ~5 s per PDF, while subsetting once here (cached by character set) and
rendering from the small font takes ~1.5 s + 0.4 s. One subset serves a whole edition: the
characters its labels and tables can show (edition_characters), made once and embedded by each
of its documents, rather than one subset per document's characters (helpers.report.pdf.pdf_font).

The PDF subset has no GSUB table (no glyph substitutions): WeasyPrint embeds it as it is and maps
glyphs back to text from the font's cmap alone, so every glyph drawn must be a cmap glyph. With
GSUB, HarfBuzz drew unencoded glyphs — Latin-run digits after "vs" (locl), fi/fl ligatures, the
joined "——" — whose text was lost ("vs 2023" read back as "vs ˱˯˱˲"); and the locl digits were
drawn or not by the language Pango gives a Latin run in a zh-CN page, which follows the LANGUAGE
environment variable (which `make report LANGUAGE=zh` then exported; the Makefile now passes no
LANGUAGE to any step), so PDF bytes changed with it."""

from __future__ import annotations

import hashlib
import os
import tempfile
from pathlib import Path

import fontTools
import pylopdf_fonts_zh_cn
from fontTools import subset
from fontTools.ttLib import TTFont

FONT_FAMILY = "Noto Sans SC"

# Part of the cache key: a subset made by other code (options, fontTools) is never reused.
SUBSET_RECIPE = f"no-GSUB, GPOS kept, all names; fontTools {fontTools.version}"

# Always kept in a subset: ASCII, Latin-1, general punctuation, CJK punctuation, full-width forms.
BASE_CHARACTERS = (
    {chr(c) for c in range(0x20, 0x7F)}
    | {chr(c) for c in range(0xA0, 0x100)}
    | {chr(c) for c in range(0x2010, 0x2070)}
    | {chr(c) for c in range(0x3000, 0x3020)}
    | {chr(c) for c in range(0xFF01, 0xFF5F)}
    | set("×÷−≥≤±％‰")
)


def font_path() -> Path:
    """Path of the Noto Sans SC OTF file inside the installed package."""
    return Path(pylopdf_fonts_zh_cn.sans_path())


def covered_characters(path: Path | None = None) -> set[str]:
    """Characters the font has glyphs for."""
    font = TTFont(path or font_path(), lazy=True)
    return {chr(code) for code in font.getBestCmap()}


def subset_characters(characters: set[str]) -> list[str]:
    """The characters a subset for `characters` holds, in a fixed order."""
    return sorted((set(characters) | BASE_CHARACTERS) - {"\n", "\r", "\t"})


def subset_path(wanted: list[str], cache_dir: Path) -> Path:
    """Where the subset with `wanted` is cached: named by the characters, the source font and
    how it is made."""
    key = "\0".join(["".join(wanted), font_path().name, SUBSET_RECIPE])
    digest = hashlib.sha256(key.encode("utf-8")).hexdigest()[:16]
    return Path(cache_dir) / f"NotoSansSC-subset-{digest}.otf"


def subset_font(characters: set[str], cache_dir: Path) -> Path:
    """A copy of Noto Sans SC with only `characters` (plus BASE_CHARACTERS) and no glyph
    substitutions, cached by content. Deterministic bytes: the same characters give the same file,
    whichever process made it (parallel builds share the cache); made once, under a file lock, when
    two kernels want the same subset at once."""
    from helpers.data.locks import locked

    wanted = subset_characters(characters)
    target = subset_path(wanted, cache_dir)
    if target.exists():
        return target
    with locked(target.with_suffix(".lock"), quiet=True):
        if not target.exists():  # the other kernel made it while this one waited
            _make_subset(wanted, target)
    return target


def _make_subset(wanted: list[str], target: Path) -> None:
    target.parent.mkdir(parents=True, exist_ok=True)
    options = subset.Options()
    options.name_IDs = ["*"]
    options.layout_features = ["*"]  # GPOS only (kerning, marks): positions, never glyphs
    options.drop_tables += ["GSUB"]
    options.notdef_outline = True
    font = TTFont(font_path(), lazy=True)
    font.recalcTimestamp = False  # keep bytes reproducible
    subsetter = subset.Subsetter(options)
    subsetter.populate(unicodes=[ord(c) for c in wanted])
    subsetter.subset(font)
    # Written aside and renamed: a parallel build never reads a half-written font.
    handle, partial = tempfile.mkstemp(dir=target.parent, prefix=target.stem, suffix=".tmp")
    os.close(handle)
    os.chmod(partial, 0o644)  # mkstemp makes it private; the cache is shared like build/
    try:
        font.save(partial)
        Path(partial).replace(target)
    finally:
        Path(partial).unlink(missing_ok=True)


# Files whose text can reach a page: the tables and catalogues of a published-shaped folder (not
# the validated firms' parquet file beside a firm-level edition's tables), and the package's code
# and templates (an em space the code indents with, a word it puts into a sentence).
TABLE_SUFFIXES = (".csv", ".yml", ".yaml")
CODE_SUFFIXES = (".py", ".j2", ".css")
# Languages whose pages show the tables' Chinese names as they are; an English page names every
# province, city, field and board in English (from the reference tables and the labels).
CJK_LANGUAGES = ("zh",)
FIRST_CJK = 0x2E80  # CJK radicals: ideographs and CJK punctuation lie above


def edition_characters(language: str, *table_dirs: Path) -> frozenset[str]:
    """Every character an edition's pages can show, known before any of them renders: those of
    the language's labels (their values, not the files' keys or comments), of the published-shaped
    tables the notebooks read (`table_dirs`: for firm-level data the aggregated tables, with the
    firm names pages list) and of the package's code and templates — in an English edition only
    those below the CJK blocks —, and the reference tables' below the CJK blocks (their English
    names; a Chinese name a page shows comes with the tables' rows: the reference's 369 cities
    would make every PDF's font half as big again). One subset of these serves every document of
    the edition (helpers.report.pdf.pdf_font); a page showing a character outside it gets its
    own subset instead."""
    from helpers.data.digest import folder_files
    from helpers.data.yamlio import load_yaml
    from helpers.paths import REFERENCE_DIR
    from helpers.pipeline import HELPERS_DIR
    from helpers.report.labels import LABELS_DIR

    labels: set[str] = set()
    for path in sorted(LABELS_DIR.glob(f"*.{language}.yml")):
        labels.update(*_label_values(load_yaml(path.read_text(encoding="utf-8"))))
    files = [
        path
        for folder in table_dirs
        for path in folder_files(Path(folder))
        if path.suffix in TABLE_SUFFIXES
    ]
    files += [path for path in folder_files(HELPERS_DIR) if path.suffix in CODE_SUFFIXES]
    others = set().union(*(set(_written_text(path)) for path in files))
    if language not in CJK_LANGUAGES:
        others = {c for c in others if ord(c) < FIRST_CJK}
    reference = set().union(
        *(
            set(_written_text(path))
            for path in folder_files(REFERENCE_DIR)
            if path.suffix in TABLE_SUFFIXES
        )
    )
    others |= {c for c in reference if ord(c) < FIRST_CJK}
    return frozenset(subset_characters(labels | others))


def _written_text(path: Path) -> str:
    """A file's text with the characters its escapes write: "\\u2003" in code, &emsp; in a
    template."""
    import html
    import re

    text = path.read_text(encoding="utf-8", errors="replace")
    if path.suffix == ".py":
        escaped = (int(code, 16) for code in re.findall(r"\\u([0-9a-fA-F]{4})", text))
        # not half of a surrogate pair ("\\ud83d"): no character by itself
        return text + "".join(chr(code) for code in escaped if not 0xD800 <= code <= 0xDFFF)
    return html.unescape(text) if path.suffix == ".j2" else text


def _label_values(tree) -> list[str]:
    if isinstance(tree, dict):
        return [text for value in tree.values() for text in _label_values(value)]
    if isinstance(tree, list):
        return [text for value in tree for text in _label_values(value)]
    return [] if tree is None else [str(tree)]
