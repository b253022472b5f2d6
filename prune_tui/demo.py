"""A believable sample network for `prune-tui demo`: a LinkedIn export written to a temporary
folder (Connections.csv in the 2023+ format, messages.csv, Invitations.csv, Profile.csv) and
imported through the real importer. Standard library only; the same seed gives the same people."""

from __future__ import annotations

import csv
import random
import tempfile
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from pathlib import Path

OWNER = ("Robin", "Meyer", "robin-meyer-0a1b2c")
PREAMBLE = (
    "Notes:\n"
    '"When exporting your connection data, you may notice that some of the email addresses are '
    "missing. You will only see email addresses for connections who have allowed their "
    "connections to see or download their email address using this setting "
    "https://www.linkedin.com/psettings/privacy/email. You can learn more here "
    'https://www.linkedin.com/help/linkedin/answer/261"\n'
    "\n"
)
CONNECTIONS_HEADER = [
    "First Name",
    "Last Name",
    "URL",
    "Email Address",
    "Company",
    "Position",
    "Connected On",
]
MESSAGES_HEADER = [
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
]
INVITATIONS_HEADER = [
    "From",
    "To",
    "Sent At",
    "Message",
    "Direction",
    "inviterProfileUrl",
    "inviteeProfileUrl",
]

FIRST_NAMES = [
    "Aisha",
    "Alejandro",
    "Amara",
    "Anders",
    "Ana",
    "Arjun",
    "Astrid",
    "Beatriz",
    "Ben",
    "Camille",
    "Chen",
    "Chiara",
    "Daniel",
    "Dara",
    "Elif",
    "Emeka",
    "Emma",
    "Fatima",
    "Felix",
    "Freya",
    "Gabriel",
    "Hana",
    "Hiroshi",
    "Ines",
    "Ingrid",
    "Isaac",
    "Jana",
    "Javier",
    "Jonas",
    "Julia",
    "Kai",
    "Kenji",
    "Lars",
    "Laura",
    "Leila",
    "Linnéa",
    "Lucas",
    "Maja",
    "Malik",
    "Marta",
    "Mateo",
    "Mei",
    "Mia",
    "Nadia",
    "Nils",
    "Noah",
    "Olga",
    "Omar",
    "Paula",
    "Pedro",
    "Priya",
    "Rafael",
    "Rosa",
    "Sam",
    "Sara",
    "Sofia",
    "Sven",
    "Tariq",
    "Tomás",
    "Ulla",
    "Vera",
    "Wei",
    "Yara",
    "Yusuf",
    "Zoe",
]
LAST_NAMES = [
    "Abbott",
    "Andersen",
    "Bakker",
    "Berg",
    "Brown",
    "Carvalho",
    "Chen",
    "Costa",
    "Dubois",
    "Eriksson",
    "Fischer",
    "Garcia",
    "Gupta",
    "Hansen",
    "Haddad",
    "Ivanova",
    "Jensen",
    "Johansson",
    "Kaur",
    "Kim",
    "Kowalski",
    "Larsen",
    "Lindqvist",
    "Lopez",
    "Martin",
    "Moreau",
    "Müller",
    "Nakamura",
    "Nguyen",
    "Novak",
    "Okafor",
    "Olsen",
    "Patel",
    "Pereira",
    "Rossi",
    "Schmidt",
    "Silva",
    "Smith",
    "Sørensen",
    "Tanaka",
    "Taylor",
    "Weber",
    "Wilson",
    "Yilmaz",
    "Zhang",
]
COMPANIES = (
    "Northwind Labs",
    "Fjord Analytics",
    "Bluebird Health",
    "Kestrel Robotics",
    "Harbor & Pine",
    "Lumen Energy",
    "Atlas Freight",
    "Quill Publishing",
    "Meridian Bank",
    "Tidewater Studio",
    "Orchard Software",
    "Copperleaf Consulting",
    "Greenfield University",
    "Solstice Games",
    "Ironbridge Capital",
    "Self-employed",
    "",
)
POSITIONS = (
    "Software Engineer",
    "Senior Product Manager",
    "Recruiter",
    "Talent Acquisition Partner",
    "Data Scientist",
    "Head of Design",
    "Founder & CEO",
    "Account Executive",
    "Marketing Lead",
    "Engineering Manager",
    "Research Assistant",
    "Freelance Photographer",
    "Chief of Staff",
    "Sales Development Representative",
    "Professor of Linguistics",
    "Growth Hacker",
)
SUBJECTS = ("", "Coffee?", "Quick question", "Great to meet you", "Intro", "Re: the conference")
LINES = (
    "Great meeting you at the meetup yesterday!",
    "Thanks for the intro, really appreciated.",
    "Are you still hiring for the data team?",
    "Congrats on the new role!",
    "Would you have 20 minutes next week for a call?",
    "Sharing the slides I mentioned.\nLet me know what you think.",
    "Happy to help, just send me the details.",
    "Long time no see! How is everything?",
)
INVITATION_NOTES = (
    "",
    "",
    "",
    "Hi! We met at the product conference, would love to stay in touch.",
    "Loved your talk on data pipelines.",
    "I'm expanding my network in the energy sector.",
)
# Invitations still pending at the export (not connected): something to screen and withdraw.
PENDING_NOTES = (
    "",
    "",
    "Great meeting you at the Berlin meetup last week, thanks for the talk!",
    "Hi! We met at the product conference, would love to stay in touch.",
    "We help companies like yours grow revenue with our platform. Open to a quick call?",
    "I'd like to add you to my professional network on LinkedIn.",
    "Exclusive offer: our agency can generate qualified leads for your team. 15 minutes?",
    "We worked together at Northwind years ago. Would be lovely to catch up!",
)
# Names that test the layout: markup, emoji, right-to-left, a very long one, a control character.
HOSTILE = (
    ("[bold]Markup[/bold]", "Tester", "[link=https://example.com]Evil Corp[/link]"),
    ("Zoë 🌻", "Sunflower 👩‍💻", "Emoji Works"),
    ("مريم", "الحسيني", "شركة النخيل"),
    (
        "Maximilian Alexander Christopher",
        "Featherstonehaugh-Montgomery-Wolfeschlegelsteinhausen",
        "A",
    ),
    ("Escape\x1b[31m", "Sequence", "Terminal\x07 Bell Ltd"),
)


@dataclass
class _Person:
    first: str
    last: str
    slug: str
    company: str
    position: str
    connected: date
    email: str


def make_demo_database(
    path: Path, *, seed: int = 7, size: int = 300, today: date | None = None
) -> None:
    """Create (or add to) the database at `path` with a sample network of `size` people."""
    from prune_tui.services.importer import import_path
    from prune_tui.store import open_database

    with tempfile.TemporaryDirectory(prefix="prune-tui-demo-export-") as tmp:
        folder = Path(tmp) / "Basic_LinkedInDataExport_demo"
        write_demo_export(folder, seed=seed, size=size, today=today)
        db = open_database(Path(path))
        try:
            import_path(db, folder)
        finally:
            db.close()


def write_demo_export(
    folder: Path, *, seed: int = 7, size: int = 300, today: date | None = None
) -> None:
    """Write the sample export files into `folder`."""
    rng = random.Random(seed)
    today = today or date.today()
    folder.mkdir(parents=True, exist_ok=True)
    people = _people(rng, size, today)
    _write_connections(folder / "Connections.csv", people)
    _write_messages(folder / "messages.csv", rng, people, today)
    _write_invitations(folder / "Invitations.csv", rng, people, today)
    _write_profile(folder / "Profile.csv")


def _people(rng: random.Random, size: int, today: date) -> list[_Person]:
    people: list[_Person] = []
    used: set[str] = set()
    for index in range(size):
        if index < len(HOSTILE) and size >= 20:
            first, last, company = HOSTILE[index]
            position = rng.choice(POSITIONS)
        else:
            first, last = rng.choice(FIRST_NAMES), rng.choice(LAST_NAMES)
            company, position = rng.choice(COMPANIES), rng.choice(POSITIONS)
        base = _slugify(f"{first}-{last}") or "member"
        slug = f"{base}-{rng.randrange(16**6):06x}"
        while slug in used:
            slug = f"{base}-{rng.randrange(16**8):08x}"
        used.add(slug)
        # Networks grow fastest in the early years of a career: skew towards older connections.
        days_ago = int((rng.random() ** 1.6) * 12 * 365) + 1
        email = ""
        if rng.random() < 0.04:
            email = f"{_slugify(first) or 'someone'}.{_slugify(last) or 'x'}@example.com"
        people.append(
            _Person(first, last, slug, company, position, today - timedelta(days=days_ago), email)
        )
    return people


def _slugify(text: str) -> str:
    out = []
    for ch in text.casefold():
        if ch.isascii() and ch.isalnum():
            out.append(ch)
        elif ch in " -_" and out and out[-1] != "-":
            out.append("-")
    return "".join(out).strip("-")[:40]


def _url(slug: str) -> str:
    return f"https://www.linkedin.com/in/{slug}"


def _write_connections(path: Path, people: list[_Person]) -> None:
    with path.open("w", encoding="utf-8", newline="") as fh:
        fh.write(PREAMBLE)
        writer = csv.writer(fh, lineterminator="\n")
        writer.writerow(CONNECTIONS_HEADER)
        for p in sorted(people, key=lambda p: p.connected, reverse=True):  # newest first
            connected = p.connected.strftime("%d %b %Y")
            writer.writerow(
                [p.first, p.last, _url(p.slug), p.email, p.company, p.position, connected]
            )


def _write_messages(path: Path, rng: random.Random, people: list[_Person], today: date) -> None:
    me_first, me_last, me_slug = OWNER
    me_name, me_url = f"{me_first} {me_last}", _url(me_slug)
    with path.open("w", encoding="utf-8", newline="") as fh:
        writer = csv.writer(fh, lineterminator="\n")
        writer.writerow(MESSAGES_HEADER)
        for index, p in enumerate(people):
            if rng.random() > 0.3:
                continue  # most connections were never messaged
            name, url = f"{p.first} {p.last}", _url(p.slug)
            span = max((today - p.connected).days, 1)
            count = rng.choice((1, 1, 2, 3, 5, 8, 13))
            conversation = f"demo-{index:05d}"
            for _ in range(count):
                sent = datetime.combine(
                    p.connected + timedelta(days=rng.randrange(span)), datetime.min.time()
                ) + timedelta(seconds=rng.randrange(86400))
                mine = rng.random() < 0.5
                sender, sender_url = (me_name, me_url) if mine else (name, url)
                recipient, recipient_url = (name, url) if mine else (me_name, me_url)
                writer.writerow(
                    [
                        conversation,
                        "",
                        sender,
                        sender_url,
                        recipient,
                        recipient_url,
                        sent.strftime("%Y-%m-%d %H:%M:%S UTC"),
                        rng.choice(SUBJECTS),
                        rng.choice(LINES),
                        "INBOX",
                    ]
                )
        # An InMail ad: no profile URL, to be ignored.
        writer.writerow(
            [
                "demo-ad",
                "Sponsored",
                "LinkedIn Member",
                "",
                me_name,
                me_url,
                f"{today.isoformat()} 09:00:00 UTC",
                "Unlock your potential",
                "Try Premium for free.",
                "INBOX",
            ]
        )


def _stamp(sent: datetime) -> str:
    hour = sent.hour % 12 or 12
    return (
        f"{sent.month}/{sent.day}/{sent.strftime('%y')}, "
        f"{hour}:{sent.minute:02d} {'AM' if sent.hour < 12 else 'PM'}"
    )


def _pending_rows(size: int, today: date, me_name: str, me_url: str) -> list[list[str]]:
    """Invitations from and to people not (yet) connected, newest first. Their own generator,
    so the rest of the sample stays as it was."""
    rng = random.Random(7919 + size)
    rows: list[tuple[datetime, list[str]]] = []
    for index in range(min(20, max(size // 15, 2))):
        first, last = rng.choice(FIRST_NAMES), rng.choice(LAST_NAMES)
        name, url = f"{first} {last}", _url(f"{_slugify(f'{first}-{last}')}-p{index:02d}")
        outgoing = index % 4 == 3
        days = rng.randrange(2, 80 if outgoing else 45)
        sent = datetime.combine(today, datetime.min.time()) - timedelta(
            days=days, minutes=rng.randrange(60 * 12)
        )
        note = rng.choice(PENDING_NOTES[:4] if outgoing else PENDING_NOTES)
        if outgoing:
            rows.append((sent, [me_name, name, _stamp(sent), note, "OUTGOING", me_url, url]))
        else:
            rows.append((sent, [name, me_name, _stamp(sent), note, "INCOMING", url, me_url]))
    rows.sort(key=lambda r: r[0], reverse=True)
    return [row for _, row in rows]


def _write_invitations(path: Path, rng: random.Random, people: list[_Person], today: date) -> None:
    me_first, me_last, me_slug = OWNER
    me_name, me_url = f"{me_first} {me_last}", _url(me_slug)
    with path.open("w", encoding="utf-8", newline="") as fh:
        writer = csv.writer(fh, lineterminator="\n")
        writer.writerow(INVITATIONS_HEADER)
        writer.writerows(_pending_rows(len(people), today, me_name, me_url))
        for p in people:
            if rng.random() > 0.45:
                continue  # only recent years keep invitations
            name, url = f"{p.first} {p.last}", _url(p.slug)
            sent = datetime.combine(p.connected, datetime.min.time()) - timedelta(
                minutes=rng.randrange(60 * 24 * 5)
            )
            hour = sent.hour % 12 or 12
            stamp = (
                f"{sent.month}/{sent.day}/{sent.strftime('%y')}, "
                f"{hour}:{sent.minute:02d} {'AM' if sent.hour < 12 else 'PM'}"
            )
            if rng.random() < 0.4:
                writer.writerow(
                    [me_name, name, stamp, rng.choice(INVITATION_NOTES), "OUTGOING", me_url, url]
                )
            else:
                writer.writerow(
                    [name, me_name, stamp, rng.choice(INVITATION_NOTES), "INCOMING", url, me_url]
                )


def _write_profile(path: Path) -> None:
    me_first, me_last, _ = OWNER
    with path.open("w", encoding="utf-8", newline="") as fh:
        writer = csv.writer(fh, lineterminator="\n")
        writer.writerow(["First Name", "Last Name", "Maiden Name", "Headline", "Industry"])
        writer.writerow([me_first, me_last, "", "Product engineer", "Software Development"])
