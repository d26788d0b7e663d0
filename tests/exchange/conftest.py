"""Helpers for the exchange tests: a CLI runner, a database with the mini deck, and a database fingerprint."""

from __future__ import annotations

import sqlite3
from datetime import timezone
from pathlib import Path

import pytest
import yaml
from typer.testing import CliRunner

from ..conftest import MINI_DECK

runner = CliRunner()


def invoke(*args, input: str | None = None):
    from cxotutor.cli import app

    return runner.invoke(app, [str(a) for a in args], catch_exceptions=False, input=input)


def fingerprint(db: Path) -> list[str]:
    """Every row of every table, to assert a refused operation changed nothing."""
    con = sqlite3.connect(db)
    try:
        return list(con.iterdump())
    finally:
        con.close()


def one_line_error(result) -> str:
    """Assert exit 1 with exactly one line on stderr (no traceback); return it."""
    assert result.exit_code == 1, (result.exit_code, result.stdout, result.stderr)
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and "Traceback" not in result.stderr, result.stderr
    return lines[0]


def write_deck(path: Path, data: dict) -> Path:
    path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")
    return path


def mini_data() -> dict:
    return yaml.safe_load(MINI_DECK.read_text(encoding="utf-8"))


@pytest.fixture
def db(tmp_path, monkeypatch) -> Path:
    """A database file whose only bundled deck is the mini deck (used through --db)."""
    import cxotutor.library as library

    monkeypatch.setattr(library, "bundled_files", lambda: [MINI_DECK])
    path = tmp_path / "cli.db"
    result = invoke("--db", path, "deck", "list", "--json")
    assert result.exit_code == 0, result.stderr
    return path


def open_tutor(db: Path, clock, learner: str = "local"):
    from cxotutor.store import open_store
    from cxotutor.tutor import Tutor

    return Tutor(open_store(db), learner=learner, clock=clock, tz=timezone.utc)


@pytest.fixture
def db_url(db_path) -> str:
    """SQLite only here (the CLI tests read the file directly); test_postgres.py covers the other engine."""
    return str(db_path)
