"""The entry point opens the TUI without Typer, and hands everything else to the Typer app."""

from __future__ import annotations

import subprocess
import sys

import pytest

from cxotutor.launch import tui_options


@pytest.mark.parametrize(
    ("argv", "expected"),
    [
        ([], {"db": None, "learner": None}),
        (["--db", "class.db"], {"db": "class.db", "learner": None}),
        (["--db=class.db", "--learner", "aiko"], {"db": "class.db", "learner": "aiko"}),
        (["--learner=ken"], {"db": None, "learner": "ken"}),
    ],
)
def test_arguments_that_only_open_the_tui(argv, expected, monkeypatch):
    monkeypatch.delenv("CXOTUTOR_DB", raising=False)
    monkeypatch.delenv("CXOTUTOR_LEARNER", raising=False)
    assert tui_options(argv) == expected


@pytest.mark.parametrize(
    "argv",
    [["due"], ["--db", "x.db", "stats"], ["--help"], ["--version"], ["--db"], ["--db", "--learner", "x"],
     ["--db", "a.db", "--db", "b.db"], ["--dbx", "a"], ["-h"]],
)
def test_everything_else_goes_to_the_typer_app(argv):
    assert tui_options(argv) is None


def test_options_fall_back_to_the_environment_as_the_typer_app_does(monkeypatch):
    monkeypatch.setenv("CXOTUTOR_DB", "env.db")
    monkeypatch.setenv("CXOTUTOR_LEARNER", "env-learner")
    assert tui_options([]) == {"db": "env.db", "learner": "env-learner"}
    assert tui_options(["--db", "given.db"]) == {"db": "given.db", "learner": "env-learner"}


def _launch(argv: list[str], run_body: str) -> subprocess.CompletedProcess:
    """Run the real entry point with ``tui.app.run`` replaced by ``run_body`` (no terminal here)."""
    code = (
        "import sys\n"
        "import cxotutor.tui.app as app\n"
        f"def run(db, learner):\n    {run_body}\n"
        "app.run = run\n"
        f"sys.argv = ['cxotutor', *{argv!r}]\n"
        "from cxotutor.launch import main\n"
        "main()\n"
    )
    return subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120)


def test_opening_the_tui_does_not_import_typer():
    result = _launch(["--db", "x.db"], "print(db, learner, sorted(m for m in sys.modules if m.split('.')[0] in ('typer', 'click')))")
    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == ["x.db", "None", "[]"]


def test_a_user_error_from_the_tui_is_one_line_and_exit_1():
    result = _launch([], "from cxotutor.store import StoreError; raise StoreError('x.db: not a cxotutor database')")
    assert result.returncode == 1
    assert result.stderr == "cxotutor: x.db: not a cxotutor database\n"


def test_a_bug_keeps_its_traceback():
    result = _launch([], "raise RuntimeError('a bug')")
    assert result.returncode == 1
    assert "Traceback" in result.stderr and "RuntimeError: a bug" in result.stderr


def test_version_and_subcommands_still_reach_the_typer_app():
    result = subprocess.run([sys.executable, "-m", "cxotutor", "--version"], capture_output=True, text=True, timeout=120)
    assert result.returncode == 0 and result.stdout.startswith("cxotutor ")
    result = subprocess.run([sys.executable, "-m", "cxotutor", "--db"], capture_output=True, text=True, timeout=120)
    assert result.returncode == 2 and "--db" in result.stderr
