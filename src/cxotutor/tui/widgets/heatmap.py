"""A GitHub-style calendar heatmap: weeks as columns, Monday at the top."""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING

from textual.content import Content
from textual.reactive import reactive
from textual.widget import Widget

from cxotutor.tui import i18n

if TYPE_CHECKING:
    from cxotutor.progress import Heatmap

# GitHub's greens. A square glyph (not a coloured background) leaves a gap between days;
# like Textual's own box drawing, it assumes the terminal draws ambiguous-width characters narrow.
LEVELS = ("#30363d", "#0e4429", "#006d32", "#26a641", "#39d353")
CELL = "■"
LABEL_WIDTH = 4
WEEKS = 16


def level(count: int, busiest: int) -> int:
    """0 for no reviews, else 1-4 relative to the busiest day."""
    if count <= 0:
        return 0
    if busiest <= 4:
        return min(4, count)
    return min(4, 1 + (4 * (count - 1)) // busiest)


class HeatmapView(Widget):
    DEFAULT_CSS = """
    HeatmapView {
        width: auto;
        height: auto;
    }
    """

    data: reactive[Heatmap | None] = reactive(None, layout=True)
    language: reactive[str] = reactive("en")

    def __init__(self, language: str = "en", **kwargs) -> None:
        super().__init__(**kwargs)
        self.set_reactive(HeatmapView.language, language)

    def get_content_width(self, container, viewport) -> int:
        weeks = len(self.data.weeks()) if self.data else WEEKS
        return LABEL_WIDTH + weeks * 2

    def get_content_height(self, container, viewport, width: int) -> int:
        return 9

    def render(self) -> Content:
        lang = self.language
        # Before the data arrives: an empty grid of the same size, so nothing jumps.
        weeks = self.data.weeks() if self.data else [[date.min] * 7 for _ in range(WEEKS)]
        busiest = self.data.busiest if self.data else 0
        rows = [self._month_row(weeks, lang) if self.data else Content("")]
        for weekday in range(7):
            label = i18n.t(f"day.{weekday}", lang) if weekday in (0, 2, 4) else ""
            parts: list = [(Content(label).truncate(LABEL_WIDTH, pad=True).plain, "$text-muted")]
            for column in weeks:
                day = column[weekday]
                if day is None:
                    parts.append("  ")
                    continue
                count = self.data.counts.get(day, 0) if self.data else 0
                parts.append((CELL, LEVELS[level(count, busiest)]))
                parts.append(" ")
            rows.append(Content.assemble(*parts))
        legend: list = [" " * LABEL_WIDTH, (i18n.t("heat.less", lang) + " ", "$text-muted")]
        for style in LEVELS:
            legend += [(CELL, style), " "]
        legend.append((i18n.t("heat.more", lang), "$text-muted"))
        if self.data:
            legend.append(("  " + i18n.t("heat.total", lang, n=self.data.total), "$text-muted"))
        rows.append(Content.assemble(*legend))
        return Content("\n").join(rows)

    @staticmethod
    def _month_row(weeks: list[list[date | None]], lang: str) -> Content:
        """Month names above the first week that starts in each month, never overlapping."""
        text = " " * LABEL_WIDTH
        position = LABEL_WIDTH
        last_month = None
        for n, column in enumerate(weeks):
            first = column[0]
            if first is None:
                continue
            if first.month != last_month:
                last_month = first.month
                x = LABEL_WIDTH + n * 2
                label = i18n.t(f"month.{first.month}", lang)
                if x >= position and (n > 0 or first.day <= 7):
                    text += " " * (x - position) + label
                    position = x + Content(label).cell_length + 1
        return Content.styled(text, "$text-muted")
