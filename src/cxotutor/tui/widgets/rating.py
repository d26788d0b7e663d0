"""The rating bar: 1 Again · 2 Hard · 3 Good · 4 Easy, with the suggested one picked out."""

from __future__ import annotations

from textual.content import Content
from textual.reactive import reactive
from textual.widget import Widget

from cxotutor.tui import i18n

STYLES = {1: "$text-error", 2: "$text-warning", 3: "$text-success", 4: "$text-accent"}


class RatingBar(Widget):
    DEFAULT_CSS = """
    RatingBar {
        height: 1;
        width: 1fr;
        padding: 0 1;
    }
    """

    suggested: reactive[int | None] = reactive(None)
    language: reactive[str] = reactive("en")

    def render(self) -> Content:
        lang = self.language
        parts: list = []
        for rating in (1, 2, 3, 4):
            label = f" {rating} {i18n.t(f'rating.{rating}', lang)} "
            if rating == self.suggested:
                parts.append((label, f"bold reverse {STYLES[rating]}"))
            else:
                parts.append((label, STYLES[rating]))
            parts.append(" ")
        if self.suggested in STYLES:
            hint = i18n.t("study.enter_accepts", lang, rating=i18n.t(f"rating.{self.suggested}", lang))
        else:
            hint = i18n.t("study.pick_rating", lang)
        parts.append(("  " + hint, "$text-muted"))
        return Content.assemble(*parts)
