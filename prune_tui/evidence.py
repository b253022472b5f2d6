"""Evidence from the rest of the export (messages, invitations, endorsements, recommendations),
attached to people by profile slug. Each file kind registers itself in EVIDENCE_KINDS; the
importer finds sources by file name (inside an archive) or by header (a file on its own) and hands
them to `import_evidence` inside the import's single transaction."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass

from sqlalchemy import Connection

from prune_tui.formats.text import HeaderTest, ProgressCallback, Source, normalize_file_name
from prune_tui.model import ImportSummary

Loader = Callable[[Connection, list[Source], ImportSummary, ProgressCallback | None], None]


@dataclass(frozen=True)
class EvidenceKind:
    name: str
    file_names: tuple[str, ...]  # normalized (see normalize_file_name)
    is_header: HeaderTest
    load: Loader


EVIDENCE_KINDS: dict[str, EvidenceKind] = {}


def kind_for_file_name(file_name: str) -> str | None:
    normalized = normalize_file_name(file_name)
    for kind in EVIDENCE_KINDS.values():
        if normalized in kind.file_names:
            return kind.name
    return None


def kind_for_header(cells: Sequence[str]) -> str | None:
    for kind in EVIDENCE_KINDS.values():
        if kind.is_header(cells):
            return kind.name
    return None


def import_evidence(
    conn: Connection,
    sources: dict[str, list[Source]],
    summary: ImportSummary,
    progress: ProgressCallback | None = None,
) -> None:
    for name, kind in EVIDENCE_KINDS.items():
        if sources.get(name):
            kind.load(conn, sources[name], summary, progress)
