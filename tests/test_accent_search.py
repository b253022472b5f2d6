"""Search minds neither case nor accents: find `/`, browse's filter and the order-and-filter
dialog all go through the review service's search."""

from __future__ import annotations

from pathlib import Path

from test_review import seed

from prune_tui.services.review import Filter, Queue, Review
from prune_tui.store.database import Database

PEOPLE = [
    ("José", "Álvarez", "Café Ñandú", "2016-03-01", "jose"),
    ("Søren", "Kierkegaard", "", "2017-03-01", "soren"),
    ("Zoë", "Ström", "Acme", "2018-03-01", "zoe"),
    ("Bob", "Plain", "Crème Brûlée Ltd", "2019-03-01", "bob"),
]


def names(rows: list[object]) -> list[str]:
    return [r.name for r in rows]  # type: ignore[attr-defined]


def test_find_is_blind_to_case_and_accents(db: Database, tmp_path: Path) -> None:
    seed(db, PEOPLE)
    review = Review(db)
    assert names(review.find("jose")) == ["José Álvarez"]
    assert names(review.find("SOREN")) == ["Søren Kierkegaard"]
    assert names(review.find("Søren")) == ["Søren Kierkegaard"]
    assert names(review.find("zoe strom")) == ["Zoë Ström"]
    assert names(review.find("creme brulee")) == ["Bob Plain"]
    assert names(review.find("nandu")) == ["José Álvarez"]


def test_queue_search_for_browse_and_the_dialog(db: Database) -> None:
    seed(db, PEOPLE)
    review = Review(db)
    queue = Queue(filter=Filter.ALL, search="alvarez")
    assert names(review.rows(queue)) == ["José Álvarez"]
    assert review.count(queue) == 1
    card = review.first_card(Queue(search="soren"))
    assert card is not None and card.first_name == "Søren"
