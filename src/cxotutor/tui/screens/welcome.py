"""First run: what the tutor is, and the few keys that matter. Dismissing it saves ``welcomed``."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.content import Content
from textual.widgets import Static

from cxotutor.tui.screens.base import TutorModal

KEYS = (
    ("r", "welcome.key.r"),
    ("f", "welcome.key.f"),
    ("m", "welcome.key.m"),
    ("p", "welcome.key.p"),
    ("1-4", "welcome.key.rate"),
    ("?", "welcome.key.help"),
    ("ctrl+p", "welcome.key.palette"),
)


class WelcomeScreen(TutorModal[bool]):
    CSS_PATH = "welcome.tcss"
    BINDINGS = [
        Binding("enter", "start", "Start", id="modal.start"),
        Binding("escape", "start", "Close", id="modal.close"),
    ]

    def compose(self) -> ComposeResult:
        with Vertical(id="welcome", classes="dialog") as box:
            box.border_title = self.t("welcome.title")
            yield Static(self.t("welcome.body"), id="welcome-body", markup=False)
            yield Static(Content.styled(self.t("welcome.keys"), "bold $text-accent"), classes="section-title")
            for key, text in KEYS:
                with Horizontal(classes="welcome-key"):
                    yield Static(Content.styled(key, "bold $text-accent"), classes="key")
                    yield Static(self.t(text), classes="what", markup=False)
            yield Static(Content.styled(self.t("welcome.start"), "bold"), id="welcome-start")

    def action_start(self) -> None:
        self.dismiss(True)
