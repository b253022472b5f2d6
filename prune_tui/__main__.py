from prune_tui.cli.commands import run

run()
