"""Deck and learner text on screen: always literal, never markup, never terminal escapes.

Deck files and typed answers are data. Building a markup string from them
would let ``[bold]`` or ``[link=...]`` change the display, and a raw ESC could
reach the terminal, so every such string goes through :func:`literal` and into
a ``Content`` object, never into markup.
"""

from __future__ import annotations

import unicodedata

from textual.content import Content

# One visible character per control character, so offsets into the text (evidence spans) stay valid.
_VISIBLE = {code: chr(0x2400 + code) for code in range(0x20) if code not in (0x09, 0x0A)}
_VISIBLE[0x7F] = "\u2421"


def _visible(ch: str) -> str:
    if ch in "\n\t":
        return ch
    code = ord(ch)
    if code in _VISIBLE:
        return _VISIBLE[code]
    category = unicodedata.category(ch)
    if category == "Cc" or (category == "Cf" and ch in "\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069"):
        return "\ufffd"
    return ch


def literal(text: str | None) -> str:
    """``text`` with control characters made visible (ESC shows as ␛), same length."""
    if not text:
        return ""
    if text.isprintable():
        return text
    return "".join(_visible(ch) for ch in text)


def plain(text: str | None, style: str = "") -> Content:
    """Literal text as Content, optionally styled as a whole."""
    return Content.styled(literal(text), style) if text else Content("")


def fit(content: Content | str, width: int, align: str = "left") -> Content:
    """Pad or cut ``content`` to exactly ``width`` cells (full-width characters count two)."""
    if isinstance(content, str):
        content = plain(content)
    if width <= 0:
        return Content("")
    if content.cell_length > width:
        return content.truncate(width, ellipsis=True, pad=True)
    if align == "right":
        return content.pad_left(width - content.cell_length)
    return content.truncate(width, pad=True)


def bar(fraction: float, width: int, style: str = "$success", empty: str = "$panel-lighten-2") -> Content:
    """A horizontal bar ``width`` cells wide, filled to ``fraction`` with eighth-block precision."""
    fraction = min(1.0, max(0.0, fraction))
    eighths = round(fraction * width * 8)
    full, part = divmod(eighths, 8)
    partial = " ▏▎▍▌▋▊▉"[part] if part else ""
    filled = "█" * full + partial
    rest = width - full - (1 if partial else 0)
    return Content.assemble((filled, style), ("░" * rest, empty))


def clock_text(seconds: float) -> str:
    """``m:ss`` (or ``h:mm:ss`` past an hour)."""
    seconds = max(0, int(seconds))
    hours, rest = divmod(seconds, 3600)
    minutes, secs = divmod(rest, 60)
    return f"{hours}:{minutes:02d}:{secs:02d}" if hours else f"{minutes}:{secs:02d}"
