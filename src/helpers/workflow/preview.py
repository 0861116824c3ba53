"""`make preview`: the edition's pages while they are written, as `quarto preview` shows a book.

    make preview [LANGUAGE=en] [DATA_DIR=…] [REGIONS=none] [PREVIEW_PORT=8000] [PREVIEW_PDF=1]

Builds the edition's HTML (no PDF unless PREVIEW_PDF=1: the documents and the book skip it,
helpers.workflow.batch and helpers.workflow.book) into its staging folder
(`build/<edition>/reports`), serves that folder on http://127.0.0.1:<port>/ and, on every save
under notebooks/, src/helpers/ or data/, runs the same steps again: the content fingerprints
rebuild only the pages the change touches. Each page served gets a small script that asks the
server for the build's number once a second and reloads the page when a rebuild finished. The
published reports/ are left alone (`make report` publishes).

Files are watched with watchfiles when it is installed (a kept library, events from the
operating system), else by comparing the folders' file times once a second (standard library).
"""

from __future__ import annotations

import argparse
import http.server
import os
import subprocess
import threading
import time
from collections.abc import Callable, Iterable
from pathlib import Path

from helpers.parameters import add_arguments
from helpers.paths import DATA_DIR, NOTEBOOKS_DIR, REPO_ROOT, display_path

WATCHED = (NOTEBOOKS_DIR, REPO_ROOT / "src" / "helpers", DATA_DIR)
VERSION_PATH = "/__preview__/version"
# Checkpoints, bytecode and editors' swap files are not edits.
IGNORED_PARTS = ("__pycache__", ".ipynb_checkpoints", ".git")
IGNORED_SUFFIXES = (".pyc", ".swp", ".swx", "~", ".tmp")
RELOAD_SCRIPT = """<script data-preview-reload>
(function () {
  var seen = null;
  function ask() {
    fetch("VERSION_PATH", {cache: "no-store"}).then(function (r) { return r.text(); })
      .then(function (v) { if (seen !== null && v !== seen) { location.reload(); } seen = v; })
      .catch(function () {}).finally(function () { setTimeout(ask, 1000); });
  }
  ask();
})();
</script>""".replace("VERSION_PATH", VERSION_PATH)


def with_reload(page: bytes) -> bytes:
    """An HTML page with the reload script before </body> (at the end when it has none)."""
    script = RELOAD_SCRIPT.encode()
    at = page.rfind(b"</body>")
    return page[:at] + script + page[at:] if at >= 0 else page + script


class Build:
    """The steps (a command, `make preview-steps`), run once at start and again after each
    change; `version` counts the finished runs, which the pages ask for."""

    def __init__(self, command: list[str], say: Callable[[str], None] = print):
        self.command = command
        self.say = say
        self.version = 0
        self.ok = True
        self.lock = threading.Lock()

    def run(self) -> bool:
        with self.lock:
            started = time.perf_counter()
            done = subprocess.run(self.command, cwd=REPO_ROOT)
            self.ok = done.returncode == 0
            self.version += 1
            outcome = "rebuilt" if self.ok else "build failed (the last good pages stay)"
            self.say(f"preview: {outcome} in {time.perf_counter() - started:.1f} s")
            return self.ok


def handler(folder: Path, build: Build):
    """A request handler serving `folder`, HTML pages with the reload script, and the build's
    number at VERSION_PATH."""

    class Handler(http.server.SimpleHTTPRequestHandler):
        def __init__(self, *args, **kwargs):
            super().__init__(*args, directory=str(folder), **kwargs)

        def do_GET(self):
            if self.path.split("?")[0] == VERSION_PATH:
                return self.send_bytes(str(build.version).encode(), "text/plain")
            path = Path(self.translate_path(self.path))
            if path.is_dir():
                path = path / "index.html"
            if path.suffix == ".html" and path.is_file():
                return self.send_bytes(with_reload(path.read_bytes()), "text/html; charset=utf-8")
            return super().do_GET()

        def send_bytes(self, body: bytes, kind: str) -> None:
            self.send_response(200)
            self.send_header("Content-Type", kind)
            self.send_header("Content-Length", str(len(body)))
            self.send_header("Cache-Control", "no-store")
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, format, *args):  # quiet: the build's lines are what matter
            pass

    return Handler


def serve(folder: Path, build: Build, port: int) -> http.server.ThreadingHTTPServer:
    """Start serving `folder` on 127.0.0.1:`port` (0: any free port) in a thread."""
    server = http.server.ThreadingHTTPServer(("127.0.0.1", port), handler(folder, build))
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server


def is_edit(path: str) -> bool:
    parts = Path(path).parts
    return not any(p in IGNORED_PARTS for p in parts) and not path.endswith(IGNORED_SUFFIXES)


def snapshot(folders: Iterable[Path]) -> dict[str, tuple[int, int]]:
    """Each file's size and modification time (the polling watcher's view)."""
    state = {}
    for folder in folders:
        for root, dirs, files in os.walk(folder):
            dirs[:] = [d for d in dirs if d not in IGNORED_PARTS]
            for name in files:
                path = os.path.join(root, name)
                if is_edit(path):
                    try:
                        info = os.stat(path)
                    except FileNotFoundError:
                        continue
                    state[path] = (info.st_size, info.st_mtime_ns)
    return state


def changes(folders: Iterable[Path], interval: float = 1.0):
    """Yield the set of paths changed, once per batch of saves (watchfiles, else polling)."""
    folders = [f for f in folders if Path(f).exists()]
    try:
        import watchfiles
    except ImportError:
        watchfiles = None
    if watchfiles is not None:
        for batch in watchfiles.watch(*folders, watch_filter=lambda _, path: is_edit(path)):
            yield {path for _, path in batch}
        return
    before = snapshot(folders)
    while True:
        time.sleep(interval)
        now = snapshot(folders)
        if now != before:
            changed = {p for p in now.keys() | before.keys() if now.get(p) != before.get(p)}
            before = now
            yield changed


def child_makeflags(flags: str) -> str:
    """MAKEFLAGS for a make this process starts: the command line's variables (BUILD=…) kept,
    the parent's jobserver and -j left out."""
    head, _, variables = flags.partition(" -- ")
    kept = [w for w in head.split() if not w.startswith(("--jobserver", "-j", "--jobs"))]
    return " ".join(kept) + (f" -- {variables}" if variables else "")


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(prog="python -m helpers.workflow.preview", description=__doc__)
    add_arguments(parser, "build", "data_dir", "language", "cutoff", "previous")
    parser.add_argument("--port", type=int, default=os.environ.get("ZJTX_PREVIEW_PORT") or "8000")
    parser.add_argument(
        "--steps", default="preview-steps", help="the make target that builds the pages"
    )
    args = parser.parse_args(argv)
    from helpers.workflow.editions import Edition

    args.reports = ""
    edition = Edition(args)  # a bad parameter stops here, in one line
    from helpers.workflow.batch import jobs_from_make

    # make's -j for the steps too; its jobserver's pipes are not handed to this child
    jobs = jobs_from_make()
    os.environ["MAKEFLAGS"] = child_makeflags(os.environ.get("MAKEFLAGS", ""))
    build = Build(["make", "--no-print-directory", f"-j{jobs}", args.steps])
    build.run()
    server = serve(edition.staging, build, args.port)
    host, port = server.server_address[:2]
    print(
        f"preview: http://{host}:{port}/ ({display_path(edition.staging)}); pages reload after "
        "each save under notebooks/, src/helpers/, data/; Ctrl-C stops",
        flush=True,
    )
    try:
        for changed in changes(WATCHED):
            shown = ", ".join(sorted(display_path(Path(p)) for p in changed)[:3])
            print(f"preview: changed {shown}{' …' if len(changed) > 3 else ''}", flush=True)
            build.run()
    except KeyboardInterrupt:
        print("preview: stopped", flush=True)
    finally:
        server.shutdown()


if __name__ == "__main__":
    main()
