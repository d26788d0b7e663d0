"""Shared fixtures: every test gets its own home folder and database, and a clock it controls."""

from __future__ import annotations

import os
from dataclasses import dataclass
from datetime import datetime, timedelta, timezone
from pathlib import Path

import pytest

DATA = Path(__file__).parent / "data"
MINI_DECK = DATA / "mini.yaml"


@pytest.fixture(autouse=True)
def isolated_home(tmp_path_factory, monkeypatch):
    """Keep the developer's real data folder and settings out of every test."""
    home = tmp_path_factory.mktemp("home")
    monkeypatch.setenv("CXOTUTOR_HOME", str(home))
    monkeypatch.delenv("CXOTUTOR_DB", raising=False)
    monkeypatch.delenv("CXOTUTOR_LEARNER", raising=False)
    monkeypatch.setenv("LANG", "en_US.UTF-8")
    return home


@dataclass
class FakeClock:
    """A clock tests move by hand: ``clock.advance(hours=25)``."""

    now: datetime

    def __call__(self) -> datetime:
        return self.now

    def advance(self, **delta) -> datetime:
        self.now += timedelta(**delta)
        return self.now


@pytest.fixture
def clock() -> FakeClock:
    # 10:00 UTC on a Monday: well after the 04:00 day start.
    return FakeClock(datetime(2026, 1, 5, 10, 0, tzinfo=timezone.utc))


@pytest.fixture
def db_path(tmp_path) -> Path:
    return tmp_path / "cxotutor.db"


@pytest.fixture(scope="session")
def postgres(tmp_path_factory):
    """One throwaway PostgreSQL cluster for the whole run (see tests/postgres.py)."""
    from tests import postgres as pg

    if not pg.available():
        if os.environ.get("CI"):
            pytest.fail("PostgreSQL (initdb, pg_ctl) and psycopg are required in CI")
        pytest.skip("PostgreSQL server not installed on this machine (CI installs it)")
    cluster = pg.Cluster(Path("/tmp") / f"cxo-pg-{os.getpid()}")
    cluster.start()
    yield cluster
    cluster.stop()


@pytest.fixture(params=["sqlite", "postgresql"])
def db_url(request, db_path) -> str:
    """The database every storage, scheduling and facade test runs against: both engines."""
    if request.param == "sqlite":
        return str(db_path)
    return request.getfixturevalue("postgres").new_database()


@pytest.fixture
def store(db_url):
    from cxotutor.store import open_store

    store = open_store(db_url)
    yield store
    store.dispose()


@pytest.fixture
def tutor(store, clock):
    """A tutor on a fresh database holding the mini deck, in UTC, with a fake clock."""
    from cxotutor.library import sync_bundled
    from cxotutor.tutor import Tutor

    sync_bundled(store, [MINI_DECK])
    return Tutor(store, clock=clock, tz=timezone.utc)
