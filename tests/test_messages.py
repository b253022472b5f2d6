"""messages.csv: every header generation, group conversations, owner detection, ads, drafts,
UTF-16, multi-line content, hostile names, replacing on re-import, and counting properties."""

from __future__ import annotations

from datetime import datetime, timedelta
from pathlib import Path

import pytest
from evidence_files import (
    AD,
    ANN,
    BO,
    LINNEA,
    MESSAGE_GENERATIONS,
    OWNER,
    Msg,
    P,
    evidence_rows,
    load,
    messages_csv,
    write,
)
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from prune_tui.errors import BadInputFile
from prune_tui.formats.messages import fast_timestamp, split_urls
from prune_tui.services.evidence import kind_for_file_name, kind_for_header
from prune_tui.store import Database, open_database

T0 = datetime(2024, 3, 1, 9, 0, 0)


def at(minutes: int) -> datetime:
    return T0 + timedelta(minutes=minutes)


def conversation() -> list[Msg]:
    """Newest first, as LinkedIn writes them: Ann and the owner, then a group with Bo and
    Linnéa, then an ad."""
    return [
        Msg(ANN, [OWNER], at(50), "Thanks!\nSee you soon", conversation="c1"),
        Msg(OWNER, [ANN], at(40), "Here you go", conversation="c1"),
        Msg(ANN, [OWNER], at(30), "Could you send it?", conversation="c1"),
        Msg(BO, [OWNER, LINNEA], at(20), "Group hello", conversation="g1"),
        Msg(OWNER, [BO, LINNEA], at(10), "Welcome, both", conversation="g1"),
        Msg(AD, [OWNER], at(5), "Sponsored: try Premium", conversation="ad"),
    ]


def stamp(minutes: int) -> str:
    return at(minutes).strftime("%Y-%m-%dT%H:%M:%S+00:00")


@pytest.mark.parametrize("generation", ["2023", "2025"])
def test_generations_with_recipient_urls(db: Database, tmp_path: Path, generation: str) -> None:
    path = write(tmp_path, "messages.csv", messages_csv(conversation(), generation))
    summary = load(db, "messages", path)
    rows = evidence_rows(db)
    assert rows["ann-lee"]["message_count"] == 3
    assert rows["ann-lee"]["first_message_at"] == stamp(30)
    assert rows["ann-lee"]["last_message_at"] == stamp(50)
    assert rows["ann-lee"]["last_message_from"] == "them"
    # The group conversation counts for each participant, whoever wrote.
    assert rows["bo-berg"]["message_count"] == 2
    assert rows["linnéa-ström"]["message_count"] == 2
    assert rows["linnéa-ström"]["last_message_from"] == "them"
    # The owner is never evidence, the ad is ignored.
    assert "olive-owner" not in rows
    assert not any("linkedin member" in person for person in rows)
    assert summary.messages == 5
    assert db.get_setting("owner.slug") == "olive-owner"


def test_2020_generation_without_recipient_urls(db: Database, tmp_path: Path) -> None:
    """Before 2023 only the sender has a URL; recipients are names. A name seen with a URL
    (as a sender) joins that URL's evidence."""
    msgs = [
        Msg(ANN, [OWNER], at(50)),
        Msg(OWNER, [ANN], at(40)),
        Msg(OWNER, [P("Cy Quiet", "cy-quiet")], at(35)),
        Msg(BO, [OWNER], at(20)),
        Msg(AD, [OWNER], at(5)),
    ]
    path = write(tmp_path, "messages.csv", messages_csv(msgs, "2020"))
    load(db, "messages", path)
    rows = evidence_rows(db)
    assert rows["ann-lee"]["message_count"] == 2
    assert rows["ann-lee"]["last_message_from"] == "them"
    # Also under her name, for connections from exports without URLs.
    assert rows["aka:ann lee"]["message_count"] == 2
    # Cy never wrote back, so only their name is known.
    assert rows["name:cy quiet"]["message_count"] == 1
    assert rows["name:cy quiet"]["last_message_from"] == "me"
    assert not {"olive-owner", "name:olive owner", "aka:olive owner"} & set(rows)


def test_2018_generation_direction_says_who_is_me(db: Database, tmp_path: Path) -> None:
    msgs = [
        Msg(ANN, [OWNER], at(50)),
        Msg(OWNER, [ANN], at(40)),
        Msg(OWNER, [BO], at(30)),
        Msg(AD, [OWNER], at(5)),
    ]
    data = messages_csv(msgs, "2018", date_format="us")
    path = write(tmp_path, "messages.csv", data)
    summary = load(db, "messages", path)
    rows = evidence_rows(db)
    assert set(rows) == {"name:ann lee", "name:bo berg, phd"}
    assert rows["name:ann lee"]["message_count"] == 2
    assert rows["name:ann lee"]["last_message_from"] == "them"
    assert rows["name:ann lee"]["last_message_at"].startswith("2024-03-01T09:50")
    assert rows["name:bo berg, phd"]["last_message_from"] == "me"
    assert summary.messages == 3


@pytest.mark.parametrize("generation", MESSAGE_GENERATIONS)
def test_every_generation_is_recognised_by_header_and_name(generation: str) -> None:
    header = messages_csv([], generation).decode().strip().split(",")
    assert kind_for_header(header) == "messages"
    for name in ("messages.csv", "Messages.csv", "messages (1).csv", "MESSAGES.CSV"):
        assert kind_for_file_name(name) == "messages"
    assert kind_for_file_name("guide_messages.csv") is None


def test_utf16_file(db: Database, tmp_path: Path) -> None:
    path = write(tmp_path, "messages.csv", messages_csv(conversation(), encoding="utf-16"))
    load(db, "messages", path)
    rows = evidence_rows(db)
    assert rows["ann-lee"]["message_count"] == 3
    assert rows["linnéa-ström"]["message_count"] == 2


def test_owner_found_by_majority_without_any_hint(db: Database, tmp_path: Path) -> None:
    """The owner mostly receives here (recruiters write to them), yet takes part in every
    message; the busiest sender is not mistaken for them."""
    recruiter = P("Rex Recruiter", "rex")
    msgs = [Msg(recruiter, [OWNER], at(i)) for i in range(10, 20)]
    msgs += [Msg(ANN, [OWNER], at(5)), Msg(OWNER, [BO], at(3))]
    path = write(tmp_path, "messages.csv", messages_csv(msgs))
    load(db, "messages", path)
    rows = evidence_rows(db)
    assert rows["rex"]["message_count"] == 10
    assert rows["bo-berg"]["last_message_from"] == "me"
    assert "olive-owner" not in rows
    assert db.get_setting("owner.slug") == "olive-owner"


def test_owner_tie_broken_by_profile(db: Database, tmp_path: Path) -> None:
    """One correspondent: both sides are on every message. Profile.csv says who is who."""
    from evidence_files import profile_csv

    load(db, "profile", write(tmp_path, "Profile.csv", profile_csv(OWNER)))
    msgs = [Msg(ANN, [OWNER], at(2)), Msg(OWNER, [ANN], at(1))]
    load(db, "messages", write(tmp_path, "messages.csv", messages_csv(msgs)))
    rows = evidence_rows(db)
    assert "ann-lee" in rows and "olive-owner" not in rows
    assert rows["ann-lee"]["last_message_from"] == "them"


def test_owner_tie_broken_by_connections(db: Database, tmp_path: Path) -> None:
    """Without Profile.csv, the side that is one of the user's connections is not the owner
    (the archive's Connections.csv is imported first, in the same transaction)."""
    with db.write() as conn:
        conn.exec_driver_sql(
            "INSERT INTO connections (key, slug, first_name, last_name, name_key) "
            "VALUES ('zed-a', 'zed-a', 'Zed', 'A', 'zed a')"
        )
    zed = P("Zed A", "zed-a")
    msgs = [Msg(zed, [OWNER], at(2)), Msg(OWNER, [zed], at(1))]
    load(db, "messages", write(tmp_path, "messages.csv", messages_csv(msgs)))
    rows = evidence_rows(db)
    assert "zed-a" in rows and "olive-owner" not in rows
    assert db.get_setting("owner.slug") == "olive-owner"


def test_drafts_and_spam_are_not_messages(db: Database, tmp_path: Path) -> None:
    msgs = [
        Msg(OWNER, [ANN], at(9), draft=True),
        Msg(ANN, [OWNER], at(8), folder="SPAM"),
        Msg(ANN, [OWNER], at(7)),
        Msg(OWNER, [BO], at(6)),
    ]
    summary = load(db, "messages", write(tmp_path, "messages.csv", messages_csv(msgs, "2025")))
    rows = evidence_rows(db)
    assert rows["ann-lee"]["message_count"] == 1
    assert rows["ann-lee"]["last_message_at"] == stamp(7)
    assert summary.messages == 2


def test_encoded_and_decoded_urls_are_one_person(db: Database, tmp_path: Path) -> None:
    """Connections.csv percent-encodes profile URLs; messages do not. Case, a trailing slash
    and a query string do not matter either."""
    from builders import Person, write_connections

    from prune_tui.services.evidence import read_evidence
    from prune_tui.services.importer import import_path

    connections = write_connections(tmp_path, [Person("Linnéa", "Ström", "linnéa-ström")])
    import_path(db, connections)
    variant = P("Linnéa Ström", "Linnéa-Ström", "https://www.linkedin.com/in/{}/?trk=msg")
    msgs = [Msg(variant, [OWNER], at(3)), Msg(OWNER, [variant], at(2)), Msg(BO, [OWNER], at(1))]
    load(db, "messages", write(tmp_path, "messages.csv", messages_csv(msgs)))
    with db.read() as conn:
        connection_id, slug = conn.exec_driver_sql("SELECT id, slug FROM connections").one()
        assert "%" not in slug
        ev = read_evidence(conn, connection_id)
    assert ev is not None and ev.message_count == 2


def test_multiline_content_and_hostile_names(db: Database, tmp_path: Path) -> None:
    hostile = P("[bold]Eve[/bold] \x1b[31m, Esq.", "eve-hostile")
    rtl = P("محمد العربي", "mohammed-rtl")
    msgs = [
        Msg(hostile, [OWNER], at(9), 'Line one\n"quoted", commas,\n\nand =1+2'),
        Msg(OWNER, [hostile, rtl], at(8), "x" * 100_000),
        Msg(rtl, [OWNER], at(7), "مرحبا\r\nhello"),
    ]
    load(db, "messages", write(tmp_path, "messages.csv", messages_csv(msgs)))
    rows = evidence_rows(db)
    assert rows["eve-hostile"]["message_count"] == 2
    assert rows["mohammed-rtl"]["message_count"] == 2
    assert rows["aka:[bold]eve[/bold] \x1b[31m, esq."]["message_count"] == 2


def test_reimport_replaces_and_never_double_counts(db: Database, tmp_path: Path) -> None:
    path = write(tmp_path, "messages.csv", messages_csv(conversation()))
    load(db, "messages", path)
    first = evidence_rows(db)
    load(db, "messages", path)
    assert evidence_rows(db) == first
    # A later export without Bo's conversation: his messages are gone, Ann's are replaced.
    later = [m for m in conversation() if m.conversation == "c1"][:2]
    load(db, "messages", write(tmp_path, "messages2.csv", messages_csv(later)))
    rows = evidence_rows(db)
    assert rows["ann-lee"]["message_count"] == 2
    assert "bo-berg" not in rows


def test_reimport_keeps_other_evidence(db: Database, tmp_path: Path) -> None:
    with db.write() as conn:
        conn.exec_driver_sql(
            "INSERT INTO evidence (person, message_count, invited_by) VALUES ('bo-berg', 7, 'me')"
        )
    load(db, "messages", write(tmp_path, "messages.csv", messages_csv(conversation()[:3])))
    rows = evidence_rows(db)
    assert rows["bo-berg"]["message_count"] == 0
    assert rows["bo-berg"]["invited_by"] == "me"


@pytest.mark.parametrize("content", [b"", b"\xef\xbb\xbf", b"\n\n", b"\xff\xfe"])
def test_empty_file_is_absent_evidence(db: Database, tmp_path: Path, content: bytes) -> None:
    load(db, "messages", write(tmp_path, "messages.csv", messages_csv(conversation())))
    before = evidence_rows(db)
    summary = load(db, "messages", write(tmp_path, "empty.csv", content))
    assert evidence_rows(db) == before
    assert summary.messages == 0


def test_header_only_file_is_absent_evidence(db: Database, tmp_path: Path) -> None:
    load(db, "messages", write(tmp_path, "messages.csv", messages_csv(conversation())))
    before = evidence_rows(db)
    load(db, "messages", write(tmp_path, "header.csv", messages_csv([])))
    assert evidence_rows(db) == before


def test_damaged_file_is_an_error_naming_the_line(db: Database, tmp_path: Path) -> None:
    data = messages_csv(conversation()) + b"c9,,Ann Lee,https://www.linkedin.com/in/ann-lee\n"
    path = write(tmp_path, "messages.csv", data)
    with pytest.raises(BadInputFile) as caught:
        load(db, "messages", path)
    assert "messages.csv, line" in str(caught.value)
    assert evidence_rows(db) == {}


def test_split_urls_never_splits_names_or_slugs() -> None:
    assert split_urls("https://www.linkedin.com/in/a,https://www.linkedin.com/in/b") == [
        "https://www.linkedin.com/in/a",
        "https://www.linkedin.com/in/b",
    ]
    assert split_urls("https://www.linkedin.com/in/a , www.linkedin.com/in/b,c") == [
        "https://www.linkedin.com/in/a",
        "www.linkedin.com/in/b,c",
    ]


def test_fast_timestamp_agrees_with_the_parser() -> None:
    assert fast_timestamp("2024-12-16 18:24:37 UTC") == "2024-12-16T18:24:37+00:00"
    assert fast_timestamp("12/15/24, 7:47 AM") == "2024-12-15T07:47:00"
    assert fast_timestamp("not a date") is None


# -- counting, by property --------------------------------------------------------------------

OTHERS = [ANN, BO, LINNEA, P("Dee Dee", "dee"), P("Émile Zola", "émile-zola")]
URL_FORMS = [
    "https://www.linkedin.com/in/{}",
    "https://www.linkedin.com/in/{}/",
    "https://linkedin.com/in/{}?trk=abc",
]


@st.composite
def message_lists(draw: st.DrawFn) -> list[tuple[int, frozenset[int], int, int]]:
    """(sender, recipients, minute, url form) with 0 = the owner on every message."""
    minutes = draw(st.lists(st.integers(0, 10_000), min_size=1, max_size=25, unique=True))
    found = []
    for minute in minutes:
        people = draw(st.sets(st.integers(1, len(OTHERS)), min_size=1, max_size=3))
        sender = draw(st.sampled_from([0, *sorted(people)]))
        recipients = (frozenset(people) | {0}) - {sender}
        found.append((sender, recipients, minute, draw(st.integers(0, len(URL_FORMS) - 1))))
    return found


def _person(index: int, form: int) -> P:
    if index == 0:
        return OWNER
    base = OTHERS[index - 1]
    slug = base.slug.upper() if form == 1 else base.slug
    return P(base.name, slug, URL_FORMS[form])


@settings(
    max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(spec=message_lists(), generation=st.sampled_from(["2023", "2025"]))
def test_counting_matches_a_plain_model(
    tmp_path: Path, spec: list[tuple[int, frozenset[int], int, int]], generation: str
) -> None:
    spec = sorted(spec, key=lambda m: -m[2])  # newest first
    msgs = [
        Msg(_person(s, form), [_person(r, form) for r in sorted(rs)], at(minute))
        for s, rs, minute, form in spec
    ]
    expected: dict[str, dict[str, object]] = {}
    for sender, recipients, minute, _form in reversed(spec):  # oldest first
        for person in {sender} | recipients:
            if person == 0:
                continue
            slug = OTHERS[person - 1].slug
            entry = expected.setdefault(
                slug, {"message_count": 0, "first_message_at": stamp(minute)}
            )
            entry["message_count"] = int(entry["message_count"]) + 1  # type: ignore[call-overload]
            entry["last_message_at"] = stamp(minute)
            entry["last_message_from"] = "me" if sender == 0 else "them"
    db = open_database(tmp_path / f"p{abs(hash(str(spec)))}.db")
    try:
        busiest = max(int(e["message_count"]) for e in expected.values())  # type: ignore[call-overload]
        if busiest == len(spec):
            db.set_setting("owner.slug", OWNER.slug)  # a tie: as Profile.csv or a past import says
        path = write(tmp_path, f"m{abs(hash(str(spec)))}.csv", messages_csv(msgs, generation))
        for _ in range(2):  # importing twice changes nothing
            summary = load(db, "messages", path)
            assert summary.messages == len(spec)
            rows = evidence_rows(db)
            got = {
                person: {
                    k: row[k]
                    for k in (
                        "message_count",
                        "first_message_at",
                        "last_message_at",
                        "last_message_from",
                    )
                }
                for person, row in rows.items()
                if not person.startswith(("name:", "aka:"))
            }
            assert got == expected
            # A name seen with its URL (a sender, a lone recipient) carries the same evidence.
            for index, other in enumerate(OTHERS, start=1):
                paired = any(s == index or rs == {index} for s, rs, _m, _f in spec)
                name_row = rows.get(f"aka:{other.name.casefold()}")
                assert (name_row is not None) == paired
                if name_row is not None:
                    assert name_row["message_count"] == expected[other.slug]["message_count"]
    finally:
        db.close()
