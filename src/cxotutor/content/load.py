"""Load and check deck and learning-path files, reporting every problem with its position."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Iterable

from pydantic import ValidationError

from cxotutor.collector import collector_paused
from cxotutor.content.model import PLAIN_TEXT_PATTERN, Deck, LearningPath, text_problem
from cxotutor.content.source import ContentError, Problem, SourceDoc, read_source


@dataclass
class ContentSet:
    """Everything read from a set of files, plus what was wrong with it."""

    decks: list[tuple[Deck, SourceDoc]] = field(default_factory=list)
    paths: list[tuple[LearningPath, SourceDoc]] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)

    @property
    def card_count(self) -> int:
        return sum(len(deck.cards) for deck, _ in self.decks)


def parse_model(doc: SourceDoc) -> Deck | LearningPath:
    """Validate a parsed file as a deck (has ``cards``) or a path (has ``steps``)."""
    data = doc.data
    if not isinstance(data, dict):
        raise ContentError([doc.problem((), "expected a mapping with 'id', 'version', and 'cards' or 'steps'")])
    model = LearningPath if "steps" in data and "cards" not in data else Deck
    try:
        return model.model_validate(data)
    except ValidationError as exc:
        raise ContentError(doc.problems(_problem(err) for err in exc.errors())) from None


def _problem(err: dict) -> tuple[tuple, str]:
    """Where a validation error points (a missing field: at its mapping) and what it says."""
    loc = tuple(err["loc"])
    kind = err["type"]
    if kind == "extra_forbidden":
        return loc, f"unknown field {loc[-1]!r}"
    if kind == "missing":
        return loc[:-1], f"missing field {loc[-1]!r}"
    where = ".".join(str(part) for part in loc)
    message = err["msg"].removeprefix("Value error, ")
    if kind == "string_pattern_mismatch" and err.get("ctx", {}).get("pattern") == PLAIN_TEXT_PATTERN:
        message = text_problem(err["input"]) or message
    return loc, f"{where}: {message}" if where else message


def load_deck(path: Path | str) -> Deck:
    """Read one deck file; raise ContentError listing every problem."""
    content = load_files([Path(path)])
    if content.problems:
        raise ContentError(content.problems)
    if not content.decks:
        raise ContentError([Problem(str(path), 1, 1, "this is a learning path, not a deck")])
    return content.decks[0][0]


def content_files(targets: Iterable[Path]) -> list[Path]:
    """Expand directories into their YAML files (sorted), keep files as given."""
    files: list[Path] = []
    for target in targets:
        if target.is_dir():
            files.extend(sorted(p for p in target.iterdir() if p.suffix in (".yaml", ".yml") and p.is_file()))
        else:
            files.append(target)
    return files


def load_files(targets: Iterable[Path], known_decks: dict[str, set[str]] | None = None) -> ContentSet:
    """Load and cross-check deck and path files.

    ``known_decks`` maps deck ids already available elsewhere (installed) to
    their card tags, so a path's ``practice`` may refer to them.
    """
    return _load([(file, None) for file in content_files(targets)], known_decks)


def load_texts(items: Iterable[tuple[str, bytes]], known_decks: dict[str, set[str]] | None = None) -> ContentSet:
    """Like ``load_files``, for (name, bytes) pairs read from somewhere else (a bundle)."""
    return _load(list(items), known_decks)


def _load(items: list[tuple[Path | str, bytes | None]], known_decks: dict[str, set[str]] | None) -> ContentSet:
    with collector_paused():
        return _load_all(items, known_decks)


def _load_all(items: list[tuple[Path | str, bytes | None]], known_decks: dict[str, set[str]] | None) -> ContentSet:
    content = ContentSet()
    for file, text in items:
        try:
            doc = read_source(file, text=text)
            model = parse_model(doc)
        except ContentError as exc:
            content.problems.extend(exc.problems)
            continue
        if isinstance(model, Deck):
            content.problems.extend(check_deck(model, doc))
            content.decks.append((model, doc))
        else:
            content.problems.extend(_check_path_ids(model, doc))
            content.paths.append((model, doc))
    content.problems.extend(_check_across(content, known_decks or {}))
    return content


def check_deck(deck: Deck, doc: SourceDoc) -> list[Problem]:
    """The rules a schema cannot say: unique ids, both languages, distinct aliases."""
    found: list[tuple[tuple, str]] = []
    langs = set(deck.languages)
    for i, duplicate in _duplicates([c.id for c in deck.cards]):
        found.append((("cards", i, "id"), f"duplicate card id {duplicate!r}"))
    both = len(langs) == 2
    for ci, card in enumerate(deck.cards):
        question, answer, points = card.question, card.answer, card.key_points
        if both:
            complete = question.ja and question.en and answer.ja and answer.en and all(p.ja and p.en for p in points)
        else:
            lang = next(iter(langs))
            complete = getattr(question, lang) and getattr(answer, lang) and all(getattr(p, lang) for p in points)
        if complete and len({p.id for p in points}) == len(points) and not _shared_alias(points):
            continue  # the usual card: the loop below, which says what is wrong, is not needed
        at = ("cards", ci)
        for part in ("question", "answer"):
            for lang in sorted(langs - getattr(card, part).langs()):
                found.append((at + (part,), f"card {card.id!r}: {part} has no {lang!r} text (deck languages: {', '.join(deck.languages)})"))
        for i, duplicate in _duplicates([k.id for k in card.key_points]):
            found.append((at + ("key_points", i, "id"), f"card {card.id!r}: duplicate key point id {duplicate!r}"))
        owner: dict[str, str] = {}
        for ki, point in enumerate(card.key_points):
            kat = at + ("key_points", ki)
            for lang in sorted(langs):
                if not getattr(point, lang):
                    found.append((kat, f"card {card.id!r}: key point {point.id!r} has no {lang!r} text"))
            for ai, alias in enumerate(dict.fromkeys([point.ja, point.en, *point.aliases])):
                if not alias:
                    continue
                folded_alias = alias.casefold()
                if folded_alias in owner and owner[folded_alias] != point.id:
                    found.append((kat + ("aliases",), f"card {card.id!r}: {alias!r} is used by key points {owner[folded_alias]!r} and {point.id!r}"))
                owner.setdefault(folded_alias, point.id)
    return doc.problems(found)


def _shared_alias(points) -> bool:
    """Whether two key points share a text or alias (ignoring case)."""
    own = [{text.casefold() for text in (p.ja, p.en, *p.aliases) if text} for p in points]
    return sum(map(len, own)) != len(set().union(*own))


def _check_path_ids(path: LearningPath, doc: SourceDoc) -> list[Problem]:
    return doc.problems((("steps", i, "id"), f"duplicate step id {dup!r}") for i, dup in _duplicates([s.id for s in path.steps]))


def _check_across(content: ContentSet, known: dict[str, set[str]]) -> list[Problem]:
    problems: list[Problem] = []
    tags_by_deck = dict(known)
    seen: dict[str, str] = {}
    for deck, doc in content.decks:
        if deck.id in seen:
            problems.append(doc.problem(("id",), f"deck id {deck.id!r} is also used by {seen[deck.id]}"))
        seen[deck.id] = doc.file
        tags_by_deck[deck.id] = {tag for card in deck.cards for tag in card.tags}
    all_tags = set().union(*tags_by_deck.values()) if tags_by_deck else set()
    for path, doc in content.paths:
        for si, step in enumerate(path.steps):
            for di, deck_id in enumerate(step.practice.decks):
                if deck_id not in tags_by_deck:
                    problems.append(doc.problem(("steps", si, "practice", "decks", di), f"step {step.id!r}: practice deck {deck_id!r} is not known"))
            wanted = set().union(*(tags_by_deck.get(d, set()) for d in step.practice.decks)) if step.practice.decks else all_tags
            for ti, tag in enumerate(step.practice.tags):
                if tag not in wanted:
                    problems.append(doc.problem(("steps", si, "practice", "tags", ti), f"step {step.id!r}: no card has practice tag {tag!r}"))
    return problems


def _duplicates(ids: list[str]) -> list[tuple[int, str]]:
    counts = Counter(ids)
    seen: set[str] = set()
    found = []
    for i, value in enumerate(ids):
        if counts[value] > 1:
            if value in seen:
                found.append((i, value))
            seen.add(value)
    return found
