"""Fixtures for the TUI tests: a prepared database per test, a fake clock, and helpers to drive the app.

The database is migrated and loaded once per session (tests/data/mini.yaml and
a small path) and copied for each test, so every test gets its own file
without paying for the migration again.
"""

from __future__ import annotations

import shutil
from dataclasses import dataclass
from datetime import datetime, timedelta, timezone
from pathlib import Path

import pytest

DATA = Path(__file__).parent / "data"
MINI_DECK = Path(__file__).parent.parent / "data" / "mini.yaml"
MINI_PATH = DATA / "mini-path.yaml"
START = datetime(2026, 1, 5, 10, 0, tzinfo=timezone.utc)  # a Monday, after the 04:00 day start


@dataclass
class TuiClock:
    """A clock the test moves by hand; the tutor and the app share it."""

    now: datetime = START

    def __call__(self) -> datetime:
        return self.now

    def advance(self, **delta: float) -> datetime:
        self.now += timedelta(**delta)
        return self.now


@pytest.fixture(scope="session")
def template_db(tmp_path_factory) -> Path:
    from cxotutor.library import sync_bundled
    from cxotutor.store import open_store

    path = tmp_path_factory.mktemp("template") / "template.db"
    store = open_store(path)
    try:
        sync_bundled(store, [MINI_DECK, MINI_PATH])
        with store.engine.connect() as conn:
            conn.exec_driver_sql("PRAGMA wal_checkpoint(TRUNCATE)")
    finally:
        store.dispose()
    return path


@pytest.fixture
def tui_clock() -> TuiClock:
    return TuiClock()


@pytest.fixture
def make_tutor(template_db, tmp_path, tui_clock):
    """``make_tutor(ui="en", welcomed=True)``: a Tutor on a fresh copy of the template database."""
    from cxotutor.store import open_store
    from cxotutor.tutor import Tutor

    stores = []

    def make(ui: str = "en", welcomed: bool = True, content: str = "ja", name: str = "t.db"):
        db = tmp_path / name
        shutil.copy(template_db, db)
        store = open_store(db)
        stores.append(store)
        tutor = Tutor(store, clock=tui_clock, tz=timezone.utc)
        # No fuzz: intervals, due dates and so the screens are the same on every run.
        tutor.update_settings(ui_language=ui, content_language=content, welcomed=welcomed, fuzz=False)
        return tutor

    yield make
    for store in stores:
        store.dispose()


@pytest.fixture
def tutor(make_tutor):
    return make_tutor()


@pytest.fixture
def app_for(tui_clock):
    """``app_for(tutor)``: the app the CLI would build, on this tutor and clock."""
    from cxotutor.tui.app import make_app

    def build(tutor):
        return make_app(lambda: tutor, clock=tui_clock)

    return build


async def settle(pilot, rounds: int = 6) -> None:
    """Let workers finish and their messages land (a handler may start the next worker)."""
    from textual.worker import WorkerState

    for _ in range(rounds):
        await pilot.pause()
        busy = [w for w in pilot.app.workers if w.state in (WorkerState.PENDING, WorkerState.RUNNING)]
        if not busy:
            break
        await pilot.app.workers.wait_for_complete()
    await pilot.pause()  # the last worker's message, if it had only just been posted


async def steady(pilot, timeout: float = 20.0) -> None:
    """``settle``, then wait until the screen says it has what it is waiting for.

    ``pilot.pause`` judges "idle" from CPU time, which a busy machine can fool; screenshots
    need the screen really done, so this also checks the screens' own state.
    """
    import asyncio

    app = pilot.app
    loop = asyncio.get_running_loop()
    give_up = loop.time() + timeout
    while True:
        await settle(pilot)
        if all(screen_ready(screen) for screen in app.screen_stack) or loop.time() > give_up:
            break
        await asyncio.sleep(0.05)
    await pilot.pause()


def screen_ready(screen) -> bool:
    from textual.worker import WorkerState

    if any(w.state in (WorkerState.PENDING, WorkerState.RUNNING) for w in screen.app.workers):
        return False
    if getattr(screen, "phase", None) in ("loading", "scoring", "saving", "finishing"):
        return False
    if hasattr(screen, "data") and screen.data is None:
        return False
    if screen.id == "home" and (not screen.query("#decks") or not screen.query("Footer")):
        return False
    if type(screen).__name__ in ("PathsScreen",) and not screen.query_one("#paths").option_count:
        return False
    if type(screen).__name__ == "PathScreen" and screen.view is None:
        return False
    if type(screen).__name__ == "BrowseScreen" and screen.detail is None:
        return False
    if type(screen).__name__ == "InterviewSetupScreen" and len(screen.query_one("#role")._options) < 2:
        return False
    return screen.app.tutor is not None


def screen_text(app) -> str:
    """What the active screen shows, as plain text (one line per terminal row)."""
    return "\n".join(strip.text for strip in app.screen._compositor.render_strips())


def seed_history(tutor, clock: TuiClock) -> None:
    """A few typed reviews on earlier days: heatmap colour, weak points, retention, a streak."""
    from cxotutor import learning

    now = clock.now
    cards = {card.key: card for card in (tutor.find_card("mini", key) for key in ("microservices-challenges", "tech-debt", "cfo-collaboration"))}
    plan = [
        (-30, "microservices-challenges", "Saga and distributed tracing"),  # Easy: straight to review
        (-23, "tech-debt", "visualize the debt"),
        (-9, "microservices-challenges", "Saga"),  # a review of a learned card (true retention)
        (-2, "cfo-collaboration", "ROI"),
        (-1, "tech-debt", "refactoring time"),
    ]
    try:
        for days, key, answer in plan:
            clock.now = now + timedelta(days=days)
            card = cards[key]
            score = tutor.score(card, answer)
            tutor.rate(card.id, score.rating, answer=answer, score=score, duration_ms=42_000)
    finally:
        clock.now = now
    learning.set_status(tutor, "mini-path", "architecture", "done", resource=0)
    learning.set_status(tutor, "mini-path", "finance", "done")
    learning.set_note(tutor, "mini-path", "architecture", "Chapter 3 first.")
