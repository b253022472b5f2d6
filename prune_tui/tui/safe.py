"""Text from the user's data, made safe to show: never markup, never terminal control, never
an invisible mark. The sanitising is `prune_tui.text.plain`'s (one filter for the whole
program); here it becomes Textual `Content`."""

from __future__ import annotations

from dataclasses import dataclass

from textual.content import Content

from prune_tui.model import Decision
from prune_tui.text.plain import one_line, screen_lines
from prune_tui.text.words import DECISION_LABELS


def safe_line(text: str | None) -> str:
    """One line of data text: hidden characters dropped, line breaks and runs of spaces one
    space (`text.plain.one_line`)."""
    return one_line(text)


def safe_block(text: str | None) -> str:
    """Several lines of data text (a note, a message): newlines kept, other hidden characters
    dropped (`text.plain.screen_lines`)."""
    return screen_lines(text)


def data(text: str | None, style: str = "") -> Content:
    """Data as literal content: `[bold]` stays `[bold]`."""
    return Content.styled(one_line(text), style)


@dataclass(frozen=True)
class Look:
    """How a decision is shown: its word, its colour in text and as a chart's block."""

    label: str
    style: str
    fill: str


# The one table of decision labels and styles in the app: the card, browse, the confirm dialog,
# find and the stats charts all read it.
DECISION_LOOKS: dict[Decision | None, Look] = {
    Decision.KEEP: Look(DECISION_LABELS["keep"], "$success", "$success"),
    Decision.NURTURE: Look(DECISION_LABELS["nurture"], "$warning", "$warning"),
    Decision.REMOVE: Look(DECISION_LABELS["remove"], "$error", "$error"),
    None: Look(DECISION_LABELS[None], "dim", "$foreground 30%"),
}


def look(decision: Decision | str | None) -> Look:
    """The look of a decision, given as a `Decision`, its value, "undecided" or None."""
    if isinstance(decision, str):
        decision = None if decision in ("", "undecided") else Decision(decision)
    return DECISION_LOOKS[decision]
