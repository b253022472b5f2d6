"""LinkedIn's own notes on connections, when an archive carries them (a Notes file in newer
exports), imported into each person's note labelled as from LinkedIn.

We found no documentation of this file's columns, so nothing about its layout is assumed: it
is recognised by its file name, read by header name, and a row counts only when it has a note
(a `Note`/`Notes` column) and says whom it is about (a profile URL column, or first and last
name, or a full name). A person is found by profile slug, or by a name that belongs to one
connection only; anything else is passed over.

The user's own words are never overwritten: an empty note becomes "From LinkedIn: …"; a note
the user wrote keeps its text and gets the LinkedIn paragraph after it. Importing the same notes
again changes nothing; a changed LinkedIn note replaces the paragraph labelled as LinkedIn's.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

from sqlalchemy import Connection

from prune_tui.errors import BadInputFile
from prune_tui.formats.identity import name_key, profile_slug
from prune_tui.formats.tables import ProgressCallback, Source, normalize_header, open_table
from prune_tui.store.changes import write_note
from prune_tui.store.notes import note_of
from prune_tui.text.plain import keep_lines
from prune_tui.text.summary import ImportSummary

LABEL = "From LinkedIn: "
FILE_NAMES = ("notes", "connectionnotes", "connectionsnotes", "membernotes")
NOTE_COLUMNS = ("note", "notes", "note text", "note content")
URL_COLUMNS = ("url", "profile url", "member url", "linkedin url", "profile link", "profile")
NAME_COLUMNS = ("name", "full name", "member name", "connection name")
# Headers of files we read otherwise: a Notes file is none of them.
OTHER_FILES = ("connected on", "conversation id", "sent at", "creation date", "endorsement date")

if TYPE_CHECKING:
    from prune_tui.services.evidence import Reading


@dataclass(frozen=True)
class LinkedInNote:
    slug: str | None
    name: str | None  # name key, when the row names them
    text: str


def is_notes_header(cells: Sequence[str]) -> bool:
    names = {normalize_header(c) for c in cells}
    if names & set(OTHER_FILES) or not names & set(NOTE_COLUMNS):
        return False
    named = {"first name", "last name"} <= names or bool(names & set(NAME_COLUMNS))
    return named or bool(names & set(URL_COLUMNS))


def read_notes(source: Source, progress: ProgressCallback | None = None) -> list[LinkedInNote]:
    found: list[LinkedInNote] = []
    with open_table(source, is_notes_header, "Notes file header") as table:
        note = table.column(*NOTE_COLUMNS)
        url = table.column(*URL_COLUMNS)
        first, last = table.column("first name"), table.column("last name")
        full = table.column(*NAME_COLUMNS)

        def cell(cells: list[str], index: int | None) -> str:
            return cells[index].strip() if index is not None and index < len(cells) else ""

        for _line, cells in table.rows(progress):
            text = keep_lines(cell(cells, note)).strip()
            if not text:
                continue
            slug = profile_slug(cell(cells, url)) if url is not None else None
            if slug is not None and "linkedin.com" not in cell(cells, url).lower():
                slug = None  # one URL policy: only a LinkedIn profile names a person
            if first is not None or last is not None:
                who = name_key(cell(cells, first), cell(cells, last))
            else:
                who = name_key(cell(cells, full), "")
            if slug is None and not who:
                continue
            found.append(LinkedInNote(slug, who or None, text))
    return found


def with_linkedin_note(note: str, text: str) -> str:
    """The user's note with LinkedIn's note after it, or the paragraph labelled as LinkedIn's
    replaced; the user's own text is kept as written."""
    paragraph = LABEL + text
    if paragraph in note:
        return note
    parts = note.split("\n\n")
    for i, part in enumerate(parts):
        if part.startswith(LABEL):
            parts[i] = paragraph
            return "\n\n".join(parts)
    if not note.strip():
        return paragraph
    return note.rstrip("\n") + "\n\n" + paragraph


def load_linkedin_notes(
    reading: Reading,
    sources: list[Source],
    progress: ProgressCallback | None = None,
) -> None:
    """Read before the import takes the write lock; written with the import's other writes."""
    notes: list[LinkedInNote] = []
    for source in sources:
        try:
            notes += read_notes(source, progress)
        except BadInputFile:
            continue  # a file named like it that is not it: no reason to refuse the export

    if notes:
        reading.writes.append(lambda conn, summary: _write_notes(conn, notes, summary))


def _write_notes(conn: Connection, notes: list[LinkedInNote], summary: ImportSummary) -> None:
    added = 0
    for item in notes:
        found = note_of(conn, item.slug, item.name)
        if found is None:
            continue
        connection_id, note = found
        new = with_linkedin_note(note, item.text)
        if new != note:
            write_note(conn, connection_id, new)
            added += 1
    summary.linkedin_notes += added
