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

import fcntl
import os
import shutil
import subprocess
import sys
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


def up_to_date(venv: Path, inputs: Sequence[Path]) -> bool:
    """The stamp exists and is newer than the pinned requirements and the package metadata (as
    make decides), and the venv still works."""
    stamp = venv / STAMP
    if not stamp.exists():
        return False
    made = stamp.stat().st_mtime_ns
    return all(p.stat().st_mtime_ns <= made for p in inputs if p.exists()) and usable(venv)


def pip(python: Path, *arguments: str) -> None:
    """Run pip quietly; its output (less the known noise) shown only when it says something."""
    done = subprocess.run(
        [str(python), "-m", "pip", *arguments], capture_output=True, text=True, cwd=REPO
    )
    lines = [line for line in (done.stdout + done.stderr).splitlines() if NOISE not in line]
    if lines:
        print("\n".join(lines), file=sys.stderr)
    if done.returncode != 0:
        raise SystemExit(
            f"venv: pip {' '.join(arguments)} failed; run make again once the cause above is fixed"
        )


def install(venv: Path) -> None:
    """The project's installs: pip itself, the pinned requirements, the package (editable)."""
    python = venv_python(venv)
    pip(python, "install", "--quiet", "--upgrade", "pip")
    pip(python, "install", "--quiet", "-r", "requirements.txt")
    pip(python, "install", "--quiet", "--no-deps", "-e", ".")


def create(venv: Path) -> None:
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
        (venv / STAMP).unlink(missing_ok=True)
        if not usable(venv):
            if venv.exists() or venv.is_symlink():
                print(f"venv: {venv.name} has no working pip (interrupted?); making it again")
                shutil.rmtree(venv) if venv.is_dir() and not venv.is_symlink() else venv.unlink()
            create(venv)
        install(venv)
        (venv / STAMP).touch()
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
