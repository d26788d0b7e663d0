"""Statistics: heatmap, reviews per day, true retention, 30-day forecast, mastery, weakest key points."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import TYPE_CHECKING

from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.content import Content
from textual.message import Message
from textual.widgets import OptionList, Static
from textual.widgets.option_list import Option

from cxotutor.tui.screens.base import TutorScreen
from cxotutor.tui.text import plain
from cxotutor.tui.widgets.bars import BarItem, ProgressList
from cxotutor.tui.widgets.charts import BarChart
from cxotutor.tui.widgets.heatmap import HeatmapView
from cxotutor.tui.widgets.topbar import TopBar
from cxotutor.tui.widgets.footer import QuietFooter

if TYPE_CHECKING:
    from cxotutor.progress import DeckMastery, Heatmap, Retention, WeakPoint


@dataclass(frozen=True)
class StatsData:
    heatmap: Heatmap
    per_day: list[tuple[date, int]]
    forecast: list[tuple[date, int]]
    recent: Retention
    all_time: Retention
    target: float
    mastery: list[DeckMastery]
    weak: list[WeakPoint]


def percent(value: float | None) -> str:
    return "–" if value is None else f"{value * 100:.0f}%"


class StatsScreen(TutorScreen):
    CSS_PATH = "stats.tcss"
    AUTO_FOCUS = "#weak"
    BINDINGS = [
        Binding("d", "drill", "Drill weak", id="stats.drill", tooltip="Drill the cards with the weakest key points"),
    ]

    @dataclass
    class Loaded(Message):
        data: StatsData

    def __init__(self) -> None:
        super().__init__()
        self.data: StatsData | None = None

    def compose(self) -> ComposeResult:
        yield TopBar(Content.styled(self.t("stats.title"), "bold $text-accent"), id="topbar")
        with VerticalScroll(id="stats"):
            with Horizontal(id="stats-top"):
                with Vertical(id="heat-box", classes="box") as box:
                    box.border_title = self.t("stats.heatmap")
                    yield HeatmapView(self.lang, id="heatmap")
                with Vertical(id="retention-box", classes="box") as box:
                    box.border_title = self.t("stats.retention")
                    yield Static(self.t("stats.loading"), id="retention", markup=False)
            with Horizontal(id="stats-charts"):
                with Vertical(classes="box chart") as box:
                    box.border_title = self.t("stats.per_day")
                    yield BarChart(height=4, style="$text-success", id="per-day")
                    yield Static(id="per-day-total", classes="muted")
                with Vertical(classes="box chart") as box:
                    box.border_title = self.t("stats.forecast")
                    yield BarChart(height=4, style="$text-accent", id="forecast")
                    yield Static(id="forecast-total", classes="muted")
            with Vertical(classes="box") as box:
                box.border_title = self.t("stats.mastery")
                yield ProgressList(id="mastery")
            with Vertical(classes="box") as box:
                box.border_title = self.t("stats.weak")
                yield OptionList(id="weak")
                yield Static(self.t("stats.weak.hint"), classes="hint", markup=False)
        yield QuietFooter()

    def on_mount(self) -> None:
        self._load()

    def resumed(self, language_changed: bool) -> None:
        self._load()

    @work(thread=True, exclusive=True, exit_on_error=False, group="stats")
    def _load(self) -> None:
        from cxotutor import progress

        tutor = self.tutor
        data = StatsData(
            heatmap=progress.heatmap(tutor),
            per_day=progress.reviews_per_day(tutor, 30),
            forecast=progress.forecast(tutor, 30),
            recent=progress.true_retention(tutor, 30),
            all_time=progress.true_retention(tutor, None),
            target=tutor.settings.desired_retention,
            mastery=progress.mastery(tutor),
            weak=progress.weakest_points(tutor, 10),
        )
        self.post_message(self.Loaded(data))

    def on_stats_screen_loaded(self, message: Loaded) -> None:
        self.data = data = message.data
        lang = self.lang
        self.query_one("#heatmap", HeatmapView).data = data.heatmap
        if data.recent.total or data.all_time.total:
            line = self.t(
                "stats.retention.line", recent=percent(data.recent.rate), passed=data.recent.passed,
                total=data.recent.total, all=percent(data.all_time.rate),
            )
            rate = data.recent.rate if data.recent.total else data.all_time.rate
            style = "bold $text-success" if rate is not None and rate >= data.target else "bold $text-warning"
            retention = Content.assemble((percent(rate), style), "\n", line)
        else:
            retention = Content.styled(self.t("stats.retention.none"), "$text-muted")
        about = self.t("stats.retention.about", target=percent(data.target))
        self.query_one("#retention", Static).update(Content.assemble(retention, "\n\n", (about, "$text-muted")))
        for chart, total, series in (("#per-day", "#per-day-total", data.per_day), ("#forecast", "#forecast-total", data.forecast)):
            self.query_one(chart, BarChart).series = series
            counts = [n for _d, n in series]
            self.query_one(total, Static).update(self.t("stats.chart.total", n=sum(counts), max=max(counts, default=0)))
        mastery = self.query_one("#mastery", ProgressList)
        mastery.items = [
            BarItem(
                plain(deck.title(lang), "bold"),
                deck.percent / 100,
                f"{deck.percent}%",
                Content(
                    "  " + self.t(
                        "stats.mastery.line", learned=deck.learned, cards=deck.cards, mature=deck.mature,
                        score="–" if deck.mean_score is None else deck.mean_score,
                    )
                ),
            )
            for deck in data.mastery
        ]
        weak = self.query_one("#weak", OptionList)
        weak.clear_options()
        lang = self.tutor.settings.content_language  # key points and questions are card text
        for n, point in enumerate(data.weak):
            counts = self.t("stats.weak.line", misses=point.misses, partials=point.partials, attempts=point.attempts)
            prompt = Content.assemble(
                ("✗ ", "bold $text-error"), plain(point.label(lang), "bold"), ("  " + counts, "$text-muted"), "\n",
                ("  ", ""), plain(point.question(lang), "$text-muted"),
            )
            weak.add_option(Option(prompt, id=str(n)))
        if not data.weak:
            weak.add_option(Option(Content.styled(self.t("stats.weak.none"), "$text-muted"), disabled=True))
        self.refresh_bindings()  # "d drill" depends on the data just loaded

    def language_changed(self) -> None:
        self._load()

    @on(OptionList.OptionSelected, "#weak")
    def _drill_one(self, event: OptionList.OptionSelected) -> None:
        if self.data is None or event.option.id is None:
            return
        point = self.data.weak[int(event.option.id)]
        self._drill((point.card_id,), point.label(self.tutor.settings.content_language))

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "drill":
            return bool(self.data and self.data.weak)
        return True

    def action_drill(self) -> None:
        if self.data and self.data.weak:
            ids = tuple(dict.fromkeys(point.card_id for point in self.data.weak))
            self._drill(ids, self.t("stats.drill_label"))

    def _drill(self, card_ids: tuple[int, ...], label: str) -> None:
        from cxotutor.tui.screens.study import SessionPlan

        self.tapp.start_review(SessionPlan(card_ids=card_ids, label=label))
