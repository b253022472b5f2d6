"""messages.csv, Invitations.csv, endorsement, recommendation and Profile.csv files of every
generation, written from the facts in docs/PRODUCT.md §4, plus helpers to load them in tests."""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any

from prune_tui.formats.tables import Source
from prune_tui.services.evidence import import_evidence
from prune_tui.store import Database
from prune_tui.store.attribution import match_names
from prune_tui.text.summary import ImportSummary

MESSAGE_HEADERS = {
    # 2018: no URLs; Direction says whose message it is.
    "2018": ["From", "To", "Date", "Subject", "Content", "Direction", "Folder"],
    # 2019–2022: the sender's URL only.
    "2020": [
        "CONVERSATION ID",
        "CONVERSATION TITLE",
        "FROM",
        "SENDER PROFILE URL",
        "TO",
        "DATE",
        "SUBJECT",
        "CONTENT",
        "FOLDER",
    ],
    "2023": [
        "CONVERSATION ID",
        "CONVERSATION TITLE",
        "FROM",
        "SENDER PROFILE URL",
        "TO",
        "RECIPIENT PROFILE URLS",
        "DATE",
        "SUBJECT",
        "CONTENT",
        "FOLDER",
        "ATTACHMENTS",
    ],
    "2025": [
        "CONVERSATION ID",
        "CONVERSATION TITLE",
        "FROM",
        "SENDER PROFILE URL",
        "TO",
        "RECIPIENT PROFILE URLS",
        "DATE",
        "SUBJECT",
        "CONTENT",
        "FOLDER",
        "ATTACHMENTS",
        "IS MESSAGE DRAFT",
    ],
}
MESSAGE_GENERATIONS = tuple(MESSAGE_HEADERS)


@dataclass(frozen=True)
class P:
    """A person as the export names them."""

    name: str
    slug: str = ""
    url_form: str = "https://www.linkedin.com/in/{}"

    @property
    def url(self) -> str:
        return self.url_form.format(self.slug) if self.slug else ""


OWNER = P("Olive Owner", "olive-owner")
ANN = P("Ann Lee", "ann-lee")
BO = P("Bo Berg, PhD", "bo-berg")
LINNEA = P("Linnéa Ström", "linnéa-ström")
AD = P("LinkedIn Member")


@dataclass
class Msg:
    sender: P
    to: list[P]
    at: datetime
    content: str = "Hello"
    conversation: str = "c1"
    folder: str = "INBOX"
    draft: bool = False


def messages_csv(
    msgs: list[Msg],
    generation: str = "2023",
    owner: P = OWNER,
    encoding: str = "utf-8",
    date_format: str = "utc",
) -> bytes:
    header = MESSAGE_HEADERS[generation]
    buf = io.StringIO()
    writer = csv.writer(buf, lineterminator="\n")
    writer.writerow(header)
    for m in msgs:
        stamp = (
            m.at.strftime("%Y-%m-%d %H:%M:%S UTC")
            if date_format == "utc"
            else f"{m.at.month}/{m.at.day}/{m.at.year % 100:02d}, {m.at.strftime('%I:%M %p')}"
        )
        values: dict[str, Any] = {
            "conversation id": m.conversation,
            "conversation title": "",
            "from": m.sender.name,
            "sender profile url": m.sender.url,
            "to": ", ".join(p.name for p in m.to),
            "recipient profile urls": ",".join(p.url for p in m.to if p.url),
            "date": stamp,
            "subject": "",
            "content": m.content,
            "folder": m.folder,
            "attachments": "",
            "is message draft": "Yes" if m.draft else "No",
            "direction": "OUTGOING" if m.sender == owner else "INCOMING",
        }
        writer.writerow([values[h.lower()] for h in header])
    text = buf.getvalue()
    if encoding == "utf-16":
        return text.encode("utf-16")  # with its BOM, as LinkedIn writes them
    return text.encode(encoding)


INVITATION_HEADERS = {
    "2020": ["From", "To", "Sent At", "Message", "Direction"],
    "2023": [
        "From",
        "To",
        "Sent At",
        "Message",
        "Direction",
        "inviterProfileUrl",
        "inviteeProfileUrl",
    ],
}


@dataclass
class Inv:
    other: P
    direction: str  # INCOMING (they invited me) | OUTGOING
    at: datetime
    message: str = ""


def invitations_csv(
    invs: list[Inv], generation: str = "2023", owner: P = OWNER, direction: bool = True
) -> bytes:
    header = list(INVITATION_HEADERS[generation])
    if not direction:
        header.remove("Direction")
    buf = io.StringIO()
    writer = csv.writer(buf, lineterminator="\n")
    writer.writerow(header)
    for inv in invs:
        inviter, invitee = (inv.other, owner) if inv.direction == "INCOMING" else (owner, inv.other)
        values = {
            "From": inviter.name,
            "To": invitee.name,
            "Sent At": f"{inv.at.month}/{inv.at.day}/{inv.at.year % 100:02d}, "
            f"{inv.at.strftime('%I:%M %p').lstrip('0')}",
            "Message": inv.message,
            "Direction": inv.direction,
            "inviterProfileUrl": inviter.url,
            "inviteeProfileUrl": invitee.url,
        }
        writer.writerow([values[h] for h in header])
    return buf.getvalue().encode("utf-8")


def endorsements_csv(people: list[P], side: str, status: str = "ACCEPTED") -> bytes:
    """`side` is "Endorser" (received) or "Endorsee" (given). URLs are schemeless."""
    buf = io.StringIO()
    writer = csv.writer(buf, lineterminator="\n")
    writer.writerow(
        [
            "Endorsement Date",
            "Skill Name",
            f"{side} First Name",
            f"{side} Last Name",
            f"{side} Public Url",
            "Endorsement Status",
        ]
    )
    for p in people:
        first, _, last = p.name.partition(" ")
        url = f"www.linkedin.com/in/{p.slug}" if p.slug else ""
        writer.writerow(["2021/03/04 10:00:00 UTC", "Python", first, last, url, status])
    return buf.getvalue().encode("utf-8")


def recommendations_csv(people: list[P]) -> bytes:
    buf = io.StringIO()
    writer = csv.writer(buf, lineterminator="\n")
    writer.writerow(
        ["First Name", "Last Name", "Company", "Job Title", "Text", "Creation Date", "Status"]
    )
    for p in people:
        first, _, last = p.name.partition(" ")
        writer.writerow(
            [first, last, "Acme", "Engineer", "Great to work with", "01/02/24", "VISIBLE"]
        )
    return buf.getvalue().encode("utf-8")


def profile_csv(owner: P = OWNER) -> bytes:
    first, _, last = owner.name.partition(" ")
    return (
        "First Name,Last Name,Maiden Name,Address,Birth Date,Headline,Summary,Industry,"
        "Zip Code,Geo Location,Twitter Handles,Websites,Instant Messengers\n"
        f"{first},{last},,,,Engineer,,Software,,Berlin,,,\n"
    ).encode()


def load(
    db: Database, kind: str, path: Path, summary: ImportSummary | None = None
) -> ImportSummary:
    """Run one evidence kind's loader on `path`, as the importer does, in one transaction."""
    summary = summary or ImportSummary(path.name)
    source = Source(path.name, path, size=path.stat().st_size)
    with db.write() as conn:
        import_evidence(conn, {kind: [source]}, summary)
        match_names(conn)
    return summary


def write(folder: Path, name: str, data: bytes) -> Path:
    path = folder / name
    path.write_bytes(data)
    return path


def evidence_rows(db: Database) -> dict[str, dict[str, Any]]:
    with db.read() as conn:
        result = conn.exec_driver_sql("SELECT * FROM evidence")
        return {row.person: dict(row._mapping) for row in result}


def setting(db: Database, key: str) -> Any:
    return db.get_setting(key)
