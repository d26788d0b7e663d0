"""Learning paths: the list with % complete, and one path's steps, resources, notes and career ladder.

Statuses go todo → in-progress → done (space), or skipped (x); completion
counts done and skipped steps, as roadmap.sh does.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, VerticalScroll
from textual.content import Content
from textual.message import Message
from textual.widgets import OptionList, Static
from textual.widgets.option_list import Option

from cxotutor.tui.screens.base import TutorScreen
from cxotutor.tui.text import bar, literal, plain
from cxotutor.tui.widgets.topbar import TopBar
from cxotutor.tui.widgets.footer import QuietFooter

if TYPE_CHECKING:
    from cxotutor.learning import PathSummary, PathView, ResourceView, StepView

BOXES = {"todo": "[ ]", "in-progress": "[~]", "done": "[x]", "skipped": "[-]"}
BOX_STYLES = {"todo": "$text-muted", "in-progress": "bold $text-warning", "done": "bold $text-success", "skipped": "$text-muted"}
KIND_STYLES = {  # a badge per kind; the label says the kind too, colour only helps scanning
    "book": "bold reverse $text-primary",
    "course": "bold reverse $text-success",
    "certification": "bold reverse $text-warning",
    "community": "bold reverse $text-secondary",
    "practice": "bold reverse $text-error",
    "reading": "bold reverse $text-muted",
}


def status_box(status: str) -> Content:
    return Content.styled(BOXES.get(status, "[ ]"), BOX_STYLES.get(status, ""))


class PathsScreen(TutorScreen):
    CSS_PATH = "paths.tcss"
    AUTO_FOCUS = "#paths"
    BINDINGS = [Binding("enter", "open", "Open", id="paths.open", show=True)]

    @dataclass
    class Loaded(Message):
        paths: list[PathSummary]

    def compose(self) -> ComposeResult:
        yield TopBar(Content.styled(self.t("paths.title"), "bold $text-accent"), id="topbar")
        paths = OptionList(id="paths")
        paths.border_title = self.t("paths.title")
        yield paths
        yield QuietFooter()

    def on_mount(self) -> None:
        self._load()

    def resumed(self, language_changed: bool) -> None:
        self._load()

    @work(thread=True, exclusive=True, exit_on_error=False, group="paths")
    def _load(self) -> None:
        from cxotutor import learning

        self.post_message(self.Loaded(learning.list_paths(self.tutor)))

    def on_paths_screen_loaded(self, message: Loaded) -> None:
        options = self.query_one("#paths", OptionList)
        highlighted = options.highlighted
        options.clear_options()
        for summary in message.paths:
            role = Content.styled(f" {self.t(f'role.{summary.role}')} ", "bold reverse $text-accent")
            line = Content.assemble(
                role, " ", plain(summary.title(self.lang), "bold"), "\n",
                "      ", bar(summary.percent / 100, 20), f" {summary.percent:>3}%  ",
                (self.t("paths.steps", done=summary.finished, n=summary.steps), "$text-muted"),
            )
            options.add_option(Option(line, id=summary.id))
        if not message.paths:
            options.add_option(Option(Content(self.t("paths.none")), disabled=True))
        if highlighted is not None and highlighted < options.option_count:
            options.highlighted = highlighted
        elif message.paths:
            options.highlighted = 0

    @on(OptionList.OptionSelected, "#paths")
    def _selected(self, event: OptionList.OptionSelected) -> None:
        if event.option.id:
            self.app.push_screen(PathScreen(event.option.id))

    def action_open(self) -> None:
        options = self.query_one("#paths", OptionList)
        if options.highlighted is not None:
            option = options.get_option_at_index(options.highlighted)
            if option.id:
                self.app.push_screen(PathScreen(option.id))


class PathScreen(TutorScreen):
    CSS_PATH = "paths.tcss"
    AUTO_FOCUS = "#steps"
    BINDINGS = [
        Binding("space", "cycle", "Status", id="path.cycle", tooltip="to do → in progress → done"),
        Binding("x", "skip", "Skip", id="path.skip", tooltip="Mark skipped (again: to do)"),
        Binding("n", "note", "Note", id="path.note", tooltip="Write a note on the step"),
        Binding("p", "practise", "Practise", id="path.practise", tooltip="Practise this step's cards"),
        Binding("c", "career", "Career", id="path.career", tooltip="Show the career ladder"),
    ]

    @dataclass
    class Loaded(Message):
        view: PathView

    @dataclass
    class Practice(Message):
        step_id: str
        due: int
        card_ids: list[int]

    def __init__(self, path_id: str) -> None:
        super().__init__()
        self.path_id = path_id
        self.view: PathView | None = None
        self.show_career = False

    def compose(self) -> ComposeResult:
        yield TopBar(Content.styled(self.t("paths.title"), "bold $text-accent"), id="topbar")
        with Horizontal(id="path-body"):
            steps = OptionList(id="steps")
            steps.border_title = self.t("path.steps")
            yield steps
            with VerticalScroll(id="step-detail") as detail:
                detail.can_focus = False  # tab goes steps → resources
                yield Static(id="step-title")
                yield Static(id="step-goal")
                yield Static(self.t("path.resources"), classes="section-title", markup=False)
                yield OptionList(id="resources")
                yield Static(self.t("path.note"), classes="section-title", markup=False)
                yield Static(id="step-note")
                yield Static(id="step-practice", classes="hint")
            with VerticalScroll(id="career"):
                yield Static(id="career-ladder")
        yield QuietFooter()

    def on_mount(self) -> None:
        self._load()

    def language_changed(self) -> None:
        self._load()

    @work(thread=True, exclusive=True, exit_on_error=False, group="path")
    def _load(self) -> None:
        from cxotutor import learning

        self.post_message(self.Loaded(learning.path_view(self.tutor, self.path_id)))

    def on_path_screen_loaded(self, message: Loaded) -> None:
        self.view = message.view
        self._draw()

    # -- drawing -----------------------------------------------------------------------------

    def _draw(self) -> None:
        view = self.view
        if view is None:
            return
        lang = self.lang
        self.query_one("#topbar", TopBar).left = Content.assemble(
            (self.t("paths.title"), "bold $text-accent"), ("  ·  ", "$text-muted"), plain(view.path.title.get(lang))
        )
        self.query_one("#topbar", TopBar).right = Content.assemble(
            bar(view.percent / 100, 12), " ", (self.t("path.complete", percent=view.percent), "bold")
        )
        steps = self.query_one("#steps", OptionList)
        highlighted = steps.highlighted
        steps.clear_options()
        for n, step in enumerate(view.steps, 1):
            parts: list = [status_box(step.status), f"\u00a0{n}.\u00a0", plain(step.step.title.get(lang))]
            if step.resources:
                parts.append((f"  {step.resources_finished}/{len(step.resources)}", "$text-muted"))
            steps.add_option(Option(Content.assemble(*parts), id=step.step.id))
        steps.highlighted = highlighted if highlighted is not None and highlighted < len(view.steps) else 0
        self._draw_step()
        self._draw_career()

    def current_step(self) -> StepView | None:
        if self.view is None:
            return None
        index = self.query_one("#steps", OptionList).highlighted
        if index is None or not 0 <= index < len(self.view.steps):
            return None
        return self.view.steps[index]

    @on(OptionList.OptionHighlighted, "#steps")
    def _step_highlighted(self) -> None:
        self._draw_step()

    def _draw_step(self) -> None:
        step = self.current_step()
        if step is None:
            return
        lang = self.lang
        self.query_one("#step-detail").border_title = plain(step.step.title.get(lang))
        self.query_one("#step-title", Static).update(
            Content.assemble(status_box(step.status), " ", plain(step.step.title.get(lang), "bold"), "  ",
                             (self.t(f"status.{step.status}"), BOX_STYLES[step.status]))
        )
        self.query_one("#step-goal", Static).update(
            Content.assemble((self.t("path.goal") + ": ", "$text-muted"), plain(step.step.goal.get(lang)))
        )
        resources = self.query_one("#resources", OptionList)
        highlighted = resources.highlighted
        resources.clear_options()
        for item in step.resources:
            resources.add_option(Option(self._resource_line(item), id=str(item.index)))
        if not step.resources:
            resources.add_option(Option(Content.styled(self.t("path.no_resources"), "$text-muted"), disabled=True))
        else:
            resources.highlighted = highlighted if highlighted is not None and highlighted < len(step.resources) else 0
        self.query_one("#step-note", Static).update(
            plain(step.note) if step.note else Content.styled(self.t("path.no_note"), "$text-muted italic")
        )
        practice = step.step.practice
        what = [self.t("path.practice.decks", decks=", ".join(practice.decks))] if practice.decks else []
        what += [self.t("path.practice.tags", tags=", ".join(practice.tags))] if practice.tags else []
        self.query_one("#step-practice", Static).update(
            plain(self.t("path.practice", what=" · ".join(what)) if what else self.t("path.practice.none"))
        )

    def _resource_line(self, item: ResourceView) -> Content:
        resource = item.resource
        kind = Content.styled(f" {self.t(f'kind.{resource.kind}')} ", KIND_STYLES.get(resource.kind, "bold reverse"))
        by = resource.author or resource.issuer
        first = Content.assemble(status_box(item.status), " ", kind, " ", plain(resource.title, "bold"))
        if by:
            first = Content.assemble(first, ("  — ", "$text-muted"), plain(by, "$text-muted"))
        if item.status != "todo":
            first = Content.assemble(first, ("  " + self.t(f"status.{item.status}"), BOX_STYLES[item.status]))
        if resource.url:
            return Content.assemble(first, "\n      ", (literal(resource.url), "$text-muted underline"))
        return first

    def _draw_career(self) -> None:
        if self.view is None:
            return
        lang = self.lang
        stages = self.view.career
        if not stages:
            self.query_one("#career-ladder", Static).update(Content.styled(self.t("path.career.none"), "$text-muted"))
            return
        lines: list[Content] = [Content.styled(self.t("path.career"), "bold $text-accent"), Content("")]
        for n, stage in enumerate(stages, 1):
            lines.append(Content.assemble((f"{n}. ", "bold $text-accent"), plain(stage.stage.get(lang), "bold")))
            if stage.responsibilities:
                lines.append(Content.assemble("   ", plain(self.t("path.career.responsibilities", text=stage.responsibilities.get(lang)))))
            if stage.next_step:
                lines.append(Content.assemble("   ", plain(self.t("path.career.next", text=stage.next_step.get(lang)), "$text-muted")))
            if n < len(stages):
                lines.append(Content.styled("   ↓", "$text-accent"))
        self.query_one("#career-ladder", Static).update(Content("\n").join(lines))

    # -- marking -------------------------------------------------------------------------------

    def _target(self) -> tuple[StepView, int | None] | None:
        """The step, and the resource index if the resource list has focus."""
        step = self.current_step()
        if step is None:
            return None
        resources = self.query_one("#resources", OptionList)
        if self.focused is resources and step.resources and resources.highlighted is not None:
            return step, resources.highlighted
        return step, None

    def action_cycle(self) -> None:
        from cxotutor.learning import next_status

        target = self._target()
        if target is None:
            return
        step, index = target
        current = step.status if index is None else step.resources[index].status
        self._mark(step.step.id, next_status(current), index)

    def action_skip(self) -> None:
        target = self._target()
        if target is None:
            return
        step, index = target
        current = step.status if index is None else step.resources[index].status
        self._mark(step.step.id, "todo" if current == "skipped" else "skipped", index)

    @work(thread=True, exclusive=True, exit_on_error=False, group="mark")
    def _mark(self, step_id: str, status: str, resource: int | None) -> None:
        from cxotutor import learning

        self.post_message(self.Loaded(learning.set_status(self.tutor, self.path_id, step_id, status, resource)))

    def action_note(self) -> None:
        step = self.current_step()
        if step is None:
            return
        from cxotutor.tui.screens.note import NoteScreen

        def save(text: str | None) -> None:
            if text is not None:
                self._save_note(step.step.id, text)

        title = self.t("path.note.title", step=literal(step.step.title.get(self.lang)))
        self.app.push_screen(NoteScreen(title, step.note or ""), save)

    @work(thread=True, exclusive=True, exit_on_error=False, group="mark")
    def _save_note(self, step_id: str, text: str) -> None:
        from cxotutor import learning

        self.post_message(self.Loaded(learning.set_note(self.tutor, self.path_id, step_id, text)))

    def action_career(self) -> None:
        self.show_career = not self.show_career
        self.set_class(self.show_career, "-career")

    # -- practice --------------------------------------------------------------------------------

    def action_practise(self) -> None:
        step = self.current_step()
        if step is not None:
            self._find_practice(step)

    @work(thread=True, exclusive=True, exit_on_error=False, group="practice")
    def _find_practice(self, step: StepView) -> None:
        from cxotutor import learning

        selection = learning.practice_selection(step.step)
        tutor = self.tutor
        due = tutor.remaining(selection) if (selection.decks or selection.tags) else 0
        ids = [] if due else learning.practice_card_ids(tutor, step.step)
        self.post_message(self.Practice(step.step.id, due, ids))

    def on_path_screen_practice(self, message: Practice) -> None:
        from cxotutor import learning
        from cxotutor.tui.screens.study import SessionPlan

        if self.view is None:
            return
        step = self.view.step(message.step_id)
        label = step.step.title.get(self.lang)
        if message.due:
            self.tapp.start_review(SessionPlan(selection=learning.practice_selection(step.step), label=label))
        elif message.card_ids:
            self.notify(self.t("path.nothing_due"), timeout=4)
            self.tapp.start_review(SessionPlan(card_ids=tuple(message.card_ids), label=label))
        else:
            self.notify(self.t("path.practice.none"), timeout=3)
