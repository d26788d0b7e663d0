"""A scripted learner, run as a child process by the crash and concurrency tests.

    python child.py '{"db": "...", "seed": 1, ...}'

Uses the real facade on a real SQLite file and prints one line per finished
step, flushed, only after the call returned:

    ready                 the tutor is open
    R <review> <card> <rating> <time>   rate() returned (the review is durable)
    U? <review>           about to undo review <review>
    U <review>            undo() returned
    done <count>          the time was up
"""

from __future__ import annotations

import json
import random
import sys
import time
from datetime import datetime, timedelta, timezone

from sqlalchemy import func, select

# Small steps and long gaps, so cards pass through learning, review, lapses and relearning.
GAPS = [timedelta(minutes=1), timedelta(minutes=10), timedelta(hours=1), timedelta(days=1),
        timedelta(days=3), timedelta(days=10), timedelta(days=40)]


def main(config: dict, out=None) -> None:
    from cxotutor.store.tables import CardRow, Review
    from cxotutor.tutor import Tutor

    out = out or sys.stdout

    def say(line: str) -> None:
        out.write(line + "\n")
        out.flush()

    rng = random.Random(config.get("seed", 0))
    if config.get("wait"):
        sys.stdin.readline()  # all children start together
    if config.get("deck"):
        import cxotutor.library as library
        from pathlib import Path

        library.bundled_files = lambda: [Path(config["deck"])]

    fake = config.get("clock", "fake") == "fake"
    now = [datetime(2026, 1, 5, 10, 0, tzinfo=timezone.utc)]

    def clock() -> datetime:
        return now[0] if fake else datetime.now(timezone.utc)

    tutor = Tutor.open(db=config["db"], sync=bool(config.get("deck")), clock=clock, tz=timezone.utc)
    with tutor.store.read() as session:
        last = session.scalar(select(func.max(Review.reviewed_at)))
        cards = config.get("cards") or list(session.scalars(select(CardRow.id).order_by(CardRow.id)))
    if last is not None and fake:
        now[0] = max(now[0], last + timedelta(seconds=1))
    if config.get("after") and fake:  # later than any rating before, undone ones included
        now[0] = max(now[0], datetime.fromisoformat(config["after"]) + timedelta(seconds=1))
    say("ready")

    deadline = time.monotonic() + config["seconds"] if config.get("seconds") else None
    count = 0
    while deadline is None or time.monotonic() < deadline:
        if rng.random() < config.get("undo", 0.0):
            with tutor.store.read() as session:
                target = session.scalar(select(func.max(Review.id)).where(Review.learner_id == tutor.learner_id))
            if target is not None:
                say(f"U? {target}")
                tutor.undo()
                say(f"U {target}")
            continue
        if config.get("reads"):
            tutor.next_card()
            tutor.today()
        card = rng.choice(cards)
        rating = rng.randint(1, 4)
        scheduled = rng.random() >= config.get("unscheduled", 0.0)
        receipt = tutor.rate(card, rating, mode="review" if scheduled else "interview", schedule=scheduled,
                             answer=config.get("answer"))
        say(f"R {receipt.review_id} {card} {rating} {now[0].isoformat() if fake else '-'}")
        count += 1
        if fake:
            now[0] += rng.choice(GAPS) + timedelta(seconds=rng.randint(1, 59))
    tutor.close()
    say(f"done {count}")


if __name__ == "__main__":
    main(json.loads(sys.argv[1]))
