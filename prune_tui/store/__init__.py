"""Storage: SQLAlchemy tables over SQLite, and the queries the rest of the app uses."""

from prune_tui.store.database import Database, open_database, utc_now

__all__ = ["Database", "open_database", "utc_now"]
