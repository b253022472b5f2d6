"""The house is checked by tools, not by review: the direction of imports by import-linter's
contracts in pyproject.toml, and where SQL lives by a scan of every module's source
(docs/ARCHITECTURE.md explains the rooms)."""

from __future__ import annotations

import ast
import re
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def test_import_contracts_are_kept() -> None:
    result = subprocess.run(
        [
            sys.executable,
            "-c",
            "import sys; from importlinter.cli import lint_imports; "
            "sys.exit(lint_imports(no_cache=True))",
        ],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "broken" in result.stdout and " 0 broken" in result.stdout
    # The layers themselves are a contract, not a habit: cli > tui > services, exports > store
    # > formats > text.
    assert "Layers: cli > tui > services, exports > store > formats > text KEPT" in result.stdout


# -- every SQL statement lives in prune_tui/store/ -------------------------------------------------

PACKAGE = ROOT / "prune_tui"
# Modules outside store/ allowed to hold SQL: none. (A module that holds none must not be
# listed: the test below says so.)
STILL_HOLDING_SQL: set[str] = set()

# SQL as this code base writes it: upper-case keywords, and `alias.column` compared.
SQL_TEXT = re.compile(
    r"\b(?:SELECT|INSERT\s+(?:OR\s+\w+\s+)?INTO|UPDATE\s+\w+\s+SET|DELETE\s+FROM|REPLACE\s+INTO"
    r"|CREATE\s+(?:UNIQUE\s+|TEMP(?:ORARY)?\s+)?(?:TABLE|INDEX|VIEW|TRIGGER)"
    r"|DROP\s+(?:TABLE|INDEX|VIEW|TRIGGER)|ALTER\s+TABLE|PRAGMA|ROLLBACK|SAVEPOINT|VACUUM"
    r"|BEGIN\s+(?:IMMEDIATE|EXCLUSIVE|DEFERRED|TRANSACTION)|ATTACH\s+DATABASE"
    r"|WHERE|ORDER\s+BY|GROUP\s+BY|JOIN|ON\s+CONFLICT|RETURNING|IS\s+(?:NOT\s+)?NULL"
    r"|CASE\s+WHEN)\b"
    r"|\b[a-z]{1,2}\.[a-z_]+\s*(?:=|!=|<>|<=|>=|<|>|\bIS\b|\bIN\b|\bLIKE\b)"
)
# Running statements, or reaching past SQLAlchemy to the driver.
DATABASE_CALLS = {
    "exec_driver_sql",
    "execute",
    "executemany",
    "executescript",
    "driver_connection",
    "raw_connection",
    "set_progress_handler",
}
# What a module outside storage may take from SQLAlchemy: the connection type it passes on,
# and the errors it turns into words.
SQLALCHEMY_NAMES = {"Connection", "Engine"}


def _string_text(node: ast.AST) -> str | None:
    """A string literal's text; an f-string's literal parts, with "{}" for each expression."""
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        return node.value
    if isinstance(node, ast.JoinedStr):
        return "".join(
            part.value if isinstance(part, ast.Constant) else "{}" for part in node.values
        )
    return None


def sql_in(source: str) -> list[str]:
    """Where a module's source writes SQL or uses SQLAlchemy Core or the driver: one line each,
    "line N: what"."""
    found = []
    for node in ast.walk(ast.parse(source)):
        line = getattr(node, "lineno", 0)
        text = _string_text(node)
        if text is not None and (match := SQL_TEXT.search(text)):
            found.append(f"line {line}: SQL text {match.group(0)!r}")
        elif isinstance(node, ast.Attribute) and node.attr in DATABASE_CALLS:
            found.append(f"line {line}: .{node.attr}")
        elif isinstance(node, ast.Import):
            for alias in node.names:
                if alias.name.split(".")[0] in ("sqlalchemy", "sqlite3"):
                    found.append(f"line {line}: import {alias.name}")
        elif isinstance(node, ast.ImportFrom) and node.module:
            module = node.module
            if module == "sqlite3" or module == "prune_tui.store.schema":
                found.append(f"line {line}: from {module} import …")
            elif module.split(".")[0] == "sqlalchemy" and module != "sqlalchemy.exc":
                names = {alias.name for alias in node.names} - SQLALCHEMY_NAMES
                if module != "sqlalchemy" or names:
                    found.append(f"line {line}: from {module} import {', '.join(sorted(names))}")
    return sorted(set(found), key=lambda hit: (int(hit.split(":")[0].split()[1]), hit))


def _modules_outside_store() -> dict[str, str]:
    return {
        path.relative_to(PACKAGE).as_posix(): path.read_text(encoding="utf-8")
        for path in sorted(PACKAGE.rglob("*.py"))
        if path.relative_to(PACKAGE).parts[0] != "store"
    }


def test_no_sql_outside_the_storage_package() -> None:
    offenders = {
        name: hits
        for name, source in _modules_outside_store().items()
        if name not in STILL_HOLDING_SQL and (hits := sql_in(source))
    }
    assert not offenders, "SQL belongs in prune_tui/store/, behind a named function:\n" + "\n".join(
        f"prune_tui/{name} {hit}" for name, hits in offenders.items() for hit in hits
    )


def test_the_list_of_modules_still_holding_sql_is_not_stale() -> None:
    modules = _modules_outside_store()
    stale = sorted(
        name for name in STILL_HOLDING_SQL if name not in modules or not sql_in(modules[name])
    )
    assert not stale, f"these hold no SQL any more: take them off STILL_HOLDING_SQL: {stale}"


def test_the_sql_check_sees_statements_fragments_and_core() -> None:
    assert sql_in('x = conn.exec_driver_sql("SELECT 1")') == [
        "line 1: .exec_driver_sql",
        "line 1: SQL text 'SELECT'",
    ]
    assert sql_in('a = 1\nb = "DELETE FROM touches"') == ["line 2: SQL text 'DELETE FROM'"]
    assert sql_in('q = (\n    f"UPDATE connections SET note = ? "\n    "WHERE id = {n}"\n)')
    assert sql_in("clause = \"c.decision = 'keep'\"")
    assert sql_in("from sqlalchemy import select, Connection") == [
        "line 1: from sqlalchemy import select"
    ]
    assert sql_in("import sqlite3")
    assert sql_in("from prune_tui.store.schema import connections")
    assert sql_in("driver = conn.connection.driver_connection")
    # Words and code that only look alike are not SQL.
    assert not sql_in('"""Select the people to keep; order by date, then where they work."""')
    assert not sql_in('line = f"{s.dunbar > limit}"; lines = ["BEGIN:VCALENDAR"]')
    assert not sql_in(
        "from sqlalchemy import Connection\nfrom sqlalchemy.exc import DBAPIError\n"
        "def f(conn: Connection) -> None: ..."
    )


# -- sizes: a module over MODULE_LINES lines or a function over FUNCTION_LINES says why --------

MODULE_LINES = 400
FUNCTION_LINES = 60
REASON = "One piece:"
# Modules allowed past MODULE_LINES, each one cohesive thing: why it is one module.
LONG_MODULES = {
    "services/review.py": "the review queue's one service class: every method shares its queue",
    "formats/messages.py": "messages.csv's one streaming reader; its per-row loop is tuned",
    "formats/tables.py": "the one table reader every CSV goes through: encodings, zips, limits",
    "store/database.py": "opening a database: checks, migrations and the engine's settings",
    "store/invitations.py": "every SQL statement of the invitations, behind named functions",
    "exports/formats.py": "the export formats' writers side by side, one escaping rule each",
    "demo.py": "the demo network's generator: names, companies and their messages",
    "cli/commands.py": "the command line's parser and its dispatch table, one per subcommand",
    "services/evidence.py": "the evidence registry: every kind's reader, staging and writes",
    "tui/widgets/paged.py": "the paged table: keyset pages, cursor, selection, redraws",
    "tui/screens/browse.py": "the browse screen: its table, filters, marks and bulk actions",
    "tui/screens/checklist.py": "the removal checklist screen and its keys",
    "tui/screens/invitations.py": "the invitations screen: the card, its keys and the checklist",
    "tui/screens/review.py": "the review screen: the card, its keys, undo and the queue",
}


def _python_modules() -> dict[str, str]:
    return {
        str(path.relative_to(PACKAGE)): path.read_text(encoding="utf-8")
        for path in sorted(PACKAGE.rglob("*.py"))
    }


def long_functions_without_reason(source: str, limit: int = FUNCTION_LINES) -> list[str]:
    """Functions (methods and nested ones too) over `limit` lines, counted from `def` to their
    last line, whose docstring or the comments between the signature and the first statement
    do not contain REASON."""
    lines = source.splitlines()
    found = []
    for node in ast.walk(ast.parse(source)):
        if not isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
            continue
        length = (node.end_lineno or node.lineno) - node.lineno + 1
        if length <= limit:
            continue
        first = node.body[0]
        head = "\n".join(lines[node.lineno - 1 : first.lineno - 1])
        docstring = ast.get_docstring(node) or ""
        if REASON not in docstring and REASON not in head:
            found.append(f"{node.name} (line {node.lineno}, {length} lines)")
    return found


def test_long_functions_say_why_they_are_one_piece() -> None:
    offenders = {
        name: found
        for name, source in _python_modules().items()
        if (found := long_functions_without_reason(source))
    }
    assert not offenders, (
        f"split these functions, or say in their docstring or a comment right under the def "
        f"why one piece reads better ('{REASON} ...'): {offenders}"
    )


def test_long_modules_are_listed_with_a_reason() -> None:
    sizes = {name: len(source.splitlines()) for name, source in _python_modules().items()}
    unlisted = sorted(
        f"{name} ({size} lines)"
        for name, size in sizes.items()
        if size > MODULE_LINES and name not in LONG_MODULES
    )
    assert not unlisted, f"split these modules, or list them in LONG_MODULES with why: {unlisted}"
    stale = sorted(name for name in LONG_MODULES if sizes.get(name, 0) <= MODULE_LINES)
    assert not stale, f"these are short now (or gone): take them off LONG_MODULES: {stale}"
    assert all(reason.strip() for reason in LONG_MODULES.values())


def test_the_size_check_sees_a_long_function_and_its_reason() -> None:
    body = "".join(f"    x{i} = {i}\n" for i in range(FUNCTION_LINES))
    assert long_functions_without_reason(f"def f():\n{body}") == ["f (line 1, 61 lines)"]
    nested = f"class C:\n    def m(self):\n    {body.replace(chr(10), chr(10) + '    ')}"
    assert long_functions_without_reason(nested.rstrip() + "\n") == ["m (line 2, 61 lines)"]
    assert not long_functions_without_reason(f'def f():\n    """{REASON} a table."""\n{body}')
    assert not long_functions_without_reason(f"def f(\n    a,\n):  # {REASON} a table.\n{body}")
    assert not long_functions_without_reason(f"def f():\n    # {REASON} a table.\n{body}")
    # A reason further down the body does not count.
    assert long_functions_without_reason(f"def f():\n{body}    # {REASON} late\n    y = 1\n")
    # Short functions need none.
    assert not long_functions_without_reason("def f():\n    return 1\n")


# -- comments point into docs/ ------------------------------------------------------------------


def test_every_reference_to_the_product_and_style_notes_points_into_docs() -> None:
    """The product facts and the style guide live in docs/; a comment that names the product notes
    without the folder points at a file a reader of the repository cannot find."""
    bare = re.compile(r"(?<![\w/])(?:PRODUCT|STYLE)\.md")
    stray = [
        f"{path.relative_to(ROOT)}:{number}"
        for folder in ("prune_tui", "scripts", "tests")
        for path in sorted((ROOT / folder).rglob("*.py"))
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1)
        if bare.search(line)
    ]
    assert not stray, "say docs/PRODUCT.md or docs/STYLE.md: " + ", ".join(stray)
