"""One learner's progress in figures, computed from a progress document (a database's or a file's).

The Markdown and HTML reports and the cohort report all read this, so a
figure means the same everywhere. Definitions follow ``cxotutor.progress``:
a card is *learned* in the review state and *mature* with a stability of 21
days or more; *retention* is Anki's true retention (ratings 2-4 of cards
already in review); a key point's *miss rate* counts misses fully and
partial hits half.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta

from cxotutor import srs
from cxotutor.export.document import Parts

MATURE_DAYS = 21.0


def pick(text: dict | None, lang: str = "en") -> str:
    """The text in ``lang``, else in the other language, else ''."""
    if not text:
        return ""
    other = "ja" if lang == "en" else "en"
    return text.get(lang) or text.get(other) or ""


@dataclass(frozen=True)
class DeckStat:
    id: str
    version: int | None
    title: dict
    role: str | None
    cards: int  # live cards
    seen: int
    learned: int
    mature: int
    reviews: int

    @property
    def mastery(self) -> float:
        """Share of the deck's live cards learned (0-1)."""
        return self.learned / self.cards if self.cards else 0.0


@dataclass(frozen=True)
class PointStat:
    deck: str
    card: str
    point: str
    label: dict
    question: dict
    attempts: int
    misses: int
    partials: int

    @property
    def miss_rate(self) -> float:
        return (self.misses + 0.5 * self.partials) / self.attempts if self.attempts else 0.0


@dataclass(frozen=True)
class CardStat:
    deck: str
    card: str
    state: str  # new | learning | review | relearning
    stability: float | None
    reviews: int
    again: int
    last_rating: int | None
    last_score: int | None
    retired: bool = False


@dataclass(frozen=True)
class PathStat:
    id: str
    version: int | None
    title: dict
    steps: int
    done: int
    in_progress: int

    @property
    def share(self) -> float:
        return self.done / self.steps if self.steps else 0.0


@dataclass(frozen=True)
class InterviewStat:
    role: str | None
    started_at: datetime
    finished: bool
    score: int | None


@dataclass
class LearnerSummary:
    learner: str
    exported_at: datetime
    today: date
    day_start_hour: int
    lang: str
    total_reviews: int = 0
    first_review: datetime | None = None
    last_review: datetime | None = None
    per_day: Counter = field(default_factory=Counter)
    retention_passed: int = 0
    retention_total: int = 0
    scores: list[int] = field(default_factory=list)
    decks: list[DeckStat] = field(default_factory=list)
    points: list[PointStat] = field(default_factory=list)
    cards: dict[tuple[str, str], CardStat] = field(default_factory=dict)
    card_text: dict[tuple[str, str], dict] = field(default_factory=dict)
    paths: list[PathStat] = field(default_factory=list)
    interviews: list[InterviewStat] = field(default_factory=list)

    @property
    def retention(self) -> float | None:
        return self.retention_passed / self.retention_total if self.retention_total else None

    @property
    def mean_score(self) -> float | None:
        return sum(self.scores) / len(self.scores) if self.scores else None

    @property
    def streak(self) -> int:
        cursor = self.today if self.per_day.get(self.today) else self.today - timedelta(days=1)
        count = 0
        while self.per_day.get(cursor):
            count += 1
            cursor -= timedelta(days=1)
        return count

    def reviews_since(self, days: int) -> int:
        first = self.today - timedelta(days=days - 1)
        return sum(n for day, n in self.per_day.items() if first <= day <= self.today)

    @property
    def reviews_per_week(self) -> float:
        """Average over the last four weeks."""
        return self.reviews_since(28) / 4

    def days(self, count: int) -> list[tuple[date, int]]:
        """(study day, reviews) for the last ``count`` days, oldest first, zeros included."""
        return [(self.today - timedelta(days=back), self.per_day.get(self.today - timedelta(days=back), 0))
                for back in range(count - 1, -1, -1)]

    def weakest(self, limit: int = 10) -> list[PointStat]:
        return [p for p in self.points if p.misses or p.partials][:limit]


def _stamp(value) -> datetime:
    return value if isinstance(value, datetime) else datetime.fromisoformat(value)


def summarize(parts: Parts, lang: str | None = None) -> LearnerSummary:
    """Read ``parts`` once (the review log may be a stream) into a LearnerSummary."""
    header = parts.header
    tz = parts.tz
    hour = parts.day_start_hour
    lang = lang or (header.get("settings") or {}).get("ui_language") or "en"
    if lang not in ("ja", "en"):
        lang = "en"
    exported = parts.exported_at
    summary = LearnerSummary(header["learner"], exported, srs.study_day(exported, hour, tz), hour, lang)

    live: dict[str, set[str]] = {}
    for deck in parts.decks:
        for card in deck.get("cards", []):
            summary.card_text[(deck["id"], card["key"])] = card
        if not deck.get("removed"):
            live[deck["id"]] = {c["key"] for c in deck.get("cards", []) if not c.get("retired")}

    per_card_reviews: Counter = Counter()
    per_card_again: Counter = Counter()
    last_rating: dict[tuple[str, str], int] = {}
    last_score: dict[tuple[str, str], int] = {}
    tally: dict[tuple[str, str, str], list[int]] = defaultdict(lambda: [0, 0, 0])  # attempts, misses, partials
    deck_reviews: Counter = Counter()
    day_cache: dict[tuple, date] = {}
    for review in parts.reviews:
        at = _stamp(review["reviewed_at"])
        summary.total_reviews += 1
        if summary.first_review is None or at < summary.first_review:
            summary.first_review = at
        if summary.last_review is None or at > summary.last_review:
            summary.last_review = at
        hour_key = (at.year, at.month, at.day, at.hour)
        day = day_cache.get(hour_key)
        if day is None:
            day = day_cache[hour_key] = srs.study_day(at, hour, tz)
        summary.per_day[day] += 1
        key = (review["deck"], review["card"])
        deck_reviews[review["deck"]] += 1
        per_card_reviews[key] += 1
        if review["rating"] == 1:
            per_card_again[key] += 1
        last_rating[key] = review["rating"]
        if review.get("prior_state") == "review" and review.get("scheduled", True):
            summary.retention_total += 1
            summary.retention_passed += review["rating"] > 1
        if review.get("score") is not None:
            summary.scores.append(review["score"])
            last_score[key] = review["score"]
        for point in review.get("points") or ():
            if not isinstance(point, dict) or "id" not in point:
                continue
            counts = tally[(key[0], key[1], str(point["id"]))]
            counts[0] += 1
            if point.get("status") == "miss":
                counts[1] += 1
            elif point.get("status") == "partial":
                counts[2] += 1

    states = {(s["deck"], s["card"]): s for s in parts.card_states}
    for key in set(states) | set(per_card_reviews):
        state = states.get(key, {})
        text = summary.card_text.get(key, {})
        summary.cards[key] = CardStat(key[0], key[1], state.get("state", "new"), state.get("stability"),
                                      per_card_reviews[key], per_card_again[key], last_rating.get(key), last_score.get(key),
                                      bool(text.get("retired")) or key[0] not in live)
    for deck in parts.decks:
        if deck.get("removed"):
            continue
        keys = live.get(deck["id"], set())
        seen = learned = mature = 0
        for card in keys:
            state = states.get((deck["id"], card))
            if state is None:
                continue
            seen += 1
            if state["state"] == "review":
                learned += 1
                if (state.get("stability") or 0) >= MATURE_DAYS:
                    mature += 1
        summary.decks.append(DeckStat(deck["id"], deck.get("version"), deck.get("title") or {}, deck.get("role"), len(keys),
                                      seen, learned, mature, deck_reviews[deck["id"]]))

    for (deck, card, point), (attempts, misses, partials) in tally.items():
        text = summary.card_text.get((deck, card), {})
        if text.get("retired") or deck not in live:
            continue
        labels = {kp.get("id"): kp for kp in text.get("key_points", [])}
        label = labels.get(point, {})
        summary.points.append(PointStat(deck, card, point, {"ja": label.get("ja"), "en": label.get("en")},
                                        text.get("question") or {}, attempts, misses, partials))
    summary.points.sort(key=lambda p: (-p.miss_rate, -p.misses, p.deck, p.card, p.point))

    for path in parts.paths:
        steps = [s["id"] for s in path.get("steps", [])]
        status = {p["step"]: p["status"] for p in path.get("progress", []) if not p.get("resource")}
        if not steps and not status:
            continue
        ids = steps or sorted(status)
        summary.paths.append(PathStat(path["id"], path.get("version"), path.get("title") or {}, len(ids),
                                      sum(status.get(s) == "done" for s in ids), sum(status.get(s) == "in-progress" for s in ids)))
    for item in parts.interviews:
        summary.interviews.append(InterviewStat(item.get("role"), _stamp(item["started_at"]), item.get("finished_at") is not None,
                                                item.get("score")))
    return summary
