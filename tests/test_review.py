"""The review service: queue order and filters, decisions, criteria, notes, undo, progress."""

from __future__ import annotations

from datetime import date, datetime, timedelta, timezone
from pathlib import Path
from typing import Any

import pytest
from evidence_files import OWNER, Msg, P, load, messages_csv, write
from sqlalchemy import event

from prune_tui.model import Decision
from prune_tui.services import review as review_module
from prune_tui.services.review import CountStopped, Filter, Order, Queue, Review, pace_from
from prune_tui.store import open_database
from prune_tui.store.attribution import match_names
from prune_tui.store.database import Database
from prune_tui.store.indexes import ORDER_INDEXES, ensure_order_index, has_index
from prune_tui.text.queue_words import age

NOW = datetime(2026, 11, 20, 12, 0, tzinfo=timezone.utc)

PEOPLE = [
    # first, last, company, connected_on, slug
    ("Ada", "Lovelace", "Analytical", "2016-03-01", "ada"),
    ("Bob", "Builder", "", "2018-05-05", "bob"),
    ("Cleo", "Patra", "Nile", "2018-05-05", "cleo"),
    ("Dan", "Undated", "Acme", None, "dan"),
    ("Eve", "Newer", "Acme", "2024-01-02", "eve"),
]


def seed(
    db: Database, people: list[tuple[str, str, str, str | None, str]], import_id: int = 1
) -> None:
    with db.write() as conn:
        conn.exec_driver_sql(
            "INSERT INTO import_runs (id, file_name, sha256, kind, imported_at, counts) "
            "VALUES (?, 'Connections.csv', ?, 'connections', '2026-01-01T00:00:00+00:00', '{}') "
            "ON CONFLICT(id) DO NOTHING",
            (import_id, f"sha{import_id}"),
        )
        for first, last, company, when, slug in people:
            conn.exec_driver_sql(
                "INSERT INTO connections (key, slug, first_name, last_name, name_key, url, company,"
                " position, connected_on, first_import_id, last_import_id) "
                "VALUES (?, ?, ?, ?, ?, ?, ?, 'Engineer', ?, ?, ?)",
                (
                    slug,
                    slug,
                    first,
                    last,
                    f"{first} {last}".casefold(),
                    f"https://www.linkedin.com/in/{slug}",
                    company,
                    when,
                    import_id,
                    import_id,
                ),
            )
        conn.exec_driver_sql("UPDATE connections SET last_import_id = ?", (import_id,))


@pytest.fixture
def db(tmp_path: Path) -> Database:
    database = open_database(tmp_path / "prune.db")
    seed(database, PEOPLE)
    yield database
    database.close()


def ids_of(review: Review, db: Database, names: list[str]) -> list[int]:
    with db.read() as conn:
        return [
            conn.exec_driver_sql(
                "SELECT id FROM connections WHERE first_name = ?", (n,)
            ).scalar_one()
            for n in names
        ]


def walk(review: Review, queue: Queue) -> list[str]:
    out: list[str] = []
    card = review.first_card(queue)
    while card is not None:
        out.append(card.first_name)
        card = review.next_card(queue, card.id)
    return out


def walk_back(review: Review, queue: Queue) -> list[str]:
    out: list[str] = []
    card = review.last_card(queue)
    while card is not None:
        out.append(card.first_name)
        card = review.previous_card(queue, card.id)
    return out


@pytest.mark.parametrize(
    ("order", "expected"),
    [
        (Order.OLDEST, ["Ada", "Bob", "Cleo", "Eve", "Dan"]),
        (Order.NEWEST, ["Eve", "Cleo", "Bob", "Ada", "Dan"]),
        (Order.COMPANY, ["Dan", "Eve", "Ada", "Cleo", "Bob"]),
        (Order.NAME, ["Ada", "Bob", "Cleo", "Dan", "Eve"]),
        (Order.NEVER_MESSAGED, ["Bob", "Cleo", "Eve", "Dan", "Ada"]),
    ],
)
def test_orders_walk_forward_and_back(db: Database, order: Order, expected: list[str]) -> None:
    with db.write() as conn:
        conn.exec_driver_sql("INSERT INTO evidence (person, message_count) VALUES ('ada', 3)")
        conn.exec_driver_sql("INSERT INTO evidence (person, message_count) VALUES ('bob', 0)")
    review = Review(db, clock=lambda: NOW)
    queue = Queue(order=order, filter=Filter.ALL)
    assert walk(review, queue) == expected
    assert walk_back(review, queue) == list(reversed(expected))


def test_decision_is_saved_and_next_card_skips_decided(db: Database) -> None:
    review = Review(db, clock=lambda: NOW)
    queue = Queue()
    first = review.first_card(queue)
    assert first is not None and first.first_name == "Ada"
    review.record_decision(first.id, Decision.KEEP)
    after = review.next_or_wrap(queue, first.id)
    assert after is not None and after.first_name == "Bob"
    card = review.card(first.id)
    assert card is not None
    assert card.decision is Decision.KEEP
    assert card.decided_at == "2026-11-20T12:00:00+00:00"
    assert walk(review, queue) == ["Bob", "Cleo", "Eve", "Dan"]
    assert walk(review, Queue(filter=Filter.KEEP)) == ["Ada"]


def test_skipped_cards_come_back_after_the_end(db: Database) -> None:
    review = Review(db, clock=lambda: NOW)
    queue = Queue()
    last = review.last_card(queue)
    assert last is not None and last.first_name == "Dan"
    assert review.next_card(queue, last.id) is None
    wrapped = review.next_or_wrap(queue, last.id)
    assert wrapped is not None and wrapped.first_name == "Ada"


def test_search_and_new_filters(db: Database) -> None:
    seed(db, [("Zed", "Fresh", "Acme", "2026-10-01", "zed")], import_id=2)
    review = Review(db, clock=lambda: NOW)
    assert walk(review, Queue(filter=Filter.NEW)) == ["Zed"]
    assert review.card(ids_of(review, db, ["Zed"])[0]).is_new  # type: ignore[union-attr]
    assert not review.card(ids_of(review, db, ["Ada"])[0]).is_new  # type: ignore[union-attr]
    assert walk(review, Queue(filter=Filter.ALL, search="acme")) == ["Eve", "Zed", "Dan"]
    assert walk(review, Queue(filter=Filter.ALL, search="LOVE")) == ["Ada"]
    assert walk(review, Queue(filter=Filter.ALL, search="100%")) == []
    assert [r.name for r in review.find("cle")] == ["Cleo Patra"]


def test_first_import_is_not_new(db: Database) -> None:
    review = Review(db, clock=lambda: NOW)
    assert walk(review, Queue(filter=Filter.NEW)) == []


def test_undo_many_levels_across_a_restart(tmp_path: Path) -> None:
    path = tmp_path / "prune.db"
    db = open_database(path)
    seed(db, PEOPLE)
    review = Review(db, clock=lambda: NOW)
    ada, bob = ids_of(review, db, ["Ada", "Bob"])
    review.record_decision(ada, Decision.KEEP)
    review.record_decision(ada, Decision.REMOVE)
    assert review.toggle_criterion(bob, 1) is True
    assert review.toggle_criterion(bob, 1) is False
    review.set_note(bob, "met at PyCon")
    review.set_removed(ada, True)
    db.close()

    db = open_database(path)
    review = Review(db, clock=lambda: NOW)
    steps = [review.undo() for _ in range(6)]
    fields = [s.field for s in steps if s]
    assert fields == ["removed", "note", "criterion:1", "criterion:1", "decision", "decision"]
    assert review.undo() is None
    a = review.card(ada)
    b = review.card(bob)
    assert a is not None and b is not None
    assert a.decision is None and a.decided_at is None and a.removed_at is None
    assert b.note == "" and b.criteria[1] is None
    db.close()


def test_undo_restores_the_earlier_decision_and_its_time(db: Database) -> None:
    times = iter([NOW, NOW + timedelta(minutes=1)])
    review = Review(db, clock=lambda: next(times))
    (ada,) = ids_of(review, db, ["Ada"])
    review.record_decision(ada, Decision.KEEP)
    review.record_decision(ada, Decision.NURTURE)
    result = review.undo()
    assert result is not None and (result.old, result.new) == ("keep", "nurture")
    card = review.card(ada)
    assert card is not None and card.decision is Decision.KEEP
    assert card.decided_at == "2026-11-20T12:00:00+00:00"


def test_criteria_cycle_and_note(db: Database) -> None:
    review = Review(db, clock=lambda: NOW)
    (ada,) = ids_of(review, db, ["Ada"])
    assert [review.toggle_criterion(ada, 3) for _ in range(3)] == [True, False, None]
    review.toggle_criterion(ada, 5)
    review.set_note(ada, "line one\nline two")
    card = review.card(ada)
    assert card is not None
    assert card.criteria == {1: None, 2: None, 3: None, 4: None, 5: True}
    assert card.note == "line one\nline two"
    with pytest.raises(ValueError):
        review.toggle_criterion(ada, 6)


def test_evidence_by_slug_or_name(db: Database) -> None:
    with db.write() as conn:
        conn.exec_driver_sql(
            "INSERT INTO evidence (person, message_count, last_message_from, invited_by) "
            "VALUES ('cleo', 4, 'them', 'me')"
        )
        conn.exec_driver_sql("UPDATE connections SET slug = NULL WHERE first_name = 'Dan'")
        conn.exec_driver_sql(
            "INSERT INTO evidence (person, message_count) VALUES ('name:dan undated', 2)"
        )
        match_names(conn)  # as every import does
    review = Review(db, clock=lambda: NOW)
    cleo, dan, ada = ids_of(review, db, ["Cleo", "Dan", "Ada"])
    ev = review.card(cleo).evidence  # type: ignore[union-attr]
    assert ev is not None and ev.message_count == 4 and ev.invited_by == "me"
    assert review.card(dan).evidence.message_count == 2  # type: ignore[union-attr]
    assert review.card(ada).evidence is None  # type: ignore[union-attr]


def test_evidence_filed_by_name_fills_the_card_and_the_never_messaged_order(
    db: Database, tmp_path: Path
) -> None:
    # A 2018 messages.csv has no URLs: Cleo's messages are filed under her name, not her slug.
    cleo = P("Cleo Patra")
    msgs = [Msg(cleo, [OWNER], datetime(2025, 3, 4, 10)), Msg(OWNER, [cleo], datetime(2025, 3, 5))]
    load(db, "messages", write(tmp_path, "messages.csv", messages_csv(msgs, generation="2018")))
    review = Review(db, clock=lambda: NOW)
    cleo_id, bob_id = ids_of(review, db, ["Cleo", "Bob"])
    ev = review.card(cleo_id).evidence  # type: ignore[union-attr]
    assert ev is not None and ev.message_count == 2 and ev.last_message_from == "me"
    # Once a messages file was read, no row at all means "never messaged", not "unknown".
    bob = review.card(bob_id).evidence  # type: ignore[union-attr]
    assert bob is not None and bob.message_count == 0 and bob.messages_known
    queue = Queue(order=Order.NEVER_MESSAGED, filter=Filter.ALL)
    assert walk(review, queue) == ["Ada", "Bob", "Eve", "Dan", "Cleo"]
    assert walk_back(review, queue) == ["Cleo", "Dan", "Eve", "Bob", "Ada"]
    # The browse table pages through the same order.
    assert [r.name.split()[0] for r in review.rows(queue, limit=3)] == ["Ada", "Bob", "Eve"]
    rest = review.rows(queue, after=review.rows(queue, limit=3)[-1].id)
    assert [r.name.split()[0] for r in rest] == ["Dan", "Cleo"]


def test_queue_and_current_card_persist(db: Database) -> None:
    review = Review(db, clock=lambda: NOW)
    queue = Queue(order=Order.NEWEST, filter=Filter.UNDECIDED, search="")
    review.save_queue(queue)
    cleo = ids_of(review, db, ["Cleo"])[0]
    review.remember_current(cleo)
    again = Review(db, clock=lambda: NOW)
    assert again.load_queue() == queue
    card = again.resume(queue)
    assert card is not None and card.id == cleo
    again.record_decision(cleo, Decision.REMOVE)
    # Cleo no longer belongs in "undecided": the card that followed her, not the queue's first.
    resumed = again.resume(queue)
    assert resumed is not None and resumed.first_name == "Bob"


def test_progress_counts_and_pace(db: Database) -> None:
    clock = [NOW]
    review = Review(db, clock=lambda: clock[0])
    ids = ids_of(review, db, ["Ada", "Bob", "Cleo", "Dan"])
    for connection_id, decision in zip(
        ids, [Decision.KEEP, Decision.NURTURE, Decision.REMOVE, Decision.KEEP], strict=False
    ):
        review.record_decision(connection_id, decision)
        clock[0] += timedelta(seconds=10)
    progress = review.progress()
    assert (progress.stats.keep, progress.stats.nurture, progress.stats.remove) == (2, 1, 1)
    assert progress.stats.undecided == 1 and progress.dunbar == 3
    assert progress.pace is not None
    assert progress.pace.per_minute == pytest.approx(6.0)
    assert progress.pace.minutes_left == pytest.approx(1 / 6)


def test_pace_ignores_breaks_and_needs_a_few_decisions() -> None:
    stamps = [
        "2026-11-20T12:10:00+00:00",
        "2026-11-20T12:09:30+00:00",
        "2026-11-20T12:09:00+00:00",
        "2026-11-20T11:00:00+00:00",  # a break of over an hour
        "2026-11-20T10:59:30+00:00",
    ]
    pace = pace_from(stamps, undecided=30)
    assert pace is not None and pace.per_minute == pytest.approx(2.0)
    assert pace.minutes_left == pytest.approx(15.0)
    assert pace_from(stamps[:2], undecided=30) is None


def test_age_in_words() -> None:
    today = date(2026, 11, 20)
    assert age("2017-03-01", today) == "9 years"
    assert age("2025-11-21", today) == "11 months"
    assert age("2026-11-01", today) == "19 days"
    assert age("2026-11-20", today) == "today"
    assert age(None, today) == ""
    assert age("2025-11-20", today) == "1 year"


def test_browse_rows_page_in_queue_order(db: Database) -> None:
    review = Review(db, clock=lambda: NOW)
    queue = Queue(filter=Filter.ALL)
    first = review.rows(queue, limit=2)
    assert [r.name for r in first] == ["Ada Lovelace", "Bob Builder"]
    rest = review.rows(queue, after=first[-1].id, limit=10)
    assert [r.name for r in rest] == ["Cleo Patra", "Eve Newer", "Dan Undated"]
    assert review.count(queue) == 5


def test_count_with_a_parameterised_filter(db: Database) -> None:
    review = Review(db, clock=lambda: NOW)
    review.record_decision(ids_of(review, db, ["Bob"])[0], Decision.KEEP)
    assert review.count(Queue(filter=Filter.KEEP)) == 1
    assert review.count(Queue(filter=Filter.ALL, search="acme")) == 2


def _statements(db: Database) -> list[tuple[str, Any]]:
    """Every SELECT on connections that `db` runs from now on."""
    seen: list[tuple[str, Any]] = []

    @event.listens_for(db.engine, "before_cursor_execute")
    def grab(_c: Any, _cur: Any, statement: str, parameters: Any, *_rest: Any) -> None:
        if statement.startswith("SELECT") and "FROM connections c" in statement:
            seen.append((statement, parameters))

    return seen


def _assert_every_lookup_uses_an_index(db: Database, order: Order) -> None:
    """Walking `order` forwards and back, over the queue and everyone, never sorts or scans."""
    seen = _statements(db)
    review = Review(db, clock=lambda: NOW)
    for queue in (Queue(order=order), Queue(order=order, filter=Filter.ALL)):
        card = review.first_card(queue)
        for _ in range(5):
            card = review.next_card(queue, card.id)  # type: ignore[union-attr]
        review.previous_card(queue, card.id)  # type: ignore[union-attr]
        review.last_card(queue)
        review.rows(queue, after=card.id, limit=20)  # type: ignore[union-attr]
    assert len(seen) > 10
    with db.read() as conn:
        for statement, parameters in dict(seen).items():
            plan = " | ".join(
                row[-1]
                for row in conn.exec_driver_sql(f"EXPLAIN QUERY PLAN {statement}", parameters)
            )
            assert "TEMP B-TREE" not in plan, (statement, plan)
            assert "SCAN c" not in plan or "INDEX" in plan, (statement, plan)  # no full scan


@pytest.mark.parametrize("order", [Order.COMPANY, Order.NAME])
def test_company_and_name_orders_build_their_index_when_first_chosen(
    tmp_path: Path, order: Order
) -> None:
    db = open_database(tmp_path / "prune.db")
    companies = ["Acme", "Globex", "", "Initech", "Hooli"]
    seed(
        db,
        [
            (f"P{i:03d}", f"Q{i % 7}", companies[i % 5], f"20{10 + i % 15}-01-01", f"p{i}")
            for i in range(300)
        ],
    )
    index = ORDER_INDEXES[order.value][0]
    assert not has_index(db, index)  # an import never pays for it
    review = Review(db, clock=lambda: NOW)
    review.save_queue(Queue(order=order))
    assert has_index(db, index)
    assert not ensure_order_index(db, order.value)  # built once, kept

    # A later session that loads the order finds (or rebuilds) the index too.
    with db.write() as conn:
        conn.exec_driver_sql(f"DROP INDEX {index}")
    queue = Review(db, clock=lambda: NOW).load_queue()
    assert queue.order is order and has_index(db, index)

    _assert_every_lookup_uses_an_index(db, order)
    db.close()


@pytest.mark.parametrize("order", [Order.OLDEST, Order.NEWEST, Order.NEVER_MESSAGED])
def test_date_orders_walk_the_index_every_import_builds(tmp_path: Path, order: Order) -> None:
    db = open_database(tmp_path / "prune.db")
    seed(
        db,
        [(f"P{i:03d}", f"Q{i % 7}", "Acme", f"20{10 + i % 15}-01-01", f"p{i}") for i in range(300)],
    )
    assert not ensure_order_index(db, order.value)  # needs no index of its own
    _assert_every_lookup_uses_an_index(db, order)
    db.close()


def test_a_count_stops_at_once_when_the_app_closes(
    db: Database, monkeypatch: pytest.MonkeyPatch
) -> None:
    review = Review(db, clock=lambda: NOW)
    assert review.progress().stats.total == 5
    real_stats_on = review_module.stats_on

    def closing_while_counting(conn: Any) -> Any:
        review.stop_counting()  # from the app's thread, while SQLite counts
        return real_stats_on(conn)

    monkeypatch.setattr(review_module, "COUNT_CHECK_STEPS", 1)
    monkeypatch.setattr(review_module, "stats_on", closing_while_counting)
    with pytest.raises(CountStopped):
        review.progress()
    with pytest.raises(CountStopped):
        review.progress()  # nor does a later one start
    # The connection goes back to the pool without the stop check: other reads still work.
    assert [r.name for r in review.rows(Queue(filter=Filter.ALL), limit=2)] == [
        "Ada Lovelace",
        "Bob Builder",
    ]


# -- two windows on one database -------------------------------------------------------------


@pytest.fixture
def two_windows(tmp_path: Path) -> Any:
    path = tmp_path / "prune.db"
    first = open_database(path)
    seed(first, PEOPLE)
    second = open_database(path)
    yield Review(first, clock=lambda: NOW), Review(second, clock=lambda: NOW)
    first.close()
    second.close()


def test_a_decision_shown_stale_is_never_overwritten(two_windows: Any) -> None:
    a, b = two_windows
    (ada,) = ids_of(a, a.db, ["Ada"])
    shown_in_b = b.card(ada)
    assert shown_in_b is not None and shown_in_b.decision is None
    a.record_decision(ada, Decision.KEEP, expected=None)
    with pytest.raises(review_module.ChangedElsewhere) as caught:
        b.record_decision(ada, Decision.REMOVE, expected=shown_in_b.decision)
    assert caught.value.now == "keep"
    assert b.card(ada).decision is Decision.KEEP  # type: ignore[union-attr]
    # Seen now as keep, the change goes through.
    b.record_decision(ada, Decision.REMOVE, expected=Decision.KEEP)
    assert a.card(ada).decision is Decision.REMOVE  # type: ignore[union-attr]
    # The same decision made in both windows is no conflict.
    a.record_decision(ada, Decision.REMOVE, expected=Decision.KEEP)


def test_criteria_and_notes_shown_stale_are_not_overwritten(two_windows: Any) -> None:
    a, b = two_windows
    (ada,) = ids_of(a, a.db, ["Ada"])
    assert a.toggle_criterion(ada, 2, expected=None) is True
    with pytest.raises(review_module.ChangedElsewhere) as caught:
        b.toggle_criterion(ada, 2, expected=None)
    assert caught.value.now == "1"
    assert b.toggle_criterion(ada, 2, expected=True) is False
    a.set_note(ada, "from a", expected="")
    with pytest.raises(review_module.ChangedElsewhere):
        b.set_note(ada, "from b", expected="")
    assert b.card(ada).note == "from a"  # type: ignore[union-attr]


def test_undo_takes_back_this_windows_changes_only(two_windows: Any) -> None:
    a, b = two_windows
    ada, bob, cleo = ids_of(a, a.db, ["Ada", "Bob", "Cleo"])
    a.record_decision(ada, Decision.KEEP)
    b.record_decision(bob, Decision.REMOVE)
    a.toggle_criterion(cleo, 1)
    b.record_decision(cleo, Decision.NURTURE)
    steps = [a.undo(), a.undo()]
    assert [(s.connection_id, s.field) for s in steps if s] == [
        (cleo, "criterion:1"),
        (ada, "decision"),
    ]
    # Nothing of a's own is left, and b's changes came after a opened: a leaves them alone.
    assert a.undo() is None
    assert b.card(bob).decision is Decision.REMOVE  # type: ignore[union-attr]
    assert b.card(cleo).decision is Decision.NURTURE  # type: ignore[union-attr]
    step = b.undo()
    assert step is not None and (step.connection_id, step.field) == (cleo, "decision")


def test_after_a_restart_undo_goes_back_through_earlier_changes(tmp_path: Path) -> None:
    path = tmp_path / "prune.db"
    db = open_database(path)
    seed(db, PEOPLE)
    ada, bob = ids_of(Review(db), db, ["Ada", "Bob"])
    Review(db, clock=lambda: NOW).record_decision(ada, Decision.KEEP)
    later = Review(db, clock=lambda: NOW)  # a new session, no change of its own yet
    later.record_decision(bob, Decision.REMOVE)
    assert [s.connection_id for s in (later.undo(), later.undo()) if s] == [bob, ada]
    db.close()


def test_undo_leaves_a_change_made_again_elsewhere(two_windows: Any) -> None:
    a, b = two_windows
    (ada,) = ids_of(a, a.db, ["Ada"])
    a.record_decision(ada, Decision.KEEP)
    b.record_decision(ada, Decision.REMOVE, expected=Decision.KEEP)
    step = a.undo()
    assert step is not None and step.superseded and step.now == "remove"
    assert "changed in another window" in step.describe("Ada")
    assert a.card(ada).decision is Decision.REMOVE  # type: ignore[union-attr]
    assert a.undo() is None


# -- no longer connected ---------------------------------------------------------------------


def test_people_no_longer_connected_have_a_filter_and_are_in_everyone(db: Database) -> None:
    with db.write() as conn:
        conn.exec_driver_sql(
            "UPDATE connections SET status = 'gone', decision = 'keep' WHERE first_name = 'Bob'"
        )
    review = Review(db, clock=lambda: NOW)
    assert walk(review, Queue(filter=Filter.GONE)) == ["Bob"]
    assert review.count(Queue(filter=Filter.GONE)) == 1
    assert Filter.GONE.label == "no longer connected"
    for order in Order:
        everyone = Queue(order=order, filter=Filter.ALL)
        names = walk(review, everyone)
        assert names[-1] == "Bob" and sorted(names) == ["Ada", "Bob", "Cleo", "Dan", "Eve"]
        assert walk_back(review, everyone) == list(reversed(names))
        assert [r.name.split()[0] for r in review.rows(everyone)] == names
    assert review.count(Queue(filter=Filter.ALL)) == 5
    assert walk(review, Queue(filter=Filter.KEEP)) == []  # the other filters: still connected
    rows = {r.name: r for r in review.rows(Queue(filter=Filter.ALL))}
    assert rows["Bob Builder"].gone and not rows["Ada Lovelace"].gone


def test_browse_rows_carry_the_evidence(db: Database) -> None:
    with db.write() as conn:
        conn.exec_driver_sql(
            "INSERT INTO evidence (person, message_count, last_message_at, invited_by) "
            "VALUES ('cleo', 23, '2024-03-04T10:00:00+00:00', 'them')"
        )
        conn.exec_driver_sql("UPDATE connections SET slug = NULL WHERE first_name = 'Dan'")
        conn.exec_driver_sql(
            "INSERT INTO evidence (person, message_count, invited_by) "
            "VALUES ('name:dan undated', 2, 'me')"
        )
        match_names(conn)  # as every import does
    review = Review(db, clock=lambda: NOW)
    rows = {r.name.split()[0]: r for r in review.rows(Queue(filter=Filter.ALL))}
    cleo, dan, ada = rows["Cleo"], rows["Dan"], rows["Ada"]
    assert (cleo.message_count, cleo.last_message_at, cleo.invited_by) == (
        23,
        "2024-03-04T10:00:00+00:00",
        "them",
    )
    assert (dan.message_count, dan.invited_by) == (2, "me")
    assert ada.message_count == 0 and not ada.messages_known
