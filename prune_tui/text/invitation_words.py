"""The invitations' words: what kind of note came with one, and the import summary's lines
about invitations."""

from __future__ import annotations

from typing import TYPE_CHECKING

from prune_tui.text.words import plural

if TYPE_CHECKING:
    from prune_tui.text.summary import ImportSummary

# An invitation's note kind (prune_tui.services.invitations.NOTE_KINDS) in words.
KIND_WORDS = {"personal": "personal note", "pitch": "a pitch", "none": "no note"}


def invitation_undo_sentence(field: str, name: str, *, old: str | None, new: str | None) -> str:
    """What undo on the invitations screen says it took back: a decision ("accept", "ignore",
    the withdrawal tick) or a criterion ("criterion:2")."""
    if field == "decision":
        taken = new or old or "change"
        if taken == "withdraw":
            return f"Undid the withdrawal tick for {name}"
        return f"Undid “{taken}” for {name}"
    return f"Undid criterion {field.split(':', 1)[1]} for {name}"


def accepted_words(accepted: int, screened: int, share: int | None) -> str:
    """ "accepted 6 of 15 screened (40%)", or "none screened yet"."""
    if not screened:
        return "none screened yet"
    return f"accepted {accepted:,} of {screened:,} screened ({share}%)"


def describe_import(summary: ImportSummary) -> list[str]:
    """The import summary's lines about invitations."""
    lines = []
    parts = []
    if summary.invitations_pending:
        parts.append(f"{plural(summary.invitations_pending, 'invitation')} to screen")
    if summary.invitations_to_withdraw:
        parts.append(f"{summary.invitations_to_withdraw:,} of yours to withdraw")
    if parts:
        lines.append("  pending: " + " · ".join(parts) + " (press i in the app)")
    if summary.accepts_confirmed:
        lines.append(
            f"  {plural(summary.accepts_confirmed, 'invitation')} you accepted on screening "
            "now connected: kept, with a note"
        )
    if summary.invitations_flagged:
        lines.append(
            f"  {plural(summary.invitations_flagged, 'invitation')} you screened "
            f"{'is' if summary.invitations_flagged == 1 else 'are'} still pending on LinkedIn"
        )
    return lines
