"""Opening, migrating and protecting the database."""

from __future__ import annotations

import sqlite3

import pytest
from sqlalchemy import text

from cxotutor.store import HEAD, REVISIONS, StoreError, open_store
from cxotutor.store.db import MIGRATIONS_DIR


def test_revisions_constant_matches_the_alembic_scripts():
    from alembic.config import Config
    from alembic.script import ScriptDirectory

    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS_DIR))
    script = ScriptDirectory.from_config(config)
    assert script.get_heads() == [HEAD]
    chain = [rev.revision for rev in script.walk_revisions()][::-1]
    assert tuple(chain) == REVISIONS


def test_new_database_is_migrated_with_safe_pragmas(db_path):
    store = open_store(db_path)
    with store.engine.connect() as conn:
        assert conn.execute(text("SELECT version_num FROM alembic_version")).scalar() == HEAD
        assert conn.execute(text("PRAGMA journal_mode")).scalar() == "wal"
        assert conn.execute(text("PRAGMA foreign_keys")).scalar() == 1
        assert conn.execute(text("PRAGMA busy_timeout")).scalar() == 30000
    store.dispose()
    assert not list(db_path.parent.glob("*.bak"))  # nothing to back up on a fresh file


def test_schema_from_a_newer_cxotutor_is_refused_and_untouched(db_path):
    open_store(db_path).dispose()
    with sqlite3.connect(db_path) as conn:
        conn.execute("UPDATE alembic_version SET version_num = '9999'")
    before = db_path.read_bytes()
    with pytest.raises(StoreError, match="newer cxotutor"):
        open_store(db_path)
    assert db_path.read_bytes() == before


def test_a_file_that_is_not_a_database_is_refused_and_untouched(db_path):
    db_path.write_bytes(b"this is not sqlite" * 100)
    with pytest.raises(StoreError, match="not a cxotutor database"):
        open_store(db_path)
    assert db_path.read_bytes() == b"this is not sqlite" * 100


def test_unwritable_location_gives_a_clear_error(tmp_path):
    blocker = tmp_path / "file"
    blocker.write_text("x")
    with pytest.raises(StoreError, match="cannot create the data folder"):
        open_store(blocker / "sub" / "cxotutor.db")


def test_older_schema_is_backed_up_before_migrating(db_path, monkeypatch):
    """Pretend the current schema is old by adding a later revision, then migrate."""
    import cxotutor.store.db as db

    open_store(db_path).dispose()
    with sqlite3.connect(db_path) as conn:
        conn.execute("INSERT INTO learner (name, created_at) VALUES ('kept', '2026-01-01 00:00:00')")
    monkeypatch.setattr(db, "HEAD", "0002")
    monkeypatch.setattr(db, "REVISIONS", ("0001", "0002"))
    monkeypatch.setattr(db, "_migrate", lambda engine: None)  # the real upgrade is tested by the fixture-database test
    db.open_store(db_path).dispose()
    backups = list(db_path.parent.glob("cxotutor.db.before-0002.*.bak"))
    assert len(backups) == 1
    with sqlite3.connect(backups[0]) as conn:
        assert conn.execute("SELECT name FROM learner").fetchall() == [("kept",)]


def test_the_migrations_make_exactly_the_schema_the_tables_declare(store):
    """Alembic's autogenerate finds nothing to change between a migrated database and the models."""
    from alembic.autogenerate import compare_metadata
    from alembic.migration import MigrationContext

    from cxotutor.store.tables import metadata

    with store.engine.connect() as conn:
        diff = compare_metadata(MigrationContext.configure(conn, opts={"compare_type": True}), metadata)
    assert diff == []
