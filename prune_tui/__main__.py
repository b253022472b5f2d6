from prune_tui.cli import run

run()
