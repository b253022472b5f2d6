"""Case and accents never matter where a user types (docs/PRODUCT.md §11)."""

from __future__ import annotations

from pathlib import Path

import pytest

from prune_tui.store import open_database
from prune_tui.text.folding import fold


@pytest.mark.parametrize(
    ("typed", "stored"),
    [
        ("jose", "José"),
        ("soren", "Søren"),
        ("muller", "Müller"),
        ("lukasz", "Łukasz"),
        ("strasse", "Straße"),
        ("zoe", "ZOË"),
        ("anna kowalski", "  Anna   Kowalski "),
    ],
)
def test_typed_text_meets_stored_text(typed: str, stored: str) -> None:
    assert fold(typed) == fold(stored)


def test_fold_keeps_scripts_without_accents() -> None:
    assert fold("Дмитрий") == "дмитрий"
    assert fold("李 小龙") == "李 小龙"
    assert fold(None) == fold("") == ""


def test_sqlite_knows_fold(db_path: Path) -> None:
    db = open_database(db_path)
    try:
        with db.read() as conn:
            got = conn.exec_driver_sql("SELECT fold('Søren Kierkegård')").scalar_one()
        assert got == "soren kierkegard"
    finally:
        db.close()
