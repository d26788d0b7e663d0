"""A single self-contained HTML report: inline CSS and SVG, no scripts, no network.

A Content-Security-Policy forbids scripts and every remote load, so even a
deck text that slipped past escaping could not run or call home.
"""

from __future__ import annotations

from cxotutor import __version__
from cxotutor.export import svg
from cxotutor.export.svg import esc
from cxotutor.export.summary import LearnerSummary, pick

CSP = "default-src 'none'; style-src 'unsafe-inline'; img-src data:"

CSS = """
body { font: 14px/1.45 system-ui, -apple-system, "Segoe UI", sans-serif; color: #24292f; margin: 0; background: #f6f8fa; }
main { max-width: 1100px; margin: 0 auto; padding: 24px; }
h1 { font-size: 24px; margin: 0 0 4px; } h2 { font-size: 17px; margin: 28px 0 10px; }
.muted { color: #57606a; }
.tiles { display: flex; flex-wrap: wrap; gap: 12px; margin-top: 16px; }
.tile { background: #fff; border: 1px solid #d0d7de; border-radius: 8px; padding: 10px 14px; min-width: 130px; }
.tile b { display: block; font-size: 22px; }
section { background: #fff; border: 1px solid #d0d7de; border-radius: 8px; padding: 4px 16px 16px; margin-top: 16px; overflow-x: auto; }
table { border-collapse: collapse; width: 100%; } th, td { text-align: left; padding: 4px 8px; border-bottom: 1px solid #eaeef2; vertical-align: top; }
th { font-weight: 600; background: #f6f8fa; } td.n, th.n { text-align: right; font-variant-numeric: tabular-nums; }
tr.hot td { background: #ffebe9; } .tag { display: inline-block; padding: 0 6px; border-radius: 10px; background: #ddf4ff; font-size: 12px; }
footer { margin: 24px 0; color: #57606a; font-size: 12px; }
"""


def page(title: str, body: str) -> str:
    """A complete HTML document around ``body``, with the inline style and the no-script policy."""
    return (
        "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n"
        f'<meta http-equiv="Content-Security-Policy" content="{CSP}">\n'
        '<meta name="viewport" content="width=device-width, initial-scale=1">\n'
        f"<title>{esc(title)}</title>\n<style>{CSS}</style>\n</head>\n<body>\n<main>\n{body}\n"
        f'<footer>Made by cxotutor {esc(__version__)}. This file is self-contained: no scripts, no network.</footer>\n'
        "</main>\n</body>\n</html>\n"
    )


def pct(value: float | None) -> str:
    """0.42 → "42%"; None → "–"."""
    return "–" if value is None else f"{round(100 * value)}%"


def tiles(items: list[tuple[str, str]]) -> str:
    """A row of headline figures: (label, value) pairs."""
    return '<div class="tiles">' + "".join(f'<div class="tile"><b>{esc(v)}</b><span class="muted">{esc(k)}</span></div>' for k, v in items) + "</div>"


def html_report(summary: LearnerSummary) -> str:
    """A learner's progress report as one self-contained HTML page with inline SVG charts."""
    s = summary
    lang = s.lang
    body = [
        f"<h1>Progress report: {esc(s.learner)}</h1>",
        f'<p class="muted">Exported {s.exported_at:%Y-%m-%d %H:%M} UTC · study day {s.today.isoformat()}</p>',
        tiles([
            ("reviews, all time", str(s.total_reviews)),
            ("reviews, last 7 days", str(s.reviews_since(7))),
            ("day streak", str(s.streak)),
            ("retention", pct(s.retention)),
            ("mean answer score", "–" if s.mean_score is None else str(round(s.mean_score))),
            ("last active", s.last_review.strftime("%Y-%m-%d") if s.last_review else "never"),
        ]),
        '<section id="heatmap"><h2>Study calendar</h2>', svg.heatmap(s.per_day, s.today), "</section>",
        '<section id="per-day"><h2>Reviews per day (last 90 days)</h2>', svg.columns(s.days(90)), "</section>",
        '<section id="mastery"><h2>Mastery per deck</h2><p class="muted">Share of each deck\'s cards learned (in review).</p>',
        svg.bars([(pick(d.title, lang) or d.id, d.mastery, f"{d.learned}/{d.cards} · {pct(d.mastery)}") for d in s.decks], "Mastery per deck"),
        "</section>",
        '<section id="weakest"><h2>Weakest key points</h2><p class="muted">Missed most often in scored answers (partial hits count half).</p>',
        svg.bars([(pick(p.label, lang) or p.point, p.miss_rate, f"{pct(p.miss_rate)} of {p.attempts}") for p in s.weakest(10)],
                 "Weakest key points", color=svg.WARN),
    ]
    weak = s.weakest(10)
    if weak:
        body.append("<table><tr><th>Key point</th><th>Question</th><th class=\"n\">Missed</th></tr>")
        for p in weak:
            body.append(f"<tr><td>{esc(pick(p.label, lang) or p.point)}</td><td>{esc(pick(p.question, lang))}</td>"
                        f'<td class="n">{pct(p.miss_rate)}</td></tr>')
        body.append("</table>")
    body += [
        "</section>",
        '<section id="paths"><h2>Learning paths</h2>',
        svg.bars([(pick(p.title, lang) or p.id, p.share, f"{p.done}/{p.steps} steps") for p in s.paths], "Path progress", color="#8250df"),
        "</section>",
    ]
    if s.interviews:
        body.append('<section id="interviews"><h2>Mock interviews</h2><table><tr><th>Started</th><th>Role</th><th class="n">Score</th></tr>')
        for i in s.interviews:
            score = "unfinished" if not i.finished else ("–" if i.score is None else str(i.score))
            body.append(f'<tr><td>{i.started_at:%Y-%m-%d %H:%M}</td><td>{esc(i.role or "")}</td><td class="n">{esc(score)}</td></tr>')
        body.append("</table></section>")
    return page(f"cxotutor progress: {s.learner}", "\n".join(body))
