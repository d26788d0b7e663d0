"""Loading bundled content, and re-syncing a deck whose version changed without losing progress."""

from __future__ import annotations

from pathlib import Path

import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

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


# -- what a re-install writes ---------------------------------------------------------------


def _install(store, data: dict, tmp_path: Path):
    """Install ``data`` as a deck file through the loader and install_deck; the summary."""
    from cxotutor.content import load_files
    from cxotutor.library import install_deck

    content = load_files([write_deck(tmp_path / "deck.yaml", data)])
    assert not content.problems, content.problems
    with store.write() as session:
        return install_deck(session, content.decks[0][0], "installed")


def _card_writes(store):
    """Collect (verb, table, parameter sets, SQL) for every INSERT/UPDATE/DELETE run on card and card_tag."""
    from sqlalchemy import event

    writes: list[tuple[str, str, list, str]] = []

    def record(conn, cursor, statement, parameters, context, executemany):
        words = statement.split()
        verb = words[0].upper()
        if verb not in ("INSERT", "UPDATE", "DELETE"):
            return
        table = (words[2] if verb in ("INSERT", "DELETE") else words[1]).strip('"').lower()
        if table in ("card", "card_tag"):
            rows = parameters if executemany else [parameters]
            writes.append((verb, table, rows, statement))

    event.listen(store.engine, "before_cursor_execute", record)
    return writes


def _rows(store):
    from sqlalchemy import select

    from cxotutor.store.tables import CardRow, CardTag

    with store.read() as session:
        cards = {row.key: (row.id, row.position, row.retired, row.content_hash, row.question_en)
                 for row in session.scalars(select(CardRow))}
        tags = sorted((card_id, tag) for card_id, tag in session.execute(select(CardTag.card_id, CardTag.tag)))
    return cards, tags


def test_reinstall_writes_only_the_changed_card(store, tmp_path):
    data = yaml.safe_load(MINI_DECK.read_text(encoding="utf-8"))
    assert str(_install(store, data, tmp_path)) == "mini 1: installed, 3 cards"
    before, tags_before = _rows(store)
    data["version"] = 2
    data["cards"][1]["question"]["en"] = "How do you pay down technical debt?"
    data["cards"][1]["tags"] = ["architecture", "debt"]
    writes = _card_writes(store)
    summary = _install(store, data, tmp_path)
    assert str(summary) == "mini 1 → 2: 0 added, 1 changed, 0 retired, progress kept on 0 cards"
    after, tags_after = _rows(store)
    changed_id = before["tech-debt"][0]
    # One UPDATE of one card row, and its tags written again; nothing else of the deck touched.
    card_writes = [(verb, table) for verb, table, _, _ in writes if table == "card"]
    assert card_writes == [("UPDATE", "card")]
    assert [len(rows) for verb, table, rows, _ in writes if table == "card"] == [1]
    assert after["tech-debt"][4] == "How do you pay down technical debt?"
    assert {key: row[:3] for key, row in after.items()} == {key: row[:3] for key, row in before.items()}  # same ids and places
    assert [row for row in tags_after if row[0] != changed_id] == [row for row in tags_before if row[0] != changed_id]
    assert [tag for card_id, tag in tags_after if card_id == changed_id] == ["architecture", "debt"]

    # The same file again: the deck row is updated, no card or tag row is written.
    writes.clear()
    summary = _install(store, data, tmp_path)
    assert (summary.added, summary.changed, summary.retired) == (0, 0, 0)
    assert writes == []
    assert _rows(store) == (after, tags_after)


def test_reinstall_moves_retires_and_brings_back_cards(store, tmp_path):
    data = yaml.safe_load(MINI_DECK.read_text(encoding="utf-8"))
    _install(store, data, tmp_path)
    before, _tags = _rows(store)
    first, second, third = data["cards"]

    data["version"] = 2
    data["cards"] = [third, first]  # second retired, third moved to the front, first moved
    writes = _card_writes(store)
    summary = _install(store, data, tmp_path)
    assert (summary.added, summary.changed, summary.retired) == (0, 0, 1)
    after, tags = _rows(store)
    assert after[third["id"]][:3] == (before[third["id"]][0], 0, False)
    assert after[first["id"]][:3] == (before[first["id"]][0], 1, False)
    assert after[second["id"]][2] is True and after[second["id"]][3] == before[second["id"]][3]
    assert before[second["id"]][0] not in {card_id for card_id, _ in tags}  # a retired card is in no tag query
    # Moving and retiring set a column or two; no card's text is written again.
    updates = [(rows, sql) for verb, table, rows, sql in writes if (verb, table) == ("UPDATE", "card")]
    assert len(updates) == 2 and not any("question_en" in sql for _, sql in updates)
    assert sorted(len(rows) for rows, _ in updates) == [1, 2]

    data["version"] = 3
    data["cards"] = [third, first, second]  # back again, same id, its tags again
    summary = _install(store, data, tmp_path)
    assert (summary.added, summary.changed, summary.retired) == (0, 0, 0)
    again, tags = _rows(store)
    assert again[second["id"]][:3] == (before[second["id"]][0], 2, False)
    assert sorted(tag for card_id, tag in tags if card_id == before[second["id"]][0]) == sorted(second.get("tags", []))


def test_reinstall_counts_the_progress_it_keeps(tutor, store, tmp_path):
    from cxotutor.srs import GOOD

    card = tutor.next_card()
    tutor.rate(card.id, GOOD)
    data = yaml.safe_load(MINI_DECK.read_text(encoding="utf-8"))
    data["version"] = 2
    data["cards"] = [c for c in data["cards"] if c["id"] != card.key] + [{**data["cards"][0], "id": "brand-new"}]
    summary = _install(store, data, tmp_path)
    assert (summary.added, summary.retired, summary.kept) == (1, 1, 0)  # the studied card went
    data["version"] = 3
    data["cards"] = yaml.safe_load(MINI_DECK.read_text(encoding="utf-8"))["cards"]
    summary = _install(store, data, tmp_path)
    assert (summary.retired, summary.kept) == (1, 1)  # it came back with its progress; brand-new retired
    assert tutor.card(card.id).state == "learning"


# -- the card row's JSON and content hash ---------------------------------------------------------


def _reference_values(deck, position: int) -> dict:
    """card_values as first written (json.dumps of model_dump): the hashes in every database."""
    import hashlib
    import json

    card = deck.cards[position]
    values = {
        "question_ja": card.question.ja,
        "question_en": card.question.en,
        "answer_ja": card.answer.ja,
        "answer_en": card.answer.en,
        "key_points": json.dumps([kp.model_dump(exclude_defaults=False) for kp in card.key_points], ensure_ascii=False),
        "tags": json.dumps(card.tags),
        "source": json.dumps(card.source.model_dump(), ensure_ascii=False) if card.source else None,
    }
    values["content_hash"] = hashlib.sha256(json.dumps(values, sort_keys=True).encode()).hexdigest()
    values.update(deck_id=deck.id, key=card.id, position=position, retired=False)
    return values


def test_card_values_are_the_json_and_hash_of_every_earlier_install():
    from cxotutor.content import bundled_files, load_files
    from cxotutor.library import card_values

    content = load_files([*bundled_files(), MINI_DECK])
    assert not content.problems
    for deck, _doc in content.decks:
        for position in range(len(deck.cards)):
            assert card_values(deck, position) == _reference_values(deck, position)


_texts = st.text(st.characters(blacklist_categories=("Cs", "Cc")) | st.sampled_from(list('"\\\'/\u2028\u00e9\u3042\U0001f600')), min_size=1, max_size=30)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.data())
def test_card_values_match_json_dumps_for_any_text(data):
    from cxotutor.content import Deck
    from cxotutor.library import card_values

    optional = st.none() | _texts
    point = st.fixed_dictionaries({"id": st.sampled_from(["a", "b-1", "c2"]), "ja": optional, "en": _texts,
                                   "aliases": st.lists(_texts, max_size=4), "weight": st.floats(0.001, 10)})
    card = {
        "id": "card", "question": {"ja": data.draw(optional), "en": data.draw(_texts)}, "answer": {"en": data.draw(_texts)},
        "key_points": data.draw(st.lists(point, min_size=1, max_size=3, unique_by=lambda p: p["id"])),
        "tags": data.draw(st.lists(st.sampled_from(["x", "y-2"]), max_size=2)),
        "source": data.draw(st.none() | st.fixed_dictionaries({"doc": _texts, "section": optional, "note": optional})),
    }
    try:
        deck = Deck.model_validate({"id": "d", "version": 1, "title": {"en": "t"}, "role": "cto", "languages": ["en"], "cards": [card]})
    except ValueError:
        return  # text the schema refuses (all blank, bidi controls...)
    assert card_values(deck, 0) == _reference_values(deck, 0)
