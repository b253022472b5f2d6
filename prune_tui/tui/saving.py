"""Saving lists from the app (the checklist, everyone) into the documents folder, in a worker;
the app says where they are when `ExportSaved` comes back (or why not: `ExportRefused`)."""

from __future__ import annotations

from collections.abc import Sequence
from functools import partial
from typing import Any

from textual.screen import Screen

from prune_tui.errors import UserError
from prune_tui.services.facades import ListExports
from prune_tui.tui.failures import worker_safe
from prune_tui.tui.messages import ExportRefused, ExportSaved


def save_exports(
    screen: Screen[Any],
    exports: ListExports,
    *,
    formats: Sequence[str],
    only: str,
    what: str,
    hint: str = "",
) -> None:
    """Write exports into the documents folder in a thread (files 0600, folder 0700); a
    notification says where they are."""
    screen.notify(f"Saving {what.lower()}…", timeout=2)
    screen.run_worker(
        partial(_save, screen, exports, formats, only, what, hint),
        thread=True,
        exclusive=True,
        group="export",
        exit_on_error=False,
    )


@worker_safe
def _save(
    node: Screen[Any],
    exports: ListExports,
    formats: Sequence[str],
    only: str,
    what: str,
    hint: str,
) -> None:
    try:
        written = exports.save(formats=formats, only=only)
    except (OSError, UserError) as exc:
        reason = exc.strerror if isinstance(exc, OSError) and exc.strerror else str(exc)
        node.app.post_message(ExportRefused(what, reason))
        return
    names = [path.name for path in written]
    node.app.post_message(ExportSaved(what, names, str(written[0].parent), hint))
