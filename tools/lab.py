"""`make lab`: JupyterLab on notebooks/ with the project's environment.

    make lab                                   # JupyterLab on notebooks/
    make lab LAB_ARGS="--port 8890 --no-browser --ServerApp.ip=0.0.0.0"
    python -m tools.lab --dry-run              # print the command, start nothing

LAB_ARGS reaches this script as ZJTX_LAB_ARGS (the Makefile never pastes it into a shell) and is
split like a shell's words, then handed to JupyterLab as its own options. As root (a container,
a CI machine) JupyterLab refuses to start ("Running as root is not recommended") unless told
--allow-root, so it is told. Once the server answers, its address (with the token) is printed on
a line of its own: JupyterLab's own banner is one of many log lines.
"""

from __future__ import annotations

import os
import shlex
import signal
import subprocess
import sys
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
# How long to wait for the server to answer before giving up on printing its address.
ADDRESS_WAIT_SECONDS = 120


def lab_options(text: str) -> list[str]:
    """LAB_ARGS as JupyterLab's options; a value a shell could not split stops in one line."""
    try:
        return shlex.split(text)
    except ValueError as error:
        raise SystemExit(f"LAB_ARGS={text}: {error}; quote each option as a shell would") from None


def lab_command(options: list[str], as_root: bool) -> list[str]:
    """The command that starts JupyterLab on notebooks/ with this Python's packages."""
    command = [sys.executable, "-m", "jupyterlab", "--notebook-dir=notebooks"]
    if as_root and "--allow-root" not in options:
        command.append("--allow-root")
    return command + options


def address(server: dict) -> str:
    """A running server's address as JupyterLab prints it: http://localhost:8888/lab?token=…"""
    url = server["url"].rstrip("/") + "/lab"
    return f"{url}?token={server['token']}" if server.get("token") else url


def wait_for_address(process: subprocess.Popen) -> str | None:
    """The address of the server `process` runs, once it answers (None if it stopped first or
    did not answer in time)."""
    from jupyter_server.serverapp import list_running_servers

    deadline = time.monotonic() + ADDRESS_WAIT_SECONDS
    while process.poll() is None and time.monotonic() < deadline:
        for server in list_running_servers():
            if server.get("pid") == process.pid:
                return address(server)
        time.sleep(0.5)
    return None


def main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    options = lab_options(os.environ.get("ZJTX_LAB_ARGS", ""))
    command = lab_command(options, as_root=os.geteuid() == 0)
    if "--dry-run" in argv:
        print(shlex.join(command))
        return 0
    print(f"lab: jupyter lab {shlex.join(command[3:])}", flush=True)
    process = subprocess.Popen(command, cwd=REPO)
    # a `kill` or a closed terminal stops JupyterLab too, not only this script
    for stop in (signal.SIGTERM, signal.SIGHUP):
        signal.signal(stop, lambda number, frame: process.send_signal(number))
    try:
        found = wait_for_address(process)
        if found:
            print(f"\nlab: JupyterLab is at {found}\n", flush=True)
        while True:
            try:
                return process.wait()
            except KeyboardInterrupt:  # JupyterLab asks whether to stop; its answer decides
                continue
    except KeyboardInterrupt:
        process.terminate()
        return process.wait()


if __name__ == "__main__":
    sys.exit(main())
