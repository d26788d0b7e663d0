"""Shared fixtures: every test gets its own home folder and database, and a clock it controls."""

from __future__ import annotations

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


@pytest.fixture
def store(db_path):
    from cxotutor.store import open_store

    store = open_store(db_path)
    yield store
    store.dispose()


@pytest.fixture
def tutor(store, clock):
    """A tutor on a fresh database holding the mini deck, in UTC, with a fake clock."""
    from cxotutor.library import sync_bundled
    from cxotutor.tutor import Tutor

    sync_bundled(store, [MINI_DECK])
    return Tutor(store, clock=clock, tz=timezone.utc)
