"""Evidence belongs to the right person: two people who share a name never share messages, and
evidence matched by a name alone says so (store/attribution.py is the one rule)."""

from __future__ import annotations

import io
import json
import sqlite3
from datetime import date, datetime
from pathlib import Path

import pytest
from builders import Person, write_connections
from evidence_files import (
    OWNER,
    Inv,
    Msg,
    P,
    invitations_csv,
    messages_csv,
    recommendations_csv,
    write,
)

from prune_tui.exports.formats import write_export
from prune_tui.services.importer import import_path
from prune_tui.services.review import Filter, Order, Queue, Review
from prune_tui.services.suggest import suggest
from prune_tui.store import Database, open_database
from prune_tui.text.evidence import describe_evidence

TODAY = date(2026, 11, 21)
ANNA_A = P("Anna Kowalski", "anna-kowalski-a1")
ANNA_B = P("Anna Kowalski", "anna-kowalski-b2")


def _ids(db: Database) -> dict[str, int]:
    with db.read() as conn:
        return {
            slug: int(cid)
            for cid, slug in conn.exec_driver_sql("SELECT id, coalesce(slug, key) FROM connections")
        }


def _two_annas(db: Database, tmp_path: Path) -> dict[str, int]:
    write_connections(
        tmp_path,
        [
            Person("Anna", "Kowalski", ANNA_A.slug, connected=date(2015, 1, 5)),
            Person("Anna", "Kowalski", ANNA_B.slug, connected=date(2016, 2, 6)),
            Person("Quinn", "Quiet", "quinn-quiet", connected=date(2017, 3, 7)),
        ],
    )
    msgs = [
        Msg(*pair, at=datetime(2019, 8, day, 10))
        for day in range(1, 5)
        for pair in (([ANNA_A, [OWNER]]), ([OWNER, [ANNA_A]]))
    ]
    invs = [Inv(ANNA_A, "INCOMING", datetime(2015, 1, 4), "Great meeting you at the summit!")]
    write(tmp_path, "messages.csv", messages_csv(msgs))
    write(tmp_path, "Invitations.csv", invitations_csv(invs))
    import_path(db, tmp_path)
    return _ids(db)


def test_two_people_who_share_a_name_never_share_messages(db: Database, tmp_path: Path) -> None:
    ids = _two_annas(db, tmp_path)
    review = Review(db)
    a, b = review.card(ids[ANNA_A.slug]), review.card(ids[ANNA_B.slug])
    assert a is not None and b is not None and a.evidence is not None and b.evidence is not None
    assert (a.evidence.message_count, a.evidence.invited_by) == (8, "them")
    # The other Anna: messages.csv names people by URL, and hers is not among them.
    assert (b.evidence.message_count, b.evidence.invited_by) == (0, None)
    assert describe_evidence(b.evidence, TODAY) == ["Never messaged"]
    assert a.evidence.by_name == frozenset()
    assert "8 messages" not in suggest(b, TODAY).reason
    assert "never messaged" in suggest(b, TODAY).reason
    # Browse, the "never messaged first" order and the JSON export agree with the card.
    rows = {r.id: r for r in review.rows(Queue(filter=Filter.ALL))}
    assert (rows[a.id].message_count, rows[b.id].message_count) == (8, 0)
    assert rows[b.id].last_message_at is None and rows[b.id].invited_by is None
    order = [r.id for r in review.rows(Queue(Order.NEVER_MESSAGED, Filter.ALL))]
    assert order.index(b.id) < order.index(a.id)
    out = io.StringIO()
    write_export(db, out, fmt="json", only="all")
    counts = {o["url"].rsplit("/", 1)[-1]: o["message_count"] for o in json.loads(out.getvalue())}
    assert counts == {ANNA_A.slug: 8, ANNA_B.slug: 0, "quinn-quiet": 0}


def _annas_2020_messages() -> bytes:
    """A 2020 messages.csv names recipients without URLs: Anna A writes (her URL is on her
    message), the owner answers her by name, and writes to "Anna Kowalski" by name in another
    conversation, which could be either Anna."""
    msgs = [
        Msg(ANNA_A, [OWNER], datetime(2021, 3, 2, 10), conversation="c2"),
        Msg(OWNER, [ANNA_A], datetime(2021, 3, 3, 10), conversation="c2"),
        Msg(OWNER, [ANNA_B], datetime(2021, 3, 1, 10), conversation="c1"),
    ]
    return messages_csv(msgs, generation="2020")


@pytest.mark.parametrize("together", [True, False], ids=["one export", "messages later"])
def test_a_file_naming_one_of_two_people_who_share_a_name_gives_neither_their_name_only_rows(
    db: Database, tmp_path: Path, together: bool
) -> None:
    """The file pairs "Anna Kowalski" with Anna A's URL only; that does not make every
    message to that name hers, when two connections bear it (read with the export's own
    Connections.csv, or on its own later)."""
    write_connections(
        tmp_path,
        [
            Person("Anna", "Kowalski", ANNA_A.slug, connected=date(2015, 1, 5)),
            Person("Anna", "Kowalski", ANNA_B.slug, connected=date(2016, 2, 6)),
        ],
    )
    if together:
        write(tmp_path, "messages.csv", _annas_2020_messages())
        import_path(db, tmp_path)
    else:
        import_path(db, tmp_path / "Connections.csv")
        (tmp_path / "later").mkdir()
        import_path(db, write(tmp_path / "later", "messages.csv", _annas_2020_messages()))
    ids = _ids(db)
    review = Review(db)
    a, b = review.card(ids[ANNA_A.slug]), review.card(ids[ANNA_B.slug])
    assert a is not None and b is not None and a.evidence is not None and b.evidence is not None
    assert (a.evidence.message_count, a.evidence.last_message_from) == (1, "them")
    assert b.evidence.message_count == 0


def test_a_name_one_connection_bears_takes_the_rows_sent_to_it_by_name(
    db: Database, tmp_path: Path
) -> None:
    write_connections(
        tmp_path, [Person("Anna", "Kowalski", ANNA_A.slug, connected=date(2015, 1, 5))]
    )
    write(tmp_path, "messages.csv", _annas_2020_messages())
    import_path(db, tmp_path)
    anna = Review(db).card(_ids(db)[ANNA_A.slug])
    assert anna is not None and anna.evidence is not None
    assert (anna.evidence.message_count, anna.evidence.last_message_from) == (3, "me")


def test_name_keyed_evidence_needs_a_name_that_is_one_connection(
    db: Database, tmp_path: Path
) -> None:
    """Recommendations carry no URL: they attach where the name is one connection only, and
    the card says the match was by name."""
    ids = _two_annas(db, tmp_path)
    (tmp_path / "recs").mkdir()
    recs = recommendations_csv([ANNA_A, P("Quinn Quiet")])
    import_path(db, write(tmp_path / "recs", "Recommendations_Received.csv", recs))
    review = Review(db)
    a, b, quinn = (review.card(ids[s]) for s in (ANNA_A.slug, ANNA_B.slug, "quinn-quiet"))
    assert a is not None and b is not None and quinn is not None
    assert a.evidence is not None and a.evidence.recommendations_received == 0
    assert b.evidence is not None and b.evidence.recommendations_received == 0
    assert quinn.evidence is not None and quinn.evidence.recommendations_received == 1
    assert quinn.evidence.by_name == {"recommendations_received"}
    assert "Recommended you · matched by name only" in describe_evidence(quinn.evidence, TODAY)


def test_an_export_without_urls_takes_url_evidence_only_for_a_unique_name(
    db: Database, tmp_path: Path
) -> None:
    """A 2019 Connections.csv has no URLs: messages from a 2024 file reach such a connection
    through the name, only when no other connection has it, and marked as such."""
    write_connections(
        tmp_path,
        [
            Person("Anna", "Kowalski", connected=date(2015, 1, 5)),
            Person("Bo", "Berg", connected=date(2016, 1, 5)),
        ],
        generation="2019",
    )
    import_path(db, tmp_path / "Connections.csv")
    (tmp_path / "m").mkdir()
    msgs = [Msg(ANNA_A, [OWNER], datetime(2024, 1, 1)), Msg(OWNER, [ANNA_A], datetime(2024, 1, 2))]
    msgs += [Msg(OWNER, [P("Zed Other", "zed")], datetime(2024, 1, 3))]
    import_path(db, write(tmp_path / "m", "messages.csv", messages_csv(msgs)))
    review = Review(db)
    ids = _ids(db)
    anna = review.card(next(v for k, v in ids.items() if "anna" in k))
    assert anna is not None and anna.evidence is not None
    assert anna.evidence.message_count == 2
    assert anna.evidence.by_name == {"messages"}
    assert describe_evidence(anna.evidence, TODAY)[0].endswith("matched by name only")
    # A second Anna Kowalski joins: now the name is no longer enough for either.
    write_connections(
        tmp_path / "m",
        [
            Person("Anna", "Kowalski", connected=date(2015, 1, 5)),
            Person("Bo", "Berg", connected=date(2016, 1, 5)),
            Person("Anna", "Kowalski", connected=date(2018, 1, 5)),
        ],
        generation="2019",
    )
    import_path(db, tmp_path / "m" / "Connections.csv")
    for cid in _ids(db).values():
        card = review.card(cid)
        assert card is not None and card.evidence is not None
        assert card.evidence.message_count == 0


def test_a_database_from_before_attribution_is_matched_on_open(tmp_path: Path) -> None:
    """An older database has no name_matches table and aliases filed under `name:`: opening
    it matches them, and a shared name attaches to neither."""
    path = tmp_path / "old.db"
    db = open_database(path)
    _two_annas(db, tmp_path)
    ids = _ids(db)
    db.close()
    raw = sqlite3.connect(path)
    raw.execute("DROP TABLE name_matches")
    raw.execute(
        "UPDATE evidence SET person = 'name:' || substr(person, 5) WHERE person LIKE 'aka:%'"
    )
    raw.commit()
    raw.close()
    db = open_database(path)
    try:
        b = Review(db).card(ids[ANNA_B.slug])
        assert b is not None and b.evidence is not None and b.evidence.message_count == 0
    finally:
        db.close()
