"""An unexpected error: one line for the user, the details in a private log file.

The traceback goes to a file in the user's state dir (0600: it may quote personal data), never
with local variables; the terminal gets one line saying where it is. `--debug` prints it too.
"""

from __future__ import annotations

import platform
import traceback
from datetime import datetime, timezone
from pathlib import Path

from prune_tui import __version__
from prune_tui.atomic import write_atomically
from prune_tui.errors import UserError
from prune_tui.paths import APP_NAME, ensure_private_dir


def log_dir() -> Path:
    from platformdirs import user_state_path

    return user_state_path(APP_NAME, appauthor=False)


def write_crash_log(error: BaseException) -> Path | None:
    """Write `error`'s traceback (no local variables) to a new 0600 file; None when even that
    fails (a full disk): the one line on the terminal still says what happened."""
    now = datetime.now(timezone.utc)
    text = "".join(
        [
            f"prune-tui {__version__} · Python {platform.python_version()} · "
            f"{platform.platform()} · {now.isoformat(timespec='seconds')}\n\n",
            *traceback.format_exception(error),
        ]
    )
    try:
        folder = log_dir()
        ensure_private_dir(folder)
        path = folder / f"error-{now:%Y%m%d-%H%M%S}.log"
        n = 2
        while path.exists():
            path = folder / f"error-{now:%Y%m%d-%H%M%S}-{n}.log"
            n += 1
        write_atomically(path, lambda out: out.write(text), exclusive=True)
        return path
    except (OSError, UserError):
        return None


def crash_line(error: BaseException, log: Path | None) -> str:
    """The one line for the terminal (without the `prune-tui: error:` prefix)."""
    what = f"something went wrong inside the app ({type(error).__name__})"
    if log is None:
        return f"{what}; run again with --debug to see the details"
    return f"{what}; the details are in {log} (run again with --debug to see them here)"
