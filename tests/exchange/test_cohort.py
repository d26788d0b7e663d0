"""Cohort report over 30 learners, generated through the real facade with a fake clock, on two deck versions."""

from __future__ import annotations

import csv
import io
import json
import random
from datetime import datetime, timedelta, timezone
from pathlib import Path

import pytest

from cxotutor.library import sync_bundled
from cxotutor.srs import AGAIN, GOOD, HARD

from ..conftest import MINI_DECK, FakeClock
from .conftest import invoke, mini_data, one_line_error, write_deck

START = datetime(2026, 1, 5, 10, 0, tzinfo=timezone.utc)
ANSWERS = {  # what a learner who "knows" each card types; observability is the point most of the class forgets
    "microservices-challenges": ("managing distributed transactions with Saga", "ensuring observability with distributed tracing"),
    "tech-debt": ("making the debt visible", "reserving time to pay it down"),
    "tech-debt-budget": ("making the debt visible", "reserving time to pay it down"),
    "cfo-collaboration": ("explaining return on investment", "optimising cloud costs with FinOps"),
}


def learner_session(store, name: str, seed: int, days: int) -> None:
    from cxotutor.tutor import Tutor

    rng = random.Random(seed)
    clock = FakeClock(START + timedelta(hours=rng.randrange(6)))
    tutor = Tutor(store, learner=name, clock=clock, tz=timezone.utc)
    remembers_observability = seed % 5 == 0  # one learner in five
    for _day in range(days):
        if rng.random() < 0.8:
            for _ in range(3):
                card = tutor.next_card()
                if card is None:
                    break
                first, second = ANSWERS[card.key]
                parts = [first] if rng.random() < 0.9 else []
                if second and (card.key != "microservices-challenges" or remembers_observability) and rng.random() < 0.7:
                    parts.append(second)
                answer = " and ".join(parts)
                score = tutor.score(card, answer)
                rating = AGAIN if score.score < 40 else HARD if score.score < 80 else GOOD
                tutor.rate(card.id, rating, answer=answer, score=score, duration_ms=rng.randrange(5_000, 60_000))
                clock.advance(minutes=2)
        clock.advance(days=1)


@pytest.fixture(scope="module")
def exports(tmp_path_factory) -> Path:
    """30 learners' JSON exports: 15 on mini v1 in one class database, 15 on mini v2 in another."""
    from cxotutor.export import write_json
    from cxotutor.store import open_store

    folder = tmp_path_factory.mktemp("exports")
    v2 = mini_data()
    v2["version"] = 2
    gone = v2["cards"].pop(1)  # tech-debt is retired in v2 ...
    v2["cards"].append({**gone, "id": "tech-debt-budget"})  # ... and replaced by a new card
    v2_file = write_deck(folder / "mini.yaml", v2)
    now = START + timedelta(days=7, hours=12)  # the evening of the last study day
    for version, deck_file in ((1, MINI_DECK), (2, v2_file)):
        store = open_store(tmp_path_factory.mktemp(f"class-v{version}") / "class.db")
        sync_bundled(store, [deck_file])
        for n in range(15):
            seed = (version - 1) * 15 + n
            name = f"learner-{seed:02d}"
            learner_session(store, name, seed, days=8)
            with (folder / f"{name}.json").open("w", encoding="utf-8") as out:
                write_json(store, name, out, now=now, tz=timezone.utc)
        store.dispose()
    (folder / "mini.yaml").unlink()
    return folder


def test_cohort_of_30_learners_on_two_deck_versions(exports):
    from cxotutor.cohort import build_cohort, load_exports

    docs = load_exports([exports])
    assert len(docs) == 30
    cohort = build_cohort(docs, now=START + timedelta(days=7, hours=12))
    assert [r.learner for r in cohort.learners] == [f"learner-{n:02d}" for n in range(30)]
    assert cohort.decks[0][:2] == ("mini", 2)
    assert {r.versions["mini"] for r in cohort.learners[:15]} == {1} and {r.versions["mini"] for r in cohort.learners[15:]} == {2}
    assert all(r.reviews > 0 and r.last_active is not None and 0 <= r.mastery["mini"] <= 1 for r in cohort.learners)
    assert any(r.streak > 0 for r in cohort.learners)

    worst = cohort.points[0]
    assert (worst.card, worst.point, worst.most_miss) == ("microservices-challenges", "observability", True)
    assert worst.attempted == 30 and worst.missing >= 20
    assert not next(p for p in cohort.points if p.point == "distributed-transactions").most_miss

    cards = {c.card: c for c in cohort.cards}
    assert not cards["tech-debt"].in_latest and cards["tech-debt"].learners == 15  # only v1 learners have it
    assert cards["tech-debt-budget"].in_latest and cards["tech-debt-budget"].learners == 15
    assert cards["microservices-challenges"].learners == 30


def test_cohort_report_cli_html_and_csv(exports, tmp_path):
    html_out = tmp_path / "class.html"
    result = invoke("cohort", "report", exports, "-o", html_out)
    assert result.exit_code == 0, result.stderr
    page = html_out.read_text(encoding="utf-8")
    learners = page.split('<section id="learners">')[1].split("</section>")[0]
    assert learners.count("<tr>") == 31  # header + 30 learners
    assert learners.count('title="this learner has version 1"') == 15
    points = page.split('<section id="points">')[1].split("</section>")[0]
    assert points.index("ensuring observability") < points.index("managing distributed transactions")
    assert '<tr class="hot"><td>ensuring observability</td>' in points
    assert "<script" not in page and "default-src 'none'" in page

    csv_out = tmp_path / "class.csv"
    result = invoke("cohort", "report", *sorted(exports.glob("*.json")), "-o", csv_out)
    assert result.exit_code == 0, result.stderr
    rows = list(csv.DictReader(io.StringIO(csv_out.read_text(encoding="utf-8"))))
    assert len(rows) == 30 and {"learner", "reviews_per_week", "streak_days", "retention", "mastery:mini", "version:mini", "last_active"} <= set(rows[0])
    assert [r["version:mini"] for r in rows].count("1") == 15
    cards = list(csv.DictReader(io.StringIO((tmp_path / "class-cards.csv").read_text(encoding="utf-8"))))
    flagged = [r for r in cards if r["kind"] == "key_point" and r["most_miss"] == "1"]
    assert flagged[0]["key_point"] == "observability"
    assert {r["card_id"]: r["in_latest_version"] for r in cards if r["kind"] == "card"}["tech-debt"] == "0"


def test_cohort_refuses_a_bad_export_in_one_line(exports, tmp_path):
    bad = tmp_path / "bad.json"
    data = json.loads((exports / "learner-00.json").read_text(encoding="utf-8"))
    data["schema_version"] = 99
    bad.write_text(json.dumps(data), encoding="utf-8")
    line = one_line_error(invoke("cohort", "report", exports / "learner-01.json", bad, "-o", tmp_path / "c.html"))
    assert "made by a newer cxotutor" in line and not (tmp_path / "c.html").exists()
    assert "must end in .html or .csv" in one_line_error(invoke("cohort", "report", exports, "-o", tmp_path / "c.txt"))


@pytest.mark.parametrize("engine", ["sqlite", "postgresql"])
def test_cohort_report_straight_from_a_class_database(tmp_path, engine, request):
    """In class mode every learner is in one database (SQLite or PostgreSQL): no exports needed."""
    from cxotutor.store import open_store

    db = str(tmp_path / "class.db") if engine == "sqlite" else request.getfixturevalue("postgres").new_database()
    store = open_store(db)
    sync_bundled(store, [MINI_DECK])
    for n in range(3):
        learner_session(store, f"student-{n}", n, days=3)
    store.dispose()
    out = tmp_path / "class.csv"
    result = invoke("cohort", "report", "--db", db, "-o", out)
    assert result.exit_code == 0, result.stderr
    rows = list(csv.DictReader(io.StringIO(out.read_text(encoding="utf-8"))))
    assert [r["learner"] for r in rows] == ["student-0", "student-1", "student-2"]
    assert all(int(r["reviews"]) > 0 for r in rows)
    assert "not both" in one_line_error(invoke("--db", db, "cohort", "report", "-o", out))


def test_reading_exports_pauses_the_garbage_collector_and_restores_it(exports, tmp_path):
    """Parsing pauses the cyclic collector (speed: issue 7); it comes back on, even after a bad file."""
    import gc

    from cxotutor.cohort import build_cohort, load_exports
    from cxotutor.export.document import ExportError

    import cxotutor.cohort

    seen = []
    real_read = cxotutor.cohort.read_document

    def spy(file):
        seen.append(gc.isenabled())
        return real_read(file)

    bad = tmp_path / "bad.json"
    bad.write_text("{", encoding="utf-8")
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr("cxotutor.cohort.read_document", spy)
        assert gc.isenabled()
        cohort = build_cohort(load_exports([exports]))
        assert seen and not any(seen) and gc.isenabled()
        assert len(cohort.learners) == len(list(exports.glob("*.json")))
        with pytest.raises(ExportError):
            load_exports([exports / "learner-00.json", bad])
        assert gc.isenabled()
        gc.disable()  # a caller that had it off keeps it off
        try:
            load_exports([exports / "learner-00.json"])
            assert not gc.isenabled()
        finally:
            gc.enable()
