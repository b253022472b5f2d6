"""Nurture (docs/PRODUCT.md §12): cadences, touches, snoozes, due dates, undo, and a newer export's
messages moving last contact forward by themselves."""

from __future__ import annotations

import time
from collections.abc import Iterator
from datetime import date, datetime, timedelta, timezone
from pathlib import Path

import pytest
from evidence_files import OWNER, Msg, P, messages_csv, write
from hypothesis import given
from hypothesis import strategies as st

from prune_tui.model import Decision
from prune_tui.services.importer import describe_summary, import_path
from prune_tui.services.nurture import (
    CADENCES,
    NURTURE_DEFAULT,
    Nurture,
    due_on,
    due_words,
    effective_cadence,
    local_day,
    next_cadence,
)
from prune_tui.services.review import ChangedElsewhere, Review
from prune_tui.store import open_database
from prune_tui.store.database import Database

NOW = datetime(2026, 11, 20, 12, 0, tzinfo=timezone.utc)
TODAY = date(2026, 11, 20)

PEOPLE = [("Ada", "Lovelace", "ada"), ("Bob", "Builder", "bob"), ("Cleo", "Patra", "cleo")]


@pytest.fixture(autouse=True)
def _utc(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """Calendar days are the user's local days: these tests pin the zone to UTC."""
    monkeypatch.setenv("TZ", "UTC")
    time.tzset()
    yield
    monkeypatch.undo()
    time.tzset()


def seed(db: Database) -> dict[str, int]:
    with db.write() as conn:
        conn.exec_driver_sql(
            "INSERT INTO import_runs (id, file_name, sha256, kind, imported_at, counts) "
            "VALUES (1, 'Connections.csv', 'x', 'connections', '2026-01-01T00:00:00+00:00', '{}')"
        )
        for first, last, slug in PEOPLE:
            conn.exec_driver_sql(
                "INSERT INTO connections (key, slug, first_name, last_name, name_key, url, "
                "company, position, connected_on, first_import_id, last_import_id) "
                "VALUES (?, ?, ?, ?, ?, ?, 'Acme', 'Engineer', '2020-01-01', 1, 1)",
                (
                    slug,
                    slug,
                    first,
                    last,
                    f"{first} {last}".casefold(),
                    f"https://www.linkedin.com/in/{slug}",
                ),
            )
        return {
            slug: int(cid) for cid, slug in conn.exec_driver_sql("SELECT id, slug FROM connections")
        }


@pytest.fixture
def people(db: Database) -> dict[str, int]:
    return seed(db)


def services(db: Database, clock: list[datetime]) -> tuple[Review, Nurture]:
    review = Review(db, clock=lambda: clock[0])
    return review, Nurture(review)


def test_cadence_choices_and_defaults() -> None:
    assert list(CADENCES) == [14, 30, 91, 182, 365]
    assert effective_cadence(Decision.NURTURE, None) == NURTURE_DEFAULT == 91
    assert effective_cadence(Decision.KEEP, None) is None
    assert effective_cadence(Decision.KEEP, 30) == 30
    assert effective_cadence(Decision.NURTURE, 0) is None  # none, chosen
    assert effective_cadence(Decision.REMOVE, 30) is None
    assert effective_cadence(None, 30) is None
    seen = [None]
    for _ in range(6):
        seen.append(next_cadence(seen[-1]))
    assert seen == [None, 14, 30, 91, 182, 365, None]


def test_due_words() -> None:
    assert due_words(TODAY + timedelta(days=12), TODAY) == "due in 12 days"
    assert due_words(TODAY + timedelta(days=1), TODAY) == "due tomorrow"
    assert due_words(TODAY, TODAY) == "due today"
    assert due_words(TODAY - timedelta(days=40), TODAY) == "overdue by 40 days"
    assert due_words(TODAY - timedelta(days=1), TODAY) == "overdue by 1 day"


def test_never_in_touch_is_due_at_once(db: Database, people: dict[str, int]) -> None:
    review, nurture = services(db, [NOW])
    review.record_decision(people["ada"], Decision.NURTURE)
    ada = nurture.person(people["ada"])
    assert ada is not None
    assert ada.cadence_days == 91
    assert ada.last_contact_at is None
    assert ada.due_on(TODAY) == TODAY
    assert ada.summary(TODAY) == "every quarter · never in touch · due today"
    assert [p.first_name for p in nurture.due_people()] == ["Ada"]
    # Keep has no cadence unless set; remove never has one.
    review.record_decision(people["bob"], Decision.KEEP)
    review.record_decision(people["cleo"], Decision.REMOVE)
    assert [p.first_name for p in nurture.people()] == ["Ada"]


def test_cadence_touch_snooze_and_undo(db: Database, people: dict[str, int]) -> None:
    clock = [NOW]
    review, nurture = services(db, clock)
    ada = people["ada"]
    review.record_decision(ada, Decision.NURTURE)
    assert nurture.cycle_cadence(ada, expected=91) == 182
    assert nurture.cycle_cadence(ada, expected=182) == 365
    assert nurture.cycle_cadence(ada, expected=365) is None  # none: off every list
    assert nurture.people() == []
    assert nurture.cycle_cadence(ada, expected=None) == 14
    with pytest.raises(ChangedElsewhere):
        nurture.cycle_cadence(ada, expected=91)  # the card showed something else

    touch = nurture.log_touch(ada, "  coffee,   talked about\nher move to Berlin ")
    assert touch.note == "coffee, talked about her move to Berlin"
    person = nurture.person(ada)
    assert person is not None
    assert person.last_contact_at == "2026-11-20T12:00:00+00:00"
    assert person.due_on(TODAY) == TODAY + timedelta(days=14)
    assert nurture.due_people() == []

    clock[0] = NOW + timedelta(days=20)  # six days overdue
    later = TODAY + timedelta(days=20)
    assert nurture.today() == later
    assert [p.id for p in nurture.due_people()] == [ada]
    until = nurture.snooze(ada)
    assert until == later + timedelta(days=7)
    assert nurture.due_people() == []
    assert nurture.person(ada).due_on(later) == until  # type: ignore[union-attr]

    # Undo takes back the snooze, then the touch, then each cadence step, newest first.
    result = review.undo()
    assert result is not None and result.field == "snooze"
    assert result.describe("Ada") == "Undid the snooze for Ada"
    assert [p.id for p in nurture.due_people()] == [ada]
    result = review.undo()
    assert result is not None and result.field == "touch"
    assert nurture.touches(ada) == []
    assert nurture.person(ada).last_contact_at is None  # type: ignore[union-attr]
    result = review.undo()
    assert result is not None and result.field == "cadence"
    assert nurture.person(ada).cadence_days is None  # type: ignore[union-attr]
    for expected in (365, 182, 91):
        review.undo()
        assert nurture.person(ada).cadence_days == expected  # type: ignore[union-attr]


def test_undo_survives_a_restart(db: Database, people: dict[str, int]) -> None:
    review, nurture = services(db, [NOW])
    review.record_decision(people["bob"], Decision.KEEP)
    nurture.cycle_cadence(people["bob"], expected=None)
    nurture.log_touch(people["bob"], "lunch")
    again = Review(db, clock=lambda: NOW)
    assert again.undo().field == "touch"  # type: ignore[union-attr]
    assert again.undo().field == "cadence"  # type: ignore[union-attr]
    assert Nurture(again).people() == []


def test_a_touch_from_another_window_is_not_undone_from_here(
    db: Database, people: dict[str, int]
) -> None:
    one, nurture_one = services(db, [NOW])
    _two, nurture_two = services(db, [NOW])
    one.record_decision(people["ada"], Decision.NURTURE)
    nurture_one.log_touch(people["ada"], "mine")
    nurture_two.log_touch(people["ada"], "theirs")
    result = one.undo()
    assert result is not None and result.superseded
    assert [t.note for t in nurture_one.touches(people["ada"])] == ["theirs", "mine"]


def test_gone_people_have_no_cadence(db: Database, people: dict[str, int]) -> None:
    review, nurture = services(db, [NOW])
    review.record_decision(people["ada"], Decision.NURTURE)
    with db.write() as conn:
        conn.exec_driver_sql("UPDATE connections SET status = 'gone' WHERE slug = 'ada'")
    assert nurture.people() == []


def _messages(tmp_path: Path, name: str, msgs: list[Msg]) -> Path:
    return write(tmp_path, name, messages_csv(msgs, "2023"))


ADA = P("Ada Lovelace", "ada")
BOB = P("Bob Builder", "bob")


def test_a_newer_exports_messages_move_last_contact_forward(
    db: Database, people: dict[str, int], tmp_path: Path
) -> None:
    review, nurture = services(db, [NOW])
    review.record_decision(people["ada"], Decision.NURTURE)
    review.record_decision(people["bob"], Decision.NURTURE)
    first = _messages(
        tmp_path,
        "messages.csv",
        [
            Msg(OWNER, [ADA], datetime(2026, 3, 14, 9, 0)),
            Msg(BOB, [OWNER], datetime(2026, 1, 2, 9, 0)),
        ],
    )
    summary = import_path(db, first)
    assert summary.in_touch == 0  # the first messages file: nothing to compare with
    ada = nurture.person(people["ada"])
    assert ada is not None
    assert ada.last_contact_at == "2026-03-14T09:00:00+00:00"
    assert ada.due_on(TODAY) == date(2026, 3, 14) + timedelta(days=91)
    assert ada.summary(TODAY) == ("every quarter · last contact 14 Mar 2026 · overdue by 160 days")

    folder = tmp_path / "newer"
    folder.mkdir()
    newer = _messages(
        folder,
        "messages.csv",
        [
            Msg(ADA, [OWNER], datetime(2026, 11, 1, 18, 30), conversation="c2"),
            Msg(OWNER, [ADA], datetime(2026, 3, 14, 9, 0)),
            # Bob's conversation is missing from this file: his last contact stays.
        ],
    )
    summary = import_path(db, newer)
    assert summary.in_touch == 1
    assert "1 nurtured person was in touch since the last export" in describe_summary(summary)
    ada = nurture.person(people["ada"])
    bob = nurture.person(people["bob"])
    assert ada is not None and bob is not None
    assert ada.due_on(TODAY) == date(2026, 11, 1) + timedelta(days=91)
    assert bob.last_contact_at == "2026-01-02T09:00:00+00:00"


def test_calendar_days_are_local(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("TZ", "Pacific/Auckland")
    time.tzset()
    # 20:00 UTC on 1 March is already 2 March in Auckland.
    assert local_day("2026-03-01T20:00:00+00:00") == date(2026, 3, 2)
    assert due_on("2026-03-01T20:00:00+00:00", 14, None, TODAY) == date(2026, 3, 16)


# -- due dates over generated histories -------------------------------------------------------

EVENT = st.one_of(
    st.tuples(st.just("cadence"), st.integers(0, 3)),
    st.tuples(st.just("touch"), st.integers(0, 3)),
    st.tuples(st.just("snooze"), st.integers(0, 3)),
    st.tuples(st.just("wait"), st.integers(1, 60)),
    st.tuples(st.just("undo"), st.integers(0, 3)),
)


@given(
    decision=st.sampled_from([Decision.KEEP, Decision.NURTURE]),
    message_days=st.lists(st.integers(1, 400), max_size=2),
    history=st.lists(EVENT, max_size=12),
)
def test_due_is_last_contact_plus_cadence_never_before_a_snooze(
    tmp_path_factory: pytest.TempPathFactory,
    decision: Decision,
    message_days: list[int],
    history: list[tuple[str, int]],
) -> None:
    db = open_database(tmp_path_factory.mktemp("h") / "prune.db")
    try:
        ids = seed(db)
        person = ids["ada"]
        clock = [NOW]
        review, nurture = services(db, clock)
        review.record_decision(person, decision)
        messages = [NOW - timedelta(days=d) for d in message_days]
        if messages:
            with db.write() as conn:
                conn.exec_driver_sql(
                    "INSERT INTO evidence (person, message_count, last_message_at) "
                    "VALUES ('ada', 1, ?)",
                    (max(messages).isoformat(),),
                )
        touches: list[datetime] = []
        snoozes: list[date] = []
        shown = effective_cadence(decision, None)
        for kind, value in history:
            if kind == "cadence":
                shown = nurture.cycle_cadence(person, expected=shown)
            elif kind == "touch":
                nurture.log_touch(person)
                touches.append(clock[0])
            elif kind == "snooze":
                snoozes.append(nurture.snooze(person, value + 1))
            elif kind == "wait":
                clock[0] += timedelta(days=value)
            else:
                result = review.undo()
                if result is None or result.field == "decision":
                    break  # the decision itself: the history under test ends here
                if result.field == "touch":
                    touches.pop()
                elif result.field == "snooze":
                    snoozes.pop()
                else:
                    state = nurture.person(person)
                    assert state is not None
                    shown = state.cadence_days
            today = clock[0].date()
            state = nurture.person(person)
            assert state is not None
            assert state.cadence_days == shown
            due = state.due_on(today)
            if shown is None:
                assert due is None
                continue
            last = max([*messages, *touches], default=None)
            expected = today if last is None else last.date() + timedelta(days=shown)
            if snoozes:
                assert due is not None and due >= snoozes[-1]
                expected = max(expected, snoozes[-1])
            assert due == expected
            # The list and the export agree with the card.
            assert state.is_due(today) == (person in [p.id for p in nurture.due_people()])
        # So does the backup, which works the due day out in SQL.
        import io
        import json

        from prune_tui.services.backup import export_json

        out = io.StringIO()
        today = clock[0].date()
        export_json(db, out, today=today)
        (ada,) = [i for i in json.loads(out.getvalue()) if i["first_name"] == "Ada"]
        state = nurture.person(person)
        assert state is not None
        due = state.due_on(today)
        assert ada["due_on"] == (due.isoformat() if due else None)
        assert ada["last_contact_at"] == state.last_contact_at
        assert ada["cadence_days"] == state.cadence_days
    finally:
        db.close()


def test_backup_carries_nurture_and_restore_brings_it_back(
    db: Database, people: dict[str, int], tmp_path: Path
) -> None:
    import io
    import json

    from prune_tui.services.backup import export_json

    clock = [NOW - timedelta(days=30)]
    review, nurture = services(db, clock)
    review.record_decision(people["ada"], Decision.NURTURE)
    review.record_decision(people["bob"], Decision.KEEP)
    review.record_decision(people["cleo"], Decision.NURTURE)
    nurture.cycle_cadence(people["bob"], expected=None)  # every 2 weeks
    nurture.log_touch(people["bob"], "lunch; talked, at length")
    clock[0] = NOW
    nurture.log_touch(people["ada"], "coffee")
    for _ in range(3):  # quarter → half-year → year → none
        nurture.cycle_cadence(people["cleo"], expected=nurture.person(people["cleo"]).cadence_days)  # type: ignore[union-attr]
    nurture.snooze(people["bob"])

    out = io.StringIO()
    export_json(db, out, today=TODAY)
    items = {item["first_name"]: item for item in json.loads(out.getvalue())}
    ada, bob, cleo = items["Ada"], items["Bob"], items["Cleo"]
    assert ada["cadence_days"] == 91
    assert ada["last_contact_at"] == NOW.isoformat()
    assert ada["due_on"] == (TODAY + timedelta(days=91)).isoformat()
    assert ada["touches"] == [{"at": NOW.isoformat(), "note": "coffee"}]
    assert bob["cadence_days"] == 14
    assert bob["due_on"] == (TODAY + timedelta(days=7)).isoformat()  # snoozed a week
    assert bob["snoozed_until"] == bob["due_on"]
    assert cleo["cadence_days"] is None and cleo["due_on"] is None
    # The export says what the app says.
    for person in nurture.people():
        item = items[person.first_name]
        assert item["due_on"] == person.due_on(TODAY).isoformat()  # type: ignore[union-attr]
        assert item["last_contact_at"] == person.last_contact_at

    backup = tmp_path / "backup.json"
    backup.write_text(out.getvalue())
    restored = open_database(tmp_path / "restored.db")
    try:
        import_path(restored, backup)
        again = io.StringIO()
        export_json(restored, again, today=TODAY)
        assert json.loads(again.getvalue()) == json.loads(out.getvalue())
        cleo_now = Nurture(Review(restored, clock=lambda: NOW)).people()
        assert sorted(p.first_name for p in cleo_now) == ["Ada", "Bob"]  # Cleo: none, kept
    finally:
        restored.close()


def test_a_backup_with_bad_nurture_keys_is_refused(tmp_path: Path) -> None:
    import json

    from prune_tui.errors import BadInputFile

    db = open_database(tmp_path / "x.db")
    try:
        for bad in (
            {"cadence_days": "often"},
            {"cadence_days": -3},
            {"snoozed_until": "next week"},
            {"touches": [{"at": 5}]},
            {"touches": "coffee"},
        ):
            path = tmp_path / "bad.json"
            item = {"first_name": "A", "last_name": "B", "url": "", "decision": "nurture", **bad}
            path.write_text(json.dumps([item]))
            with pytest.raises(BadInputFile):
                import_path(db, path)
    finally:
        db.close()


def test_stats_show_the_circle_and_the_kept_warm_share(
    db: Database, people: dict[str, int], capsys: pytest.CaptureFixture[str]
) -> None:
    import json

    from prune_tui.cli.commands import main
    from prune_tui.services.insights import gather

    clock = [datetime.now(timezone.utc) - timedelta(days=100)]
    review, nurture = services(db, clock)
    for slug in ("ada", "bob"):
        review.record_decision(people[slug], Decision.NURTURE)
    review.record_decision(people["cleo"], Decision.KEEP)
    nurture.log_touch(people["bob"])  # 100 days ago: past a quarter
    clock[0] = datetime.now(timezone.utc)
    nurture.log_touch(people["ada"])  # today: warm
    insights = gather(db)
    assert insights.stats.dunbar == 3
    circle = insights.circle
    assert circle is not None
    assert (circle.with_cadence, circle.due, circle.nurtured, circle.kept_warm) == (2, 1, 2, 1)

    assert main(["stats", "--json", "--db", str(db.path)]) == 0
    figures = json.loads(capsys.readouterr().out)
    assert figures["dunbar"] == 3 and figures["dunbar_limit"] == 150
    assert figures["circle"] == {
        "with_cadence": 2,
        "due": 1,
        "nurtured_with_cadence": 2,
        "kept_warm": 1,
        "kept_warm_share": 0.5,
    }
    assert main(["stats", "--db", str(db.path)]) == 0
    out = capsys.readouterr().out
    assert (
        "Kept warm: 1 of 2 nurtured people in touch within their cadence (50%); "
        "1 person to reach out to now" in out
    )


@pytest.mark.parametrize("zone", ["Pacific/Auckland", "America/Los_Angeles", "UTC"])
def test_the_backup_counts_the_same_local_days(
    db: Database, people: dict[str, int], monkeypatch: pytest.MonkeyPatch, zone: str
) -> None:
    import io
    import json

    from prune_tui.services.backup import export_json

    monkeypatch.setenv("TZ", zone)
    time.tzset()
    late = datetime(2026, 3, 1, 20, 0, tzinfo=timezone.utc)  # 2 March in Auckland
    early = datetime(2026, 3, 2, 3, 0, tzinfo=timezone.utc)  # 1 March in Los Angeles
    review, nurture = services(db, [late])
    review.record_decision(people["ada"], Decision.NURTURE)
    review.record_decision(people["bob"], Decision.NURTURE)
    nurture.log_touch(people["ada"])
    Nurture(Review(db, clock=lambda: early)).log_touch(people["bob"])
    out = io.StringIO()
    export_json(db, out, today=TODAY)
    items = {i["first_name"]: i for i in json.loads(out.getvalue())}
    for name, slug, moment in (("Ada", "ada", late), ("Bob", "bob", early)):
        expected = moment.astimezone().date() + timedelta(days=91)
        assert items[name]["due_on"] == expected.isoformat()
        person = nurture.person(people[slug])
        assert person is not None and person.due_on(TODAY) == expected
