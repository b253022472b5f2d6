"""The query language (docs/PRODUCT.md §11): each term as read, each error naming its term, and
what a query matches in the database equal to a plain-Python filter over the same people's
cards."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from population import fill

from prune_tui.model import Card
from prune_tui.services.query import (
    Context,
    Query,
    QueryError,
    Span,
    Term,
    compile_query,
    parse,
)
from prune_tui.services.review import Review
from prune_tui.store import open_database
from prune_tui.store.bulk import query_context
from prune_tui.store.database import Database
from prune_tui.text.folding import fold
from prune_tui.text.notes import note_kind


def only(text: str) -> Term:
    query = parse(text)
    assert len(query.groups) == 1 and len(query.groups[0]) == 1, query
    return query.groups[0][0]


# -- each term ---------------------------------------------------------------------------------


def test_free_words_are_folded_and_each_must_match() -> None:
    query = parse("  José   ACME ")
    assert [t.value for t in query.terms()] == ["jose", "acme"]
    assert all(t.key == "text" for t in query.terms())
    assert len(query.groups) == 2  # two words: both must match


def test_a_quoted_phrase_is_one_term() -> None:
    term = only('"Head of  Sales"')
    assert (term.key, term.value) == ("text", "head of sales")


def test_a_quoted_colon_is_text_not_a_term() -> None:
    assert only('"re:invent"') == Term("text", "re:invent", '"re:invent"')


@pytest.mark.parametrize("key", ["name", "company", "position"])
def test_text_terms(key: str) -> None:
    term = only(f'{key}:"Zürich  Re"')
    assert (term.key, term.value) == (key, "zurich re")


def test_key_names_ignore_case_and_have_aliases() -> None:
    assert only("Company:acme").key == "company"
    assert only("title:ceo").key == "position"
    assert only("last_message:2020").key == "last-message"


@pytest.mark.parametrize(
    ("text", "span"),
    [
        ("connected:<2016", Span(None, "2016-01-01")),
        ("connected:<=2016", Span(None, "2017-01-01")),
        ("connected:>2016", Span("2017-01-01", None)),
        ("connected:>=2020-06", Span("2020-06-01", None)),
        ("connected:2020-02", Span("2020-02-01", "2020-03-01")),
        ("connected:2024-02-29", Span("2024-02-29", "2024-03-01")),
        ("connected:=2019", Span("2019-01-01", "2020-01-01")),
        ("connected:2012..2014", Span("2012-01-01", "2015-01-01")),
        ("connected:2012-03..2012-04", Span("2012-03-01", "2012-05-01")),
        ("connected:2012..", Span("2012-01-01", None)),
        ("connected:..2012", Span(None, "2013-01-01")),
        ("connected:none", Span(none=True)),
        ("last-message:<2020", Span(None, "2020-01-01")),
        ("last-message:NONE", Span(none=True)),
    ],
)
def test_date_terms(text: str, span: Span) -> None:
    assert only(text).value == span


@pytest.mark.parametrize(
    ("text", "bounds"),
    [
        ("messages:0", (0, 0)),
        ("messages:>5", (6, None)),
        ("messages:>=5", (5, None)),
        ("messages:<3", (0, 2)),
        ("messages:<=3", (0, 3)),
        ("messages:1..3", (1, 3)),
        ("messages:2..", (2, None)),
    ],
)
def test_message_counts(text: str, bounds: tuple[int, int | None]) -> None:
    assert only(text).value == bounds


@pytest.mark.parametrize(
    ("text", "values"),
    [
        ("invited:me", {"me"}),
        ("invited:them", {"them"}),
        ("invited:none", {"none"}),
        ("invitation:personal", {"personal"}),
        ("invitation:pitch", {"pitch"}),
        ("invitation:none", {"none"}),
        ("decision:keep", {"keep"}),
        ("decision:keep,nurture", {"keep", "nurture"}),
        ("decision:Remove", {"remove"}),
        ("decision:undecided", {"undecided"}),
        ("status:active", {"active"}),
        ("status:gone", {"gone"}),
        ("new:yes", {"yes"}),
        ("note:no", {"no"}),
        ("removed:yes", {"yes"}),
        ("spoken:yes", {"yes"}),
        ("know-what:no", {"no"}),
        ("can-help:unanswered", {"unanswered"}),
        ("they-help:yes|no", {"yes", "no"}),
        ("answer:yes", {"yes"}),
        ("would_answer:yes", {"yes"}),
    ],
)
def test_choice_terms(text: str, values: set[str]) -> None:
    assert only(text).value == frozenset(values)


def test_negation() -> None:
    term = only("-decision:keep")
    assert term.negated and term.key == "decision"
    assert only('-"acme corp"') == Term("text", "acme corp", '-"acme corp"', negated=True)
    assert only("-acme").negated


def test_and_or_grouping() -> None:
    query = parse("company:acme or company:globex messages:0 and -note:yes")
    assert [[t.source for t in g] for g in query.groups] == [
        ["company:acme", "company:globex"],
        ["messages:0"],
        ["-note:yes"],
    ]
    assert len(parse("a OR b OR c").groups[0]) == 3


def test_a_hyphen_inside_a_word_is_text() -> None:
    term = only("anne-marie")
    assert (term.key, term.value, term.negated) == ("text", "anne-marie", False)


def test_empty_query() -> None:
    assert parse("   ").is_empty
    assert compile_query(parse("")).sql == "1"


# -- each error names its term ----------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "term", "words"),
    [
        ("acme foo:bar", "foo:bar", "no term “foo:”"),
        ("mesages:0", "mesages:0", "did you mean messages:?"),
        ("company:", "company:", "needs a value"),
        ('"acme', '"acme', "quote is not closed"),
        ('company:"acme', 'company:"acme', "quote is not closed"),
        ('""', '""', "nothing to look for"),
        ("-", "-", "needs a term"),
        ("or acme", "or", "“or” needs a term on each side"),
        ("acme or", "or", "“or” needs a term on each side"),
        ("acme or or b", "or", "“or” needs a term on each side"),
        ("connected:2016-13", "connected:2016-13", "no such date"),
        ("connected:2023-02-29", "connected:2023-02-29", "no such date"),
        ("connected:last-year", "connected:last-year", "not a date"),
        ("connected:2016..2012", "connected:2016..2012", "backwards"),
        ("connected:..", "connected:..", "at least one end"),
        ("last-message:<soon", "last-message:<soon", "not a date"),
        ("messages:some", "messages:some", "whole number"),
        ("messages:-1", "messages:-1", "whole number"),
        ("messages:5..2", "messages:5..2", "backwards"),
        ("messages:<0", "messages:<0", "fewer than 0"),
        ("invited:you", "invited:you", "one of me, them, none"),
        ("invitation:rude", "invitation:rude", "one of personal, pitch, none"),
        ("decision:maybe", "decision:maybe", "one of keep, nurture, remove, undecided"),
        ("status:away", "status:away", "one of active, gone"),
        ("new:perhaps", "new:perhaps", "one of yes, no"),
        ("note:1", "note:1", "one of yes, no"),
        ("removed:done", "removed:done", "one of yes, no"),
        ("spoken:often", "spoken:often", "one of yes, no, unanswered"),
    ],
)
def test_errors_name_the_term(text: str, term: str, words: str) -> None:
    with pytest.raises(QueryError) as caught:
        parse(text)
    assert caught.value.term == term
    assert str(caught.value).startswith(f"“{term}”: ")
    assert words in str(caught.value)
    assert not str(caught.value).startswith(f"“{term}”: {term}")  # named once


def test_messages_are_refused_when_no_messages_file_was_read() -> None:
    """Otherwise messages:0 would silently match everyone."""
    for text in ("messages:0", "last-message:<2020"):
        with pytest.raises(QueryError, match="no messages file"):
            compile_query(parse(text), Context(messages_known=False))
    compile_query(parse("company:acme"), Context(messages_known=False))


def test_invitations_are_refused_when_none_is_known() -> None:
    """Otherwise invited:none would silently match everyone."""
    for text in ("invited:none", "invitation:none", "-invited:me"):
        with pytest.raises(QueryError, match="no invitations file"):
            compile_query(parse(text), Context(invitations_known=False))


# -- the database agrees with a plain-Python filter over the cards ----------------------------


@pytest.fixture(scope="module")
def network(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[Database, list[Card]]]:
    db = open_database(Path(tmp_path_factory.mktemp("query")) / "prune.db")
    fill(db, size=120)
    review = Review(db)
    with db.read() as conn:
        ids = [int(r[0]) for r in conn.exec_driver_sql("SELECT id FROM connections ORDER BY id")]
    cards = [review.card(i) for i in ids]
    yield db, [c for c in cards if c is not None]
    db.close()


def _in_span(value: str | None, span: Span) -> bool:
    if span.none:
        return value is None
    if value is None:
        return False
    day = date.fromisoformat(value[:10])
    if span.start is not None and day < date.fromisoformat(span.start):
        return False
    return not (span.end is not None and day >= date.fromisoformat(span.end))


CRITERIA = {"spoken": 1, "know-what": 2, "can-help": 3, "they-help": 4, "answer": 5}
KINDS = {"personal": {"personal", "plain"}, "pitch": {"pitch"}, "none": {"none"}}


def holds(term: Term, card: Card) -> bool:
    """The term, judged from what the card shows, in plain Python."""
    ev = card.evidence
    key, value = term.key, term.value
    if key == "text":
        return any(value in fold(t) for t in (card.full_name, card.company, card.position))
    if key in ("name", "company", "position"):
        text = {"name": card.full_name, "company": card.company, "position": card.position}[key]
        return value in fold(text)
    if key == "connected":
        return _in_span(card.connected_on, value)
    if key == "last-message":
        return _in_span(ev.last_message_at if ev else None, value)
    if key == "messages":
        count = ev.message_count if ev else 0
        low, high = value
        return count >= low and (high is None or count <= high)
    if key == "invited":
        return ((ev.invited_by if ev else None) or "none") in value
    if key == "invitation":
        kind = note_kind(ev.invitation_message if ev else None)
        return any(kind in KINDS[v] for v in value)
    if key == "decision":
        return (card.decision.value if card.decision else "undecided") in value
    if key == "status":
        return card.status.value in value
    if key == "new":
        return ("yes" if card.is_new else "no") in value
    if key == "note":
        return ("yes" if card.note else "no") in value
    if key == "removed":
        return ("yes" if card.removed_at else "no") in value
    answer = card.criteria[CRITERIA[key]]
    return {True: "yes", False: "no", None: "unanswered"}[answer] in value


def python_filter(query: Query, cards: list[Card]) -> set[int]:
    return {
        card.id
        for card in cards
        if all(any(holds(t, card) != t.negated for t in group) for group in query.groups)
    }


def sql_filter(db: Database, query: Query) -> set[int]:
    with db.read() as conn:
        where = compile_query(query, query_context(conn))
        sql = f"SELECT c.id FROM connections c WHERE {where.sql}"
        return {int(r[0]) for r in conn.exec_driver_sql(sql, where.params)}


WORDS = ["jose", "JOSÉ", "soren", "ström", "acme", "acme corp", "café", "zurich", "de la", "o'b"]
DATES = ["2010", "2016", "2020-06", "2024-02-29", "2012..2014", "2019-03..2021"]
term_texts = st.one_of(
    st.sampled_from(WORDS).map(lambda w: f'"{w}"' if " " in w else w),
    st.tuples(st.sampled_from(["name", "company", "position"]), st.sampled_from(WORDS)).map(
        lambda kv: f'{kv[0]}:"{kv[1]}"'
    ),
    st.tuples(
        st.sampled_from(["connected", "last-message"]),
        st.sampled_from(["<", "<=", ">", ">=", ""]),
        st.sampled_from(DATES[:4]),
    ).map(lambda t: f"{t[0]}:{t[1]}{t[2]}"),
    st.tuples(
        st.sampled_from(["connected", "last-message"]), st.sampled_from([*DATES, "none"])
    ).map(lambda t: f"{t[0]}:{t[1]}"),
    st.sampled_from(["0", ">0", ">5", "<3", "1..3", "2..", "12"]).map(lambda v: f"messages:{v}"),
    st.sampled_from(["me", "them", "none", "me,none"]).map(lambda v: f"invited:{v}"),
    st.sampled_from(["personal", "pitch", "none", "pitch,none"]).map(lambda v: f"invitation:{v}"),
    st.sampled_from(["keep", "nurture", "remove", "undecided", "keep,undecided"]).map(
        lambda v: f"decision:{v}"
    ),
    st.sampled_from(["status:active", "status:gone", "new:yes", "new:no", "note:yes", "note:no"]),
    st.sampled_from(["removed:yes", "removed:no"]),
    st.tuples(
        st.sampled_from(list(CRITERIA)), st.sampled_from(["yes", "no", "unanswered", "yes,no"])
    ).map(lambda kv: f"{kv[0]}:{kv[1]}"),
)
query_texts = st.lists(
    st.tuples(st.booleans(), term_texts, st.sampled_from([" ", " ", " or "])),
    min_size=1,
    max_size=4,
).map(lambda parts: "".join(f"{'-' if neg else ''}{text}{sep}" for neg, text, sep in parts))


@settings(max_examples=300, deadline=None)
@given(text=query_texts)
def test_the_database_matches_what_the_cards_show(
    network: tuple[Database, list[Card]], text: str
) -> None:
    text = text.removesuffix(" or ").strip()
    if text.endswith(" or"):
        text = text[:-3]
    query = parse(text)
    db, cards = network
    assert sql_filter(db, query) == python_filter(query, cards)


def test_the_population_exercises_every_term(network: tuple[Database, list[Card]]) -> None:
    """Each term matches someone and leaves someone out, so the comparison above means
    something."""
    db, cards = network
    for text in [
        "jose",
        "connected:none",
        "connected:2012..2014",
        "last-message:none",
        "messages:0",
        "messages:>5",
        "invited:none",
        "invitation:pitch",
        "invitation:personal",
        "decision:undecided",
        "status:gone",
        "new:yes",
        "note:yes",
        "removed:yes",
        "spoken:unanswered",
        "answer:no",
    ]:
        matched = sql_filter(db, parse(text))
        assert 0 < len(matched) < len(cards), text


def test_the_review_reads_the_same_context_from_its_cache(
    network: tuple[Database, list[Card]],
) -> None:
    db, _cards = network
    review = Review(db)
    with db.read() as conn:
        assert review._query_context(conn) == query_context(conn)
        assert query_context(conn).new_import == 2
