"""The report's Chinese font: Noto Sans SC (SIL Open Font License), shipped on PyPI in
`pylopdf-fonts-zh-cn`, so charts and PDFs never depend on a system font.

For PDFs the font is subset to the characters a document uses before WeasyPrint sees it:
WeasyPrint's own fontTools subsetting of the 8 MB CFF font takes ~5 s per PDF, while subsetting
once here (cached by character set) and rendering from the small font takes ~1.5 s + 0.4 s.

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
    whichever process made it (parallel builds share the cache)."""
    wanted = subset_characters(characters)
    target = subset_path(wanted, cache_dir)
    if target.exists():
        return target
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
    return target
