"""Which encoding a CSV file is in: UTF-8 (with or without BOM) or GBK/GB18030 (what Chinese
Excel writes), and refusing text that only decodes as GB18030 by accident.

GB18030 gives a character to almost any pair of bytes, so a Windows-1252 file with "Müller"
(M \\xfc l l e r) decodes without error to "M黮ler". Such a file is refused rather than read as
mojibake: text is accepted as GBK/GB18030 only when it reads as Chinese, i.e. no character of the
GB18030 user-defined (private-use) areas, no character outside GB2312 (the 6,763 common hanzi and
punctuation) wedged between two Latin letters (where an accented letter of a Western encoding
sits), and at most half of the non-ASCII characters outside GB2312.
"""

from __future__ import annotations

import re

from helpers.data.errors import DataInputError, Problem

# Tried in order; GB18030 is a superset of GBK and GB2312.
CSV_ENCODINGS = ("utf-8-sig", "gb18030")
UNDECODABLE = "cannot decode the file; save it as UTF-8 (or GBK) CSV, or as XLSX"
PRIVATE_USE = re.compile("[\ue000-\uf8ff]")


def _outside_gb2312(char: str) -> bool:
    try:
        char.encode("gb2312")
    except UnicodeEncodeError:
        return True
    return False


def not_chinese(text: str) -> tuple[int, str] | None:
    """(offset, snippet) where GB18030-decoded `text` does not read as Chinese, else None."""
    unusual = sorted(c for c in set(text) if ord(c) > 0x7F and _outside_gb2312(c))
    if not unusual:
        return None
    found = PRIVATE_USE.search(text)
    if found is None:
        pattern = "[A-Za-z][" + re.escape("".join(unusual)) + "][A-Za-z]"
        found = re.search(pattern, text)
    if found is None:
        non_ascii = sum(1 for c in text if ord(c) > 0x7F)
        rare = set(unusual)
        if sum(1 for c in text if c in rare) * 2 > non_ascii:
            found = re.search("[" + re.escape("".join(unusual)) + "]", text)
    if found is None:
        return None
    start = max(0, found.start() - 8)
    return found.start(), text[start : found.end() + 8]


def mojibake_problem(file: str, text: str, found: tuple[int, str], line_offset: int = 0):
    """The Problem for text that decodes as GB18030 but is not Chinese."""
    offset, snippet = found
    line = line_offset + text.count("\n", 0, offset) + 1
    return Problem(
        file,
        "not UTF-8, and read as GBK/GB18030 it is not Chinese text (a Windows-1252 or Latin-1 "
        "file?); save it as UTF-8 CSV, or as XLSX",
        row=line,
        value=snippet.strip(),
    )


def decode_bytes(raw: bytes, file: str) -> str:
    """Text of a CSV file in the first encoding that decodes it without error (and, for
    GB18030, reads as Chinese)."""
    for encoding in CSV_ENCODINGS:
        try:
            text = raw.decode(encoding)
        except UnicodeDecodeError:
            continue
        if encoding == "gb18030":
            found = not_chinese(text)
            if found is not None:
                raise DataInputError(mojibake_problem(file, text, found))
        return text
    raise DataInputError(Problem(file, UNDECODABLE))
