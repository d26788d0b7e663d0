"""Anki interoperability: export a deck as ``.apkg``, and turn an Anki deck into a cxotutor deck.

Export: one note per card (question, key points, model answer). Note GUIDs
come from deck id + card id (``genanki.guid_for``), and the note type and deck
ids from a hash of the deck id, so re-exporting an edited deck updates the
learner's Anki notes (and keeps their Anki review history) instead of adding
duplicates.

Import: an ``.apkg`` (read in memory with the same zip limits as bundles; the
collection is opened from bytes with ``sqlite3.deserialize``, never written to
disk) or an Anki plain-text export. Front becomes the question, back the model
answer, and key points are proposed from the back's bullet lines or sentences
for the author to refine.
"""

from __future__ import annotations

import csv
import hashlib
import html
import io
import json
import re
import sqlite3
from dataclasses import dataclass
from pathlib import Path

from cxotutor.bundle import BundleError, SafeZip, ZipLimits
from cxotutor.content import ContentError, Deck, check_deck, parse_model, read_source

APKG_LIMITS = ZipLimits(archive_bytes=512 * 1024 * 1024, entries=100_000, member_bytes=256 * 1024 * 1024,
                        total_bytes=2 * 1024 * 1024 * 1024, ratio=1000.0, ratio_floor=1024 * 1024)
MAX_COLLECTION_BYTES = 256 * 1024 * 1024
MODEL_FIELDS = ("Question", "Key points", "Answer", "Source", "Card")

_CSS = """.card { font-family: sans-serif; font-size: 20px; text-align: left; color: #222; background: #fff; }
.en { color: #555; } ul.points { margin: .5em 0; } .source { font-size: 12px; color: #888; margin-top: 1em; }"""
_FRONT = "{{Question}}"
_BACK = """{{FrontSide}}<hr id="answer"><ul class="points">{{Key points}}</ul><div class="answer">{{Answer}}</div>
{{#Source}}<div class="source">{{Source}}</div>{{/Source}}"""


def stable_id(kind: str, deck_id: str) -> int:
    """A 31-bit id Anki accepts, the same every time for the same deck id."""
    digest = hashlib.sha256(f"cxotutor:{kind}:{deck_id}".encode()).digest()
    return (1 << 30) + int.from_bytes(digest[:8], "big") % (1 << 30)


def _both(ja: str | None, en: str | None, lang: str) -> str:
    parts = []
    if lang in ("ja", "both") and ja:
        parts.append(f'<div lang="ja">{html.escape(ja)}</div>')
    if lang in ("en", "both") and en:
        parts.append(f'<div lang="en" class="{"en" if parts else ""}">{html.escape(en)}</div>')
    if not parts:  # the deck lacks the requested language: show what it has
        parts.append(html.escape(ja or en or ""))
    return "".join(parts)


def _point_label(point, lang: str) -> str:
    """"ja / en" for both languages, else the one asked for (or whichever the point has)."""
    texts = [t for t in (point.ja if lang != "en" else None, point.en if lang != "ja" else None) if t]
    return " / ".join(texts) or point.label("ja" if lang == "both" else lang)


def export_anki(deck: Deck, out: Path, lang: str = "both", timestamp: float | None = None) -> int:
    """Write ``deck`` as an Anki package; returns the number of notes."""
    import genanki

    if lang not in ("ja", "en", "both"):
        raise ValueError("language must be ja, en or both")
    model = genanki.Model(
        stable_id("model", deck.id),
        f"cxotutor ({deck.id})",
        fields=[{"name": name} for name in MODEL_FIELDS],
        templates=[{"name": "Question → answer", "qfmt": _FRONT, "afmt": _BACK}],
        css=_CSS,
    )
    title = deck.title.get("en") if lang == "en" else deck.title.get("ja") if lang == "ja" else " / ".join(
        t for t in (deck.title.ja, deck.title.en) if t)
    anki_deck = genanki.Deck(stable_id("deck", deck.id), title or deck.id)
    for card in deck.cards:
        points = "".join(f'<li data-point="{kp.id}">{html.escape(_point_label(kp, lang))}</li>' for kp in card.key_points)
        source = ""
        if card.source:
            source = html.escape(" · ".join(p for p in (card.source.doc, card.source.section, card.source.note) if p))
        note = genanki.Note(
            model=model,
            fields=[_both(card.question.ja, card.question.en, lang), points, _both(card.answer.ja, card.answer.en, lang),
                    source, html.escape(f"{deck.id}/{card.id}")],
            guid=genanki.guid_for(deck.id, card.id),
            tags=[deck.id, *card.tags],
        )
        anki_deck.add_note(note)
    out.parent.mkdir(parents=True, exist_ok=True)
    genanki.Package(anki_deck).write_to_file(str(out), timestamp=timestamp)
    return len(deck.cards)


def deck_from_store(store, deck_id: str) -> Deck:
    """An installed deck (its live cards) rebuilt as a Deck, for exporting."""
    from sqlalchemy import select

    from cxotutor.store.tables import CardRow, DeckRow

    with store.read() as session:
        row = session.get(DeckRow, deck_id)
        if row is None or row.removed:
            raise KeyError(f"no installed deck {deck_id!r} (give a deck id from `cxotutor deck list` or a .yaml file)")
        cards = session.execute(
            select(CardRow).where(CardRow.deck_id == deck_id, CardRow.retired.is_(False)).order_by(CardRow.position)
        ).scalars().all()
    return Deck.model_validate({
        "id": row.id, "version": row.version, "title": {"ja": row.title_ja, "en": row.title_en}, "role": row.role,
        "languages": row.languages.split(","), "author": row.author, "source": row.source,
        "cards": [
            {"id": c.key, "question": {"ja": c.question_ja, "en": c.question_en}, "answer": {"ja": c.answer_ja, "en": c.answer_en},
             "key_points": json.loads(c.key_points), "tags": json.loads(c.tags), "source": json.loads(c.source) if c.source else None}
            for c in cards
        ],
    })


# -- import --------------------------------------------------------------------------------


@dataclass(frozen=True)
class AnkiNote:
    guid: str
    front: str  # HTML as Anki stores it
    back: str
    tags: tuple[str, ...] = ()
    deck: str | None = None
    named: tuple[tuple[str, str], ...] = ()  # every field by its note type's field name

    def field(self, name: str) -> str | None:
        return dict(self.named).get(name)

    @property
    def from_cxotutor(self) -> bool:
        """A note written by ``export_anki``: its fields say exactly what each part is."""
        names = {name for name, _ in self.named}
        return {"Question", "Key points", "Answer", "Card"} <= names


def read_apkg(path: Path) -> list[AnkiNote]:
    """The notes of an Anki package (first field → front, second → back)."""
    label = path.name
    with SafeZip(path, APKG_LIMITS, label) as archive:
        for name in ("collection.anki21b", "collection.anki21", "collection.anki2"):
            if name in archive.members:
                break
        else:
            raise BundleError(f"{label}: no Anki collection inside (not an .apkg file?)")
        if archive.members[name].file_size > MAX_COLLECTION_BYTES:
            raise BundleError(f"{label}: the collection is too large")
        data = archive.read(name)
    if name.endswith("b"):
        data = _unzstd(data, label)
    return _notes_from_collection(data, label)


def _unzstd(data: bytes, label: str) -> bytes:
    try:
        import zstandard
    except ImportError:  # pragma: no cover - a runtime dependency
        raise BundleError(f"{label}: needs the 'zstandard' package to read packages from Anki 2.1.50 and later") from None
    try:
        reader = zstandard.ZstdDecompressor().stream_reader(io.BytesIO(data))
        out = reader.read(MAX_COLLECTION_BYTES + 1)
        while len(out) <= MAX_COLLECTION_BYTES:
            more = reader.read(MAX_COLLECTION_BYTES + 1 - len(out))
            if not more:
                break
            out += more
    except zstandard.ZstdError as exc:
        raise BundleError(f"{label}: the collection is damaged ({exc})") from None
    if len(out) > MAX_COLLECTION_BYTES:
        raise BundleError(f"{label}: the collection is too large when unpacked")
    return out


def _notes_from_collection(data: bytes, label: str) -> list[AnkiNote]:
    con = sqlite3.connect(":memory:")
    try:
        con.create_collation("unicase", lambda a, b: (a.casefold() > b.casefold()) - (a.casefold() < b.casefold()))
        if data[:16] == b"SQLite format 3\x00" and data[18:20] == b"\x02\x02":
            data = data[:18] + b"\x01\x01" + data[20:]  # a WAL-mode file: read it as a plain one (in memory there is no WAL)
        try:
            con.deserialize(data)
            con.execute("PRAGMA query_only = ON")
            tables = {row[0] for row in con.execute("select name from sqlite_master where type = 'table'")}
            if "notes" not in tables:
                raise BundleError(f"{label}: not an Anki collection")
            decks = _deck_names(con, tables)
            field_names = _field_names(con, tables)
            note_deck = dict(con.execute("select nid, did from cards group by nid"))
            notes = []
            for nid, guid, mid, fields, tags in con.execute("select id, guid, mid, flds, tags from notes order by id"):
                parts = str(fields).split("\x1f")
                named = tuple(zip(field_names.get(mid, []), parts))
                notes.append(AnkiNote(str(guid), parts[0], parts[1] if len(parts) > 1 else "",
                                      tuple(t for t in str(tags).split() if t), decks.get(note_deck.get(nid)), named))
        except sqlite3.Error as exc:
            raise BundleError(f"{label}: the collection is damaged ({exc})") from None
    finally:
        con.close()
    return notes


def _field_names(con: sqlite3.Connection, tables: set[str]) -> dict[int, list[str]]:
    """Note type id -> its field names in order (Anki 2.1.28+ keeps them in a table, older in JSON)."""
    names: dict[int, list[str]] = {}
    if "fields" in tables:
        for ntid, _ord, name in con.execute("select ntid, ord, name from fields order by ntid, ord"):
            names.setdefault(ntid, []).append(str(name))
        return names
    row = con.execute("select models from col").fetchone()
    try:
        for mid, model in (json.loads(row[0]) if row else {}).items():
            fields = sorted(model.get("flds", []), key=lambda f: f.get("ord", 0))
            names[int(mid)] = [str(f.get("name", "")) for f in fields]
    except (ValueError, AttributeError, TypeError):
        return {}
    return names


def _deck_names(con: sqlite3.Connection, tables: set[str]) -> dict[int, str]:
    if "decks" in tables:
        return {did: str(name).replace("\x1f", "::") for did, name in con.execute("select id, name from decks")}
    row = con.execute("select decks from col").fetchone()
    try:
        data = json.loads(row[0]) if row else {}
        return {int(k): v.get("name", "") for k, v in data.items()}
    except (ValueError, AttributeError, TypeError):
        return {}


_SEPARATORS = {"tab": "\t", "comma": ",", "semicolon": ";", "space": " ", "pipe": "|", "colon": ":"}


def read_anki_text(path: Path) -> list[AnkiNote]:
    """Notes from Anki's "Notes in Plain Text" export (``#separator:``/``#columns:`` headers honoured)."""
    raw = path.read_bytes()
    if len(raw) > 64 * 1024 * 1024:
        raise ValueError(f"{path}: too large for a text export")
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise ValueError(f"{path}: not UTF-8 text") from None
    separator, special = "\t", {}
    lines = text.splitlines(keepends=True)
    body_start = 0
    for i, line in enumerate(lines):
        if not line.startswith("#"):
            body_start = i
            break
        key, _, value = line[1:].strip().partition(":")
        key, value = key.strip().lower(), value.strip()
        if key == "separator":
            separator = _SEPARATORS.get(value.lower(), value[:1] or "\t")
        elif key.endswith(" column") and value.isdigit():
            special[key.removesuffix(" column")] = int(value) - 1
    else:
        body_start = len(lines)
    skip = set(special.values())
    notes = []
    for n, row in enumerate(csv.reader(io.StringIO("".join(lines[body_start:])), delimiter=separator, quotechar='"')):
        if not row or not any(cell.strip() for cell in row):
            continue
        fields = [cell for i, cell in enumerate(row) if i not in skip]
        guid = row[special["guid"]] if "guid" in special and special["guid"] < len(row) else f"line-{n}"
        tags = tuple(row[special["tags"]].split()) if "tags" in special and special["tags"] < len(row) else ()
        deck = row[special["deck"]] if "deck" in special and special["deck"] < len(row) else None
        notes.append(AnkiNote(guid, fields[0] if fields else "", fields[1] if len(fields) > 1 else "", tags, deck))
    return notes


def html_to_text(value: str) -> str:
    """Anki field HTML → plain text: line breaks kept, bullets as "- ", media and cloze markup dropped."""
    text = re.sub(r"(?is)<(script|style)[^>]*>.*?</\1\s*>", "", value)
    text = re.sub(r"(?i)<br\s*/?>", "\n", text)
    text = re.sub(r"(?i)<li[^>]*>", "\n- ", text)
    text = re.sub(r"(?i)</(div|p|tr|h[1-6]|ul|ol)\s*>", "\n", text)
    text = re.sub(r"<[^>]*>", "", text)
    text = html.unescape(text)
    text = re.sub(r"\[sound:[^\]]*\]", "", text)
    text = re.sub(r"\{\{c\d+::(.*?)(::[^}]*)?\}\}", r"\1", text)
    text = "".join(ch if ch in "\n\t" or ch.isprintable() or ch == " " else " " for ch in text)
    text = re.sub(r"[\u202a-\u202e\u2066-\u2069]", "", text)
    lines = [" ".join(line.split()) for line in text.splitlines()]
    out: list[str] = []
    for line in lines:
        if line or (out and out[-1]):
            out.append(line)
    return "\n".join(out).strip()


_JAPANESE = re.compile(r"[\u3040-\u30ff\u3400-\u9fff\uff66-\uff9f]")
_BULLET = re.compile(r"^\s*(?:[-*•・‣◦▪●]|\d{1,2}[.)]|[（(]\d{1,2}[)）])\s+")
_SENTENCE = re.compile(r"(?<=[.!?])\s+|(?<=[。！？])")


def propose_key_points(answer: str, limit: int = 7) -> list[str]:
    """Bullet lines if the answer has any, else its sentences (each a literal part of the answer)."""
    lines = [line for line in answer.splitlines() if line.strip()]
    bullets = [_BULLET.sub("", line).strip() for line in lines if _BULLET.match(line)]
    items = bullets if bullets else [s.strip() for line in lines for s in _SENTENCE.split(line) if s.strip()]
    seen, points = set(), []
    for item in items:
        item = item.rstrip("。.!！?？").strip()[:200].strip()
        if len(item) < 2 or item.casefold() in seen:
            continue
        if any(item.casefold() in other or other in item.casefold() for other in seen):
            continue  # one point inside another would be ambiguous to score
        seen.add(item.casefold())
        points.append(item)
        if len(points) == limit:
            break
    return points


def _slug(text: str, fallback: str, words: int = 6) -> str:
    ascii_words = re.findall(r"[a-z0-9]+", text.lower())
    slug = "-".join(ascii_words[:words])[:48].strip("-")
    return slug if slug and slug[0].isalnum() else fallback


def _unique(slug: str, taken: set[str]) -> str:
    candidate, n = slug, 2
    while candidate in taken:
        candidate = f"{slug[:60]}-{n}"
        n += 1
    taken.add(candidate)
    return candidate


def deck_from_notes(notes: list[AnkiNote], deck_id: str, *, title: str | None = None, role: str = "general",
                    source: str | None = None) -> tuple[dict, list[str]]:
    """A deck (plain data, ready for YAML) from Anki notes, and a note per note that was skipped.

    Notes written by ``export_anki`` come back whole: both languages, card and
    key point ids (so progress on the cards carries over). Others are guessed.
    """
    if notes and all(note.from_cxotutor for note in notes):
        return _deck_from_own_notes(notes, deck_id, title=title, role=role, source=source)
    skipped: list[str] = []
    drafts = []
    for note in notes:
        question, answer = html_to_text(note.front)[:20_000], html_to_text(note.back)[:20_000]
        if not question:
            skipped.append(f"note {note.guid}: empty front")
            continue
        if not answer:
            skipped.append(f"note {note.guid}: empty back (no model answer)")
            continue
        drafts.append((note, question, answer))
    if not drafts:
        raise ValueError("no usable notes (every note needs a front and a back)")
    japanese = sum(bool(_JAPANESE.search(q + a)) for _n, q, a in drafts)
    lang = "ja" if japanese * 2 > len(drafts) else "en"
    names = [n.deck for n, _q, _a in drafts if n.deck and n.deck != "Default"]
    title = title or (max(set(names), key=names.count) if names else deck_id)
    card_ids: set[str] = set()
    cards = []
    for note, question, answer in drafts:
        fallback = "card-" + hashlib.sha256(note.guid.encode()).hexdigest()[:8]
        card_id = _unique(_slug(question, fallback), card_ids)
        point_ids: set[str] = set()
        key_points = [
            {"id": _unique(_slug(text, f"point-{i}", 4), point_ids), lang: text}
            for i, text in enumerate(propose_key_points(answer) or [answer[:200]], start=1)
        ]
        tags = sorted({t.lower() for t in note.tags if re.fullmatch(r"[a-z0-9][a-z0-9-]{0,63}", t.lower())})[:30]
        card = {"id": card_id, "question": {lang: question}, "key_points": key_points, "answer": {lang: answer}}
        if tags:
            card["tags"] = tags
        cards.append(card)
    deck = {"id": deck_id, "version": 1, "title": {lang: title[:20_000]}, "role": role, "languages": [lang],
            "author": "imported from Anki"}
    if source:
        deck["source"] = source[:500]
    deck["cards"] = cards
    return deck, skipped


def deck_yaml(deck: dict, origin: str) -> str:
    """The deck as YAML with a header telling the author what to refine."""
    import yaml

    header = (
        f"# Imported from {origin} by `cxotutor deck import-anki`.\n"
        "# Key points came from the notes (or were proposed from each back's lines or sentences): make each one a short phrase an\n"
        "# interviewer listens for, add aliases (synonyms, abbreviations), and keep the model answer mentioning\n"
        "# every key point. Then run `cxotutor deck validate` on this file.\n"
    )
    class Dumper(yaml.SafeDumper):
        pass

    def text_block(dumper, value: str):
        style = "|" if "\n" in value and not value.endswith((" ", "\t")) and "\n " not in value else None
        return dumper.represent_scalar("tag:yaml.org,2002:str", value, style=style)

    Dumper.add_representer(str, text_block)
    return header + yaml.dump(deck, Dumper=Dumper, allow_unicode=True, sort_keys=False, width=120)


def import_anki(source: Path, deck_id: str, *, title: str | None = None, role: str = "general") -> tuple[str, Deck, list[str]]:
    """Read an .apkg or Anki text export; return the YAML text, the validated deck, and skipped-note notes."""
    from cxotutor.content.model import is_slug

    if not is_slug(deck_id):
        raise ValueError(f"deck id {deck_id!r} must be lowercase letters, digits and '-'")
    if not source.exists():
        raise FileNotFoundError(2, "No such file or directory", str(source))
    notes = read_apkg(source) if source.suffix.lower() in (".apkg", ".colpkg") else read_anki_text(source)
    data, skipped = deck_from_notes(notes, deck_id, title=title, role=role, source=source.name)
    text = deck_yaml(data, source.name)
    doc = read_source(f"{deck_id}.yaml", text=text)
    deck = parse_model(doc)
    problems = check_deck(deck, doc) if isinstance(deck, Deck) else []
    if problems:
        raise ContentError(problems)
    return text, deck, skipped


_LANG_DIV = re.compile(r'<div lang="(ja|en)"[^>]*>(.*?)</div>', re.S)
_POINT = re.compile(r'<li(?: data-point="([a-z0-9][a-z0-9-]{0,63})")?>(.*?)</li>', re.S)


def _by_language(value: str) -> dict[str, str]:
    found = {lang: html_to_text(text) for lang, text in _LANG_DIV.findall(value)}
    found = {lang: text for lang, text in found.items() if text}
    if not found and html_to_text(value):
        text = html_to_text(value)
        found = {"ja" if _JAPANESE.search(text) else "en": text}
    return found


def _deck_from_own_notes(notes: list[AnkiNote], deck_id: str, *, title: str | None, role: str,
                         source: str | None) -> tuple[dict, list[str]]:
    drafts = []
    for note in notes:
        question, answer = _by_language(note.field("Question") or ""), _by_language(note.field("Answer") or "")
        langs = [lang for lang in ("ja", "en") if lang in question and lang in answer]
        drafts.append((note, question, answer, langs, html_to_text(note.field("Card") or "")))
    common = [lang for lang in ("ja", "en") if all(lang in d[3] for d in drafts)]
    if not common:
        raise ValueError("these notes have no language in common (every card needs its question and answer in it)")
    card_ids: set[str] = set()
    cards = []
    for note, question, answer, _langs, ref in drafts:
        old_deck, _, old_card = ref.rpartition("/")  # "deck/card", as export_anki wrote it
        fallback = "card-" + hashlib.sha256(note.guid.encode()).hexdigest()[:8]
        known = re.fullmatch(r"[a-z0-9][a-z0-9-]{0,63}", old_card)
        card_id = _unique(old_card if known else _slug(question.get("en", ""), fallback), card_ids)
        point_ids: set[str] = set()
        key_points = []
        for i, (point_id, label) in enumerate(_POINT.findall(note.field("Key points") or ""), start=1):
            text = html_to_text(label)
            parts = text.split(" / ", 1) if len(common) == 2 else [text]
            point = {"id": _unique(point_id or _slug(parts[-1], f"point-{i}", 4), point_ids)}
            if len(common) == 2 and len(parts) == 2:
                point.update(ja=parts[0], en=parts[1])
            else:
                point[common[0]] = text
            key_points.append(point)
        tags = sorted({t.lower() for t in note.tags if re.fullmatch(r"[a-z0-9][a-z0-9-]{0,63}", t.lower())} - {old_deck})[:30]
        card = {"id": card_id, "question": {lang: question[lang] for lang in common},
                "key_points": key_points or [{"id": "point-1", common[0]: answer[common[0]][:200]}],
                "answer": {lang: answer[lang] for lang in common}}
        if tags:
            card["tags"] = tags
        cards.append(card)
    names = [n.deck for n in notes if n.deck and n.deck != "Default"]
    heading = title or (max(set(names), key=names.count) if names else deck_id)
    titles = heading.split(" / ", 1) if len(common) == 2 and not title else []
    deck = {"id": deck_id, "version": 1, "title": dict(zip(common, titles)) if len(titles) == 2 else {lang: heading for lang in common},
            "role": role, "languages": common,
            "author": "imported from Anki"}
    if source:
        deck["source"] = source[:500]
    deck["cards"] = cards
    return deck, []
