"""Run one app headless and report when things appear: the harness behind the TUI benchmarks.

    python -m benchmarks.tui_driver --app bare                   # a bare Textual app showing one Static
    python -m benchmarks.tui_driver --app cxotutor --db FILE --until home [--ratings 30]

Both apps go through the same code here: ``App.run(headless=True, auto_pilot=...)``;
the pilot waits for the first refresh after the app is ready, writes
``painted`` to stdout, and so on. The parent (``benchmarks/run.py``) times the
lines from the moment it started this process, so interpreter start-up and
imports count, as they do for a learner. Nothing in cxotutor is patched or
subclassed: the app comes from ``cxotutor.tui.app.make_app``, given a tutor
factory with the collection's fixed clock.

Lines written (to file descriptor 1, which Textual leaves alone):
  imported                  the app's modules are imported (before it runs)
  opening, opened           the tutor factory starts and returns (database open, bundled decks synced)
  painted                   first refresh of the first screen
  home                      the home screen has its due counts and has been refreshed
  rated <seconds>           per rating in a flip session: key "3" to the frame that shows the next card
  settled <seconds>         … and to the screen settled (every refresh asked for until then done)
  rss <kB>                  peak resident memory (VmHWM) just before exit
"""

from __future__ import annotations

import argparse
import asyncio
import os
import random
import sys
from datetime import datetime, timezone


ANSWER_KEYS = ["space" if c == " " else c for c in "cloud cost and roi"]  # what the learner types in a review


def say(*parts: object) -> None:
    os.write(1, (" ".join(str(p) for p in parts) + "\n").encode())


def peak_rss_kb() -> int:
    with open("/proc/self/status") as status:
        for line in status:
            if line.startswith("VmHWM:"):
                return int(line.split()[1])
    return 0


async def refreshed(app) -> None:
    """Until the screen has been refreshed once more (the next paint)."""
    done = asyncio.Event()
    app.call_after_refresh(done.set)
    await done.wait()


async def until(predicate, timeout: float = 120.0, step: float = 0.001) -> None:
    loop = asyncio.get_running_loop()
    give_up = loop.time() + timeout
    while not predicate():
        if loop.time() > give_up:
            raise TimeoutError("the app did not get there in time")
        await asyncio.sleep(step)


def bare_app():
    from textual.app import App
    from textual.widgets import Static

    class Bare(App[None]):
        def compose(self):
            yield Static("cxotutor")

    return Bare()


def cxotutor_app(db: str, learner: str | None, now: datetime | None):
    import cxotutor.launch  # noqa: F401  -- the `cxotutor` command's entry point (Typer only for subcommands)
    from cxotutor import startup

    startup.pause_collector()  # as launch.main does before it imports the TUI
    from cxotutor.tui.app import make_app

    clock = (lambda: now) if now else None

    def open_tutor():
        say("opening")
        from cxotutor.tutor import Tutor

        tutor = Tutor.open(db=db, learner=learner, clock=clock or _utc_now, tz=timezone.utc if now else None)
        say("opened")
        return tutor

    return make_app(open_tutor, clock)


def _utc_now() -> datetime:
    return datetime.now(timezone.utc)


def home_screen(app):
    for screen in app.screen_stack:
        if type(screen).__name__ == "HomeScreen":
            return screen
    return None


def home_ready(screen) -> bool:
    """The home screen has its figures and its deck table shows them."""
    if screen is None or getattr(screen, "data", None) is None:
        return False
    tables = screen.query("#decks")
    return bool(tables) and tables.first().row_count > 0


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--app", choices=("bare", "cxotutor"), required=True)
    parser.add_argument("--until", choices=("paint", "home"), default="paint")
    parser.add_argument("--db")
    parser.add_argument("--learner")
    parser.add_argument("--now", help="ISO time the tutor and app take as now (the collection's)")
    parser.add_argument("--ratings", type=int, default=0, help="then rate this many cards in a flip session")
    parser.add_argument("--mode", choices=("flip", "review"), default="flip",
                        help="the session: flip cards, or type an answer, submit it, then rate")
    parser.add_argument("--reading", type=float, default=0.0,
                        help="seconds the learner reads the answer before rating (±1/3, seeded); 0: at once")
    parser.add_argument("--size", default="120x40")
    args = parser.parse_args(argv)
    now = datetime.fromisoformat(args.now) if args.now else None
    app = bare_app() if args.app == "bare" else cxotutor_app(args.db, args.learner, now)
    say("imported")
    failure: list[BaseException] = []

    async def pilot_script(pilot) -> None:
        try:
            await refreshed(app)
            say("painted")
            if args.until == "home" or args.ratings:
                await until(lambda: home_ready(home_screen(app)) or app.load_error is not None)
                if app.load_error is not None:
                    raise app.load_error
                await refreshed(app)
                say("home")
            if args.ratings:
                await study_session(app, args.ratings, args.reading, args.mode)
            say("rss", peak_rss_kb())
        except BaseException as error:  # reported by the exit code; the app must still exit
            failure.append(error)
        finally:
            app.exit()

    width, height = (int(n) for n in args.size.split("x"))
    app.run(headless=True, auto_pilot=pilot_script, size=(width, height))
    if failure:
        print(f"tui_driver: {type(failure[0]).__name__}: {failure[0]}", file=sys.stderr)
        return 1
    return 0


async def study_session(app, ratings: int, reading: float, mode: str = "flip") -> None:
    """Flip cards (reveal with space) or review them (type an answer, submit with ctrl+s), read,
    rate Good (3), and time each rating until the next card is up.

    The time stops at the first frame painted with the next card on screen (the screen's
    layout-refresh signal, which Textual publishes right after it composes a frame), and
    again when the screen has settled (``settled``; the top bar's count comes later still).
    """
    loop = asyncio.get_running_loop()
    pace = random.Random(20261102)
    if mode == "flip":
        app.start_flip()
    else:
        app.start_review()
    await until(lambda: getattr(app.screen, "phase", None) in ("asking", "done"))
    screen = app.screen
    painted: list[float] = []

    def frame(_screen) -> None:
        if screen.phase in ("asking", "done") and not painted:
            painted.append(loop.time())

    screen.screen_layout_refresh_signal.subscribe(screen, frame, immediate=True)
    # simulate_key, not pilot.press: the pilot would also wait for every animation before
    # returning, which is not what the learner waits for.
    for _ in range(ratings):
        if screen.phase != "asking":
            break
        if mode == "flip":
            app.simulate_key("space")
        else:
            for key in ANSWER_KEYS:
                app.simulate_key(key)
            app.simulate_key("ctrl+s")
        await until(lambda: screen.phase == "result")
        await refreshed(app)
        if reading:
            await asyncio.sleep(pace.uniform(reading * 2 / 3, reading * 4 / 3))
        painted.clear()
        started = loop.time()
        app.simulate_key("3")
        await until(lambda: screen.phase in ("asking", "done") and bool(painted))
        say("rated", f"{painted[0] - started:.6f}")
        await refreshed(app)
        say("settled", f"{loop.time() - started:.6f}")

if __name__ == "__main__":
    sys.exit(main())
