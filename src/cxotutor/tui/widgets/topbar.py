"""A one-line bar: what this screen is on the left, progress or time on the right."""

from __future__ import annotations

from textual.content import Content
from textual.reactive import reactive
from textual.widget import Widget


class TopBar(Widget):
    DEFAULT_CSS = """
    TopBar {
        height: 1;
        width: 1fr;
        background: $panel;
        color: $foreground;
        padding: 0 1;
    }
    """

    left: reactive[Content] = reactive(Content(""), layout=False)
    right: reactive[Content] = reactive(Content(""), layout=False)

    def __init__(self, left: Content | str = "", right: Content | str = "", **kwargs) -> None:
        super().__init__(**kwargs)
        self.set_reactive(TopBar.left, Content(left) if isinstance(left, str) else left)
        self.set_reactive(TopBar.right, Content(right) if isinstance(right, str) else right)

    def render(self) -> Content:
        width = self.content_size.width
        right = self.right
        room = max(0, width - right.cell_length - 1)
        left = self.left.truncate(room, ellipsis=True) if self.left.cell_length > room else self.left
        gap = max(1, width - left.cell_length - right.cell_length)
        return Content.assemble(left, " " * gap, right)
