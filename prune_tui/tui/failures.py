"""A storage error in the app (a full disk, a lock held past the busy timeout by an import in
another window, a damaged page) never crashes it: the action that met it stops, the screen
stays as it was (the card too), and a notification says what happened and what to do. The
write was one transaction, rolled back whole: nothing is half-written."""

from __future__ import annotations

import functools
import threading
from collections.abc import Callable
from typing import Concatenate, ParamSpec, TypeVar

from sqlalchemy.exc import DBAPIError
from textual.dom import DOMNode

from prune_tui.store.problems import Kind, StorageFailed, classify

P = ParamSpec("P")
R = TypeVar("R")
N = TypeVar("N", bound=DOMNode)

NOTICE_SECONDS = 12


def tell(
    node: DOMNode, failure: StorageFailed, again: str = "Try again", lost: str | None = None
) -> None:
    """The notification for `failure`, from the app's thread or a worker's."""
    app = node.app
    text = failure.in_the_app(again, lost)
    if threading.current_thread() is threading.main_thread():
        app.notify(text, severity="error", timeout=NOTICE_SECONDS, markup=False)
    else:
        app.call_from_thread(
            app.notify, text, severity="error", timeout=NOTICE_SECONDS, markup=False
        )


def as_failure(exc: DBAPIError) -> StorageFailed:
    """The driver's error met outside the review service (a list or chart query)."""
    return StorageFailed(classify(exc) or Kind.DISK)


def storage_safe(
    method: Callable[Concatenate[N, P], R],
) -> Callable[Concatenate[N, P], R | None]:
    """For an action, a handler or a worker: a storage error becomes a notification."""

    @functools.wraps(method)
    def guarded(node: N, /, *args: P.args, **kwargs: P.kwargs) -> R | None:
        try:
            return method(node, *args, **kwargs)
        except StorageFailed as failure:
            tell(node, failure)
        except DBAPIError as exc:
            tell(node, as_failure(exc))
        return None

    return guarded
