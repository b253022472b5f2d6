"""The terminal app (Textual). Everything here talks to the data through `prune_tui.review`."""
