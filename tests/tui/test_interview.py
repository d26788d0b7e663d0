"""Mock interviews: setup, the countdown, auto-submit at zero, the report card and its export."""

from __future__ import annotations

import json

from sqlalchemy import select

from cxotutor.store.tables import Interview, Review
from cxotutor.tui.screens.interview import InterviewScreen, InterviewSetupScreen
from cxotutor.tui.screens.report import ReportScreen
from cxotutor.tui.widgets.countdown import Countdown
from cxotutor.tui.widgets.editor import AnswerEditor
from tests.tui.conftest import screen_text, settle


async def start(pilot, count: str = "2") -> InterviewScreen:
    app = pilot.app
    await pilot.press("m")
    await settle(pilot)
    assert isinstance(app.screen, InterviewSetupScreen)
    count_input = app.screen.query_one("#count")
    count_input.value = count
    await pilot.press("ctrl+s")
    await settle(pilot)
    screen = app.screen
    assert isinstance(screen, InterviewScreen)
    return screen


async def test_an_interview_times_out_and_ends_with_a_saved_report(tutor, tui_clock, app_for, isolated_home):
    app = app_for(tutor)
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        screen = await start(pilot)
        assert "question 1 of 2" in screen_text(app)
        assert "3:00" in screen_text(app)
        first = screen.card
        screen.query_one(AnswerEditor).insert("ROI in numbers, FinOps, Saga and visualize the debt")
        tui_clock.advance(seconds=20)
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert "question 2 of 2" in screen_text(app)
        countdown = screen.query_one(Countdown)
        tui_clock.advance(seconds=130)  # 50 s left
        countdown.tick()
        assert countdown.has_class("-amber") and not countdown.has_class("-red")
        tui_clock.advance(seconds=25)  # 25 s left
        countdown.tick()
        assert countdown.has_class("-red")
        screen.query_one(AnswerEditor).insert("half an answer")
        tui_clock.advance(seconds=30)  # past zero: the answer goes in by itself
        await pilot.pause(0.4)
        await settle(pilot)
        report = app.screen
        assert isinstance(report, ReportScreen)
        text = screen_text(app)
        assert "Overall" in text and "schedule unchanged" in text
        await pilot.press("x")
        await settle(pilot)
        assert "Markdown:" in screen_text(app)
    with tutor.store.read() as session:
        interview = session.scalars(select(Interview)).one()
        rows = list(session.scalars(select(Review).order_by(Review.id)))
    assert interview.finished_at is not None and interview.seconds_per_question == 180
    assert [(r.mode, r.scheduled, r.interview_id) for r in rows] == [("interview", False, interview.id)] * 2
    assert rows[0].card_id == first.id and rows[0].duration_ms == 20_000
    assert rows[1].answer == "half an answer" and rows[1].duration_ms == 180_000
    stored = json.loads(interview.report)
    assert stored["score"] == interview.score and len(stored["questions"]) == 2
    exported = list((isolated_home / "data" / "interviews").glob("interview-*.md"))
    assert len(exported) == 1 and "# Mock interview" in exported[0].read_text(encoding="utf-8")
    assert tutor.card(first.id).state == "new"  # the schedule was left alone


async def test_answers_can_be_applied_to_the_schedule(tutor, app_for):
    app = app_for(tutor)
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        await pilot.press("m")
        await settle(pilot)
        setup = app.screen
        setup.query_one("#count").value = "1"
        setup.query_one("#apply").value = True
        await pilot.press("ctrl+s")
        await settle(pilot)
        app.screen.query_one(AnswerEditor).insert("ROI and FinOps")
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert isinstance(app.screen, ReportScreen)
        assert "applied to your schedule" in screen_text(app)
    with tutor.store.read() as session:
        row = session.scalars(select(Review)).one()
    assert row.scheduled and row.mode == "interview"


async def test_ending_early_keeps_what_was_answered(tutor, app_for):
    app = app_for(tutor)
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        screen = await start(pilot, "3")
        screen.query_one(AnswerEditor).insert("ROI")
        await pilot.press("ctrl+s")
        await settle(pilot)
        await pilot.press("escape")
        await settle(pilot)
        await pilot.press("y")
        await settle(pilot)
        assert isinstance(app.screen, ReportScreen)
        assert len(app.screen.report["questions"]) == 1


async def test_a_change_of_phase_redraws_the_hint_not_the_screen(tutor, app_for, monkeypatch):
    app = app_for(tutor)
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        screen = await start(pilot)
        assert screen.phase == "asking"
        repaints = []
        monkeypatch.setattr(screen, "refresh", lambda *args, **kwargs: repaints.append(kwargs))
        screen.phase = "saving"
        assert repaints == []
        assert "Saving your answer" in str(screen.query_one("#hint").render())
