"""Deck and learning-path content: schema, safe loading, validation.

The names below are imported on first use (PEP 562): every start-up reads
``cxotutor.content.bundled``, and importing pydantic, YAML and the models along
with it would cost about 0.12 s there (issue 7).
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from cxotutor.content.bundled import bundled_dir, bundled_files
    from cxotutor.content.load import ContentSet, check_deck, content_files, load_deck, load_files, load_texts, parse_model
    from cxotutor.content.model import Card, CardSource, Deck, KeyPoint, LearningPath, Resource, Step, Text
    from cxotutor.content.source import ContentError, Problem, read_source

_HOMES = {
    "bundled": ("bundled_dir", "bundled_files"),
    "load": ("ContentSet", "check_deck", "content_files", "load_deck", "load_files", "load_texts", "parse_model"),
    "model": ("Card", "CardSource", "Deck", "KeyPoint", "LearningPath", "Resource", "Step", "Text"),
    "source": ("ContentError", "Problem", "read_source"),
}
_HOME_OF = {name: module for module, names in _HOMES.items() for name in names}

__all__ = sorted([*_HOME_OF, "resolve_deck"])


def __getattr__(name: str):
    module = _HOME_OF.get(name)
    if module is None:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    value = getattr(importlib.import_module(f"{__name__}.{module}"), name)
    globals()[name] = value
    return value


def resolve_deck(id_or_file: str) -> Deck:
    """A deck from a file path, or a bundled deck by id."""
    from pathlib import Path

    from cxotutor.content.bundled import bundled_dir
    from cxotutor.content.load import load_deck
    from cxotutor.content.source import ContentError

    candidate = Path(id_or_file)
    if candidate.suffix in (".yaml", ".yml") or candidate.exists():
        if not candidate.exists():
            raise ContentError(f"{id_or_file}: no such file")
        return load_deck(candidate)
    for file in sorted(bundled_dir("decks").glob("*.yaml")):
        if file.stem == id_or_file:
            return load_deck(file)
    for file in sorted(bundled_dir("decks").glob("*.yaml")):
        deck = load_deck(file)
        if deck.id == id_or_file:
            return deck
    raise ContentError(f"no deck {id_or_file!r} (give a deck id or a path to a .yaml file)")
