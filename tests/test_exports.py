"""Exports in every format: order, contents, escaping against hostile names, backup round trip."""

from __future__ import annotations

import csv
import io
import json
import os
import stat
import unicodedata
from dataclasses import replace
from datetime import datetime, timezone
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import quote

import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st
from markdown_it import MarkdownIt

from prune_tui.cli.commands import main
from prune_tui.exports.formats import (
    CSV_COLUMNS,
    ExportRow,
    clean,
    csv_cell,
    export_file_name,
    md_text,
    profile_link,
    select_rows,
    write_csv,
    write_export,
    write_html,
    write_md,
    write_urls,
)
from prune_tui.exports.html import CONTENT_SECURITY_POLICY, tick_key
from prune_tui.formats.identity import parse_profile_url
from prune_tui.model import Decision
from prune_tui.services.importer import import_path
from prune_tui.services.removals import removal_pace
from prune_tui.services.review import Review
from prune_tui.store import open_database
from prune_tui.store.database import Database
from prune_tui.store.queries import stats
from prune_tui.text.choices import EXPORT_FORMATS, EXPORT_ONLY

# After any real import time, so a tick is never older than the import that listed them.
NOW = datetime(2030, 1, 2, 12, 0, tzinfo=timezone.utc)
HEADER = (
    'Notes:\n"When exporting your connection data, you may notice that some of the email '
    'addresses are missing."\n\n'
)
COLUMNS = ["First Name", "Last Name", "URL", "Email Address", "Company", "Position", "Connected On"]

HOSTILE_NAMES = [
    '=HYPERLINK("http://evil.example","click")',
    "+SUM(1,2)",
    "-2+3",
    "@cmd",
    "\tTabbed",
    "<script>alert(1)</script>",
    "](javascript:alert(1))",
    "[click](javascript:alert(1))",
    "<img src=x onerror=alert(1)>",
    "**bold** _em_ `code` # head",
    "www.evil.example http://evil.example mail@evil.example",
    "[bold]Rich[/bold] \x1b[31mred",
    '"quoted" & <b>',
]


def write_connections(path: Path, rows: list[list[str]]) -> Path:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(COLUMNS)
    writer.writerows(rows)
    path.write_text(HEADER + buffer.getvalue(), encoding="utf-8")
    return path


def person(first: str, last: str, slug: str, company: str = "Acme", when: str = "04 Dec 2020"):
    return [first, last, f"https://www.linkedin.com/in/{slug}", "", company, "Engineer", when]


@pytest.fixture
def db(tmp_path: Path) -> Database:
    database = open_database(tmp_path / "prune.db")
    yield database
    database.close()


def review(db: Database) -> Review:
    return Review(db, clock=lambda: NOW)


def ids_by_slug(db: Database) -> dict[str, int]:
    with db.read() as conn:
        return {s: i for i, s in conn.exec_driver_sql("SELECT id, slug FROM connections")}


@pytest.fixture
def network(db: Database, tmp_path: Path) -> Database:
    rows = [
        person("Zoe", "Adams", "zoe", "Zeta"),
        person("ada", "Lovelace", "ada", "Analytical"),
        person("Bob", "Builder", "bob", ""),
        person("Cleo", "Patra", "cleo", "Nile"),
        person("Dan", "Dunn", "dan", "Acme"),
        person("Eve", "Early", "eve", "Acme"),
    ]
    import_path(db, write_connections(tmp_path / "Connections.csv", rows))
    ids = ids_by_slug(db)
    r = review(db)
    r.record_decision(ids["zoe"], Decision.REMOVE)
    r.record_decision(ids["ada"], Decision.REMOVE)
    r.record_decision(ids["bob"], Decision.REMOVE)
    r.record_decision(ids["cleo"], Decision.NURTURE)
    r.record_decision(ids["dan"], Decision.KEEP)
    r.set_note(ids["cleo"], "Ask about\nthe <Nile> project")
    r.toggle_criterion(ids["cleo"], 1)  # yes
    r.toggle_criterion(ids["cleo"], 2)
    r.toggle_criterion(ids["cleo"], 2)  # no
    r.set_removed(ids["bob"], True)
    return db


def export(db: Database, fmt: str, only: str) -> tuple[str, int]:
    out = io.StringIO()
    count = write_export(db, out, fmt=fmt, only=only)
    return out.getvalue(), count


# --- order and selection --------------------------------------------------------------------


def test_rows_are_grouped_by_decision_then_sorted_by_name(network: Database) -> None:
    names = [r.full_name for r in select_rows(network, "all")]
    assert names == [
        "ada Lovelace",
        "Bob Builder",
        "Zoe Adams",
        "Cleo Patra",
        "Dan Dunn",
        "Eve Early",
    ]
    assert [r.full_name for r in select_rows(network, "remove")] == names[:3]
    assert [r.full_name for r in select_rows(network, "undecided")] == ["Eve Early"]


@pytest.mark.parametrize("fmt", EXPORT_FORMATS)
def test_every_format_is_stable(network: Database, fmt: str) -> None:
    first = export(network, fmt, "all")
    assert export(network, fmt, "all") == first


def test_gone_connections_leave_readable_exports_but_stay_in_the_backup(
    network: Database, tmp_path: Path
) -> None:
    rows = [
        person("ada", "Lovelace", "ada", "Analytical"),
        person("Bob", "Builder", "bob", ""),
        person("Cleo", "Patra", "cleo", "Nile"),
        person("Dan", "Dunn", "dan", "Acme"),
        person("Eve", "Early", "eve", "Acme"),
    ]  # Zoe (a removal) is gone: confirmed
    import_path(network, write_connections(tmp_path / "later.csv", rows))
    text, count = export(network, "md", "remove")
    assert "Zoe" not in text and count == 2
    backup, _ = export(network, "json", "all")
    assert "Zoe" in backup


# --- md -------------------------------------------------------------------------------------


def test_md_is_a_checklist_with_links_progress_and_ticks(network: Database) -> None:
    text, count = export(network, "md", "remove")
    assert count == 3
    lines = text.splitlines()
    assert lines[0] == "# Connections to remove"
    assert lines[2].startswith("1 of 3 removed.")
    items = [line for line in lines if line.startswith("- [")]
    assert items == [
        "- [ ] [ada Lovelace](https://www.linkedin.com/in/ada) · Engineer at Analytical",
        "- [x] [Bob Builder](https://www.linkedin.com/in/bob) · Engineer",
        "- [ ] [Zoe Adams](https://www.linkedin.com/in/zoe) · Engineer at Zeta",
    ]


def test_md_nurture_list_carries_note_and_criteria(network: Database) -> None:
    text, _ = export(network, "md", "nurture")
    assert "- [ ] [Cleo Patra](https://www.linkedin.com/in/cleo)" in text
    assert "  - note: Ask about the \\<Nile> project" in text
    assert "we have spoken: yes; I know what they do: no" in text


def test_md_all_has_one_section_per_decision(network: Database) -> None:
    text, count = export(network, "md", "all")
    assert count == 6
    headings = [line for line in text.splitlines() if line.startswith("## ")]
    assert headings == ["## Remove (3)", "## Nurture (1)", "## Keep (1)", "## Not decided yet (1)"]


def _md_inline_tokens(markdown: str) -> list[tuple[str, str, dict[str, str]]]:
    md = MarkdownIt("commonmark", {"linkify": True, "html": True}).enable(
        ["linkify", "strikethrough", "table"]
    )
    found = []
    for token in md.parse(markdown):
        assert token.type not in ("html_block", "code_block", "fence"), token
        for child in token.children or []:
            found.append((child.type, child.content, dict(child.attrs)))
    return found


def _assert_literal_md_item(item_line: str, name: str, link: str | None) -> None:
    tokens = _md_inline_tokens(item_line)
    kinds = {t for t, _, _ in tokens}
    assert kinds <= {"text", "text_special", "link_open", "link_close", "softbreak"}, tokens
    links = [attrs["href"] for t, _, attrs in tokens if t == "link_open"]
    assert links == ([link] if link else [])
    shown = "".join(c for t, c, _ in tokens if t in ("text", "text_special"))
    assert clean(name) in shown


@pytest.mark.parametrize("name", HOSTILE_NAMES)
def test_md_hostile_names_stay_literal(name: str) -> None:
    row = make_row(first=name, last="", url="https://www.linkedin.com/in/x")
    out = io.StringIO()
    write_md([row], out, "remove")
    item = next(line for line in out.getvalue().splitlines() if line.startswith("- ["))
    _assert_literal_md_item(item, name, "https://www.linkedin.com/in/x")


def test_md_escapes_only_what_markdown_acts_on() -> None:
    row = make_row(first="Zoë", last="O'Brien-Smith (she/her)", url="https://www.linkedin.com/in/x")
    row = replace(row, position="VP Sales, EMEA", company="Acme, Inc.", note="Met at #Web3 + AI!")
    out = io.StringIO()
    write_md([row], out, "remove")
    text = out.getvalue()
    assert "[Zoë O'Brien-Smith (she/her)](https://www.linkedin.com/in/x)" in text
    assert "VP Sales, EMEA at Acme, Inc." in text
    assert "note: Met at #Web3 + AI!" in text
    assert md_text("a_b *c* [x](y) <b> evil.example a@b.co &amp;") == (
        "a\\_b \\*c\\* \\[x\\](y) \\<b> evil\\.example a\\@b\\.co \\&amp;"
    )


def test_md_only_linkedin_https_urls_become_links() -> None:
    for url in (
        "javascript:alert(1)",
        "http://www.linkedin.com/in/x",
        "https://evil.example/in/x",
        "https://www.linkedin.com@evil.example/in/x",
        "https://www.linkedin.com.evil.example/in/x",
        "data:text/html,<script>alert(1)</script>",
    ):
        row = make_row(first="Ada", last="L", url=url)
        out = io.StringIO()
        write_md([row], out, "remove")
        lines = [line for line in out.getvalue().splitlines() if line.startswith(("- ", "  - "))]
        for line in lines:
            assert not [t for t, _, _ in _md_inline_tokens(line) if t == "link_open"], line


def test_profile_link_encodes_what_could_end_a_link() -> None:
    # Only a profile under the one URL policy is a link; a slug holding what could end a link
    # (or a space, which LinkedIn never writes) is no profile at all: shown as text.
    assert profile_link('https://www.linkedin.com/in/a)b(c d"<e>') is None
    assert profile_link("https://www.linkedin.com/in/a b") is None
    assert profile_link("https://linkedin.com/in/linn%C3%A9a") == (
        "https://linkedin.com/in/linn%C3%A9a"
    )
    assert profile_link("https://www.linkedin.com/in/linnéa") == (
        "https://www.linkedin.com/in/linn%C3%A9a"
    )
    assert profile_link("https://www.linkedin.com/in/ada/?trk=x") == (
        "https://www.linkedin.com/in/ada"
    )
    assert profile_link("") is None


# --- csv ------------------------------------------------------------------------------------


def test_csv_has_header_notes_and_criteria(network: Database) -> None:
    text, count = export(network, "csv", "all")
    table = list(csv.DictReader(io.StringIO(text)))
    assert count == len(table) == 6
    assert list(table[0]) == CSV_COLUMNS
    cleo = next(r for r in table if r["first_name"] == "Cleo")
    assert cleo["note"] == "Ask about\nthe <Nile> project"
    assert (cleo["spoken"], cleo["know_what_they_do"], cleo["can_help_them"]) == ("yes", "no", "")
    bob = next(r for r in table if r["first_name"] == "Bob")
    assert bob["removed_at"] == NOW.isoformat()
    assert bob["decision"] == "remove"


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("=1+1", "'=1+1"),
        ("+1", "'+1"),
        ("-1", "'-1"),
        ("@SUM(A1)", "'@SUM(A1)"),
        ("\tx", "'\tx"),
        ("\rx", "'\rx"),
        ("Ada", "Ada"),
        ("a=b", "a=b"),
        ("", ""),
    ],
)
def test_csv_cell_neutralises_formulas(value: str, expected: str) -> None:
    assert csv_cell(value) == expected


@pytest.mark.parametrize("name", HOSTILE_NAMES)
def test_csv_hostile_names_never_start_a_formula(name: str) -> None:
    row = make_row(first=name, last=name, company=name, note=name)
    out = io.StringIO()
    write_csv([row], out, "all")
    _assert_safe_csv(out.getvalue(), name)


BIDI_CONTROLS = frozenset("\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069")


def _assert_safe_csv(text: str, name: str) -> None:
    table = list(csv.reader(io.StringIO(text, newline="")))
    assert len(table) == 2
    for cell in table[1]:
        assert not cell.startswith(("=", "+", "-", "@", "\t", "\r")), cell
    # Control characters go (escape sequences start with them), and so do the bidi
    # embedding, override and isolate marks, which would reorder the rest of a line.
    expected = "".join(
        ch
        for ch in name
        if ch in "\t\r\n" or (unicodedata.category(ch) != "Cc" and ch not in BIDI_CONTROLS)
    )
    first = table[1][0]
    assert first in (expected, "'" + expected)


# --- html -----------------------------------------------------------------------------------


class PageParser(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.tags: list[tuple[str, dict[str, str | None]]] = []
        self.stack: list[str] = []
        self.text_in: dict[str, list[str]] = {}

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append((tag, dict(attrs)))
        if tag not in ("input", "meta"):
            self.stack.append(dict(attrs).get("class") or tag)

    def handle_endtag(self, tag: str) -> None:
        if self.stack and tag not in ("input", "meta"):
            self.stack.pop()

    def handle_data(self, data: str) -> None:
        if self.stack:
            self.text_in.setdefault(self.stack[-1], []).append(data)


ALLOWED_TAGS = {
    "html", "head", "meta", "base", "title", "style", "body", "main", "h1", "h2", "p", "ul",
    "li", "label", "input", "a", "span", "div", "script",
}  # fmt: skip


def parse_page(page: str) -> PageParser:
    parser = PageParser()
    parser.feed(page)
    parser.close()
    return parser


def _assert_safe_page(page: str, names: list[str]) -> None:
    parsed = parse_page(page)
    assert {t for t, _ in parsed.tags} <= ALLOWED_TAGS
    assert sum(t == "script" for t, _ in parsed.tags) == 1
    # Links open in a new tab (the page's <base>, which carries no address) without the
    # referrer (the page's policy).
    assert ("base", {"target": "_blank"}) in parsed.tags
    assert ("meta", {"name": "referrer", "content": "no-referrer"}) in parsed.tags
    for tag, attrs in parsed.tags:
        assert not [a for a in attrs if a.startswith("on")], (tag, attrs)
        if tag == "a":
            assert set(attrs) == {"href"}
            assert (attrs["href"] or "").startswith("https://www.linkedin.com/in/")
        for key in ("href", "src", "action", "style"):
            assert key not in attrs or (tag == "a" and key == "href"), (tag, attrs)
    shown = parsed.text_in.get("name", []) + parsed.text_in.get("a", [])
    for name in names:
        assert (clean(name) or "(no name)") in shown


def tick_keys(parsed: PageParser) -> list[str]:
    """What the page's script remembers each tick by: the list, then the row's own key or
    else its link's address."""
    keys: list[str] = []
    listed = ""
    own: str | None = None
    for tag, attrs in parsed.tags:
        if tag == "ul":
            listed = attrs.get("data-list") or ""
        elif tag == "li":
            own = attrs.get("data-key")
            if own is not None:
                keys.append(f"{listed}:{own}")
        elif tag == "input" and "class" not in attrs and own is None:
            keys.append(listed)  # completed by the link that follows
        elif tag == "a" and own is None:
            keys[-1] += f":{attrs['href']}"
    return keys


def test_html_keeps_ticks_by_the_keys_of_earlier_pages() -> None:
    rows = [
        make_row(url="https://www.linkedin.com/in/ada"),
        make_row(url="https://www.linkedin.com/in/zoë"),  # encoded in the link
        make_row(first="No", last="Url", url=""),
    ]
    out = io.StringIO()
    write_html(rows, out, "remove")
    assert tick_keys(parse_page(out.getvalue())) == [tick_key(row) for row in rows]


def test_html_is_one_standalone_page(network: Database) -> None:
    page, count = export(network, "html", "all")
    assert count == 6
    assert page.startswith("<!doctype html>")
    parsed = parse_page(page)
    for tag, attrs in parsed.tags:
        assert "src" not in attrs, (tag, attrs)  # nothing loaded from elsewhere
        if tag == "link":
            pytest.fail("no stylesheets from elsewhere")
    assert "http://" not in page
    assert "default-src 'none'" in CONTENT_SECURITY_POLICY
    boxes = [attrs for tag, attrs in parsed.tags if tag == "input" and "class" not in attrs]
    keys = tick_keys(parsed)
    assert len(keys) == len(boxes) == 6
    assert keys[:3] == [
        "remove:https://www.linkedin.com/in/ada",
        "remove:https://www.linkedin.com/in/bob",
        "remove:https://www.linkedin.com/in/zoe",
    ]
    # Ticks are remembered per list: the same person on another list is another tick.
    assert len(set(keys)) == len(keys)
    assert all(k.split(":", 1)[0] in ("remove", "nurture", "keep", "undecided") for k in keys)
    assert [("checked" in b) for b in boxes][:3] == [False, True, False]
    assert "localStorage" in page
    assert "Note: Ask about the &lt;Nile&gt; project" in page
    _assert_safe_page(page, ["ada Lovelace", "Bob Builder", "Zoe Adams"])


def test_html_script_and_style_match_the_policy_hashes() -> None:
    import base64
    import hashlib
    import re

    out = io.StringIO()
    write_html([make_row()], out, "remove")
    page = out.getvalue()
    for tag in ("script", "style"):
        body = re.search(rf"<{tag}>(.*?)</{tag}>", page, re.S)
        assert body is not None
        digest = base64.b64encode(hashlib.sha256(body.group(1).encode()).digest()).decode()
        assert f"'sha256-{digest}'" in CONTENT_SECURITY_POLICY


@pytest.mark.parametrize("name", HOSTILE_NAMES)
def test_html_hostile_names_are_escaped(name: str) -> None:
    row = make_row(first=name, last="", url="https://www.linkedin.com/in/x", note=name)
    out = io.StringIO()
    write_html([row, make_row(url=f"https://evil.example/{name}")], out, "remove")
    _assert_safe_page(out.getvalue(), [name, "Ada Lovelace"])


# --- urls -----------------------------------------------------------------------------------


def test_urls_lists_removals_still_to_make(network: Database) -> None:
    text, count = export(network, "urls", "remove")
    assert text == "https://www.linkedin.com/in/ada\nhttps://www.linkedin.com/in/zoe\n"
    assert count == 2


def test_urls_skip_anything_that_is_not_a_linkedin_profile() -> None:
    rows = [
        make_row(url="javascript:alert(1)"),
        make_row(url="https://www.linkedin.com/in/a b\nc"),
        make_row(url="https://www.linkedin.com.evil.example/in/x"),
        make_row(url="https://www.linkedin.com@evil.example/in/x"),
        make_row(url="http://www.linkedin.com/in/x"),
        make_row(url=""),
        make_row(url="https://www.linkedin.com/in/zo%C3%AB"),
    ]
    out = io.StringIO()
    assert write_urls(rows, out, "all") == 1
    assert out.getvalue() == "https://www.linkedin.com/in/zo%C3%AB\n"


# --- hypothesis: any text at all ------------------------------------------------------------

names = st.text(
    alphabet=st.one_of(
        st.sampled_from(list("=+-@\t\r\n[]()<>&\"'`*_#!|\\/:.;javscript")),
        st.characters(codec="utf-8", exclude_categories=("Cs",)),
    ),
    max_size=40,
)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(name=names)
def test_md_any_name_renders_literally(name: str) -> None:
    row = make_row(first=name, last="", url="https://www.linkedin.com/in/x")
    out = io.StringIO()
    write_md([row], out, "remove")
    item = next(line for line in out.getvalue().splitlines() if line.startswith("- ["))
    tokens = _md_inline_tokens(item)
    links = [attrs["href"] for t, _, attrs in tokens if t == "link_open"]
    assert links == ["https://www.linkedin.com/in/x"]
    assert {t for t, _, _ in tokens} <= {"text", "text_special", "link_open", "link_close"}
    shown = "".join(c for t, c, _ in tokens if t in ("text", "text_special"))
    assert shown.startswith("[ ] " + (clean(name) or "(no name)"))


@settings(max_examples=150, deadline=None)
@given(name=names)
def test_md_text_round_trips_through_commonmark(name: str) -> None:
    escaped = md_text(name)
    tokens = _md_inline_tokens("x " + escaped)
    shown = "".join(c for t, c, _ in tokens if t in ("text", "text_special"))
    assert shown == ("x " + clean(name)).strip()


@settings(max_examples=150, deadline=None)
@given(name=names)
@example(name="\u202a")  # found by hypothesis: a bidi mark alone is dropped
@example(name="\u202e=HYPERLINK(1)")  # dropped first, then the formula is still neutralised
def test_csv_any_name_is_safe(name: str) -> None:
    row = make_row(first=name, last=name, company=name, note=name)
    out = io.StringIO()
    write_csv([row], out, "all")
    _assert_safe_csv(out.getvalue(), name)


@settings(max_examples=150, deadline=None)
@given(name=names, url=names)
def test_html_any_name_is_escaped(name: str, url: str) -> None:
    rows = [make_row(first=name, last="", url="https://www.linkedin.com/in/" + url, note=name)]
    out = io.StringIO()
    write_html(rows, out, "remove")
    _assert_safe_page(out.getvalue(), [name])


@settings(max_examples=150, deadline=None)
@given(url=names)
def test_urls_are_one_clean_line_each(url: str) -> None:
    out = io.StringIO()
    address = "https://www.linkedin.com/in/" + url
    written = write_urls([make_row(url=address)], out, "all")
    if parse_profile_url(address) is None:  # not a profile under the one URL policy: left out
        assert written == 0 and out.getvalue() == ""
        return
    lines = out.getvalue().split("\n")
    assert len(lines) == 2 and lines[1] == ""
    assert lines[0].startswith("https://www.linkedin.com/in/")
    assert not any(ch.isspace() or ord(ch) < 32 or ch in "<>\"'()" for ch in lines[0])


# --- through the database and the command line ----------------------------------------------


@pytest.mark.parametrize("name", HOSTILE_NAMES)
def test_hostile_names_from_an_import_in_every_format(
    db: Database, tmp_path: Path, name: str
) -> None:
    csv_name = name.replace("\x1b", "")
    rows = [[csv_name, "Last", "https://www.linkedin.com/in/h", "", csv_name, csv_name, ""]]
    rows.append(person("Ok", "Person", "ok"))
    import_path(db, write_connections(tmp_path / "Connections.csv", rows))
    ids = ids_by_slug(db)
    review(db).record_decision(ids["h"], Decision.REMOVE)
    md, _ = export(db, "md", "remove")
    item = next(line for line in md.splitlines() if line.startswith("- ["))
    _assert_literal_md_item(item, f"{csv_name} Last", "https://www.linkedin.com/in/h")
    page, _ = export(db, "html", "remove")
    _assert_safe_page(page, [f"{csv_name} Last"])
    table, _ = export(db, "csv", "remove")
    for cell in next(iter(csv.reader(io.StringIO(table[table.index("\r\n") + 2 :])))):
        assert not cell.startswith(("=", "+", "-", "@", "\t", "\r"))


def test_backup_round_trip_keeps_what_the_exports_show(network: Database, tmp_path: Path) -> None:
    backup = tmp_path / "backup.json"
    assert main(["export", "--only", "all", "--format", "json", "-o", str(backup), "--db",
                 str(network.path)]) == 0  # fmt: skip
    assert json.loads(backup.read_text())
    restored = open_database(tmp_path / "restored.db")
    try:
        import_path(restored, backup)
        for fmt in ("md", "csv", "html", "urls"):
            assert export(restored, fmt, "all") == export(network, fmt, "all"), fmt
    finally:
        restored.close()


def test_ticks_restored_from_a_backup_still_count_as_removed(
    network: Database, tmp_path: Path
) -> None:
    """A restore is no newer export that still lists the people ticked off: their ticks stand,
    restored into a new database or over the same one."""
    with network.write() as conn:  # imported in January, Bob ticked off in February
        conn.exec_driver_sql("UPDATE import_runs SET imported_at = '2026-01-01T00:00:00+00:00'")
        conn.exec_driver_sql("UPDATE removals SET marked_at = '2026-02-01T00:00:00+00:00'")
    backup = tmp_path / "backup.json"
    assert main(["export", "--only", "all", "--format", "json", "-o", str(backup), "--db",
                 str(network.path)]) == 0  # fmt: skip
    assert stats(network).removed == 1
    restored = open_database(tmp_path / "restored.db")
    try:
        import_path(restored, backup)
        assert stats(restored).removed == 1
        pace = removal_pace(restored, datetime.now(timezone.utc))
        assert (pace.ticked, pace.flagged) == (1, 0)
    finally:
        restored.close()
    import_path(network, backup)
    assert stats(network).removed == 1


def test_cli_writes_each_format_to_a_private_file(
    network: Database, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    for fmt in ("md", "csv", "html", "urls"):
        target = tmp_path / f"out.{fmt}"
        code = main(["export", "--format", fmt, "-o", str(target), "--db", str(network.path)])
        assert code == 0
        assert stat.S_IMODE(os.stat(target).st_mode) == 0o600
        assert target.read_bytes().decode("utf-8") == export(network, fmt, "remove")[0]
    capsys.readouterr()
    assert main(["export", "--db", str(network.path)]) == 0
    assert capsys.readouterr().out == export(network, "md", "remove")[0]


def test_export_file_name() -> None:
    assert export_file_name("urls", "remove", "20261120-1200") == (
        "prune-tui-remove-20261120-1200.txt"
    )
    assert export_file_name("html", "all", "x").endswith(".html")


def make_row(
    *,
    first: str = "Ada",
    last: str = "Lovelace",
    url: str = "https://www.linkedin.com/in/ada",
    company: str = "Acme",
    note: str = "",
    decision: str | None = "remove",
    removed_at: str | None = None,
) -> ExportRow:
    return ExportRow(
        id=1,
        first_name=first,
        last_name=last,
        url=url,
        email="",
        company=company,
        position="Engineer",
        connected_on="2020-01-01",
        decision=decision,
        decided_at=None,
        note=note,
        removed_at=removed_at,
        criteria={1: None, 2: None, 3: None, 4: None, 5: None},
    )


fields = st.text(
    alphabet=st.one_of(st.sampled_from(list(" .,:@&;#*_[]<>~`\\/x")), st.characters()),
    max_size=12,
)


@settings(max_examples=200, deadline=None)
@given(first=fields, last=fields, position=fields, company=fields, note=fields)
@example(first="Ada  Mae", last="Lovelace", position="", company="", note="")
@example(first="Ada", last="Lovelace", position="Engineer ", company="Acme", note="")
@example(first="Ada", last="Lovelace", position="", company="", note=" met")
def test_md_and_csv_shortcuts_write_what_the_general_path_writes(
    first: str, last: str, position: str, company: str, note: str
) -> None:
    import re

    import prune_tui.exports.formats as exports

    row = make_row(first=first, last=last, company=company, note=note)
    row = replace(row, position=position)
    quick_md, quick_csv = io.StringIO(), io.StringIO()
    write_md([row], quick_md, "all")
    write_csv([row], quick_csv, "all")
    always = re.compile(r"")
    real_md, real_csv = exports._MD_BUSY, exports._CSV_FORMULA
    exports._MD_BUSY, exports._CSV_FORMULA = always, always  # every row takes the general path
    try:
        general_md, general_csv = io.StringIO(), io.StringIO()
        write_md([row], general_md, "all")
        write_csv([row], general_csv, "all")
    finally:
        exports._MD_BUSY, exports._CSV_FORMULA = real_md, real_csv
    assert quick_md.getvalue() == general_md.getvalue()
    assert quick_csv.getvalue() == general_csv.getvalue()


def test_urls_of_everyone_agree_with_the_other_formats_about_ticked_removals(
    network: Database,
) -> None:
    """Bob was ticked off: `--only all` lists him in every format, urls too; only the
    removals' to-do list of addresses (`--only remove`) leaves him out."""
    urls, count = export(network, "urls", "all")
    table = list(csv.reader(io.StringIO(export(network, "csv", "all")[0], newline="")))
    assert count == len(table) - 1 == 6
    assert "https://www.linkedin.com/in/bob" in urls.split("\n")
    assert "Bob" in export(network, "md", "all")[0]
    assert "https://www.linkedin.com/in/bob" not in export(network, "urls", "remove")[0]


profile_urls = st.one_of(
    fields,
    st.builds(lambda slug: f"https://www.linkedin.com/in/{slug}", fields),
    # Encoded as Connections.csv writes a non-ASCII slug (and as it does not: NFD, controls).
    st.builds(lambda slug: f"https://www.linkedin.com/in/{quote(slug, safe='-._~')}", fields),
    st.sampled_from(
        [
            "https://www.linkedin.com/in/ada",
            "https://www.linkedin.com/in/zo%C3%AB-berg",
            "https://www.linkedin.com/in/zoe%CC%88-berg",
            "https://www.linkedin.com/in/ada%C3%28",
            "https://www.linkedin.com/in/ada%E2%80%8B",
            "https://www.linkedin.com/in/ada%C2%A0berg",
            "https://www.linkedin.com/in/ada%FF",
            "https://www.linkedin.com/in/linn%C3%A9a-berg",
            "https://www.linkedin.com/in/linn%c3%a9a",
            "https://www.linkedin.com/in/str\u00f6m",
            "https://www.linkedin.com/in/stro\u0308m",
            "https://www.linkedin.com/in/a%2Fb",
            "https://www.linkedin.com/in/%zz",
            "https://www.linkedin.com/in/%41da",
            "https://www.linkedin.com/in/ada/?trk=x",
            "https://de.linkedin.com/in/ada",
            "http://www.linkedin.com/in/ada",
        ]
    ),
)


@settings(max_examples=300, deadline=None)
@given(url=profile_urls)
@example(url="https://www.linkedin.com/in/zo%C3%AB%20berg")
@example(url="https://www.linkedin.com/in/\u00e9\u200b")
def test_profile_link_shortcuts_follow_the_url_policy(url: str) -> None:
    """The usual address with an encoded or non-ASCII slug skips the URL split: the link is
    still exactly what parse_profile_url makes of it."""
    found = parse_profile_url(url)
    assert profile_link(url) == (found.opened if found else None)


# Text SQLite can store (no lone surrogates).
stored = fields.filter(lambda text: not any("\ud800" <= ch <= "\udfff" for ch in text))
people = st.lists(
    st.tuples(
        stored,
        stored,
        stored,
        stored,
        stored,
        profile_urls.filter(lambda text: not any("\ud800" <= ch <= "\udfff" for ch in text)),
        st.sampled_from([None, "remove", "nurture", "keep"]),
        st.booleans(),
        st.lists(st.tuples(st.integers(1, 5), st.booleans()), max_size=3),
    ),
    min_size=6,
    max_size=6,
)


@settings(
    max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@example(
    people=[("a", "b", "", "", "", "https://www.linkedin.com/in/ada", "remove", True, [])]
    + [("c", "d", "", "", "", "x", None, False, [])] * 5,
    only="remove",
)
@given(people=people, only=st.sampled_from(EXPORT_ONLY))
def test_md_html_and_urls_from_their_own_queries_write_what_the_general_path_writes(
    network: Database, people: list[tuple], only: str
) -> None:
    """md, html and urls read only their columns, as tuples, ticks in SQL; every row
    (and every export with a query) still comes out as from select_rows' full rows."""
    from prune_tui.formats.identity import name_key
    from prune_tui.services.query import Where

    with network.write() as conn:
        ids = [i for (i,) in conn.exec_driver_sql("SELECT id FROM connections ORDER BY id")]
        conn.exec_driver_sql("DELETE FROM removals")
        conn.exec_driver_sql("DELETE FROM criteria")
        for cid, (first, last, position, company, note, url, decision, ticked, answers) in zip(
            ids, people, strict=True
        ):
            conn.exec_driver_sql(
                "UPDATE connections SET first_name = ?, last_name = ?, name_key = ?, "
                "position = ?, company = ?, note = ?, url = ?, decision = ? WHERE id = ?",
                (first, last, name_key(first, last), position, company, note, url, decision, cid),
            )
            if ticked:
                conn.exec_driver_sql(
                    "INSERT INTO removals (connection_id, marked_at) VALUES (?, ?)",
                    (cid, NOW.isoformat()),
                )
            for criterion, value in dict(answers).items():
                conn.exec_driver_sql(
                    "INSERT INTO criteria (connection_id, criterion, value) VALUES (?, ?, ?)",
                    (cid, criterion, int(value)),
                )
    for where in (None, Where("c.id % 2 = ?", (0,))):
        rows = select_rows(network, only, where)
        for fmt, general in (("md", write_md), ("html", write_html), ("urls", write_urls)):
            quick, full = io.StringIO(), io.StringIO()
            assert write_export(network, quick, fmt=fmt, only=only, where=where) == general(
                rows, full, only
            )
            assert quick.getvalue() == full.getvalue()


@settings(max_examples=100, deadline=None)
@given(
    first=fields,
    last=fields,
    position=fields,
    company=fields,
    note=fields,
    url=profile_urls,
    decision=st.sampled_from([None, "remove", "keep"]),
)
def test_html_shortcut_writes_what_the_general_path_writes(
    first: str,
    last: str,
    position: str,
    company: str,
    note: str,
    url: str,
    decision: str | None,
) -> None:
    import re

    import prune_tui.exports.html as exports_html

    row = replace(
        make_row(first=first, last=last, url=url, company=company, note=note, decision=decision),
        position=position,
    )
    quick = io.StringIO()
    write_html([row], quick, "all")
    real = exports_html._HTML_BUSY
    exports_html._HTML_BUSY = re.compile(r"")  # every row takes the general path
    try:
        general = io.StringIO()
        write_html([row], general, "all")
    finally:
        exports_html._HTML_BUSY = real
    assert quick.getvalue() == general.getvalue()
