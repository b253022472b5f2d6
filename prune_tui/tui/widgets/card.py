"""The review card: everything the export says about one connection, and the user's answers."""

from __future__ import annotations

from datetime import date

from textual.app import ComposeResult
from textual.containers import VerticalScroll
from textual.content import Content
from textual.widgets import Static

from prune_tui.model import CRITERIA, Card, Decision, Evidence, Status
from prune_tui.review import age
from prune_tui.suggest import suggest
from prune_tui.tui.text import data, safe_block, safe_line

DECISION_STYLE: dict[Decision, str] = {
    Decision.KEEP: "bold $success",
    Decision.NURTURE: "bold $warning",
    Decision.REMOVE: "bold $error",
}
DECISION_WORD: dict[Decision, str] = {
    Decision.KEEP: "keep",
    Decision.NURTURE: "nurture",
    Decision.REMOVE: "remove",
}


def _day(iso: str | None) -> str:
    """'2024-12-16T18:24:37+00:00' → '16 Dec 2024'."""
    if not iso:
        return ""
    try:
        return date.fromisoformat(iso[:10]).strftime("%d %b %Y")
    except ValueError:
        return safe_line(iso)


def describe_evidence(ev: Evidence | None) -> list[Content]:
    if ev is None:
        return [Content.styled("Nothing about this person in your messages or invitations.", "dim")]
    lines: list[Content] = []
    if ev.message_count:
        who = {"me": "you wrote last", "them": "they wrote last"}.get(ev.last_message_from or "")
        parts = [f"{ev.message_count} message{'s' if ev.message_count != 1 else ''}"]
        if ev.last_message_at:
            parts.append(f"last on {_day(ev.last_message_at)}")
        if who:
            parts.append(who)
        lines.append(Content.assemble(("Messages  ", "bold"), ", ".join(parts)))
    else:
        lines.append(Content.assemble(("Messages  ", "bold"), ("never messaged", "dim")))
    if ev.invited_by:
        who = "You invited them" if ev.invited_by == "me" else "They invited you"
        when = f" on {_day(ev.invited_at)}" if ev.invited_at else ""
        line = Content.assemble(("Invitation  ", "bold"), f"{who}{when}")
        if ev.invitation_message:
            line = Content.assemble(line, ": “", data(ev.invitation_message, "italic"), "”")
        else:
            line = Content.assemble(line, (" (no personal note)", "dim"))
        lines.append(line)
    endorsements = ev.endorsements_given + ev.endorsements_received
    recommendations = ev.recommendations_given + ev.recommendations_received
    if endorsements or recommendations:
        lines.append(
            Content.assemble(
                ("Endorsements  ", "bold"),
                f"{ev.endorsements_received} received, {ev.endorsements_given} given",
                f" · recommendations {recommendations}" if recommendations else "",
            )
        )
    return lines


def describe_criteria(card: Card) -> list[Content]:
    lines = []
    for number, question in CRITERIA.items():
        answer = card.criteria.get(number)
        if answer is True:
            mark = ("✔ yes", "bold $success")
        elif answer is False:
            mark = ("✘ no ", "bold $error")
        else:
            mark = ("· ?  ", "dim")
        lines.append(Content.assemble((f" {number} ", "reverse"), " ", mark, "  ", question))
    return lines


class CardView(VerticalScroll, can_focus=False):
    """One connection. `show(card)` repaints it; `show(None)` shows the end of the queue."""

    def __init__(self, *, today: date, id: str | None = None) -> None:
        super().__init__(id=id)
        self.today = today
        self.card: Card | None = None

    def compose(self) -> ComposeResult:
        yield Static(id="card-name", markup=False)
        yield Static(id="card-role", markup=False)
        yield Static(id="card-meta", markup=False)
        yield Static(id="card-evidence", markup=False)
        yield Static(id="card-criteria", markup=False)
        yield Static(id="card-suggestion", markup=False)
        yield Static(id="card-note", markup=False)

    def show(self, card: Card | None, *, empty_message: Content | None = None) -> None:
        self.card = card
        parts = {
            name: self.query_one(f"#card-{name}", Static)
            for name in ("name", "role", "meta", "evidence", "criteria", "suggestion", "note")
        }
        if card is None:
            parts["name"].update(Content.styled("Nothing left in this queue", "bold"))
            parts["role"].update(empty_message or Content(""))
            for name in ("meta", "evidence", "criteria", "suggestion", "note"):
                parts[name].update("")
                parts[name].display = False
            return
        for widget in parts.values():
            widget.display = True
        parts["name"].update(self._name_line(card))
        parts["role"].update(self._role(card))
        parts["meta"].update(Content("\n").join(self._meta(card)))
        parts["evidence"].update(Content("\n").join(describe_evidence(card.evidence)))
        parts["criteria"].update(Content("\n").join(describe_criteria(card)))
        hint = suggest(card)
        if hint.decision is None:
            suggestion = Content.assemble(("Suggestion  ", "bold"), hint.reason)
        else:
            suggestion = Content.assemble(
                ("Suggestion  ", "bold"),
                ("maybe " + DECISION_WORD[hint.decision], DECISION_STYLE[hint.decision]),
                f": {hint.reason}",
            )
        parts["suggestion"].update(suggestion)
        note = safe_block(card.note)
        parts["note"].update(
            Content.assemble(("Note  ", "bold"), note)
            if note
            else Content.assemble(("Note  ", "bold"), ("none yet, press e to write one", "dim"))
        )
        self.scroll_home(animate=False)

    def _name_line(self, card: Card) -> Content:
        parts: list[str | Content | tuple[str, str]] = [data(card.full_name or "(no name)", "bold")]
        if card.decision is not None:
            parts += [
                "  ",
                (f" {DECISION_WORD[card.decision]} ", f"reverse {DECISION_STYLE[card.decision]}"),
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

    def _meta(self, card: Card) -> list[Content]:
        lines: list[Content] = []
        if card.connected_on:
            how_long = age(card.connected_on, self.today)
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
                data(card.url) if card.url else ("no URL in the export", "dim"),
            )
        )
        return lines
