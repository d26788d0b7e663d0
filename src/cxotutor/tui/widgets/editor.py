"""The answer box: a soft-wrapping TextArea that keeps every key it is given."""

from __future__ import annotations

from textual.widgets import TextArea


class AnswerEditor(TextArea):
    """Multi-line answer input. 1-4, enter, space and u are text here, never ratings."""

    DEFAULT_CSS = """
    AnswerEditor {
        height: 1fr;
        min-height: 4;
    }
    """

    def __init__(self, placeholder: str = "", **kwargs) -> None:
        super().__init__(
            soft_wrap=True,
            tab_behavior="focus",
            show_line_numbers=False,
            highlight_cursor_line=False,
            placeholder=placeholder,
            **kwargs,
        )

    def on_mount(self) -> None:
        # A blinking cursor makes headless screenshots flicker between two images.
        if self.app.is_headless:
            self.cursor_blink = False
