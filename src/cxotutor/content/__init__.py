"""Deck and learning-path content: schema, safe loading, validation."""

from __future__ import annotations

from pathlib import Path

from cxotutor.content.bundled import bundled_dir, bundled_files
from cxotutor.content.load import ContentSet, check_deck, content_files, load_deck, load_files, load_texts, parse_model
from cxotutor.content.model import Card, CardSource, Deck, KeyPoint, LearningPath, Resource, Step, Text
from cxotutor.content.source import ContentError, Problem, read_source

__all__ = [
    "Card", "CardSource", "ContentError", "ContentSet", "Deck", "KeyPoint", "LearningPath",
    "Problem", "Resource", "Step", "Text", "bundled_dir", "bundled_files", "check_deck",
    "content_files", "load_deck", "load_files", "load_texts", "parse_model", "read_source", "resolve_deck",
]


def resolve_deck(id_or_file: str) -> Deck:
    """A deck from a file path, or a bundled deck by id."""
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
