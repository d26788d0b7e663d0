"""Open a database, bring its schema up to date, and hand out sessions.

SQLite gets WAL, a busy timeout, foreign keys and full fsync on commit, so a
review the learner confirmed survives a crash. Write transactions on SQLite
start with BEGIN IMMEDIATE: two processes then queue for the write lock
instead of failing with "database is locked" when a read upgrades to a write.
"""

from __future__ import annotations

import os
import sqlite3
from contextlib import contextmanager
from datetime import datetime, timezone
from pathlib import Path
from typing import Iterator

from sqlalchemy import create_engine, event, inspect, text
from sqlalchemy.engine import Engine, make_url
from sqlalchemy.exc import DatabaseError, DBAPIError, OperationalError, SQLAlchemyError
from sqlalchemy.orm import Session

# Every migration revision in order; the last is what this version of cxotutor writes.
REVISIONS = ("0001",)
HEAD = REVISIONS[-1]
MIGRATIONS_DIR = Path(__file__).with_name("migrations")


class StoreError(Exception):
    """A database problem explained in one line for the user."""


def database_url(db: str | Path) -> str:
    """Accept a plain file path or a SQLAlchemy URL."""
    value = str(db)
    if "://" in value:
        return value
    return f"sqlite:///{Path(value).expanduser().resolve()}"


class Store:
    """An engine with the schema at HEAD, and the two kinds of session the core uses."""

    def __init__(self, engine: Engine):
        self.engine = engine
        self.is_sqlite = engine.dialect.name == "sqlite"
        self._writer = engine.execution_options(begin_immediate=True) if self.is_sqlite else engine

    @contextmanager
    def read(self) -> Iterator[Session]:
        with self._explained(), Session(self.engine, expire_on_commit=False) as session:
            yield session

    @contextmanager
    def write(self) -> Iterator[Session]:
        """One transaction: committed when the block ends, rolled back on error."""
        with self._explained(), Session(self._writer, expire_on_commit=False) as session:
            try:
                yield session
                session.commit()
            except BaseException:
                session.rollback()
                raise

    @contextmanager
    def _explained(self) -> Iterator[None]:
        """A damaged, read-only or full database becomes a one-line StoreError, not a traceback.

        Constraint errors (IntegrityError) pass through: callers handle those.
        """
        try:
            yield
        except DBAPIError as exc:
            if isinstance(exc, OperationalError) or type(exc) is DatabaseError:
                raise StoreError(f"{_label(self.engine.url)}: {_explain(exc)}") from exc
            raise

    def dispose(self) -> None:
        self.engine.dispose()


def open_store(db: str | Path) -> Store:
    """Connect to ``db`` and migrate it to HEAD (backing a SQLite file up first)."""
    url = database_url(db)
    parsed = make_url(url)
    sqlite_file: Path | None = None
    if parsed.get_backend_name() == "sqlite" and parsed.database not in (None, "", ":memory:"):
        # A URI-style URL (sqlite:///file:/path?mode=ro&uri=true) names the file after "file:".
        uri = parsed.query.get("uri") == "true" and parsed.database.startswith("file:")
        sqlite_file = Path(parsed.database.removeprefix("file:") if uri else parsed.database)
        if not (uri and parsed.query.get("mode") == "ro"):
            _check_writable(sqlite_file)
    engine = _engine(url)
    try:
        current = _current_revision(engine)
        if current is not None and current != HEAD and current not in REVISIONS:
            raise StoreError(f"{_label(url)}: made by a newer cxotutor (schema {current}); upgrade cxotutor to open it")
        if sqlite_file is not None:
            # Only now, once the file is known to be ours: switching to WAL rewrites its header.
            _enable_wal(engine)
        if current == HEAD:
            return Store(engine)
        if current is not None and sqlite_file is not None:
            backup_sqlite(sqlite_file, f"before-{HEAD}")
        _migrate(engine)
        return Store(engine)
    except StoreError:
        engine.dispose()
        raise
    except (DBAPIError, SQLAlchemyError, sqlite3.Error) as exc:
        engine.dispose()
        raise StoreError(f"{_label(url)}: {_explain(exc)}") from None


def _engine(url: str) -> Engine:
    if not url.startswith("sqlite"):
        return create_engine(url, pool_pre_ping=True)
    engine = create_engine(url, connect_args={"timeout": 30, "check_same_thread": False})

    @event.listens_for(engine, "connect")
    def _pragmas(dbapi_connection, _record):
        # Take over transaction control from pysqlite so BEGIN is ours to emit.
        dbapi_connection.isolation_level = None
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA busy_timeout = 30000")
        cursor.execute("PRAGMA foreign_keys = ON")
        cursor.execute("PRAGMA synchronous = FULL")
        cursor.close()

    @event.listens_for(engine, "begin")
    def _begin(conn):
        immediate = conn.get_execution_options().get("begin_immediate")
        conn.exec_driver_sql("BEGIN IMMEDIATE" if immediate else "BEGIN")

    return engine


def _enable_wal(engine: Engine) -> None:
    """WAL is a property of the file, kept across connections once set."""
    raw = engine.raw_connection()  # outside any transaction: the mode cannot change inside one
    try:
        raw.driver_connection.execute("PRAGMA journal_mode = WAL")
    finally:
        raw.close()


def _current_revision(engine: Engine) -> str | None:
    with engine.connect() as conn:
        if not inspect(conn).has_table("alembic_version"):
            tables = inspect(conn).get_table_names()
            if "review" in tables:
                raise StoreError("database has cxotutor tables but no schema version; refusing to touch it")
            if tables:  # someone else's database given by mistake: adding our tables to it would damage it
                raise StoreError(f"{_label(engine.url)}: not a cxotutor database (it has other tables); it was left untouched")
            return None
        row = conn.execute(text("SELECT version_num FROM alembic_version")).first()
        return row[0] if row else None


def _migrate(engine: Engine) -> None:
    from alembic import command
    from alembic.config import Config

    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS_DIR))
    # BEGIN IMMEDIATE: a second process opening a new file at the same moment waits for
    # the first to finish migrating, then finds nothing to do (instead of "database is locked").
    with engine.execution_options(begin_immediate=True).begin() as conn:
        config.attributes["connection"] = conn
        command.upgrade(config, "head")


def backup_sqlite(path: Path, label: str) -> Path:
    """Copy a SQLite database beside itself with the online-backup API (safe under WAL)."""
    stamp = datetime.now(timezone.utc).strftime("%Y%m%dT%H%M%SZ")
    target = path.with_name(f"{path.name}.{label}.{stamp}.bak")
    source = sqlite3.connect(path)
    try:
        dest = sqlite3.connect(target)
        try:
            source.backup(dest)
        finally:
            dest.close()
    except BaseException:
        target.unlink(missing_ok=True)  # a half-written backup (full disk) only takes space
        raise
    finally:
        source.close()
    return target


def _check_writable(file: Path) -> None:
    folder = file.parent
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise StoreError(f"cannot create the data folder {folder}: {exc.strerror or exc}") from None
    if file.exists():
        if file.is_dir():
            raise StoreError(f"{file} is a folder, not a database file")


        if not os.access(file, os.R_OK | os.W_OK):
            raise StoreError(f"{file}: no permission to read and write the database")
    else:


        if not os.access(folder, os.W_OK | os.X_OK):
            raise StoreError(f"cannot write to the data folder {folder}")


def _label(url) -> str:
    parsed = make_url(url)
    if parsed.get_backend_name() == "sqlite":
        return parsed.database or "in-memory database"
    return parsed.render_as_string(hide_password=True)


def _explain(exc: BaseException) -> str:
    original = getattr(exc, "orig", exc)
    message = str(original).strip().splitlines()[0] if str(original).strip() else type(original).__name__
    lowered = message.lower()
    if "file is not a database" in lowered or "malformed" in lowered:
        return "not a cxotutor database, or the file is damaged (it was left untouched)"
    if "readonly" in lowered or "read-only" in lowered:
        return "the database is read-only"
    if "disk" in lowered and "full" in lowered:
        return "the disk is full; nothing was saved"
    if "disk i/o error" in lowered:  # also what a full disk or a file-size limit looks like at times
        return "disk I/O error (is the disk full or failing?); nothing was saved"
    if isinstance(exc, OperationalError) and "unable to open" in lowered:
        return "cannot open the database file"
    return message
