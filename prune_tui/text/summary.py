"""What one import did: the summary the user reads and the counts stored with the import run.

Its own module so that the `import` command loads nothing else of the domain model."""

from __future__ import annotations

from dataclasses import dataclass, field

from prune_tui.text.invitation_words import describe_import
from prune_tui.text.words import n, plural


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
    readdressed: int = 0  # known people at a new profile address (same name, same day connected)
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


def summary_words(summary: ImportSummary, *, kept_chars: int) -> str:
    """The import summary in plain words, a few lines: what was imported, then one line for each
    thing worth knowing. `kept_chars` is how much of a very long field an import keeps."""
    if summary.already_imported:
        return (
            f"{summary.file_name} was imported before; nothing changed. To apply it again "
            "(after importing an older export, say), add --again."
        )
    lines = _headline(summary) + _people_lines(summary) + _reading_lines(summary, kept_chars)
    evidence_parts = [
        plural(count, one)
        for count, one in (
            (summary.messages, "message"),
            (summary.invitations, "invitation"),
            (summary.endorsements, "endorsement"),
            (summary.recommendations, "recommendation"),
        )
        if count
    ]
    if evidence_parts:
        lines.append("  evidence: " + " · ".join(evidence_parts))
    return "\n".join(lines + describe_import(summary))


def _headline(summary: ImportSummary) -> list[str]:
    """What was imported from which file, with the connections' counts."""
    if summary.restored:
        return [f"Restored {plural(summary.restored, 'connection')} from {summary.file_name}."]
    if "connections" not in summary.kinds:
        return [f"Imported {summary.file_name}."]
    parts = [
        f"{n(summary.new)} new",
        f"{n(summary.updated)} updated",
        f"{n(summary.unchanged)} unchanged",
    ]
    if summary.gone:
        parts.append(f"{n(summary.gone)} no longer connected")
    if summary.returned:
        parts.append(f"{n(summary.returned)} back again")
    return [
        f"Imported {plural(summary.rows, 'connection')} from {summary.file_name}.",
        "  " + " · ".join(parts),
    ]


def _people_lines(summary: ImportSummary) -> list[str]:
    """What the import means for people already decided on."""
    lines = []
    if summary.confirmed_removals:
        lines.append(f"  {plural(summary.confirmed_removals, 'removal')} confirmed")
    if summary.flagged:
        lines.append(
            f"  {plural(summary.flagged, 'person', 'people')} you chose to keep or nurture "
            f"{'is' if summary.flagged == 1 else 'are'} no longer connected"
        )
    if summary.readdressed:
        lines.append(
            f"  {plural(summary.readdressed, 'person', 'people')} moved to a new profile "
            "address (same name, connected the same day): their decisions stay theirs"
        )
    if summary.in_touch:
        lines.append(
            f"  {plural(summary.in_touch, 'nurtured person', 'nurtured people')} "
            f"{'was' if summary.in_touch == 1 else 'were'} in touch since the last export"
        )
    if summary.linkedin_notes:
        lines.append(
            f"  {plural(summary.linkedin_notes, 'note')} from LinkedIn added to people's notes"
        )
    if summary.still_connected:
        lines.append(
            f"  {plural(summary.still_connected, 'person', 'people')} you ticked off as removed "
            f"{'is' if summary.still_connected == 1 else 'are'} still connected"
        )
    return lines


def _reading_lines(summary: ImportSummary, kept_chars: int) -> list[str]:
    """What the reader skipped, merged, replaced or shortened in the files."""
    lines = []
    if summary.hidden_skipped:
        lines.append(
            f"  skipped {plural(summary.hidden_skipped, 'hidden or closed account')} "
            "(rows with only a date)"
        )
    if summary.undated:
        lines.append(
            f"  {plural(summary.undated, 'date')} could not be read (imported without a date)"
        )
    if summary.duplicates_merged:
        lines.append(f"  merged {plural(summary.duplicates_merged, 'repeated row')}")
    if summary.replaced_bytes:
        lines.append(
            f"  {plural(summary.replaced_bytes, 'byte')} that could not be read as text "
            "shown as \N{REPLACEMENT CHARACTER} (the rest is read as written)"
        )
    if summary.truncated_fields:
        lines.append(
            f"  {plural(summary.truncated_fields, 'very long field')} shortened to "
            f"{'its' if summary.truncated_fields == 1 else 'their'} first "
            f"{n(kept_chars)} characters"
        )
    return lines
