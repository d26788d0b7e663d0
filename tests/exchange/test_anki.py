"""Anki interoperability, checked with the real Anki library (the ``anki`` package from PyPI)."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from ..conftest import MINI_DECK
from .conftest import invoke, mini_data, one_line_error, write_deck

import genanki

try:  # the test extra installs it; only a developer without it may skip
    from anki import collection as anki_collection
except ImportError:  # pragma: no cover
    if os.environ.get("CI"):
        raise
    pytest.skip("the 'anki' package is not installed (pip install -e '.[test]')", allow_module_level=True)


@pytest.fixture
def collection(tmp_path):
    (tmp_path / "anki").mkdir()
    col = anki_collection.Collection(str(tmp_path / "anki" / "collection.anki2"))
    yield col
    col.close()


def import_into(col, package: Path):
    from anki.collection import ImportAnkiPackageOptions, ImportAnkiPackageRequest

    request = ImportAnkiPackageRequest(package_path=os.fspath(package.resolve()), options=ImportAnkiPackageOptions(with_scheduling=True))
    return col.import_anki_package(request).log


def notes_by_guid(col) -> dict:
    return {note.guid: note for note in (col.get_note(nid) for nid in col.find_notes(""))}


def test_exported_apkg_imports_into_anki_with_every_field(collection, tmp_path):
    from cxotutor.anki import export_anki, stable_id
    from cxotutor.content import load_deck

    out = tmp_path / "mini.apkg"
    assert export_anki(load_deck(MINI_DECK), out, timestamp=1_700_000_000) == 3
    log = import_into(collection, out)
    assert (len(log.new), len(log.updated), len(log.duplicate)) == (3, 0, 0)
    assert collection.note_count() == 3
    notes = notes_by_guid(collection)
    note = notes[genanki.guid_for("mini", "tech-debt")]
    assert note.keys() == ["Question", "Key points", "Answer", "Source", "Card"]
    assert "技術的負債をどう管理しますか？" in note["Question"] and "How do you manage technical debt?" in note["Question"]
    assert note["Key points"] == ('<li data-point="visualise">負債の可視化 / making the debt visible</li>'
                                  '<li data-point="budget">返済の時間を確保 / reserving time to pay it down</li>')
    assert "pay it down every sprint" in note["Answer"] and note["Card"] == "mini/tech-debt"
    assert set(note.tags) == {"mini", "engineering"}
    assert note.note_type()["id"] == stable_id("model", "mini")
    assert collection.decks.by_name("ミニデッキ / Mini deck") is not None
    # The package carries ids derived from the deck id, the same on every export.
    import json
    import sqlite3
    import zipfile

    def ids(package: Path) -> tuple[set, set]:
        con = sqlite3.connect(":memory:")
        con.deserialize(zipfile.ZipFile(package).read("collection.anki2"))
        decks, models = con.execute("select decks, models from col").fetchone()
        con.close()
        return set(json.loads(decks)), set(json.loads(models))

    again = tmp_path / "again.apkg"
    export_anki(load_deck(MINI_DECK), again, timestamp=1_800_000_000)
    assert ids(out) == ids(again) and str(stable_id("deck", "mini")) in ids(out)[0] and ids(out)[1] == {str(stable_id("model", "mini"))}


def test_reexport_after_an_edit_updates_instead_of_duplicating(collection, tmp_path):
    from cxotutor.anki import export_anki
    from cxotutor.content import load_deck

    first = tmp_path / "v1.apkg"
    export_anki(load_deck(MINI_DECK), first, lang="en", timestamp=1_700_000_000)
    import_into(collection, first)
    ids_before = {guid: note.id for guid, note in notes_by_guid(collection).items()}
    studied = collection.get_note(ids_before[genanki.guid_for("mini", "tech-debt")]).cards()[0]
    studied.type, studied.queue, studied.ivl, studied.due = 2, 2, 17, collection.sched.today + 17  # as if reviewed in Anki
    collection.update_card(studied)

    data = mini_data()
    data["version"] = 2
    data["cards"][1]["question"]["en"] = "How do you keep technical debt under control?"
    data["cards"].append({**data["cards"][2], "id": "cfo-budget", "question": {"ja": "予算は？", "en": "How do you set the budget?"}})
    second = tmp_path / "v2.apkg"
    export_anki(load_deck(write_deck(tmp_path / "mini.yaml", data)), second, lang="en", timestamp=1_800_000_000)
    log = import_into(collection, second)
    assert len(log.new) == 1 and len(log.duplicate) == 0 and len(log.updated) >= 1
    assert collection.note_count() == 4
    notes = notes_by_guid(collection)
    assert {guid: notes[guid].id for guid in ids_before} == ids_before  # same notes, so Anki keeps their reviews
    assert notes[genanki.guid_for("mini", "tech-debt")]["Question"] == '<div lang="en" class="">How do you keep technical debt under control?</div>'
    assert collection.get_card(studied.id).ivl == 17  # the learner's Anki progress survived the update


def _anki_made_collection(tmp_path: Path):
    (tmp_path / "author").mkdir()
    col = anki_collection.Collection(str(tmp_path / "author" / "collection.anki2"))
    deck_id = col.decks.id("CISO::Made in Anki")
    basic = col.models.by_name("Basic")
    for front, back in (
        ("What is <b>FinOps</b>?", "<ul><li>cloud cost accountability</li><li>shared ownership of spend</li></ul>"),
        ("Why run tabletop exercises?", "They test the incident plan. They train the executives.<br>They expose gaps early."),
        ("リスク選好とは？", "経営が受け入れるリスクの量。<br>取締役会が承認する。"),
        ("Empty back", ""),
    ):
        note = col.new_note(basic)
        note["Front"], note["Back"] = front, back
        note.tags = ["security", "Exam::Prep"]
        col.add_note(note, deck_id)
    return col, deck_id


@pytest.mark.parametrize("legacy", [False, True])
def test_a_package_made_by_anki_becomes_a_valid_deck(tmp_path, legacy):
    from anki.collection import DeckIdLimit, ExportAnkiPackageOptions

    col, deck_id = _anki_made_collection(tmp_path)
    package = tmp_path / "made-by-anki.apkg"
    col.export_anki_package(out_path=os.fspath(package), limit=DeckIdLimit(deck_id),
                            options=ExportAnkiPackageOptions(with_scheduling=False, with_media=False, legacy=legacy))
    col.close()
    out = tmp_path / "from-anki.yaml"
    result = invoke("deck", "import-anki", package, "-o", out, "--role", "ciso")
    assert result.exit_code == 0, result.stderr
    assert result.stdout.startswith(f"wrote {out}: 3 card(s), 1 note(s) skipped")
    checked = invoke("deck", "validate", out)
    assert checked.exit_code == 0, checked.stderr
    import yaml

    deck = yaml.safe_load(out.read_text(encoding="utf-8"))
    assert (deck["id"], deck["title"], deck["role"], deck["languages"]) == ("from-anki", {"en": "CISO::Made in Anki"}, "ciso", ["en"])
    cards = {c["id"]: c for c in deck["cards"]}
    assert [kp["en"] for kp in cards["what-is-finops"]["key_points"]] == ["cloud cost accountability", "shared ownership of spend"]
    assert cards["what-is-finops"]["question"] == {"en": "What is FinOps?"}  # HTML stripped
    assert [kp["en"] for kp in cards["why-run-tabletop-exercises"]["key_points"]] == [
        "They test the incident plan", "They train the executives", "They expose gaps early"]
    assert cards["why-run-tabletop-exercises"]["tags"] == ["security"]  # "Exam::Prep" is not a valid tag
    assert len([c for c in cards if c.startswith("card-")]) == 1  # the Japanese card gets a stable hashed id


def test_an_anki_text_export_becomes_a_valid_deck(tmp_path):
    from anki.collection import DeckIdLimit

    col, deck_id = _anki_made_collection(tmp_path)
    text = tmp_path / "notes.txt"
    col.export_note_csv(out_path=os.fspath(text), limit=DeckIdLimit(deck_id), with_html=True, with_tags=True, with_deck=True,
                        with_notetype=True, with_guid=True)
    col.close()
    out = tmp_path / "from-text.yaml"
    result = invoke("deck", "import-anki", text, "-o", out, "--id", "tabletop")
    assert result.exit_code == 0, result.stderr
    assert invoke("deck", "validate", out).exit_code == 0
    import yaml

    deck = yaml.safe_load(out.read_text(encoding="utf-8"))
    assert deck["id"] == "tabletop" and len(deck["cards"]) == 3
    assert deck["cards"][0]["question"] == {"en": "What is FinOps?"}


def test_export_anki_cli_from_an_installed_deck(db, tmp_path, collection):
    out = tmp_path / "mini.apkg"
    result = invoke("--db", db, "deck", "export-anki", "mini", "-o", out, "--lang", "ja")
    assert result.exit_code == 0 and result.stdout.strip() == f"wrote {out}: 3 note(s) from mini 1"
    import_into(collection, out)
    assert collection.note_count() == 3
    assert one_line_error(invoke("--db", db, "deck", "export-anki", "nope", "-o", out)).startswith("cxotutor: no installed deck 'nope'")


def test_hostile_apkg_is_one_line(tmp_path):
    junk = tmp_path / "junk.apkg"
    junk.write_bytes(b"PK\x03\x04 not really")
    assert "not a zip file, or damaged" in one_line_error(invoke("deck", "import-anki", junk, "-o", tmp_path / "x.yaml"))
    import zipfile

    empty = tmp_path / "empty.apkg"
    with zipfile.ZipFile(empty, "w") as archive:
        archive.writestr("../collection.anki2", b"x")
    assert "path traversal" in one_line_error(invoke("deck", "import-anki", empty, "-o", tmp_path / "x.yaml"))
    assert not (tmp_path / "x.yaml").exists()


def test_our_own_package_comes_back_whole(tmp_path):
    """export-anki then import-anki: both languages, card and key point ids survive (progress carries over)."""
    import yaml

    from cxotutor.anki import export_anki
    from cxotutor.content import load_deck

    package = tmp_path / "mini.apkg"
    export_anki(load_deck(MINI_DECK), package)
    out = tmp_path / "mini.yaml"
    result = invoke("deck", "import-anki", package, "-o", out, "--id", "mini", "--role", "cto")
    assert result.exit_code == 0, result.stderr
    assert invoke("deck", "validate", out).exit_code == 0
    back, original = yaml.safe_load(out.read_text(encoding="utf-8")), mini_data()
    assert back["title"] == original["title"] and back["languages"] == ["ja", "en"]
    for mine, theirs in zip(back["cards"], original["cards"]):
        assert (mine["id"], mine["question"], mine["answer"], mine["tags"]) == (theirs["id"], theirs["question"], theirs["answer"], theirs["tags"])
        assert [(p["id"], p["ja"], p["en"]) for p in mine["key_points"]] == [(p["id"], p["ja"], p["en"]) for p in theirs["key_points"]]
