"""A small network with pending invitations, as both generations of Invitations.csv write it
(2020: no URL columns; 2023: with them), for the screening tests."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path

from builders import Person, connections_csv
from evidence_files import OWNER, Inv, P, invitations_csv

EXPORT_DAY = date(2026, 11, 20)
FOLDER = "Basic_LinkedInDataExport_11-20-2026"

ANN = P("Ann Lee", "ann-lee")  # connected; her invitation was accepted long ago
BO = P("Bo Berg", "bo-berg")  # connected; accepted my invitation
DANA = P("Dana Fox", "dana-fox")  # pending, a personal note
ELI = P("Eli Sales", "eli-sales")  # pending, a pitch
FAY = P("Fay Quiet", "fay-quiet")  # pending, no note
GUS = P("Gus Old", "gus-old")  # my invitation, 40 days before the export: stale
HANA = P("Hana New", "hana-new")  # my invitation, 5 days before: not stale yet

PERSONAL = "Great meeting you at PyCon last week, thanks for the talk on parsers!"
PITCH = "Hi! We help companies like yours grow revenue with our platform. Open to a quick call?"


@dataclass(frozen=True)
class Network:
    connections: list[Person]
    invitations: list[Inv]


def person(p: P, company: str = "Acme", connected: date = date(2020, 3, 7)) -> Person:
    first, _, last = p.name.partition(" ")
    return Person(first, last, p.slug, company=company, position="Engineer", connected=connected)


def at(days_before: int) -> datetime:
    day = date.fromordinal(EXPORT_DAY.toordinal() - days_before)
    return datetime(day.year, day.month, day.day, 9, 30)


def network() -> Network:
    return Network(
        connections=[person(ANN, "Initech"), person(BO)],
        invitations=[
            Inv(DANA, "INCOMING", at(3), PERSONAL),
            Inv(ELI, "INCOMING", at(10), PITCH),
            Inv(FAY, "INCOMING", at(30)),
            Inv(HANA, "OUTGOING", at(5), "Hi Hana, loved your talk"),
            Inv(GUS, "OUTGOING", at(40)),
            Inv(ANN, "INCOMING", datetime(2020, 3, 6, 8, 0), "Nice to meet you"),
            Inv(BO, "OUTGOING", datetime(2020, 3, 5, 8, 0)),
        ],
    )


def write_export(
    parent: Path,
    net: Network,
    generation: str = "2023",
    folder: str = FOLDER,
    *,
    invitations: bool = True,
) -> Path:
    """An unzipped export folder: Connections.csv and (unless told not to) Invitations.csv."""
    where = parent / folder
    where.mkdir(parents=True, exist_ok=True)
    connections_generation = "2023" if generation == "2023" else "2021"
    (where / "Connections.csv").write_bytes(
        connections_csv(net.connections, connections_generation)
    )
    if invitations:
        (where / "Invitations.csv").write_bytes(
            invitations_csv(net.invitations, generation, owner=OWNER)
        )
    return where
