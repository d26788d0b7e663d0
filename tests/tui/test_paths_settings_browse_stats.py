"""Paths (marking steps and resources, notes, practice), settings, browse and stats."""

from __future__ import annotations

from sqlalchemy import select

from cxotutor.store.tables import Setting, StepProgress
from cxotutor.tui.screens.browse import BrowseScreen
from cxotutor.tui.screens.paths import PathScreen, PathsScreen
from cxotutor.tui.screens.review import ReviewScreen
from cxotutor.tui.screens.settings import SettingsScreen
from cxotutor.tui.screens.stats import StatsScreen
from tests.tui.conftest import screen_text, seed_history, settle


def progress_rows(tutor) -> dict[tuple[str, str], tuple[str, str | None]]:
    with tutor.store.read() as session:
        return {(r.step_id, r.resource): (r.status, r.note) for r in session.scalars(select(StepProgress))}


async def test_marking_steps_and_resources(tutor, app_for):
    app = app_for(tutor)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        await pilot.press("p")
        await settle(pilot)
        assert isinstance(app.screen, PathsScreen)
        assert "Mini learning path" in screen_text(app) and "0 of 2 steps" in screen_text(app)
        await pilot.press("enter")
        await settle(pilot)
        assert isinstance(app.screen, PathScreen)
        text = screen_text(app)
        assert "Architecture foundations" in text and "BOOK" in text and "CERT" in text and "COURSE" in text
        await pilot.press("space")  # step: todo → in-progress
        await settle(pilot)
        assert progress_rows(tutor)[("architecture", "")][0] == "in-progress"
        await pilot.press("space")  # → done
        await settle(pilot)
        assert "50% complete" in screen_text(app)
        await pilot.press("tab")  # into the resources
        await pilot.press("down", "space")  # the course: todo → in-progress
        await settle(pilot)
        assert progress_rows(tutor)[("architecture", "1")][0] == "in-progress"
        await pilot.press("x")  # the course: skipped
        await settle(pilot)
        assert progress_rows(tutor)[("architecture", "1")][0] == "skipped"
        await pilot.press("shift+tab", "down", "x")  # step 2 skipped: counts as finished
        await settle(pilot)
        assert "100% complete" in screen_text(app)
        await pilot.press("n")
        await settle(pilot)
        await pilot.press(*"read", "ctrl+s")
        await settle(pilot)
        assert progress_rows(tutor)[("finance", "")] == ("skipped", "read")
        await pilot.press("c")
        await settle(pilot)
        assert "Career ladder" in screen_text(app) and "Engineer" in screen_text(app)
        await pilot.press("escape")
        await settle(pilot)
        assert "100%" in screen_text(app)  # the list is reloaded


async def test_practise_this_step_reviews_its_cards(tutor, app_for):
    app = app_for(tutor)
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        await pilot.press("p", "enter")
        await settle(pilot)
        await pilot.press("p")
        await settle(pilot)
        screen = app.screen
        assert isinstance(screen, ReviewScreen)
        assert screen.plan.selection.tags == ("architecture",)
        assert screen.card.key == "microservices-challenges"
        assert "card 1 of 1" in screen_text(app)


async def test_settings_are_saved_and_the_language_switches(tutor, app_for):
    app = app_for(tutor)
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        await pilot.press("comma")
        await settle(pilot)
        screen = app.screen
        assert isinstance(screen, SettingsScreen)
        screen.query_one("#new_per_day").value = "25"
        screen.query_one("#learner_name").value = "Aiko [bold]"
        screen.query_one("#ui_language").value = "ja"
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert app.screen.id == "home"
        text = screen_text(app)
        assert "デッキ" in text and "Aiko [bold]" in text
        await pilot.press("q")  # the rebuilt home screen still answers its keys
        await settle(pilot)
        assert not app.is_running
    with tutor.store.read() as session:
        values = {r.key: r.value for r in session.scalars(select(Setting))}
    assert values["new_per_day"] == "25" and values["ui_language"] == '"ja"'
    assert tutor._load_settings().learner_name == "Aiko [bold]"


async def test_invalid_settings_are_explained_not_saved(tutor, app_for):
    app = app_for(tutor)
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        await pilot.press("comma")
        await settle(pilot)
        app.screen.query_one("#desired_retention").value = "1.5"
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert isinstance(app.screen, SettingsScreen)
        assert app.screen.focused.id == "desired_retention"
    assert tutor._load_settings().desired_retention == 0.90


async def test_browse_searches_both_languages_and_shows_history(tutor, tui_clock, app_for):
    seed_history(tutor, tui_clock)
    app = app_for(tutor)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        await pilot.press("b")
        await settle(pilot)
        assert isinstance(app.screen, BrowseScreen)
        assert "3 card(s)" in screen_text(app)
        await pilot.press(*"finops")
        await settle(pilot)
        text = screen_text(app)
        assert "1 card(s)" in text and "CFO" in text and "matched alias: FinOps" in text
        app.screen.query_one("#query").value = "技術的負債"  # as an input method would commit it
        await settle(pilot)
        assert "技術的負債をどう管理しますか" in screen_text(app)
        await pilot.press("enter")  # into the results: the detail of the first hit
        await settle(pilot)
        text = screen_text(app)
        assert "Review history" in text and "score" in text and "typed" in text
        await pilot.press("l")
        await settle(pilot)
        assert "How do you manage technical debt?" in screen_text(app)


async def test_stats_show_retention_forecast_and_drill_weak_points(tutor, tui_clock, app_for):
    seed_history(tutor, tui_clock)
    app = app_for(tutor)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        await pilot.press("s")
        await settle(pilot)
        assert isinstance(app.screen, StatsScreen)
        text = screen_text(app)
        assert "True retention" in text and "Due in the next 30 days" in text
        assert "Mini deck" in text and "Weakest key points" in text
        assert "missed" in text
        weak = app.screen.data.weak
        assert weak
        await pilot.press("d")
        await settle(pilot)
        review = app.screen
        assert isinstance(review, ReviewScreen) and review.plan.drill
        assert set(review.plan.card_ids) == {w.card_id for w in weak}
        await pilot.press("ctrl+s")  # reveal without typing
        await settle(pilot)
        await pilot.press("3")
        await settle(pilot)
        assert "drill" in review.title_text().lower()
