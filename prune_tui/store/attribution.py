"""Whose evidence is whose: the one rule every reader of evidence follows (the card, browse, the
suggestion, the review orders, stats and every export).

Evidence is filed per person, not per connection (store/schema.py): under the profile slug, or
under a name for files without URLs. The rule:

- Evidence filed under a profile slug belongs to the connection with that slug, and to no one
  else: two people who share a name never share messages.
- Evidence filed under `name:<name key>` (a file or rows without URLs: old exports,
  recommendations) belongs to a connection only when that name belongs to exactly one
  connection. It fills what the slug's evidence lacks, and is marked as matched by name only.
- Rows of a file that give only a name (a 2019–2022 messages.csv names each recipient without
  a URL) are filed under the URL the same file pairs with that name, when it pairs it with one
  URL only and no two connections bear the name; else under the name (services/evidence.py).
- A file that pairs a name with a URL also files the URL's evidence under `aka:<name key>`:
  it serves a connection from an export without URLs (no slug of its own), again only when the
  name belongs to exactly one connection, and again marked as matched by name only.

Which connection takes which name-keyed row is computed by `match_names` into the small
`name_matches` table whenever connections or evidence change (every import and restore, in the
same transaction), so reading stays a pair of primary-key lookups per connection.
"""

from __future__ import annotations

import json
from collections.abc import Sequence

from sqlalchemy import Connection

NAME_PREFIX = "name:"
ALIAS_PREFIX = "aka:"

# Groups of facts, each taken whole from one source: the slug's row, or else the name's.
MESSAGE_FACTS = ("message_count", "first_message_at", "last_message_at", "last_message_from")
INVITATION_FACTS = ("invited_by", "invited_at", "invitation_message")
COUNT_FACTS = (
    "endorsements_given",
    "endorsements_received",
    "recommendations_given",
    "recommendations_received",
)

# The joins every reader adds to `FROM connections c`: e1 is the connection's own row (its
# slug's, or for a connection without a slug the URL evidence filed under its unique name),
# e2 what files without URLs say under its unique name.
EVIDENCE_JOIN = """
LEFT JOIN name_matches m ON m.connection_id = c.id
LEFT JOIN evidence e1 ON e1.person = coalesce(c.slug, m.alias)
LEFT JOIN evidence e2 ON e2.person = m.person
"""


def _has(alias: str, name: str) -> str:
    """Does row `alias` hold the group of facts `name` belongs to?"""
    if name in MESSAGE_FACTS:
        return f"coalesce({alias}.message_count, 0) > 0"
    if name in INVITATION_FACTS:
        return f"{alias}.invited_by IS NOT NULL"
    return f"coalesce({alias}.{name}, 0) != 0"


def evidence_column(name: str) -> str:
    """One evidence column for `connections c` (with EVIDENCE_JOIN), by the rule above."""
    return f"(CASE WHEN {_has('e1', name)} THEN e1.{name} ELSE e2.{name} END)"


def by_name_column(name: str) -> str:
    """1 when the facts of `name`'s group were matched by name only, else 0."""
    return (
        f"(CASE WHEN {_has('e1', name)} THEN c.slug IS NULL "
        f"WHEN {_has('e2', name)} THEN 1 ELSE 0 END)"
    )


# The review order "never messaged first" asks this of every connection, as one predicate.
MESSAGED = (
    "(coalesce((SELECT e.message_count FROM evidence e WHERE e.person = c.slug), 0) > 0 "
    "OR EXISTS (SELECT 1 FROM name_matches m JOIN evidence e ON e.person IN (m.alias, m.person) "
    "WHERE m.connection_id = c.id AND e.message_count > 0))"
)

# Most imports (a Connections.csv alone, a modern export without recommendations) have none.
ANY_NAME_KEYED_SQL = (
    f"SELECT 1 FROM evidence WHERE (person >= '{NAME_PREFIX}' AND person < 'name;') "
    f"OR (person >= '{ALIAS_PREFIX}' AND person < 'aka;') LIMIT 1"
)

MATCH_SQL = f"""
INSERT INTO name_matches (connection_id, alias, person)
WITH wanted (name_key) AS (
    SELECT DISTINCT substr(person, length('{NAME_PREFIX}') + 1) FROM evidence
    WHERE person >= '{NAME_PREFIX}' AND person < 'name;'
    UNION
    SELECT substr(person, length('{ALIAS_PREFIX}') + 1) FROM evidence
    WHERE person >= '{ALIAS_PREFIX}' AND person < 'aka;'
),
candidates AS (
    SELECT c.id, c.slug, c.name_key, count(*) OVER (PARTITION BY c.name_key) AS sharing
    FROM connections c
    -- One pass over the connections, each probing the few names wanted (an index over every
    -- connection's name would cost more than the whole match).
    WHERE c.name_key IN (SELECT name_key FROM wanted) AND c.name_key != ''
),
matched AS (
    SELECT id,
        CASE WHEN slug IS NULL AND EXISTS (
            SELECT 1 FROM evidence a WHERE a.person = '{ALIAS_PREFIX}' || name_key)
        THEN '{ALIAS_PREFIX}' || name_key END AS alias,
        CASE WHEN EXISTS (
            SELECT 1 FROM evidence n WHERE n.person = '{NAME_PREFIX}' || name_key)
        THEN '{NAME_PREFIX}' || name_key END AS person
    FROM candidates WHERE sharing = 1
)
SELECT id, alias, person FROM matched WHERE alias IS NOT NULL OR person IS NOT NULL
"""


def match_names(conn: Connection) -> None:
    """Recompute which connection takes which name-keyed evidence (inside the caller's
    transaction). A name shared by two connections attaches to neither."""
    conn.exec_driver_sql("DELETE FROM name_matches")
    if conn.exec_driver_sql(ANY_NAME_KEYED_SQL).first() is not None:
        conn.exec_driver_sql(MATCH_SQL)


def alias_key(name_token: str) -> str:
    """`aka:<name key>` for a `name:<name key>` token."""
    return ALIAS_PREFIX + name_token.removeprefix(NAME_PREFIX)


# The same rule as correlated lookups, for conditions over `connections c` without the joins
# (the query language, prune_tui.services.query).
_OWN_PERSON = "coalesce(c.slug, (SELECT m.alias FROM name_matches m WHERE m.connection_id = c.id))"
_NAME_PERSON = "(SELECT m.person FROM name_matches m WHERE m.connection_id = c.id)"


def evidence_fact(name: str) -> str:
    """One evidence column for `connections c`, by the rule above, as a scalar subquery."""
    own = f"(SELECT ev.{name} FROM evidence ev WHERE ev.person = {_OWN_PERSON})"
    by_name = f"(SELECT ev.{name} FROM evidence ev WHERE ev.person = {_NAME_PERSON})"
    if name in MESSAGE_FACTS:
        group = "message_count"
        has = (
            f"coalesce((SELECT ev.{group} FROM evidence ev WHERE ev.person = {_OWN_PERSON}), 0) > 0"
        )
    elif name in INVITATION_FACTS:
        has = f"(SELECT ev.invited_by FROM evidence ev WHERE ev.person = {_OWN_PERSON}) IS NOT NULL"
    else:
        has = f"coalesce({own}, 0) != 0"
    return f"(CASE WHEN {has} THEN {own} ELSE {by_name} END)"


def shared_name_keys(
    conn: Connection, name_keys: Sequence[str], staged: bool, *, least: int = 2
) -> set[str]:
    """Which of `name_keys` two or more connections bear (`least`: this many or more), known
    or in temp.incoming when `staged` (a person in both counts once)."""
    wanted = "name_key IN (SELECT value FROM json_each(?))"
    people = f"SELECT key, name_key FROM connections WHERE {wanted}"
    params: tuple[str, ...] = (json.dumps(list(name_keys)),)
    if staged:
        people += f" UNION SELECT key, name_key FROM temp.incoming WHERE {wanted}"
        params += params
    found = conn.exec_driver_sql(
        f"SELECT name_key FROM ({people}) GROUP BY name_key "
        f"HAVING count(DISTINCT key) >= {int(least)}",
        params,
    )
    return {row[0] for row in found}
