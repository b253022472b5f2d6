"""A parsed query (store/conditions.py `Query`, read by `prune_tui.services.query.parse`) as a
parameterised condition on `connections c` that stands on its own: evidence, criteria and
removals are read by correlated lookups on their primary keys, so any statement over
`connections c` can use it (docs/PRODUCT.md §11)."""

from __future__ import annotations

from typing import Any

from prune_tui.store.conditions import (
    CRITERION_KEYS,
    Context,
    Query,
    QueryError,
    Span,
    Term,
    Where,
)

# -- SQL --------------------------------------------------------------------------------------


MATCH_EVERYONE = Where("1")


def evidence_fact(name: str) -> str:
    """One fact of a connection's evidence, as SQL on `connections c`: the one rule of
    `prune_tui.store.attribution` (URL evidence by URL only; name-keyed evidence only where
    the name belongs to one connection), which the card, browse and every export follow too.
    Every query reads evidence through this one function."""
    from prune_tui.store.attribution import evidence_fact as attributed

    return attributed(name)


# Text terms read the folded words stored for each connection (`search_texts`, kept by
# triggers): SQLite's instr() on them in C, one primary-key lookup a row (EXISTS: a quarter
# faster than a scalar subquery). A Python function folding every row (below, for a database
# that lacks them) took 37 ms a word at 30,000.
STORED = "EXISTS (SELECT 1 FROM search_texts s WHERE s.connection_id = c.id AND ({test}))"
ANY_STORED = "instr(s.name, ?) > 0 OR instr(s.company, ?) > 0 OR instr(s.position, ?) > 0"
NAME_SQL = "fold(c.first_name || ' ' || c.last_name)"
TEXT_COLUMNS = {"name": NAME_SQL, "company": "fold(c.company)", "position": "fold(c.position)"}
DATE_COLUMNS = {"connected": "c.connected_on", "last-message": evidence_fact("last_message_at")}
# "personal" is any note that is not a pitch (a plain note counts: someone wrote to you).
NOTE_KINDS = {"personal": ("personal", "plain"), "pitch": ("pitch",), "none": ("none",)}


def compile_query(query: Query, context: Context | None = None) -> Where:
    """The condition selecting everyone the query matches. Every term compiles to 0 or 1,
    never NULL, so `-term` is exactly everyone the term leaves out.

    Raises QueryError for a query that the database cannot answer (messages before any
    messages file was imported). An empty query is MATCH_EVERYONE: callers that act on
    people refuse it before they get here."""
    context = context or Context()
    if query.is_empty:
        return MATCH_EVERYONE
    sql: list[str] = []
    params: list[Any] = []
    for group in query.groups:
        parts = []
        for term in group:
            part, more = _term_sql(term, context)
            parts.append(f"NOT {part}" if term.negated else part)
            params.extend(more)
        sql.append(parts[0] if len(parts) == 1 else "(" + " OR ".join(parts) + ")")
    return Where(" AND ".join(sql), tuple(params))


def _term_sql(term: Term, context: Context) -> tuple[str, list[Any]]:
    key = term.key
    if key == "text":
        # In the name, company or position.
        if context.words_stored:
            return STORED.format(test=ANY_STORED), [term.value] * 3
        # `has_words` (store/database.py) folds each and looks for the needle, as
        # `instr(fold(…), ?) > 0` on each would.
        return (
            "has_words(?, c.first_name || ' ' || c.last_name, c.company, c.position)",
            [term.value],
        )
    if key in TEXT_COLUMNS:
        if context.words_stored:
            return STORED.format(test=f"instr(s.{key}, ?) > 0"), [term.value]
        return f"(instr({TEXT_COLUMNS[key]}, ?) > 0)", [term.value]
    if key in ("messages", "last-message") and not context.messages_known:
        raise QueryError(
            "no messages file has been imported yet, so who you messaged is "
            "not known; import your whole LinkedIn export (the .zip) first",
            term.source,
        )
    if key in ("invited", "invitation") and not context.invitations_known:
        raise QueryError(
            "no invitations file has been imported yet, so who invited whom is not known; "
            "import your whole LinkedIn export (the .zip) first",
            term.source,
        )
    if key in DATE_COLUMNS:
        return _span_sql(DATE_COLUMNS[key], term.value)
    if key == "messages":
        low, high = term.value
        count = f"coalesce({evidence_fact('message_count')}, 0)"
        if high is None:
            return f"({count} >= ?)", [low]
        return f"({count} BETWEEN ? AND ?)", [low, high]
    values: frozenset[str] = term.value
    if key in CRITERION_KEYS:
        return _criterion_sql(CRITERION_KEYS[key], values)
    return _choice_sql(key, values, context)


def _span_sql(column: str, span: Span) -> tuple[str, list[Any]]:
    if span.none:
        return f"({column} IS NULL)", []
    clauses: list[str] = []
    params: list[Any] = []
    if span.start is not None:
        clauses.append(f"{column} >= ?")
        params.append(span.start)
    if span.end is not None:
        clauses.append(f"{column} < ?")
        params.append(span.end)
    return f"coalesce({' AND '.join(clauses)}, 0)", params


def _in(column: str, values: list[str]) -> tuple[str, list[Any]]:
    marks = ", ".join("?" * len(values))
    return f"{column} IN ({marks})", list(values)


def _choice_sql(key: str, values: frozenset[str], context: Context) -> tuple[str, list[Any]]:
    chosen = sorted(values)
    if key == "decision":
        parts: list[str] = []
        params: list[Any] = []
        named = [v for v in chosen if v != "undecided"]
        if named:
            sql, params = _in("c.decision", named)
            parts.append(f"coalesce({sql}, 0)")
        if "undecided" in values:
            parts.append("c.decision IS NULL")
        return "(" + " OR ".join(parts) + ")", params
    if key == "status":
        sql, params = _in("c.status", chosen)
        return f"({sql})", params
    if key == "invited":
        column = evidence_fact("invited_by")
        parts = []
        params = []
        named = [v for v in chosen if v != "none"]
        if named:
            sql, params = _in(column, named)
            parts.append(f"coalesce({sql}, 0)")
        if "none" in values:
            parts.append(f"{column} IS NULL")
        return "(" + " OR ".join(parts) + ")", params
    if key == "invitation":
        kinds = sorted({kind for v in chosen for kind in NOTE_KINDS[v]})
        sql, params = _in(f"note_kind({evidence_fact('invitation_message')})", kinds)
        return f"({sql})", params
    if values == {"yes", "no"}:
        return "(1)", []
    yes = "yes" in values
    if key == "new":
        if context.new_import is None:
            return ("(0)" if yes else "(1)"), []
        sql = "coalesce(c.first_import_id = ?, 0)"
        return (f"({sql})" if yes else f"(NOT {sql})"), [context.new_import]
    if key == "note":
        return ("(c.note != '')" if yes else "(c.note = '')"), []
    if key == "removed":
        removed = (
            "EXISTS (SELECT 1 FROM removals rm WHERE rm.connection_id = c.id AND "
            "(rm.marked_at IS NOT NULL OR rm.confirmed_at IS NOT NULL))"
        )
        return (f"({removed})" if yes else f"(NOT {removed})"), []
    raise AssertionError(f"unhandled term {key}")  # pragma: no cover


def _criterion_sql(number: int, values: frozenset[str]) -> tuple[str, list[Any]]:
    answer = "(SELECT cr.value FROM criteria cr WHERE cr.connection_id = c.id AND cr.criterion = ?)"
    wanted = []
    if "yes" in values:
        wanted.append("1")
    if "no" in values:
        wanted.append("0")
    if "unanswered" in values:
        wanted.append("-1")
    return f"(coalesce({answer}, -1) IN ({', '.join(wanted)}))", [number]
