"""Bounds on the work one import may do, set well above any real export.

LinkedIn caps a network at 30,000 connections, and a heavy "Complete" export holds about
1,000,000 message rows (a few hundred MB of text). A file past one of these limits is not a
LinkedIn export, or is damaged, or was built to exhaust the machine: the import stops with an
error naming the file and the limit, and nothing is changed. Tests lower them with monkeypatch,
so generated bombs stay small and fast; code reads them as `limits.NAME` at the time of use.
"""

from __future__ import annotations

from prune_tui.text.words import n

# Uncompressed bytes read in one import, over every file (an archive's members or a folder's).
MAX_TOTAL_BYTES = 4 * 1024**3
# Uncompressed to compressed size of one archive member, once the member is past RATIO_FLOOR
# (CSV text deflates 4–10×; a file of blank lines or one repeated byte, 1,000×).
MAX_RATIO = 200
RATIO_FLOOR = 1024**2
# Entries in an archive, or CSV files in a folder (an export has a few dozen).
MAX_MEMBERS = 10_000
# Characters in one CSV field (an unclosed quote turns the rest of a file into one field).
MAX_FIELD_CHARS = 64 * 1024**2
# Records in one file, blank lines included (messages.csv: about 1,000,000 in a heavy export).
MAX_ROWS = 5_000_000
# Rows of one Connections.csv that repeat a connection (merged into its first row).
MAX_REPEATED_ROWS = 100_000
# A text kept from the data (a name, company, position, invitation note) keeps this many
# characters; the rest is dropped and the import summary says how many fields were shortened.
KEPT_CHARS = 10_000


def size_words(count: int) -> str:
    """`4 GiB`, `64 MiB`, `512 bytes`: a limit in the words an error message uses."""
    for unit, size in (("GiB", 1024**3), ("MiB", 1024**2), ("KiB", 1024)):
        if count >= size and count % size == 0:
            return f"{n(count // size)} {unit}"
    return f"{n(count)} bytes"
