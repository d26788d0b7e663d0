"""Progress exports (JSON, CSV, Markdown, HTML) and import-progress: round trips, idempotency, bad files."""

from __future__ import annotations

import csv
import io
import json
from datetime import datetime, timezone
from pathlib import Path

import pytest

from cxotutor.export import SCHEMA_VERSION, read_document, write_csv, write_json
from cxotutor.export.document import collect
from cxotutor.models import Selection
from cxotutor.srs import AGAIN, GOOD, HARD

from ..conftest import MINI_DECK
from .conftest import fingerprint, invoke, one_line_error

PATH_YAML = """id: mini-path
version: 1
title: {ja: ミニパス, en: "Mini | <b>path</b>"}
role: cto
steps:
  - id: basics
    title: {en: Basics}
    goal: {en: Know the basics}
    practice: {decks: [mini]}
  - id: finance
    title: {en: "Finance | <b>money</b>"}
    goal: {en: Talk to the CFO}
    practice: {decks: [mini], tags: [collaboration]}
"""


def study(tutor, clock, days: int = 6, answers: tuple[str, ...] = ("distributed transactions and tracing", "", "ROI")) -> int:
    """A learner's week: typed answers scored by the real scorer, ratings, days passing."""
    count = 0
    for day in range(days):
        for i in range(4):
            card = tutor.next_card()
            if card is None:
                break
            answer = answers[(day + i) % len(answers)]
            score = tutor.score(card, answer)
            rating = (AGAIN, HARD, GOOD)[(day + i) % 3] if day % 2 else GOOD
            tutor.rate(card.id, rating, answer=answer, score=score, duration_ms=1500 + i)
            count += 1
            clock.advance(minutes=3)
        clock.advance(days=1)
    return count


@pytest.fixture
def scenario(tutor, store, clock, tmp_path, monkeypatch):
    """The mini deck and a path, a week of study, one mock interview, some path progress."""
    import cxotutor.library as library
    from cxotutor.library import sync_bundled
    from cxotutor.store.tables import Interview, StepProgress

    path_file = tmp_path / "mini-path.yaml"
    path_file.write_text(PATH_YAML, encoding="utf-8")
    sync_bundled(store, [MINI_DECK, path_file])
    monkeypatch.setattr(library, "bundled_files", lambda: [MINI_DECK, path_file])
    reviews = study(tutor, clock)
    with store.write() as session:
        interview = Interview(learner_id=tutor.learner_id, role="cto", started_at=clock(), finished_at=clock(), seconds_per_question=90,
                              score=55, report=json.dumps({"score": 55, "answers": 1}))
        session.add(interview)
        session.flush()
        interview_id = interview.id
        session.add(StepProgress(learner_id=tutor.learner_id, path_id="mini-path", step_id="basics", status="done",
                                 started_at=clock(), finished_at=clock(), updated_at=clock()))
        session.add(StepProgress(learner_id=tutor.learner_id, path_id="mini-path", step_id="finance", status="in-progress",
                                 started_at=clock(), updated_at=clock()))
    card = tutor.find_card("mini", "cfo-collaboration")
    tutor.rate(card.id, GOOD, mode="interview", schedule=False, answer="ROI", score=tutor.score(card, "ROI"), interview_id=interview_id)
    return reviews + 1


def export_doc(store, clock, learner: str = "local") -> dict:
    out = io.StringIO()
    write_json(store, learner, out, now=clock(), tz=timezone.utc)
    return json.loads(out.getvalue())


def test_json_export_has_everything_keyed_by_deck_and_card(scenario, store, clock):
    doc = export_doc(store, clock)
    assert (doc["format"], doc["schema_version"], doc["learner"]) == ("cxotutor-progress", SCHEMA_VERSION, "local")
    assert doc["app_version"] and doc["exported_at"].endswith("Z")
    assert doc["timezone"] == {"utc_offset_minutes": 0, "day_start_hour": 4}
    assert [(d["id"], d["version"], len(d["cards"])) for d in doc["decks"]] == [("mini", 1, 3)]
    assert len(doc["reviews"]) == scenario
    review = doc["reviews"][0]
    assert review["deck"] == "mini" and review["card"] in {"microservices-challenges", "tech-debt", "cfo-collaboration"}
    assert not any(key in review for key in ("id", "card_id", "learner_id"))  # no internal ids
    assert {r["mode"] for r in doc["reviews"]} == {"review", "interview"}
    assert all(isinstance(p, dict) and p["status"] in ("hit", "partial", "miss") for r in doc["reviews"] for p in r["points"] or ())
    assert {(s["deck"], s["card"]) for s in doc["card_states"]} == {("mini", c) for c in ("microservices-challenges", "tech-debt", "cfo-collaboration")}
    assert doc["paths"][0]["id"] == "mini-path" and {p["step"]: p["status"] for p in doc["paths"][0]["progress"]} == {"basics": "done", "finance": "in-progress"}
    assert doc["interviews"] == [{"ref": 1, "role": "cto", "started_at": doc["interviews"][0]["started_at"], "finished_at": doc["interviews"][0]["finished_at"],
                                  "seconds_per_question": 90, "score": 55, "report": {"score": 55, "answers": 1}}]
    assert doc["reviews"][-1]["interview"] == 1
    read_document  # the reader accepts what the writer writes:
    assert read_document_from(doc).learner == "local"


def read_document_from(doc: dict, tmp: Path | None = None):
    import tempfile

    folder = Path(tempfile.mkdtemp())
    path = folder / "export.json"
    path.write_text(json.dumps(doc), encoding="utf-8")
    return read_document(path)


def test_restore_on_a_new_machine_then_import_again_adds_nothing(scenario, store, clock, tmp_path, monkeypatch):
    exported = tmp_path / "local.json"
    result = invoke("--db", store.engine.url.database, "export", "--format", "json", "--out", exported)
    assert result.exit_code == 0, result.stderr
    new_db = tmp_path / "new-machine.db"
    first = invoke("--db", new_db, "import-progress", exported)
    assert first.exit_code == 0, first.stderr
    assert first.stdout.startswith(f"local: {scenario} review(s) added (0 already here), 3 card state(s) restored, 0 updated, 1 interview(s), 2 path step(s)")
    before = fingerprint(new_db)
    second = invoke("--db", new_db, "import-progress", exported)
    assert second.exit_code == 0
    assert second.stdout.startswith(f"local: 0 review(s) added ({scenario} already here), 0 card state(s) restored, 0 updated, 0 interview(s), 0 path step(s)")
    assert fingerprint(new_db) == before

    from cxotutor.store import open_store

    restored = open_store(new_db)
    try:
        again = export_doc(restored, clock)
    finally:
        restored.dispose()
    original = export_doc(store, clock)
    for key in ("card_states", "reviews", "interviews", "paths"):
        assert again[key] == original[key], key


def test_merge_keeps_both_sides_and_the_newer_card_state(tutor, store, clock, tmp_path):
    from cxotutor.export import import_progress
    from cxotutor.store import open_store
    from cxotutor.library import sync_bundled
    from cxotutor.tutor import Tutor

    study(tutor, clock, days=2)
    laptop = export_doc(store, clock)
    # The same learner on a second machine studied other days.
    other = open_store(tmp_path / "desktop.db")
    sync_bundled(other, [MINI_DECK])
    desk = Tutor(other, clock=clock, tz=timezone.utc)
    clock.advance(days=3)
    study(desk, clock, days=2)
    desktop_doc = export_doc(other, clock)
    summary = import_progress(store, read_document_from(desktop_doc))
    assert summary.reviews_added == len(desktop_doc["reviews"]) and summary.reviews_known == 0
    assert summary.states_updated == 3  # the desktop's states are newer
    merged = export_doc(store, clock)
    assert len(merged["reviews"]) == len(laptop["reviews"]) + len(desktop_doc["reviews"])
    first_seen = {s["card"]: s["first_review"] for s in laptop["card_states"]}
    assert merged["card_states"] == [{**s, "first_review": first_seen[s["card"]]} for s in desktop_doc["card_states"]]
    assert import_progress(store, read_document_from(desktop_doc)).changed is False
    other.dispose()


def test_import_into_another_learner_and_skip_unknown_decks(scenario, store, clock):
    from cxotutor.export import import_progress

    doc = export_doc(store, clock)
    doc["reviews"].append({**doc["reviews"][0], "deck": "not-here", "reviewed_at": "2026-02-01T00:00:00Z"})
    summary = import_progress(store, read_document_from(doc), learner="bob")
    assert summary.learner == "bob" and summary.reviews_added == scenario
    assert summary.skipped_reviews == 1 and summary.missing_decks == ("not-here",)
    assert "install those decks, then import again" in str(summary)


def test_csv_export_one_row_per_review(scenario, store, clock):
    out = io.StringIO()
    rows = write_csv(store, "local", out)
    assert rows == scenario
    table = list(csv.DictReader(io.StringIO(out.getvalue())))
    assert list(table[0]) == ["review_time_ms", "card_id", "deck_id", "rating", "state", "interval_days", "duration_ms", "score", "mode"]
    assert len(table) == scenario
    doc = export_doc(store, clock)
    for row, review in zip(table, doc["reviews"]):
        stamp = datetime.fromisoformat(review["reviewed_at"])
        assert int(row["review_time_ms"]) == int(stamp.timestamp() * 1000)
        assert (row["card_id"], row["deck_id"], int(row["rating"]), row["mode"]) == (review["card"], "mini", review["rating"], review["mode"])
        assert row["state"] == (review["state"] or "") and row["score"] == str(review["score"])
        assert row["duration_ms"] == ("" if review["duration_ms"] is None else str(review["duration_ms"]))
    assert table[-1]["mode"] == "interview" and table[-1]["score"] != ""
    # Milliseconds survive: a review at .123456 s exports as ...123.
    tutor_clock_ms = int(datetime(2026, 3, 1, 12, 0, 0, 123456, tzinfo=timezone.utc).timestamp() * 1000)
    assert tutor_clock_ms % 1000 == 123


def test_csv_keeps_milliseconds(tutor, store, clock):
    clock.now = clock.now.replace(microsecond=987654)
    card = tutor.next_card()
    tutor.rate(card.id, GOOD)
    out = io.StringIO()
    write_csv(store, "local", out)
    assert out.getvalue().splitlines()[1].split(",")[0] == str(int(clock.now.timestamp()) * 1000 + 987)


def test_markdown_report(scenario, store, clock):
    from cxotutor.export.report import markdown
    from cxotutor.export.summary import summarize

    text = markdown(summarize(collect(store, "local", now=clock(), tz=timezone.utc)))
    assert text.startswith("# Progress report: local\n")
    for heading in ("## Summary", "## Mastery per deck", "## Weakest key points", "## Learning paths", "## Mock interviews"):
        assert heading in text
    assert "| Mini deck (`mini`) | 1 | 3 |" in text
    assert "| Mini \\| \\<b\\>path\\</b\\> | 1/2 | 1 | 50% |" in text  # deck text cannot break the table or inject markup
    assert f"| Reviews, all time | {scenario} |" in text


def test_html_report_is_self_contained_and_escapes_deck_text(tutor, store, clock, tmp_path):
    from cxotutor.export.html import html_report
    from cxotutor.export.summary import summarize
    from cxotutor.library import sync_bundled

    evil = MINI_DECK.read_text(encoding="utf-8").replace("How do you manage technical debt?", '<script>alert("deck")</script> & <img src=x onerror=alert(1)>')
    evil = evil.replace("en: making the debt visible", "en: <b onmouseover=alert(2)>visible</b>").replace("version: 1", "version: 2")
    (tmp_path / "mini.yaml").write_text(evil, encoding="utf-8")
    sync_bundled(store, [tmp_path / "mini.yaml"])
    study(tutor, clock, days=3, answers=("nothing useful",))
    page = html_report(summarize(collect(store, "local", now=clock(), tz=timezone.utc)))
    assert "<script" not in page and "<img" not in page and "<b " not in page
    assert "&lt;script&gt;alert(&quot;deck&quot;)&lt;/script&gt;" in page and "&lt;b onmouseover=alert(2)&gt;" in page
    assert 'http-equiv="Content-Security-Policy"' in page and "default-src 'none'" in page
    import re

    assert not re.search(r"<[a-zA-Z][^<>]*\s(src|href|on[a-z]+)\s*=", page)  # no real tag loads or runs anything
    assert "@import" not in page and "url(" not in page
    for section in ("heatmap", "per-day", "mastery", "weakest", "paths"):
        assert f'<section id="{section}">' in page
    assert page.count("<svg") >= 4


def test_export_cli_formats_and_errors(scenario, store, tmp_path, monkeypatch):
    db = store.engine.url.database
    out = invoke("--db", db, "export")
    assert out.exit_code == 0 and json.loads(out.stdout)["format"] == "cxotutor-progress"
    assert invoke("--db", db, "export", "-f", "csv").stdout.startswith("review_time_ms,card_id,deck_id,rating,")
    assert invoke("--db", db, "export", "-f", "md").stdout.startswith("# Progress report: local")
    monkeypatch.chdir(tmp_path)
    html = invoke("--db", db, "export", "-f", "html")
    assert html.exit_code == 0 and (tmp_path / "cxotutor-report.html").read_text(encoding="utf-8").startswith("<!DOCTYPE html>")
    assert one_line_error(invoke("--db", db, "export", "-f", "xml")) == "cxotutor: unknown format 'xml'; use one of json, csv, md, html"
    before = fingerprint(Path(db))
    assert one_line_error(invoke("--db", db, "export", "--learner", "nobody")) == "cxotutor: no learner named 'nobody' in this database"
    assert fingerprint(Path(db)) == before  # exporting never creates a learner


def _bad_files(tmp_path: Path, good: dict) -> dict[str, tuple[Path, str]]:
    def put(name: str, text: str) -> Path:
        path = tmp_path / name
        path.write_text(text, encoding="utf-8")
        return path

    full = json.dumps(good)
    newer = dict(good, schema_version=SCHEMA_VERSION + 1)
    bad_rating = json.loads(full)
    bad_rating["reviews"][2]["rating"] = 7
    no_reviews = dict(good, reviews={"not": "a list"})
    bad_time = json.loads(full)
    bad_time["card_states"][0]["due"] = "yesterday"
    nan = json.loads(full)
    nan["card_states"][0]["stability"] = float("nan")
    return {
        "truncated": (put("truncated.json", full[: len(full) // 2]), "not valid JSON at line"),
        "newer": (put("newer.json", json.dumps(newer)), f"made by a newer cxotutor (export schema {SCHEMA_VERSION + 1}"),
        "rating": (put("rating.json", json.dumps(bad_rating)), "reviews[2].rating: Input should be less than or equal to 4"),
        "shape": (put("shape.json", json.dumps(no_reviews)), "reviews: Input should be a valid list"),
        "time": (put("time.json", json.dumps(bad_time)), "card_states[0].due:"),
        "nan": (put("nan.json", json.dumps(nan)), "card_states[0].stability: Input should be a finite number"),
        "array": (put("array.json", "[1, 2, 3]"), "not a cxotutor progress export"),
        "empty": (put("empty.json", ""), "not valid JSON"),
        "binary": (tmp_path / "binary.json", "not UTF-8"),
    }


def test_bad_imports_are_one_line_and_change_nothing(scenario, store, clock, tmp_path):
    good = export_doc(store, clock)
    target = tmp_path / "target.db"
    assert invoke("--db", target, "import-progress", read_path(tmp_path, good)).exit_code == 0
    (tmp_path / "binary.json").write_bytes(b"\xff\xfe\x00garbage")
    before = fingerprint(target)
    for kind, (path, expected) in _bad_files(tmp_path, good).items():
        line = one_line_error(invoke("--db", target, "import-progress", path))
        assert line.startswith(f"cxotutor: {path}") and expected in line, (kind, line)
    assert fingerprint(target) == before
    assert "truncated" in one_line_error(invoke("--db", target, "import-progress", tmp_path / "truncated.json"))


def read_path(tmp_path: Path, doc: dict) -> Path:
    path = tmp_path / "good.json"
    path.write_text(json.dumps(doc), encoding="utf-8")
    return path


def test_every_exchange_command_has_help():
    for command in (["export"], ["import-progress"], ["cohort"], ["cohort", "report"], ["deck", "new"], ["deck", "pack"],
                    ["deck", "install"], ["deck", "remove"], ["deck", "export-anki"], ["deck", "import-anki"]):
        result = invoke(*command, "--help")
        assert result.exit_code == 0 and "Usage:" in result.stdout, command


def test_core_modules_do_not_load_textual():
    import subprocess
    import sys

    modules = ["cxotutor.bundle", "cxotutor.export", "cxotutor.export.document", "cxotutor.export.html", "cxotutor.export.restore",
               "cxotutor.export.revlog", "cxotutor.cohort", "cxotutor.anki", "cxotutor.scaffold", "cxotutor.cli.exchange"]
    code = "import sys\n" + "".join(f"import {m}\n" for m in modules) + "print('textual' in sys.modules)"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert out.strip() == "False"


def test_selection_is_unaffected_by_import(scenario, store, clock, tmp_path):
    """Imported progress feeds the queue like local progress: nothing due twice, nothing lost."""
    from cxotutor.export import import_progress
    from cxotutor.store import open_store
    from cxotutor.library import sync_bundled
    from cxotutor.tutor import Tutor

    doc = read_document_from(export_doc(store, clock))
    fresh = open_store(tmp_path / "fresh.db")
    sync_bundled(fresh, [MINI_DECK])
    import_progress(fresh, doc)
    a = Tutor(store, clock=clock, tz=timezone.utc)
    b = Tutor(fresh, clock=clock, tz=timezone.utc)
    assert a.remaining(Selection()) == b.remaining(Selection())
    assert [d.learned for d in a.decks()] == [d.learned for d in b.decks()]
    fresh.dispose()


def test_sliced_csv_export_matches_the_single_query(tutor, store, clock, monkeypatch):
    """Large logs are formatted in time slices (in parallel); the bytes must not change."""
    import random
    import sqlite3

    import cxotutor.export.revlog as revlog

    study(tutor, clock, days=2)
    con = sqlite3.connect(store.engine.url.database)
    cards = [row[0] for row in con.execute("select id from card")]
    rng = random.Random(7)
    stamps = [f"2026-02-{rng.randint(1, 28):02d} {rng.randint(0, 23):02d}:{rng.randint(0, 59):02d}:00.{rng.choice([0, 5, 123456]):06d}"
              for _ in range(3000)]
    con.executemany(
        "insert into review (learner_id, card_id, reviewed_at, rating, mode, scheduled, prior_state, score, duration_ms, state, interval_days)"
        " values (1, ?, ?, ?, 'review', 1, 2, ?, ?, ?, ?)",
        [(rng.choice(cards), at, rng.randint(1, 4), rng.choice([None, 50]), rng.choice([None, 900]), rng.choice([None, 1, 2, 3]),
          rng.choice([None, 4])) for at in stamps])  # many reviews share a time: ties must keep their order
    con.commit()
    con.close()

    def export(workers: int) -> str:
        out = io.StringIO()
        write_csv(store, "local", out, workers=workers)
        return out.getvalue()

    monkeypatch.setattr(revlog, "SLICED_MIN_ROWS", 10**9)
    single = export(1)
    monkeypatch.setattr(revlog, "SLICED_MIN_ROWS", 100)
    monkeypatch.setattr(revlog, "SLICE_ROWS", 97)
    assert export(1) == single
    assert export(3) == single
    assert len(single.splitlines()) - 1 == write_csv(store, "local", io.StringIO())
