"""The report's Chinese font: Noto Sans SC (SIL Open Font License), shipped on PyPI in
`pylopdf-fonts-zh-cn`, so charts and PDFs never depend on a system font.

For PDFs the font is subset to the characters a document uses before WeasyPrint sees it:
WeasyPrint's own fontTools subsetting of the 8 MB CFF font takes ~5 s per PDF, while subsetting
once here (cached by character set) and rendering from the small font takes ~1.5 s + 0.4 s."""

from __future__ import annotations

import hashlib
import os
from pathlib import Path

import pylopdf_fonts_zh_cn
from fontTools import subset
from fontTools.ttLib import TTFont

FONT_FAMILY = "Noto Sans SC"

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


def subset_font(characters: set[str], cache_dir: Path) -> Path:
    """A copy of Noto Sans SC with only `characters` (plus BASE_CHARACTERS), cached by content.
    Deterministic bytes: the same characters give the same file."""
    wanted = sorted((set(characters) | BASE_CHARACTERS) - {"\n", "\r", "\t"})
    source = font_path()
    digest = hashlib.sha256(("".join(wanted) + source.name).encode("utf-8")).hexdigest()[:16]
    target = Path(cache_dir) / f"NotoSansSC-subset-{digest}.otf"
    if target.exists():
        return target
    target.parent.mkdir(parents=True, exist_ok=True)
    options = subset.Options()
    options.name_IDs = ["*"]
    options.layout_features = ["*"]
    options.notdef_outline = True
    font = TTFont(source, lazy=True)
    font.recalcTimestamp = False  # keep bytes reproducible
    subsetter = subset.Subsetter(options)
    subsetter.populate(unicodes=[ord(c) for c in wanted])
    subsetter.subset(font)
    partial = target.with_suffix(f".{os.getpid()}.tmp")  # parallel builds may race
    font.save(partial)
    partial.replace(target)
    return target
