"""The progress strip: decided of total with a bar, counts per decision, pace, Dunbar gauge."""

from __future__ import annotations

from textual.content import Content
from textual.widgets import Static

from prune_tui.model import DUNBAR
from prune_tui.services.review import Filter, Progress, Queue
from prune_tui.text.words import duration, rate
from prune_tui.tui.safe import safe_line


def bar(done: int, total: int, width: int, style: str) -> Content:
    width = max(width, 4)
    filled = 0 if total <= 0 else min(width, round(width * done / total))
    return Content.assemble(("━" * filled, style), ("━" * (width - filled), "$foreground 20%"))


def time_left(minutes: float | None) -> str:
    return "" if minutes is None else f"{duration(minutes)} left"


# The strip keeps this height at every width, so the card below it never moves.
STRIP_LINES = 3


def counts_line(progress: Progress, width: int) -> Content:
    """Counts per decision, pace and the Dunbar gauge on one line of `width` cells: the pace
    shortens, then goes; the counts tighten and the gauge's bar shrinks, before anything is
    cut. The gauge stays at the right end."""
    s = progress.stats
    pace = progress.pace
    paces: list[str] = [""]
    if pace is not None:
        left = time_left(pace.minutes_left)
        per_minute = f"{rate(pace.per_minute)}/min"
        paces = [f"{per_minute}, {left}" if left else per_minute]
        paces += [left, ""] if left else [""]
    gauge_style = "$error" if progress.over_dunbar else "$success"

    def counts(gap: str, undecided: str) -> Content:
        return Content.assemble(
            ("keep ", "$success"),
            (f"{s.keep:,}", "bold"),
            (f"{gap}nurture ", "$warning"),
            (f"{s.nurture:,}", "bold"),
            (f"{gap}remove ", "$error"),
            (f"{s.remove:,}", "bold"),
            (f"{gap}{undecided} ", "dim"),
            (f"{s.undecided:,}", "bold"),
        )

    def dunbar(bar_width: int) -> Content:
        head = f"Dunbar {s.dunbar:,}/{DUNBAR}"
        if not bar_width:
            return Content.styled(head, "bold")
        return Content.assemble(
            (head + " ", "bold"), bar(min(s.dunbar, DUNBAR), DUNBAR, bar_width, gauge_style)
        )

    roomy, tight = counts("  ", "to decide"), counts(" ", "left")
    tries = [(roomy, words, 12) for words in paces]
    tries += [(roomy, "", 6), (tight, "", 6), (tight, "", 0)]
    for left_part, words, bar_width in tries:
        if words:
            left_part = Content.assemble(left_part, ("  ·  ", "dim"), words)
        gauge = dunbar(bar_width)
        gap = width - left_part.cell_length - gauge.cell_length
        if gap >= 2:
            return Content.assemble(left_part, " " * gap, gauge)
    line = Content.assemble(tight, "  ", dunbar(0))
    return line.truncate(width, ellipsis=True)


class ProgressStrip(Static):
    """Always on screen, above the card, always `STRIP_LINES` high."""

    DEFAULT_CSS = """
    ProgressStrip {
        height: 3;
        text-wrap: nowrap;
        text-overflow: ellipsis;
    }
    """

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id, markup=False)
        self.progress: Progress | None = None
        self.queue: Queue | None = None
        self.queue_count: tuple[int, int] | None = None  # see Review.queue_count

    def show(
        self,
        progress: Progress | None,
        queue: Queue | None = None,
        queue_count: tuple[int, int] | None = None,
    ) -> None:
        self.progress = progress
        if queue is not None and queue != self.queue:
            self.queue = queue
            self.queue_count = None  # counted again for the new queue
        if queue_count is not None:
            self.queue_count = queue_count
        # A fixed height: new counts repaint the strip alone, never the layout of the screen.
        self.update(self.render_strip(), layout=False)

    def on_resize(self) -> None:
        self.update(self.render_strip(), layout=False)

    def render_strip(self) -> Content:
        width = max(self.size.width, 40)
        queue_line = Content.assemble(
            ("Showing  ", "bold"), (self.queue.describe() if self.queue else "", "")
        ).truncate(width, ellipsis=True)
        p = self.progress
        if p is None:
            return Content.assemble(("Counting your connections…", "dim"), "\n\n", queue_line)
        s = p.stats
        percent = 0 if s.total == 0 else 100 * s.decided // s.total
        head = f"{s.decided:,} of {s.total:,} decided "
        tail = f" {percent}%"
        # The current queue's own count beside the totals, while the bar keeps some room.
        count = self.count_words()
        if count:
            count = Content(count).truncate(max(width // 2 - 4, 12), ellipsis=True).plain
        extra = Content.assemble(("   ", ""), (count, "bold")) if count else Content("")
        line1 = Content.assemble(
            (head, "bold"),
            bar(
                s.decided,
                s.total,
                width - len(head) - len(tail) - extra.cell_length - 1,
                "$primary",
            ),
            tail,
            extra,
        )
        return Content.assemble(line1, "\n", counts_line(p, width), "\n", queue_line)

    def count_words(self) -> str:
        """The current queue's own count, "acme: 98 left of 120" (nothing for the plain
        queue of everyone still to decide: the totals above say it)."""
        queue, count = self.queue, self.queue_count
        if queue is None or count is None:
            return ""
        left, total = count
        if queue.filter is Filter.UNDECIDED:
            if not queue.search:
                return ""
            label = queue.search if len(queue.search) <= 24 else queue.search[:23] + "…"
            return f"{safe_line(label)}: {left:,} left of {total:,}"
        return f"{left:,} in this queue"
