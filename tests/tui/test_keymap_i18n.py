"""The keymap document, the bindings and the UI string catalog agree with each other."""

from __future__ import annotations

import re
from pathlib import Path

from textual.binding import Binding

from cxotutor.tui import i18n
from cxotutor.tui.keymap import SECTIONS, markdown

ROOT = Path(__file__).parent.parent.parent
TUI = ROOT / "src" / "cxotutor" / "tui"


def test_docs_keymap_is_generated_from_the_keymap():
    assert (ROOT / "docs" / "keymap.md").read_text(encoding="utf-8") == markdown("en")


def screen_classes():
    from cxotutor.tui.app import TutorApp
    from cxotutor.tui.screens.browse import BrowseScreen
    from cxotutor.tui.screens.flip import FlipScreen
    from cxotutor.tui.screens.home import HomeScreen
    from cxotutor.tui.screens.interview import InterviewScreen
    from cxotutor.tui.screens.paths import PathScreen, PathsScreen
    from cxotutor.tui.screens.report import ReportScreen
    from cxotutor.tui.screens.review import ReviewScreen
    from cxotutor.tui.screens.settings import SettingsScreen
    from cxotutor.tui.screens.stats import StatsScreen

    return {
        "everywhere": TutorApp, "home": HomeScreen, "review": ReviewScreen, "flip": FlipScreen,
        "interview": InterviewScreen, "report": ReportScreen, "paths": PathsScreen, "path": PathScreen,
        "stats": StatsScreen, "browse": BrowseScreen, "settings": SettingsScreen,
    }


def bindings(cls) -> list[Binding]:
    found = []
    for klass in cls.__mro__:
        if not klass.__module__.startswith("cxotutor"):
            continue  # Textual's own (tab, ctrl+q...) are Textual's business
        for binding in klass.__dict__.get("BINDINGS", []):
            if isinstance(binding, Binding):
                found.extend(Binding.make_bindings([binding]))
    return found


def test_every_screen_binding_is_in_the_keymap_with_an_id_and_a_description():
    documented = {section: {key for keys, _ in entries for key in keys.split()} for section, entries in SECTIONS}
    names = {"question_mark": "?", "comma": ",", "slash": "/", "escape": "escape", "space": "space", "enter": "enter"}
    for section, cls in screen_classes().items():
        for binding in bindings(cls):
            if binding.key in ("ctrl+q", "ctrl+c", "down") or binding.system:
                continue
            assert binding.id, f"{cls.__name__}: {binding.key} has no id"
            key = names.get(binding.key, binding.key)
            where = documented[section] | documented["everywhere"]
            if section in ("review", "flip"):
                where |= documented["review"] | documented["flip"]
            assert key in where, f"{cls.__name__}: {key} is not in the keymap section {section!r}"
            if binding.show:
                assert i18n.has(f"bind.{binding.id}"), f"no footer text for binding id {binding.id}"


def test_every_catalog_string_has_both_languages():
    for key, (en, ja) in i18n.CATALOG.items():
        assert en and ja, key
        assert set(re.findall(r"{(\w*)}", en)) == set(re.findall(r"{(\w*)}", ja)), key


def test_every_string_the_tui_asks_for_is_in_the_catalog():
    pattern = re.compile(r"""\bt\(\s*["']([a-z0-9_.\-]+)["']""")
    missing = set()
    for source in TUI.rglob("*.py"):
        for key in pattern.findall(source.read_text(encoding="utf-8")):
            if not key.endswith(".") and not i18n.has(key):
                missing.add(f"{source.name}: {key}")
    assert not missing, sorted(missing)


def test_catalog_strings_hold_no_markup():
    for key, texts in i18n.CATALOG.items():
        for text in texts:
            assert not re.search(r"\[/?[a-z@$#]", text), f"{key} looks like markup: {text!r}"
