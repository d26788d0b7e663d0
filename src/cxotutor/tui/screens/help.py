"""The ``?`` screen: every key on every screen, in the UI language."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, VerticalScroll
from textual.content import Content
from textual.widgets import Static

from cxotutor.tui.keymap import SECTIONS
from cxotutor.tui.screens.base import TutorModal
from cxotutor.tui.widgets.footer import QuietFooter


class HelpScreen(TutorModal[None]):
    CSS_PATH = "help.tcss"
    BINDINGS = [
        Binding("escape", "cancel", "Close", id="modal.close"),
        Binding("question_mark", "cancel", "Close", show=False, id="modal.close_help"),
    ]

    def compose(self) -> ComposeResult:
        with VerticalScroll(id="help-body", classes="dialog") as body:
            body.border_title = self.t("help.title")
            body.can_focus = True
            yield Static(Content.styled(self.t("help.typing"), "$text-warning"), classes="hint")
            for section, entries in SECTIONS:
                yield Static(Content.styled(self.t(f"help.section.{section}"), "bold $text-accent"), classes="help-section")
                for keys, description in entries:
                    with Horizontal(classes="help-row"):
                        yield Static(Content.styled(keys, "bold"), classes="help-key")
                        yield Static(Content(self.t(description)), classes="help-text")
        yield QuietFooter()
