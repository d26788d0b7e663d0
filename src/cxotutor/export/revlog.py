"""The review log as CSV, one row per review, with Anki-revlog-like columns.

Streamed with SQLAlchemy Core (``yield_per``); on SQLite each line is formatted in SQL.
"""

from __future__ import annotations

import csv
import sqlite3
from typing import TextIO

from sqlalchemy import BigInteger, Integer, case, cast, func, select

from cxotutor.export.base import STATE_NAMES, STREAM_BATCH, find_learner
from cxotutor.store import Store
from cxotutor.store.tables import CardRow, Review

CSV_COLUMNS = ("review_time_ms", "card_id", "deck_id", "rating", "state", "interval_days", "duration_ms", "score", "mode")


def write_csv(store: Store, learner: str, out: TextIO, workers: int = 1) -> int:
    """Write ``learner``'s reviews, oldest first, to ``out``; returns the number of rows.

    ``review_time_ms`` is epoch milliseconds (UTC), ``card_id`` the card's key in
    its deck, ``state`` the card's state after the review (empty when the review
    did not move the schedule), ``interval_days`` the days until it is due again.
    ``workers`` > 1 lets SQLite format slices of a large log on several cores
    (threads; the output is the same).
    """
    learner_id = find_learner(store, learner)
    if store.is_sqlite:
        return _sqlite_csv(store, learner_id, out, workers)
    r = Review.__table__.c
    c = CardRow.__table__.c
    state = case({code: name for code, name in STATE_NAMES.items() if code}, value=r.state, else_="")
    stamp = cast(func.floor(func.extract("epoch", r.reviewed_at) * 1000), BigInteger)
    query = (
        select(stamp, c.key, c.deck_id, r.rating, state, r.interval_days, r.duration_ms, r.score, r.mode)
        .select_from(Review.__table__.join(CardRow.__table__, c.id == r.card_id))
        .where(r.learner_id == learner_id)
        .order_by(r.reviewed_at, r.id)
    )
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(CSV_COLUMNS)
    rows = 0
    with store.engine.connect() as conn:
        result = conn.execution_options(stream_results=True, yield_per=STREAM_BATCH).execute(query)
        for batch in result.partitions():
            writer.writerows(batch)
            rows += len(batch)
    return rows


def _sqlite_line():
    """One CSV line per review, formatted by SQLite (Python then only moves strings).

    This keeps the export near the speed of the sqlite3 shell; SQLAlchemy's row
    layer alone would double the time of a million-review log. Card keys, deck
    ids and modes are slugs, so no field needs quoting; printf's %s turns NULL
    into an empty field. Times are stored as "YYYY-MM-DD HH:MM:SS.ffffff" (UTC).
    """
    r = Review.__table__.c
    c = CardRow.__table__.c
    seconds = func.unixepoch(r.reviewed_at) if sqlite3.sqlite_version_info >= (3, 38) else cast(func.strftime("%s", r.reviewed_at), Integer)
    stamp = seconds * 1000 + cast(func.substr(r.reviewed_at, 21, 3), Integer)
    state = case({code: name for code, name in STATE_NAMES.items() if code}, value=r.state)
    return func.printf("%d,%s,%s,%d,%s,%s,%s,%s,%s", stamp, c.key, c.deck_id, r.rating, state,
                       r.interval_days, r.duration_ms, r.score, r.mode)


SLICED_MIN_ROWS = 50_000  # below this one plain query is as fast
SLICE_ROWS = 25_000


def _sqlite_csv(store: Store, learner_id: int, out: TextIO, workers: int) -> int:
    r = Review.__table__.c
    c = CardRow.__table__.c
    source = Review.__table__.join(CardRow.__table__, c.id == r.card_id)
    mine = r.learner_id == learner_id
    out.write(",".join(CSV_COLUMNS) + "\n")
    with store.engine.connect() as conn:
        count, first, last = conn.execute(select(func.count(), func.min(r.reviewed_at), func.max(r.reviewed_at)).where(mine)).one()
    if count >= SLICED_MIN_ROWS and first < last:
        return _sqlite_csv_slices(store, source, mine, out, workers, count, first, last)
    query = select(_sqlite_line()).select_from(source).where(mine).order_by(r.reviewed_at, r.id)
    rows = 0
    with store.engine.connect() as conn:
        # Executed by Core; without yield_per nothing is buffered, so the DBAPI cursor
        # can be read directly in batches (the rows are plain strings: nothing to process).
        result = conn.execute(query)
        cursor = result.cursor
        while batch := cursor.fetchmany(STREAM_BATCH):
            out.write("\n".join([row[0] for row in batch]))
            out.write("\n")
            rows += len(batch)
        result.close()
    return rows


def _sqlite_csv_slices(store: Store, source, mine, out: TextIO, workers: int, count: int, first, last) -> int:
    """Cut the log into time slices and have SQLite format each whole slice into one string.

    One aggregate query per slice runs entirely inside SQLite (no Python object
    per row), and SQLite releases the GIL for all of it, so with ``workers`` > 1
    slices really are formatted in parallel. Slices are
    contiguous and written in order, and each is ordered inside, so the output is
    the same as the single query's. The first and last slices are open-ended:
    no row can fall outside them, whatever the stored time text looks like.
    """
    import threading
    from collections import deque
    from concurrent.futures import ThreadPoolExecutor

    r = Review.__table__.c
    slices = max(2, count // SLICE_ROWS)
    step = (last - first) / slices
    cuts = [first + step * k for k in range(1, slices)]
    ranges = list(zip([None, *cuts], [*cuts, None]))
    local = threading.local()
    lines = _sqlite_line().label("line")

    def run(bounds) -> str | None:
        low, high = bounds
        where = [mine]
        if low is not None:
            where.append(r.reviewed_at >= low)
        if high is not None:
            where.append(r.reviewed_at < high)
        inner = select(lines).select_from(source).where(*where).order_by(r.reviewed_at, r.id).subquery()
        if not hasattr(local, "conn"):
            local.conn = store.engine.connect()
            opened.append(local.conn)
        return local.conn.execute(select(func.group_concat(inner.c.line, "\n"))).scalar()

    opened: list = []
    rows = 0
    try:
        with ThreadPoolExecutor(max_workers=workers) as pool:
            # A few slices in flight at a time, written in order: memory stays bounded.
            pending = deque(pool.submit(run, bounds) for bounds in ranges[: 2 * workers])
            queued = len(pending)
            while pending:
                text = pending.popleft().result()
                if queued < len(ranges):
                    pending.append(pool.submit(run, ranges[queued]))
                    queued += 1
                if text:
                    out.write(text)
                    out.write("\n")
                    rows += text.count("\n") + 1
    finally:
        for conn in opened:
            conn.close()
    return rows
