"""The review card: everything the export says about one connection, and the user's answers."""

from __future__ import annotations

import functools
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any

from textual.app import ComposeResult
from textual.containers import VerticalScroll
from textual.content import Content
from textual.widgets import Static

from prune_tui.formats.identity import parse_profile_url
from prune_tui.model import CRITERIA, Card, Evidence, Status
from prune_tui.services.nurture import Touch, day_words, local_day
from prune_tui.services.suggest import suggest
from prune_tui.text.evidence import (
    describe_endorsements,
    describe_invitation,
    describe_messages,
)
from prune_tui.text.queue_words import age
from prune_tui.tui.safe import data, look, safe_block, safe_line


def _day(iso: str | None) -> str:
    """'2024-12-16T18:24:37+00:00' → '16 Dec 2024'."""
    if not iso:
        return ""
    try:
        return date.fromisoformat(iso[:10]).strftime("%d %b %Y")
    except ValueError:
        return safe_line(iso)


EVIDENCE_LABEL = "Evidence  "
NO_EVIDENCE = "nothing known yet (import the whole .zip export for messages)"


# The invitation's note may take this many lines on the card before it is cut.
NOTE_LINES = 2


def invitation_lines(ev: Evidence, width: int) -> list[Content]:
    """Who invited whom, and their note wrapped to at most `NOTE_LINES` lines of `width`."""
    sentence = describe_invitation(ev, note_width=None)
    if sentence is None:
        return []
    width = max(width, 10)
    lines = data(sentence).wrap(width)
    if len(lines) > NOTE_LINES:
        last = Content(lines[NOTE_LINES - 1].plain).truncate(width - 2).plain.rstrip()
        lines = [*lines[: NOTE_LINES - 1], Content(last + "…'")]
    return [line.truncate(width, ellipsis=True) for line in lines]


def evidence_lines(ev: Evidence | None, today: date, width: int = 200) -> list[Content]:
    """The evidence in words (as `describe_evidence` puts it), shown as data under one label,
    each line fitted to `width` cells (the label included); the invitation's note wraps."""
    body = width - len(EVIDENCE_LABEL)
    lines: list[Content] = []
    if ev is not None:
        messages, endorsements = describe_messages(ev, today), describe_endorsements(ev)
        lines += [data(messages)] if messages else []
        lines += invitation_lines(ev, body)
        lines += [data(endorsements)] if endorsements else []
    if not lines:
        return [Content.assemble((EVIDENCE_LABEL, "bold"), (NO_EVIDENCE, "dim"))]
    indent = " " * len(EVIDENCE_LABEL)
    return [
        Content.assemble((EVIDENCE_LABEL, "bold") if i == 0 else indent, line)
        for i, line in enumerate(lines)
    ]


def criteria_lines(answers: Mapping[int, bool | None]) -> list[Content]:
    """The five questions with their answers (the card's and an invitation's)."""
    lines = []
    for number, question in CRITERIA.items():
        answer = answers.get(number)
        if answer is True:
            mark = ("✔ yes", "bold $success")
        elif answer is False:
            mark = ("✘ no ", "bold $error")
        else:
            mark = ("· ?  ", "dim")
        lines.append(Content.assemble((f" {number} ", "reverse"), " ", mark, "  ", question))
    return lines


@functools.lru_cache(maxsize=256)
def _criteria_block(answers: tuple[bool | None, ...]) -> Content:
    """The card's criteria part for answers in CRITERIA's order: a few hundred combinations
    at most, so each is built once (most cards have none answered)."""
    return Content("\n").join(criteria_lines(dict(zip(CRITERIA, answers, strict=True))))


# After the nurture line, where there is room (the keys are not in the footer).
REACH_OUT_KEYS = "   d how often · t I reached out"
# The touch log under the note: the newest few, then how many more.
TOUCHES_SHOWN = 3
TOUCHES_LABEL = "Touches  "


def touch_lines(touches: Sequence[Touch]) -> list[Content]:
    """The dated touch log ("I reached out"), newest first, under one label: the newest
    `TOUCHES_SHOWN`, then a word that there are earlier ones (the card reads one more)."""
    lines: list[Content] = []
    indent = " " * len(TOUCHES_LABEL)
    for i, touch in enumerate(touches[:TOUCHES_SHOWN]):
        label: str | tuple[str, str] = (TOUCHES_LABEL, "bold") if i == 0 else indent
        day = day_words(local_day(touch.at))
        note = data(touch.note) if touch.note else Content.styled("reached out", "dim")
        lines.append(Content.assemble(label, (day, "dim"), "  ", note))
    if len(touches) > TOUCHES_SHOWN:
        lines.append(Content.assemble(indent, ("and earlier ones (in the backup)", "dim")))
    return lines


@dataclass(frozen=True)
class BuiltCard:
    """A card's parts, built for one width (`CardView.build`), ready to be shown."""

    card: Card
    reach_out: str | None
    touches: tuple[Touch, ...]
    width: int
    parts: tuple[tuple[str, Content], ...]  # (part, what it shows), in the card's order


class CardView(VerticalScroll, can_focus=False):
    """One connection. `show(card)` repaints it; `show(None)` shows the end of the queue.
    `today` is the app's clock (a fixed one in tests and screenshots): ages and the suggestion
    are worked out on the day it gives, never the wall clock's."""

    def __init__(self, *, today: Callable[[], date], id: str | None = None) -> None:
        super().__init__(id=id)
        self.today = today
        self.card: Card | None = None
        self._empty_message: Content | None = None
        self._shown: dict[str, Content] = {}
        self._reach_out: str | None = None
        self._touches: tuple[Touch, ...] = ()
        self._parts: dict[str, Static] | None = None  # the card's parts, once composed

    def compose(self) -> ComposeResult:
        yield Static(id="card-name", markup=False)
        yield Static(id="card-role", markup=False)
        yield Static(id="card-meta", markup=False)
        yield Static(id="card-evidence", markup=False)
        yield Static(id="card-criteria", markup=False)
        yield Static(id="card-suggestion", markup=False)
        yield Static(id="card-note", markup=False)

    def show(
        self,
        card: Card | None,
        *,
        empty_message: Content | None = None,
        reach_out: str | None = None,
        touches: Sequence[Touch] = (),
    ) -> None:
        """`reach_out`: the nurture line ("every quarter · last contact … · due in 12 days"),
        shown when the person has a cadence; `touches`: the touch log, newest first."""
        if card is not None:
            self.show_built(self.build(card, reach_out=reach_out, touches=touches))
            return
        self._reach_out, self._touches = reach_out, tuple(touches)
        self.card = None
        self._empty_message = empty_message
        parts = self._part_widgets()
        self._put(parts["name"], Content.styled("Nothing left in this queue", "bold"))
        # In the note's place, which wraps: the hint is read whole at any width.
        self._put(parts["note"], empty_message or Content(""))
        for name in ("role", "meta", "evidence", "criteria", "suggestion"):
            self._put(parts[name], Content(""))
            parts[name].display = False
        parts["note"].display = True

    def build(
        self, card: Card, *, reach_out: str | None = None, touches: Sequence[Touch] = ()
    ) -> BuiltCard:
        """What each part shows for `card` at the card's present width, without showing it
        (the review screen builds the next card ahead of the key that shows it)."""
        width = self.text_width()
        touches = tuple(touches)
        today = self.today()
        hint = suggest(card, today)
        if hint.decision is None:
            suggestion = Content.assemble(("Suggestion  ", "bold"), hint.reason)
        else:
            suggestion = Content.assemble(
                ("Suggestion  ", "bold"),
                ("maybe " + look(hint.decision).label, f"bold {look(hint.decision).style}"),
                f": {hint.reason}",
            )
        note = safe_block(card.note)
        parts = (
            ("name", self._name_line(card)),
            ("role", self._role(card)),
            ("meta", Content("\n").join(self._meta(card, reach_out, width, today))),
            ("evidence", Content("\n").join(evidence_lines(card.evidence, today, width))),
            ("criteria", _criteria_block(tuple(card.criteria.get(n) for n in CRITERIA))),
            ("suggestion", suggestion),
            (
                "note",
                Content("\n").join(
                    [
                        Content.assemble(("Note  ", "bold"), note)
                        if note
                        else Content.assemble(
                            ("Note  ", "bold"), ("none yet, press e to write one", "dim")
                        ),
                        *touch_lines(touches),
                    ]
                ),
            ),
        )
        return BuiltCard(card, reach_out, touches, width, parts)

    def show_built(self, built: BuiltCard) -> None:
        """Show a card built by `build` (at this width: see `text_width`)."""
        self._reach_out, self._touches = built.reach_out, built.touches
        self.card = built.card
        self._empty_message = None
        widgets = self._part_widgets()
        for widget in widgets.values():
            if not widget.display:
                widget.display = True
        put = self._put
        for name, content in built.parts:
            put(widgets[name], content)
        if self.scroll_y:
            self.scroll_home(animate=False)

    def _part_widgets(self) -> dict[str, Static]:
        parts = self._parts
        if parts is None:
            parts = self._parts = {
                name: self.query_one(f"#card-{name}", Static)
                for name in ("name", "role", "meta", "evidence", "criteria", "suggestion", "note")
            }
        return parts

    def text_width(self) -> int:
        """The width the card's lines have: known once laid out, estimated before."""
        width = self.scrollable_content_region.width
        if width <= 0:
            width = self.app.size.width - 8  # margins, border and padding (app.tcss)
        return width

    def on_resize(self) -> None:
        # The invitation's note wraps to the new width.
        if self.card is not None:
            self.show(self.card, reach_out=self._reach_out, touches=self._touches)
        elif self._empty_message is not None:
            self.show(None, empty_message=self._empty_message)

    def _put(self, widget: Static, content: Content) -> None:
        """Show `content` in one part of the card. A part that did not change is left alone, and
        the layout is only redone when a part's height changes: most keys change words, not
        sizes, and a relayout repaints the whole screen."""
        name = widget.id or ""
        old = self._shown.get(name)
        if old is not None and old.plain == content.plain and old.spans == content.spans:
            return
        styles: Any = widget.styles  # a mapping of style rules, as Static itself passes it
        if old is None:
            resized = True
        elif styles.text_wrap == "nowrap":  # a line each: no need to wrap them to know
            resized = old.plain.count("\n") != content.plain.count("\n")
        else:
            width = widget.content_region.width
            resized = not width or old.get_height(styles, width) != content.get_height(
                styles, width
            )
        self._shown[name] = content
        widget.update(content, layout=resized)

    def _name_line(self, card: Card) -> Content:
        parts: list[str | Content | tuple[str, str]] = [data(card.full_name or "(no name)", "bold")]
        if card.decision is not None:
            parts += [
                "  ",
                (f" {look(card.decision).label} ", f"reverse bold {look(card.decision).style}"),
            ]
        if card.is_new:
            parts += ["  ", (" new ", "reverse bold $accent")]
        if card.status is Status.GONE:
            parts += ["  ", (" no longer connected ", "reverse $warning")]
        if card.removed_at:
            parts += ["  ", (" removed on LinkedIn ", "reverse $secondary")]
        return Content.assemble(*parts)

    def _role(self, card: Card) -> Content:
        position, company = safe_line(card.position), safe_line(card.company)
        if position and company:
            line = Content.assemble(data(position), (" at ", "dim"), data(company))
        else:
            line = (
                data(position or company)
                if (position or company)
                else Content.styled("no position or company in the export", "dim")
            )
        was = [w for w in (card.was_position, card.was_company, card.was_name) if w]
        if was:
            line = Content.assemble(
                line, ("  (was: ", "dim"), data(" · ".join(was), "dim"), (")", "dim")
            )
        return line

    def _meta(self, card: Card, reach_out: str | None, width: int, today: date) -> list[Content]:
        lines: list[Content] = []
        if card.connected_on:
            how_long = age(card.connected_on, today)
            lines.append(
                Content.assemble(
                    ("Connected  ", "bold"),
                    _day(card.connected_on),
                    (f"  ·  {how_long}" if how_long else "", "dim"),
                )
            )
        else:
            lines.append(Content.assemble(("Connected  ", "bold"), ("date unknown", "dim")))
        if card.email:
            lines.append(Content.assemble(("Email  ", "bold"), data(card.email)))
        lines.append(
            Content.assemble(
                ("Profile  ", "bold"),
                *_profile(card.url),
            )
        )
        if reach_out:
            line = Content.assemble(("Reach out  ", "bold"), reach_out)
            if line.cell_length + len(REACH_OUT_KEYS) <= width:
                line = Content.assemble(line, (REACH_OUT_KEYS, "dim"))  # only when it fits
            lines.append(line)
        return lines


def _profile(url: str) -> tuple[Content | tuple[str, str], ...]:
    """A profile shown decoded (`/in/zoë-berg`); any other address as text, marked as such."""
    if not url.strip():
        return (("no URL in the export", "dim"),)
    found = parse_profile_url(url)
    if found is None:
        return (data(url), ("  (not a profile link)", "dim"))
    return (data(found.shown),)
