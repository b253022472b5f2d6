"""Someone who chose a new profile address since the last export, carried over to it (a re-import,
store/importing.py's staging): their record, decisions, note and evidence stay theirs."""

from __future__ import annotations

from sqlalchemy import Connection

# LinkedIn lets people choose their profile address, and a later export shows the new one: a
# connection the newer export lacks and a new row of the same name, connected the same day, are
# one person, when no one else shares that name and day on either side. (Else they would count
# as someone gone, a removal "confirmed" while still connected, and a stranger to decide again.)
_READDRESSED = """
CREATE TEMP TABLE readdressed AS
WITH arriving AS MATERIALIZED (
    SELECT i.key, i.slug, i.name_key, i.connected_on FROM incoming i
    WHERE i.slug IS NOT NULL AND i.connected_on IS NOT NULL AND i.name_key != ''
      AND NOT EXISTS (SELECT 1 FROM connections c WHERE c.key = i.key)
),
going AS MATERIALIZED (
    -- Only the names of the few who arrive are looked up in temp.incoming.
    SELECT c.id, c.key, c.name_key, c.connected_on FROM connections c
    WHERE c.name_key IN (SELECT name_key FROM arriving)
      AND c.status = 'active' AND c.slug IS NOT NULL AND c.connected_on IS NOT NULL
      AND NOT EXISTS (SELECT 1 FROM incoming i WHERE i.key = c.key)
),
one_going AS (
    SELECT name_key, connected_on, min(id) AS id, min(key) AS old_key FROM going
    GROUP BY name_key, connected_on HAVING count(*) = 1
),
one_arriving AS (
    SELECT name_key, connected_on, min(key) AS new_key, min(slug) AS new_slug FROM arriving
    GROUP BY name_key, connected_on HAVING count(*) = 1
)
SELECT g.id, g.old_key, a.new_key, a.new_slug
FROM one_going g JOIN one_arriving a USING (name_key, connected_on)
"""


def readdress_staged(conn: Connection) -> int:
    """Carry over to their new profile address the connections who chose one since the last
    export (see above): their record, decisions and evidence stay theirs. Returns how many.
    After `match_staged` (temp.incoming's key index built)."""
    sql = conn.exec_driver_sql
    sql("DROP TABLE IF EXISTS temp.readdressed")
    sql(_READDRESSED)
    count = int(sql("SELECT count(*) FROM temp.readdressed").scalar_one())
    if count:
        # Evidence is filed by profile slug (store/attribution.py): it moves with them, unless
        # something is already filed under the new one.
        sql(
            "UPDATE OR IGNORE evidence SET person = r.new_slug "
            "FROM temp.readdressed r WHERE evidence.person = r.old_key"
        )
        sql(
            "UPDATE connections SET key = r.new_key, slug = r.new_slug "
            "FROM temp.readdressed r WHERE connections.id = r.id"
        )
    sql("DROP TABLE temp.readdressed")
    return count
