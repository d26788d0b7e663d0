"""The cxotutor Textual app. ``make_app`` builds it for the CLI and the tests alike.

First paint is cheap on purpose: the home screen's skeleton is composed at
once, and the database is opened (and bundled content synced) in a thread
worker that starts only after that first refresh. Every other screen module
is imported when it is first opened.
"""

from __future__ import annotations

from datetime import datetime, timezone
from pathlib import Path
from typing import TYPE_CHECKING, Callable

from textual import work
from textual.app import App
from textual.binding import Binding
from textual.reactive import reactive

from cxotutor.tui import i18n
from cxotutor.tui.messages import TutorFailed, TutorReady
from cxotutor.tui.screens.home import HomeScreen

if TYPE_CHECKING:
    from cxotutor.models import Selection
    from cxotutor.tui.screens.study import SessionPlan
    from cxotutor.tutor import Tutor

Clock = Callable[[], datetime]


def _utc_now() -> datetime:
    return datetime.now(timezone.utc)


def _main_commands():
    """The palette provider, imported when the palette first opens (textual.command is not cheap)."""
    from cxotutor.tui.commands import MainCommands

    return MainCommands


class TutorApp(App[None]):
    """cxotutor: practise for CIO, CTO, CAIO and CISO interviews."""

    # Absolute: Textual resolves a relative CSS_PATH against the module of a subclass.
    # home.tcss is read here too: a screen's own CSS_PATH makes Textual parse every
    # stylesheet again when the screen first shows, which would delay the first paint.
    CSS_PATH = [Path(__file__).with_name("app.tcss"), Path(__file__).parent / "screens" / "home.tcss"]
    TITLE = "cxotutor"
    # A mode, not get_default_screen(): Textual loads a screen's CSS_PATH only for modes and pushes.
    MODES = {"home": HomeScreen}
    DEFAULT_MODE = "home"
    COMMANDS = App.COMMANDS | {_main_commands}
    HORIZONTAL_BREAKPOINTS = [(0, "-narrow"), (100, "-wide")]
    VERTICAL_BREAKPOINTS = [(0, "-short"), (32, "-tall")]
    BINDINGS = [
        Binding("question_mark", "help", "Help", id="app.help", key_display="?", tooltip="Every key on every screen"),
    ]

    ui_language: reactive[str] = reactive("en", init=False)

    def __init__(self, tutor_factory: Callable[[], Tutor], clock: Clock | None = None) -> None:
        super().__init__()
        self._tutor_factory = tutor_factory
        self.clock: Clock = clock or _utc_now
        self.tutor: Tutor | None = None
        self.load_error: BaseException | None = None
        self.roles: list[str] = []
        self.set_reactive(TutorApp.ui_language, i18n.guess_language())

    def t(self, key: str, /, **values: object) -> str:
        return i18n.t(key, self.ui_language, **values)

    def on_ready(self) -> None:
        # After the first frame is on the terminal: the import of SQLAlchemy and the content
        # sync in this thread would otherwise compete with painting it.
        self.open_tutor()

    def on_unmount(self) -> None:
        if self.tutor is not None:
            self.tutor.close()

    # -- opening the database --------------------------------------------------------

    @work(thread=True, exclusive=True, exit_on_error=False, group="open")
    def open_tutor(self) -> None:
        try:
            tutor = self._tutor_factory()
        except Exception as error:  # shown on screen, and raised again by run()
            self.post_message(TutorFailed(error))
            return
        self.post_message(TutorReady(tutor))

    async def on_tutor_ready(self, message: TutorReady) -> None:
        self.tutor = message.tutor
        settings = self.tutor.settings
        await self.set_language(settings.ui_language)
        home = self._home()
        if home is not None:
            home.load()
        if not settings.welcomed:
            from cxotutor.tui.screens.welcome import WelcomeScreen

            self.push_screen(WelcomeScreen(), self._welcomed)

    def on_tutor_failed(self, message: TutorFailed) -> None:
        self.load_error = message.error
        home = self._home()
        if home is not None:
            home.show_error(message.error)

    def _welcomed(self, _result: object) -> None:
        self.save_settings(welcomed=True)

    @work(thread=True, exclusive=True, exit_on_error=False, group="settings")
    def save_settings(self, **changes: object) -> None:
        if self.tutor is not None:
            self.tutor.update_settings(**changes)

    def _home(self) -> HomeScreen | None:
        for screen in self.screen_stack:
            if isinstance(screen, HomeScreen):
                return screen
        return None

    async def set_language(self, language: str) -> None:
        """Switch the UI language; the active screen is rebuilt now, covered ones when they return."""
        if language not in i18n.LANGUAGES or language == self.ui_language:
            return
        self.ui_language = language
        from cxotutor.tui.screens.base import TutorScreen

        if isinstance(self.screen, TutorScreen):
            await self.screen.ensure_language()

    # -- where the actions go (home keys, the command palette, other screens) ---------

    def ready(self) -> bool:
        if self.tutor is None:
            self.notify(self.t("app.not_ready"), timeout=3)
            return False
        return True

    def start_review(self, plan: SessionPlan | None = None) -> None:
        if self.ready():
            from cxotutor.tui.screens.review import ReviewScreen
            from cxotutor.tui.screens.study import SessionPlan

            self.push_screen(ReviewScreen(plan or SessionPlan()))

    def start_flip(self, plan: SessionPlan | None = None) -> None:
        if self.ready():
            from cxotutor.tui.screens.flip import FlipScreen
            from cxotutor.tui.screens.study import SessionPlan

            self.push_screen(FlipScreen(plan or SessionPlan()))

    def review_selection(self, selection: Selection, label: str = "") -> None:
        from cxotutor.tui.screens.study import SessionPlan

        self.start_review(SessionPlan(selection=selection, label=label))

    def start_interview(self) -> None:
        if self.ready():
            from cxotutor.tui.screens.interview import InterviewScreen, InterviewSetupScreen

            def begin(plan) -> None:
                if plan is not None:
                    self.push_screen(InterviewScreen(plan))

            self.push_screen(InterviewSetupScreen(), begin)

    def open_paths(self) -> None:
        if self.ready():
            from cxotutor.tui.screens.paths import PathsScreen

            self.push_screen(PathsScreen())

    def open_stats(self) -> None:
        if self.ready():
            from cxotutor.tui.screens.stats import StatsScreen

            self.push_screen(StatsScreen())

    def open_browse(self) -> None:
        if self.ready():
            from cxotutor.tui.screens.browse import BrowseScreen

            self.push_screen(BrowseScreen())

    def open_settings(self) -> None:
        if self.ready():
            from cxotutor.tui.screens.settings import SettingsScreen

            self.push_screen(SettingsScreen())

    def go_home(self) -> None:
        while len(self.screen_stack) > 1 and not isinstance(self.screen, HomeScreen):
            self.pop_screen()

    async def toggle_language(self) -> None:
        language = "ja" if self.ui_language == "en" else "en"
        await self.set_language(language)
        self.save_settings(ui_language=language)

    def action_help(self) -> None:
        from cxotutor.tui.screens.help import HelpScreen

        if not isinstance(self.screen, HelpScreen):
            self.push_screen(HelpScreen())


def make_app(tutor_factory: Callable[[], Tutor], clock: Clock | None = None) -> TutorApp:
    """Build the app. ``tutor_factory`` opens the database; it runs in a worker thread."""
    return TutorApp(tutor_factory, clock)


def run(db: str | None, learner: str | None) -> None:
    """Open the tutor on ``db`` (default: the data folder) as ``learner`` and run until quit."""

    def open_tutor() -> Tutor:
        from cxotutor.tutor import Tutor

        return Tutor.open(db=db, learner=learner)

    app = make_app(open_tutor)
    app.run()
    if app.load_error is not None:
        raise app.load_error
