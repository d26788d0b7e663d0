"""Class mode: many learners on one database, on SQLite and PostgreSQL."""

from __future__ import annotations

import json
import threading
from datetime import timezone

import pytest
from sqlalchemy import func, select
from typer.testing import CliRunner

import cxotutor.library as library
from cxotutor.cli import app
from cxotutor.store import open_store
from cxotutor.store.tables import Learner, Review
from cxotutor.tutor import Tutor

from ..conftest import MINI_DECK

LEARNERS = 30
REVIEWS_EACH = 10  # bounded by count, not time, so a busy machine cannot make the test flaky


def test_class_init_and_status(db_url, monkeypatch):
    monkeypatch.setattr(library, "bundled_files", lambda: [MINI_DECK])
    runner = CliRunner()
    init = runner.invoke(app, ["class", "init", "--db", db_url], catch_exceptions=False)
    assert init.exit_code == 0, init.stderr
    assert "mini 1: installed, 3 cards" in init.stdout

    for name, ratings in (("aiko", 2), ("ben", 1)):
        tutor = Tutor.open(db=db_url, learner=name, sync=False)
        for _ in range(ratings):
            tutor.rate(tutor.next_card().id, 4)
        tutor.close()
    status = runner.invoke(app, ["class", "status", "--db", db_url, "--json"], catch_exceptions=False)
    rows = {row["name"]: row for row in json.loads(status.stdout)}
    assert (rows["aiko"]["reviews"], rows["aiko"]["learned"]) == (2, 2)
    assert (rows["ben"]["reviews"], rows["ben"]["learned"]) == (1, 1)
    table = runner.invoke(app, ["class", "status", "--db", db_url], catch_exceptions=False)
    assert "aiko" in table.stdout and "ben" in table.stdout


def test_class_status_needs_a_database():
    result = CliRunner().invoke(app, ["class", "status"])
    assert result.exit_code == 1 and "--db" in result.stderr


def test_thirty_learners_review_at_once(db_url):
    """Each learner is its own client (own engine); nobody's reviews are lost or leak to another."""
    setup = open_store(db_url)
    library.sync_bundled(setup, [MINI_DECK])
    setup.dispose()
    acknowledged: dict[str, int] = {}
    errors: list[BaseException] = []

    def learner(name: str) -> None:
        try:
            tutor = Tutor.open(db=db_url, learner=name, sync=False)
            count = 0
            while count < REVIEWS_EACH:
                card = tutor.next_card()
                if card is None:
                    # Everything learnt: log extra ratings on a card so the load continues.
                    card = tutor.card(1)
                tutor.rate(card.id, 1 + count % 4)
                count += 1
            acknowledged[name] = count
            assert tutor.today().reviews == count
            tutor.close()
        except BaseException as exc:  # surfaced in the main thread
            errors.append(exc)

    threads = [threading.Thread(target=learner, args=(f"learner-{i:02d}",)) for i in range(LEARNERS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert not errors, errors[0]
    assert acknowledged == {f"learner-{i:02d}": REVIEWS_EACH for i in range(LEARNERS)}

    check = open_store(db_url)
    with check.read() as session:
        stored = dict(
            session.execute(
                select(Learner.name, func.count(Review.id)).join(Review, Review.learner_id == Learner.id).group_by(Learner.name)
            ).all()
        )
    check.dispose()
    assert stored == acknowledged
