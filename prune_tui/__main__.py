from prune_tui.cli import main

raise SystemExit(main())
