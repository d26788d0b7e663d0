"""A visible countdown that turns amber, then red, and says when it reaches zero."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Callable

from textual.content import Content
from textual.message import Message
from textual.reactive import reactive
from textual.widget import Widget

from cxotutor.tui.text import clock_text

AMBER = 1 / 3  # share of the time left when the clock turns amber
RED = 1 / 6


class Countdown(Widget):
    """Time left on a question (or time used, when untimed), read from an injectable clock."""

    DEFAULT_CSS = """
    Countdown {
        width: auto;
        height: 1;
        padding: 0 1;
        color: $text-success;
        text-style: bold;
    }
    Countdown.-amber { color: $text-warning; }
    Countdown.-red { color: $text-error; background: $error-muted; }
    """

    @dataclass
    class Expired(Message):
        """Time is up (posted once per start)."""

        countdown: Countdown

    seconds_left: reactive[float] = reactive(0.0)

    def __init__(self, clock: Callable[[], datetime], **kwargs) -> None:
        super().__init__(**kwargs)
        self._clock = clock
        self._limit: int | None = None
        self._started: datetime | None = None
        self._fired = False
        self._running = False

    def on_mount(self) -> None:
        self.set_interval(0.25, self.tick)

    def start(self, limit: int | None) -> None:
        """Start counting down from ``limit`` seconds (None: count time used instead)."""
        self._limit = limit
        self._started = self._clock()
        self._fired = False
        self._running = True
        self.tick()

    def stop(self) -> None:
        self._running = False

    @property
    def elapsed(self) -> float:
        if self._started is None:
            return 0.0
        return max(0.0, (self._clock() - self._started).total_seconds())

    def tick(self) -> None:
        if not self._running:
            return
        elapsed = self.elapsed
        if self._limit is None:
            self.seconds_left = elapsed
            return
        left = max(0.0, self._limit - elapsed)
        self.seconds_left = left
        self.set_class(RED * self._limit < left <= AMBER * self._limit, "-amber")
        self.set_class(left <= RED * self._limit, "-red")
        if left <= 0 and not self._fired:
            self._fired = True
            self._running = False
            self.post_message(self.Expired(self))

    def render(self) -> Content:
        # Round up while counting down, so "0:00" means time is really up.
        shown = self.seconds_left if self._limit is None else -(-self.seconds_left // 1)
        return Content(clock_text(shown))
