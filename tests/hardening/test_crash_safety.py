"""Crash safety: a learner's review loop is killed with SIGKILL at random moments, again
and again on the same database, and nothing acknowledged is ever lost or damaged.

The child prints an acknowledgement only after ``Tutor.rate`` returned. Every
sixth child is a fresh interpreter (``python child.py``); the others are forks
of this process, so sixty kills fit in the time budget. After
every kill: SQLite's integrity check passes; every acknowledged review is there
exactly once (and every acknowledged undo stayed undone); at most the one
rating in flight appears without an acknowledgement; and every card's stored
state equals a replay of its review log.
"""

from __future__ import annotations

import random
import signal
from datetime import datetime, timezone

import pytest

from .learner import Learner
from .replay import check_states_match_log, integrity, reviews

pytestmark = pytest.mark.slow  # spawns processes

KILLS = 60
SEED = 20261121


def test_sigkill_at_random_moments_loses_and_corrupts_nothing(deck_db, tmp_path):
    rng = random.Random(SEED)
    # A review is (id, card, rating, time): SQLite hands an undone review's id to the next one,
    # so every child's clock starts after every time used before ("after"): (id, time) is unique.
    acked: dict[int, tuple[int, int, datetime]] = {}  # must survive until undone
    undone: set[tuple[int, datetime]] = set()  # must never come back
    stats = {"in_loop": 0, "at_start": 0, "unacked_commit": 0, "undo_in_flight": 0}
    for round_ in range(KILLS):
        used = [at for _c, _r, at in acked.values()] + [at for _id, at in undone]
        config = {"db": str(deck_db), "seed": SEED + round_, "undo": 0.08, "unscheduled": 0.05,
                  "after": max(used).isoformat() if used else None}
        spawned = round_ % 6 == 0
        child = Learner(config, tmp_path / "home", "spawn" if spawned else "fork")
        if rng.random() < 0.15:  # somewhere in start-up: imports, open_store, WAL recovery
            child.pump(rng.uniform(0.0, 1.0 if spawned else 0.05))
        else:
            child.pump(60, until_ready=True)
            assert child.ready, "child did not start"
            child.pump(rng.uniform(0.0, 0.4))
        returncode, stderr = child.kill()
        assert returncode == -signal.SIGKILL, f"round {round_}: the child ended by itself: {stderr}"
        assert "Traceback" not in stderr, stderr

        pending_undo = None
        for line in child.lines:
            kind, *rest = line.split()
            if kind == "R":
                review, card, rating = map(int, rest[:3])
                assert review not in acked, f"review id {review} handed out twice"
                acked[review] = (card, rating, datetime.fromisoformat(rest[3]))
            elif kind == "U?":
                pending_undo = int(rest[0])
            elif kind == "U":
                assert int(rest[0]) == pending_undo
                undone.add((pending_undo, acked.pop(pending_undo)[2]))
                pending_undo = None
        stats["in_loop" if child.ready else "at_start"] += 1

        integrity(deck_db)
        present = {review: (row["card_id"], row["rating"], _utc(row["reviewed_at"])) for review, row in reviews(deck_db).items()}
        if pending_undo is not None:  # killed inside undo(): either outcome is fine, half of one is not
            stats["undo_in_flight"] += 1
            if pending_undo not in present:
                undone.add((pending_undo, acked.pop(pending_undo)[2]))
        for review, expected in acked.items():
            assert review in present, f"round {round_}: acknowledged review {review} is lost"
            assert present[review] == expected, f"round {round_}: review {review} changed"
        back = {(review, at) for review, (_c, _r, at) in present.items()} & undone
        assert not back, f"round {round_}: undone reviews came back: {back}"
        unacknowledged = sorted(present.keys() - acked.keys())
        assert len(unacknowledged) <= 1, f"round {round_}: more than the one rating in flight: {unacknowledged}"
        for review in unacknowledged:  # committed just before the kill: durable from now on
            assert review > max(acked, default=0)
            acked[review] = present[review]
            stats["unacked_commit"] += 1
        times = [at for _id, (_c, _r, at) in sorted(present.items())]
        assert times == sorted(times) and len(set(times)) == len(times), "a review was recorded twice or out of order"
        check_states_match_log(deck_db)

    print(f"\n{KILLS} kills, {len(acked)} reviews kept, {len(undone)} undone; {stats}")
    assert stats["in_loop"] >= KILLS // 2, stats
    assert len(acked) > 2 * KILLS, "too few reviews happened between kills to mean anything"


def _utc(value: str) -> datetime:
    return datetime.fromisoformat(value).replace(tzinfo=timezone.utc)
