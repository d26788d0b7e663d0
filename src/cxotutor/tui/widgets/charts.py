"""Small bar charts for reviews per day and the due forecast."""

from __future__ import annotations

from datetime import date

from textual.content import Content
from textual.reactive import reactive
from textual.widget import Widget

BLOCKS = " ▁▂▃▄▅▆▇█"


def columns(values: list[int], height: int) -> list[str]:
    """Each value as a column of ``height`` cells of eighth blocks (top row first)."""
    peak = max(values, default=0)
    result = []
    for value in values:
        eighths = 0 if peak == 0 else round(value / peak * height * 8)
        if value > 0:
            eighths = max(1, eighths)
        cells = []
        for row in range(height - 1, -1, -1):
            fill = min(8, max(0, eighths - row * 8))
            cells.append(BLOCKS[fill])
        result.append("".join(cells))
    return result


class BarChart(Widget):
    """Vertical bars, one per day, with the first and last dates underneath."""

    DEFAULT_CSS = """
    BarChart {
        height: auto;
        width: auto;
    }
    """

    series: reactive[list[tuple[date, int]]] = reactive(list, layout=True)

    def __init__(self, height: int = 4, style: str = "$accent", **kwargs) -> None:
        super().__init__(**kwargs)
        self._rows = height
        self._style = style

    def get_content_width(self, container, viewport) -> int:
        return max(len(self.series), 20)

    def get_content_height(self, container, viewport, width: int) -> int:
        return self._rows + 1

    def render(self) -> Content:
        values = [n for _day, n in self.series]
        cols = columns(values, self._rows)
        lines = []
        for row in range(self._rows):
            lines.append(Content.styled("".join(col[row] for col in cols) or " ", self._style))
        if self.series:
            first = self.series[0][0].strftime("%m-%d")
            last = self.series[-1][0].strftime("%m-%d")
            gap = max(1, len(self.series) - len(first) - len(last))
            lines.append(Content.styled(first + " " * gap + last, "$text-muted"))
        else:
            lines.append(Content(""))
        return Content("\n").join(lines)
