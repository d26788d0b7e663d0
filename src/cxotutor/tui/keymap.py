"""The full keymap, one source for the help screen (``?``) and docs/keymap.md."""

from __future__ import annotations

from cxotutor.tui import i18n

# (section, [(keys as the learner types them, catalog key of the description)])
SECTIONS: list[tuple[str, list[tuple[str, str]]]] = [
    ("everywhere", [
        ("?", "help.key.help"),
        ("ctrl+p", "help.key.palette"),
        ("escape", "help.key.back"),
        ("tab / shift+tab", "help.key.tab"),
        ("↑ ↓ pgup pgdn", "help.key.arrows"),
        ("q", "help.key.quit"),
    ]),
    ("home", [
        ("r", "help.key.home.review"),
        ("enter", "help.key.home.enter"),
        ("f", "help.key.home.flip"),
        ("m", "help.key.home.mock"),
        ("p", "help.key.home.paths"),
        ("s", "help.key.home.stats"),
        ("b", "help.key.home.browse"),
        (",", "help.key.home.settings"),
    ]),
    ("review", [
        ("ctrl+s", "help.key.study.submit"),
        ("1 2 3 4", "help.key.study.rate"),
        ("enter", "help.key.study.accept"),
        ("u", "help.key.study.undo"),
        ("l", "help.key.study.language"),
        ("ctrl+t", "help.key.study.language_typing"),
        ("e", "help.key.study.edit"),
        ("up down pageup pagedown home end", "help.key.study.scroll"),
    ]),
    ("flip", [
        ("space", "help.key.flip.reveal"),
        ("up down pageup pagedown home end", "help.key.flip.scroll"),
        ("1 2 3 4", "help.key.study.rate"),
        ("enter", "help.key.flip.accept"),
        ("u", "help.key.study.undo"),
        ("l", "help.key.study.language"),
    ]),
    ("interview", [
        ("ctrl+s", "help.key.interview.submit"),
        ("ctrl+t", "help.key.study.language_typing"),
        ("escape", "help.key.interview.end"),
    ]),
    ("report", [
        ("x", "help.key.report.export"),
        ("d", "help.key.report.drill"),
    ]),
    ("paths", [
        ("enter", "help.key.paths.open"),
    ]),
    ("path", [
        ("space", "help.key.path.cycle"),
        ("x", "help.key.path.skip"),
        ("n", "help.key.path.note"),
        ("p", "help.key.path.practise"),
        ("c", "help.key.path.career"),
    ]),
    ("stats", [
        ("enter", "help.key.stats.enter"),
        ("d", "help.key.stats.drill"),
    ]),
    ("browse", [
        ("/", "help.key.browse.search"),
        ("l", "help.key.browse.language"),
    ]),
    ("settings", [
        ("ctrl+s", "help.key.settings.save"),
    ]),
]


def markdown(lang: str = "en") -> str:
    """The keymap as Markdown tables (docs/keymap.md is this, in English)."""
    title = "Keymap" if lang == "en" else "キー一覧"
    lines = [
        f"# {title}",
        "",
        "<!-- Generated from src/cxotutor/tui/keymap.py; tests/tui/test_keymap_i18n.py checks it. -->",
        "",
        i18n.t("help.typing", lang),
        "",
    ]
    for section, entries in SECTIONS:
        lines += [f"## {i18n.t(f'help.section.{section}', lang)}", "", "| key | action |", "| --- | --- |"]
        lines += [f"| `{keys}` | {i18n.t(description, lang)} |" for keys, description in entries]
        lines.append("")
    return "\n".join(lines)
