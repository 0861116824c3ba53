"""What a step computes from a file's content, kept on disk by the content's digest so that the
next step or build reads it instead of computing it again: the imports and strings of a Python
module (helpers.workflow.fingerprint), the characters and search documents of a page
(helpers.workflow.webfont, helpers.workflow.search). A page that did not change since the last
publish is not parsed again.

An entry is a JSON file `build/cache/<kind>/<key>.json` (cached_json), or a file the caller
writes, `build/cache/<kind>/<key><suffix>` (cached_file: the PDF of the book's front matter). The key is a SHA-256 over the content
and whatever else decides the result (the version of the code computing it), so an entry is
never stale, only unused; `make clean` removes them. An entry is written whole or not at all
(a concurrent step reads either nothing or the complete entry); a damaged or missing entry is
computed again; a read-only build folder keeps results in memory only. Each kind keeps its
KEEP most recently used entries: an analyst's hundred edits do not fill the disk.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import shutil
from collections.abc import Callable
from pathlib import Path
from typing import Any

from helpers.paths import BUILD_DIR

CACHE_DIR = BUILD_DIR / "cache"
KEEP = 400  # entries per kind (a page's search documents: up to 1 MB; a cached PDF: 0.2–0.5 MB)


def content_key(*parts: str | bytes) -> str:
    """SHA-256 (hex) over `parts`, each length-prefixed so that no two lists of parts collide."""
    digest = hashlib.sha256()
    for part in parts:
        data = part.encode("utf-8", "surrogatepass") if isinstance(part, str) else part
        digest.update(f"{len(data)}:".encode() + data)
    return digest.hexdigest()


def cached_json(kind: str, key: str, compute: Callable[[], Any], folder: Path | None = None) -> Any:
    """The JSON value kept under (`kind`, `key`), else `compute()`'s, kept for next time.
    ASCII JSON: a string from a page or a module may hold a lone surrogate, which UTF-8 cannot."""
    entry = Path(folder or CACHE_DIR) / kind / f"{key}.json"
    try:
        value = json.loads(entry.read_text(encoding="ascii"))
        _used(entry)
        return value
    except (OSError, ValueError):
        pass  # not computed yet, or a damaged entry: compute again
    value = compute()
    partial = entry.with_name(f".{entry.name}.{os.getpid()}")
    try:
        entry.parent.mkdir(parents=True, exist_ok=True)
        partial.write_text(json.dumps(value, separators=(",", ":")), encoding="ascii")
        os.replace(partial, entry)
        _prune(entry.parent)
    except OSError:  # a read-only build folder: computed, not kept
        with contextlib.suppress(OSError):
            partial.unlink(missing_ok=True)
    return value


def cached_file(kind: str, key: str, make: Callable[[Path], None], target: Path) -> bool:
    """`target` written as `make(path)` writes it, copied from the entry kept under (`kind`,
    `key`) when there is one (True), else made, kept for next time and copied (False); made in
    place when the cache cannot be written."""
    entry = CACHE_DIR / kind / f"{key}{Path(target).suffix}"
    if entry.is_file():
        shutil.copyfile(entry, target)
        _used(entry)
        return True
    partial = entry.with_name(f".{entry.name}.{os.getpid()}")
    try:
        entry.parent.mkdir(parents=True, exist_ok=True)
        make(partial)
        os.replace(partial, entry)
        _prune(entry.parent)
    except OSError:  # a read-only build folder
        with contextlib.suppress(OSError):
            partial.unlink(missing_ok=True)
        make(target)
        return False
    shutil.copyfile(entry, target)
    return False


def _used(entry: Path) -> None:
    """Mark an entry as just used (its modification time), so pruning keeps it."""
    with contextlib.suppress(OSError):
        os.utime(entry)


def _prune(folder: Path) -> None:
    """Remove all but the KEEP most recently used entries of a kind's folder."""
    entries = sorted(folder.iterdir(), key=lambda p: p.stat().st_mtime_ns, reverse=True)
    for stale in entries[KEEP:]:
        with contextlib.suppress(OSError):
            stale.unlink()
