"""Screens that dismiss themselves only while they are on top.

A terminal delivers keys in bursts (`Enter l`, `Enter Enter`): by the time a handler dismisses
its screen, a key after it may already have put another screen on top, or dismissed this one.
Textual's `dismiss` pops whatever screen is on top, so a late dismiss closed the wrong screen,
or the last one (`ScreenStackError`), or resolved a finished result twice (`InvalidStateError`).
Here a dismiss from a screen that is no longer on top is dropped: the later key wins.
"""

from __future__ import annotations

from typing import TypeVar

from textual.await_complete import AwaitComplete
from textual.screen import ModalScreen, Screen

ResultT = TypeVar("ResultT")


def _nothing() -> AwaitComplete:
    """An already completed AwaitComplete (Textual's `nothing()` has no annotations)."""
    done: AwaitComplete = AwaitComplete.nothing()  # type: ignore[no-untyped-call]
    return done


class GuardedScreen(Screen[ResultT]):
    def dismiss(self, result: ResultT | None = None) -> AwaitComplete:
        if not self.is_active:
            return _nothing()
        return super().dismiss(result)


class GuardedModalScreen(ModalScreen[ResultT]):
    def dismiss(self, result: ResultT | None = None) -> AwaitComplete:
        if not self.is_active:
            return _nothing()
        return super().dismiss(result)
