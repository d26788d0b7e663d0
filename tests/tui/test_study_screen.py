"""How the study screen moves from card to card: the same widgets updated, counts that follow the card."""

from __future__ import annotations

from cxotutor.tui.screens.flip import FlipScreen
from cxotutor.tui.screens.study import StudyScreen
from tests.tui.conftest import screen_text, settle


async def open_flip(app, pilot, reveal: bool = False) -> FlipScreen:
    await settle(pilot)
    await pilot.press("f")
    await settle(pilot)
    screen = app.screen
    assert isinstance(screen, FlipScreen) and screen.phase == "asking"
    if reveal:
        await pilot.press("space")
        await settle(pilot)
        assert screen.phase == "result"
    return screen


async def test_rating_updates_the_card_widgets_in_place(tutor, app_for):
    app = app_for(tutor)
    async with app.run_test(size=(100, 32)) as pilot:
        screen = await open_flip(app, pilot, reveal=True)
        widgets = list(screen.walk_children())
        first = screen.card
        for _ in range(2):
            await pilot.press("3")
            await settle(pilot)
            assert screen.phase == "asking" and screen.card.id != first.id
            assert screen.focused is None  # the answer panel, hidden again, let go of the focus
            await pilot.press("space")
            await settle(pilot)
        # Two more cards shown and revealed: every widget is the one mounted with the screen.
        assert [id(widget) for widget in screen.walk_children()] == [id(widget) for widget in widgets]
        assert screen.card.question("ja")[:10] in screen_text(app)


async def test_a_change_of_phase_does_not_repaint_the_whole_screen(tutor, app_for, monkeypatch):
    app = app_for(tutor)
    async with app.run_test(size=(100, 32)) as pilot:
        screen = await open_flip(app, pilot)
        repaints = []
        monkeypatch.setattr(screen, "refresh", lambda *args, **kwargs: repaints.append(kwargs))
        screen.phase = "saving"  # nothing on screen changes while a rating is saved
        screen.phase = "asking"
        assert repaints == []


async def test_the_next_card_goes_up_without_a_repaint_of_the_whole_screen(tutor, app_for, monkeypatch):
    # A screen repaint asked for while the card is put up (a change of focus does that) would
    # be done at once, before the card's widgets ask for their layout: the card a frame later.
    app = app_for(tutor)
    async with app.run_test(size=(100, 32)) as pilot:
        screen = await open_flip(app, pilot, reveal=True)
        repaints = []
        present = screen._present

        def watched(nxt) -> None:
            refresh = screen.refresh
            screen.refresh = lambda *args, **kwargs: repaints.append(kwargs) or refresh(*args, **kwargs)
            try:
                present(nxt)
            finally:
                del screen.refresh

        monkeypatch.setattr(screen, "_present", watched)
        await pilot.press("3")
        await settle(pilot)
        assert screen.phase == "asking" and screen.cards_shown == 2
        assert repaints == []


async def test_the_count_follows_the_next_card(tutor, app_for):
    app = app_for(tutor)
    async with app.run_test(size=(100, 32)) as pilot:
        screen = await open_flip(app, pilot)
        assert "card 1 of 3" in screen_text(app)
        await pilot.press("space", "1")  # Again: the card comes back this session
        await settle(pilot)
        remaining = tutor.remaining(screen.plan.selection)
        assert remaining == 3
        assert screen.total == 1 + remaining
        assert "card 2 of 4" in screen_text(app)


async def test_a_count_for_an_earlier_card_is_ignored(tutor, app_for):
    app = app_for(tutor)
    async with app.run_test(size=(100, 32)) as pilot:
        screen = await open_flip(app, pilot)
        await pilot.press("space", "3")
        await settle(pilot)
        total = screen.total
        screen.post_message(StudyScreen.Counted(shown=screen.cards_shown - 1, remaining=99))
        await settle(pilot)
        assert screen.total == total


async def test_the_answer_takes_no_focus_and_the_keys_scroll_it(tutor, app_for):
    # A focused answer panel is blurred when the next card hides it: a second paint per card.
    app = app_for(tutor)
    async with app.run_test(size=(60, 16)) as pilot:
        screen = await open_flip(app, pilot, reveal=True)
        assert screen.focused is None
        result = screen.query_one("#result")
        assert result.max_scroll_y > 0  # the small terminal cannot show the whole answer
        await pilot.press("pagedown")
        await settle(pilot)
        assert result.scroll_y > 0
        await pilot.press("home")
        await settle(pilot)
        assert result.scroll_y == 0
        await pilot.press("down")
        await settle(pilot)
        assert result.scroll_y == 1
