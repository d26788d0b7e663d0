"""Flip cards: read the question, reveal the key points and model answer, rate yourself 1-4."""

from __future__ import annotations

from typing import TYPE_CHECKING

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.widgets import Static

from cxotutor.tui.screens.study import StudyScreen
from cxotutor.tui.text import plain
from cxotutor.tui.widgets.rating import RatingBar
from cxotutor.tui.widgets.footer import QuietFooter

if TYPE_CHECKING:
    from cxotutor.models import CardView

GOOD = 3


class FlipScreen(StudyScreen):
    CSS_PATH = "study.tcss"
    MODE = "flip"
    AUTO_FOCUS = None
    BINDINGS = [
        Binding("space", "reveal", "Reveal", id="study.reveal", tooltip="Reveal the key points and model answer"),
    ]

    def compose(self) -> ComposeResult:
        yield self.topbar()
        with VerticalScroll(id="question-box", classes="panel") as box:
            box.can_focus = False
            box.border_title = self.t("study.question")
            yield Static(id="question")
        yield Static(self.t("study.flip_hint"), id="hint", classes="hint", markup=False)
        yield Static(self.t("study.loading"), id="status", classes="hint", markup=False)
        with self.result_panel():
            yield Static(self.t("study.key_points"), classes="section-title", markup=False)
            yield Static(id="points")
            yield Static(self.t("study.model_answer"), classes="section-title", markup=False)
            yield Static(id="model-answer", classes="quoted")
        yield self.done_panel()
        yield self.rating_bar()
        yield QuietFooter()

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        # Nothing is typed here, so one footer fits every phase (each action checks the
        # phase itself); a footer that never changes is never rebuilt between cards.
        if action in ("reveal", "rate", "accept", "undo", "toggle_language"):
            return self.phase not in ("done",) or action == "undo"
        return super().check_action(action, parameters)

    def show_card(self, card: CardView) -> None:
        self._draw_question(card)

    def _draw_question(self, card: CardView) -> None:
        self.query_one("#question", Static).update(self.question_content(card))
        self.query_one("#question-box").border_title = self.question_title()

    def action_reveal(self) -> None:
        if self.phase != "asking" or self.card is None:
            return
        self._draw_answer(self.card)
        self.suggested = GOOD
        self.query_one("#rating", RatingBar).suggested = GOOD
        self.phase = "result"
        self.query_one("#result", VerticalScroll).scroll_home(animate=False)

    def _draw_answer(self, card: CardView) -> None:
        self.query_one("#points", Static).update(self.reference(card))
        self.query_one("#model-answer", Static).update(plain(card.answer(self.content_language)))

    def language_toggled(self, card: CardView) -> None:
        self._draw_question(card)
        if self.phase == "result":
            self._draw_answer(card)
