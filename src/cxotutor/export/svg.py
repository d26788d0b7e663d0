"""Small inline SVG charts for the HTML reports: no scripts, no fonts, every text escaped."""

from __future__ import annotations

from datetime import date, timedelta
from html import escape

GREENS = ("#ebedf0", "#c6e48b", "#7bc96f", "#239a3b", "#196127")
BAR = "#3b7dd8"
TRACK = "#e6e9ef"
TEXT = "#24292f"
MUTED = "#57606a"
WARN = "#d1242f"


def esc(text: object) -> str:
    """Text made safe for HTML element content and attribute values."""
    return escape(str(text), quote=True)


def _clip(text: str, limit: int) -> str:
    text = " ".join(str(text).split())
    return text if len(text) <= limit else text[: limit - 1] + "…"


def heatmap(per_day: dict[date, int], today: date, weeks: int = 53, label: str = "Reviews per day") -> str:
    """A GitHub-style calendar: one column per week (Monday on top), the last ``weeks`` weeks."""
    cell, gap, left, top = 11, 2, 28, 16
    start = today - timedelta(days=today.weekday()) - timedelta(weeks=weeks - 1)
    counts = [n for day, n in per_day.items() if start <= day <= today and n]
    ordered = sorted(counts)
    # Levels by quartile of the active days, so one marathon day does not wash out the rest.
    cuts = [ordered[int(len(ordered) * q)] if ordered else 0 for q in (0.25, 0.5, 0.75)]

    def level(n: int) -> int:
        if n <= 0:
            return 0
        return 1 + sum(n > c for c in cuts)

    width = left + weeks * (cell + gap) + 4
    height = top + 7 * (cell + gap) + 4
    parts = [f'<svg class="chart" role="img" aria-label="{esc(label)}" width="{width}" height="{height}" viewBox="0 0 {width} {height}" xmlns="http://www.w3.org/2000/svg">']
    for row, name in ((0, "Mon"), (2, "Wed"), (4, "Fri")):
        parts.append(f'<text x="0" y="{top + row * (cell + gap) + cell - 2}" font-size="9" fill="{MUTED}">{name}</text>')
    month = None
    for week in range(weeks):
        monday = start + timedelta(weeks=week)
        if monday.month != month:
            month = monday.month
            parts.append(f'<text x="{left + week * (cell + gap)}" y="10" font-size="9" fill="{MUTED}">{monday:%b}</text>')
        for weekday in range(7):
            day = monday + timedelta(days=weekday)
            if day > today:
                continue
            n = per_day.get(day, 0)
            x, y = left + week * (cell + gap), top + weekday * (cell + gap)
            parts.append(f'<rect x="{x}" y="{y}" width="{cell}" height="{cell}" rx="2" fill="{GREENS[level(n)]}">'
                         f'<title>{day.isoformat()}: {n} review(s)</title></rect>')
    parts.append("</svg>")
    return "".join(parts)


def columns(values: list[tuple[date, int]], label: str = "Reviews per day") -> str:
    """A column chart of daily counts, with the maximum marked."""
    left, top, bottom, height, step = 34, 10, 20, 120, 8
    width = left + len(values) * step + 6
    peak = max((n for _d, n in values), default=0) or 1
    parts = [f'<svg class="chart" role="img" aria-label="{esc(label)}" width="{width}" height="{top + height + bottom}" viewBox="0 0 {width} {top + height + bottom}" xmlns="http://www.w3.org/2000/svg">',
             f'<line x1="{left}" y1="{top + height}" x2="{width}" y2="{top + height}" stroke="{TRACK}"/>',
             f'<text x="0" y="{top + 8}" font-size="9" fill="{MUTED}">{peak}</text>',
             f'<text x="0" y="{top + height}" font-size="9" fill="{MUTED}">0</text>']
    for i, (day, n) in enumerate(values):
        h = round(height * n / peak)
        x = left + i * step
        parts.append(f'<rect x="{x}" y="{top + height - h}" width="{step - 2}" height="{max(h, 0)}" fill="{BAR}"><title>{day.isoformat()}: {n}</title></rect>')
        if i % 14 == 0 or i == len(values) - 1:
            parts.append(f'<text x="{x}" y="{top + height + 14}" font-size="9" fill="{MUTED}">{day:%m-%d}</text>')
    parts.append("</svg>")
    return "".join(parts)


def bars(items: list[tuple[str, float, str]], label: str, color: str = BAR, width: int = 640) -> str:
    """Horizontal bars: (label, share 0-1, text after the bar)."""
    if not items:
        return '<p class="muted">Nothing to show yet.</p>'
    row, label_w, bar_w = 22, 260, width - 260 - 90
    height = row * len(items) + 6
    parts = [f'<svg class="chart" role="img" aria-label="{esc(label)}" width="{width}" height="{height}" viewBox="0 0 {width} {height}" xmlns="http://www.w3.org/2000/svg">']
    for i, (name, share, text) in enumerate(items):
        y = 4 + i * row
        share = min(max(share, 0.0), 1.0)
        parts.append(f'<text x="0" y="{y + 13}" font-size="12" fill="{TEXT}"><title>{esc(name)}</title>{esc(_clip(name, 38))}</text>')
        parts.append(f'<rect x="{label_w}" y="{y + 2}" width="{bar_w}" height="14" rx="3" fill="{TRACK}"/>')
        parts.append(f'<rect x="{label_w}" y="{y + 2}" width="{round(bar_w * share)}" height="14" rx="3" fill="{color}"/>')
        parts.append(f'<text x="{label_w + bar_w + 8}" y="{y + 13}" font-size="12" fill="{MUTED}">{esc(text)}</text>')
    parts.append("</svg>")
    return "".join(parts)
