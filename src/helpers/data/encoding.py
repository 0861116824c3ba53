"""Which encoding a CSV file is in: UTF-8 (with or without BOM) or GBK/GB18030 (what Chinese
Excel writes), and refusing text that only decodes as GB18030 by accident.

GB18030 gives a character to almost any pair of bytes, so a Windows-1252 file with "Müller"
(M \\xfc l l e r) decodes without error to "M黮ler". Such a file is refused rather than read as
mojibake: text is accepted as GBK/GB18030 only when it reads as Chinese, i.e. no character of the
GB18030 user-defined (private-use) areas, no character outside GB2312 (the 6,763 common hanzi and
punctuation) wedged between two Latin letters (where an accented letter of a Western encoding
sits), and at most half of the non-ASCII characters outside GB2312.

A UTF-8 byte-order mark in front of a GBK body (some tools add one to whatever they save) is
dropped before decoding as GBK. A file that is not one encoding throughout (UTF-8 rows, then
GBK rows pasted below them) is refused naming its first row that is not in the encoding of the
rows above, with the column and the cell (`mixed_encoding`).
"""

from __future__ import annotations

import codecs
import csv
import re
from collections.abc import Iterable

from helpers.data.errors import DataInputError, Problem

# Tried in order; GB18030 is a superset of GBK and GB2312.
CSV_ENCODINGS = ("utf-8-sig", "gb18030")
UNDECODABLE = "cannot decode the file; save it as UTF-8 (or GBK) CSV, or as XLSX"
PRIVATE_USE = re.compile("[\ue000-\uf8ff]")
# Bytes that did not decode, kept by the surrogateescape error handler.
SURROGATE = re.compile("[\udc80-\udcff]")


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
    GB18030, reads as Chinese; a UTF-8 byte-order mark in front of it is dropped)."""
    for encoding in CSV_ENCODINGS:
        body = raw.removeprefix(codecs.BOM_UTF8) if encoding == "gb18030" else raw
        try:
            text = body.decode(encoding)
        except UnicodeDecodeError:
            continue
        if encoding == "gb18030":
            found = not_chinese(text)
            if found is not None:
                mixed = mixed_encoding(file, raw.split(b"\n"))
                raise DataInputError(mixed or mojibake_problem(file, text, found))
        return text
    raise DataInputError(mixed_encoding(file, raw.split(b"\n")) or Problem(file, UNDECODABLE))


def _decodes(line: bytes, encoding: str) -> bool:
    try:
        line.decode(encoding)
    except UnicodeDecodeError:
        return False
    return True


def _cell_shown(cell: bytes, expected: str) -> tuple[str, str | None]:
    """(the cell as shown in an error, the encoding it reads in instead of `expected`)."""
    for encoding in ("utf-8", "gb18030"):
        if encoding != expected and _decodes(cell, encoding):
            text = cell.decode(encoding)
            if encoding == "utf-8" or not_chinese(text) is None:
                return text, encoding
    return cell.decode(expected or "utf-8", errors="backslashreplace"), None


def mixed_encoding(file: str, lines: Iterable[bytes]) -> Problem | None:
    """The first row (line; header = 1) of a CSV that is not in the encoding of the file's
    first line with non-ASCII bytes (UTF-8, else GBK/GB18030), with the column and the cell
    that are not, or None when every line decodes in that encoding. A line that decodes in
    neither is named too. Lines split at b"\\n", which no UTF-8 or GBK character contains."""
    expected, header = None, []
    names = {"utf-8": "UTF-8", "gb18030": "GBK"}
    for number, line in enumerate(lines, 1):
        line = line.removeprefix(codecs.BOM_UTF8) if number == 1 else line
        if line.isascii():
            problem = None
        elif expected is None:
            expected = next((e for e in ("utf-8", "gb18030") if _decodes(line, e)), None)
            problem = f"neither UTF-8 nor GBK: {UNDECODABLE}" if expected is None else None
        elif not _decodes(line, expected):
            problem = f"not {names[expected]} like the rows above it"
        else:
            problem = None
        if problem is None and number > 1:
            continue
        encoding = expected or "utf-8"
        decoded = line.rstrip(b"\r").decode(encoding, errors="surrogateescape")
        cells = next(csv.reader([decoded]), [])
        if problem is None:  # the header
            header = cells
            continue
        # The first line not in the file's encoding: name its cell and what it reads as.
        position = next((i for i, c in enumerate(cells) if SURROGATE.search(c)), None)
        cell = decoded if position is None else cells[position]
        shown, other = _cell_shown(cell.encode(encoding, "surrogateescape"), expected)
        column = header[position] if position is not None and position < len(header) else None
        if expected is not None:
            reads = f" (it reads as {names[other]})" if other is not None else ""
            problem += f"{reads}: the file mixes encodings; save the whole file in one encoding, "
            problem += "as UTF-8 CSV or as XLSX"
        return Problem(
            file,
            problem,
            row=number,
            column=column,
            value=shown,
        )
    return None
