"""Fixtures for the hardening tests: a database holding a generated deck, and child processes."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import tempfile
import traceback
from pathlib import Path

import pytest

from .decks import write_deck

CHILD = Path(__file__).with_name("child.py")


def child_env(home: Path) -> dict[str, str]:
    env = dict(os.environ, CXOTUTOR_HOME=str(home), PYTHONUNBUFFERED="1", LANG="en_US.UTF-8")
    env.pop("CXOTUTOR_DB", None)
    env.pop("CXOTUTOR_LEARNER", None)
    return env


def start_child(config: dict, home: Path, **popen) -> subprocess.Popen:
    """Start ``child.py`` with ``config``; its stdout is a pipe of acknowledgement lines."""
    return subprocess.Popen(
        [sys.executable, str(CHILD), json.dumps(config)],
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=child_env(home), **popen,
    )


def run_forked(function, *args) -> subprocess.CompletedProcess:
    """``function(*args, out)`` in a fork of this process (for limits such as RLIMIT_FSIZE that
    must not touch pytest itself); ``out`` is a text stream the parent gets back as stdout."""
    with tempfile.TemporaryFile() as out, tempfile.TemporaryFile() as err:
        pid = os.fork()
        if pid == 0:  # the child: never returns into pytest
            code = 70
            try:
                stream = os.fdopen(os.dup(out.fileno()), "w", encoding="utf-8")
                function(*args, stream)
                stream.flush()
                code = 0
            except BaseException:
                os.write(err.fileno(), traceback.format_exc().encode())
            finally:
                os._exit(code)
        _pid, status = os.waitpid(pid, 0)
        out.seek(0)
        err.seek(0)
        return subprocess.CompletedProcess([repr(function)], os.waitstatus_to_exitcode(status),
                                           out.read().decode("utf-8", "replace"), err.read().decode("utf-8", "replace"))


def run_cli(args: list[str], cwd: Path, home: Path, fork: bool = True) -> subprocess.CompletedProcess:
    """``cxotutor <args>`` in its own process: a fresh interpreter, or (``fork``) a copy of this
    one that has already imported cxotutor, which makes a run ~20 times cheaper. Either way the
    real entry point runs, with its own exit code, stdout and stderr."""
    if not fork:
        return subprocess.run([sys.executable, "-m", "cxotutor", *args], cwd=cwd, env=child_env(home),
                              capture_output=True, text=True, timeout=120)
    import cxotutor.bundle  # noqa: F401  (commands import these lazily; forks inherit them)
    import cxotutor.content.selftest  # noqa: F401
    import cxotutor.tutor  # noqa: F401
    from cxotutor.launch import main

    with tempfile.TemporaryFile() as out, tempfile.TemporaryFile() as err:
        pid = os.fork()
        if pid == 0:  # the child: never returns into pytest
            code = 70
            try:
                os.chdir(cwd)
                os.environ.clear()
                os.environ.update(child_env(home))
                os.dup2(out.fileno(), 1)
                os.dup2(err.fileno(), 2)
                sys.stdout = open(1, "w", encoding="utf-8", closefd=False)
                sys.stderr = open(2, "w", encoding="utf-8", closefd=False)
                sys.argv = ["cxotutor", *args]
                try:
                    main()
                    code = 0
                except SystemExit as exc:
                    code = exc.code if isinstance(exc.code, int) else (0 if exc.code is None else 1)
            except BaseException:
                traceback.print_exc()
            finally:
                sys.stdout.flush()
                sys.stderr.flush()
                os._exit(code)
        _pid, status = os.waitpid(pid, 0)
        out.seek(0)
        err.seek(0)
        return subprocess.CompletedProcess(["cxotutor", *args], os.waitstatus_to_exitcode(status),
                                           out.read().decode("utf-8", "replace"), err.read().decode("utf-8", "replace"))


@pytest.fixture
def deck_db(tmp_path) -> Path:
    """A SQLite file at the current schema holding one generated 50-card deck (installed as bundled)."""
    from cxotutor.library import sync_bundled
    from cxotutor.store import open_store

    deck = write_deck(tmp_path, cards=50)
    db = tmp_path / "learner.db"
    store = open_store(db)
    try:
        sync_bundled(store, [deck])
    finally:
        store.dispose()
    return db
