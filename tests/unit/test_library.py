"""Loading bundled content, and re-syncing a deck whose version changed without losing progress."""

from __future__ import annotations

from pathlib import Path

import yaml

from cxotutor.library import sync_bundled
from cxotutor.srs import GOOD

from ..conftest import MINI_DECK


def write_deck(path: Path, data: dict) -> Path:
    path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")
    return path


def test_first_sync_loads_and_second_parses_nothing(store, tmp_path, monkeypatch):
    first = sync_bundled(store, [MINI_DECK])
    assert [str(s) for s in first] == ["mini 1: installed, 3 cards"]
    import cxotutor.content as content

    monkeypatch.setattr(content, "load_files", lambda *a, **k: (_ for _ in ()).throw(AssertionError("parsed")))
    assert sync_bundled(store, [MINI_DECK]) == []


def test_new_version_keeps_progress_retires_and_adds(tutor, store, tmp_path):
    seen = []
    for _ in range(3):
        card = tutor.next_card()
        tutor.rate(card.id, GOOD)
        seen.append(card)
    data = yaml.safe_load(MINI_DECK.read_text(encoding="utf-8"))
    data["version"] = 2
    data["cards"][0]["question"]["en"] = "What makes microservices hard?"  # changed wording, same id
    removed = data["cards"].pop(1)  # tech-debt goes
    data["cards"].append({**removed, "id": "tech-debt-v2"})  # a new card
    summary = sync_bundled(store, [write_deck(tmp_path / "mini.yaml", data)])
    assert [str(s) for s in summary] == ["mini 1 → 2: 1 added, 1 changed, 1 retired, progress kept on 2 cards"]

    kept = tutor.card(seen[0].id)
    assert kept.question_en == "What makes microservices hard?"
    assert kept.state == "learning"  # progress survived the edit
    retired = tutor.card(seen[1].id)
    assert retired.retired and len(tutor.history(retired.id)) == 1  # history kept
    deck = tutor.decks()[0]
    assert (deck.version, deck.cards, deck.new) == (2, 3, 1)
    queue_keys = set()
    for _ in range(10):
        card = tutor.next_card(exclude=tuple(queue_keys))
        if card is None:
            break
        queue_keys.add(card.id)
    assert seen[1].id not in queue_keys


def test_same_version_is_not_resynced(tutor, store, tmp_path):
    data = yaml.safe_load(MINI_DECK.read_text(encoding="utf-8"))
    data["cards"][0]["question"]["en"] = "edited without a version bump"
    assert sync_bundled(store, [write_deck(tmp_path / "mini.yaml", data)]) == []
    assert tutor.find_card("mini", "microservices-challenges").question_en != "edited without a version bump"


def test_a_broken_bundled_file_changes_nothing(tutor, store, tmp_path):
    import pytest

    from cxotutor.content import ContentError

    bad = tmp_path / "mini.yaml"
    bad.write_text("id: mini\nversion: 9\ncards: [\n", encoding="utf-8")
    with pytest.raises(ContentError, match=r"mini.yaml:\d+:\d+"):
        sync_bundled(store, [bad])
    assert tutor.decks()[0].version == 1
