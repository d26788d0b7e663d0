"""A Footer that rebuilds itself only when the keys it shows change.

Textual's Footer recomposes on every bindings update (each focus change, each
refresh_bindings); during a review that is several rebuilds per rating for the
same keys. This one compares what it would show first.
"""

from __future__ import annotations

from textual.screen import Screen
from textual.widgets import Footer


class QuietFooter(Footer):
    def __init__(self, *args, **kwargs) -> None:
        kwargs.setdefault("compact", True)
        super().__init__(*args, **kwargs)
        self._shown: tuple | None = None

    def _signature(self, screen: Screen) -> tuple:
        return tuple(
            (key, active.binding.action, active.binding.description, active.binding.key_display, active.enabled)
            for key, active in screen.active_bindings.items()
            if active.binding.show
        ) + (self.show_command_palette, self.app.ui_language if hasattr(self.app, "ui_language") else "")

    def bindings_changed(self, screen: Screen) -> None:
        if self.is_attached and screen is self.screen and self._bindings_ready:
            signature = self._signature(screen)
            if signature == self._shown:
                return
            self._shown = signature
        super().bindings_changed(screen)

    def watch_show_command_palette(self, _value: bool) -> None:
        self._shown = None
        if self.is_attached:
            self.call_after_refresh(self.recompose)
