"""The command palette (ctrl+p): the main actions, in the learner's language."""

from __future__ import annotations

from functools import partial
from typing import TYPE_CHECKING, Callable

from textual.command import DiscoveryHit, Hit, Hits, Provider

if TYPE_CHECKING:
    from cxotutor.tui.app import TutorApp


class MainCommands(Provider):
    """Review, flip, mock interview, paths, stats, browse, settings, help, language."""

    def _commands(self) -> list[tuple[str, Callable[[], object]]]:
        app: TutorApp = self.app  # type: ignore[assignment]
        t = app.t
        commands: list[tuple[str, Callable[[], object]]] = [
            (t("cmd.review"), app.start_review),
        ]
        for role in app.roles:
            commands.append((t("cmd.review_role", role=t(f"role.{role}")), partial(self._review_role, role)))
        commands += [
            (t("cmd.flip"), app.start_flip),
            (t("cmd.mock"), app.start_interview),
            (t("cmd.paths"), app.open_paths),
            (t("cmd.stats"), app.open_stats),
            (t("cmd.browse"), app.open_browse),
            (t("cmd.settings"), app.open_settings),
            (t("cmd.language"), app.toggle_language),
            (t("cmd.help"), app.action_help),
            (t("cmd.home"), app.go_home),
            (t("cmd.quit"), app.exit),
        ]
        return commands

    def _review_role(self, role: str) -> None:
        from cxotutor.models import Selection

        app: TutorApp = self.app  # type: ignore[assignment]
        app.review_selection(Selection(roles=(role,)), label=app.t(f"role.{role}"))

    async def discover(self) -> Hits:
        for title, callback in self._commands():
            yield DiscoveryHit(title, callback)

    async def search(self, query: str) -> Hits:
        matcher = self.matcher(query)
        for title, callback in self._commands():
            score = matcher.match(title)
            if score > 0:
                yield Hit(score, matcher.highlight(title), callback, text=title)
