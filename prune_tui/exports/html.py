"""The HTML checklist (`export --format html`): one standalone page to tick people off in a
browser, fast at 10,000 removals.

- One file, nothing loaded from elsewhere, a Content-Security-Policy that allows only its own
  style and script (by hash). Every text from the data is HTML-escaped; only https LinkedIn
  profile addresses become links, opened in a new tab.
- Today's share comes first: the first removals not yet ticked, as many as the daily pace
  (`removals.per_day`, 25 unless changed in the app); the rest, and those ticked on an earlier
  visit, are one click away ("Show all"). Ticks made during a visit stay in place.
  Rows past the share are hidden (`display: none`), so the browser lays out a screenful, not
  10,000 rows, when the page opens.
- Ticks are remembered in the browser (localStorage, one key per list and profile, as pages
  from earlier versions kept them). A tick writes its own key and adjusts two counters: it
  never looks at the other boxes. Opening the page reads the stored ticks once; with none
  stored, it reads no row at all.
- Small: about 150 bytes a row (no per-row key where the profile address already is one, the
  struck-through style from `:checked`, not from a class the script keeps).
"""

from __future__ import annotations

import base64
import hashlib
import html
import re
from collections.abc import Container, Sequence
from typing import TextIO

from prune_tui.exports.formats import (
    DECISION,
    GROUP_ORDER,
    SECTION,
    TICKED,
    TITLES,
    ChecklistItem,
    ExportRow,
    clean,
)
from prune_tui.formats.identity import PLAIN_PROFILE, profile_link
from prune_tui.model import Decision

DEFAULT_PER_DAY = 25
SHOWN_FIRST = 100  # rows of a list other than the removals shown before "Show all"

STYLE = """
body{font:16px/1.5 system-ui,sans-serif;max-width:52rem;margin:2rem auto;padding:0 1rem;
color:#1d2125;background:#fff}
h1{font-size:1.6rem}h2{font-size:1.2rem;margin-top:2rem}
ul{list-style:none;padding:0}li{padding:.45rem 0;border-bottom:1px solid #e3e6e8}
input{transform:scale(1.25);margin-right:.6rem}
input:checked~a,input:checked~.name{text-decoration:line-through;color:#6a737d}
li span{color:#57606a;font-size:.92rem}
.note,.criteria{color:#57606a;font-size:.92rem;margin:.1rem 0 0 2rem}
li.l{display:none}.more:checked+label+ul>li.l{display:list-item}
label{margin-left:.3rem}
#progress{font-weight:600}#met{color:#1a7f37}
""".strip()

SCRIPT = """
(function () {
  var store = null;
  try { store = window.localStorage; } catch (e) { store = null; }
  var P = "prune-tui:";
  var progress = document.getElementById("progress");
  var met = document.getElementById("met");
  var share = document.getElementById("share");
  var done = +progress.getAttribute("data-done");
  var total = +progress.getAttribute("data-total");
  var perDay = share ? +share.getAttribute("data-per-day") : 0;
  var left = 0;
  function keyOf(li) {
    var k = li.getAttribute("data-key");
    if (k === null) { var a = li.querySelector("a"); k = a ? a.getAttribute("href") : ""; }
    return li.parentNode.getAttribute("data-list") + ":" + k;
  }
  function show() {
    progress.textContent = done + " of " + total + " ticked";
    if (met) { met.hidden = !(share && left === 0); }
  }
  var saved = null;
  if (store) {
    try {
      for (var i = 0; i < store.length; i++) {
        var key = store.key(i);
        if (key && key.indexOf(P) === 0) {
          saved = saved || {};
          saved[key.slice(P.length)] = store.getItem(key);
        }
      }
    } catch (e) { saved = null; }
  }
  var lists = document.querySelectorAll("ul[data-list]");
  for (var n = 0; n < lists.length; n++) {
    var isShare = lists[n] === share;
    var open = 0;
    if (!saved && !isShare) { continue; }
    for (var li = lists[n].firstElementChild; li; li = li.nextElementSibling) {
      var box = li.firstElementChild;
      if (saved) {
        // Against the page as written (a reload may have restored boxes already).
        var s = saved[keyOf(li)];
        var want = s === undefined ? box.defaultChecked : s === "1";
        box.checked = want;
        if (want !== box.defaultChecked) { done += want ? 1 : -1; }
      }
      if (isShare) {
        if (!saved && open >= perDay) { break; }
        var later = box.checked || open >= perDay;
        if (!later) { open++; }
        if (later !== (li.className === "l")) { li.className = later ? "l" : ""; }
      }
    }
    if (isShare) { left = open; }
  }
  document.addEventListener("change", function (e) {
    var box = e.target;
    if (!box || box.type !== "checkbox" || box.className === "more") { return; }
    var li = box.parentNode;
    if (store) { try { store.setItem(P + keyOf(li), box.checked ? "1" : "0"); } catch (err) {} }
    done += box.checked ? 1 : -1;
    if (li.parentNode === share && li.className !== "l") { left += box.checked ? -1 : 1; }
    show();
  });
  show();
})();
""".strip()


def _csp_hash(source: str) -> str:
    digest = hashlib.sha256(source.encode("utf-8")).digest()
    return f"'sha256-{base64.b64encode(digest).decode('ascii')}'"


CONTENT_SECURITY_POLICY = (
    f"default-src 'none'; style-src {_csp_hash(STYLE)}; script-src {_csp_hash(SCRIPT)}; "
    "base-uri 'none'; form-action 'none'"
)


def h(text: str | None) -> str:
    """Escaped, one-line text for an HTML element or attribute."""
    return html.escape(clean(text), quote=True)


def tick_key(row: ExportRow) -> str:
    """What the page remembers a tick by: the list the person is on (their decision) and their
    profile URL, else their name and date. A tick on the removal checklist is not a tick on the
    nurture list; a later export of the same list keeps its ticks."""
    return _tick_key(row.decision, row.first_name, row.last_name, row.url, row.connected_on)


def _tick_key(
    decision: str | None, first: str, last: str, url: str, connected_on: str | None
) -> str:
    person = (
        clean(url) or f"name:{clean(f'{first} {last}'.strip()).casefold()}|{connected_on or ''}"
    )
    return f"{decision or 'undecided'}:{person}"


def write_page(
    items: Sequence[ChecklistItem], out: TextIO, only: str, *, per_day: int | None = None
) -> int:
    """The page for `items` (in export order). Returns how many people it lists."""
    pace = per_day or DEFAULT_PER_DAY
    groups = (
        [(d, [i for i in items if i[DECISION] == d]) for d in GROUP_ORDER]
        if only == "all"
        else [(None if only == "undecided" else only, list(items))]
    )
    ticked = sum(item[TICKED] for item in items)
    title = f"prune-tui: {TITLES[only].lower()}"
    out.write(
        "<!doctype html>\n"
        '<html lang="en">\n<head>\n<meta charset="utf-8">\n'
        f'<meta http-equiv="Content-Security-Policy" content="{CONTENT_SECURITY_POLICY}">\n'
        '<meta name="referrer" content="no-referrer">\n'
        '<base target="_blank">\n'
        '<meta name="viewport" content="width=device-width, initial-scale=1">\n'
        f"<title>{h(title)}</title>\n<style>{STYLE}</style>\n</head>\n<body>\n<main>\n"
        f"<h1>{h(TITLES[only])}</h1>\n"
    )
    if only in ("remove", "all"):
        removals = [item[TICKED] for item in items if item[DECISION] == Decision.REMOVE.value]
        out.write(
            f"<p>{sum(removals)} of {len(removals)} removed so far. Open each profile, choose "
            "More → Remove connection, then tick it off here: the page remembers your "
            "ticks.</p>\n"
        )
    out.write(f'<p id="progress" data-done="{ticked}" data-total="{len(items)}"></p>\n')
    for decision, group in groups:
        if only == "all":
            out.write(f"<h2>{h(SECTION[decision])} ({len(group):,})</h2>\n")
        if decision == "remove":
            _write_share(group, out, pace)
        else:
            _write_list(group, out, decision, SHOWN_FIRST)
    out.write(f"</main>\n<script>{SCRIPT}</script>\n</body>\n</html>\n")
    return len(items)


def _write_share(group: list[ChecklistItem], out: TextIO, pace: int) -> None:
    """The removals: today's share shown, the rest hidden until "Show all"."""
    open_rows = sum(not item[TICKED] for item in group)
    share = min(pace, open_rows)
    out.write(
        f"<p>Today's share: the first {share:,} not yet ticked ({pace:,} a day; change the "
        "pace in the app with p on the checklist).</p>\n"
        '<p id="met" hidden>Today\'s share is done. Well done: the rest can wait for '
        "tomorrow.</p>\n"
    )
    _show_all(out, "remove", len(group), shown=share, words="(those ticked off too)")
    out.write(f'<ul id="share" data-list="remove" data-per-day="{pace}">\n')
    # Shown: the first `pace` not ticked before this page was made (those ticked are behind
    # "Show all", as in the app).
    shown: set[int] = set()
    for index, item in enumerate(group):
        if len(shown) == pace:
            break
        if not item[TICKED]:
            shown.add(index)
    out.write(_items(group, "remove", shown))
    out.write("</ul>\n")


def _show_all(out: TextIO, listed: str, count: int, *, shown: int, words: str = "") -> None:
    """A box that shows a list's hidden rows by a style rule alone (no script needed)."""
    if count > shown:
        out.write(
            f'<input type="checkbox" class="more" id="all-{listed}" autocomplete="off"> '
            f'<label for="all-{listed}">Show all {count:,} {words}</label>\n'
        )


def _write_list(group: list[ChecklistItem], out: TextIO, decision: str | None, first: int) -> None:
    """Another list: its first rows shown, the rest behind "Show all"."""
    listed = decision or "undecided"
    _show_all(out, listed, len(group), shown=first)
    out.write(f'<ul data-list="{listed}">\n')
    out.write(_items(group, listed, range(first)))
    out.write("</ul>\n")


# A character HTML acts on: with spacing to tidy (a field's ends, a double space), what sends a
# row to h's work. Fields are joined by `|` to be tested at once; a `|` next to a space in the
# data only sends a plain row the longer way, to the same text.
_HTML_BUSY = re.compile("[&<>\"']")


def _link(url: str) -> str | None:
    """The profile link of an address other than the plain one (which needs no escaping)."""
    link = profile_link(url)
    return None if link is None else html.escape(link, quote=True)


def _items(group: list[ChecklistItem], listed: str, shown: Container[int]) -> str:
    """The `<li>` of each item: those at an index in `shown` shown, the rest behind "Show all"
    (class `l`)."""
    busy = _HTML_BUSY.search
    plain = PLAIN_PROFILE.match
    prefix = f"{listed}:"
    criteria_html: dict[str, str] = {"": ""}
    lines = []
    for index, (
        decision,
        first,
        last,
        position,
        company,
        note,
        url,
        on,
        ticked,
        criteria,
    ) in enumerate(group):
        joined = f"|{first}|{last}|{position}|{company}|{note}|{url}|"
        if (
            joined.isprintable()
            and "  " not in joined
            and "| " not in joined
            and " |" not in joined
            and not busy(joined)
        ):
            # The common row: nothing to clean or escape (the same text h would give).
            name = f"{first} {last}" if first and last else first or last or "(no name)"
            role = f"{position} at {company}" if position and company else position or company
            # The key, where it is not the list and the address the link already carries.
            if url:
                link = url if plain(url) else _link(url)
                key = None if link == url else url
            else:
                link = None
                key = _tick_key(decision, first, last, url, on)[len(prefix) :]
        else:
            name = h(f"{first} {last}".strip()) or "(no name)"
            position, company = clean(position), clean(company)
            role = h(f"{position} at {company}" if position and company else position or company)
            note = h(note)
            link = _link(url)
            key = _tick_key(decision, first, last, url, on)[len(prefix) :]
            if link is not None and key == link:
                key = None
        # A profile link opens in a new tab by the page's <base target>, without the referrer
        # (the page's policy): the bytes of `target` and `rel` on 10,000 links are left out.
        head = f'<a href="{link}">{name}</a>' if link else f'<span class="name">{name}</span>'
        crit = criteria_html.get(criteria)
        if crit is None:
            crit = criteria_html[criteria] = f'<div class="criteria">{h(criteria)}</div>'
        attribute = "" if key is None else f' data-key="{h(key)}"'
        box = "><input type=checkbox checked>" if ticked else "><input type=checkbox>"
        role = f" <span>{role}</span>" if role else ""
        note = f'<div class="note">Note: {note}</div>' if note else ""
        start = "<li" if index in shown else "<li class=l"
        lines.append(f"{start}{attribute}{box}{head}{role}{note}{crit}</li>\n")
    return "".join(lines)
