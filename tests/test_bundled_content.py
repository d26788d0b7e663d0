"""The decks and paths that ship with cxotutor: valid, complete, bilingual, cited, self-testing."""

from __future__ import annotations

from pathlib import Path

import pytest

from cxotutor.content import bundled_dir, load_files
from cxotutor.content.selftest import self_test_problems

ROOT = Path(__file__).resolve().parents[1]
MIN_CARDS = {"cio": 30, "cto": 30, "caio": 25, "ciso": 15, "cto-vs-cio": 8}
SOURCES = {p.name for p in (ROOT.parent / "shared" / "sources").glob("*.txt")} or None


@pytest.fixture(scope="module")
def content():
    loaded = load_files([bundled_dir("decks"), bundled_dir("paths")])
    assert not loaded.problems, "\n".join(map(str, loaded.problems))
    return loaded


def test_every_bundled_deck_is_there_with_enough_cards(content):
    counts = {deck.id: len(deck.cards) for deck, _ in content.decks}
    for deck_id, minimum in MIN_CARDS.items():
        assert counts.get(deck_id, 0) >= minimum, f"{deck_id}: {counts.get(deck_id)} cards"


def test_every_card_is_bilingual_with_two_to_seven_points_and_a_source(content):
    for deck, _ in content.decks:
        assert set(deck.languages) == {"ja", "en"}
        for card in deck.cards:
            where = f"{deck.id}/{card.id}"
            assert 2 <= len(card.key_points) <= 7, where
            assert card.question.ja and card.question.en and card.answer.ja and card.answer.en, where
            assert all(kp.ja and kp.en for kp in card.key_points), where
            assert card.source and card.source.section, where
            if SOURCES:
                assert card.source.doc in SOURCES, where
            assert card.tags, where


def test_model_answers_score_at_least_90_and_silence_scores_0(content):
    problems = [p for deck, doc in content.decks for p in self_test_problems(deck, doc)]
    assert not problems, "\n".join(map(str, problems[:20]))


def test_learning_paths(content):
    paths = {path.id: path for path, _ in content.paths}
    assert {"cio", "cto", "caio", "ciso"} <= set(paths)
    for role in ("cio", "cto"):
        assert len(paths[role].steps) == 6
        assert paths[role].career, f"{role} path has no career ladder"
    for path in paths.values():
        for step in path.steps:
            assert step.practice.decks or step.practice.tags, f"{path.id}/{step.id} has nothing to practise"
            for resource in step.resources:
                if resource.kind == "certification":
                    assert resource.issuer, f"{path.id}/{step.id}: {resource.title} has no issuer"


def test_bundled_files_validate_through_the_cli():
    import subprocess
    import sys

    proc = subprocess.run(
        [sys.executable, "-m", "cxotutor", "deck", "validate", str(bundled_dir("decks")), str(bundled_dir("paths"))],
        capture_output=True, text=True,
    )
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout.startswith("ok: ") and "self-test passed" in proc.stdout
