"""Review sessions with typed answers: scoring, rating, saving, undo, reveal without an answer."""

from __future__ import annotations

import json

from sqlalchemy import select

from cxotutor.store.tables import Review
from cxotutor.tui.screens.review import ReviewScreen
from cxotutor.tui.widgets.editor import AnswerEditor
from tests.tui.conftest import screen_text, settle

ANSWERS = {
    "microservices-challenges": "Saga for distributed transactions, and distributed tracing for observability",
    "tech-debt": "visualize the debt, then refactoring time every sprint",
    "cfo-collaboration": "ROI in numbers and FinOps",
}


def reviews(tutor) -> list[Review]:
    with tutor.store.read() as session:
        return list(session.scalars(select(Review).order_by(Review.id)))


async def type_text(pilot, text: str) -> None:
    """Paste-like: put the text in the answer box (typing key by key is tested separately)."""
    pilot.app.screen.query_one(AnswerEditor).insert(text)
    await pilot.pause()


async def test_a_full_review_session_ends_with_every_review_saved(tutor, app_for):
    app = app_for(tutor)
    async with app.run_test(size=(100, 32)) as pilot:
        await settle(pilot)
        await pilot.press("r")
        await settle(pilot)
        screen = app.screen
        assert isinstance(screen, ReviewScreen)
        for n in range(3):
            assert screen.phase == "asking"
            assert f"card {n + 1} of 3" in screen_text(app)
            card = screen.card
            await type_text(pilot, ANSWERS[card.key])
            await pilot.press("ctrl+s")
            await settle(pilot)
            assert screen.phase == "result"
            text = screen_text(app)
            assert "Score 100 / 100" in text
            assert "✓ hit" in text
            assert screen.suggested == 4
            await pilot.press("enter")  # accept the suggested rating (Easy: straight to review)
            await settle(pilot)
        assert screen.phase == "done"
        assert "Done for now" in screen_text(app)
        await pilot.press("escape")
        await settle(pilot)
        assert app.screen.id == "home"
    saved = reviews(tutor)
    assert [r.mode for r in saved] == ["review"] * 3
    assert all(r.rating == 4 and r.scheduled and r.score == 100 for r in saved)
    assert {r.answer for r in saved} == set(ANSWERS.values())
    points = json.loads(saved[0].points)
    assert {p["status"] for p in points} == {"hit"} and points[0]["evidence"] is not None
    assert all(r.duration_ms is not None for r in saved)


async def test_digits_enter_space_and_u_are_text_while_typing(tutor, app_for):
    app = app_for(tutor)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await pilot.press("r")
        await settle(pilot)
        await pilot.press("1", "2", "3", "4", "space", "u", "enter", "l")
        await settle(pilot)
        assert app.screen.query_one(AnswerEditor).text == "1234 u\nl"
        assert app.screen.phase == "asking"
    assert reviews(tutor) == []


async def test_rating_keys_pick_another_rating_and_undo_restores_the_card(tutor, app_for):
    app = app_for(tutor)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await pilot.press("r")
        await settle(pilot)
        screen = app.screen
        first = screen.card
        await type_text(pilot, "Saga")
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert screen.suggested is not None and screen.suggested < 4
        await pilot.press("3")
        await settle(pilot)
        assert [r.rating for r in reviews(tutor)] == [3]
        assert screen.card.id != first.id and screen.phase == "asking"
        # u is text in the answer box: tab leaves it first.
        await pilot.press("tab")
        await pilot.press("u")
        await settle(pilot)
        assert reviews(tutor) == []
        assert screen.card.id == first.id
        assert "card 1 of 3" in screen_text(app)
        assert tutor.card(first.id).state == "new"


async def test_an_empty_answer_reveals_and_can_be_rated(tutor, app_for):
    app = app_for(tutor)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await pilot.press("r")
        await settle(pilot)
        screen = app.screen
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert screen.phase == "result" and screen.suggested is None
        text = screen_text(app)
        assert "no answer typed" in text
        assert "Model answer" in text
        await pilot.press("enter")  # nothing suggested: enter asks for 1-4
        await settle(pilot)
        assert reviews(tutor) == []
        await pilot.press("1")
        await settle(pilot)
    saved = reviews(tutor)
    assert len(saved) == 1 and saved[0].rating == 1 and saved[0].answer is None and saved[0].score is None


async def test_escape_keeps_a_typed_answer_then_leaves(tutor, app_for):
    app = app_for(tutor)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await pilot.press("r")
        await settle(pilot)
        await type_text(pilot, "draft")
        await pilot.press("escape")
        await settle(pilot)
        assert isinstance(app.screen, ReviewScreen)
        assert app.screen.query_one(AnswerEditor).text == "draft"
        await pilot.press("e")
        assert app.screen.focused is app.screen.query_one(AnswerEditor)
        await pilot.press("escape", "escape")
        await settle(pilot)
        assert app.screen.id == "home"


async def test_l_toggles_the_question_language(tutor, app_for):
    app = app_for(tutor)
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        await pilot.press("r")
        await settle(pilot)
        card = app.screen.card
        assert card.question_ja in screen_text(app)
        await pilot.press("ctrl+t")  # works while typing
        await settle(pilot)
        assert card.question_en in screen_text(app)
        await pilot.press("ctrl+s")
        await settle(pilot)
        await pilot.press("l")
        await settle(pilot)
        assert card.question_ja in screen_text(app)


async def test_the_feedback_takes_no_focus_and_saving_draws_nothing(tutor, app_for, monkeypatch):
    # Focus moved into the feedback panel would be moved out again by the next card, and that
    # restyle paints the screen a second time; a line redrawn while saving would hold the
    # next card's paint a frame.
    app = app_for(tutor)
    async with app.run_test(size=(60, 16)) as pilot:
        await settle(pilot)
        await pilot.press("r")
        await settle(pilot)
        screen = app.screen
        await type_text(pilot, "Saga for distributed transactions, and tracing")
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert screen.phase == "result" and screen.focused is None and not screen.typing()
        result = screen.query_one("#result")
        assert result.max_scroll_y > 0
        await pilot.press("pagedown")  # the screen scrolls the feedback
        await settle(pilot)
        assert result.scroll_y > 0
        redrawn = []
        for widget in [screen, *screen.walk_children()]:
            monkeypatch.setattr(widget, "refresh", lambda *args, widget=widget, **kwargs: redrawn.append(widget))
        screen.phase = "saving"
        assert redrawn == []
        monkeypatch.undo()
        screen.phase = "result"
        await pilot.press("3")  # the digit rates: nothing is typed anywhere
        await settle(pilot)
        assert screen.phase == "asking" and screen.focused is screen.query_one(AnswerEditor)
        assert len(reviews(tutor)) == 1
