"""Mock interview: choose a role, a number of questions and a time limit; answer against the clock.

No feedback is shown until the end. Each answer is scored and logged the
moment it is submitted (mode "interview", schedule untouched unless the
learner chose otherwise), so quitting half-way loses nothing.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.content import Content
from textual.message import Message
from textual.reactive import var
from textual.widgets import Button, Checkbox, Input, Label, Select, Static

from cxotutor.interview import DEFAULT_QUESTIONS, DEFAULT_SECONDS, MAX_QUESTIONS, InterviewPlan
from cxotutor.tui.screens.base import TutorModal, TutorScreen
from cxotutor.tui.text import plain
from cxotutor.tui.widgets.countdown import Countdown
from cxotutor.tui.widgets.editor import AnswerEditor
from cxotutor.tui.widgets.topbar import TopBar
from cxotutor.tui.widgets.footer import QuietFooter

if TYPE_CHECKING:
    from cxotutor.interview import Started
    from cxotutor.models import CardView

TIME_CHOICES = (60, 120, 180, 300, 600, None)
ALL_ROLES = "all"


class InterviewSetupScreen(TutorModal[InterviewPlan]):
    """Pick the role, how many questions, the time per question, and whether answers move the schedule."""

    CSS_PATH = "interview.tcss"
    BINDINGS = [
        Binding("ctrl+s", "start", "Start", id="modal.start"),
        Binding("escape", "cancel", "Cancel", id="modal.cancel"),
    ]

    @dataclass
    class RolesLoaded(Message):
        roles: list[str]

    def compose(self) -> ComposeResult:
        with Vertical(id="setup", classes="dialog") as box:
            box.border_title = self.t("interview.title")
            with Horizontal(classes="field"):
                yield Label(self.t("interview.setup.role"), classes="field-label")
                yield Select([(self.t("role.all"), ALL_ROLES)], value=ALL_ROLES, allow_blank=False, id="role", compact=True)
            with Horizontal(classes="field"):
                yield Label(self.t("interview.setup.count"), classes="field-label")
                yield Input(str(DEFAULT_QUESTIONS), type="integer", id="count", compact=True, max_length=2)
            with Horizontal(classes="field"):
                yield Label(self.t("interview.setup.time"), classes="field-label")
                yield Select(
                    [(self._time_label(s), s if s is not None else 0) for s in TIME_CHOICES],
                    value=DEFAULT_SECONDS, allow_blank=False, id="time", compact=True,
                )
            yield Checkbox(self.t("interview.setup.apply"), value=False, id="apply", compact=True)
            yield Static(self.t("interview.setup.note"), classes="hint", markup=False)
            with Horizontal(id="setup-buttons"):
                yield Button(self.t("interview.setup.start") + " (ctrl+s)", id="start", variant="primary")
                yield Button(self.t("interview.setup.cancel"), id="cancel")

    def _time_label(self, seconds: int | None) -> str:
        return self.t("interview.setup.untimed") if seconds is None else self.t("interview.setup.minutes", n=seconds // 60)

    def on_mount(self) -> None:
        self.query_one("#role", Select).focus()
        self._load_roles()

    @work(thread=True, exclusive=True, exit_on_error=False, group="roles")
    def _load_roles(self) -> None:
        from cxotutor import interview

        self.post_message(self.RolesLoaded(interview.roles(self.tutor)))

    def on_interview_setup_screen_roles_loaded(self, message: RolesLoaded) -> None:
        select = self.query_one("#role", Select)
        select.set_options([(self.t("role.all"), ALL_ROLES)] + [(self.t(f"role.{r}"), r) for r in message.roles])
        select.value = ALL_ROLES

    def plan(self) -> InterviewPlan | None:
        raw = self.query_one("#count", Input).value.strip()
        try:
            count = int(raw)
        except ValueError:
            count = 0
        if not 1 <= count <= MAX_QUESTIONS:
            self.notify(self.t("interview.setup.bad_count"), severity="warning")
            self.query_one("#count", Input).focus()
            return None
        role = self.query_one("#role", Select).value
        seconds = self.query_one("#time", Select).value
        return InterviewPlan(
            role=None if role == ALL_ROLES else str(role),
            questions=count,
            seconds_per_question=int(seconds) or None,  # 0 stands for "no limit" in the Select
            apply_to_schedule=self.query_one("#apply", Checkbox).value,
        )

    def action_start(self) -> None:
        plan = self.plan()
        if plan is not None:
            self.dismiss(plan)

    @on(Input.Submitted, "#count")
    def _count_submitted(self) -> None:
        self.action_start()

    def on_button_pressed(self, event: Button.Pressed) -> None:
        if event.button.id == "start":
            self.action_start()
        else:
            self.dismiss(None)


class InterviewScreen(TutorScreen):
    """One question at a time, a countdown, auto-submit at zero, the report card at the end."""

    CSS_PATH = "interview.tcss"
    AUTO_FOCUS = None
    BINDINGS = [
        Binding("ctrl+s", "submit", "Submit", id="interview.submit", tooltip="Submit now"),
        Binding("ctrl+t", "toggle_language", "Language", id="study.language_typing", show=False),
        Binding("escape", "end", "End", id="interview.end", tooltip="End the interview early"),
    ]

    # A var, not a reactive: a reactive on the screen repaints the whole screen at each change;
    # watch_phase updates the one line that shows the phase.
    phase: var[str] = var("loading")

    @dataclass
    class Began(Message):
        started: Started

    @dataclass
    class Recorded(Message):
        index: int

    @dataclass
    class Finished(Message):
        report: dict

    def __init__(self, plan: InterviewPlan) -> None:
        super().__init__()
        self.plan = plan
        self.started: Started | None = None
        self.index = 0
        self.answered = 0
        self.content_language = "ja"

    def compose(self) -> ComposeResult:
        with Horizontal(id="interview-bar"):
            yield TopBar(self._left(), id="topbar")
            yield Countdown(self.tapp.clock, id="countdown")
        with VerticalScroll(id="question-box", classes="panel") as box:
            box.can_focus = False
            box.border_title = self.t("study.question")
            yield Static(id="question")
        yield AnswerEditor(placeholder=self.t("study.placeholder"), id="answer")
        yield Static(self.t("interview.hint"), id="hint", classes="hint", markup=False)
        yield QuietFooter()

    def _left(self) -> Content:
        role = self.t(f"role.{self.plan.role}") if self.plan.role else self.t("role.all")
        return Content.assemble((self.t("interview.title"), "bold $text-accent"), ("  ·  ", "$text-muted"), role)

    def on_mount(self) -> None:
        self.content_language = self.tutor.settings.content_language
        self._begin()

    def watch_phase(self, phase: str) -> None:
        self.refresh_bindings()
        hints = {"loading": "study.loading", "asking": "interview.hint", "saving": "interview.recording", "finishing": "interview.finishing"}
        if self.is_mounted and phase in hints:
            self.query_one("#hint", Static).update(self.t(hints[phase]))

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "submit":
            return self.phase == "asking"
        if action == "toggle_language":
            return self.phase == "asking"
        return True

    @work(thread=True, exclusive=True, exit_on_error=False, group="interview")
    def _begin(self) -> None:
        from cxotutor import interview

        self.post_message(self.Began(interview.start(self.tutor, self.plan)))

    def on_interview_screen_began(self, message: Began) -> None:
        self.started = message.started
        self._ask(0)

    @property
    def card(self) -> CardView | None:
        if self.started is None or self.index >= len(self.started.cards):
            return None
        return self.started.cards[self.index]

    def _ask(self, index: int) -> None:
        assert self.started is not None
        self.index = index
        card = self.started.cards[index]
        self._draw_question(card)
        self.query_one("#topbar", TopBar).right = Content.styled(
            self.t("interview.progress", n=index + 1, m=len(self.started.cards)), "bold"
        )
        editor = self.query_one("#answer", AnswerEditor)
        editor.clear()
        editor.focus()
        self.query_one("#countdown", Countdown).start(self.plan.seconds_per_question)
        self.phase = "asking"

    def _draw_question(self, card: CardView) -> None:
        self.query_one("#question", Static).update(plain(card.question(self.content_language), "bold"))
        self.query_one("#question-box").border_title = self.t(
            "interview.question_lang", lang=self.t(f"lang.short.{self.content_language}")
        )

    def action_toggle_language(self) -> None:
        self.content_language = "en" if self.content_language == "ja" else "ja"
        if self.card is not None:
            self._draw_question(self.card)

    # -- answering ------------------------------------------------------------------------

    @on(Countdown.Expired)
    def _time_up(self) -> None:
        if self.phase == "asking":
            self.notify(self.t("interview.timeout"), severity="warning", timeout=3)
            self.action_submit()

    def action_submit(self) -> None:
        card = self.card
        if self.phase != "asking" or card is None:
            return
        countdown = self.query_one("#countdown", Countdown)
        countdown.stop()
        elapsed = countdown.elapsed
        if self.plan.seconds_per_question is not None:
            elapsed = min(elapsed, self.plan.seconds_per_question)
        self.phase = "saving"
        self._record(card, self.query_one("#answer", AnswerEditor).text, int(elapsed * 1000))

    @work(thread=True, exclusive=True, exit_on_error=False, group="interview")
    def _record(self, card: CardView, answer: str, duration_ms: int) -> None:
        from cxotutor import interview

        assert self.started is not None
        interview.record_answer(
            self.tutor, self.started.interview_id, card, answer, duration_ms, self.plan.apply_to_schedule
        )
        self.post_message(self.Recorded(self.index))

    def on_interview_screen_recorded(self, message: Recorded) -> None:
        assert self.started is not None
        self.answered += 1
        if message.index + 1 < len(self.started.cards):
            self._ask(message.index + 1)
        else:
            self._finish()

    def _finish(self) -> None:
        self.phase = "finishing"
        self.query_one("#countdown", Countdown).stop()
        self._build_report()

    @work(thread=True, exclusive=True, exit_on_error=False, group="interview")
    def _build_report(self) -> None:
        from cxotutor import interview

        assert self.started is not None
        self.post_message(self.Finished(interview.finish(self.tutor, self.started.interview_id)))

    def on_interview_screen_finished(self, message: Finished) -> None:
        from cxotutor.tui.screens.report import ReportScreen

        self.app.switch_screen(ReportScreen(message.report))

    # -- leaving early ------------------------------------------------------------------------

    def action_end(self) -> None:
        if self.phase not in ("asking", "loading"):
            return
        from cxotutor.tui.screens.confirm import ConfirmScreen

        def answered(end: bool | None) -> None:
            if not end:
                return
            if self.answered:
                self._finish()
            else:
                self.query_one("#countdown", Countdown).stop()
                self.dismiss()

        self.app.push_screen(ConfirmScreen(self.t("interview.confirm_end")), answered)

    def worker_failed(self, worker) -> None:
        if self.phase == "loading":
            self.dismiss()
        elif self.phase == "saving":
            self.phase = "asking"
