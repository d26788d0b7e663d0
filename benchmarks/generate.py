"""A reproducible synthetic collection for the performance budget.

    python -m benchmarks.generate            # 100,000 cards in 200 decks, 1,000,000 reviews over 5 years
    python -m benchmarks.generate --small    # 10,000 cards in 20 decks, 200,000 reviews

Everything comes from one seed, so two runs write the same decks and the same
review log. The deck files (real YAML, Japanese and English text of the
bundled decks' typical length, 3-7 key points with aliases) go to
``benchmarks/data/<name>/decks/``; the database (``cxotutor.db``) is created
by ``cxotutor.store.open_store`` so the schema is the product's, the decks go
in through ``library.install_deck``, and the review log is simulated card by
card through ``cxotutor.srs.schedule`` (fuzz off), so every ``card_state`` is
exactly the state after that card's last logged review and every ``before``
column is the state before it. Rows are written with SQLAlchemy Core bulk
inserts. ``meta.json`` beside the database records the simulated "now".

Two 10,000-card deck files for the install benchmark are written too:
``install-v1.yaml`` and ``install-v2.yaml`` (version 2, 5 % of cards changed).
"""

from __future__ import annotations

import argparse
import json
import math
import multiprocessing
import os
import random
import shutil
import sqlite3
import sys
import time
from contextlib import closing
from dataclasses import dataclass, replace
from datetime import datetime, timedelta, timezone
from pathlib import Path

import yaml

try:
    from yaml import CSafeDumper as _Dumper
except ImportError:  # pragma: no cover
    from yaml import SafeDumper as _Dumper  # type: ignore[assignment]

HERE = Path(__file__).resolve().parent
DATA = HERE / "data"
UTC = timezone.utc
# The simulated "now": fixed, so the data (due counts, streak) is the same on every machine and day.
NOW = datetime(2026, 11, 2, 10, 0, tzinfo=UTC)
LEARNER = "local"
ROLES = ("cio", "cto", "caio", "ciso")


@dataclass(frozen=True)
class Spec:
    name: str
    decks: int
    cards_per_deck: int
    reviews: int
    years: int = 5
    retention: float = 0.90  # the learner's desired retention (saved as their setting)
    max_studied: float = 0.90  # at most this share of cards has been started; the rest are new
    seed: int = 20261102

    @property
    def cards(self) -> int:
        return self.decks * self.cards_per_deck


LARGE = Spec("large", decks=200, cards_per_deck=500, reviews=1_000_000)
# Twenty reviews a card on average: a keen learner who asked for 95 % retention.
SMALL = Spec("small", decks=20, cards_per_deck=500, reviews=200_000, retention=0.95)
# A bootcamp class: 30 learners, a year of about fifteen reviews a day each, on a thousand cards.
COHORT = Spec("cohort", decks=4, cards_per_deck=250, reviews=5_000, years=1)
COHORT_LEARNERS = 30
INSTALL_CARDS = 10_000
INSTALL_CHANGED = 0.05

# -- text ------------------------------------------------------------------------------

PREFIXES = [
    ("全社的な", "enterprise-wide"), ("段階的な", "phased"), ("継続的な", "continuous"), ("戦略的な", "strategic"),
    ("データ駆動の", "data-driven"), ("リスクベースの", "risk-based"), ("顧客中心の", "customer-centric"),
    ("自動化された", "automated"), ("統合的な", "integrated"), ("持続可能な", "sustainable"),
    ("標準化された", "standardised"), ("分散型の", "decentralised"),
]
NOUNS = [
    ("ガバナンス", "governance"), ("セキュリティ対策", "security controls"), ("クラウド移行", "cloud migration"),
    ("データ基盤", "data platform"), ("人材育成", "talent development"), ("ベンダー管理", "vendor management"),
    ("予算配分", "budget allocation"), ("変革推進", "transformation"), ("監視体制", "monitoring"),
    ("障害対応", "incident response"), ("投資判断", "investment decisions"), ("規制対応", "regulatory compliance"),
    ("顧客体験", "customer experience"), ("開発プロセス", "delivery process"), ("アーキテクチャ", "architecture"),
    ("運用改善", "operational improvement"), ("品質保証", "quality assurance"), ("契約交渉", "contract negotiation"),
    ("成果指標", "success metrics"), ("組織設計", "organisation design"), ("情報共有", "knowledge sharing"),
    ("技術負債の返済", "paying down technical debt"), ("事業継続計画", "business continuity planning"),
    ("AI活用", "AI adoption"),
]
TAGS = [
    "strategy", "security", "cloud", "data", "ai", "people", "budget", "vendors", "risk", "governance",
    "architecture", "operations", "compliance", "customers", "delivery", "metrics", "board", "culture",
    "incidents", "privacy", "platform", "innovation", "m-and-a", "outsourcing", "roadmap", "legacy",
    "automation", "talent", "sustainability", "resilience",
]
Q_JA = [
    "{a}と{b}をどう両立させますか？",
    "{a}を進めるうえで{b}をどう位置付けますか？",
    "{a}が停滞しています。最初の九十日に何をしますか？",
    "取締役会に{a}をどう説明しますか？",
]
Q_EN = [
    "How would you balance {a} and {b}?",
    "Explain how {b} shapes your plan for {a}.",
    "Your {a} has stalled. What do you do in your first ninety days?",
    "How do you explain {a} to the board?",
]
A_JA = [
    "まず{k}を明確にします。",
    "{k}は関係部門と合意します。",
    "{k}は指標で測り見直します。",
    "{k}は外部とも協力します。",
    "最後に{k}を取締役会に報告します。",
]
A_EN = [
    "First I make {k} explicit. ",
    "I agree {k} with the business and name an owner. ",
    "I measure {k} every quarter. ",
    "For {k} I work with partners. ",
    "I report {k} to the board. ",
]


def _slug(text: str) -> str:
    out = "".join(ch if ch.isalnum() else "-" for ch in text.lower())
    return "-".join(part for part in out.split("-") if part)[:64].rstrip("-")


def _concepts() -> list[dict]:
    """Key points: every (prefix, noun) pair; aliases always carry both halves, so no two points share one."""
    concepts = []
    for jp, ep in PREFIXES:
        for jn, en in NOUNS:
            concepts.append({
                "id": _slug(f"{ep} {en}"),
                "ja": f"{jp}{jn}",
                "en": f"{ep} {en}",
                "aliases": [f"{jp[:2]}{jn}", f"{ep} {en.split()[0]}", f"{jn}（{jp[:2]}）", f"{en} ({ep.split('-')[0]})"],
            })
    return concepts


CONCEPTS = _concepts()


def make_card(rng: random.Random, deck_index: int, position: int) -> dict:
    points = rng.sample(CONCEPTS, rng.randint(3, 7))
    key_points = []
    for point in points:
        kp = {"id": point["id"], "ja": point["ja"], "en": point["en"], "aliases": point["aliases"][: rng.randint(2, 4)]}
        if rng.random() < 0.1:
            kp["weight"] = 2.0
        key_points.append(kp)
    a, b = points[0], points[1]
    template = rng.randrange(len(Q_JA))
    answer_ja = "".join(rng.choice(A_JA).format(k=p["ja"]) for p in points)
    answer_en = "".join(rng.choice(A_EN).format(k=p["en"]) for p in points).strip()
    return {
        "id": f"q{position:04d}-{points[0]['id']}"[:64].rstrip("-"),
        "question": {"ja": Q_JA[template].format(a=a["ja"], b=b["ja"]), "en": Q_EN[template].format(a=a["en"], b=b["en"])},
        "key_points": key_points,
        "answer": {"ja": answer_ja, "en": answer_en},
        "tags": rng.sample(TAGS, rng.randint(1, 3)),
        "source": {"doc": f"synthetic-{deck_index:03d}.txt", "section": f"s{position // 25 + 1}"},
    }


def make_deck(seed: int, index: int, cards: int, deck_id: str | None = None, version: int = 1) -> dict:
    rng = random.Random(f"{seed}:deck:{index}")
    return {
        "id": deck_id or f"bench-{index:03d}",
        "version": version,
        "title": {"ja": f"ベンチマーク デッキ {index:03d}", "en": f"Benchmark deck {index:03d}"},
        "role": ROLES[index % len(ROLES)],
        "languages": ["ja", "en"],
        "author": "cxotutor benchmarks",
        "source": "synthetic",
        "cards": [make_card(rng, index, position) for position in range(cards)],
    }


def changed_version(deck: dict, share: float, seed: int) -> dict:
    """The next version of ``deck`` with ``share`` of its cards edited (answer text and one alias)."""
    rng = random.Random(f"{seed}:changes")
    new = json.loads(json.dumps(deck))
    new["version"] = deck["version"] + 1
    for card in rng.sample(new["cards"], round(share * len(new["cards"]))):
        card["answer"]["en"] += " I would also revisit this plan after six months."
        card["answer"]["ja"] += "半年後に計画を見直します。"
    return new


def _write_deck(args: tuple) -> dict:
    seed, index, cards, deck_id, version, changed, path = args
    deck = make_deck(seed, index, cards, deck_id, version)
    if changed:
        deck = changed_version(deck, changed, seed)
    write_yaml(deck, path)
    return deck


class _Inline:
    """Pool's map/imap in this process (jobs=1: tests, or machines where forking is unwelcome)."""

    def __init__(self, initializer=None, initargs=()):
        if initializer:
            initializer(*initargs)

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        return False

    def map(self, fn, items):
        return [fn(item) for item in items]

    imap = map


def _pool(jobs: int, initializer=None, initargs=()):
    if jobs <= 1:
        return _Inline(initializer, initargs)
    return multiprocessing.get_context("fork").Pool(jobs, initializer, initargs)


def write_yaml(data: dict, path: Path) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("w", encoding="utf-8") as out:
        out.write(f"# Synthetic benchmark deck (benchmarks/generate.py); {len(data['cards'])} cards.\n")
        yaml.dump(data, out, Dumper=_Dumper, allow_unicode=True, sort_keys=False, width=10_000, default_flow_style=None)


# -- the learner's five years -------------------------------------------------------------


class Calendar:
    """Which days the learner studied and when each session began (seeded; the last 600 days unbroken)."""

    def __init__(self, seed: int, years: int):
        self.days = years * 365 + 1
        self.start = (NOW - timedelta(days=self.days - 1)).replace(hour=0, minute=0)
        rng = random.Random(f"{seed}:calendar")
        self.study = [d >= self.days - 600 or rng.random() >= 0.08 for d in range(self.days + 30)]
        self.session = [
            self.start + timedelta(days=d, minutes=rng.randrange(6 * 60, 21 * 60)) for d in range(self.days + 30)
        ]
        self.session[self.days - 1] = NOW.replace(hour=7, minute=30)  # today: a morning session before "now"

    def session_at_or_after(self, moment: datetime, rng: random.Random) -> datetime | None:
        """The moment the learner next sits down for a card due at ``moment`` (None: after now)."""
        day = max(0, (moment - self.start).days)
        if rng.random() < 0.1:  # sometimes a card waits a few days
            day += rng.randint(1, 4)
        while day < self.days:
            if self.study[day]:
                when = self.session[day] + timedelta(seconds=rng.randrange(2700))
                if when >= moment:
                    return when if when < NOW else None
            day += 1
        return None


def _scheduler(retention: float):
    from cxotutor.srs import SchedulerConfig

    return SchedulerConfig(desired_retention=retention, fuzz=False).scheduler()


def simulate_card(seed: int, card: int, intro_day: int, calendar: Calendar, scheduler) -> list[tuple]:
    """One card's reviews: (when, rating, mode, scheduled, before Memory | None, after Memory, typed?).

    A card in review is forgotten about as often as the scheduler's retention target allows.
    """
    from cxotutor import srs

    again = 0.9 * (1 - scheduler.desired_retention)
    rng = random.Random(f"{seed}:card:{card}")
    when = calendar.session_at_or_after(calendar.start + timedelta(days=intro_day), rng)
    memory = None
    out: list[tuple] = []
    while when is not None:
        roll = rng.random()
        if memory is None or memory.state != 2:
            rating = 1 if roll < 0.10 else 2 if roll < 0.15 else 3 if roll < 0.95 else 4
        else:
            rating = 1 if roll < again else 2 if roll < again + 0.05 else 3 if roll < 0.90 else 4
        after = srs.schedule(scheduler, memory, rating, when)
        roll = rng.random()
        mode = "review" if roll < 0.57 else "flip" if roll < 0.97 else "interview"
        out.append((when, rating, mode, True, memory, after, mode == "review"))
        memory = after
        if after.state == 2:
            if rng.random() < 0.03:  # a mock interview that logged an answer without moving the schedule
                extra = when + timedelta(seconds=60)
                if extra < NOW:
                    out.append((extra, rng.randint(1, 4), "interview", False, after, after, True))
            when = calendar.session_at_or_after(after.due, rng)
        else:  # learning steps are minutes apart: same session
            when = after.due + timedelta(seconds=rng.randrange(5, 90))
            if when >= NOW:
                when = None
    return out


_WORKER: dict = {}


def _init_worker(seed: int, years: int, retention: float) -> None:
    _WORKER["calendar"] = Calendar(seed, years)
    _WORKER["scheduler"] = _scheduler(retention)


def _simulate_chunk(args: tuple[int, list[tuple[int, int]]]) -> list[list[tuple]]:
    seed, items = args
    return [simulate_card(seed, card, day, _WORKER["calendar"], _WORKER["scheduler"]) for card, day in items]


def _intro_days(studied: int, spread: float, days: int) -> list[int]:
    return [math.floor(k / studied * spread * (days - 1)) for k in range(studied)]


def _count_chunk(args: tuple[int, list[tuple[int, int]]]) -> int:
    return sum(len(history) for history in _simulate_chunk(args))


def calibrate(spec: Spec, cards: int, days: int, pool, sample: int = 0) -> tuple[int, float]:
    """How many cards were started, over what share of the years, for the log to hold about ``spec.reviews``.

    New cards come in at an even pace; if even the most cards allowed over the whole
    span would give too few reviews, they come in over a shorter, earlier span.
    Estimated on ``sample`` stand-in cards (their own seeds; default as many as the
    deck has, up to 2,000), a little high on purpose.
    """
    sample = sample or min(2000, cards)

    def per_card(spread: float) -> float:
        items = [(-1 - i, day) for i, day in enumerate(_intro_days(sample, spread, days))]
        chunks = [(spec.seed, items[i : i + 250]) for i in range(0, sample, 250)]
        return sum(pool.map(_count_chunk, chunks)) / sample

    want = spec.reviews * 1.03
    most = round(spec.max_studied * cards)
    whole = per_card(1.0)
    if most * whole >= want:
        return math.ceil(want / whole), 1.0
    if most * per_card(0.05) < want:
        raise SystemExit(f"{spec.name}: {most} cards cannot hold {spec.reviews} reviews; raise retention or max_studied")
    low, high = 0.05, 1.0
    for _ in range(8):
        mid = (low + high) / 2
        if most * per_card(mid) >= want:
            low = mid
        else:
            high = mid
    return most, low


def _memory_json(m) -> str:
    # Same as json.dumps(Memory.to_dict()) (checked below), without dataclasses.asdict's cost.
    return json.dumps({
        "state": m.state, "step": m.step, "stability": m.stability, "difficulty": m.difficulty,
        "due": m.due.isoformat(), "last_review": m.last_review.isoformat() if m.last_review else None,
        "reps": m.reps, "lapses": m.lapses,
    })


def _typed_answer(rng: random.Random, card: dict, rating: int) -> tuple[str, int, str]:
    """A typed answer (part of the model answer, 150-400 characters), its score and per-point JSON."""
    lang = "ja" if rng.random() < 0.6 else "en"
    text = card["answer"][lang]
    text = (text * 3)[: rng.randint(150, 400)]
    share = {1: 0.2, 2: 0.5, 3: 0.8, 4: 0.95}[rating]
    points = []
    for kp in card["key_points"]:
        roll = rng.random()
        status = "hit" if roll < share else "partial" if roll < share + 0.1 else "miss"
        score = {"hit": 100, "partial": 60, "miss": 0}[status]
        evidence = None if status == "miss" else {"start": 0, "end": len(kp[lang]), "text": kp[lang]}
        points.append({"id": kp["id"], "status": status, "score": score, "evidence": evidence})
    score = round(100 * sum(1.0 if p["status"] == "hit" else 0.5 if p["status"] == "partial" else 0.0 for p in points) / len(points))
    return text, score, json.dumps(points, ensure_ascii=False)


# -- writing it all -------------------------------------------------------------------------------


def write_decks(spec: Spec, out: Path, jobs: int, install_decks: bool = True) -> tuple[list[dict], list[Path]]:
    """Write the spec's deck files (and the two install-benchmark decks); return the decks as data."""
    (out / "decks").mkdir(parents=True, exist_ok=True)
    files = [out / "decks" / f"bench-{i:03d}.yaml" for i in range(spec.decks)]
    tasks = [(spec.seed, i, spec.cards_per_deck, None, 1, 0.0, file) for i, file in enumerate(files)]
    if install_decks:
        tasks.append((spec.seed, 9999, INSTALL_CARDS, "bench-install", 1, 0.0, out / "install-v1.yaml"))
        tasks.append((spec.seed, 9999, INSTALL_CARDS, "bench-install", 1, INSTALL_CHANGED, out / "install-v2.yaml"))
    with _pool(jobs) as pool:
        decks = list(pool.imap(_write_deck, tasks))[: spec.decks]
    return decks, files


def install(store, decks: list[dict], files: list[Path], when: datetime) -> list[tuple[int, dict]]:
    """Install the decks through ``library.install_deck`` (and the bundled ones); return (card id, card) in deck order."""
    from sqlalchemy import select

    from cxotutor.content import Deck
    from cxotutor.library import file_digest, install_deck, sync_bundled
    from cxotutor.store.tables import CardRow

    with store.write() as session:
        for deck, file in zip(decks, files):
            install_deck(session, Deck.model_validate(deck), "installed", file_digest(file), now=when)
    sync_bundled(store)
    with store.read() as session:
        ids = {(d, k): i for i, d, k in session.execute(select(CardRow.id, CardRow.deck_id, CardRow.key))}
    return [(ids[(deck["id"], card["id"])], card) for deck in decks for card in deck["cards"]]


def add_learner(store, spec: Spec, cards: list[tuple[int, dict]], name: str, jobs: int = 2, log=print) -> dict:
    """Give ``name`` five years (``spec.years``) of reviews of ``cards``: exactly ``spec.reviews`` rows."""
    from sqlalchemy import insert

    from cxotutor.store.tables import CardState, Review
    from cxotutor.tutor import Tutor

    started = time.perf_counter()
    joined = NOW - timedelta(days=spec.years * 365 + 1)
    tutor = Tutor(store, name, clock=lambda: joined)  # creates the learner, as the app would
    tutor.update_settings(desired_retention=spec.retention, welcomed=True)
    learner_id = tutor.learner_id

    calendar = Calendar(spec.seed, spec.years)
    most = round(spec.max_studied * len(cards))
    with _pool(jobs, _init_worker, (spec.seed, spec.years, spec.retention)) as pool:
        studied, spread = calibrate(spec, len(cards), calendar.days, pool)
        while True:
            items = list(enumerate(_intro_days(studied, spread, calendar.days)))
            chunks = [(spec.seed, items[i : i + 1000]) for i in range(0, len(items), 1000)]
            histories: list[list[tuple]] = [h for part in pool.imap(_simulate_chunk, chunks) for h in part]
            total = sum(len(h) for h in histories)
            if total >= spec.reviews:
                break
            # The estimate fell short: start more cards, or bring their start forward, and go again.
            if studied < most:
                studied = min(most, math.ceil(studied * spec.reviews / total * 1.02))
            else:
                spread *= 0.9
            log(f"{spec.name}/{name}: {total} reviews is short; again with {studied} cards over {spread:.0%}")
    log(f"{spec.name}/{name}: simulated {studied} cards, introduced over {spread:.0%} of {spec.years} years"
        f" ({time.perf_counter() - started:.0f} s)")

    # Cut at exactly spec.reviews: the last card keeps a prefix of its history (its state follows it).
    total = 0
    for k, history in enumerate(histories):
        if total + len(history) >= spec.reviews:
            histories[k] = history[: spec.reviews - total]
            del histories[k + 1 :]
            break
        total += len(history)
    rows, states = [], []
    rng = random.Random(f"{spec.seed}:answers")
    for k, history in enumerate(histories):
        if not history:
            continue
        card_id, card = cards[k]
        for when, rating, mode, scheduled, before, after, typed in history:
            answer = score = points = None
            if typed:
                answer, score, points = _typed_answer(rng, card, rating)
            rows.append((when, card_id, rating, mode, scheduled, before, after, answer, score, points, rng.randrange(4000, 90_000)))
        last = history[-1][5]
        states.append({
            "learner_id": learner_id, "card_id": card_id, "state": last.state, "step": last.step,
            "stability": last.stability, "difficulty": last.difficulty, "due": last.due,
            "last_review": last.last_review, "reps": last.reps, "lapses": last.lapses, "first_review": history[0][0],
        })
    rows.sort(key=lambda row: row[0])
    if rows[0][5] is not None:
        assert _memory_json(rows[0][5]) == json.dumps(rows[0][5].to_dict())

    with store.engine.begin() as conn:
        conn.execute(insert(CardState.__table__), states)
        for start in range(0, len(rows), 20_000):
            batch = []
            for when, card_id, rating, mode, scheduled, before, after, answer, score, points, duration in rows[start : start + 20_000]:
                batch.append({
                    "learner_id": learner_id, "card_id": card_id, "reviewed_at": when, "rating": rating, "mode": mode,
                    "scheduled": scheduled, "prior_state": before.state if before else 0, "answer": answer, "score": score,
                    "points": points, "duration_ms": duration, "state": after.state, "stability": after.stability,
                    "difficulty": after.difficulty, "due": after.due, "interval_days": max(0, (after.due - when).days),
                    "before": _memory_json(before) if before else None, "interview_id": None,
                })
            conn.execute(insert(Review.__table__), batch)
    return {
        "learner": name, "studied": len(states), "reviews": len(rows),
        "first_review": rows[0][0].isoformat(), "last_review": rows[-1][0].isoformat(),
    }


def build(spec: Spec, out: Path, jobs: int = 2, log=print, install_decks: bool = True, learners: int = 1) -> dict:
    """Write ``spec``'s decks and database under ``out``; return the meta dict (also written as meta.json).

    With ``learners`` > 1 every learner gets their own history (seed + n), named
    ``learner-00``, ``learner-01``…; a single learner is ``local``, the default one.
    """
    from cxotutor.store import open_store

    started = time.perf_counter()
    if out.exists():
        shutil.rmtree(out)
    decks, files = write_decks(spec, out, jobs, install_decks)
    log(f"{spec.name}: wrote {len(files)} deck files ({time.perf_counter() - started:.0f} s)")
    db = out / "cxotutor.db"
    store = open_store(db)
    cards = install(store, decks, files, NOW - timedelta(days=spec.years * 365 + 2))
    log(f"{spec.name}: installed {len(cards)} cards ({time.perf_counter() - started:.0f} s)")
    names = [LEARNER] if learners == 1 else [f"learner-{n:02d}" for n in range(learners)]
    histories = [
        add_learner(store, replace(spec, seed=spec.seed + n), cards, name, jobs, log) for n, name in enumerate(names)
    ]
    store.dispose()
    # No ANALYZE: a learner's database never has statistics, so the planner must do well without them.
    with closing(sqlite3.connect(db)) as raw:
        raw.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    meta = {
        "spec": spec.name, "seed": spec.seed, "now": NOW.isoformat(), "learner": names[0], "learners": histories,
        "decks": spec.decks, "cards": len(cards), "studied": histories[0]["studied"],
        "reviews": sum(h["reviews"] for h in histories), "seconds": round(time.perf_counter() - started, 1),
    }
    (out / "meta.json").write_text(json.dumps(meta, indent=2) + "\n")
    log(f"{spec.name}: {meta['reviews']} reviews by {len(names)} learner(s) written to {db} ({meta['seconds']:.0f} s)")
    return meta


def ensure(spec: Spec, out: Path | None = None, log=print) -> Path:
    """The collection's folder, generating it first if it is missing or unfinished."""
    out = out or DATA / spec.name
    if not (out / "meta.json").exists():
        cohort = spec.name == COHORT.name
        build(spec, out, log=log, install_decks=not cohort, learners=COHORT_LEARNERS if cohort else 1)
    return out


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Generate the synthetic benchmark collection.")
    parser.add_argument("--small", action="store_true", help="10,000 cards and 200,000 reviews instead of 100,000 / 1,000,000")
    parser.add_argument("--cohort", action="store_true", help="30 learners with 10,000 reviews each on 1,000 cards")
    parser.add_argument("--out", type=Path, help="folder (default benchmarks/data/large or small)")
    parser.add_argument("--jobs", type=int, default=min(2, os.cpu_count() or 1), help="processes for the simulation")
    args = parser.parse_args(argv)
    if args.cohort:
        build(COHORT, args.out or DATA / COHORT.name, jobs=args.jobs, install_decks=False, learners=COHORT_LEARNERS)
        return 0
    spec = SMALL if args.small else LARGE
    build(spec, args.out or DATA / spec.name, jobs=args.jobs)
    return 0


if __name__ == "__main__":
    sys.exit(main())
