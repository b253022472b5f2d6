"""The suggestion weighs criteria and evidence together, always gives its reason, and only
ever offers a decision."""

from __future__ import annotations

from dataclasses import replace
from datetime import date, datetime
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from prune_tui.model import Card, Decision, Evidence, Status, Suggestion
from prune_tui.services.suggest import NO_FACTS, suggest
from prune_tui.text.notes import note_kind

TODAY = date(2026, 11, 21)
PITCH = "Hi! We help companies like yours grow revenue with our platform. Open to a quick call?"


def card(criteria: dict[int, bool | None] | None = None, evidence: Evidence | None = None) -> Card:
    answers: dict[int, bool | None] = dict.fromkeys(range(1, 6), None)
    answers.update(criteria or {})
    return Card(
        id=1,
        first_name="Ann",
        last_name="Lee",
        url="https://www.linkedin.com/in/ann-lee",
        email="",
        company="Acme",
        position="Engineer",
        connected_on="2017-05-01",
        status=Status.ACTIVE,
        decision=None,
        decided_at=None,
        note="",
        criteria=answers,
        evidence=evidence,
    )


def test_never_messaged_and_a_pitch() -> None:
    ev = Evidence(message_count=0, invited_by="them", invitation_message=PITCH)
    assert suggest(card(evidence=ev), TODAY) == Suggestion(
        Decision.REMOVE, "never messaged; they invited you with a pitch → remove?"
    )


def test_recent_conversation_and_quick_answer_suggests_keep() -> None:
    ev = Evidence(message_count=23, last_message_at="2026-03-02T10:00:00", last_message_from="them")
    hint = suggest(card({5: True}, ev), TODAY)
    assert hint.decision is Decision.KEEP
    assert hint.reason == "they would answer within 48 hours; 23 messages, last Mar 2026 → keep?"


def test_spoken_and_can_help_suggests_nurture() -> None:
    hint = suggest(card({1: True, 3: True, 4: True}), TODAY)
    assert hint == Suggestion(
        Decision.NURTURE, "you can help each other; you have spoken → nurture?"
    )


def test_old_messages_and_personal_invitation_suggest_nurture() -> None:
    ev = Evidence(
        message_count=4,
        last_message_at="2019-01-01T00:00:00",
        last_message_from="me",
        invited_by="them",
        invitation_message="Great meeting you at the summit!",
        recommendations_received=1,
    )
    hint = suggest(card(evidence=ev), TODAY)
    assert hint.decision is Decision.NURTURE
    assert hint.reason == (
        "they recommended you; 4 messages, last Jan 2019; "
        "they invited you with a personal note; though silent for over 3 years → nurture?"
    )


def test_criteria_alone_can_suggest_remove() -> None:
    hint = suggest(card({1: False, 2: False, 5: False}), TODAY)
    assert hint.decision is Decision.REMOVE
    assert hint.reason.startswith("you have never spoken; ")
    assert hint.reason.endswith(" → remove?")


def test_a_reason_against_is_named_too() -> None:
    ev = Evidence(message_count=0, invited_by="them", invitation_message=PITCH)
    hint = suggest(card({2: True}, ev), TODAY)
    assert hint.decision is Decision.REMOVE
    assert hint.reason == (
        "never messaged; they invited you with a pitch; though you know what they do → remove?"
    )


def test_unanswered_single_message_is_not_a_conversation() -> None:
    ev = Evidence(message_count=1, last_message_at="2026-01-01", last_message_from="them")
    hint = suggest(card({5: True}, ev), TODAY)
    assert hint.decision is not Decision.KEEP
    assert "they wrote once and you never replied" in hint.reason


def test_a_quick_answer_outweighs_everything_against() -> None:
    ev = Evidence(message_count=0, invited_by="them", invitation_message=PITCH)
    hint = suggest(card({1: True, 2: False, 3: False, 4: False, 5: True}, ev), TODAY)
    assert hint.decision is None
    assert hint.reason.endswith("→ your call")


def test_balanced_facts_leave_it_to_the_user() -> None:
    ev = Evidence(message_count=0, invited_by="me")
    hint = suggest(card({2: True}, ev), TODAY)
    assert hint.decision is None
    assert hint.reason.endswith(" → your call")
    assert "never messaged" in hint.reason


def test_no_messages_file_means_no_claim_about_messages() -> None:
    ev = Evidence(invited_by="them", invitation_message=PITCH, messages_known=False)
    hint = suggest(card(evidence=ev), TODAY)
    assert "never messaged" not in hint.reason
    assert hint.reason.startswith("they invited you with a pitch")


def test_nothing_known_asks_for_the_criteria() -> None:
    assert suggest(card(), TODAY) == Suggestion(None, NO_FACTS)


@pytest.mark.parametrize(
    ("note", "kind"),
    [
        (None, "none"),
        ("   ", "none"),
        ("Great meeting you at the summit!", "personal"),
        ("Thanks for the talk on caching yesterday", "personal"),
        (PITCH, "pitch"),
        ("I help founders scale your business. Book a 15 min call", "pitch"),
        ("Hi Ann, I'd like to join your network.", "plain"),
    ],
)
def test_note_kinds(note: str | None, kind: str) -> None:
    assert note_kind(note) == kind


answers = st.sampled_from([True, False, None])
evidences = st.one_of(
    st.none(),
    st.builds(
        Evidence,
        message_count=st.integers(0, 500),
        last_message_at=st.one_of(
            st.none(), st.dates().map(lambda d: d.isoformat()), st.text(max_size=12)
        ),
        last_message_from=st.sampled_from([None, "me", "them"]),
        invited_by=st.sampled_from([None, "me", "them"]),
        invitation_message=st.one_of(st.none(), st.text(max_size=80), st.just(PITCH)),
        endorsements_given=st.integers(0, 5),
        endorsements_received=st.integers(0, 5),
        recommendations_given=st.integers(0, 2),
        recommendations_received=st.integers(0, 2),
        messages_known=st.booleans(),
    ),
)


@given(crit=st.fixed_dictionaries({n: answers for n in range(1, 6)}), ev=evidences)
def test_always_a_reason_never_a_decision_made(
    crit: dict[int, bool | None], ev: Evidence | None
) -> None:
    c = card(crit, ev)
    hint = suggest(c, TODAY)
    assert hint.reason
    assert hint.decision is None or isinstance(hint.decision, Decision)
    if hint.reason != NO_FACTS:
        verdict = f"{hint.decision.value}?" if hint.decision else "your call"
        assert hint.reason.endswith(f" → {verdict}")
    # Only offered: the card is untouched and the same card gets the same suggestion.
    assert c.decision is None
    assert suggest(replace(c), TODAY) == hint
    # Who would answer within 48 hours is never suggested for removal.
    if crit[5] is True:
        assert hint.decision is not Decision.REMOVE


def test_people_no_longer_connected_are_never_nudged_out() -> None:
    """A gone connection has nobody to remove; a kept one may be worth reconnecting."""
    gone = replace(
        card({1: False, 2: False, 3: False}, Evidence(message_count=0, invited_by="them")),
        status=Status.GONE,
    )
    hint = suggest(gone, TODAY)
    assert hint.decision is None
    assert "no longer connected" in hint.reason
    kept = suggest(replace(gone, decision=Decision.KEEP), TODAY)
    assert kept.decision is None and "reconnect" in kept.reason


# Invitation notes as people write them (the first one is the note from the bug report).
REAL_PITCHES = [
    "I'd love to pitch you our product",
    "Hi Sam, I'd love to show you a quick demo of our product - 15 minutes next week?",
    "Hello! We help SaaS companies double their pipeline. Open to a quick call?",
    "Hi there, I have an exciting opportunity I think you'd be perfect for.",
    "Hey, let's hop on a call - I can offer you a free consultation for your sales team.",
    "Our startup just launched a tool that saves engineering teams hours. Can I send a 15-minute"
    " walkthrough?",
]
REAL_PERSONAL = [
    "Great meeting you at PyCon yesterday, let's stay in touch!",
    "Loved your talk on the pitch deck workshop - thanks for the tips",
    "Congrats on the new role! Would love to catch up sometime.",
    "We worked together at Acme back in 2015, remember the demo day?",
]


@pytest.mark.parametrize("note", REAL_PITCHES)
def test_real_pitches_are_pitches_and_the_suggestion_says_so(note: str) -> None:
    assert note_kind(note) == "pitch"
    ev = Evidence(message_count=0, invited_by="them", invitation_message=note)
    hint = suggest(card(evidence=ev), TODAY)
    assert hint.decision is Decision.REMOVE
    assert hint.reason.endswith("they invited you with a pitch → remove?")


@pytest.mark.parametrize("note", REAL_PERSONAL)
def test_real_personal_notes_are_personal(note: str) -> None:
    assert note_kind(note) == "personal"
    ev = Evidence(message_count=0, invited_by="them", invitation_message=note)
    assert "they invited you with a personal note" in suggest(card(evidence=ev), TODAY).reason


def test_a_pitch_from_the_export_reaches_the_card_suggestion(tmp_path: Path) -> None:
    """From Invitations.csv through the import to the card's suggestion."""
    from builders import Person, write_connections
    from evidence_files import OWNER, Inv, Msg, P, invitations_csv, messages_csv, write

    from prune_tui.services.importer import import_path
    from prune_tui.services.review import Review
    from prune_tui.store import open_database

    write_connections(tmp_path, [Person("Pat", "Seller", "pat-seller")])
    inv = Inv(P("Pat Seller", "pat-seller"), "INCOMING", datetime(2024, 5, 1), REAL_PITCHES[0])
    write(tmp_path, "Invitations.csv", invitations_csv([inv]))
    other = P("Olga Other", "olga")
    write(tmp_path, "messages.csv", messages_csv([Msg(OWNER, [other], datetime(2024, 1, 1))]))
    db = open_database(tmp_path / "p.db")
    try:
        import_path(db, tmp_path)
        review = Review(db)
        shown = review.first_card(review.load_queue())
        assert shown is not None
        assert suggest(shown, TODAY).reason == (
            "never messaged; they invited you with a pitch → remove?"
        )
    finally:
        db.close()
