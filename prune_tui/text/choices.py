"""The words the command line accepts (docs/PRODUCT.md §3, a contract scripts depend on), one
tuple each: the argument parser, the exports, the bulk commands, the `due` command and the
tests all read these. Importing this module loads nothing else, so the parser stays cheap."""

from __future__ import annotations

# `export --only`: which decision (all: everyone).
EXPORT_ONLY = ("remove", "nurture", "keep", "undecided", "all")
# `export --format`.
EXPORT_FORMATS = ("md", "csv", "html", "json", "urls")
# `decide DECISION --where QUERY`.
DECISIONS = ("keep", "nurture", "remove", "undecided")
# `due --format`.
DUE_FORMATS = ("text", "json", "ics")
