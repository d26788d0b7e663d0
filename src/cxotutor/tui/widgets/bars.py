"""Labelled progress bars that fit the width they are given (paths, mastery)."""

from __future__ import annotations

from dataclasses import dataclass

from textual.content import Content
from textual.reactive import reactive
from textual.widget import Widget

from cxotutor.tui.text import bar, fit


@dataclass(frozen=True)
class BarItem:
    label: Content
    fraction: float
    suffix: str = ""
    detail: Content | None = None  # an optional muted second line


class ProgressList(Widget):
    DEFAULT_CSS = """
    ProgressList {
        height: auto;
        width: 1fr;
    }
    """

    items: reactive[list[BarItem]] = reactive(list, layout=True)
    empty: reactive[Content] = reactive(Content(""), layout=True)

    def get_content_height(self, container, viewport, width: int) -> int:
        if not self.items:
            return max(1, len(self.empty.wrap(max(1, width))))
        return sum(2 if item.detail is not None else 1 for item in self.items)

    def render(self) -> Content:
        width = self.content_size.width
        if not self.items:
            return self.empty
        suffix_width = max(len(item.suffix) for item in self.items)
        bar_width = max(6, min(24, width // 3))
        label_width = max(4, width - bar_width - suffix_width - 2)
        longest = max(item.label.cell_length for item in self.items)
        if longest < label_width:
            bar_width = min(24, bar_width + label_width - longest)
            label_width = width - bar_width - suffix_width - 2
        lines = []
        for item in self.items:
            lines.append(
                Content.assemble(
                    fit(item.label, label_width), " ", bar(item.fraction, bar_width), " ",
                    (item.suffix.rjust(suffix_width), "$text-muted"),
                )
            )
            if item.detail is not None:
                lines.append(fit(item.detail, width).stylize("$text-muted"))
        return Content("\n").join(lines)
