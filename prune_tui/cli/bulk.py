"""`prune-tui decide` and `prune-tui undo` (docs/PRODUCT.md §3, §11): what they print, and how a
query that cannot be read becomes one line and exit 2."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, TextIO

from prune_tui.errors import UserError
from prune_tui.model import Decision
from prune_tui.services.query import QueryError
from prune_tui.text.plain import escaped_line
from prune_tui.text.queue_words import capitalised, undone_change
from prune_tui.text.words import n

if TYPE_CHECKING:
    from prune_tui.services.bulk import Preview

# "would be marked remove", "are now back to undecided"
STATE_WORDS = {
    "keep": "marked keep",
    "nurture": "marked nurture",
    "remove": "marked remove",
    "undecided": "back to undecided",
}


def printable(text: str) -> str:
    """Names come from the data: control and bidi characters are shown escaped (the one
    filter, `text.plain.HIDDEN`), on one line."""
    return escaped_line(text)


def query_problem(exc: QueryError) -> UserError:
    return UserError(f"--where: {exc}")


def decide(
    db_path: Path,
    decision_word: str,
    where: str,
    *,
    include_decided: bool,
    yes: bool,
    out: TextIO,
) -> int:
    from prune_tui.services.bulk import apply, preview
    from prune_tui.store import open_database

    decision = None if decision_word == "undecided" else Decision(decision_word)
    db = open_database(db_path, create=False)
    try:
        try:
            if not yes:
                seen = preview(db, where, decision, include_decided=include_decided)
                _print_preview(seen, decision_word, out)
                return 0
            batch = apply(db, where, decision, include_decided=include_decided)
        except QueryError as exc:
            raise query_problem(exc) from exc
    finally:
        db.close()
    query = printable(" ".join(where.split()))
    state = STATE_WORDS[decision_word]
    if batch is None:
        hint = "" if include_decided else " (--include-decided also changes people decided already)"
        print(f"Nobody matching {query} needed changing; nothing was changed{hint}.", file=out)
        return 0
    who = "person" if batch.count == 1 else "people"
    verb = "is" if batch.count == 1 else "are"
    print(
        f"{n(batch.count)} {who} matching {query} {verb} now {state}, as one change "
        "(`prune-tui undo` takes it all back).",
        file=out,
    )
    return 0


def _print_preview(seen: Preview, decision_word: str, out: TextIO) -> None:
    query = printable(seen.selection.label)
    state = STATE_WORDS[decision_word]
    who = "person" if seen.count == 1 else "people"
    print(
        f"{n(seen.count)} {who} matching {query} would be {state} ({printable(seen.scope())}).",
        file=out,
    )
    if seen.sample:
        names = ", ".join(printable(name) for name in seen.sample)
        more = seen.count - len(seen.sample)
        tail = f", and {n(more)} more" if more > 0 else ""
        print(f"For example: {names}{tail}.", file=out)
    if not seen.include_decided and seen.tally.decided:
        print("Add --include-decided to change the people decided already too.", file=out)
    if seen.count:
        print("Nothing was changed: run the same command with --yes to apply it.", file=out)


def undo(db_path: Path, out: TextIO) -> int:
    from prune_tui.services.review import Review
    from prune_tui.store import open_database

    db = open_database(db_path, create=False)
    try:
        review = Review(db)
        result = review.undo()
        if result is None:
            print("Nothing to take back.", file=out)
            return 0
        if result.batch is not None:
            from prune_tui.services.bulk import describe_undo

            print(printable(capitalised(describe_undo(result.batch))), file=out)
            return 0
        card = review.card(result.connection_id)
        name = card.full_name if card is not None else "someone no longer in the database"
    finally:
        db.close()
    took = undone_change(result.field, name, new=result.new)
    if result.field == "decision":
        took += f" (back to {result.old or 'undecided'})"
    print(f"Took back: {printable(took)}", file=out)
    if result.superseded:
        print(
            "It had been changed again since, so it was left as it is now; "
            "run undo again for the change before.",
            file=out,
        )
    return 0
