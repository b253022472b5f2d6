"""Screening invitations (docs/PRODUCT.md §13): three views under one header.

- Screen: one card per pending incoming invitation; `a` accept, `x` ignore, `space` later,
  `u` undo, `1`–`5` criteria, `←`/`→` through the cards.
- Withdraw: my own invitations pending more than three weeks at the export; `o` opens the
  profile, `w` ticks it as withdrawn on LinkedIn (again to untick).
- On LinkedIn: the checklist of what to do there (accept these, ignore these, withdraw these),
  `o` opening each profile.

`tab` goes from view to view. Every change is written at once through `Screening`; the header
keeps the user honest ("accepted 6 of 15 screened (40%)" beside the argument's "about 2 in 5")
and shows the Dunbar gauge, which every accept joins.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from typing import ClassVar

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, VerticalScroll
from textual.content import Content
from textual.screen import Screen
from textual.widgets import ContentSwitcher, DataTable, Footer, Static

from prune_tui.model import DUNBAR
from prune_tui.services.invitations import ACCEPT_AIM, Answer, PendingInvitation
from prune_tui.services.screening import (
    Checklist,
    InvitationChanged,
    Screening,
    ScreeningProgress,
)
from prune_tui.text.invitation_words import KIND_WORDS
from prune_tui.text.words import plural
from prune_tui.tui.browser import copy_profile, open_profile
from prune_tui.tui.keys import criterion_bindings
from prune_tui.tui.safe import data, safe_block, safe_line
from prune_tui.tui.screens.checklist import profile_path, short_url
from prune_tui.tui.widgets.card import criteria_lines
from prune_tui.tui.widgets.keybar import ClickKey
from prune_tui.tui.widgets.progress import bar
from prune_tui.tui.widgets.table import Fit, FittedTable, Share

VIEWS = ("screen", "withdraw", "todo")
VIEW_TITLES = {"screen": "Screen", "withdraw": "Withdraw", "todo": "On LinkedIn"}
TICK = "✓"
FLAG = "!"
ANSWER_STYLE = {
    Answer.ACCEPT: "bold $success",
    Answer.IGNORE: "bold $error",
    Answer.WITHDRAW: "bold $warning",
}
KIND_STYLE = {"personal": "$success", "pitch": "$error", "none": "dim"}

WITHDRAW_COLUMNS = [
    ("tick", " ", Share("tick", 1)),
    ("name", "Name", Share("name", 16, 2, 30)),
    ("sent", "Sent", Share("sent", 11)),
    ("age", "Waited", Share("age", 8)),
    ("url", "Profile", Share("url", 20, 2, 48)),
]
TODO_COLUMNS = [
    ("what", "Do", Share("what", 8)),
    ("name", "Name", Share("name", 16, 2, 30)),
    ("sent", "Sent", Share("sent", 11)),
    ("url", "Profile", Share("url", 20, 2, 48)),
]
TODO_WORDS = {"accept": "Accept", "ignore": "Ignore", "withdraw": "Withdraw"}


def long_day(stamp: str | None) -> str:
    try:
        return date.fromisoformat((stamp or "")[:10]).strftime("%d %b %Y")
    except ValueError:
        return "date unknown"


def header_lines(progress: ScreeningProgress, view: str, width: int) -> Content:
    """Three lines: what is pending, the screening record against the aim with the Dunbar
    gauge, and the views."""
    width = max(width, 40)
    export = (
        f"export of {long_day(progress.export_date)}"
        if progress.export_date
        else "no Invitations.csv imported yet"
    )
    first = Content.assemble(
        ("Invitations  ", "bold"),
        (export, ""),
        (" · ", "dim"),
        (f"{progress.to_screen:,} to screen", "bold"),
        (" · ", "dim"),
        f"{progress.to_withdraw:,} of yours to withdraw",
    ).truncate(width, ellipsis=True)
    record = Content.styled(
        progress.accepted_words(), "bold $warning" if progress.over_aim else "bold"
    )
    aim = Content.styled(f"  the argument: about {ACCEPT_AIM[0]} in {ACCEPT_AIM[1]}", "dim")
    gauge_style = "$error" if progress.over_dunbar else "$success"
    head = f"Dunbar {progress.dunbar:,}/{DUNBAR}"
    second = Content("")
    short_aim = Content.styled(f"  aim: {ACCEPT_AIM[0]} in {ACCEPT_AIM[1]}", "dim")
    tries = [(Content.assemble(record, aim), bar_width) for bar_width in (12, 6, 0)]
    tries += [(Content.assemble(record, short_aim), 0), (record, 0)]
    for left, bar_width in tries:
        gauge = (
            Content.assemble(
                (head + " ", "bold"),
                bar(min(progress.dunbar, DUNBAR), DUNBAR, bar_width, gauge_style),
            )
            if bar_width
            else Content.styled(head, "bold")
        )
        gap = width - left.cell_length - gauge.cell_length
        if gap >= 2:
            second = Content.assemble(left, " " * gap, gauge)
            break
    else:
        second = Content.assemble(record, "  ", head).truncate(width, ellipsis=True)
    counts = {
        "screen": progress.to_screen,
        "withdraw": progress.to_withdraw,
        "todo": None,
    }
    tabs: list[Content | str | tuple[str, str]] = []
    for name in VIEWS:
        label = VIEW_TITLES[name] + (f" {counts[name]:,}" if counts[name] is not None else "")
        tabs.append((f" {label} ", "reverse bold $accent" if name == view else "dim"))
        tabs.append("  ")
    tabs.append(("tab switches", "dim"))
    third = Content.assemble(*tabs).truncate(width, ellipsis=True)
    return Content.assemble(first, "\n", second, "\n", third)


class InvitationsScreen(Screen[None]):
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "close", "back", tooltip="Back to the cards"),
        Binding("tab", "next_view", "views", tooltip="Next view: screen, withdraw, on LinkedIn"),
        Binding("shift+tab", "previous_view", "", show=False),
        Binding("a", "decide('accept')", "accept", show=False, tooltip="Accept this invitation"),
        Binding("x", "decide('ignore')", "ignore", show=False, tooltip="Ignore this invitation"),
        Binding("space", "later", "later", show=False, tooltip="Decide later"),
        Binding("u,ctrl+z", "undo", "undo", tooltip="Undo the last change"),
        Binding("left", "previous", "prev", key_display="←", show=False, tooltip="Previous"),
        Binding("right", "next", "next", key_display="→", show=False, tooltip="Next"),
        Binding("w", "toggle_withdrawn", "withdrawn", tooltip="Tick off as withdrawn"),
        Binding("o", "open_profile", "open", tooltip="Open the profile in your browser"),
        Binding("c", "copy_url", "copy", tooltip="Copy the profile URL"),
        *criterion_bindings(),
    ]

    DEFAULT_CSS = """
    InvitationsScreen #inv-header {
        height: 3;
        padding: 0 1;
        background: $panel;
        text-wrap: nowrap;
    }
    InvitationsScreen #inv-views {
        height: 1fr;
    }
    InvitationsScreen #inv-card {
        height: 1fr;
        margin: 0 1;
        padding: 0 2;
        border: round $primary 60%;
        scrollbar-size-vertical: 1;
    }
    InvitationsScreen #inv-card > Static {
        width: 100%;
        height: auto;
    }
    InvitationsScreen #inv-name, InvitationsScreen #inv-sent {
        text-wrap: nowrap;
        text-overflow: ellipsis;
    }
    InvitationsScreen #inv-note, InvitationsScreen #inv-known,
    InvitationsScreen #inv-criteria {
        margin-top: 1;
    }
    InvitationsScreen.-short #inv-note, InvitationsScreen.-short #inv-known,
    InvitationsScreen.-short #inv-criteria {
        margin-top: 0;
    }
    InvitationsScreen #inv-withdraw, InvitationsScreen #inv-todo {
        height: 1fr;
    }
    InvitationsScreen #inv-hint {
        height: auto;
        padding: 0 1;
        color: $text-muted;
    }
    InvitationsScreen #inv-decisions {
        height: 1;
        margin: 0 1;
        align-horizontal: center;
    }
    InvitationsScreen #inv-decisions ClickKey {
        width: auto;
        min-width: 10;
        margin: 0 1;
        padding: 0 1;
        text-style: bold;
        background: $panel;
    }
    InvitationsScreen #inv-decisions #accept {
        background: $success-muted;
        color: $text;
    }
    InvitationsScreen #inv-decisions #ignore {
        background: $error-muted;
        color: $text;
    }
    InvitationsScreen #inv-decisions ClickKey:disabled {
        background: $panel;
        color: $text-disabled;
    }
    """

    # Below this many rows the card's spacing tightens (80×24).
    SHORT_HEIGHT = 28

    def __init__(self, screening: Screening) -> None:
        super().__init__()
        self.screening = screening
        self.view = "screen"
        self.cards: list[PendingInvitation] = []
        self.current: PendingInvitation | None = None
        self.stale: list[PendingInvitation] = []
        self.todo: list[tuple[str, PendingInvitation]] = []
        self.progress: ScreeningProgress | None = None

    def compose(self) -> ComposeResult:
        yield Static(id="inv-header", markup=False)
        yield Static(id="inv-hint", markup=False)
        with ContentSwitcher(initial="inv-card", id="inv-views"):
            with VerticalScroll(id="inv-card", can_focus=False):
                for part in ("name", "sent", "note", "known", "criteria"):
                    yield Static(id=f"inv-{part}", markup=False)
            yield FittedTable(
                [share for _, _, share in WITHDRAW_COLUMNS],
                id="inv-withdraw",
                cursor_type="row",
                zebra_stripes=True,
            )
            yield FittedTable(
                [share for _, _, share in TODO_COLUMNS],
                id="inv-todo",
                cursor_type="row",
                zebra_stripes=True,
            )
        with Horizontal(id="inv-decisions"):
            yield ClickKey("Accept  a", "decide('accept')", id="accept")
            yield ClickKey("Ignore  x", "decide('ignore')", id="ignore")
            yield ClickKey("Later  space", "later", id="later")
            yield ClickKey("Undo  u", "undo", id="undo")
        yield Footer()

    def on_mount(self) -> None:
        self.set_class(self.app.size.height < self.SHORT_HEIGHT, "-short")
        for table_id, columns in (("#inv-withdraw", WITHDRAW_COLUMNS), ("#inv-todo", TODO_COLUMNS)):
            table = self.query_one(table_id, DataTable)
            for key, heading, share in columns:
                table.add_column(heading, key=key, width=share.least)

    def on_resize(self) -> None:
        self.set_class(self.size.height < self.SHORT_HEIGHT, "-short")
        self._show_header()

    def on_screen_resume(self) -> None:
        # The app keeps this screen: each visit starts from what the database holds now.
        self.reload(first_undecided=True)

    # -- loading ------------------------------------------------------------------------------

    def reload(self, *, first_undecided: bool = False) -> None:
        """Read everything again (a few hundred invitations at most: LinkedIn caps them)."""
        s = self.screening
        pending = s.pending()
        self.cards = [i for i in pending if i.direction.value == "incoming"]
        self.stale = sorted((i for i in pending if i.stale), key=lambda i: (i.sent_at or "", i.id))
        self.progress = s.progress(pending)
        current_id = self.current.id if self.current else None
        if first_undecided or current_id is None:
            self.current = next((i for i in self.cards if i.decision is None), None)
        else:
            self.current = next((i for i in self.cards if i.id == current_id), None)
        self._fill_withdraw()
        self._fill_todo(pending)
        self._show()

    def _fill_withdraw(self) -> None:
        table = self.query_one("#inv-withdraw", DataTable)
        row = table.cursor_row
        table.clear()
        width = max((len(short_url(i.url)) for i in self.stale), default=0)
        for inv in self.stale:
            done = inv.decision is Answer.WITHDRAW
            mark = Content.styled(TICK, "$success bold") if done else Content("·")
            if inv.flagged:
                mark = Content.styled(FLAG, "$warning bold")
            url = short_url(inv.url)
            table.add_row(
                Fit(mark),
                Fit(data(inv.name or "(no name)", "strike" if done else "")),
                Fit(Content(long_day(inv.sent_at))),
                Fit(Content(plural(inv.days_before_export or 0, "day"))),
                Fit(
                    data(url) if url else Content.styled("no URL", "dim"),
                    data(profile_path(url)),
                    full_from=width,
                ),
                key=str(inv.id),
            )
        if self.stale:
            table.move_cursor(row=min(row, len(self.stale) - 1))

    def _fill_todo(self, pending: Sequence[PendingInvitation]) -> None:
        from prune_tui.services.screening import checklist_from

        todo: Checklist = checklist_from(pending)
        self.todo = [
            *(("accept", i) for i in todo.accept),
            *(("ignore", i) for i in todo.ignore),
            *(("withdraw", i) for i in todo.withdraw),
        ]
        table = self.query_one("#inv-todo", DataTable)
        row = table.cursor_row
        table.clear()
        width = max((len(short_url(i.url)) for _, i in self.todo), default=0)
        for what, inv in self.todo:
            style = ANSWER_STYLE[Answer(what)]
            label = TODO_WORDS[what] + (f" {FLAG}" if inv.flagged else "")
            url = short_url(inv.url)
            table.add_row(
                Fit(Content.styled(label, style)),
                Fit(data(inv.name or "(no name)")),
                Fit(Content(long_day(inv.sent_at))),
                Fit(
                    data(url) if url else Content.styled("no URL", "dim"),
                    data(profile_path(url)),
                    full_from=width,
                ),
                key=f"{what}:{inv.id}",
            )
        if self.todo:
            table.move_cursor(row=min(row, len(self.todo) - 1))

    # -- showing ------------------------------------------------------------------------------

    def _show(self) -> None:
        self._show_header()
        self._show_card()
        self._show_hint()
        self.query_one(ContentSwitcher).current = {
            "screen": "inv-card",
            "withdraw": "inv-withdraw",
            "todo": "inv-todo",
        }[self.view]
        self.query_one("#inv-decisions").display = self.view == "screen"
        if self.view != "screen":
            self.query_one(f"#inv-{self.view}", DataTable).focus()
        self.refresh_bindings()

    def _show_header(self) -> None:
        if self.progress is None:
            return
        self.query_one("#inv-header", Static).update(
            header_lines(self.progress, self.view, self.size.width - 2)
        )

    def _show_hint(self) -> None:
        hint = self.query_one("#inv-hint", Static)
        if self.view == "withdraw":
            words = (
                "Yours, pending over 3 weeks at the export. Open each (o), withdraw it on "
                "LinkedIn (My Network → Manage → Sent), then tick it here (w)."
                if self.stale
                else "None of your invitations had been pending for over 3 weeks at the export."
            )
        elif self.view == "todo":
            words = (
                "What to do on LinkedIn (My Network → Invitations): o opens each profile. "
                "A later export confirms it; ! means it was still pending then."
                if self.todo
                else "Nothing to do on LinkedIn yet: screen the invitations first (tab)."
            )
        else:
            hint.display = False
            return
        hint.display = True
        hint.update(Content(words))

    def _show_card(self) -> None:
        inv = self.current
        parts = {
            name: self.query_one(f"#inv-{name}", Static)
            for name in ("name", "sent", "note", "known", "criteria")
        }
        for button in self.query(ClickKey):
            button.disabled = inv is None and button.id != "undo"
        if inv is None:
            parts["name"].update(Content.styled(self._empty_title(), "bold"))
            parts["note"].update(self._empty_words())
            for name in ("sent", "known", "criteria"):
                parts[name].display = False
            return
        for widget in parts.values():
            widget.display = True
        parts["name"].update(self._title(inv))
        days = inv.days_before_export
        before = "" if days is None else f"  ·  {plural(days, 'day')} before the export"
        sent = Content.assemble(
            ("Sent  ", "bold"),
            long_day(inv.sent_at),
            (before, "dim"),
            "\n",
            ("Profile  ", "bold"),
            data(inv.url) if inv.url else ("no URL in the export", "dim"),
        )
        parts["sent"].update(sent)
        parts["note"].update(_note_content(inv))
        parts["known"].update(_known_content(self.screening.context(inv)))
        parts["criteria"].update(Content("\n").join(_criteria_lines(inv)))
        card = self.query_one("#inv-card", VerticalScroll)
        if card.scroll_y:
            card.scroll_home(animate=False)

    def _title(self, inv: PendingInvitation) -> Content:
        """The name, the decision and flag tags, and where the card is in the list."""
        title: list[Content | str | tuple[str, str]] = [data(inv.name or "(no name)", "bold")]
        if inv.decision is not None:
            style = ANSWER_STYLE[inv.decision]
            title += ["  ", (f" {inv.decision.value} ", f"reverse {style}")]
        if inv.flagged:
            title += ["  ", (" still pending in your newer export ", "reverse $warning")]
        position = self.cards.index(inv) + 1 if inv in self.cards else 0
        title += [("  ", ""), (f"{position} of {len(self.cards)}", "dim")]
        return Content.assemble(*title)

    def _empty_title(self) -> str:
        if not self.cards:
            return "No invitations to screen"
        return "Every invitation is screened"

    def _empty_words(self) -> Content:
        p = self.progress
        if p is not None and p.export_date is None:
            return Content(
                "No Invitations.csv imported yet. Import your whole LinkedIn export (the .zip) "
                "to screen the invitations waiting for you. Press escape to go back."
            )
        if not self.cards:
            return Content(
                "No one was waiting for an answer at your export. Press tab for your own "
                "invitations to withdraw, or escape to go back."
            )
        return Content(
            f"{p.accepted_words() if p else ''}. Press tab for what to do on LinkedIn, "
            "← to look again, u to undo."
        )

    # -- actions: the cards -------------------------------------------------------------------

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        on_card = action in ("decide", "later", "previous", "next", "criterion")
        if on_card and self.view != "screen":
            return False
        return not (action == "toggle_withdrawn" and self.view != "withdraw")

    def action_decide(self, value: str) -> None:
        inv = self.current
        if inv is None:
            return
        answer = Answer(value)
        try:
            self.screening.decide(inv.id, answer, expected=inv.decision)
        except InvitationChanged as changed:
            self.notify(
                f"Changed in another window: {changed.now or 'not screened'} now. "
                "Press the key again to change it.",
                severity="warning",
                timeout=6,
            )
            self.reload()
            return
        self._after_change(inv.id, move_on=True)

    def _after_change(self, invitation_id: int, *, move_on: bool) -> None:
        self.reload()
        if move_on:
            self.current = self._next_undecided(invitation_id)
            self._show()

    def _next_undecided(
        self, after_id: int, *, skip_self: bool = False
    ) -> PendingInvitation | None:
        ids = [i.id for i in self.cards]
        start = ids.index(after_id) + 1 if after_id in ids else 0
        ordered = self.cards[start:] + self.cards[:start]
        for inv in ordered:
            if inv.decision is None and not (skip_self and inv.id == after_id):
                return inv
        return None

    def action_later(self) -> None:
        inv = self.current
        if inv is None:
            return
        following = self._next_undecided(inv.id, skip_self=True)
        if following is None:
            self.notify("This is the only invitation left to screen.", timeout=3)
            return
        self.current = following
        self._show()

    def action_next(self) -> None:
        self._step(1)

    def action_previous(self) -> None:
        self._step(-1)

    def _step(self, by: int) -> None:
        if not self.cards:
            return
        if self.current is None:
            self.current = self.cards[-1 if by < 0 else 0]
        else:
            index = self.cards.index(self.current) + by
            if not 0 <= index < len(self.cards):
                self.notify(
                    "This is the " + ("last" if by > 0 else "first") + " invitation.", timeout=3
                )
                return
            self.current = self.cards[index]
        self._show()

    def action_criterion(self, number: int) -> None:
        if self.current is None:
            return
        self.screening.toggle_criterion(self.current.id, number)
        self._after_change(self.current.id, move_on=False)

    def action_undo(self) -> None:
        result = self.screening.undo()
        if result is None:
            self.notify("Nothing to undo.", timeout=3)
            return
        inv = self.screening.get(result.invitation_id)
        name = safe_line(inv.name) if inv else "an invitation"
        self.notify(result.describe(name), timeout=3, markup=False)
        self.reload()
        if inv is not None and self.view == "screen" and inv in self.cards:
            self.current = next(i for i in self.cards if i.id == inv.id)
            self._show()

    # -- actions: the lists -------------------------------------------------------------------

    def _selected(self) -> PendingInvitation | None:
        if self.view == "screen":
            return self.current
        table = self.query_one(f"#inv-{self.view}", DataTable)
        items: Sequence[PendingInvitation] = (
            self.stale if self.view == "withdraw" else [i for _, i in self.todo]
        )
        if not items or table.row_count == 0:
            return None
        row = table.cursor_row
        return items[row] if 0 <= row < len(items) else None

    def action_toggle_withdrawn(self) -> None:
        inv = self._selected()
        if inv is None:
            return
        # Ticked before, yet a newer export still had it: this tick is the new one.
        withdrawn = inv.decision is not Answer.WITHDRAW or inv.flagged
        self.screening.set_withdrawn(inv.id, withdrawn)
        if withdrawn:
            self.notify(f"{safe_line(inv.name)} ticked off as withdrawn.", timeout=2, markup=False)
        self.reload()
        if withdrawn:
            self.query_one("#inv-withdraw", DataTable).action_cursor_down()

    def action_open_profile(self) -> None:
        inv = self._selected()
        if inv is not None:
            open_profile(self, inv.url, "Opened the profile in your browser.")

    def action_copy_url(self) -> None:
        inv = self._selected()
        if inv is not None:
            copy_profile(self, inv.url)

    @on(DataTable.RowSelected)
    def _open_selected(self) -> None:
        self.action_open_profile()

    # -- views --------------------------------------------------------------------------------

    def action_next_view(self) -> None:
        self.view = VIEWS[(VIEWS.index(self.view) + 1) % len(VIEWS)]
        self._show()

    def action_previous_view(self) -> None:
        self.view = VIEWS[(VIEWS.index(self.view) - 1) % len(VIEWS)]
        self._show()

    def action_close(self) -> None:
        self.dismiss(None)


def _note_content(inv: PendingInvitation) -> Content:
    """The invitation's note (as plain text, never markup), tagged with its kind."""
    kind = inv.note_kind
    note = safe_block(inv.message).strip()
    if not note:
        return Content.assemble(("Note  ", "bold"), ("no note", "dim"))
    tag = "LinkedIn's stock sentence" if kind == "none" else KIND_WORDS[kind]
    label = Content.assemble(("Note  ", "bold"), (f" {tag} ", f"reverse {KIND_STYLE[kind]}"))
    return Content.assemble(label, "\n", Content(note))


def _known_content(known: Sequence[str]) -> Content:
    """What else the export says about them, one line each."""
    if not known:
        return Content.assemble(
            ("Known  ", "bold"), ("nothing else in the export about them", "dim")
        )
    return Content("\n").join(
        Content.assemble(("Known  " if i == 0 else "       ", "bold"), data(line))
        for i, line in enumerate(known)
    )


def _criteria_lines(inv: PendingInvitation) -> list[Content]:
    return criteria_lines(inv.criteria)
