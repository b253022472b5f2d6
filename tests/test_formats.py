"""Readers: every generation of Connections.csv, dates, identity keys, sniffing."""

from __future__ import annotations

from datetime import date
from pathlib import Path
from urllib.parse import quote

import pytest
from builders import GENERATIONS, HOSTILE, Person, connections_csv, has_urls
from hypothesis import given
from hypothesis import strategies as st

from prune_tui.errors import BadInputFile
from prune_tui.formats.connections import read_connections
from prune_tui.formats.dates import parse_date, parse_timestamp, slashed_day_first
from prune_tui.formats.identity import fallback_key, name_key, parse_profile_url, profile_slug
from prune_tui.formats.tables import Source, normalize_file_name, normalize_header

PEOPLE = [
    Person(
        "Ada",
        "Lovelace",
        "ada-lovelace",
        "ada@example.com",
        "Analytical",
        "Countess",
        date(2016, 1, 8),
    ),
    Person(
        "Linnéa", "Berg, PhD", "linnéa-berg", "", "Acme, Inc", 'Head of "Things"', date(2021, 9, 16)
    ),
    Person("Grace", "Hopper", "grace-hopper", "", "Navy", "Rear Admiral", date(2025, 12, 4)),
]


def read(tmp_path: Path, data: bytes, name: str = "Connections.csv"):  # type: ignore[no-untyped-def]
    path = tmp_path / name
    path.write_bytes(data)
    return read_connections(Source(name, path, size=len(data)))


@pytest.mark.parametrize("generation", GENERATIONS)
def test_every_generation_reads_exactly(tmp_path: Path, generation: str) -> None:
    parsed = read(tmp_path, connections_csv(PEOPLE, generation, hidden=2))
    assert parsed.hidden_skipped == 2
    assert parsed.undated == 0
    assert parsed.has_urls == has_urls(generation)
    by_first = {r.first_name: r for r in parsed.people()}
    assert set(by_first) == {"Ada", "Linnéa", "Grace"}
    for person in PEOPLE:
        row = by_first[person.first]
        assert row.last_name == person.last
        assert row.company == person.company
        assert row.position == person.position
        assert row.email == person.email
        assert row.connected_on == person.connected.isoformat()
        if has_urls(generation):
            assert row.slug == person.slug
            assert row.key == person.slug
        else:
            assert row.slug is None
            assert row.key == fallback_key(name_key(person.first, person.last), row.connected_on)


def test_hostile_names_are_kept_literally(tmp_path: Path) -> None:
    parsed = read(tmp_path, connections_csv(HOSTILE, "2023"))
    got = {(r.first_name, r.last_name, r.company, r.position) for r in parsed.people()}
    want = {(p.first, p.last, p.company, p.position) for p in HOSTILE}
    assert got == want


def test_day_first_is_decided_for_the_whole_file(tmp_path: Path) -> None:
    people = [
        Person("A", "One", "a-one", connected=date(2021, 2, 3)),  # 03/02/2021: ambiguous
        Person("B", "Two", "b-two", connected=date(2021, 2, 13)),  # 13/02/2021: day-first
    ]
    parsed = read(tmp_path, connections_csv(people, "excel-dayfirst"))
    assert sorted(r.connected_on for r in parsed.people()) == ["2021-02-03", "2021-02-13"]


def test_unreadable_dates_are_kept_and_counted(tmp_path: Path) -> None:
    text = (
        "First Name,Last Name,URL,Email Address,Company,Position,Connected On\n"
        "Ann,Bee,https://www.linkedin.com/in/ann,,,,someday\n"
        "Cid,Dee,https://www.linkedin.com/in/cid,,,,\n"
    )
    parsed = read(tmp_path, text.encode())
    assert parsed.undated == 2
    assert [r.connected_on for r in parsed.people()] == [None, None]


def test_repeated_rows_merge_and_fill_gaps(tmp_path: Path) -> None:
    text = (
        "First Name,Last Name,URL,Email Address,Company,Position,Connected On\n"
        "Ann,Bee,https://www.linkedin.com/in/ann,,NewCo,,04 Dec 2025\n"
        "Ann,Bee,https://www.linkedin.com/in/ann/,ann@x.org,OldCo,CTO,04 Dec 2025\n"
        "Ann,Bee,https://www.linkedin.com/in/ann-2,,Other,,01 Jan 2020\n"
    )
    parsed = read(tmp_path, text.encode())
    assert parsed.duplicates_merged == 1
    ann = next(r for r in parsed.people() if r.slug == "ann")
    assert (ann.company, ann.email, ann.position) == ("NewCo", "ann@x.org", "CTO")
    assert len(parsed.rows) == 2  # same full name, different URL: two people


def test_columns_are_read_by_name_not_position(tmp_path: Path) -> None:
    text = (
        "Connected On,Position,Company,Email Address,URL,Last Name,First Name\n"
        "07 Mar 2020,Dev,Corp,,https://www.linkedin.com/in/zed,Zed,Zoe\n"
    )
    (row,) = read(tmp_path, text.encode()).people()
    assert (row.first_name, row.last_name, row.company, row.position) == (
        "Zoe",
        "Zed",
        "Corp",
        "Dev",
    )
    assert row.connected_on == "2020-03-07"


def test_utf16_with_bom(tmp_path: Path) -> None:
    data = connections_csv(PEOPLE, "2023").decode("utf-8").encode("utf-16")
    assert {r.first_name for r in read(tmp_path, data).people()} == {"Ada", "Linnéa", "Grace"}


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (b"", "empty"),
        (b"\x00\x01\x02\x03binary\x00\xff" * 50, "not a text file"),
        (b"name,age\nbob,3\n", "not a LinkedIn export"),
        (
            b"First Name,Last Name,URL,Email Address,Company,Position,Connected On\n",
            "no connections",
        ),
        (b"First Name,Last Name,Connected On\n,,04 Dec 2025\n", "no connections could be read"),
    ],
)
def test_bad_files_say_what_is_wrong(tmp_path: Path, data: bytes, message: str) -> None:
    with pytest.raises(BadInputFile, match=message) as info:
        read(tmp_path, data)
    assert "Connections.csv" in str(info.value)


def test_ragged_row_names_its_line(tmp_path: Path) -> None:
    text = (
        PEOPLE
        and "First Name,Last Name,URL,Email Address,Company,Position,Connected On\n"
        "Ann,Bee,https://www.linkedin.com/in/ann,,,,04 Dec 2025\n"
        "Cid,Dee,https://www.linkedin.com/in/cid,,,,04 Dec 2025,extra,more\n"
    )
    with pytest.raises(BadInputFile, match="line 3") as info:
        read(tmp_path, text.encode())
    assert info.value.line == 3


@pytest.mark.parametrize(
    ("value", "day_first", "expected"),
    [
        ("1/8/18, 6:14 PM", False, "2018-01-08"),
        ("1/8/18, 6:14 PM", True, "2018-08-01"),
        ("07 Mar 2020", False, "2020-03-07"),
        ("04 Dec 2025", False, "2025-12-04"),
        ("16.09.2021", False, "2021-09-16"),
        ("06-May-22", False, "2022-05-06"),
        ("2021-09-16", False, "2021-09-16"),
        ("13/2/2020", False, "2020-02-13"),
        ("4 September 2019", False, "2019-09-04"),
        ("Mar 7, 2020", False, "2020-03-07"),
        ("31 Feb 2020", False, None),
        ("someday", False, None),
        ("", False, None),
    ],
)
def test_parse_date(value: str, day_first: bool, expected: str | None) -> None:
    assert parse_date(value, day_first=day_first) == expected


def test_slashed_day_first() -> None:
    assert not slashed_day_first(["1/8/18", "12/12/20", "07 Mar 2020"])
    assert slashed_day_first(["1/8/18", "13/12/20"])


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("2024-12-16 18:24:37 UTC", "2024-12-16T18:24:37+00:00"),
        ("12/15/24, 7:47 AM", "2024-12-15T07:47:00"),
        ("12/15/24, 12:05 AM", "2024-12-15T00:05:00"),
        ("12/15/24, 12:05 PM", "2024-12-15T12:05:00"),
        ("12/15/24", "2024-12-15"),
        ("nonsense", None),
    ],
)
def test_parse_timestamp(value: str, expected: str | None) -> None:
    assert parse_timestamp(value) == expected


@pytest.mark.parametrize(
    ("url", "slug"),
    [
        ("https://www.linkedin.com/in/linn%C3%A9a-berg", "linnéa-berg"),
        ("https://www.linkedin.com/in/linnéa-berg/", "linnéa-berg"),
        ("www.linkedin.com/in/Linn%C3%A9a-Berg?trk=abc#x", "linnéa-berg"),
        ("linkedin.com/in/LINNE\u0301A-BERG", "linnéa-berg"),  # NFD → NFC
        ("https://www.linkedin.com/in/bob/details/", "bob"),
        ("https://de.linkedin.com/in/Bob/", "bob"),  # a country's address
        ("", None),
        ("   ", None),
        # The one URL policy (issue 11): anything else is text, never a person's identity.
        ("http://www.linkedin.com/in/bob", None),
        ("http://www.linkedin.com/pub/bob-smith/1/2/3", None),
        ("https://www.linkedin.com/pub/bob-smith/1/2/3", None),
        ("https://www.linkedin.com.evil.example/in/x", None),
        ("https://www.linkedin.com@evil.example/in/x", None),
        ("https://user:pw@www.linkedin.com/in/x", None),
        ("https://www.linkedin.com:8443/in/x", None),
        ("https://evil.example/in/x", None),
        ("https://notlinkedin.com/in/x", None),
        ("https://www.linkedin.com/redir/redirect?url=https%3A%2F%2Fevil.example", None),
        ("https://www.linkedin.com/in/x\nhttps://evil.example", None),
        ("https://www.linkedin.com/in/a b", None),
        ("https://www.linkedin.com/in/a%0Ab", None),
        ("https://www.linkedin.com/in/a%2Fb", None),
        ("https://www.linkedin.com/in/%E2%80%AEx", None),  # a bidi override, encoded
        ("https://www.linkedin.com/in/%FF", None),  # not UTF-8
        ("https://www.linkedin.com/in/", None),
        ("javascript:alert(1)//www.linkedin.com/in/x", None),
        ("//www.linkedin.com/in/x", None),
    ],
)
def test_profile_slug(url: str, slug: str | None) -> None:
    assert profile_slug(url) == slug
    found = parse_profile_url(url)
    assert (found.slug if found else None) == slug  # one policy, with or without the shortcut


def test_profile_urls_are_shown_decoded_and_opened_encoded() -> None:
    found = parse_profile_url("https://www.linkedin.com/in/zo%C3%AB-Berg/?trk=abc#top")
    assert found is not None
    assert found.slug == "zoë-berg"
    assert found.shown == "https://www.linkedin.com/in/zoë-Berg"
    assert found.opened == "https://www.linkedin.com/in/zo%C3%AB-Berg"
    assert parse_profile_url("LinkedIn.com/in/ada").opened == "https://linkedin.com/in/ada"  # type: ignore[union-attr]


def test_names_and_headers_normalize() -> None:
    assert name_key(" Zoë ", "BERG  PhD") == "zoë berg phd"
    assert normalize_header('\ufeff"Connected on" ') == "connected on"
    assert normalize_file_name("Messages (1).CSV") == "messages"
    assert normalize_file_name("Endorsement_Received_Info.csv") == "endorsementreceivedinfo"


@given(st.text(alphabet="ab%0123456789ABCDEFcdefé\\x/ =_\n\r", max_size=24))
def test_fast_percent_decoding_agrees_with_unquote(text: str) -> None:
    from urllib.parse import quote, unquote

    from prune_tui.formats.identity import _percent_decoded

    assert _percent_decoded(text) == unquote(text)
    assert _percent_decoded(quote(text)) == text


@given(
    st.dates(min_value=date(2003, 1, 1), max_value=date(2099, 12, 31)),
    st.sampled_from(["%d %b %Y", "%d %B %Y", "%-d %b %Y"]),
)
def test_linkedin_dates_read_back(day: date, pattern: str) -> None:
    assert parse_date(day.strftime(pattern)) == day.isoformat()


NAME_TEXT = st.text(alphabet="abAB \t\x1f\x0béZ", max_size=6)


@given(
    st.lists(
        st.tuples(
            st.one_of(
                st.text(alphabet="abcXYZ-_09%é ", max_size=16),
                st.text(max_size=8).map(lambda s: quote(s, safe="")),
            ),
            NAME_TEXT,
            NAME_TEXT,
        ),
        min_size=1,
        max_size=5,
    )
)
def test_the_readers_shortcuts_agree_with_the_general_functions(
    people: list[tuple[str, str, str]],
) -> None:
    """The reader takes shortcuts for the usual URL (plain or percent-encoded slugs) and for
    ASCII names; each must give the keys profile_slug and name_key give."""
    import csv
    import io
    import tempfile

    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(["First Name", "Last Name", "URL", "Email Address", "Connected On"])
    for i, (path, first, last) in enumerate(people):
        writer.writerow(
            [first, last, f"https://www.linkedin.com/in/{path}", f"{i}@x", "4 Dec 2025"]
        )
    with tempfile.TemporaryDirectory() as tmp:
        parsed = read(Path(tmp), out.getvalue().encode())
    by_email = {row.email: row for row in parsed.people()}
    for i, (path, first, last) in enumerate(people):
        row = by_email.get(f"{i}@x")
        if row is None:  # merged into an earlier row with the same key
            assert parsed.duplicates_merged
            continue
        assert row.slug == profile_slug(f"https://www.linkedin.com/in/{path}".strip())
        assert row.name_key == name_key(first.strip(), last.strip())


@given(
    st.one_of(
        st.text(max_size=16),
        st.text(alphabet="aZö%C3B6é/?#@ \t\n\x00.:~-_\u200b\u00a0\ufffdİß[]", max_size=16),
    )
)
def test_profile_slug_shortcuts_agree_with_the_url_policy(rest: str) -> None:
    """profile_slug takes shortcuts for the usual prefix (a plain, a percent-encoded or an
    undecoded slug); each gives the slug the general URL policy gives."""
    from prune_tui.formats.identity import USUAL_PROFILE_PREFIX

    url = USUAL_PROFILE_PREFIX + rest
    found = parse_profile_url(url)
    assert profile_slug(url) == (found.slug if found else None)
