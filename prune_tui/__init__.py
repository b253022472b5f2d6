"""prune-tui: prune your LinkedIn network card by card, privately and offline."""

__version__ = "0.1.0"
