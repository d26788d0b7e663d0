"""What every cxotutor screen shares: the UI language, the tutor, worker errors, going back."""

from __future__ import annotations

from dataclasses import replace
from typing import TYPE_CHECKING, Generic, TypeVar

from textual import on
from textual.binding import ActiveBinding, Binding
from textual.screen import ModalScreen, Screen
from textual.worker import Worker, WorkerState

from cxotutor.tui import i18n

if TYPE_CHECKING:
    from cxotutor.tui.app import TutorApp
    from cxotutor.tutor import Tutor


def steady_cursors(screen: Screen) -> None:
    """Headless (tests, screenshots): no blinking cursors, so two runs render the same picture."""
    if screen.app.is_headless:
        for widget in screen.query("Input, TextArea"):
            widget.cursor_blink = False  # type: ignore[attr-defined]


class Localized:
    """Mixin for screens: ``t()`` in the UI language, footer descriptions translated by binding id."""

    @property
    def tapp(self) -> TutorApp:
        return self.app  # type: ignore[attr-defined,return-value]

    @property
    def lang(self) -> str:
        return getattr(self.app, "ui_language", "en")  # type: ignore[attr-defined]

    def t(self, key: str, /, **values: object) -> str:
        return i18n.t(key, self.lang, **values)

    @property
    def tutor(self) -> Tutor:
        tutor = self.tapp.tutor
        if tutor is None:
            raise RuntimeError("the tutor is not open yet")
        return tutor

    @property
    def active_bindings(self) -> dict[str, ActiveBinding]:
        bindings = super().active_bindings  # type: ignore[misc]
        lang = self.lang
        translated = {}
        for key, active in bindings.items():
            binding = active.binding
            if binding.id and i18n.has(f"bind.{binding.id}"):
                binding = replace(binding, description=i18n.t(f"bind.{binding.id}", lang))
            translated[key] = active._replace(binding=binding)
        return translated

    @on(Worker.StateChanged)
    def _worker_failed(self, event: Worker.StateChanged) -> None:
        """One place that turns a failed worker into a message the learner can read."""
        event.stop()
        if event.state == WorkerState.ERROR and event.worker.error is not None:
            error = event.worker.error
            self.log.error(error)
            message = error.args[0] if isinstance(error, KeyError) and error.args else str(error) or type(error).__name__
            self.notify(self.t("error.worker", error=message), severity="error", markup=False, timeout=8)  # type: ignore[attr-defined]
            self.worker_failed(event.worker)

    def worker_failed(self, worker: Worker) -> None:
        """Hook: put the screen back in a usable state after a failed worker."""


class TutorScreen(Localized, Screen):
    """A full screen. ``escape`` goes back; subclasses fetch data in thread workers."""

    BINDINGS = [Binding("escape", "back", "Back", id="back")]

    def __init__(self, name: str | None = None, id: str | None = None, classes: str | None = None) -> None:
        super().__init__(name=name, id=id, classes=classes)
        self._composed_language = ""

    def on_mount(self) -> None:
        self._composed_language = self.lang
        steady_cursors(self)

    async def ensure_language(self) -> bool:
        """Rebuild the screen if the UI language changed since it was composed."""
        if not self._composed_language or self._composed_language == self.lang:
            return False
        self._composed_language = self.lang
        await self.recompose()
        # The focused widget was replaced: focus its new counterpart, or the key bindings
        # would be looked up from a widget no longer on the screen.
        self.set_focus(None)
        if self.AUTO_FOCUS:
            target = next(iter(self.query(self.AUTO_FOCUS)), None)
            if target is not None and target.focusable:
                self.set_focus(target)
        steady_cursors(self)
        self.refresh_bindings()
        self.language_changed()
        return True

    async def on_screen_resume(self) -> None:
        changed = await self.ensure_language()
        self.resumed(changed)

    def language_changed(self) -> None:
        """Hook: after a rebuild in another language (reload data, restore focus)."""

    def resumed(self, language_changed: bool) -> None:
        """Hook: the screen is active again."""

    def action_back(self) -> None:
        if len(self.app.screen_stack) > 1:
            self.dismiss()


ResultType = TypeVar("ResultType")


class TutorModal(Localized, ModalScreen[ResultType], Generic[ResultType]):
    """A dialog that dismisses with a value (``ModalScreen[T]``)."""

    def on_mount(self) -> None:
        steady_cursors(self)

    BINDINGS = [Binding("escape", "cancel", "Cancel", id="modal.cancel")]

    def action_cancel(self) -> None:
        self.dismiss(None)
