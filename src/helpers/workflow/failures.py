"""How a build step fails: one line saying what went wrong and what to do, never a traceback.

    with failures.one_line("publish"):
        publish(args)

A bad parameter names the parameter and what is valid (helpers.parameters.ParameterError); bad
input data names file, row, column and value (helpers.data.errors.DataInputError); a full disk,
a read-only folder or a file where a folder should be names the path and the remedy; Ctrl-C says
the published reports are untouched. Anything else is a bug and keeps its traceback."""

from __future__ import annotations

import contextlib
import errno
import sys
from collections.abc import Iterator

from helpers.parameters import ParameterError
from helpers.paths import display_path

UNTOUCHED = "the published reports are untouched"
_NO_SPACE = "free some space and run make again"
_NOT_WRITABLE = "make it writable, or choose other folders with BUILD=… and REPORTS=…"
REMEDIES = {
    errno.ENOSPC: _NO_SPACE,
    errno.EDQUOT: _NO_SPACE,
    errno.EFBIG: _NO_SPACE,
    errno.EACCES: _NOT_WRITABLE,
    errno.EPERM: _NOT_WRITABLE,
    errno.EROFS: _NOT_WRITABLE,
    errno.ENOTDIR: "a file stands where a folder should be; move it or choose another folder",
    errno.EISDIR: "a folder stands where a file should be; move it away",
    errno.ELOOP: "a symbolic link points to itself; replace it by the file",
}


def os_error_line(step: str, error: OSError) -> str:
    """`publish: No space left on device: reports/zh.new/pdf/01.pdf; free some space and run make
    again`. A copy names its target (filename2: where the space or the permission was missing),
    anything else its file."""
    path = error.filename2 or error.filename
    where = f": {display_path(path)}" if path else ""
    reason = error.strerror or type(error).__name__
    remedy = REMEDIES.get(error.errno, "run make again")
    return f"{step}: {reason}{where}; {remedy}"


@contextlib.contextmanager
def one_line(step: str, *plain: type[BaseException]) -> Iterator[None]:
    """Turn the failures a reader can act on into one line on stderr and exit 1; `plain` are
    further exception types whose message is already that line (say, an unknown firm id)."""
    from helpers.data.errors import DataInputError

    try:
        yield
    except ParameterError as error:
        sys.exit(str(error))
    except KeyboardInterrupt:  # Ctrl-C: staging and locks are left for the next run
        sys.exit(f"{step}: interrupted; {UNTOUCHED}")
    except DataInputError as error:
        sys.exit(f"bad input data:\n{error}")
    except plain as error:
        sys.exit(str(error))
    except OSError as error:
        sys.exit(os_error_line(step, error))
