"""A readable progress report in Markdown."""

from __future__ import annotations

from cxotutor.export.summary import LearnerSummary, pick


def md_cell(text: str) -> str:
    """Deck text inside a Markdown table: no pipes, no newlines, no markup surprises."""
    out = " ".join(str(text).split())
    for ch in "\\`*_[]<>|#":
        out = out.replace(ch, "\\" + ch)
    return out


def _pct(value: float | None) -> str:
    return "–" if value is None else f"{round(100 * value)}%"


def markdown(summary: LearnerSummary) -> str:
    """A learner's progress report as Markdown (deck text escaped for tables)."""
    s = summary
    lang = s.lang
    lines = [
        f"# Progress report: {md_cell(s.learner)}",
        "",
        f"Exported {s.exported_at:%Y-%m-%d %H:%M} UTC · study day {s.today.isoformat()}",
        "",
        "## Summary",
        "",
        "| | |",
        "| --- | --- |",
        f"| Reviews, all time | {s.total_reviews} |",
        f"| Reviews, last 7 days | {s.reviews_since(7)} |",
        f"| Reviews per week (last 4 weeks) | {s.reviews_per_week:g} |",
        f"| Study streak | {s.streak} day(s) |",
        f"| Retention (cards in review) | {_pct(s.retention)} ({s.retention_passed}/{s.retention_total}) |",
        f"| Mean answer score | {'–' if s.mean_score is None else round(s.mean_score)} |",
        f"| Last active | {s.last_review:%Y-%m-%d} |" if s.last_review else "| Last active | never |",
        "",
        "## Mastery per deck",
        "",
        "| Deck | Version | Cards | Seen | Learned | Mature | Mastery |",
        "| --- | ---: | ---: | ---: | ---: | ---: | ---: |",
    ]
    for d in s.decks:
        title = pick(d.title, lang) or d.id
        lines.append(f"| {md_cell(title)} (`{d.id}`) | {d.version or ''} | {d.cards} | {d.seen} | {d.learned} | {d.mature} | {_pct(d.mastery)} |")
    lines += ["", "## Weakest key points", ""]
    weak = s.weakest(10)
    if weak:
        lines += ["| Key point | Question | Missed | Attempts |", "| --- | --- | ---: | ---: |"]
        for p in weak:
            label = pick(p.label, lang) or p.point
            lines.append(f"| {md_cell(label)} | {md_cell(pick(p.question, lang))} | {_pct(p.miss_rate)} | {p.attempts} |")
    else:
        lines.append("No scored answers with a missed key point yet.")
    lines += ["", "## Learning paths", ""]
    if s.paths:
        lines += ["| Path | Steps done | In progress | Progress |", "| --- | ---: | ---: | ---: |"]
        for p in s.paths:
            lines.append(f"| {md_cell(pick(p.title, lang) or p.id)} | {p.done}/{p.steps} | {p.in_progress} | {_pct(p.share)} |")
    else:
        lines.append("No learning paths.")
    lines += ["", "## Mock interviews", ""]
    if s.interviews:
        lines += ["| Started | Role | Score |", "| --- | --- | ---: |"]
        for i in s.interviews:
            score = "unfinished" if not i.finished else ("–" if i.score is None else str(i.score))
            lines.append(f"| {i.started_at:%Y-%m-%d %H:%M} | {md_cell(i.role or '')} | {score} |")
    else:
        lines.append("No mock interviews yet.")
    lines += ["", "## Last 14 days", "", "| Day | Reviews |", "| --- | ---: |"]
    lines += [f"| {day.isoformat()} | {n} |" for day, n in s.days(14)]
    return "\n".join(lines) + "\n"
