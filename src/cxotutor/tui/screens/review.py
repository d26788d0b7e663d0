"""Review with typed answers: question, answer box, then key-point feedback and a suggested rating."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from textual import work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.content import Content
from textual.message import Message
from textual.widgets import Static

from cxotutor.tui.screens.study import StudyScreen
from cxotutor.tui.text import plain
from cxotutor.tui.widgets.editor import AnswerEditor
from cxotutor.tui.widgets.feedback import marked_answer, point_lines
from cxotutor.tui.widgets.rating import RatingBar
from cxotutor.tui.widgets.footer import QuietFooter

if TYPE_CHECKING:
    from cxotutor.models import CardView
    from cxotutor.scoring import AnswerScore


class ReviewScreen(StudyScreen):
    CSS_PATH = "study.tcss"
    MODE = "review"
    AUTO_FOCUS = None
    BINDINGS = [
        Binding("ctrl+s", "submit", "Submit", id="study.submit", tooltip="Submit the answer (empty: just reveal)"),
        Binding("ctrl+t", "toggle_language", "Language", id="study.language_typing", show=False),
        Binding("e", "edit", "Edit answer", id="study.edit", tooltip="Back into the answer box"),
    ]

    @dataclass
    class Scored(Message):
        card_id: int
        answer: str
        score: AnswerScore

    def __init__(self, plan) -> None:
        super().__init__(plan)
        self.answer = ""
        self.score: AnswerScore | None = None

    def compose(self) -> ComposeResult:
        yield self.topbar()
        with VerticalScroll(id="question-box", classes="panel") as box:
            # Focusable, so tab can leave the answer box (then u, l work) and long questions scroll.
            box.border_title = self.t("study.question")
            yield Static(id="question")
        yield AnswerEditor(placeholder=self.t("study.placeholder"), id="answer")
        yield Static(self.t("study.hint"), id="hint", classes="hint", markup=False)
        yield Static(self.t("study.loading"), id="status", classes="hint", markup=False)
        with self.result_panel():
            yield Static(id="score-line")
            yield Static(self.t("study.key_points"), classes="section-title", markup=False)
            yield Static(id="points")
            yield Static(self.t("study.your_answer"), classes="section-title", markup=False)
            yield Static(id="your-answer", classes="quoted")
            yield Static(self.t("study.model_answer"), classes="section-title", markup=False)
            yield Static(id="model-answer", classes="quoted")
        yield self.done_panel()
        yield self.rating_bar()
        yield QuietFooter()

    # -- phases -----------------------------------------------------------------------------

    def watch_phase(self, phase: str) -> None:
        super().watch_phase(phase)
        # Only the phases that show #status: a hidden line updated at "saving" would still ask
        # for a paint just before the next card, and Textual then holds the card's paint a frame.
        status = {"loading": "study.loading", "scoring": "study.scoring"}.get(phase)
        if status and self.is_mounted:
            self.query_one("#status", Static).update(self.t(status))

    def typing(self) -> bool:
        return isinstance(self.focused, AnswerEditor)

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "submit":
            return self.phase == "asking"
        if action == "edit":
            return self.phase == "asking" and not self.typing()
        if action == "toggle_language" and self.typing():
            return self.phase == "asking"
        return super().check_action(action, parameters)

    # -- the card ------------------------------------------------------------------------------

    def show_card(self, card: CardView) -> None:
        self.answer = ""
        self.score = None
        self._draw_question(card)
        editor = self.query_one("#answer", AnswerEditor)
        editor.clear()
        editor.focus()
        self.query_one("#result", VerticalScroll).scroll_home(animate=False)

    def _draw_question(self, card: CardView) -> None:
        self.query_one("#question", Static).update(self.question_content(card))
        self.query_one("#question-box").border_title = self.question_title()

    def language_toggled(self, card: CardView) -> None:
        self._draw_question(card)
        if self.phase == "result":
            self._draw_result(card)

    def action_edit(self) -> None:
        if self.phase == "asking":
            self.query_one("#answer", AnswerEditor).focus()

    def action_back(self) -> None:
        # Leaving the box keeps a typed answer; a second escape leaves the screen.
        if self.typing() and self.query_one("#answer", AnswerEditor).text.strip():
            self.set_focus(None)
            self.refresh_bindings()
            return
        super().action_back()

    # -- submitting and scoring ---------------------------------------------------------------

    def action_submit(self) -> None:
        if self.phase != "asking" or self.card is None:
            return
        self.answer = self.query_one("#answer", AnswerEditor).text
        if not self.answer.strip():
            self.answer = ""
            self.score = None
            self.suggested = None
            self._show_result(self.card)
            return
        self.phase = "scoring"
        self._score(self.card, self.answer)

    @work(thread=True, exclusive=True, exit_on_error=False, group="score")
    def _score(self, card: CardView, answer: str) -> None:
        self.post_message(self.Scored(card.id, answer, self.tutor.score(card, answer)))

    def on_review_screen_scored(self, message: Scored) -> None:
        if self.card is None or message.card_id != self.card.id or self.phase != "scoring":
            return
        self.score = message.score
        self.suggested = message.score.rating
        self._show_result(self.card)

    def _show_result(self, card: CardView) -> None:
        self._draw_result(card)
        bar = self.query_one("#rating", RatingBar)
        bar.suggested = self.suggested
        self.phase = "result"
        self.query_one("#result", VerticalScroll).scroll_home(animate=False)
        self.set_focus(None)  # out of the answer box: the digits now rate

    def _draw_result(self, card: CardView) -> None:
        lang = self.content_language
        score = self.score
        if score is None:
            self.query_one("#score-line", Static).update(Content(""))
            self.query_one("#points", Static).update(self.reference(card))
            self.query_one("#your-answer", Static).update(Content.styled(self.t("study.no_answer"), "$text-muted italic"))
        else:
            covered = sum(p.status == "hit" for p in score.points)
            self.query_one("#score-line", Static).update(
                Content.assemble(
                    (self.t("study.score", score=score.score), "bold"),
                    ("  ·  " + self.t("study.points_hit", hit=covered, n=len(score.points)), "$text-muted"),
                )
            )
            self.query_one("#points", Static).update(point_lines(score.points, card.key_points, lang, self.t))
            self.query_one("#your-answer", Static).update(marked_answer(self.answer, score.points))
        self.query_one("#model-answer", Static).update(plain(card.answer(lang)))

    def rating_payload(self) -> tuple[str | None, Any]:
        return (self.answer or None), self.score
