"""What one import did: the summary the user reads and the counts stored with the import run.

Its own module so that the `import` command loads nothing else of the domain model."""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass
class ImportSummary:
    """What one import did, reported to the user and stored with the import run."""

    file_name: str
    kinds: list[str] = field(default_factory=list)
    rows: int = 0  # connection rows read (after merging duplicates)
    new: int = 0
    updated: int = 0
    unchanged: int = 0
    gone: int = 0
    returned: int = 0
    confirmed_removals: int = 0
    flagged: int = 0  # kept or nurtured people who are no longer connected
    still_connected: int = 0  # ticked off as removed, yet still in this export
    hidden_skipped: int = 0  # date-only rows (hidden or closed accounts)
    undated: int = 0  # rows whose date could not be read
    duplicates_merged: int = 0
    messages: int = 0
    invitations: int = 0
    endorsements: int = 0
    recommendations: int = 0
    restored: int = 0  # connections restored from a JSON backup
    replaced_bytes: int = 0  # bytes that were not valid text, read as U+FFFD
    truncated_fields: int = 0  # very long fields kept as their first limits.KEPT_CHARS
    # Screening invitations (prune_tui.services.invitations)
    invitations_pending: int = 0  # incoming, pending at the export, not screened yet
    invitations_to_withdraw: int = 0  # my own, stale at the export, not withdrawn yet
    accepts_confirmed: int = 0  # accepted on screening, now connections
    invitations_flagged: int = 0  # screened, yet still pending in this export
    in_touch: int = 0  # nurtured people with a message newer than the last export's
    linkedin_notes: int = 0  # notes LinkedIn kept on connections, added to people's notes
    already_imported: bool = False

    def counts(self) -> dict[str, int | bool | list[str]]:
        return {k: v for k, v in self.__dict__.items() if k != "file_name"}
