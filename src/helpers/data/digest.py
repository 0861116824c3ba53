"""SHA-256 of input files, each read once per process.

Firm-level exports run to hundreds of megabytes, and one build step hashes them more than once
(the tables' fingerprint, then the provenance of the tables written), so the digest is kept per
path, size and modification time; a file edited while the process runs is hashed again.
"""

from __future__ import annotations

import functools
import hashlib
from pathlib import Path


@functools.cache
def _digest(path: Path, size: int, mtime_ns: int) -> bytes:
    with open(path, "rb") as handle:  # in chunks: no copy of a large file in memory
        return hashlib.file_digest(handle, "sha256").digest()


def file_sha256(path: Path) -> bytes:
    """The SHA-256 digest (bytes) of a file's contents."""
    path = Path(path)
    stat = path.stat()
    return _digest(path, stat.st_size, stat.st_mtime_ns)
