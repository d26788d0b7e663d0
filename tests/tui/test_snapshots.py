"""Every screen at 80×24 and 120×40, in English and Japanese.

Deterministic on purpose: a fixed clock shared by the tutor and the app, the
same seeded history, no FSRS fuzz, no blinking cursors, and interview
questions picked with a seed taken from that clock.
Regenerate after an intended change with ``pytest tests/tui --snapshot-update``.
"""

from __future__ import annotations

import pytest
import textual

from cxotutor.tui.widgets.editor import AnswerEditor
from tests.tui.conftest import seed_history, settle, steady

# The SVG baselines are Textual's rendering; another Textual release may draw a border or
# a footer key one cell differently. Compare only with the release that made them.
BASELINE_TEXTUAL = "8.2.8"
pytestmark = pytest.mark.skipif(
    textual.__version__ != BASELINE_TEXTUAL,
    reason=f"snapshots were made with Textual {BASELINE_TEXTUAL}; regenerate with --snapshot-update",
)


async def nothing(pilot) -> None:
    pass


def keys(*presses: str):
    async def run(pilot) -> None:
        for key in presses:
            await pilot.press(key)
            await steady(pilot)

    return run


async def review_result(pilot) -> None:
    await keys("r")(pilot)
    # Covers a little of every mini card, so whichever comes first shows hits and misses.
    pilot.app.screen.query_one(AnswerEditor).insert("ROI を数字で示し、Saga で整合性を保ち、負債の可視化から始めます。")
    await keys("ctrl+s")(pilot)


async def review_typing(pilot) -> None:
    await keys("r")(pilot)
    pilot.app.screen.query_one(AnswerEditor).insert("技術的負債は可視化から")


async def report(pilot) -> None:
    await keys("m")(pilot)
    pilot.app.screen.query_one("#count").value = "2"
    await keys("ctrl+s")(pilot)
    pilot.app.screen.query_one(AnswerEditor).insert("ROI と FinOps でクラウドコストを最適化します")
    await keys("ctrl+s", "ctrl+s")(pilot)


SCREENS = {
    "home": nothing,
    "welcome": nothing,
    "review": review_typing,
    "review-result": review_result,
    "flip": keys("f", "space"),
    "interview-setup": keys("m"),
    "interview": keys("m", "ctrl+s"),
    "report": report,
    "paths": keys("p"),
    "path": keys("p", "enter"),
    "stats": keys("s"),
    "browse": keys("b", "tab"),
    "settings": keys("comma"),
    "help": keys("question_mark"),
}
SIZES = {"80x24": (80, 24), "120x40": (120, 40)}


@pytest.mark.parametrize("lang", ["en", "ja"])
@pytest.mark.parametrize("size", list(SIZES))
@pytest.mark.parametrize("screen", list(SCREENS))
def test_screen(screen, size, lang, snap_compare, make_tutor, tui_clock, app_for):
    tutor = make_tutor(ui=lang, welcomed=screen != "welcome")
    seed_history(tutor, tui_clock)
    navigate = SCREENS[screen]

    async def run_before(pilot) -> None:
        await steady(pilot)
        await navigate(pilot)
        await steady(pilot)
        pilot.app.clear_notifications()
        await pilot.pause()

    assert snap_compare(app_for(tutor), terminal_size=SIZES[size], run_before=run_before)
