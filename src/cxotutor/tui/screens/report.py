"""The mock interview's report card: score per question, missed points, overall, time; Markdown export."""

from __future__ import annotations

from dataclasses import dataclass

from textual import work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.content import Content
from textual.message import Message
from textual.widgets import Static

from cxotutor.tui.screens.base import TutorScreen
from cxotutor.tui.text import bar, clock_text, literal, plain
from cxotutor.tui.widgets.topbar import TopBar
from cxotutor.tui.widgets.footer import QuietFooter


def _pick(text: dict, lang: str) -> str:
    return text.get(lang) or text.get("en" if lang == "ja" else "ja") or ""


def score_style(score: int) -> str:
    return "$text-success" if score >= 80 else "$text-warning" if score >= 50 else "$text-error"


class ReportScreen(TutorScreen):
    CSS_PATH = "report.tcss"
    AUTO_FOCUS = "#report"
    BINDINGS = [
        Binding("x", "export", "Export", id="report.export", tooltip="Export the report as Markdown"),
        Binding("d", "drill", "Drill these", id="report.drill", tooltip="Review these questions now"),
    ]

    @dataclass
    class Exported(Message):
        path: str

    def __init__(self, report: dict) -> None:
        super().__init__()
        self.report = report
        self.content_language = "ja"

    def compose(self) -> ComposeResult:
        self.content_language = self.tutor.settings.content_language
        report = self.report
        role = self.t(f"role.{report['role']}") if report.get("role") else self.t("role.all")
        yield TopBar(
            Content.assemble((self.t("report.title"), "bold $text-accent"), ("  ·  ", "$text-muted"), role),
            Content.styled(f"#{report['id']}", "$text-muted"),
            id="topbar",
        )
        with VerticalScroll(id="report"):
            yield Static(self._summary(), id="summary")
            for n, question in enumerate(report["questions"], 1):
                yield Static(self._question(n, question), classes="question")
            if not report["questions"]:
                yield Static(self.t("report.no_answers"), markup=False)
            yield Static(id="export-path", classes="hint")
        yield QuietFooter()

    def _summary(self) -> Content:
        report = self.report
        score = report["score"]
        limit = report.get("seconds_per_question")
        details = [
            self.t("report.time_used", time=clock_text(report["time_used_ms"] / 1000)),
            self.t("report.limit", time=clock_text(limit)) if limit else self.t("report.untimed"),
            self.t("report.applied") if report.get("applied_to_schedule") else self.t("report.not_applied"),
        ]
        return Content.assemble(
            (self.t("report.overall", score=score), f"bold {score_style(score)}"),
            "  ",
            bar(score / 100, 20, style=score_style(score)),
            "\n",
            (" · ".join(details), "$text-muted"),
            "\n",
            (self.t("report.saved", id=report["id"]), "$text-muted"),
        )

    def _question(self, n: int, question: dict) -> Content:
        lang = self.content_language
        score = question["score"]
        head = Content.assemble(
            (self.t("report.question", n=n, score=score, time=clock_text(question["duration_ms"] / 1000)),
             f"bold {score_style(score)}"),
        )
        missed = [_pick(label, lang) for label in question["missed"]]
        if missed:
            verdict = plain(self.t("report.missed", points=literal(", ".join(missed))), "$text-error")
        else:
            verdict = Content.styled(self.t("report.all_covered"), "$text-success")
        return Content("\n").join([head, plain(_pick(question["question"], lang), "bold"), verdict])

    def action_export(self) -> None:
        self._export()

    @work(thread=True, exclusive=True, exit_on_error=False, group="export")
    def _export(self) -> None:
        from cxotutor import interview

        path = interview.export_markdown(self.report, self.lang)
        self.post_message(self.Exported(str(path)))

    def on_report_screen_exported(self, message: Exported) -> None:
        self.query_one("#export-path", Static).update(plain(self.t("report.export_path", path=message.path), "bold"))
        self.notify(self.t("report.exported", path=message.path), markup=False, timeout=6)

    def action_drill(self) -> None:
        from cxotutor.tui.screens.study import SessionPlan

        ids = tuple(q["card_id"] for q in self.report["questions"])
        if ids:
            self.tapp.start_review(SessionPlan(card_ids=ids, label=self.t("report.drill_label")))
