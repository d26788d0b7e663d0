"""Make tests/data/schema-0001.db: a learner's database as the first released schema wrote it.

    python tests/data/make_schema_0001_db.py

The tables come from migration 0001 itself (``alembic upgrade 0001``, not
"head"), and the rows are written with plain SQL, so the file keeps meaning
"what revision 0001 looked like" after later migrations exist. It holds two
learners, a bundled and a removed installed deck (one retired card), tags, card
states consistent with the review log (scheduled, unscheduled and interview
reviews, with the ``before`` JSON undo needs), an interview, a learning path
with step progress, and settings. Committed in rollback-journal mode (one file).
"""

from __future__ import annotations

import json
import sqlite3
import sys
from datetime import datetime, timedelta, timezone
from pathlib import Path

HERE = Path(__file__).resolve().parent
OUT = HERE / "schema-0001.db"
sys.path.insert(0, str(HERE.parents[1] / "src"))

import yaml  # noqa: E402
from alembic import command  # noqa: E402
from alembic.config import Config  # noqa: E402
from sqlalchemy import create_engine  # noqa: E402

from cxotutor import srs  # noqa: E402
from cxotutor.store.db import MIGRATIONS_DIR  # noqa: E402

T0 = datetime(2026, 11, 1, 9, 0, tzinfo=timezone.utc)


def stamp(moment: datetime | None) -> str | None:
    """How revision 0001 stores a time (SQLAlchemy's SQLite DateTime): naive UTC text with microseconds."""
    return None if moment is None else moment.astimezone(timezone.utc).strftime("%Y-%m-%d %H:%M:%S.%f")


def create_tables(path: Path) -> None:
    engine = create_engine(f"sqlite:///{path}")
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS_DIR))
    with engine.begin() as conn:
        config.attributes["connection"] = conn
        command.upgrade(config, "0001")
    engine.dispose()


def fill(conn: sqlite3.Connection) -> None:
    mini = yaml.safe_load((HERE / "mini.yaml").read_text(encoding="utf-8"))
    conn.executemany("INSERT INTO learner (id, name, created_at) VALUES (?, ?, ?)",
                     [(1, "local", stamp(T0)), (2, "kenji", stamp(T0 + timedelta(hours=1)))])
    conn.execute(
        "INSERT INTO deck VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        ("mini", 1, mini["title"]["ja"], mini["title"]["en"], "cto", "ja,en", mini["author"], mini["source"],
         "bundled", "0" * 64, 0, stamp(T0), stamp(T0)),
    )
    conn.execute(
        "INSERT INTO deck VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        ("old-notes", 2, "古いノート", "Old notes", "general", "en", "a learner", None, "installed", "1" * 64, 1,
         stamp(T0), stamp(T0 + timedelta(days=2))),
    )
    cards = []
    for position, card in enumerate(mini["cards"]):
        points = [dict(id=p["id"], ja=p["ja"], en=p["en"], aliases=p.get("aliases", []), weight=1.0) for p in card["key_points"]]
        cards.append((position + 1, "mini", card["id"], position, card["question"]["ja"], card["question"]["en"],
                      card["answer"]["ja"], card["answer"]["en"], json.dumps(points, ensure_ascii=False),
                      json.dumps(card["tags"]), json.dumps(card["source"], ensure_ascii=False) if "source" in card else None, f"{position:064d}", 0))
    cards.append((4, "old-notes", "retired-card", 0, None, "What was this?", None, "Something retired.",
                  json.dumps([dict(id="gone", ja=None, en="gone", aliases=[], weight=2.0)]), "[]", None, "9" * 64, 1))
    conn.executemany("INSERT INTO card VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)", cards)
    conn.executemany("INSERT INTO card_tag VALUES (?, ?)", [(1, "architecture"), (2, "engineering"), (3, "finance"), (3, "cfo")])

    conn.execute("INSERT INTO interview VALUES (1, 1, 'cto', ?, ?, 60, 50, ?)",
                 (stamp(T0 + timedelta(days=3)), stamp(T0 + timedelta(days=3, minutes=5)),
                  json.dumps({"questions": 1, "score": 50})))

    scheduler = srs.SchedulerConfig(fuzz=False).scheduler()
    plan = [  # learner, card, rating, hours after T0, scheduled, interview
        (1, 1, 3, 0, True, None), (1, 1, 3, 0.2, True, None), (1, 2, 1, 1, True, None), (1, 2, 3, 1.3, True, None),
        (1, 1, 4, 26, True, None), (1, 3, 2, 30, True, None), (1, 1, 1, 24 * 9, True, None),
        (1, 3, 3, 72, False, 1), (1, 4, 3, 40, True, None), (2, 1, 2, 5, True, None), (2, 2, 4, 6, True, None),
    ]
    memories: dict[tuple[int, int], srs.Memory | None] = {}
    first: dict[tuple[int, int], datetime] = {}
    for review_id, (learner, card, rating, hours, scheduled, interview) in enumerate(sorted(plan, key=lambda p: p[3]), 1):
        now = T0 + timedelta(hours=hours)
        before = memories.get((learner, card))
        after = srs.schedule(scheduler, before, rating, now) if scheduled else before
        if scheduled:
            memories[(learner, card)] = after
            first.setdefault((learner, card), now)
        conn.execute(
            "INSERT INTO review VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            (review_id, learner, card, stamp(now), rating, "interview" if interview else "review", int(scheduled),
             before.state if before else 0, "分散トランザクション管理と Saga" if interview else None,
             50 if interview else None, json.dumps([{"id": "distributed-transactions", "status": "hit"}]) if interview else None,
             4200 + review_id, after.state if after else None, after.stability if after else None,
             after.difficulty if after else None, stamp(after.due) if after else None,
             max(0, (after.due - now).days) if after else None,
             json.dumps(before.to_dict()) if before else None, interview),
        )
    for (learner, card), m in memories.items():
        conn.execute("INSERT INTO card_state VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                     (learner, card, m.state, m.step, m.stability, m.difficulty, stamp(m.due), stamp(m.last_review),
                      m.reps, m.lapses, stamp(first[(learner, card)])))

    path = {
        "id": "cto-basics", "version": 1, "title": {"ja": "CTOの基礎", "en": "CTO basics"}, "role": "cto", "source": None,
        "description": None, "career": [],
        "steps": [{"id": "architecture", "title": {"ja": "設計", "en": "Architecture"},
                   "goal": {"ja": "分散システムを説明できる", "en": "Explain distributed systems"},
                   "resources": [{"kind": "book", "title": "Designing Data-Intensive Applications", "author": "Martin Kleppmann",
                                  "issuer": None, "url": None}],
                   "practice": {"decks": ["mini"], "tags": ["architecture"]}, "source": None}],
    }
    conn.execute("INSERT INTO learning_path VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                 ("cto-basics", 1, "cto", json.dumps(path, ensure_ascii=False), "bundled", "2" * 64, 0, stamp(T0)))
    conn.executemany(
        "INSERT INTO step_progress VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
        [(1, "cto-basics", "architecture", "", "in-progress", "reading chapter 5", stamp(T0), None, stamp(T0 + timedelta(days=1))),
         (1, "cto-basics", "architecture", "0", "done", None, stamp(T0), stamp(T0 + timedelta(days=4)), stamp(T0 + timedelta(days=4)))],
    )
    conn.executemany("INSERT INTO setting VALUES (?, ?, ?)", [
        (1, "new_per_day", "15"), (1, "ui_language", '"ja"'), (1, "fuzz", "false"), (1, "day_start_hour", "5"),
        (1, "desired_retention", "0.85"), (2, "content_language", '"en"'),
    ])


def main() -> None:
    work = OUT.with_suffix(".tmp")
    work.unlink(missing_ok=True)
    create_tables(work)
    conn = sqlite3.connect(work)
    with conn:
        fill(conn)
    conn.execute("PRAGMA journal_mode = DELETE")
    conn.execute("VACUUM")
    assert conn.execute("PRAGMA integrity_check").fetchone() == ("ok",)
    assert conn.execute("SELECT version_num FROM alembic_version").fetchone() == ("0001",)
    conn.close()
    work.replace(OUT)
    print(f"wrote {OUT} ({OUT.stat().st_size} bytes)")


if __name__ == "__main__":
    main()
