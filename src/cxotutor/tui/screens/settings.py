"""Settings: languages, desired retention, daily limits, day start hour, name. Saved with Tutor.update_settings."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from textual import work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Center, Horizontal, VerticalScroll
from textual.content import Content
from textual.message import Message
from textual.widgets import Button, Input, Label, Select, Static

from cxotutor.tui.screens.base import TutorScreen
from cxotutor.tui.widgets.topbar import TopBar
from cxotutor.tui.widgets.footer import QuietFooter

if TYPE_CHECKING:
    from cxotutor.settings import Settings

NUMBERS = {
    "desired_retention": float,
    "new_per_day": int,
    "max_reviews_per_day": int,
    "day_start_hour": int,
}


class SettingsScreen(TutorScreen):
    CSS_PATH = "settings.tcss"
    AUTO_FOCUS = "#ui_language"
    BINDINGS = [Binding("ctrl+s", "save", "Save", id="settings.save", tooltip="Save settings")]

    @dataclass
    class Saved(Message):
        settings: Settings

    def compose(self) -> ComposeResult:
        settings = self.tutor.settings
        languages = [(self.t("lang.en") + " (English)", "en"), (self.t("lang.ja") + " (日本語)", "ja")]
        yield TopBar(Content.styled(self.t("settings.title"), "bold $text-accent"), id="topbar")
        with Center(), VerticalScroll(id="settings-form") as form:
            form.border_title = self.t("settings.title")
            with Horizontal(classes="field"):
                yield Label(self.t("settings.ui_language"), classes="field-label")
                yield Select(languages, value=settings.ui_language, allow_blank=False, id="ui_language", compact=True)
            with Horizontal(classes="field"):
                yield Label(self.t("settings.content_language"), classes="field-label")
                yield Select(languages, value=settings.content_language, allow_blank=False, id="content_language", compact=True)
            for name, kind in NUMBERS.items():
                value = f"{getattr(settings, name):.2f}" if kind is float else str(getattr(settings, name))
                with Horizontal(classes="field"):
                    yield Label(self.t(f"settings.{name}"), classes="field-label")
                    yield Input(value, type="number" if kind is float else "integer", id=name, compact=True)
            with Horizontal(classes="field"):
                yield Label(self.t("settings.learner_name"), classes="field-label")
                yield Input(settings.learner_name, id="learner_name", compact=True, max_length=100)
            yield Static(self.t("settings.hint"), classes="hint", markup=False)
            with Horizontal(id="settings-buttons"):
                yield Button(self.t("bind.settings.save") + " (ctrl+s)", id="save", variant="primary")
        yield QuietFooter()

    def changes(self) -> dict | None:
        """The edited values that differ from the saved ones, or None (after a message) if one is invalid."""
        settings = self.tutor.settings
        values: dict = {
            "ui_language": self.query_one("#ui_language", Select).value,
            "content_language": self.query_one("#content_language", Select).value,
            "learner_name": self.query_one("#learner_name", Input).value.strip(),
        }
        for name, kind in NUMBERS.items():
            raw = self.query_one(f"#{name}", Input).value.strip()
            try:
                values[name] = kind(raw)
            except ValueError:
                self._invalid(name, self.t("settings.not_number"))
                return None
        return {key: value for key, value in values.items() if getattr(settings, key) != value}

    def _invalid(self, field: str, error: str) -> None:
        self.notify(self.t("settings.invalid", field=self.t(f"settings.{field}"), error=error), severity="error", markup=False)
        self.query_one(f"#{field}").focus()

    def action_save(self) -> None:
        changes = self.changes()
        if changes is None:
            return
        if not changes:
            self.dismiss()
            return
        settings = self.tutor.settings
        for name, value in changes.items():  # one at a time, so the message points at the right field
            try:
                settings.with_changes(**{name: value})
            except ValueError as error:
                self._invalid(name, str(error))
                return
        self._save(changes)

    @work(thread=True, exclusive=True, exit_on_error=False, group="save")
    def _save(self, changes: dict) -> None:
        self.post_message(self.Saved(self.tutor.update_settings(**changes)))

    async def on_settings_screen_saved(self, message: Saved) -> None:
        self.dismiss()
        await self.tapp.set_language(message.settings.ui_language)
        self.notify(self.tapp.t("settings.saved"), timeout=2)

    def on_button_pressed(self, event: Button.Pressed) -> None:
        if event.button.id == "save":
            self.action_save()
