"""Edit a note (a path step's): ``NoteScreen(title, text)`` dismisses with the new text or None."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.content import Content
from textual.widgets import Static, TextArea

from cxotutor.tui.screens.base import TutorModal


class NoteScreen(TutorModal[str]):
    BINDINGS = [
        Binding("ctrl+s", "save", "Save", id="modal.save"),
        Binding("escape", "cancel", "Cancel", id="modal.cancel"),
    ]
    CSS_PATH = "note.tcss"

    def __init__(self, title: str, text: str) -> None:
        super().__init__()
        self.note_title = title
        self.text = text

    def compose(self) -> ComposeResult:
        with Vertical(id="note", classes="dialog") as box:
            box.border_title = Content(self.note_title)  # may hold deck text: never markup
            editor = TextArea(self.text, soft_wrap=True, tab_behavior="focus", id="note-text")
            yield editor
            yield Static(self.t("path.note.hint"), classes="hint", markup=False)

    def on_mount(self) -> None:
        editor = self.query_one(TextArea)
        if self.app.is_headless:
            editor.cursor_blink = False
        editor.focus()
        editor.move_cursor(editor.document.end)

    def action_save(self) -> None:
        self.dismiss(self.query_one(TextArea).text)
