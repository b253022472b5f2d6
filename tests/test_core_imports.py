"""The core never loads Textual (docs/STYLE.md "One spine, thin UI"; "Fast start"): every module
outside `prune_tui.tui`, and the import / export / stats / where commands, run without it."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import textwrap
from pathlib import Path

from builders import HOSTILE, Person, write_connections


def run_python(code: str, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-c", textwrap.dedent(code), *args],
        stdin=subprocess.DEVNULL,
        capture_output=True,
        text=True,
        timeout=120,
        env=dict(os.environ),
    )


def test_every_core_module_imports_without_textual() -> None:
    done = run_python(
        """
        import importlib, json, pkgutil, sys
        from pathlib import Path
        import prune_tui

        # pkgutil does not descend into folders without __init__.py (namespace packages), so
        # every folder of the package is walked on its own.
        root = Path(prune_tui.__path__[0])
        names = []
        for folder in sorted({root, *(p.parent for p in root.rglob("*.py"))}):
            parts = folder.relative_to(root).parts
            if parts[:1] == ("tui",) or "__pycache__" in parts:
                continue
            prefix = ".".join(("prune_tui", *parts)) + "."
            for info in pkgutil.iter_modules([str(folder)], prefix):
                if info.name == "prune_tui.__main__" or info.name.startswith("prune_tui.tui"):
                    continue
                importlib.import_module(info.name)
                names.append(info.name)
        heavy = sorted(m for m in sys.modules if m == "textual" or m.startswith("textual."))
        print(json.dumps({"modules": names, "textual": heavy}))
        """
    )
    assert done.returncode == 0, done.stderr
    result = json.loads(done.stdout)
    assert result["textual"] == []
    modules = set(result["modules"])
    # The walk really found the core (a broken walk must not pass by importing nothing).
    for expected in (
        "prune_tui.cli.commands",
        "prune_tui.services.importer",
        "prune_tui.services.backup",
        "prune_tui.model",
        "prune_tui.paths",
        "prune_tui.store.database",
        "prune_tui.store.schema",
        "prune_tui.store.queries",
        "prune_tui.formats.tables",
        "prune_tui.formats.connections",
    ):
        assert expected in modules
    assert not any(m.startswith("prune_tui.tui") for m in modules)


def test_the_tui_package_is_the_one_that_loads_textual() -> None:
    """The check above can fail: importing the app does load Textual."""
    done = run_python(
        """
        import sys
        import prune_tui.tui.app
        print("textual" in sys.modules)
        """
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == "True"


def test_commands_never_load_textual(tmp_path: Path) -> None:
    csv_path = write_connections(
        tmp_path, [Person("Ada", "Lovelace", "ada"), Person("Bob", "Builder", "bob"), *HOSTILE]
    )
    db = tmp_path / "core.db"
    done = run_python(
        """
        import contextlib, io, json, sys

        csv_path, db, out_dir = sys.argv[1:]
        results = []
        commands = [
            ["import", csv_path],
            ["stats"],
            ["stats", "--json"],
            ["export"],
            ["export", "--only", "all", "--format", "json", "-o", out_dir + "/backup.json"],
            ["export", "--only", "all", "--format", "html", "-o", out_dir + "/list.html"],
            ["export", "--only", "all", "--format", "csv"],
            ["export", "--only", "undecided", "--format", "urls"],
            ["import", out_dir + "/backup.json"],
            ["where"],
            ["decide", "remove", "--where", "name:ada"],
            ["decide", "remove", "--where", "name:ada", "--yes"],
            ["undo"],
            ["export", "--only", "all", "--where", "name:ada"],
        ]
        from prune_tui.cli.commands import main

        for argv in commands:
            buf = io.StringIO()
            with contextlib.redirect_stdout(buf):
                code = main([*argv, "--db", db])
            results.append([argv[0], code])
        loaded = sorted(m for m in sys.modules if m == "textual" or m.startswith("textual."))
        print(json.dumps({"results": results, "textual": loaded}))
        """,
        str(csv_path),
        str(db),
        str(tmp_path),
    )
    assert done.returncode == 0, done.stderr
    result = json.loads(done.stdout.strip().splitlines()[-1])
    assert [code for _name, code in result["results"]] == [0] * 14, done.stderr
    assert result["textual"] == []
    assert (tmp_path / "backup.json").exists()


def test_import_loads_no_query_language(tmp_path: Path) -> None:
    """Every command builds the whole parser; the decide command's choices must not load the
    query language (and its difflib, calendar) into an import's start-up. A first import with
    no invitations has no use for the invitations screening either."""
    csv_path = write_connections(tmp_path, [Person("Ada", "Lovelace", "ada")])
    done = run_python(
        """
        import contextlib, io, json, sys

        from prune_tui.cli.commands import main

        with contextlib.redirect_stdout(io.StringIO()):
            code = main(["import", sys.argv[1], "--db", sys.argv[2]])
        heavy = ("prune_tui.cli.bulk", "prune_tui.services.query", "prune_tui.services.invitations")
        loaded = [m for m in heavy if m in sys.modules]
        print(json.dumps([code, loaded]))
        """,
        str(csv_path),
        str(tmp_path / "q.db"),
    )
    assert done.returncode == 0, done.stderr
    assert json.loads(done.stdout.strip().splitlines()[-1]) == [0, []]
