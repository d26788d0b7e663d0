"""The command line: help, version, deck list, due, stats, validate, and user errors."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest
from typer.testing import CliRunner

from cxotutor import __version__
from cxotutor.cli import app

from ..conftest import MINI_DECK

runner = CliRunner()


@pytest.fixture
def db(tmp_path, monkeypatch):
    """A database holding only the mini deck, used through --db."""
    import cxotutor.library as library

    path = tmp_path / "cli.db"
    monkeypatch.setattr(library, "bundled_files", lambda: [MINI_DECK])
    return str(path)


def invoke(*args):
    return runner.invoke(app, list(args), catch_exceptions=False)


def test_version():
    result = invoke("--version")
    assert result.exit_code == 0 and result.stdout.strip() == f"cxotutor {__version__}"


@pytest.mark.parametrize("command", [[], ["deck"], ["deck", "list"], ["deck", "validate"], ["due"], ["stats"]])
def test_every_command_has_help(command):
    result = invoke(*command, "--help")
    assert result.exit_code == 0 and "Usage:" in result.stdout


def test_deck_list_json(db):
    result = invoke("--db", db, "deck", "list", "--json")
    assert result.exit_code == 0, result.stderr
    decks = json.loads(result.stdout)
    assert [(d["id"], d["version"], d["role"], d["cards"], d["due"], d["new"]) for d in decks] == [("mini", 1, "cto", 3, 0, 3)]
    assert decks[0]["title"] == {"ja": "ミニデッキ", "en": "Mini deck"}


def test_due_line_for_shell_prompts(db):
    result = invoke("--db", db, "due")
    assert result.exit_code == 0
    assert result.stdout.splitlines()[0] == "cto: 0 due · 3 new"
    data = json.loads(invoke("--db", db, "due", "--json").stdout)
    assert data["roles"] == {"cto": {"due": 0, "new": 3}}


def test_stats_table(db):
    result = invoke("--db", db, "stats")
    assert result.exit_code == 0
    assert "mini" in result.stdout and "streak 0" in result.stdout


def test_db_from_environment(db, monkeypatch):
    monkeypatch.setenv("CXOTUTOR_DB", db)
    assert json.loads(invoke("deck", "list", "--json").stdout)[0]["id"] == "mini"


def test_validate_reports_every_problem_with_positions(tmp_path):
    bad = tmp_path / "bad.yaml"
    bad.write_text(MINI_DECK.read_text(encoding="utf-8").replace("id: tech-debt", "id: microservices-challenges")
                   .replace("      - id: budget", "      - id: visualise"), encoding="utf-8")
    result = invoke("deck", "validate", "--no-self-test", str(bad))
    assert result.exit_code == 1
    lines = result.stderr.splitlines()
    assert any(l.startswith(f"{bad}:") and "duplicate card id 'microservices-challenges'" in l for l in lines)
    assert any("duplicate key point id 'visualise'" in l for l in lines)
    assert all(l.split(":")[1].isdigit() for l in lines[:-1])


def test_validate_success_line():
    result = invoke("deck", "validate", "--no-self-test", str(MINI_DECK))
    assert result.exit_code == 0
    assert result.stdout.strip() == "ok: 1 deck(s), 3 cards, 0 path(s)"


def test_unwritable_db_is_one_line_and_exit_1(tmp_path):
    blocker = tmp_path / "a-file"
    blocker.write_text("x")
    proc = subprocess.run(
        [sys.executable, "-m", "cxotutor", "--db", str(blocker / "x.db"), "due"], capture_output=True, text=True
    )
    assert proc.returncode == 1
    assert proc.stderr.count("\n") == 1 and proc.stderr.startswith("cxotutor: cannot create the data folder")
    assert "Traceback" not in proc.stderr


def test_usage_error_exits_2():
    proc = subprocess.run([sys.executable, "-m", "cxotutor", "deck", "frobnicate"], capture_output=True, text=True)
    assert proc.returncode == 2 and "Traceback" not in proc.stderr
