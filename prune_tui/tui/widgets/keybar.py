"""The review screen's footer: its keys on one line, each clickable.

One widget drawing one line, rather than Textual's Footer (a widget per key, recomposed when
the bindings change): the first screen paints sooner. When the terminal is narrow, the keys
of least use give way first; every key stays in the help screen (?) and the command palette.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from textual import events
from textual.content import Content
from textual.widget import Widget
from textual.widgets import Static

GAP = "  "


@dataclass(frozen=True)
class Key:
    key: str  # as shown, for example "←" or "1-5"
    description: str
    action: str | None  # run on click, with its namespace: "screen.next", "app.help"
    rank: int = 0  # 0 always shows; the highest ranks give way first on a narrow terminal

    @property
    def width(self) -> int:
        return Content(f"{self.key} {self.description}").cell_length


def fit(keys: Sequence[Key], width: int) -> list[Key]:
    """The keys that fit in `width` cells, shown in their given order: by rank, a key is
    shown only when every key ranked before it is."""
    chosen: set[int] = set()
    used = 0
    for index in sorted(range(len(keys)), key=lambda i: (keys[i].rank, i)):
        extra = keys[index].width + (len(GAP) if chosen else 0)
        if used + extra > width:
            break
        chosen.add(index)
        used += extra
    return [key for i, key in enumerate(keys) if i in chosen]


class KeyBar(Widget, can_focus=False):
    DEFAULT_CSS = """
    KeyBar {
        dock: bottom;
        height: 1;
        background: $footer-background;
        color: $footer-foreground;
    }
    """

    def __init__(self, keys: Sequence[Key], *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.keys = list(keys)

    def shown(self) -> list[Key]:
        return fit(self.keys, self.size.width)

    def render(self) -> Content:
        return Content(GAP).join(
            Content.assemble((key.key, "bold $footer-key-foreground"), f" {key.description}")
            for key in self.shown()
        )

    def key_at(self, x: int) -> Key | None:
        """The key drawn at column `x`, if any."""
        start = 0
        for key in self.shown():
            if start <= x < start + key.width:
                return key
            start += key.width + len(GAP)
        return None

    async def on_click(self, event: events.Click) -> None:
        key = self.key_at(event.x)
        if key is not None and key.action:
            event.stop()
            await self.run_action(key.action)


class ClickKey(Static, can_focus=False):
    """A button that runs a screen action on click: the keyboard is the main way, so it
    needs no focus, and a Static costs less to build than a Button."""

    def __init__(self, label: str, action: str, *, id: str, classes: str = "") -> None:
        super().__init__(label, id=id, classes=classes, markup=False)
        self.action = action

    async def on_click(self, event: events.Click) -> None:
        event.stop()
        if not self.disabled:
            await self.screen.run_action(self.action)
