"""Screens that dismiss themselves only while they are on top.

A terminal delivers keys in bursts (`Enter l`, `Enter Enter`): by the time a handler dismisses
its screen, a key after it may already have put another screen on top, or dismissed this one.
Textual's `dismiss` pops whatever screen is on top, so a late dismiss closed the wrong screen,
or the last one (`ScreenStackError`), or resolved a finished result twice (`InvalidStateError`).
Here a dismiss from a screen that is no longer on top is dropped: the later key wins.

They also paint a new list's rows (`RowsPlaced`, from a paged table) as soon as they are
idle. Textual paints at most 60 frames a second on a fixed beat: rows laid out just after a
beat (the key typed was painted on it) waited up to 17 ms for the next one.
"""

from __future__ import annotations

from typing import TypeVar

from textual import events, on
from textual.await_complete import AwaitComplete
from textual.screen import ModalScreen, Screen

from prune_tui.tui.messages import RowsPlaced

ResultT = TypeVar("ResultT")


def _nothing() -> AwaitComplete:
    """An already completed AwaitComplete (Textual's `nothing()` has no annotations)."""
    done: AwaitComplete = AwaitComplete.nothing()  # type: ignore[no-untyped-call]
    return done


class GuardedScreen(Screen[ResultT]):
    _paint_when_idle = False

    def dismiss(self, result: ResultT | None = None) -> AwaitComplete:
        if not self.is_active:
            return _nothing()
        return super().dismiss(result)

    @on(RowsPlaced)
    def _rows_placed(self, message: RowsPlaced) -> None:
        self._paint_when_idle = True

    async def _on_idle(self, event: events.Idle) -> None:
        # Before Screen's own idle handler, which would wait for the next frame's beat: what
        # that beat would do (Screen._on_timer_update, the same private step), done now.
        if self._paint_when_idle:
            self._paint_when_idle = False
            if self.is_current and not self.app._batch_count:
                self._on_timer_update()


class GuardedModalScreen(ModalScreen[ResultT]):
    def dismiss(self, result: ResultT | None = None) -> AwaitComplete:
        if not self.is_active:
            return _nothing()
        return super().dismiss(result)
