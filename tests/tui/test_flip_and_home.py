"""Home, the first-run welcome, the flip session, help and the command palette."""

from __future__ import annotations

from sqlalchemy import select

from cxotutor.store.tables import Review
from cxotutor.tui.screens.flip import FlipScreen
from tests.tui.conftest import screen_text, seed_history, settle


async def test_first_run_welcome_is_shown_once_and_saved(make_tutor, app_for):
    tutor = make_tutor(welcomed=False)
    app = app_for(tutor)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        text = screen_text(app)
        assert "Welcome to cxotutor" in text
        assert "ctrl+p" in text
        await pilot.press("enter")
        await settle(pilot)
        assert app.screen.id == "home"
    assert tutor._load_settings().welcomed is True


async def test_home_shows_counts_streak_and_paths(tutor, tui_clock, app_for):
    seed_history(tutor, tui_clock)
    app = app_for(tutor)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        text = screen_text(app)
        assert "Mini deck" in text
        assert "2-day streak" in text
        assert "Mini learning path" in text and "50%" in text
        assert "Review everything due" in text


async def test_home_in_japanese(make_tutor, app_for):
    app = app_for(make_tutor(ui="ja"))
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        text = screen_text(app)
        assert "ミニデッキ" in text and "デッキ" in text and "今日" in text
        assert "復習" in text


async def test_a_flip_session_reveals_then_rates(tutor, app_for):
    app = app_for(tutor)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await pilot.press("f")
        await settle(pilot)
        screen = app.screen
        assert isinstance(screen, FlipScreen) and screen.phase == "asking"
        await pilot.press("3")  # nothing revealed yet: ratings do nothing
        await settle(pilot)
        card = screen.card
        assert "Model answer" not in screen_text(app)
        await pilot.press("space")
        await settle(pilot)
        assert screen.phase == "result"
        text = screen_text(app)
        assert card.answer_ja[:10] in text and card.key_points[0].ja in text
        await pilot.press("enter")  # Good
        await settle(pilot)
        await pilot.press("space", "2")
        await settle(pilot)
        await pilot.press("u")
        await settle(pilot)
    with tutor.store.read() as session:
        rows = list(session.scalars(select(Review)))
    assert [(r.mode, r.rating, r.card_id) for r in rows] == [("flip", 3, card.id)]


async def test_deck_row_enter_reviews_that_deck(tutor, app_for):
    app = app_for(tutor)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await pilot.press("enter")
        await settle(pilot)
        assert "Mini deck" in screen_text(app)
        assert app.screen.plan.selection.decks == ("mini",)


async def test_help_lists_the_keymap_and_closes(tutor, app_for):
    app = app_for(tutor)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await pilot.press("question_mark")
        await settle(pilot)
        text = screen_text(app)
        assert "Everywhere" in text and "review everything due" in text
        await pilot.press("escape")
        await settle(pilot)
        assert app.screen.id == "home"


async def test_command_palette_starts_a_flip_session(tutor, app_for):
    app = app_for(tutor)
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        await pilot.press("ctrl+p")
        await settle(pilot)
        await pilot.press(*"flip")
        await settle(pilot)
        await pilot.press("enter")
        await settle(pilot)
        assert isinstance(app.screen, FlipScreen)


async def test_a_database_that_cannot_open_is_explained(app_for):
    from cxotutor.store import StoreError

    def broken():
        raise StoreError("/nowhere/cxotutor.db: cannot open the database file")

    from cxotutor.tui.app import make_app

    app = make_app(broken)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        text = screen_text(app)
        assert "cannot open the database file" in text
        await pilot.press("r")  # nothing to review: a calm note, no crash
        await settle(pilot)
        await pilot.press("q")
    assert isinstance(app.load_error, StoreError)


async def test_the_database_opens_only_after_the_first_frame(tutor, tui_clock):
    from cxotutor.tui.app import TutorApp

    events = []

    class Recording(TutorApp):
        def on_ready(self) -> None:
            events.append("first frame")

    def factory():
        events.append("database")
        return tutor

    app = Recording(factory, clock=tui_clock)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        assert events[:2] == ["first frame", "database"]
        assert "Mini deck" in screen_text(app)


async def test_the_collector_paused_for_start_up_resumes_once_home_is_up(tutor, app_for):
    """The entry point pauses the garbage collector before importing the TUI; the home screen
    freezes what start-up built and turns it back on, both when its figures show and on a failure."""
    import gc

    from cxotutor import startup

    assert gc.isenabled()
    startup.pause_collector()
    try:
        assert not gc.isenabled()
        app = app_for(tutor)
        async with app.run_test(size=(80, 24)) as pilot:
            await settle(pilot)
            assert app.screen.query("#decks")  # the figures are up
            assert gc.isenabled() and gc.get_freeze_count() > 0
        startup.resume_collector()  # a second resume, or one with nothing paused, does nothing
        assert gc.isenabled()
    finally:
        gc.enable()
        gc.unfreeze()


async def test_a_failed_start_also_resumes_the_collector():
    import gc

    from cxotutor import startup
    from cxotutor.store import StoreError
    from cxotutor.tui.app import make_app

    def broken():
        raise StoreError("x.db: not a cxotutor database")

    startup.pause_collector()
    try:
        app = make_app(broken)
        async with app.run_test(size=(80, 24)) as pilot:
            await settle(pilot)
            assert "not a cxotutor database" in screen_text(app)
            assert gc.isenabled()
    finally:
        gc.enable()
        gc.unfreeze()
