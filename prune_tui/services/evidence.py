"""Evidence from the rest of the export (messages, invitations, endorsements, recommendations),
attached to people by profile slug. Each file kind registers itself in EVIDENCE_KINDS; the
importer finds sources by file name (inside an archive) or by header (a file on its own) and hands
them to `read_evidence_files`, before it takes the write lock: each kind reads its files into a
small tally and returns the write to make, which the importer runs in its one transaction.

People are keyed by profile slug, or `name:<name key>` when a file has no URL for them. Where a
file pairs a name with a URL (a sender's FROM and URL, an endorser's name and link), the person's
evidence is also written under `aka:<name key>`, so a connection from an export without URLs can
find it. Who takes which row is decided in one place, prune_tui.store.attribution. A newer
export holds the whole history again, so each kind REPLACES its columns for everyone: importing
twice never double-counts. Only rows whose values change are written (a newer export changes a
few). A file that is empty (or holds only its header) is absent evidence and changes nothing.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from typing import TypeVar

from sqlalchemy import Connection

from prune_tui.formats.endorsements import (
    GIVEN,
    RECEIVED,
    is_given_header,
    is_received_header,
    read_endorsements,
)
from prune_tui.formats.invitations import Invitation, is_invitations_header, read_invitations
from prune_tui.formats.messages import ME, Earlier, Exchange, MessageTally, is_messages_header
from prune_tui.formats.profile import is_profile_header, read_owner
from prune_tui.formats.recommendations import read_recommendations
from prune_tui.formats.tables import (
    EmptyFile,
    HeaderTest,
    ProgressCallback,
    Source,
    normalize_file_name,
)
from prune_tui.services import linkedin_notes
from prune_tui.store import evidence as evidence_store
from prune_tui.store.attribution import NAME_PREFIX, alias_key, shared_name_keys
from prune_tui.store.evidence_read import EVIDENCE_COLUMNS as EVIDENCE_COLUMNS
from prune_tui.store.evidence_read import MESSAGES_READ
from prune_tui.store.evidence_read import read_evidence as read_evidence
from prune_tui.store.importing import has_staging, staged_or_known_slugs
from prune_tui.store.settings import get_setting, put_setting
from prune_tui.text.summary import ImportSummary

T = TypeVar("T")

# What a kind writes, under the import's write lock, once its files have been read.
Write = Callable[[Connection, ImportSummary], None]


@dataclass
class Reading:
    """What the kinds read before them tell the next: who the owner is. `conn` is for reads
    only (the settings, and the connections with this import's in temp.incoming)."""

    conn: Connection
    owner_slug: str | None = None
    owner_name: str | None = None
    staged: bool = False  # temp.incoming holds this import's Connections.csv
    writes: list[Write] = field(default_factory=list)
    # Each message's and invitation's (person, when), by kind: what `newest` judges by.
    dated: dict[str, list[tuple[str, str | None]]] = field(default_factory=dict)

    def connected(self, slugs: Sequence[str]) -> set[str]:
        return staged_or_known_slugs(self.conn, slugs, self.staged)

    def shared(self, name_tokens: Sequence[str], *, least: int = 2) -> set[str]:
        """Which of these `name:<name key>` tokens two or more connections bear (`least`:
        this many or more)."""
        keys = [token.removeprefix(NAME_PREFIX) for token in name_tokens]
        found = shared_name_keys(self.conn, keys, self.staged, least=least)
        return {NAME_PREFIX + key for key in found}

    def newest(self) -> dict[str, str]:
        """When the newest message and invitation with a connection read were written, by kind
        (ISO 8601; "": none with a connection). What a file of evidence coming on its own is
        judged by (services/export_dates.py); asked only then, as it looks up connections.
        Only connections count: a later export keeps their accepted invitations and
        conversations, while an invitation ignored or an account closed since may be gone."""
        return {kind: _newest_connected(self, dated) for kind, dated in self.dated.items()}

    def known(self, people: Sequence[str]) -> set[str]:
        """Which of these people (profile slugs, or `name:` tokens) are connections."""
        names = [who for who in people if who.startswith(NAME_PREFIX)]
        slugs = [who for who in people if not who.startswith(NAME_PREFIX)]
        found = self.connected(slugs) if slugs else set()
        return found | (self.shared(names, least=1) if names else set())


Loader = Callable[[Reading, list[Source], ProgressCallback | None], None]

OWNER_SLUG = "owner.slug"
OWNER_NAME = "owner.name"


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


def read_evidence_files(
    conn: Connection,
    sources: dict[str, list[Source]],
    progress: ProgressCallback | None = None,
) -> Reading:
    """Read every evidence file (no write lock needed); the reading holds the writes to
    make."""
    reading = Reading(
        conn,
        owner_slug=get_setting(conn, OWNER_SLUG),
        owner_name=get_setting(conn, OWNER_NAME),
        staged=has_staging(conn),
    )
    # In registry order: the owner (Profile.csv) is known before messages and invitations.
    for name, kind in EVIDENCE_KINDS.items():
        if sources.get(name):
            kind.load(reading, sources[name], progress)
    return reading


def import_evidence(
    conn: Connection,
    sources: dict[str, list[Source]],
    summary: ImportSummary,
    progress: ProgressCallback | None = None,
) -> None:
    """Read and write in one go (inside a transaction the caller holds)."""
    for write in read_evidence_files(conn, sources, progress).writes:
        write(conn, summary)


# ---------------------------------------------------------------------------------------------
# Reading evidence back: prune_tui.store.evidence_read (re-exported here)


# ---------------------------------------------------------------------------------------------
# Who is who across keys


def _fold_names(
    reading: Reading,
    by_key: dict[str, T],
    names: dict[str, set[str]],
    combine: Callable[[T, T], T],
) -> None:
    """Entries known only by a name that was also seen with exactly one URL join that URL's,
    unless two connections bear that name: then the file cannot tell whose they are (it may
    hold the URL of only one of them), and they stay under the name, which attaches to
    neither (store/attribution.py)."""
    folding = [name for name, slugs in names.items() if len(slugs) == 1 and name in by_key]
    shared = reading.shared(folding) if folding else set()
    for name in folding:
        if name in shared:
            continue
        (slug,) = names[name]
        share = by_key.pop(name)
        by_key[slug] = combine(by_key[slug], share) if slug in by_key else share


def _canonical(token: str, names: dict[str, set[str]]) -> str:
    slugs = names.get(token)
    if slugs is not None and len(slugs) == 1:
        return next(iter(slugs))
    return token


def _with_name_rows(
    by_key: dict[str, T], names: dict[str, set[str]], exclude: frozenset[str] = frozenset()
) -> Iterable[tuple[str, T]]:
    """Each person under their slug, and also under `aka:<name>` when that name belongs to one
    URL only (a name shared by two people attaches to neither); see store/attribution.py."""
    for key, value in by_key.items():
        if key not in exclude:
            yield key, value
    for name, slugs in names.items():
        if len(slugs) == 1 and name not in by_key and name not in exclude:
            (slug,) = slugs
            if slug in by_key and slug not in exclude:
                yield alias_key(name), by_key[slug]


# ---------------------------------------------------------------------------------------------
# Writing: every kind replaces its own columns


def _newest_connected(reading: Reading, dated: list[tuple[str, str | None]]) -> str:
    """The newest `when` of these (person, when) whose person is a connection ("": none)."""
    newest = sorted(((at, who) for who, at in dated if at), reverse=True)
    for start in range(0, len(newest), 500):
        batch = newest[start : start + 500]
        connected = reading.known([who for _at, who in batch])
        found = next((at for at, who in batch if who in connected), None)
        if found is not None:
            return found
    return ""


def _present(sources: list[Source], read: Callable[[Source], T]) -> Iterable[tuple[Source, T]]:
    """Each source read by `read`; an empty file (perhaps only a BOM or blank lines) is absent
    evidence, not an error, and is passed over."""
    for source in sources:
        try:
            yield source, read(source)
        except EmptyFile:
            continue


def _replace(conn: Connection, resets: dict[str, str], rows: Sequence[tuple[object, ...]]) -> None:
    evidence_store.replace_columns(conn, resets, rows)


# ---------------------------------------------------------------------------------------------
# Profile.csv: who "me" is


def load_profile(
    reading: Reading, sources: list[Source], progress: ProgressCallback | None = None
) -> None:
    for _source, (name, slug) in _present(sources, lambda s: read_owner(s, progress)):
        if name or slug:
            reading.owner_name = name or reading.owner_name
            reading.owner_slug = slug or reading.owner_slug
            reading.writes.append(_profile_write(name, slug))
            return


def _profile_write(name: str | None, slug: str | None) -> Write:
    def write(conn: Connection, summary: ImportSummary) -> None:
        if name:
            put_setting(conn, OWNER_NAME, name)
        if slug:
            put_setting(conn, OWNER_SLUG, slug)
        if name or slug:
            evidence_store.forget_people(
                conn, (name or "", alias_key(name) if name else "", slug or "")
            )

    return write


# ---------------------------------------------------------------------------------------------
# messages.csv


def load_messages(
    reading: Reading, sources: list[Source], progress: ProgressCallback | None = None
) -> None:
    from prune_tui.store import message_tally

    tally = _read_messages(reading, sources, progress)
    if tally.messages == 0:
        return
    # Kept before the names are folded in (which changes the tally).
    remembered = _remembered(tally)
    people, names = tally.people, tally.names
    _fold_names(reading, people, names, Exchange.absorb)
    owner = find_owner(reading, people, names)
    owner_keys = {owner} | {n for n, slugs in names.items() if slugs == {owner}}
    rows = [
        (
            person,
            share.count,
            share.first,
            share.last,
            "me" if _canonical(share.last_from, names) == owner else "them",
        )
        for person, share in _with_name_rows(people, names, frozenset(owner_keys))
    ]
    reading.dated["messages"] = [(row[0], row[3]) for row in rows]
    if owner != ME and not owner.startswith("name:"):
        reading.owner_slug = owner
    elif owner.startswith("name:") and reading.owner_name is None:
        reading.owner_name = owner
    owner_keys.discard(ME)
    owner_keys |= {alias_key(k) for k in owner_keys if k.startswith("name:")}
    count = tally.messages

    def write(conn: Connection, summary: ImportSummary) -> None:
        _replace(
            conn,
            {
                "message_count": "0",
                "first_message_at": "NULL",
                "last_message_at": "NULL",
                "last_message_from": "NULL",
            },
            rows,
        )
        if owner_keys:
            evidence_store.forget_people(conn, tuple(owner_keys))
        if owner != ME and not owner.startswith("name:"):
            put_setting(conn, OWNER_SLUG, owner)
        elif owner.startswith("name:") and get_setting(conn, OWNER_NAME) is None:
            put_setting(conn, OWNER_NAME, owner)
        put_setting(conn, MESSAGES_READ, True)
        message_tally.remember_tally(conn, remembered)
        summary.messages += count

    reading.writes.append(write)


def _read_messages(
    reading: Reading, sources: list[Source], progress: ProgressCallback | None
) -> MessageTally:
    """Tally every messages file; a single file that starts with the last import's rows is
    read only as far as its newer rows (`MessageTally.read`'s `earlier`)."""
    from prune_tui.store import message_tally

    tally = MessageTally()
    found = message_tally.earlier_shape(reading.conn) if len(sources) == 1 else None
    earlier = None
    if found is not None:
        shape, counts = found
        earlier = Earlier(shape, lambda: message_tally.earlier_tally(reading.conn, counts))
    for _source in _present(sources, lambda s: tally.read(s, progress, earlier)):
        pass
    return tally


def _remembered(tally: MessageTally) -> MessageTally:
    """A copy of `tally` to keep (folding names into URLs changes the one being written)."""
    copy = MessageTally(
        messages=tally.messages,
        ignored=tally.ignored,
        undated=tally.undated,
        has_direction=tally.has_direction,
        shape=tally.shape,
    )
    copy.people = {
        token: Exchange(s.count, s.first, s.last, s.last_from) for token, s in tally.people.items()
    }
    copy.names = {name: set(slugs) for name, slugs in tally.names.items()}
    return copy


def find_owner(reading: Reading, people: dict[str, Exchange], names: dict[str, set[str]]) -> str:
    """The export's owner takes part in every message, so they are the participant on the most
    messages. A tie (a file with one correspondent) is broken by what Profile.csv or an earlier
    import said, then by who is not among the connections."""
    if ME in people:
        return ME
    top = max(share.count for share in people.values())
    candidates = sorted(token for token, share in people.items() if share.count == top)
    if len(candidates) == 1:
        return candidates[0]
    hinted: set[str] = {h for h in (reading.owner_slug, reading.owner_name) if h is not None}
    hinted |= {_canonical(h, names) for h in hinted}
    connected = reading.connected(candidates)
    for preferred in (hinted, set(candidates) - connected):
        narrowed = [c for c in candidates if c in preferred]
        if narrowed:
            candidates = narrowed
        if len(candidates) == 1:
            break
    return candidates[0]


# ---------------------------------------------------------------------------------------------
# Invitations.csv


def load_invitations(
    reading: Reading, sources: list[Source], progress: ProgressCallback | None = None
) -> None:
    owner_slugs = frozenset(s for s in (reading.owner_slug,) if s is not None)
    owner_names = frozenset(s for s in (reading.owner_name,) if s is not None)
    found: list[Invitation] = []
    for _source, read in _present(
        sources, lambda s: read_invitations(s, owner_slugs, owner_names, progress)
    ):
        found.extend(read.invitations)
    if not found:
        return
    from prune_tui.services.invitation_import import stage_from_file

    # Screened at the end of the import (pending invitations), once connections are written.
    reading.writes.append(lambda conn, _summary: stage_from_file(conn, found))
    by_key: dict[str, Invitation] = {}
    names: dict[str, set[str]] = {}
    for inv in found:
        key = inv.slug or inv.name
        assert key is not None
        if inv.slug and inv.name:
            names.setdefault(inv.name, set()).add(inv.slug)
        earlier = by_key.get(key)
        by_key[key] = inv if earlier is None else _latest(earlier, inv)
    _fold_names(reading, by_key, names, _latest)
    rows = [
        (person, inv.invited_by, inv.sent_at, inv.message)
        for person, inv in _with_name_rows(by_key, names)
    ]
    reading.dated["invitations"] = [
        (who, inv.sent_at) for inv in found if (who := inv.slug or inv.name)
    ]
    count = len(found)

    def write(conn: Connection, summary: ImportSummary) -> None:
        _replace(
            conn,
            {"invited_by": "NULL", "invited_at": "NULL", "invitation_message": "NULL"},
            rows,
        )
        summary.invitations += count

    reading.writes.append(write)


def _latest(kept: Invitation, other: Invitation) -> Invitation:
    """Rows are newest first: the first one stays unless a later row is dated after it."""
    if other.sent_at is not None and (kept.sent_at is None or other.sent_at > kept.sent_at):
        return other
    return kept


# ---------------------------------------------------------------------------------------------
# Endorsements and recommendations: counts per person


def _add(a: int, b: int) -> int:
    return a + b


def _count_rows(
    reading: Reading, people: Iterable[tuple[str | None, str | None]]
) -> tuple[int, list[tuple[str, int]]]:
    by_key: dict[str, int] = {}
    names: dict[str, set[str]] = {}
    total = 0
    for slug, name in people:
        key = slug or name
        if key is None:
            continue
        total += 1
        if slug and name:
            names.setdefault(name, set()).add(slug)
        by_key[key] = by_key.get(key, 0) + 1
    _fold_names(reading, by_key, names, _add)
    return total, list(_with_name_rows(by_key, names))


def _counts_write(column: str, total: int, rows: list[tuple[str, int]], what: str) -> Write:
    def write(conn: Connection, summary: ImportSummary) -> None:
        _replace(conn, {column: "0"}, rows)
        setattr(summary, what, getattr(summary, what) + total)

    return write


def _endorsement_loader(side: str, column: str) -> Loader:
    def load(
        reading: Reading, sources: list[Source], progress: ProgressCallback | None = None
    ) -> None:
        found = [
            (e.slug, e.name)
            for _source, read in _present(sources, lambda s: read_endorsements(s, side, progress))
            for e in read
        ]
        total, rows = _count_rows(reading, found)
        if total:
            reading.writes.append(_counts_write(column, total, rows, "endorsements"))

    return load


def _recommendation_loader(column: str) -> Loader:
    def load(
        reading: Reading, sources: list[Source], progress: ProgressCallback | None = None
    ) -> None:
        found = [
            (None, name)
            for _source, read in _present(sources, lambda s: read_recommendations(s, progress))
            for name in read
        ]
        total, rows = _count_rows(reading, found)
        if total:
            reading.writes.append(_counts_write(column, total, rows, "recommendations"))

    return load


def _never(cells: Sequence[str]) -> bool:
    """Recommendations given and received share one header: only the file name tells them
    apart, so neither is recognised by its header alone."""
    return False


def _register(kind: EvidenceKind) -> None:
    EVIDENCE_KINDS[kind.name] = kind


# Order matters: the owner first, then messages (which also find the owner), then the rest.
_register(EvidenceKind("profile", ("profile",), is_profile_header, load_profile))
_register(EvidenceKind("messages", ("messages",), is_messages_header, load_messages))
_register(EvidenceKind("invitations", ("invitations",), is_invitations_header, load_invitations))
_register(
    EvidenceKind(
        "endorsements_received",
        ("endorsementreceivedinfo", "endorsementsreceivedinfo", "endorsementsreceived"),
        is_received_header,
        _endorsement_loader(RECEIVED, "endorsements_received"),
    )
)
_register(
    EvidenceKind(
        "endorsements_given",
        ("endorsementgiveninfo", "endorsementsgiveninfo", "endorsementsgiven"),
        is_given_header,
        _endorsement_loader(GIVEN, "endorsements_given"),
    )
)
_register(
    EvidenceKind(
        "recommendations_received",
        ("recommendationsreceived", "recommendationreceived"),
        _never,
        _recommendation_loader("recommendations_received"),
    )
)
_register(
    EvidenceKind(
        "recommendations_given",
        ("recommendationsgiven", "recommendationgiven"),
        _never,
        _recommendation_loader("recommendations_given"),
    )
)
# LinkedIn's own notes on connections (newer exports), into people's notes: services.linkedin_notes
_register(
    EvidenceKind(
        "linkedin_notes",
        linkedin_notes.FILE_NAMES,
        linkedin_notes.is_notes_header,
        linkedin_notes.load_linkedin_notes,
    )
)
