"""Persistence: tables, migrations, and the engine/session plumbing."""

from cxotutor.store.db import HEAD, REVISIONS, Store, StoreError, backup_sqlite, database_url, open_store

__all__ = ["HEAD", "REVISIONS", "Store", "StoreError", "backup_sqlite", "database_url", "open_store"]
