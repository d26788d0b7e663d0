"""Home: what is due per deck, today's figures and streak, the 16-week heatmap, path progress."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from textual import work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.content import Content
from textual.message import Message
from textual.widgets import Static

from cxotutor import startup
from cxotutor.tui.screens.base import TutorScreen
from cxotutor.tui.text import literal, plain
from cxotutor.tui.widgets.topbar import TopBar
from cxotutor.tui.widgets.footer import QuietFooter

if TYPE_CHECKING:
    from cxotutor.learning import PathSummary
    from cxotutor.models import DeckSummary, Today
    from cxotutor.progress import Heatmap

# (key, long label for wide screens, short label for two columns on narrow ones)
ACTIONS = (
    ("r", "home.action.review", "bind.home.review"),
    ("f", "home.action.flip", "bind.home.flip"),
    ("m", "home.action.mock", "bind.home.mock"),
    ("p", "home.action.paths", "bind.home.paths"),
    ("s", "home.action.stats", "bind.home.stats"),
    ("b", "home.action.browse", "bind.home.browse"),
    (",", "home.action.settings", "bind.home.settings"),
    ("?", "home.action.help", "bind.app.help"),
)
COLUMNS = (
    ("role", "home.col.role"),
    ("deck", "home.col.deck"),
    ("due", "home.col.due"),
    ("new", "home.col.new"),
    ("learned", "home.col.learned"),
)


@dataclass(frozen=True)
class HomeData:
    decks: list[DeckSummary]
    today: Today
    heatmap: Heatmap
    paths: list[PathSummary]
    learner: str


class HomeScreen(TutorScreen):
    CSS_PATH = "home.tcss"
    AUTO_FOCUS = "#decks"
    BINDINGS = [
        Binding("r", "review", "Review", id="home.review", tooltip="Review everything due"),
        Binding("f", "flip", "Flip", id="home.flip", tooltip="Flip cards without typing"),
        Binding("m", "mock", "Mock", id="home.mock", tooltip="A timed mock interview"),
        Binding("p", "paths", "Paths", id="home.paths", tooltip="Learning paths"),
        Binding("s", "stats", "Stats", id="home.stats", tooltip="Statistics"),
        Binding("b", "browse", "Browse", id="home.browse", tooltip="Browse and search cards"),
        Binding("comma", "settings", "Settings", id="home.settings", key_display=",", tooltip="Settings"),
        Binding("q", "app.quit", "Quit", id="home.quit", tooltip="Quit cxotutor"),
        Binding("escape", "back", "Back", id="back", show=False),
    ]

    @dataclass
    class Loaded(Message):
        data: HomeData

    def __init__(self) -> None:
        super().__init__(id="home")
        self.data: HomeData | None = None
        self._generation = 0  # bumped by each compose, so a stale _complete() stops

    def compose(self) -> ComposeResult:
        # The first paint is only this line and a note, so the terminal shows cxotutor at
        # once; the panels are mounted, already filled, when the worker's figures arrive
        # (load, _complete).
        self._generation += 1
        yield TopBar(self._title(), id="topbar")
        error = Static(id="home-error")
        error.border_title = self.t("app.failed")
        yield error
        yield Static(self.t("app.loading"), id="home-splash", markup=False)

    def on_mount(self) -> None:
        if self.tapp.load_error is not None:
            self.show_error(self.tapp.load_error)
        elif self.tapp.tutor is not None:
            self.load()

    def _body(self) -> Horizontal:
        from textual.widgets import DataTable

        from cxotutor.tui.widgets.bars import ProgressList
        from cxotutor.tui.widgets.heatmap import HeatmapView

        decks = DataTable(id="decks", cursor_type="row", show_cursor=True, zebra_stripes=False)
        decks.border_title = self.t("home.decks")
        decks.border_subtitle = self.t("home.enter_deck")
        paths = ProgressList(id="home-paths")
        paths.border_title = self.t("home.paths")
        paths.empty = Content(self.t("app.loading"))
        today = Static(self.t("app.loading"), id="home-today", markup=False)
        today.border_title = self.t("home.today")
        heatmap = HeatmapView(self.lang, id="home-heatmap")
        heatmap.border_title = self.t("home.heatmap")
        actions = Static(self._actions(), id="home-actions")
        actions.border_title = self.t("home.start")
        return Horizontal(
            Vertical(decks, paths, id="home-left"),
            Vertical(today, heatmap, actions, id="home-right"),
            id="home-body",
        )

    async def _complete(self) -> None:
        """Replace the splash with the panels, already filled, in one screen update."""
        generation = self._generation
        if self.query("#home-body") or not self.query("#home-splash"):
            return
        with self.app.batch_update():  # one layout and one render, not one per step
            await self.mount(self._body(), before="#home-splash")
            if generation != self._generation:
                return
            await self.query_one("#home-splash").remove()
            await self.mount(QuietFooter())
            if generation != self._generation:
                return
            self._fit_width()
            if self.data is not None:
                self._show(self.data)
            self.query_one("#decks").focus()  # the only focusable widget on home

    def _title(self, learner: str = "") -> Content:
        left = Content.styled("cxotutor", "bold $text-accent")
        if learner:
            left = Content.assemble(left, ("  " + self.t("home.learner", name=literal(learner)), "$text-muted"))
        return left

    def _actions(self) -> Content:
        if self.size.width >= 100:
            lines = [Content.assemble((f" {key} ", "bold $text-accent"), " ", self.t(long)) for key, long, _ in ACTIONS]
            return Content("\n").join(lines)
        cells = [Content.assemble((f" {key} ", "bold $text-accent"), " ", self.t(short)) for key, _, short in ACTIONS]
        half = (len(cells) + 1) // 2
        lines = [
            Content.assemble(cells[n].truncate(18, pad=True), cells[n + half] if n + half < len(cells) else "")
            for n in range(half)
        ]
        return Content("\n").join(lines)

    # -- data -------------------------------------------------------------------------

    def load(self) -> None:
        """Fetch the figures in a worker. At start-up the panels are mounted when they arrive
        (``_complete``); when rebuilt (a new language) they show the figures known until then."""
        if self.tapp.tutor is not None:
            if self.data is not None and not self.query("#home-body"):
                self.call_later(self._complete)
            self._load()

    @work(thread=True, exclusive=True, exit_on_error=False, group="home")
    def _load(self) -> None:
        from cxotutor import learning, progress

        tutor = self.tutor
        overview = tutor.overview()  # decks and today's figures in one pass
        data = HomeData(
            decks=overview.decks,
            today=overview.today,
            heatmap=progress.heatmap(tutor),
            paths=learning.list_paths(tutor),
            learner=tutor.settings.learner_name or tutor.learner_name,
        )
        self.post_message(self.Loaded(data))

    async def on_home_screen_loaded(self, message: Loaded) -> None:
        self.data = message.data
        self.tapp.roles = sorted({deck.role for deck in message.data.decks})
        if self.query("#home-body"):
            self._show(message.data)
        else:
            await self._complete()
            self.call_after_refresh(startup.resume_collector)

    def resumed(self, language_changed: bool) -> None:
        self.load()

    def language_changed(self) -> None:
        self.load()

    def on_resize(self) -> None:
        if not self.query("#home-actions"):
            return
        self._fit_width()
        if self.data is not None:
            self._fill_decks(self.data.decks)

    def _fit_width(self) -> None:
        self.query_one("#home-actions", Static).update(self._actions())
        # At 80 columns the keys need the whole footer; ctrl+p is listed under "?".
        for footer in self.query("Footer"):
            footer.show_command_palette = self.size.width >= 100

    def _show(self, data: HomeData) -> None:
        if not self.query("#home-body") or not self.query("#topbar"):
            return  # not mounted yet, or being rebuilt: _complete() shows self.data when it is
        self.query_one("#topbar", TopBar).left = self._title(data.learner)
        self.query_one("#topbar", TopBar).right = Content.styled(data.today.study_day, "$text-muted")
        self._fill_decks(data.decks)
        today = data.today
        streak = self.t("home.streak", n=today.streak) if today.streak else self.t("home.streak.none")
        self.query_one("#home-today", Static).update(
            Content("\n").join(
                [
                    Content.assemble((self.t("home.reviews_today", n=today.reviews), "bold")),
                    Content.styled(streak, "$text-warning" if today.streak else "$text-muted"),
                    Content(self.t("home.due_new", due=today.due, new=today.new_available)),
                ]
            )
        )
        from cxotutor.tui.widgets.bars import BarItem

        self.query_one("#home-heatmap").data = data.heatmap
        paths = self.query_one("#home-paths")
        paths.empty = Content(self.t("home.no_paths"))
        paths.items = [
            BarItem(plain(summary.title(self.lang)), summary.percent / 100, f"{summary.percent}%") for summary in data.paths
        ]

    def _fill_decks(self, decks: list[DeckSummary]) -> None:
        from rich.text import Text

        if not self.query("#decks"):
            return
        table = self.query_one("#decks")
        cursor = table.cursor_row
        table.clear(columns=True)
        # Fixed widths, so the numbers always fit and the title takes what is left (full-width aware).
        # Narrow screens drop the role column: deck titles name their role anyway.
        wide = self.size.width >= 100
        numbers = {key: max(3, Content(self.t(label)).cell_length) for key, label in COLUMNS[2:]}
        role_width = max([Content(self.t("home.col.role")).cell_length] + [len(self.t(f"role.{d.role}")) for d in decks])
        # From the screen's width, not the table's current region: that one depends on
        # whether a layout has run yet, and the columns must come out the same every time.
        right = 46 if wide else 40  # the right column's width (home.tcss)
        available = max(24, self.size.width - right - 2 - 2 - 1)  # border, padding, scrollbar
        fixed = sum(numbers.values()) + 2 * (len(COLUMNS) - (0 if wide else 1)) + (role_width if wide else 0) + 1
        title_width = max(8, min(40, available - fixed))
        if wide:
            table.add_column(self.t("home.col.role"), key="role", width=role_width)
        table.add_column(self.t("home.col.deck"), key="deck", width=title_width)
        for key, label in COLUMNS[2:]:
            table.add_column(self.t(label), key=key, width=numbers[key])
        for deck in decks:
            title = Text(literal(deck.title(self.lang)), style="bold" if deck.due else "")
            title.truncate(title_width, overflow="ellipsis")
            cells = [
                title,
                Text(str(deck.due), style="bold" if deck.due else "dim", justify="right"),
                Text(str(deck.new), justify="right"),
                Text(str(deck.learned), justify="right"),
            ]
            if wide:
                cells.insert(0, Text(self.t(f"role.{deck.role}"), style="bold"))
            table.add_row(*cells, key=deck.id)
        if not decks:
            note = self.t("home.no_decks") if self.data is not None else self.t("app.loading")
            cells = [Text(note, style="dim"), Text(""), Text(""), Text("")]
            table.add_row(*([Text("")] if wide else []), *cells)
        if decks and 0 <= cursor < len(decks):
            table.move_cursor(row=cursor, animate=False)

    def show_error(self, error: BaseException) -> None:
        startup.resume_collector()
        message = error.args[0] if isinstance(error, KeyError) and error.args else str(error) or type(error).__name__
        panel = self.query_one("#home-error", Static)
        panel.update(Content.assemble(plain(message, "bold"), "\n\n", (self.t("app.failed.hint"), "$text-muted")))
        self.add_class("-failed")

    # -- actions ----------------------------------------------------------------------

    def on_data_table_row_selected(self, event) -> None:
        if event.data_table.id != "decks":
            return
        if self.data is None or event.row_key.value is None:
            return
        from cxotutor.models import Selection
        from cxotutor.tui.screens.study import SessionPlan

        deck = next((d for d in self.data.decks if d.id == event.row_key.value), None)
        if deck is not None:
            self.tapp.start_review(SessionPlan(selection=Selection(decks=(deck.id,)), label=deck.title(self.lang)))

    def action_review(self) -> None:
        self.tapp.start_review()

    def action_flip(self) -> None:
        self.tapp.start_flip()

    def action_mock(self) -> None:
        self.tapp.start_interview()

    def action_paths(self) -> None:
        self.tapp.open_paths()

    def action_stats(self) -> None:
        self.tapp.open_stats()

    def action_browse(self) -> None:
        self.tapp.open_browse()

    def action_settings(self) -> None:
        self.tapp.open_settings()

    def action_back(self) -> None:
        """Home is the bottom of the stack: escape stays here (q quits)."""
