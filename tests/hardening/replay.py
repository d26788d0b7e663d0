"""Check a database the way a careful auditor would: SQLite's own checks, then every
card's stored state against a replay of its review log through the scheduler.

The stored ``due`` of a card in review state carries random fuzz, so ``due`` is
compared with the due stored on the card's last review row, and the replay runs
with fuzz off and compares everything else.
"""

from __future__ import annotations

import json
import math
import sqlite3
from datetime import datetime, timezone
from pathlib import Path

from cxotutor import srs
from cxotutor.srs import SchedulerConfig

MEMORY_FIELDS = ("state", "step", "stability", "difficulty", "last_review", "reps", "lapses")


def query(db: Path, sql: str, *params) -> list[sqlite3.Row]:
    """Rows from a fresh connection, closed at once (a crash test must not hold the file open)."""
    conn = sqlite3.connect(db, timeout=30)
    conn.row_factory = sqlite3.Row
    try:
        return conn.execute(sql, params).fetchall()
    finally:
        conn.close()


def integrity(db: Path) -> None:
    assert [tuple(r) for r in query(db, "PRAGMA integrity_check")] == [("ok",)]
    assert query(db, "PRAGMA foreign_key_check") == []


def _utc(value: str | None) -> datetime | None:
    return None if value is None else datetime.fromisoformat(value).replace(tzinfo=timezone.utc)


def _same(a, b) -> bool:
    if isinstance(a, float) and isinstance(b, float):
        return math.isclose(a, b, rel_tol=1e-9, abs_tol=1e-12)
    return a == b


def reviews(db: Path) -> dict[int, sqlite3.Row]:
    return {row["id"]: row for row in query(db, "SELECT * FROM review ORDER BY id")}


def check_states_match_log(db: Path, learner_id: int = 1) -> int:
    """Assert every card_state row equals its replayed review log; return the number of reviews."""
    scheduler = SchedulerConfig(fuzz=False).scheduler()
    log = query(db, "SELECT * FROM review WHERE learner_id = ? ORDER BY id", learner_id)
    states = {r["card_id"]: r for r in query(db, "SELECT * FROM card_state WHERE learner_id = ?", learner_id)}
    by_card: dict[int, list[sqlite3.Row]] = {}
    for row in log:
        by_card.setdefault(row["card_id"], []).append(row)
    for card_id, rows in by_card.items():
        memory: srs.Memory | None = None
        last_due = None
        for row in rows:
            where = f"card {card_id}, review {row['id']}"
            stored_before = srs.Memory.from_dict(json.loads(row["before"])) if row["before"] else None
            assert (stored_before is None) == (memory is None), f"{where}: 'before' disagrees with the log"
            if memory is not None:
                for name in MEMORY_FIELDS:
                    assert _same(getattr(stored_before, name), getattr(memory, name)), f"{where}: before.{name}"
                assert stored_before.due == last_due, f"{where}: before.due is not the previous review's due"
            if row["scheduled"]:
                memory = srs.schedule(scheduler, memory, row["rating"], _utc(row["reviewed_at"]))
                last_due = _utc(row["due"])
            for name in ("state", "stability", "difficulty"):
                expected = getattr(memory, name) if memory else None
                assert _same(row[name], expected), f"{where}: review.{name} {row[name]!r} != replayed {expected!r}"
        state = states.pop(card_id, None)
        if memory is None:
            assert state is None, f"card {card_id}: has a state but no scheduled review"
            continue
        assert state is not None, f"card {card_id}: reviewed but has no card_state row"
        for name in MEMORY_FIELDS:
            stored = _utc(state[name]) if name == "last_review" else state[name]
            assert _same(stored, getattr(memory, name)), f"card {card_id}: card_state.{name} {stored!r} != replayed {getattr(memory, name)!r}"
        assert _utc(state["due"]) == last_due, f"card {card_id}: card_state.due differs from its last review's due"
    assert not states, f"card states without any review: {sorted(states)}"
    return len(log)
