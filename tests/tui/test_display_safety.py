"""Deck text is data: markup and terminal escapes in it are shown literally on every screen."""

from __future__ import annotations

import json

import pytest
from sqlalchemy import select, update

from cxotutor.store.tables import CardRow
from cxotutor.tui.widgets.editor import AnswerEditor
from tests.tui.conftest import screen_text, settle

UNSAFE = "Q [bold]x[/] [link=http://e]y[/link] [unbalanced \x1b[31mred"
POINT = "[b]point[/b] [@click=app.quit]"
ANSWER = "A [italic]model[/italic] [ \x1b[0m"


def make_unsafe(tutor) -> None:
    """Write hostile text straight into the database (the deck loader would refuse the ESC)."""
    with tutor.store.write() as session:
        for row in session.scalars(select(CardRow)):
            points = json.loads(row.key_points)
            points[0]["en"] = points[0]["ja"] = POINT
            session.execute(
                update(CardRow)
                .where(CardRow.id == row.id)
                .values(
                    question_en=f"{UNSAFE} {row.key}", question_ja=f"{UNSAFE} {row.key}",
                    answer_en=ANSWER, answer_ja=ANSWER, key_points=json.dumps(points),
                )
            )


def assert_literal(text: str, *, answer: bool = True) -> None:
    assert "[bold]x[/]" in text
    assert "[link=http://e]y[/link]" in text
    assert "[unbalanced" in text
    assert "␛[31mred" in text
    assert "\x1b" not in text
    if answer:
        assert "[b]point[/b] [@click=app.quit]" in text
        assert "A [italic]model[/italic] [ ␛[0m" in text


@pytest.fixture
def unsafe(tutor):
    make_unsafe(tutor)
    return tutor


async def test_review_screen_shows_deck_text_literally(unsafe, app_for):
    app = app_for(unsafe)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        await pilot.press("r")
        await settle(pilot)
        assert_literal(screen_text(app), answer=False)
        app.screen.query_one(AnswerEditor).insert("my [bold]answer[/] \x1b[2J with [b]point")
        await pilot.press("ctrl+s")
        await settle(pilot)
        text = screen_text(app)
        assert_literal(text)
        assert "my [bold]answer[/] ␛[2J with [b]point" in text
        assert app.is_running  # [@click=app.quit] did nothing


async def test_flip_screen_shows_deck_text_literally(unsafe, app_for):
    app = app_for(unsafe)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        await pilot.press("f")
        await settle(pilot)
        await pilot.press("space")
        await settle(pilot)
        assert_literal(screen_text(app))


async def test_browse_screen_shows_deck_text_literally(unsafe, app_for):
    app = app_for(unsafe)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        await pilot.press("b")
        await settle(pilot)
        assert_literal(screen_text(app))


async def test_interview_and_report_show_deck_text_literally(unsafe, app_for):
    app = app_for(unsafe)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        await pilot.press("m")
        await settle(pilot)
        app.screen.query_one("#count").value = "1"
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert_literal(screen_text(app), answer=False)
        await pilot.press("ctrl+s")
        await settle(pilot)
        text = screen_text(app)
        assert "[bold]x[/]" in text and "␛[31mred" in text and "[b]point[/b]" in text
        assert "\x1b" not in text


async def test_stats_weak_points_show_deck_text_literally(unsafe, tui_clock, app_for):
    card = unsafe.find_card("mini", "tech-debt")
    unsafe.rate(card.id, 1, answer="nothing", score=unsafe.score(card, "nothing"))
    app = app_for(unsafe)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        await pilot.press("s")
        await settle(pilot)
        text = screen_text(app)
        assert "[b]point[/b] [@click=app.quit]" in text and "[bold]x[/]" in text


async def test_path_text_is_shown_literally(tutor, app_for):
    from sqlalchemy import update

    from cxotutor.store.tables import PathRow

    with tutor.store.read() as session:
        data = json.loads(session.get(PathRow, "mini-path").data)
    data["title"]["en"] = "Path [bold]t[/]"
    data["steps"][0]["title"]["en"] = "Step [red]s[/red] [link=http://e]x"
    data["steps"][0]["resources"][0]["title"] = "Book [i]b[/i] [/]"  # (the path schema refuses control characters)
    with tutor.store.write() as session:
        session.execute(update(PathRow).where(PathRow.id == "mini-path").values(data=json.dumps(data)))
    tutor.update_settings(ui_language="en")
    app = app_for(tutor)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        assert "Path [bold]t[/]" in screen_text(app)
        await pilot.press("p", "enter")
        await settle(pilot)
        text = screen_text(app)
        assert "Step [red]s[/red] [link=http://e]x" in text
        assert "Book [i]b[/i] [/]" in text
        await pilot.press("n")
        await settle(pilot)
        assert "Step [red]s[/red]" in screen_text(app)
