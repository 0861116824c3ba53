"""Input files and their SHA-256 digests, the one implementation every fingerprint uses: the
chapters', profiles' and cards' (helpers.workflow.fingerprint), the data check's, and the
firm-level tables' and their provenance (helpers.firmlevel.tables, helpers.firmlevel.firms).

Firm-level exports run to hundreds of megabytes, and one build step hashes them more than once
(the tables' fingerprint, then the provenance of the tables written), so a file's digest is kept
per path, size, modification and change time and inode; a file edited while the process runs is
hashed again, even when its modification time was set back (`cp -p`, `touch -d`): the change
time and the inode cannot be.
"""

from __future__ import annotations

import functools
import hashlib
from collections.abc import Iterable
from pathlib import Path

from helpers.paths import display_path

# Folders under an input folder that hold no input: Python's bytecode cache and JupyterLab's
# checkpoint copies. The Makefile's no-op stamp (BUILD_INPUTS) leaves out the same folders.
NOT_INPUTS = ("__pycache__", ".ipynb_checkpoints")


def folder_files(folder: Path) -> list[Path]:
    """Every file under `folder` (recursively, sorted), without the NOT_INPUTS folders."""
    return sorted(
        p
        for p in Path(folder).rglob("*")
        if p.is_file() and not any(part in NOT_INPUTS for part in p.parts)
    )


def file_state(path: Path) -> tuple[int, int, int, int]:
    """What changes whenever a file's content may have: size, modification and change time
    (ns), inode. Equal states need no new hash; any difference means hashing again."""
    stat = Path(path).stat()
    return (stat.st_size, stat.st_mtime_ns, stat.st_ctime_ns, stat.st_ino)


@functools.cache
def _digest(path: Path, state: tuple[int, int, int, int]) -> bytes:
    with open(path, "rb") as handle:  # in chunks: no copy of a large file in memory
        return hashlib.file_digest(handle, "sha256").digest()


def file_sha256(path: Path) -> bytes:
    """The SHA-256 digest (bytes) of a file's contents."""
    path = Path(path)
    return _digest(path, file_state(path))


def files_digest(
    files: Iterable[Path], parameters: dict | None = None, root: Path | None = None
) -> str:
    """SHA-256 (hex) over the parameters (`key=value` lines, keys sorted), then every file's name
    (relative to `root`, else as display_path shows it) and contents, in the order given."""
    digest = hashlib.sha256()
    for key in sorted(parameters or {}):
        digest.update(f"{key}={parameters[key]}\n".encode())
    for path in map(Path, files):
        name = path.relative_to(root).as_posix() if root else display_path(path)
        digest.update(name.encode() + b"\0")
        digest.update(file_sha256(path))
    return digest.hexdigest()
