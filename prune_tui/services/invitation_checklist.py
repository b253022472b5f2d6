"""The command line's invitations: `prune-tui invitations [--json]`, the checklist of what to do
on LinkedIn."""

from __future__ import annotations

from collections.abc import Callable

from prune_tui.model import DUNBAR, day_of
from prune_tui.services.invitations import (
    ACCEPT_AIM,
    Direction,
    PendingInvitation,
    pending_invitations,
)
from prune_tui.services.screening import Screening, checklist_from
from prune_tui.store.database import Database
from prune_tui.text.invitation_words import KIND_WORDS

# ---------------------------------------------------------------------------------------------
# The command line: `prune-tui invitations [--json]`


def openable_profile(url: str | None) -> str | None:
    """The profile address to hand to a browser: an https LinkedIn address (the check the
    checklist uses) whose path is /in/<slug>; None for anything else."""
    from urllib.parse import urlsplit

    from prune_tui.formats.identity import profile_link

    link = profile_link(url)
    if link is None:
        return None
    path = urlsplit(link).path
    return link if path.startswith("/in/") and path.strip("/") != "in" else None


def long_date(stamp: str | None) -> str:
    day = day_of(stamp)
    return day.strftime("%d %b %Y").lstrip("0") if day else "date unknown"


def describe_checklist(db: Database) -> str:
    """`prune-tui invitations`: what to do on LinkedIn, then what is left to screen."""
    from prune_tui.text.plain import one_line
    from prune_tui.text.words import plural

    screening = Screening(db)
    pending = screening.pending()
    progress = screening.progress()
    if not pending:
        if progress.export_date is None:
            return (
                "No invitations imported yet. Import your whole LinkedIn export (the .zip, "
                "which holds Invitations.csv) with `prune-tui import FILE`."
            )
        return f"No invitations were pending at your export of {long_date(progress.export_date)}."
    todo = checklist_from(pending)
    lines = [
        f"Invitations pending at your export of {long_date(progress.export_date)}: "
        f"{plural(progress.incoming, 'invitation')} to you, "
        f"{sum(1 for i in pending if i.direction is Direction.OUTGOING):,} of yours.",
        f"Screening: {progress.accepted_words()}; the argument suggests about "
        f"{ACCEPT_AIM[0]} in {ACCEPT_AIM[1]}. Dunbar: {progress.dunbar:,} of {DUNBAR}.",
    ]

    def item(inv: PendingInvitation, extra: str) -> str:
        link = openable_profile(inv.url) or "(no profile URL in the export)"
        flag = "  (! still pending in your newer export)" if inv.flagged else ""
        return f"- [ ] {one_line(inv.name) or '(no name)'}  {link}  {extra}{flag}"

    def sent(inv: PendingInvitation) -> str:
        return f"sent {long_date(inv.sent_at)}"

    def sent_before(inv: PendingInvitation) -> str:
        waited = plural(inv.days_before_export or 0, "day")
        return f"sent {long_date(inv.sent_at)}, {waited} before the export"

    sections: list[tuple[str, list[PendingInvitation], Callable[[PendingInvitation], str]]] = [
        ("Accept on LinkedIn", todo.accept, sent),
        ("Ignore on LinkedIn", todo.ignore, sent),
        ("Withdraw on LinkedIn", todo.withdraw, sent_before),
    ]
    for title, items, extra in sections:
        if items:
            lines += ["", f"{title} ({len(items):,})"]
            if items is todo.withdraw:
                lines[-1] += ": yours, pending over 3 weeks at the export"
            lines += [item(i, extra(i)) for i in items]
    unscreened = [i for i in pending if i.direction is Direction.INCOMING and i.decision is None]
    if unscreened:
        lines += ["", f"Still to screen ({len(unscreened):,}): open prune-tui and press i"]
        lines += [item(i, f"sent {long_date(i.sent_at)} · {_kind_words(i)}") for i in unscreened]
    if todo.total == 0 and not unscreened:
        lines += ["", "Nothing to do on LinkedIn."]
    return "\n".join(lines)


def _kind_words(inv: PendingInvitation) -> str:
    return KIND_WORDS[inv.note_kind]


def run_command(db: Database, *, as_json: bool) -> str:
    """The text `prune-tui invitations` prints."""
    if as_json:
        import json

        return json.dumps([i.as_json() for i in pending_invitations(db)])
    return describe_checklist(db)
