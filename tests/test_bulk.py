"""Decisions by rule (docs/PRODUCT.md §11): a preview that changes nothing, one batch applied in
one transaction, people decided one by one left alone unless asked, and one undo that restores
exactly what was there before. Also `prune-tui decide`, `undo` and `export --where`."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from population import fill

from prune_tui.cli.commands import main
from prune_tui.model import Decision
from prune_tui.services import bulk
from prune_tui.services.nurture import Nurture
from prune_tui.services.query import QueryError
from prune_tui.services.review import Review
from prune_tui.store import bulk as store
from prune_tui.store import open_database
from prune_tui.store.database import Database

ERROR = "prune-tui: error: "


@pytest.fixture
def network(db_path: Path) -> Iterator[Database]:
    db = open_database(db_path)
    fill(db, size=120)
    yield db
    db.close()


def snapshot(db: Database) -> dict[str, Any]:
    """Everything a decision by rule may touch, and what it must not."""
    with db.read() as conn:
        return {
            table: conn.exec_driver_sql(f"SELECT * FROM {table} ORDER BY 1, 2").all()
            for table in ("connections", "criteria", "removals", "evidence", "settings")
        } | {
            "history": conn.exec_driver_sql(
                "SELECT * FROM history WHERE batch_id IS NULL ORDER BY id"
            ).all()
        }


def decisions(db: Database) -> dict[int, str | None]:
    with db.read() as conn:
        return dict(conn.exec_driver_sql("SELECT id, decision FROM connections").all())  # type: ignore[arg-type]


def matching(db: Database, text: str, *, active_only: bool = True) -> set[int]:
    with db.read() as conn:
        selection = bulk.query_selection(conn, text)
        return set(store.matching_ids(conn, selection.where))


def test_a_preview_changes_nothing_and_counts_what_apply_changes(network: Database) -> None:
    before = snapshot(network)
    seen = bulk.preview(network, "messages:0", Decision.REMOVE)
    assert snapshot(network) == before
    assert seen.count > 0 and seen.tally.decided > 0
    assert 0 < len(seen.sample) <= bulk.SAMPLE
    assert seen.question() == f"Remove {seen.count:,} people matching messages:0?"
    assert "undecided people only" in seen.scope()
    batch = bulk.apply(network, "messages:0", Decision.REMOVE)
    assert batch is not None and batch.count == seen.count


def test_rules_change_undecided_people_still_connected_only(network: Database) -> None:
    before = decisions(network)
    with network.read() as conn:
        status = dict(conn.exec_driver_sql("SELECT id, status FROM connections").all())
    who = matching(network, "messages:0")
    batch = bulk.apply(network, "messages:0", Decision.KEEP)
    assert batch is not None
    after = decisions(network)
    changed = {i for i in after if after[i] != before[i]}
    assert changed == {i for i in who if before[i] is None}
    assert all(status[i] == "active" for i in changed)
    assert all(after[i] == "keep" for i in changed)
    assert batch.count == len(changed)


def test_include_decided_changes_everyone_matching(network: Database) -> None:
    before = decisions(network)
    who = matching(network, "company:acme")
    batch = bulk.apply(network, "company:acme", Decision.NURTURE, include_decided=True)
    after = decisions(network)
    assert batch is not None
    assert {i for i in after if after[i] != before[i]} == {i for i in who if before[i] != "nurture"}


def test_a_query_naming_a_status_reaches_people_no_longer_connected(network: Database) -> None:
    with network.read() as conn:
        gone = {
            int(r[0])
            for r in conn.exec_driver_sql(
                "SELECT id FROM connections WHERE status = 'gone' AND decision IS NULL"
            )
        }
    assert gone
    bulk.apply(network, "status:gone", Decision.REMOVE)
    after = decisions(network)
    assert all(after[i] == "remove" for i in gone)


@settings(max_examples=25, deadline=None)
@given(
    text=st.sampled_from(
        ["messages:0", "company:acme", "connected:<2016", "spoken:no or answer:no", "jose"]
    ),
    decision=st.sampled_from([Decision.KEEP, Decision.NURTURE, Decision.REMOVE, None]),
    include=st.booleans(),
)
def test_one_undo_restores_exactly_what_was_there(
    tmp_path_factory: pytest.TempPathFactory, text: str, decision: Decision | None, include: bool
) -> None:
    db = open_database(tmp_path_factory.mktemp("undo") / "prune.db")
    try:
        fill(db, size=60)
        review = Review(db)
        review.record_decision(1, Decision.KEEP)  # a change one by one before the rule
        before = snapshot(db)
        batch = review.decide_matching(text, decision, include_decided=include)
        if batch is None:
            assert snapshot(db) == before
            return
        assert snapshot(db) != before
        result = review.undo()
        assert result is not None and result.batch is not None
        assert result.batch.restored == batch.count
        assert snapshot(db) == before
        with db.read() as conn:
            assert store.batch(conn, batch.id) == store.Batch(**{**batch.__dict__, "undone": True})
        # The next undo is the change made one by one before the rule.
        again = review.undo()
        assert again is not None and again.batch is None and again.connection_id == 1
    finally:
        db.close()


def test_a_rule_that_changes_nobody_is_not_recorded(network: Database) -> None:
    assert bulk.apply(network, "company:nobody-works-here", Decision.REMOVE) is None
    with network.read() as conn:
        assert store.batches(conn, include_undone=True) == []


def test_undo_leaves_people_decided_again_since(network: Database) -> None:
    review = Review(network)
    batch = review.decide_matching("messages:0", Decision.REMOVE, include_decided=False)
    assert batch is not None and batch.first_history_id is not None
    with network.read() as conn:
        someone = conn.exec_driver_sql(
            "SELECT connection_id FROM history WHERE id = ?", (batch.first_history_id,)
        ).scalar_one()
    other = Review(network)  # another window decides one of them again
    other.record_decision(someone, Decision.KEEP)
    result = review.undo()
    assert result is not None and result.batch is not None
    assert result.batch.changed_since == 1
    assert result.batch.restored == batch.count - 1
    assert decisions(network)[someone] == "keep"
    assert "decided again since" in result.describe("")


def test_a_batch_is_described_with_its_rule_and_day(network: Database) -> None:
    review = Review(network)
    batch = review.decide_matching("messages:0", Decision.REMOVE, include_decided=False)
    assert batch is not None
    from datetime import date

    text = bulk.describe_batch(batch, date(2026, 1, 1))
    assert text.startswith(f"{batch.count:,} removed by rule messages:0 on ")
    result = review.undo()
    assert result is not None
    assert result.describe("").startswith("Took back: ")


def test_marked_people_are_decided_as_one_batch(network: Database) -> None:
    review = Review(network)
    with network.read() as conn:
        ids = [
            int(r[0])
            for r in conn.exec_driver_sql(
                "SELECT id FROM connections WHERE decision IS NULL LIMIT 3"
            )
        ]
    selection = bulk.ids_selection(ids)
    seen = bulk.preview(network, selection, Decision.REMOVE)
    assert seen.count == 3
    assert seen.question() == "Remove the 3 marked people?"
    batch = review.decide_matching(selection, Decision.REMOVE, include_decided=False)
    assert batch is not None and batch.count == 3
    assert all(decisions(network)[i] == "remove" for i in ids)
    assert "as marked" in bulk.describe_batch(batch)


def test_rules_need_a_query(network: Database) -> None:
    with pytest.raises(QueryError, match="say who"):
        bulk.preview(network, "  ", Decision.REMOVE)


def test_pace_counts_decisions_made_one_by_one_only(network: Database) -> None:
    review = Review(network)
    bulk.apply(network, "messages:0", Decision.REMOVE)
    assert review.pace(10) is None  # hundreds of rows in one second are not a pace


# -- the command line -------------------------------------------------------------------------


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    captured = capsys.readouterr()
    return code, captured.out, captured.err


def test_decide_is_a_dry_run_without_yes(
    network: Database, db_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    before = snapshot(network)
    code, out, err = run(capsys, "decide", "remove", "--where", "messages:0", "--db", str(db_path))
    assert (code, err) == (0, "")
    assert snapshot(network) == before
    seen = bulk.preview(network, "messages:0", Decision.REMOVE)
    lines = out.splitlines()
    assert lines[0].startswith(f"{seen.count:,} people matching messages:0 would be marked remove")
    assert lines[1].startswith("For example: " + ", ".join(seen.sample))
    assert "--include-decided" in out and "--yes" in out


def test_decide_yes_then_undo(
    network: Database, db_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    before = snapshot(network)
    seen = bulk.preview(network, "messages:0", Decision.REMOVE)
    code, out, err = run(
        capsys, "decide", "remove", "--where", "messages:0", "--yes", "--db", str(db_path)
    )
    assert (code, err) == (0, "")
    assert out.startswith(f"{seen.count:,} people matching messages:0 are now marked remove")
    code, out, _ = run(capsys, "stats", "--json", "--db", str(db_path))
    assert json.loads(out)["remove"] >= seen.count
    code, out, _ = run(capsys, "stats", "--db", str(db_path))
    assert f"\n  {seen.count:,} removed by rule messages:0 on " in out
    code, out, err = run(capsys, "undo", "--db", str(db_path))
    assert (code, err) == (0, "")
    assert out.startswith(f"Took back: {seen.count:,} removed by rule messages:0 on ")
    assert snapshot(network) == before
    code, out, _ = run(capsys, "stats", "--db", str(db_path))
    assert "by rule" not in out


def test_undo_takes_back_a_single_change_and_then_says_nothing_is_left(
    db_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    db = open_database(db_path)
    fill(db, size=5)
    Review(db).record_decision(2, Decision.NURTURE)
    name = Review(db).card(2)
    db.close()
    assert name is not None
    code, out, _ = run(capsys, "undo", "--db", str(db_path))
    assert code == 0 and out.startswith(
        f"Took back: “nurture” for {name.full_name} (back to undecided)"
    )
    code, out, _ = run(capsys, "undo", "--db", str(db_path))
    assert (code, out) == (0, "Nothing to take back.\n")


def test_undo_names_a_nurture_change_and_an_answer_in_words(
    db_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    db = open_database(db_path)
    fill(db, size=5)
    review = Review(db)
    review.record_decision(2, Decision.NURTURE)
    review.toggle_criterion(3, 2)
    Nurture(review).cycle_cadence(2, expected=91)  # from the quarter nurture starts with
    name, other = review.card(2), review.card(3)
    db.close()
    assert name is not None and other is not None
    code, out, _ = run(capsys, "undo", "--db", str(db_path))
    assert code == 0 and out == f"Took back: the cadence change for {name.full_name}\n"
    code, out, _ = run(capsys, "undo", "--db", str(db_path))
    assert out == f"Took back: criterion 2 for {other.full_name}\n"


@pytest.mark.parametrize(
    ("argv", "words"),
    [
        (["decide", "remove", "--where", "foo:bar"], "--where: “foo:bar”: there is no term"),
        (["decide", "remove", "--where", ""], "say who"),
        (["decide", "maybe", "--where", "acme"], "invalid choice"),
        (["decide", "remove"], "--where"),
        (["export", "--where", "messages:lots"], "--where: “messages:lots”"),
    ],
)
def test_bad_queries_exit_2_with_one_line(
    network: Database,
    db_path: Path,
    capsys: pytest.CaptureFixture[str],
    argv: list[str],
    words: str,
) -> None:
    before = snapshot(network)
    code, out, err = run(capsys, *argv, "--db", str(db_path))
    assert code == 2 and out == ""
    lines = err.splitlines()
    assert len(lines) == 1 and lines[0].startswith(ERROR) and words in lines[0], err
    assert snapshot(network) == before


def test_export_where_and_only_both_apply(
    network: Database, db_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code, out, _ = run(
        capsys,
        "export",
        "--only",
        "all",
        "--format",
        "json",
        "--where",
        "company:acme -decision:keep",
        "--db",
        str(db_path),
    )
    assert code == 0
    rows = json.loads(out)
    assert rows and all("acme" in r["company"].casefold() for r in rows)
    assert all(r["decision"] != "keep" for r in rows)
    with network.read() as conn:
        expected = conn.exec_driver_sql(
            "SELECT count(*) FROM connections WHERE company LIKE '%acme%' "
            "AND decision IS NOT 'keep'"
        ).scalar_one()
    assert len(rows) == expected
    code, out, _ = run(
        capsys,
        "export",
        "--only",
        "remove",
        "--format",
        "csv",
        "--where",
        "company:acme",
        "--db",
        str(db_path),
    )
    assert code == 0
    body = out.splitlines()[1:]
    with network.read() as conn:
        expected = conn.exec_driver_sql(
            "SELECT count(*) FROM connections WHERE company LIKE '%acme%' "
            "AND decision = 'remove' AND status = 'active'"
        ).scalar_one()
    assert len(body) == expected > 0


def test_a_queue_is_a_selection_too(network: Database) -> None:
    from prune_tui.services.review import Filter, Queue

    review = Review(network)
    everyone = review.selection(Queue(filter=Filter.ALL, search="messages:0"))
    assert everyone.label == "messages:0"
    with network.read() as conn:
        assert set(store.matching_ids(conn, everyone.where)) == matching(network, "messages:0")
    undecided = review.selection(Queue(filter=Filter.UNDECIDED, search="company:acme"))
    assert undecided.label == "company:acme, still to decide"
    with network.read() as conn:
        ids = set(store.matching_ids(conn, undecided.where))
    assert ids == {i for i in matching(network, "company:acme") if decisions(network)[i] is None}
    assert set(review.matching_ids(Queue(filter=Filter.UNDECIDED, search="company:acme"))) == ids
    gone = review.selection(Queue(filter=Filter.ALL, search="status:gone"))
    with network.read() as conn:
        assert set(store.matching_ids(conn, gone.where)) == matching(network, "status:gone")


def test_decide_yes_when_nobody_needs_changing(
    network: Database, db_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    argv = ["decide", "keep", "--where", "decision:keep", "--yes", "--db", str(db_path)]
    code, out, err = run(capsys, *argv)
    assert (code, err) == (0, "")
    assert out.startswith("Nobody matching decision:keep needed changing; nothing was changed")
    with network.read() as conn:
        assert store.batches(conn, include_undone=True) == []


def test_marks_name_their_query_until_a_row_is_toggled(network: Database) -> None:
    from prune_tui.services.review import Filter, Queue

    review = Review(network)
    queue = Queue(filter=Filter.ALL, search="company:acme")
    marks = bulk.Marks()
    marks.mark_all(review.matching_ids(queue), queue)
    assert marks.selection(review).label == "company:acme"
    some = next(iter(marks.ids))
    assert some in marks
    assert marks.toggle(some) is False and some not in marks
    selection = marks.selection(review)
    assert not selection.is_query and selection.marked == len(marks)
    with network.read() as conn:
        assert set(store.matching_ids(conn, selection.where)) == marks.ids
    assert marks.toggle(some) is True
    marks.clear()
    assert len(marks) == 0 and marks.queue is None
