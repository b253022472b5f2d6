"""The command line (docs/PRODUCT.md §3): argument parsing and exit codes.

0 done; 2 bad input or usage (one line on stderr); 1 an unexpected internal error (a short
message; the traceback only with --debug). The import/export/stats commands never load Textual.
"""

from __future__ import annotations

import argparse
import contextlib
import gc
import json
import os
import re
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING, NoReturn, TextIO

from prune_tui import __version__
from prune_tui.errors import UserError
from prune_tui.text.choices import DECISIONS, DUE_FORMATS, EXPORT_FORMATS, EXPORT_ONLY

if TYPE_CHECKING:
    from prune_tui.services.query import Where
    from prune_tui.store.database import Database
    from prune_tui.tui.app import PruneApp

PROG = "prune-tui"


class UsageError(UserError):
    pass


class _Parser(argparse.ArgumentParser):
    def error(self, message: str) -> NoReturn:
        hint = _did_you_mean(message)
        raise UsageError(f"{message}{hint} (see `{PROG} --help`)")


def _did_you_mean(message: str) -> str:
    """`invalid choice: 'imprt'` → `; did you mean 'import'?`"""
    import difflib

    found = re.search(r"invalid choice: '([^']*)' \(choose from (.*)\)", message)
    if not found:
        return ""
    choices = re.findall(r"'([^']*)'", found.group(2))
    close = difflib.get_close_matches(found.group(1), choices, n=1)
    return f"; did you mean '{close[0]}'?" if close else ""


def _common() -> _Parser:
    common = _Parser(add_help=False)
    common.add_argument(
        "--db",
        metavar="PATH",
        default=argparse.SUPPRESS,
        help="the database file (default: $PRUNE_TUI_DB, else prune.db in your data folder)",
    )
    common.add_argument(
        "--debug",
        action="store_true",
        default=argparse.SUPPRESS,
        help="show the full traceback of an unexpected error",
    )
    return common


def build_parser() -> argparse.ArgumentParser:
    """The command line's parser.

    One piece: a table of the subcommands and their flags, read top to bottom like `--help`."""
    common = _common()
    parser = _Parser(
        prog=PROG,
        description="Prune your LinkedIn network card by card, privately and offline.",
        parents=[common],
        epilog="Run without a command to open the app.",
    )
    parser.add_argument("--version", action="version", version=f"{PROG} {__version__}")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND", parser_class=_Parser)

    imp = sub.add_parser(
        "import",
        parents=[common],
        help="import a LinkedIn export (.zip, folder, Connections.csv, messages.csv, "
        "Invitations.csv) or a JSON backup",
    )
    imp.add_argument("path", metavar="PATH")
    imp.add_argument(
        "--allow-shrink",
        action="store_true",
        help="accept a file that would mark more than a fifth of your connections as gone",
    )
    imp.add_argument(
        "--allow-older",
        action="store_true",
        help="apply an export older than one already imported (it undoes newer changes)",
    )
    imp.add_argument("--again", action="store_true", help="apply a file that was imported before")

    exp = sub.add_parser(
        "export",
        parents=[common],
        help="write a checklist, list or backup",
        description="Write the connections you chose, sorted by decision (remove, nurture, "
        "keep, undecided), then by name, then by profile URL. `--format json` is the full "
        "backup (oldest connection first) that `prune-tui import` restores.",
    )
    exp.add_argument(
        "--only",
        choices=EXPORT_ONLY,
        default="remove",
        help="which decision to export (default: remove)",
    )
    exp.add_argument(
        "--format",
        choices=EXPORT_FORMATS,
        default="md",
        help="md checklist, csv, standalone html page, json backup, or one URL per line "
        "(default: md)",
    )
    exp.add_argument(
        "-o", "--output", metavar="FILE", help="write here (readable by you only), not stdout"
    )
    exp.add_argument(
        "--where",
        metavar="QUERY",
        help="only the people matching a query (with --only, both apply), e.g. 'company:acme'",
    )

    st = sub.add_parser("stats", parents=[common], help="decisions and progress so far")
    st.add_argument("--json", action="store_true", help="one JSON object")

    inv = sub.add_parser(
        "invitations",
        parents=[common],
        help="pending invitations to screen or withdraw, and what to do on LinkedIn",
    )
    inv.add_argument("--json", action="store_true", help="every pending invitation, as JSON")
    due = sub.add_parser(
        "due",
        parents=[common],
        help="who to reach out to, and when",
        description="Everyone you keep or nurture with a cadence: who is due now, and when the "
        "others fall due. `--format ics` writes a calendar your own calendar app imports "
        "(again: it updates, never duplicates).",
    )
    due.add_argument("--json", action="store_true", help="a JSON list, sorted by due day")
    due.add_argument("--format", choices=DUE_FORMATS, help="text, json or ics")
    due.add_argument(
        "-o", "--output", metavar="FILE", help="write here (readable by you only), not stdout"
    )

    _add_bulk_commands(sub, common)
    sub.add_parser("demo", parents=[common], help="open the app on a generated sample network")
    sub.add_parser("where", parents=[common], help="print the database, config and export paths")
    return parser


def _add_bulk_commands(sub: argparse._SubParsersAction[_Parser], common: _Parser) -> None:
    dec = sub.add_parser(
        "decide",
        parents=[common],
        help="a decision for everyone matching a query (a dry run unless --yes)",
        description="Decide for everyone matching a query, as one change that `prune-tui "
        "undo` takes back whole. Without --yes nothing changes: it prints how many would "
        "change, with a few names. Only undecided people still connected are changed, unless "
        "you add --include-decided (or the query names a status:). Query terms: see the "
        "README or the help screen (?) in the app; e.g. 'messages:0 connected:<2016 "
        "invited:them'.",
    )
    dec.add_argument("decision", choices=DECISIONS, help="the decision to make")
    dec.add_argument("--where", metavar="QUERY", required=True, help="who: a query")
    dec.add_argument(
        "--include-decided",
        action="store_true",
        help="also change people decided already (one by one or by an earlier rule)",
    )
    dec.add_argument("--yes", action="store_true", help="apply it (otherwise only show it)")
    sub.add_parser(
        "undo",
        parents=[common],
        help="take back the last change (a decision by rule is one change)",
    )


def run() -> NoReturn:
    """The `prune-tui` command: `main`, then an immediate exit. By then every change is
    committed, every file closed and the terminal restored; tearing the interpreter down would
    only free memory the system reclaims anyway (a tenth of a second after a large import)."""
    code = main()
    for stream in (sys.stdout, sys.stderr):
        with contextlib.suppress(BrokenPipeError, ValueError):
            stream.flush()
    os._exit(code)


def main(argv: Sequence[str] | None = None) -> int:
    args_list = list(sys.argv[1:] if argv is None else argv)
    debug = "--debug" in args_list
    args: argparse.Namespace | None = None
    try:
        args = build_parser().parse_args(args_list)
        return _dispatch(args)
    except UserError as exc:
        print(f"{PROG}: error: {_one_line(str(exc))}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        print(f"{PROG}: interrupted; nothing was changed by the unfinished step", file=sys.stderr)
        return 130
    except BrokenPipeError:
        # The reader went away (`prune-tui export | head`): not an error.
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        return 0
    except Exception as exc:
        db_path = _db_path(args) if args is not None and args.command != "where" else None
        problem = _database_problem(exc, db_path) or _file_problem(exc)
        if problem:
            print(f"{PROG}: error: {_one_line(problem)}", file=sys.stderr)
            return 2
        if debug:
            import traceback

            traceback.print_exc()
        else:
            # A database error's own text carries its SQL and parameters (values from the
            # data): only the driver's words are shown.
            detail = str(getattr(exc, "orig", None) or exc)
            print(
                f"{PROG}: internal error: {type(exc).__name__}: {_one_line(detail)[:200]} "
                "(run again with --debug for details)",
                file=sys.stderr,
            )
        return 1


def _one_line(text: str) -> str:
    from prune_tui.text.plain import escaped_line

    return escaped_line(text)


def _printable(text: str) -> str:
    """Names in messages come from the data (zip members, file names): escape sequences, bidi
    marks and undecodable bytes are shown as escapes, never sent to the terminal."""
    from prune_tui.text.plain import escaped

    return escaped(text)


def _file_problem(exc: BaseException) -> str | None:
    """A file or folder we could not use: a permission, a file where a folder should be."""
    if isinstance(exc, OSError) and exc.filename is not None and exc.strerror:
        return f"cannot use {exc.filename}: {exc.strerror}"
    return None


def _database_problem(exc: BaseException, path: Path | None = None) -> str | None:
    """SQLite's error turned into what is really wrong (full, read-only, locked, damaged),
    naming the file; never SQL or values from the data."""
    from prune_tui.store.problems import classify, describe

    kind = classify(exc, path)
    return describe(kind, path) if kind else None


def _db_path(args: argparse.Namespace) -> Path:
    from prune_tui.paths import resolve_db_path

    return resolve_db_path(getattr(args, "db", None))


def _dispatch(args: argparse.Namespace) -> int:
    os.umask(0o077)  # everything we create holds personal data: readable by the user only
    command = args.command
    if command in ("import", "export", "stats", "where", "invitations", "decide", "undo"):
        # Short-lived commands that build many small, acyclic objects (and import SQLAlchemy):
        # the cyclic collector would only rescan them. The memory is returned at exit.
        gc.disable()
    if command is None:
        return _run_app(_db_path(args), debug=getattr(args, "debug", False))
    if command == "import":
        return _cmd_import(args)
    if command == "export":
        return _cmd_export(args)
    if command == "stats":
        return _cmd_stats(args)
    if command == "where":
        return _cmd_where(args)
    if command == "invitations":
        return _cmd_invitations(args)
    if command == "due":
        from prune_tui.services.due import run_due

        return run_due(args, _db_path(args))
    if command == "demo":
        return _cmd_demo(debug=getattr(args, "debug", False))
    if command == "decide":
        from prune_tui.cli.bulk import decide

        return decide(
            _db_path(args),
            args.decision,
            args.where,
            include_decided=args.include_decided,
            yes=args.yes,
            out=sys.stdout,
        )
    if command == "undo":
        from prune_tui.cli.bulk import undo

        return undo(_db_path(args), sys.stdout)
    raise UsageError(f"unknown command {command!r}")


def _run_app(db_path: Path, *, debug: bool = False) -> int:
    from prune_tui.store import open_database

    open_database(db_path, verify=True).close()  # refuse a damaged file before the screen
    from prune_tui.tui.app import create_app

    app = create_app(db_path)
    app.run()
    return _app_ended(app, debug=debug)


def _app_ended(app: PruneApp, *, debug: bool) -> int:
    """After the app closed (the terminal is restored by then): an unexpected error inside it
    is one line here and a log file with the details; the traceback only with --debug."""
    if app.crash is None:
        return app.return_code or 0
    from prune_tui.crash import crash_line, write_crash_log

    log = write_crash_log(app.crash)
    if debug:
        import traceback

        traceback.print_exception(app.crash, file=sys.stderr)
    print(f"{PROG}: error: {_one_line(crash_line(app.crash, log))}", file=sys.stderr)
    return 1


def _cmd_demo(*, debug: bool = False) -> int:
    import tempfile

    from prune_tui.demo import make_demo_database

    with tempfile.TemporaryDirectory(prefix="prune-tui-demo-") as tmp:
        db_path = Path(tmp) / "demo.db"
        make_demo_database(db_path)
        from prune_tui.tui.app import create_app

        app = create_app(db_path, demo=True)
        app.run()
        return _app_ended(app, debug=debug)


def _cmd_import(args: argparse.Namespace) -> int:
    from prune_tui.cli.progress_bar import TerminalProgress
    from prune_tui.services.importer import import_path
    from prune_tui.store import open_database
    from prune_tui.store.database import database_files

    source = Path(args.path).expanduser()
    db_path = _db_path(args)
    created = not db_path.exists()
    db = open_database(db_path, first_fill=True, verify=True)
    try:
        with TerminalProgress(sys.stderr) as progress:
            summary = import_path(
                db,
                source,
                allow_shrink=args.allow_shrink,
                allow_older=args.allow_older,
                again=args.again,
                progress=progress,
            )
    except BaseException:
        db.close()
        if created:  # a first import that failed leaves no empty database behind
            for file in database_files(db_path):
                file.unlink(missing_ok=True)
        raise
    db.close()
    from prune_tui.services.importer import describe_summary

    print(_printable(describe_summary(summary)))
    return 0


def _cmd_export(args: argparse.Namespace) -> int:
    from prune_tui.exports.formats import write_export
    from prune_tui.store import open_database

    db = open_database(_db_path(args), create=False, read_only=True)
    try:
        from prune_tui.store.exports import nothing_to_export

        if nothing_to_export(db):  # one row looked at, not everyone counted
            raise UsageError(
                "nothing to export yet: import your LinkedIn export first with "
                f"`{PROG} import FILE`"
            )
        if args.output:
            from prune_tui.atomic import write_atomically

            target = Path(args.output).expanduser()
            where = _export_where(db, args)
            count = write_atomically(
                target,
                lambda out: write_export(db, out, fmt=args.format, only=args.only, where=where),
            )
            from prune_tui.text.words import plural

            print(f"Wrote {plural(count, 'connection')} to {target}", file=sys.stderr)
        else:
            write_export(
                db, sys.stdout, fmt=args.format, only=args.only, where=_export_where(db, args)
            )
            sys.stdout.flush()
    finally:
        db.close()
    return 0


def _export_where(db: Database, args: argparse.Namespace) -> Where | None:
    """`export --where QUERY` as a condition (None without it); a bad query exits 2."""
    if args.where is None:
        return None
    from prune_tui.cli.bulk import query_problem
    from prune_tui.services.query import QueryError, compile_query, parse
    from prune_tui.store.bulk import query_context

    try:
        query = parse(args.where)
        if query.is_empty:
            raise QueryError("the query is empty; leave --where out to export everyone")
        with db.read() as conn:
            return compile_query(query, query_context(conn))
    except QueryError as exc:
        raise query_problem(exc) from exc


def _cmd_stats(args: argparse.Namespace) -> int:
    from prune_tui.store import open_database

    db = open_database(_db_path(args), create=False, read_only=True)
    try:
        if args.json:
            from prune_tui.services.insights import gather
            from prune_tui.services.removals import removal_stats

            # The counts of docs/PRODUCT.md §3 at the top level, the per-year, company, pace and
            # removal figures beside them, and the daily pace of removals.
            print(json.dumps({**gather(db).as_dict(), **removal_stats(db)}))
        else:
            from prune_tui.services.report import describe_stats

            print(describe_stats(db))
    finally:
        db.close()
    return 0


def _cmd_invitations(args: argparse.Namespace) -> int:
    from prune_tui.services.invitation_checklist import run_command
    from prune_tui.store import open_database

    db = open_database(_db_path(args), create=False)
    try:
        print(_printable_lines(run_command(db, as_json=args.json)))
    finally:
        db.close()
    return 0


def _printable_lines(text: str) -> str:
    return "\n".join(_printable(line) for line in text.split("\n"))


def _cmd_where(args: argparse.Namespace) -> int:
    from prune_tui.paths import config_file, exports_dir

    out: TextIO = sys.stdout
    print(f"database: {_db_path(args)}", file=out)
    print(f"config:   {config_file()}", file=out)
    print(f"exports:  {exports_dir()}", file=out)
    return 0
