"""Key-point feedback: hit / partial / miss per point, and the learner's answer with evidence marked."""

from __future__ import annotations

from typing import TYPE_CHECKING, Callable, Sequence

from textual.content import Content

from cxotutor.tui.text import literal, plain

if TYPE_CHECKING:
    from cxotutor.content.model import KeyPoint
    from cxotutor.scoring import PointScore

Translate = Callable[..., str]

GLYPHS = {"hit": "✓", "partial": "~", "miss": "✗"}
STYLES = {"hit": "bold $text-success", "partial": "bold $text-warning", "miss": "bold $text-error"}
MARKS = {"hit": "$text-success on $success-muted", "partial": "$text-warning on $warning-muted"}


def point_lines(points: Sequence[PointScore], key_points: Sequence[KeyPoint], lang: str, t: Translate) -> Content:
    """One line per key point: status, the point in ``lang``, and the words that matched."""
    by_id = {kp.id: kp for kp in key_points}
    width = max((Content(t(f"point.{s}")).cell_length for s in GLYPHS), default=4)
    lines = []
    for point in points:
        kp = by_id.get(point.id)
        label = kp.label(lang) if kp else point.id
        status = point.status if point.status in GLYPHS else "miss"
        parts: list = [
            (f"{GLYPHS[status]} ", STYLES[status]),
            (Content(t(f"point.{status}")).truncate(width, pad=True).plain + "  ", STYLES[status]),
            plain(label, "bold" if status != "miss" else ""),
        ]
        if point.evidence is not None and point.evidence.text:
            parts += [("  “", "$text-muted"), plain(point.evidence.text, "$text-muted italic"), ("”", "$text-muted")]
        lines.append(Content.assemble(*parts))
    return Content("\n").join(lines)


def reference_lines(key_points: Sequence[KeyPoint], lang: str, t: Translate) -> Content:
    """Key points without a verdict (flip mode, or an empty answer): label and aliases."""
    lines = []
    for kp in key_points:
        parts: list = [("• ", "$accent"), plain(kp.label(lang), "bold")]
        if kp.aliases:
            parts += ["  ", plain(t("study.aliases", aliases=", ".join(kp.aliases)), "$text-muted")]
        lines.append(Content.assemble(*parts))
    return Content("\n").join(lines)


def marked_answer(answer: str, points: Sequence[PointScore]) -> Content:
    """The learner's own answer, with the evidence of each hit or partial point highlighted.

    ``literal`` keeps one character per character, so the scorer's offsets still apply.
    """
    content = Content(literal(answer), strip_control_codes=False)
    for point in points:
        evidence = point.evidence
        if evidence is None or point.status not in MARKS:
            continue
        start, end = max(0, evidence.start), min(len(answer), evidence.end)
        if start < end:
            content = content.stylize(MARKS[point.status], start, end)
    return content
