"""Two copies of cxotutor on one database at the same time (two terminals, one learner).

Each process reviews its own half of the cards for a few seconds while also
reading the queue. Nobody sees "database is locked", no review is lost, and
the counts add up. A second test opens a brand-new file from three processes
at the same moment, so the first-run migration and content load race.
"""

from __future__ import annotations

import json
import subprocess
import sys

import pytest

from .conftest import CHILD, child_env
from .decks import write_deck
from .replay import check_states_match_log, integrity, query, reviews

pytestmark = pytest.mark.slow  # spawns processes

SECONDS = 4.0


def _run_together(configs: list[dict], home, timeout: float = 120) -> list[list[str]]:
    """Start every child, release them at once, and return each one's acknowledgement lines."""
    procs = [
        subprocess.Popen([sys.executable, str(CHILD), json.dumps(c)], stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                         stderr=subprocess.PIPE, text=True, env=child_env(home))
        for c in configs
    ]
    for proc in procs:
        proc.stdin.write("go\n")
        proc.stdin.flush()
    results = []
    for proc in procs:
        out, err = proc.communicate(timeout=timeout)
        assert proc.returncode == 0 and err == "", f"exit {proc.returncode}: {err}"
        lines = out.splitlines()
        assert lines[0] == "ready" and lines[-1].startswith("done "), lines[-3:]
        results.append(lines)
    return results


def _review_ids(lines: list[str]) -> list[int]:
    return [int(line.split()[1]) for line in lines if line.startswith("R ")]


def test_two_instances_review_different_cards_at_the_same_time(deck_db, tmp_path):
    cards = [row["id"] for row in query(deck_db, "SELECT id FROM card ORDER BY id")]
    halves = [cards[0::2], cards[1::2]]
    configs = [
        {"db": str(deck_db), "seed": i, "cards": half, "clock": "real", "seconds": SECONDS, "reads": True, "wait": True}
        for i, half in enumerate(halves)
    ]
    lines_a, lines_b = _run_together(configs, tmp_path / "home")

    ids_a, ids_b = _review_ids(lines_a), _review_ids(lines_b)
    assert len(ids_a) > 10 and len(ids_b) > 10, "both instances must have worked at the same time"
    assert not set(ids_a) & set(ids_b)
    assert int(lines_a[-1].split()[1]) == len(ids_a) and int(lines_b[-1].split()[1]) == len(ids_b)
    stored = reviews(deck_db)
    assert sorted(stored) == sorted(ids_a + ids_b), "a review was lost or appeared from nowhere"
    for ids, half in ((ids_a, halves[0]), (ids_b, halves[1])):
        assert {stored[i]["card_id"] for i in ids} <= set(half)
    reviewed = {row["card_id"] for row in stored.values()}
    assert query(deck_db, "SELECT count(*) FROM card_state")[0][0] == len(reviewed)
    integrity(deck_db)
    check_states_match_log(deck_db)


def test_three_processes_create_the_same_new_database_at_once(tmp_path):
    deck = write_deck(tmp_path, cards=30)
    db = tmp_path / "fresh.db"
    configs = [
        {"db": str(db), "seed": i, "deck": str(deck), "clock": "real", "seconds": 1.0, "wait": True}
        for i in range(3)
    ]
    results = _run_together(configs, tmp_path / "home")
    integrity(db)
    assert query(db, "SELECT version_num FROM alembic_version")[0][0]
    assert query(db, "SELECT count(*) FROM deck")[0][0] == 1
    assert query(db, "SELECT count(*) FROM card")[0][0] == 30
    assert query(db, "SELECT count(*) FROM learner")[0][0] == 1
    assert len(reviews(db)) == sum(len(_review_ids(lines)) for lines in results)
    check_states_match_log(db)  # here the processes rate the same cards: the writes must serialise
    assert not list(tmp_path.glob("*.bak")), "a new database needs no backup"
