"""Browse: fuzzy search over questions, key points and aliases in both languages; a card's detail and history."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, VerticalScroll
from textual.content import Content
from textual.message import Message
from textual.widgets import Input, OptionList, Static
from textual.widgets.option_list import Option

from cxotutor.tui.screens.base import TutorScreen
from cxotutor.tui.text import plain
from cxotutor.tui.widgets.feedback import reference_lines
from cxotutor.tui.widgets.topbar import TopBar
from cxotutor.tui.widgets.footer import QuietFooter

if TYPE_CHECKING:
    from cxotutor.models import CardView
    from cxotutor.search import SearchHit, SearchIndex


class BrowseScreen(TutorScreen):
    CSS_PATH = "browse.tcss"
    AUTO_FOCUS = "#query"
    BINDINGS = [
        Binding("slash", "search", "Search", id="browse.search", key_display="/"),
        Binding("l", "toggle_language", "Language", id="browse.language"),
        Binding("down", "focus_results", "Results", show=False, id="browse.results"),
    ]

    @dataclass
    class Indexed(Message):
        index: SearchIndex

    @dataclass
    class Results(Message):
        query: str
        hits: list[SearchHit]

    @dataclass
    class Detail(Message):
        card: CardView
        history: list[dict]

    def __init__(self) -> None:
        super().__init__()
        self.index: SearchIndex | None = None
        self.hits: list[SearchHit] = []
        self.detail: tuple[CardView, list[dict]] | None = None
        self.content_language = "ja"

    def compose(self) -> ComposeResult:
        yield TopBar(Content.styled(self.t("browse.title"), "bold $text-accent"), id="topbar")
        yield Input(placeholder=self.t("browse.placeholder"), id="query", compact=True)
        with Horizontal(id="browse-body"):
            results = OptionList(id="results")
            results.border_title = self.t("browse.loading")
            yield results
            with VerticalScroll(id="card-detail"):
                yield Static(Content.styled(self.t("browse.pick"), "$text-muted"), id="detail")
        yield QuietFooter()

    def on_mount(self) -> None:
        self.content_language = self.tutor.settings.content_language
        self._build_index()

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        typing = isinstance(self.focused, Input)
        if action == "toggle_language":
            return not typing
        if action == "search":
            return not typing
        if action == "focus_results":
            return typing
        return True

    # -- searching ---------------------------------------------------------------------------

    @work(thread=True, exclusive=True, exit_on_error=False, group="index")
    def _build_index(self) -> None:
        from cxotutor.search import SearchIndex

        self.post_message(self.Indexed(SearchIndex.build(self.tutor)))

    def on_browse_screen_indexed(self, message: Indexed) -> None:
        self.index = message.index
        self._search(self.query_one("#query", Input).value)

    @on(Input.Changed, "#query")
    def _query_changed(self, event: Input.Changed) -> None:
        if self.index is not None:
            self._search(event.value)

    @on(Input.Submitted, "#query")
    def _query_submitted(self) -> None:
        self.action_focus_results()

    @work(thread=True, exclusive=True, exit_on_error=False, group="search")
    def _search(self, query: str) -> None:
        assert self.index is not None
        self.post_message(self.Results(query, self.index.search(query, limit=200)))

    def on_browse_screen_results(self, message: Results) -> None:
        if message.query != self.query_one("#query", Input).value:
            return  # a newer query is on its way
        self.hits = message.hits
        self._fill_results()

    def _fill_results(self) -> None:
        results = self.query_one("#results", OptionList)
        results.clear_options()
        lang = self.content_language
        for n, hit in enumerate(self.hits):
            entry = hit.entry
            prompt = Content.assemble(
                # No space after the role: a Japanese question has none either, so a wrap would
                # otherwise leave the role alone on its line.
                (f"{self.t(f'role.{entry.role}')}›", "bold $text-accent"), plain(entry.question(lang)),
            )
            if hit.field != "question" and self.query_one("#query", Input).value.strip():
                field = self.t(f"browse.field.{hit.field}")
                prompt = Content.assemble(prompt, "\n", plain("  " + self.t("browse.matched", field=field, text=hit.text), "$text-muted"))
            results.add_option(Option(prompt, id=str(n)))
        results.border_title = self.t("browse.results", n=len(self.hits))
        self.query_one("#topbar", TopBar).right = Content.styled(self.t("browse.results", n=len(self.hits)), "$text-muted")
        if self.hits:
            results.highlighted = 0

    def action_search(self) -> None:
        self.query_one("#query", Input).focus()

    def action_focus_results(self) -> None:
        results = self.query_one("#results", OptionList)
        if results.option_count:
            results.focus()

    # -- detail ----------------------------------------------------------------------------------

    @on(OptionList.OptionHighlighted, "#results")
    def _highlighted(self, event: OptionList.OptionHighlighted) -> None:
        if event.option.id is not None:
            self._load_detail(self.hits[int(event.option.id)].entry.card_id)

    @work(thread=True, exclusive=True, exit_on_error=False, group="detail")
    def _load_detail(self, card_id: int) -> None:
        tutor = self.tutor
        self.post_message(self.Detail(tutor.card(card_id), tutor.history(card_id)))

    def on_browse_screen_detail(self, message: Detail) -> None:
        self.detail = (message.card, message.history)
        self._draw_detail()

    def _draw_detail(self) -> None:
        if self.detail is None:
            return
        card, history = self.detail
        lang = self.content_language
        head = [self.t("browse.meta", deck=card.deck_id, key=card.key, state=self.t(f"state.{card.state}"))]
        if card.due is not None:
            head.append(self.t("browse.due", date=card.due.strftime("%Y-%m-%d")))
        parts: list[Content] = [plain(" · ".join(head), "$text-muted")]
        if card.tags:
            parts.append(plain(self.t("browse.tags", tags=", ".join(card.tags)), "$text-muted"))
        parts += [
            Content(""),
            Content.styled(self.t("study.question_lang", lang=self.t(f"lang.short.{lang}")), "bold $text-accent"),
            plain(card.question(lang), "bold"),
            Content(""),
            Content.styled(self.t("study.key_points"), "bold $text-accent"),
            reference_lines(card.key_points, lang, self.t),
            Content(""),
            Content.styled(self.t("study.model_answer"), "bold $text-accent"),
            plain(card.answer(lang)),
        ]
        if card.source:
            source = " · ".join(str(v) for v in (card.source.get("doc"), card.source.get("section"), card.source.get("note")) if v)
            parts += [Content(""), plain(self.t("browse.source", source=source), "$text-muted")]
        parts += [Content(""), Content.styled(self.t("browse.history"), "bold $text-accent")]
        if not history:
            parts.append(Content.styled(self.t("browse.history.none"), "$text-muted"))
        for row in history:
            score = self.t("browse.history.score", score=row["score"]) if row["score"] is not None else ""
            interval = self.t("browse.history.interval", days=row["interval_days"]) if row["interval_days"] is not None else ""
            parts.append(
                Content(
                    self.t(
                        "browse.history.line",
                        when=row["reviewed_at"].strftime("%Y-%m-%d %H:%M"),
                        mode=self.t(f"mode.{row['mode']}"),
                        rating=self.t(f"rating.{row['rating']}"),
                        score=score,
                        state=self.t(f"state.{row['state']}"),
                        interval=interval,
                    )
                )
            )
        self.query_one("#detail", Static).update(Content("\n").join(parts))
        self.query_one("#card-detail").border_title = plain(f"{card.deck_id}/{card.key}")

    def action_toggle_language(self) -> None:
        self.content_language = "en" if self.content_language == "ja" else "ja"
        if self.hits:
            highlighted = self.query_one("#results", OptionList).highlighted
            self._fill_results()
            if highlighted is not None:
                self.query_one("#results", OptionList).highlighted = highlighted
        self._draw_detail()
