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


def write_csv(store: Store, learner: str, out: TextIO) -> int:
    """Write ``learner``'s reviews, oldest first, to ``out``; returns the number of rows.

    ``review_time_ms`` is epoch milliseconds (UTC), ``card_id`` the card's key in
    its deck, ``state`` the card's state after the review (empty when the review
    did not move the schedule), ``interval_days`` the days until it is due again.
    """
    learner_id = find_learner(store, learner)
    r = Review.__table__.c
    c = CardRow.__table__.c
    state = case({code: name for code, name in STATE_NAMES.items() if code}, value=r.state, else_="")
    source = Review.__table__.join(CardRow.__table__, c.id == r.card_id)
    order = (r.reviewed_at, r.id)
    if store.is_sqlite:
        # SQLite formats each line itself and Python only moves strings, which keeps the
        # export near the speed of the sqlite3 shell (SQLAlchemy's row layer alone would
        # double the time of a million-review log). Card keys, deck ids and modes are slugs,
        # so no field needs CSV quoting. Times are stored as "YYYY-MM-DD HH:MM:SS.ffffff" UTC.
        seconds = func.unixepoch(r.reviewed_at) if sqlite3.sqlite_version_info >= (3, 38) else cast(func.strftime("%s", r.reviewed_at), Integer)
        stamp = seconds * 1000 + cast(func.substr(r.reviewed_at, 21, 3), Integer)
        # printf's %s turns NULL into "", which is what an empty CSV field should be.
        state = case({code: name for code, name in STATE_NAMES.items() if code}, value=r.state)
        line = func.printf("%d,%s,%s,%d,%s,%s,%s,%s,%s", stamp, c.key, c.deck_id, r.rating, state,
                           r.interval_days, r.duration_ms, r.score, r.mode)
        query = select(line).select_from(source).where(r.learner_id == learner_id).order_by(*order)
        out.write(",".join(CSV_COLUMNS) + "\n")
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
    stamp = cast(func.floor(func.extract("epoch", r.reviewed_at) * 1000), BigInteger)
    query = (
        select(stamp, c.key, c.deck_id, r.rating, state, r.interval_days, r.duration_ms, r.score, r.mode)
        .select_from(source)
        .where(r.learner_id == learner_id)
        .order_by(*order)
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
