"""The core modules the TUI needs (progress, learning, interview, search): plain Python, no Textual."""

from __future__ import annotations

import subprocess
import sys
from datetime import timedelta

import pytest

from cxotutor import interview, learning, progress, search
from tests.tui.conftest import seed_history


def test_core_modules_do_not_import_textual():
    modules = ["cxotutor.progress", "cxotutor.learning", "cxotutor.interview", "cxotutor.search", "cxotutor.tui"]
    code = "import sys\n" + "".join(f"import {m}\n" for m in modules) + "print('textual' in sys.modules)"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert out.strip() == "False"


def test_heatmap_retention_forecast_mastery_and_weak_points(tutor, tui_clock):
    seed_history(tutor, tui_clock)
    heat = progress.heatmap(tutor)
    assert heat.start.weekday() == 0 and heat.end == tui_clock.now.date()
    assert len(heat.weeks()) == 16 and heat.total == 5
    per_day = progress.reviews_per_day(tutor, 30)
    assert len(per_day) == 30 and sum(n for _d, n in per_day) == 4  # the review 30 days ago is outside
    retention = progress.true_retention(tutor, None)
    assert retention.total >= 1 and 0 <= retention.rate <= 1
    forecast = progress.forecast(tutor, 30)
    due_dates = [tutor.card(tutor.find_card("mini", k).id).due for k in ("microservices-challenges", "tech-debt", "cfo-collaboration")]
    within = sum(1 for due in due_dates if due is not None and due.date() <= forecast[-1][0])
    assert len(forecast) == 30 and sum(n for _d, n in forecast) == within >= 1
    (deck,) = progress.mastery(tutor)
    assert deck.cards == 3 and deck.seen == 3 and deck.mean_score is not None
    weak = progress.weakest_points(tutor)
    assert weak and all(w.misses + w.partials > 0 for w in weak)
    assert weak[0].miss_rate >= weak[-1].miss_rate


def test_path_progress_counts_done_and_skipped(tutor):
    (summary,) = learning.list_paths(tutor)
    assert summary.percent == 0 and summary.steps == 2
    view = learning.set_status(tutor, "mini-path", "architecture", "in-progress", resource=2)
    assert view.steps[0].status == "in-progress"  # starting a resource starts the step
    assert view.steps[0].resources[2].status == "in-progress"
    learning.set_status(tutor, "mini-path", "architecture", "done")
    view = learning.set_status(tutor, "mini-path", "finance", "skipped")
    assert view.percent == 100
    view = learning.set_note(tutor, "mini-path", "finance", "  later  ")
    assert view.step("finance").note == "later"
    assert learning.next_status("todo") == "in-progress" and learning.next_status("done") == "todo"
    with pytest.raises(ValueError):
        learning.set_status(tutor, "mini-path", "finance", "finished")
    with pytest.raises(KeyError):
        learning.path_view(tutor, "nope")
    step = view.step("architecture").step
    assert learning.practice_selection(step).tags == ("architecture",)
    assert [tutor.card(i).key for i in learning.practice_card_ids(tutor, step)] == ["microservices-challenges"]


def test_interview_records_without_touching_the_schedule_and_exports(tutor, tui_clock, isolated_home):
    started = interview.start(tutor, interview.InterviewPlan(role="cto", questions=2), seed=1)
    assert len(started.cards) == 2 and len({c.id for c in started.cards}) == 2
    for card in started.cards:
        tui_clock.advance(seconds=30)
        interview.record_answer(tutor, started.interview_id, card, "ROI and FinOps", 30_000)
    report = interview.finish(tutor, started.interview_id)
    assert report == interview.load_report(tutor, started.interview_id)
    assert report["time_used_ms"] == 60_000 and not report["applied_to_schedule"]
    assert all(tutor.card(q["card_id"]).state == "new" for q in report["questions"])
    path = interview.export_markdown(report, "en")
    assert path.parent == isolated_home / "data" / "interviews"
    text = path.read_text(encoding="utf-8")
    assert text.startswith("# Mock interview #") and "Overall score" in text
    # Next time, questions not yet asked come first.
    again = interview.pick_questions(tutor, "cto", 1, seed=1)
    assert again[0].id not in {c.id for c in started.cards}
    with pytest.raises(ValueError):
        interview.InterviewPlan(questions=0).validated()


def test_markdown_export_escapes_deck_text():
    report = {
        "id": 1, "role": None, "started_at": "2026-01-05T10:00:00+00:00", "seconds_per_question": None,
        "score": 50, "time_used_ms": 1000,
        "questions": [{"question": {"en": "# [x](http://e) *y*"}, "score": 50, "duration_ms": 1000,
                       "missed": [{"en": "<b>"}], "answer": "- a\n\n`b`"}],
    }
    text = interview.to_markdown(report, "en")
    assert "\\[x\\]\\(http://e\\)" in text and "\\*y\\*" in text and "\\<b\\>" in text and "\\`b\\`" in text


def test_search_finds_questions_key_points_and_aliases_in_both_languages(tutor):
    index = search.SearchIndex.build(tutor)
    assert len(index.search("")) == 3
    assert index.search("finops")[0].entry.key == "cfo-collaboration"
    assert index.search("ファイノプス") == [] or index.search("ファイノプス")[0].score < 100
    hit = index.search("可観測性")[0]
    assert hit.entry.key == "microservices-challenges" and hit.field in ("key point", "alias", "answer")
    assert index.search("technical debt")[0].entry.key == "tech-debt"
    assert index.search("ぎじゅつてきふさい") == [] or True  # kana spelling of kanji is not expected to match
    assert index.search("ﾏｲｸﾛｻｰﾋﾞｽ")[0].entry.key == "microservices-challenges"  # half-width kana fold
    assert search.search_cards(tutor, "saga")[0].entry.key == "microservices-challenges"


def test_a_week_without_reviews_shows_empty_days(tutor, tui_clock):
    tui_clock.advance(days=3)
    heat = progress.heatmap(tutor, weeks=2)
    assert heat.total == 0 and heat.end - heat.start < timedelta(days=14)


def test_importing_the_app_loads_no_database_or_scoring_code():
    code = (
        "import sys, cxotutor.tui.app\n"
        "print(sorted({m.split('.')[0] for m in sys.modules} & {'sqlalchemy', 'sqlmodel', 'fsrs', 'rapidfuzz', 'alembic', 'yaml'}))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert out.strip() == "[]"
