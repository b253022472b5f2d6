"""The progress strip: decided of total with a bar, counts per decision, pace, Dunbar gauge."""

from __future__ import annotations

from textual.content import Content
from textual.widgets import Static

from prune_tui.model import DUNBAR
from prune_tui.review import Progress, Queue


def bar(done: int, total: int, width: int, style: str) -> Content:
    width = max(width, 4)
    filled = 0 if total <= 0 else min(width, round(width * done / total))
    return Content.assemble(("━" * filled, style), ("━" * (width - filled), "$foreground 20%"))


def time_left(minutes: float | None) -> str:
    if minutes is None:
        return ""
    if minutes < 1:
        return "under a minute left"
    if minutes < 90:
        return f"about {round(minutes)} min left"
    hours = minutes / 60
    return f"about {hours:.0f} h left" if hours < 48 else f"about {hours / 24:.0f} days left"


class ProgressStrip(Static):
    """Always on screen, above the card."""

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id, markup=False)
        self.progress: Progress | None = None
        self.queue: Queue | None = None
        self._lines = -1

    def show(self, progress: Progress | None, queue: Queue | None = None) -> None:
        self.progress = progress
        if queue is not None:
            self.queue = queue
        strip = self.render_strip()
        # The strip's height rarely changes (counts do): no relayout of the screen for those.
        lines = strip.plain.count("\n")
        self.update(strip, layout=lines != self._lines)
        self._lines = lines

    def on_resize(self) -> None:
        self.update(self.render_strip())

    def render_strip(self) -> Content:
        width = max(self.size.width, 40)
        queue_line = Content.assemble(
            ("Showing  ", "bold"), (self.queue.describe() if self.queue else "", "")
        )
        p = self.progress
        if p is None:
            return Content.assemble(("Counting your connections…", "dim"), "\n", queue_line, "\n")
        s = p.stats
        percent = 0 if s.total == 0 else 100 * s.decided // s.total
        head = f"{s.decided:,} of {s.total:,} decided "
        tail = f" {percent}%"
        line1 = Content.assemble(
            (head, "bold"),
            bar(s.decided, s.total, width - len(head) - len(tail) - 1, "$primary"),
            tail,
        )
        counts = Content.assemble(
            ("keep ", "$success"),
            (f"{s.keep:,}", "bold"),
            ("  nurture ", "$warning"),
            (f"{s.nurture:,}", "bold"),
            ("  remove ", "$error"),
            (f"{s.remove:,}", "bold"),
            ("  to decide ", "dim"),
            (f"{s.undecided:,}", "bold"),
        )
        if p.pace is not None:
            counts = Content.assemble(
                counts,
                ("  ·  ", "dim"),
                f"{p.pace.per_minute:.1f}/min",
                ", ",
                time_left(p.pace.minutes_left),
            )
        gauge_style = "$error" if p.over_dunbar else "$success"
        dunbar_head = f"Dunbar {s.dunbar:,}/{DUNBAR} "
        dunbar = Content.assemble(
            (dunbar_head, "bold"), bar(min(s.dunbar, DUNBAR), DUNBAR, 12, gauge_style)
        )
        gap = width - counts.cell_length - dunbar.cell_length
        line2 = (
            Content.assemble(counts, " " * gap, dunbar)
            if gap >= 2
            else Content.assemble(counts, "\n", dunbar)
        )
        return Content.assemble(line1, "\n", line2, "\n", queue_line)
