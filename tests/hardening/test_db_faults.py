"""Database faults: a damaged file, someone else's database, a newer schema, a read-only
place, a full disk. Each gives one clear line (exit 1 from the CLI, StoreError from the
facade), and never destroys data: a refused file keeps every byte.

Real read-only and full filesystems need root (a read-only bind mount, a tiny tmpfs);
without it those tests skip, and simulated versions (a ``mode=ro`` URL, a denied
``os.access``, RLIMIT_FSIZE in a forked child) still run.
"""

from __future__ import annotations

import hashlib
import os
import random
import resource
import shutil
import signal
import sqlite3
import subprocess
from contextlib import contextmanager
from pathlib import Path

import pytest

from cxotutor.store import StoreError, open_store
from cxotutor.tutor import Tutor

from .conftest import run_cli, run_forked
from .replay import check_states_match_log, integrity, query

pytestmark = pytest.mark.slow  # spawns processes

PAGE = 4096


def sha(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


@pytest.fixture
def reviewed_db(deck_db) -> Path:
    """The generated deck with a few reviews: a file worth protecting."""
    tutor = Tutor.open(db=deck_db, sync=False)
    try:
        for _ in range(5):
            tutor.rate(tutor.next_card().id, 3)
    finally:
        tutor.close()
    return deck_db


@pytest.fixture
def cli_on(tmp_path, monkeypatch, deck_db):
    """`cxotutor --db <file> ...` in a fork whose bundled content is the generated deck (so a
    healthy file would need no writes at start)."""
    import cxotutor.library as library

    monkeypatch.setattr(library, "bundled_files", lambda: [deck_db.parent / "generated.yaml"])

    def run(db: Path, *args: str) -> subprocess.CompletedProcess:
        return run_cli(["--db", str(db), *args], cwd=tmp_path, home=tmp_path / "home")

    return run


def assert_one_line_refusal(result: subprocess.CompletedProcess, *words: str) -> None:
    assert result.returncode == 1, (result.returncode, result.stderr)
    assert "Traceback" not in result.stderr
    lines = result.stderr.splitlines()
    assert len(lines) == 1 and lines[0].startswith("cxotutor: "), lines
    for word in words:
        assert word in lines[0], lines[0]


# -- damaged files -------------------------------------------------------------------------


def _damage(db: Path, how: str) -> bytes:
    data = db.read_bytes()
    rng = random.Random(how)
    if how == "garbage":
        return bytes(rng.getrandbits(8) for _ in range(len(data)))
    if how == "truncated":
        return data[: len(data) // 2 + 123]
    if how == "zeroed-header":
        return bytes(100) + data[100:]
    pages = bytearray(data)
    if how == "damaged-pages":  # page 1 (the schema) intact, every third page after it random
        targets = range(2, len(pages) // PAGE + 1, 3)
    elif how == "damaged-tables":  # the schema version reads fine; the learner's tables do not
        tables = ("deck", "card", "card_state", "review", "learner", "setting")
        targets = [row[0] for row in query(db, "SELECT rootpage FROM sqlite_master WHERE name IN (%s)" % ",".join("?" * len(tables)), *tables)]
    else:
        raise ValueError(how)
    for page in targets:
        pages[(page - 1) * PAGE : page * PAGE] = bytes(rng.getrandbits(8) for _ in range(PAGE))
    return bytes(pages)


@pytest.mark.parametrize("how", ["garbage", "truncated", "zeroed-header", "damaged-pages", "damaged-tables"])
def test_a_damaged_file_is_refused_and_left_untouched(reviewed_db, cli_on, tmp_path, how):
    damaged = tmp_path / f"{how}.db"
    damaged.write_bytes(_damage(reviewed_db, how))
    before = sha(damaged)
    for command in (["due"], ["deck", "list"], ["stats"]):
        assert_one_line_refusal(cli_on(damaged, *command), str(damaged), "damaged")
    with pytest.raises(StoreError, match="damaged"):
        tutor = Tutor.open(db=damaged, sync=False)
        try:  # a file whose first pages survived opens; the damage shows on first use
            tutor.rate(tutor.next_card().id, 3)
            tutor.today()
        finally:
            tutor.close()
    assert sha(damaged) == before
    assert not list(tmp_path.glob(f"{how}.db.*.bak"))


def test_someone_elses_sqlite_database_is_refused_and_left_untouched(tmp_path, cli_on):
    """--db pointed at another program's database by mistake must not gain our tables."""
    other = tmp_path / "places.sqlite"
    with sqlite3.connect(other) as conn:
        conn.execute("CREATE TABLE moz_places (id INTEGER PRIMARY KEY, url TEXT)")
        conn.execute("INSERT INTO moz_places (url) VALUES ('https://example.org')")
    conn.close()
    before = sha(other)
    assert_one_line_refusal(cli_on(other, "due"), "not a cxotutor database")
    with pytest.raises(StoreError, match="not a cxotutor database"):
        open_store(other)
    assert sha(other) == before
    assert [r[0] for r in query(other, "SELECT name FROM sqlite_master WHERE type = 'table'")] == ["moz_places"]


@pytest.mark.parametrize("journal", ["wal", "delete"])
def test_a_newer_schema_is_refused_and_every_byte_kept(reviewed_db, cli_on, journal):
    """A file from a newer cxotutor, in WAL mode or (copied, restored) in rollback mode."""
    conn = sqlite3.connect(reviewed_db)
    conn.execute("UPDATE alembic_version SET version_num = '9999'")
    conn.commit()
    conn.execute(f"PRAGMA journal_mode = {journal}")
    conn.close()
    before = sha(reviewed_db)
    assert_one_line_refusal(cli_on(reviewed_db, "due"), "made by a newer cxotutor (schema 9999)", "upgrade cxotutor")
    with pytest.raises(StoreError, match="newer cxotutor"):
        Tutor.open(db=reviewed_db)
    assert sha(reviewed_db) == before, "refusing the file changed it"
    assert not list(reviewed_db.parent.glob("*.bak"))


def test_the_spawned_cli_refuses_a_damaged_file_in_one_line(reviewed_db, tmp_path):
    """Once end to end, in a fresh interpreter, with no help from the test process."""
    damaged = tmp_path / "spawned.db"
    damaged.write_bytes(_damage(reviewed_db, "damaged-tables"))
    before = sha(damaged)
    result = run_cli(["--db", str(damaged), "due"], cwd=tmp_path, home=tmp_path / "home", fork=False)
    assert_one_line_refusal(result, "damaged")
    assert sha(damaged) == before


# -- read-only ------------------------------------------------------------------------------


def test_a_read_only_url_reads_and_refuses_to_write(reviewed_db):
    before = sha(reviewed_db)
    tutor = Tutor.open(db=f"sqlite:///file:{reviewed_db}?mode=ro&uri=true", sync=False)
    try:
        card = tutor.next_card()
        assert card is not None and tutor.today().reviews == 5
        with pytest.raises(StoreError, match="the database is read-only"):
            tutor.rate(card.id, 3)
        with pytest.raises(StoreError, match="the database is read-only"):
            tutor.undo()
    finally:
        tutor.close()
    assert sha(reviewed_db) == before
    assert not list(reviewed_db.parent.glob("file:*")), "the URL was taken for a folder name"
    assert not (Path.cwd() / "file:").exists()


def test_no_write_permission_is_refused_before_opening(reviewed_db, tmp_path, monkeypatch):
    denied = lambda path, mode: not (mode & os.W_OK)  # noqa: E731  what os.access says for another user's file
    monkeypatch.setattr(os, "access", denied)
    with pytest.raises(StoreError, match="no permission to read and write the database"):
        open_store(reviewed_db)
    with pytest.raises(StoreError, match="cannot write to the data folder"):
        open_store(tmp_path / "new.db")
    assert not (tmp_path / "new.db").exists()


@contextmanager
def read_only_folder(folder: Path):
    """``folder`` made read-only for this process: a read-only bind mount as root, else chmod."""
    if os.geteuid() != 0:
        modes = {p: p.stat().st_mode for p in [folder, *folder.iterdir()]}
        for path in modes:
            path.chmod(0o555 if path.is_dir() else 0o444)
        try:
            yield folder
        finally:
            for path, mode in modes.items():
                path.chmod(mode)
        return
    view = folder.with_name(folder.name + "-ro")
    view.mkdir()
    mount = shutil.which("mount")
    bound = mount and subprocess.run([mount, "--bind", str(folder), str(view)], capture_output=True).returncode == 0
    if not bound:
        pytest.skip("cannot make a read-only bind mount here")
    try:
        if subprocess.run([mount, "-o", "remount,bind,ro", str(view)], capture_output=True).returncode != 0:
            pytest.skip("cannot remount read-only here")
        yield view
    finally:
        subprocess.run([shutil.which("umount") or "umount", str(view)], capture_output=True)


def test_a_read_only_data_folder_gives_one_line(reviewed_db, cli_on, tmp_path):
    data = tmp_path / "data"
    data.mkdir()
    shutil.copy(reviewed_db, data / "cxotutor.db")
    before = sha(data / "cxotutor.db")
    with read_only_folder(data) as folder:
        assert_one_line_refusal(cli_on(folder / "cxotutor.db", "due"), "no permission to read and write the database")
        assert_one_line_refusal(cli_on(folder / "new.db", "due"), "cannot write to the data folder")
        with pytest.raises(OSError):
            (folder / "probe").write_text("x")  # the folder really is read-only
    assert sha(data / "cxotutor.db") == before
    assert sorted(p.name for p in data.iterdir()) == ["cxotutor.db"]


# -- a full disk ------------------------------------------------------------------------------


def _rate_until_refused(db: Path, out) -> None:
    """In a child: rate until the store refuses; print what was kept and the message."""
    signal.signal(signal.SIGXFSZ, signal.SIG_IGN)  # a write past the limit fails with EFBIG instead
    tutor = Tutor.open(db=db, sync=False)
    size = sum(p.stat().st_size for p in db.parent.glob(db.name + "*"))
    resource.setrlimit(resource.RLIMIT_FSIZE, (size + 64 * 1024, resource.RLIM_INFINITY))
    kept = 0
    try:
        for _ in range(5000):
            tutor.rate(tutor.next_card().id, 2, answer="a long answer " * 200)
            kept += 1
    except StoreError as exc:
        out.write(f"{kept}\n{exc}\n")
    finally:
        tutor.close()


def test_a_file_size_limit_fails_a_rating_cleanly(reviewed_db):
    """A portable stand-in for a full disk: SQLite cannot grow its files past RLIMIT_FSIZE."""
    result = run_forked(_rate_until_refused, reviewed_db)
    assert result.returncode == 0, result.stderr
    kept, message = result.stdout.splitlines()
    assert int(kept) > 0
    assert message.startswith(f"{reviewed_db}: ") and "nothing was saved" in message, message
    integrity(reviewed_db)
    assert len(query(reviewed_db, "SELECT id FROM review")) == 5 + int(kept)  # all kept, the refused one absent
    check_states_match_log(reviewed_db)


@pytest.fixture
def tiny_disk(tmp_path):
    """A 2 MB tmpfs (root only)."""
    mount = shutil.which("mount")
    disk = tmp_path / "disk"
    disk.mkdir()
    if os.geteuid() != 0 or not mount or subprocess.run(
        [mount, "-t", "tmpfs", "-o", "size=2m", "tmpfs", str(disk)], capture_output=True
    ).returncode != 0:
        pytest.skip("needs root and tmpfs to make a real full disk")
    try:
        yield disk
    finally:
        subprocess.run([shutil.which("umount") or "umount", str(disk)], capture_output=True)


def _fill(folder: Path) -> Path:
    filler = folder / "filler"
    with open(filler, "wb", buffering=0) as handle:
        try:
            while True:
                handle.write(bytes(PAGE))
        except OSError:
            pass
    return filler


def test_a_full_disk_refuses_a_rating_and_recovers(reviewed_db, tiny_disk):
    db = tiny_disk / "cxotutor.db"
    shutil.copy(reviewed_db, db)
    tutor = Tutor.open(db=db, sync=False)
    try:
        tutor.rate(tutor.next_card().id, 3)
        filler = _fill(tiny_disk)
        card = tutor.next_card()
        with pytest.raises(StoreError) as refused:
            for _ in range(200):  # the WAL may still have room for a few
                tutor.rate(card.id, 3, answer="x" * 5000)
        assert "nothing was saved" in str(refused.value) and "\n" not in str(refused.value)
        kept = len(query(db, "SELECT id FROM review"))
        filler.unlink()
        tutor.rate(card.id, 4)  # space again: the same tutor carries on
    finally:
        tutor.close()
    integrity(db)
    assert len(query(db, "SELECT id FROM review")) == kept + 1
    check_states_match_log(db)


def test_a_full_disk_stops_a_migration_before_it_starts(reviewed_db, tiny_disk, monkeypatch):
    """The backup cannot be written: the upgrade is refused, the file keeps every byte, no half backup."""
    import cxotutor.store.db as db_module

    db = tiny_disk / "cxotutor.db"
    shutil.copy(reviewed_db, db)
    _fill(tiny_disk)
    before = sha(db)
    monkeypatch.setattr(db_module, "REVISIONS", (*db_module.REVISIONS, "9998"))
    monkeypatch.setattr(db_module, "HEAD", "9998")
    migrated = []
    monkeypatch.setattr(db_module, "_migrate", lambda engine: migrated.append(engine))
    with pytest.raises(StoreError) as refused:
        db_module.open_store(db)
    assert "nothing was saved" in str(refused.value) or "disk is full" in str(refused.value), refused.value
    assert not migrated
    assert sha(db) == before
    assert not list(tiny_disk.glob("*.bak"))
