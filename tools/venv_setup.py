"""Create or repair the project's venv: the Makefile's `.venv/.installed` step, run by the system
Python (standard library only: nothing else is installed yet).

    python3 tools/venv_setup.py          # the venv named by ZJTX_VENV (the Makefile's VENV), else .venv

A venv counts as made only when its stamp (.installed) exists, and the stamp is written last, after
every install succeeded. Everything happens under a lock beside the venv (<venv>.lock, released
when the process ends, even killed), so two `make` runs on a fresh clone take turns: the second
finds the first's venv made and does nothing. A venv whose Python cannot run pip — `python -m
venv` interrupted by Ctrl-C, a pip upgrade cut short — is removed and made again, so the next
`make` repairs what an interrupted one left. An interrupted install is resumed by running pip again.
"""

from __future__ import annotations

# fcntl, not filelock: this script runs before the venv exists, on the standard library alone
# (helpers.data.locks, inside the venv, uses filelock).
import fcntl
import hashlib
import os
import shutil
import subprocess
import sys
import time
from collections.abc import Callable, Sequence
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
STAMP = ".installed"
# pip warns about index folders this machine's pip.conf names but lacks: not worth a reader's time.
NOISE = "is ignored: it is neither a file nor a directory"


def venv_python(venv: Path) -> Path:
    return venv / "bin" / "python"


def usable(venv: Path) -> bool:
    """The venv's Python runs and imports pip."""
    python = venv_python(venv)
    if not python.exists():
        return False
    found = subprocess.run([python, "-m", "pip", "--version"], capture_output=True)
    return found.returncode == 0


def inputs_digest(inputs: Sequence[Path]) -> str:
    """SHA-256 over the names and contents of the pinned requirements and the package metadata:
    what the stamp records, so that a file whose time alone changed (`touch`, a checkout, a
    copy) reaches no network."""
    digest = hashlib.sha256()
    for path in inputs:
        digest.update(Path(path).name.encode() + b"\0")
        digest.update(Path(path).read_bytes() if Path(path).exists() else b"(none)")
        digest.update(b"\0")
    return digest.hexdigest()


def up_to_date(venv: Path, inputs: Sequence[Path]) -> bool:
    """The stamp exists, records the inputs' current content (inputs_digest) — or, a stamp of
    before it did, is newer than them, as make decides — and the venv still works. A stamp whose
    content matches but is older than an input is touched, so make asks no more."""
    stamp = venv / STAMP
    if not stamp.exists():
        return False
    made = stamp.stat().st_mtime_ns
    newer = all(p.stat().st_mtime_ns <= made for p in inputs if p.exists())
    recorded = stamp.read_text(encoding="utf-8").strip()
    if recorded and recorded != inputs_digest(inputs):
        return False
    if not (newer or recorded) or not usable(venv):
        return False
    if not newer:
        say("the pinned requirements' content is unchanged; nothing to install")
        stamp.touch()
    return True


def say(message: str) -> None:
    """One line of what the venv step is doing, shown at once (make prints nothing else here)."""
    print(f"venv: {message}", flush=True)


def pip(python: Path, *arguments: str, show: bool = False) -> None:
    """Run pip, less the known noise: with `show`, each line of its output as it comes (its
    progress: Collecting, Downloading, Installing), else its output only when it says something."""
    process = subprocess.Popen(
        [str(python), "-m", "pip", *arguments],
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
        cwd=REPO,
    )
    lines = []
    for line in process.stdout:
        if NOISE in line:
            continue
        if show:
            print(f"  {line.rstrip()}", flush=True)
        else:
            lines.append(line.rstrip())
    if lines:
        print("\n".join(lines), file=sys.stderr)
    if process.wait() != 0:
        raise SystemExit(
            f"venv: pip {' '.join(arguments)} failed; run make again once the cause above is fixed"
        )


def pinned_count(requirements: Path) -> int:
    """How many packages a requirements file pins (`name==version` lines)."""
    lines = requirements.read_text(encoding="utf-8").splitlines()
    return sum("==" in line.split("#", 1)[0] for line in lines)


def install(venv: Path) -> None:
    """The project's installs: pip itself, the pinned requirements (with pip's progress: the
    longest step, about 100 s on a fresh venv), the package (editable)."""
    python = venv_python(venv)
    say("upgrading pip")
    pip(python, "install", "--quiet", "--upgrade", "pip")
    count = pinned_count(REPO / "requirements.txt")
    say(f"installing the {count} pinned packages of requirements.txt (pip's progress follows)")
    pip(python, "install", "--progress-bar", "off", "-r", "requirements.txt", show=True)
    say("installing the project's package (helpers, editable)")
    pip(python, "install", "--quiet", "--no-deps", "-e", ".")


def create(venv: Path) -> None:
    say(f"creating {venv.name} with {sys.executable} (Python {sys.version.split()[0]})")
    subprocess.run([sys.executable, "-m", "venv", str(venv)], check=True)


def ensure_venv(
    venv: Path,
    inputs: Sequence[Path] = (),
    install: Callable[[Path], None] = install,
    create: Callable[[Path], None] = create,
) -> bool:
    """Make `venv` usable and installed, under its lock; False when it already was."""
    venv = Path(venv)
    lock_path = venv.with_name(venv.name + ".lock")
    with open(lock_path, "a") as lock:
        try:
            fcntl.flock(lock, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            print(f"waiting for another make setting up {venv.name} ...", flush=True)
            fcntl.flock(lock, fcntl.LOCK_EX)
        if up_to_date(venv, inputs):
            return False  # another make just did it
        started = time.monotonic()
        (venv / STAMP).unlink(missing_ok=True)
        if not usable(venv):
            if venv.exists() or venv.is_symlink():
                print(f"venv: {venv.name} has no working pip (interrupted?); making it again")
                shutil.rmtree(venv) if venv.is_dir() and not venv.is_symlink() else venv.unlink()
            create(venv)
        install(venv)
        (venv / STAMP).write_text(inputs_digest(inputs) + "\n", encoding="utf-8")
        say(f"{venv.name} ready ({time.monotonic() - started:.0f} s)")
    return True


def main() -> None:
    venv = Path(os.environ.get("ZJTX_VENV") or ".venv")
    venv = venv if venv.is_absolute() else REPO / venv
    try:
        ensure_venv(venv, [REPO / "requirements.txt", REPO / "pyproject.toml"])
    except KeyboardInterrupt:
        sys.exit("venv: interrupted; the next make finishes it")
    except (OSError, subprocess.CalledProcessError) as error:
        sys.exit(f"venv: {error}; run make again once the cause is fixed")


if __name__ == "__main__":
    main()
