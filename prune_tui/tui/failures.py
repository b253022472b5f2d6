"""A storage error in the app (a full disk, a lock held past the busy timeout by an import in
another window, a damaged page) never crashes it: the action that met it stops, the screen
stays as it was (the card too), and a notification says what happened and what to do. The
write was one transaction, rolled back whole: nothing is half-written.

Slow work runs in thread workers wrapped in `worker_safe`: whatever goes wrong there (a storage
error, or anything unexpected) is said in a notification, the node that started the worker is
told with `WorkFailed`, and the app goes on."""

from __future__ import annotations

import functools
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
    """The notification for `failure`, from the app's thread or a worker's (`notify` posts a
    message, which is safe from any thread)."""
    text = failure.in_the_app(again, lost)
    node.app.notify(text, severity="error", timeout=NOTICE_SECONDS, markup=False)


def tell_unexpected(node: DOMNode, error: BaseException) -> None:
    """An error nobody foresaw, in a worker: said, never fatal (the work wrote nothing, or
    wrote it whole in one transaction)."""
    node.app.notify(
        f"Something went wrong ({type(error).__name__}). Nothing was lost.",
        title="Could not finish",
        severity="error",
        timeout=NOTICE_SECONDS,
        markup=False,
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


def worker_safe(
    method: Callable[Concatenate[N, P], None],
) -> Callable[Concatenate[N, P], None]:
    """For a thread worker (under `@work(thread=True, exit_on_error=False)`): any error becomes
    a notification, then `messages.WorkFailed` goes to the node so that it can put back what
    it changed while waiting (a "Counting…", a disabled button). The app never ends."""
    from prune_tui.tui.messages import WorkFailed

    @functools.wraps(method)
    def guarded(node: N, /, *args: P.args, **kwargs: P.kwargs) -> None:
        try:
            method(node, *args, **kwargs)
            return
        except StorageFailed as failure:
            tell(node, failure)
        except DBAPIError as exc:
            tell(node, as_failure(exc))
        except Exception as exc:
            tell_unexpected(node, exc)
        node.post_message(WorkFailed(method.__name__))

    return guarded
