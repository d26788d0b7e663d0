"""What review and flip sessions share: the card source, rating, undo, progress and time on card.

A session draws cards from the daily queue (``Selection``), or drills a fixed
list of cards ahead of schedule (``card_ids``: weak points, a path step, an
interview's questions); drill ratings are logged without moving the schedule.
The next card is fetched in the same worker that saves the rating, so it is
shown only once the review is committed; the count of cards still to come
follows it.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from functools import partial
from typing import TYPE_CHECKING, Any

from textual import work
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.content import Content
from textual.message import Message
from textual.reactive import var
from textual.widget import Widget
from textual.widgets import Static

from cxotutor.models import Selection
from cxotutor.tui.screens.base import TutorScreen
from cxotutor.tui.text import clock_text, plain
from cxotutor.tui.widgets.feedback import reference_lines
from cxotutor.tui.widgets.rating import RatingBar
from cxotutor.tui.widgets.topbar import TopBar

if TYPE_CHECKING:
    from cxotutor.models import CardView, ReviewReceipt
    from cxotutor.tutor import Tutor


COUNT_AFTER = 0.05  # seconds from showing a card to counting what is left (three frames at 60 fps)


@dataclass(frozen=True)
class SessionPlan:
    """Where a session's cards come from, and how to name it."""

    selection: Selection = field(default_factory=Selection)
    card_ids: tuple[int, ...] = ()  # a drill: these cards, due or not, schedule untouched
    label: str = ""

    @property
    def drill(self) -> bool:
        return bool(self.card_ids)


@dataclass(frozen=True)
class Next:
    card: CardView | None
    remaining: int | None  # cards still to come, this one included (None: counted after it is shown)


def next_card(tutor: Tutor, plan: SessionPlan, done: tuple[int, ...], count: bool = True) -> Next:
    """The session's next card and how many remain (called in a worker thread).

    ``count=False`` leaves out a count that needs a query of its own (``remaining`` None),
    so the caller can show the card first and count after.
    """
    if plan.drill:
        left = [card_id for card_id in plan.card_ids if card_id not in done]
        return Next(tutor.card(left[0]) if left else None, len(left))
    card = tutor.next_card(plan.selection)
    if card is None:
        return Next(None, 0)
    return Next(card, tutor.remaining(plan.selection) if count else None)


class StudyScreen(TutorScreen):
    """Base of ReviewScreen and FlipScreen. Phases: loading, asking, scoring, result, saving, done."""

    MODE = "review"
    BINDINGS = [
        Binding("1", "rate(1)", "Again", id="study.rate1", show=False),
        Binding("2", "rate(2)", "Hard", id="study.rate2", show=False),
        Binding("3", "rate(3)", "Good", id="study.rate3", show=False),
        Binding("4", "rate(4)", "Easy", id="study.rate4", show=False),
        Binding("enter", "accept", "Accept", id="study.accept", tooltip="Accept the suggested rating"),
        Binding("u", "undo", "Undo", id="study.undo", tooltip="Undo the last rating"),
        Binding("l", "toggle_language", "Language", id="study.language", tooltip="Question in Japanese / English"),
        # The answer panel never takes the focus (see result_panel), so the screen scrolls it.
        Binding("up", "scroll_card('up')", id="study.scroll_up", show=False),
        Binding("down", "scroll_card('down')", id="study.scroll_down", show=False),
        Binding("pageup", "scroll_card('page_up')", id="study.scroll_page_up", show=False),
        Binding("pagedown", "scroll_card('page_down')", id="study.scroll_page_down", show=False),
        Binding("home", "scroll_card('home')", id="study.scroll_home", show=False),
        Binding("end", "scroll_card('end')", id="study.scroll_end", show=False),
    ]

    # A var, not a reactive: a reactive on the screen repaints the whole screen when it
    # changes, and "saving" changes nothing the learner sees (watch_phase shows what does).
    phase: var[str] = var("loading")

    @dataclass
    class CardReady(Message):
        next: Next

    @dataclass
    class Saved(Message):
        receipt: ReviewReceipt
        next: Next

    @dataclass
    class Counted(Message):
        shown: int  # the card it counts for (cards_shown when it was shown)
        remaining: int

    @dataclass
    class Undone(Message):
        card: CardView | None
        remaining: int

    def __init__(self, plan: SessionPlan) -> None:
        super().__init__()
        self.plan = plan
        self.card: CardView | None = None
        self.rated: list[int] = []  # card ids rated in this session, oldest first
        self.last: str = ""  # what the last rating did, shown in the top bar
        self.total = 0
        self.cards_shown = 0  # a Counted message names the card it counts for by this number
        self.shown_at: datetime | None = None
        self.suggested: int | None = None
        self.content_language = "ja"
        self._parts: list[tuple[str, Widget]] | None = None  # (selector, widget) per PARTS, looked up once

    # -- pieces subclasses place in compose() ----------------------------------------------

    def title_text(self) -> str:
        name = self.t("study.drill") if self.plan.drill else self.t(f"study.{self.MODE}")
        return name

    def topbar(self) -> TopBar:
        return TopBar(self._left(), id="topbar")

    def _left(self) -> Content:
        label = self.plan.label or self.t("study.all")
        return Content.assemble((self.title_text(), "bold $text-accent"), ("  ·  ", "$text-muted"), plain(label))

    def done_panel(self) -> Static:
        return Static(id="done", classes="panel")

    def result_panel(self) -> VerticalScroll:
        # Not focusable: a focused answer panel is blurred when the next card hides it, and
        # the blur restyles the panel and everything in it after the card is painted: a
        # second paint per card, which also holds up whatever waits for the screen to settle.
        panel = VerticalScroll(id="result")
        panel.can_focus = False
        return panel

    def rating_bar(self) -> RatingBar:
        bar = RatingBar(id="rating")
        bar.language = self.lang
        return bar

    # -- lifecycle -----------------------------------------------------------------------

    def on_mount(self) -> None:
        self.content_language = self.tutor.settings.content_language
        self.watch_phase(self.phase)
        self.set_interval(1, self._tick)
        self._fetch()

    # What each phase shows. Set per widget (display), not as a class on the screen:
    # a screen class restyles every widget on it, twice per rating.
    PARTS = ("#question-box", "#answer", "#hint", "#status", "#result", "#rating", "#done")
    SHOWN = {
        "loading": ("#question-box", "#status"),
        "asking": ("#question-box", "#answer", "#hint"),
        "scoring": ("#question-box", "#answer", "#status"),
        "result": ("#question-box", "#result", "#rating"),
        "saving": ("#question-box", "#result", "#rating"),
        "done": ("#done",),
    }

    def watch_phase(self, phase: str) -> None:
        if not self.is_mounted:
            return
        shown = self.SHOWN.get(phase, ())
        if self._parts is None:
            self._parts = [(selector, widget) for selector in self.PARTS for widget in self.query(selector)]
        with self.app.batch_update():
            for selector, widget in self._parts:
                widget.display = selector in shown
        self.refresh_bindings()
        self._tick()

    async def recompose(self) -> None:
        self._parts = None  # new widgets (a change of UI language)
        await super().recompose()

    def _tick(self) -> None:
        if not self.is_mounted:
            return
        right: list[Any] = []
        if self.last:
            right += [(self.last, "$text-muted"), ("  ·  ", "$text-muted")]
        if self.card is not None and self.phase not in ("done", "loading"):
            position = len(self.rated) + 1
            right.append((self.t("study.progress", n=position, m=max(self.total, position)), "bold"))
            if self.shown_at is not None:
                seconds = (self.tapp.clock() - self.shown_at).total_seconds()
                right += [("  ·  ", "$text-muted"), (self.t("study.on_card", time=clock_text(seconds)), "$text-muted")]
        self.query_one("#topbar", TopBar).right = Content.assemble(*right)

    def action_scroll_card(self, how: str) -> None:
        """Scroll the answer once it is shown, the question before."""
        panel = self.query_one("#result" if "#result" in self.SHOWN.get(self.phase, ()) else "#question-box", VerticalScroll)
        getattr(panel, f"scroll_{how}")(animate=False)

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        # While saving, the footer keeps the result's keys (the actions wait for the phase),
        # so it is not rebuilt twice for every rating.
        if action in ("rate", "accept"):
            return self.phase in ("result", "saving")
        if action == "undo":
            return bool(self.rated) and self.phase in ("asking", "result", "saving", "done") and not self.typing()
        if action == "toggle_language":
            return self.phase in ("asking", "result", "scoring", "saving") and not self.typing()
        return True

    def typing(self) -> bool:
        """Is the answer box focused (so letters and digits are text, not commands)?"""
        return False

    # -- fetching and showing cards ---------------------------------------------------------

    @work(thread=True, exclusive=True, exit_on_error=False, group="study")
    def _fetch(self) -> None:
        self.post_message(self.CardReady(next_card(self.tutor, self.plan, tuple(self.rated))))

    def on_study_screen_card_ready(self, message: CardReady) -> None:
        self._present(message.next)

    def _present(self, nxt: Next) -> None:
        self.card = nxt.card
        self.cards_shown += 1
        if nxt.remaining is not None:
            self.total = len(self.rated) + nxt.remaining
        if nxt.card is None:
            self._show_done()
            return
        self.shown_at = self.tapp.clock()
        self.suggested = None
        self.show_card(nxt.card)
        self.phase = "asking"

    def show_card(self, card: CardView) -> None:
        """Subclasses: put the question on screen and reset the answer area."""

    def question_content(self, card: CardView) -> Content:
        return plain(card.question(self.content_language), "bold")

    def question_title(self) -> str:
        return self.t("study.question_lang", lang=self.t(f"lang.short.{self.content_language}"))

    def reference(self, card: CardView) -> Content:
        return reference_lines(card.key_points, self.content_language, self.t)

    def _show_done(self) -> None:
        done = self.query_one("#done", Static)
        if self.rated:
            title, body = self.t("study.done.title"), self.t("study.done.body", n=len(self.rated))
        else:
            title, body = self.t("study.empty.title"), self.t("study.empty.body")
        done.border_title = title
        done.update(Content.assemble((body, "bold"), "\n\n", (self.t("study.done.hint"), "$text-muted")))
        self.phase = "done"
        done.focus()

    # -- rating --------------------------------------------------------------------------

    def action_rate(self, rating: int) -> None:
        if self.phase != "result" or self.card is None:
            return
        self.phase = "saving"
        self._save(self.card, rating, *self.rating_payload())

    def action_accept(self) -> None:
        if self.phase != "result":
            return
        if self.suggested is None:
            self.notify(self.t("study.pick_rating"), timeout=2)
            return
        self.action_rate(self.suggested)

    def rating_payload(self) -> tuple[str | None, Any]:
        """(typed answer, score) to store with the rating."""
        return None, None

    def duration_ms(self) -> int | None:
        if self.shown_at is None:
            return None
        return max(0, int((self.tapp.clock() - self.shown_at).total_seconds() * 1000))

    @work(thread=True, exclusive=True, exit_on_error=False, group="study")
    def _save(self, card: CardView, rating: int, answer: str | None, score: Any) -> None:
        tutor = self.tutor
        receipt = tutor.rate(
            card.id,
            rating,
            mode=self.MODE,
            answer=answer,
            score=score,
            duration_ms=self.duration_ms(),
            schedule=not self.plan.drill,
        )
        done = tuple(self.rated) + (card.id,)
        self.post_message(self.Saved(receipt, next_card(tutor, self.plan, done, count=False)))

    @work(thread=True, exclusive=True, exit_on_error=False, group="count")
    def _count(self, shown: int) -> None:
        self.post_message(self.Counted(shown, self.tutor.remaining(self.plan.selection)))

    def on_study_screen_counted(self, message: Counted) -> None:
        total = len(self.rated) + message.remaining
        # Usually the same as before (the card rated left, this one came up): nothing to redraw.
        if message.shown == self.cards_shown and self.card is not None and total != self.total:
            self.total = total
            self._tick()

    def on_study_screen_saved(self, message: Saved) -> None:
        receipt = message.receipt
        self.rated.append(receipt.card_id)
        rating = self.t(f"rating.{receipt.rating}")
        if self.plan.drill:
            when = self.t("study.when.drill")
        elif receipt.interval_days >= 1:
            when = self.t("study.when.days", days=receipt.interval_days)
        else:
            when = self.t("study.when.soon")
        # In the top bar, not a toast: a toast per rating costs a mount and hides the footer.
        self.last = self.t("study.last", rating=rating, when=when)
        self._present(message.next)
        if message.next.remaining is None:
            # The card first: the count in the top bar is a query of its own, started once the
            # card's frame is out rather than in the saving worker (a thread doing Python work
            # holds the paint up for the GIL). A timer, not call_after_refresh: that can run
            # before the card's widgets have asked the screen for their paint (measured on the
            # review screen: the count ran first and the card took twice as long to paint).
            self.set_timer(COUNT_AFTER, partial(self._count, self.cards_shown))

    # -- undo ----------------------------------------------------------------------------

    def action_undo(self) -> None:
        if not self.rated:
            self.notify(self.t("study.nothing_to_undo"), timeout=2)
            return
        if self.phase not in ("asking", "result", "done"):
            return
        self.phase = "saving"
        self._undo()

    @work(thread=True, exclusive=True, exit_on_error=False, group="study")
    def _undo(self) -> None:
        tutor = self.tutor
        card = tutor.undo()
        done = tuple(self.rated[:-1])
        remaining = next_card(tutor, self.plan, done).remaining
        self.post_message(self.Undone(card, remaining))

    def on_study_screen_undone(self, message: Undone) -> None:
        if self.rated:
            self.rated.pop()
        self.last = self.t("study.undone")
        if message.card is None:
            self._fetch()
            return
        # The undone card comes back first; it counts among the remaining cards again.
        self._present(Next(message.card, max(1, message.remaining)))

    # -- language --------------------------------------------------------------------------

    def action_toggle_language(self) -> None:
        self.content_language = "en" if self.content_language == "ja" else "ja"
        if self.card is not None:
            self.language_toggled(self.card)

    def language_toggled(self, card: CardView) -> None:
        """Subclasses: redraw the card's texts in ``self.content_language``."""

    def worker_failed(self, worker) -> None:
        # Let the learner try again rather than leaving the screen stuck on "Saving…".
        if self.phase in ("saving", "scoring"):
            self.phase = "result" if self.suggested is not None or self.MODE == "flip" else "asking"
        elif self.phase == "loading":
            self._show_done()
