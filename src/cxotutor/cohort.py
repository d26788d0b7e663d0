"""Cohort reports: a class's progress from the learners' JSON exports.

Each learner's figures come from ``cxotutor.export.summary`` (the same
definitions as their own report). Learners may be on different versions of a
deck: cards are matched by deck id + card key, each learner's mastery counts
the cards of the version they have, and cards missing from the newest version
are marked as retired instead of being mixed in.
"""

from __future__ import annotations

import csv
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import datetime, timezone
from pathlib import Path
from typing import TextIO

from cxotutor.collector import collector_paused
from cxotutor.export.document import ExportDoc, Parts, collect, read_document
from cxotutor.store import Store
from cxotutor.export.summary import LearnerSummary, pick, summarize

MOST = 0.5  # "most learners": more than half of those who answered


@dataclass(frozen=True)
class LearnerRow:
    learner: str
    reviews: int
    reviews_per_week: float
    streak: int
    retention: float | None
    mean_score: float | None
    mastery: dict[str, float]  # deck id -> share learned
    versions: dict[str, int | None]  # deck id -> the version this learner has
    paths: dict[str, float]  # path id -> share of steps done
    last_active: datetime | None
    exported_at: datetime


@dataclass
class CardStat:
    deck: str
    card: str
    question: dict
    in_latest: bool
    learners: int = 0  # learners whose deck version has this card
    seen: int = 0
    learned: int = 0
    reviews: int = 0
    again: int = 0

    @property
    def mastery(self) -> float:
        return self.learned / self.learners if self.learners else 0.0

    @property
    def again_rate(self) -> float:
        return self.again / self.reviews if self.reviews else 0.0


@dataclass
class PointStat:
    deck: str
    card: str
    point: str
    label: dict
    question: dict
    attempted: int = 0  # learners with at least one scored answer on the card
    missing: int = 0  # of them, learners who miss the point in half their answers or more
    rates: list[float] = field(default_factory=list)

    @property
    def share_missing(self) -> float:
        return self.missing / self.attempted if self.attempted else 0.0

    @property
    def mean_miss_rate(self) -> float:
        return sum(self.rates) / len(self.rates) if self.rates else 0.0

    @property
    def most_miss(self) -> bool:
        return self.attempted >= 2 and self.share_missing > MOST


@dataclass
class Cohort:
    generated_at: datetime
    learners: list[LearnerRow]
    decks: list[tuple[str, int | None, dict]]  # id, newest version, title
    paths: list[tuple[str, dict]]
    cards: list[CardStat]
    points: list[PointStat]
    lang: str = "en"


def export_files(targets: list[Path]) -> list[Path]:
    """The .json files among ``targets`` (a folder contributes its *.json, sorted)."""
    files: list[Path] = []
    for target in targets:
        if target.is_dir():
            files.extend(sorted(p for p in target.iterdir() if p.suffix == ".json" and p.is_file()))
        elif target.exists():
            files.append(target)
        else:
            raise FileNotFoundError(2, "No such file or directory", str(target))
    if not files:
        raise ValueError("no JSON exports found")
    return files


def load_exports(targets: list[Path]) -> list[Parts]:
    """Read and check every export (ExportError on the first bad one); the newest export per learner wins."""
    newest: dict[str, ExportDoc] = {}
    with collector_paused():
        for file in export_files(targets):
            doc = read_document(file)
            known = newest.get(doc.learner)
            if known is None or doc.exported_at > known.exported_at:
                newest[doc.learner] = doc
        return [newest[name].parts() for name in sorted(newest, key=str.casefold)]


def class_parts(store: Store, now: datetime | None = None) -> list[Parts]:
    """Every learner with at least one review in ``store`` (a class database), read lazily."""
    from sqlalchemy import select

    from cxotutor.store.tables import Learner, Review

    with store.read() as session:
        names = session.scalars(select(Learner.name).where(Learner.id.in_(select(Review.learner_id).distinct()))).all()
    if not names:
        raise ValueError("no learner in this database has reviewed anything yet")
    return [collect(store, name, now) for name in sorted(names, key=str.casefold)]


def build_cohort(learners: list[Parts], now: datetime | None = None, lang: str = "en") -> Cohort:
    """The class view of ``learners`` (from ``load_exports`` or ``class_parts``); each is read once."""
    with collector_paused():
        return _build_cohort(learners, now, lang)


def _build_cohort(learners: list[Parts], now: datetime | None, lang: str) -> Cohort:
    summaries: list[tuple[Parts, LearnerSummary]] = [(parts, summarize(parts, lang)) for parts in learners]
    latest: dict[str, tuple[int | None, dict, list[dict]]] = {}
    for parts, _summary in summaries:
        for deck in parts.decks:
            if deck.get("removed"):
                continue
            known = latest.get(deck["id"])
            if known is None or (deck.get("version") or 0) > (known[0] or 0):
                latest[deck["id"]] = (deck.get("version"), deck.get("title") or {}, deck.get("cards", []))
    path_titles: dict[str, dict] = {}
    for parts, _summary in summaries:
        for p in parts.paths:
            if p.get("steps"):
                path_titles.setdefault(p["id"], p.get("title") or {})

    cards: dict[tuple[str, str], CardStat] = {}
    for deck_id, (_version, _title, catalog) in latest.items():
        for card in catalog:
            cards[(deck_id, card["key"])] = CardStat(deck_id, card["key"], card.get("question") or {}, not card.get("retired"))
    points: dict[tuple[str, str, str], PointStat] = {}
    rows = []
    for parts, s in summaries:
        versions = {d["id"]: d.get("version") for d in parts.decks if not d.get("removed")}
        live = {(d["id"], c["key"]) for d in parts.decks if not d.get("removed") for c in d.get("cards", []) if not c.get("retired")}
        for key in live:
            if key not in cards:  # a card only some older or newer copy has
                text = s.card_text.get(key, {})
                cards[key] = CardStat(key[0], key[1], text.get("question") or {}, False)
            stat = cards[key]
            stat.learners += 1
            card = s.cards.get(key)
            if card is not None:
                stat.seen += card.state != "new"
                stat.learned += card.state == "review"
                stat.reviews += card.reviews
                stat.again += card.again
        for p in s.points:
            key = (p.deck, p.card, p.point)
            if key not in points:
                points[key] = PointStat(p.deck, p.card, p.point, p.label, p.question)
            stat = points[key]
            stat.attempted += 1
            stat.rates.append(p.miss_rate)
            stat.missing += p.miss_rate >= 0.5
        rows.append(LearnerRow(
            learner=s.learner, reviews=s.total_reviews, reviews_per_week=s.reviews_per_week, streak=s.streak,
            retention=s.retention, mean_score=s.mean_score, mastery={d.id: d.mastery for d in s.decks},
            versions=versions, paths={p.id: p.share for p in s.paths}, last_active=s.last_review, exported_at=s.exported_at,
        ))
    card_list = sorted(cards.values(), key=lambda c: (not c.in_latest, c.mastery, -c.again_rate, c.deck, c.card))
    point_list = sorted(points.values(), key=lambda p: (-p.share_missing, -p.mean_miss_rate, p.deck, p.card, p.point))
    return Cohort(
        generated_at=now or datetime.now(timezone.utc),
        learners=rows,
        decks=[(deck_id, v, title) for deck_id, (v, title, _c) in sorted(latest.items())],
        paths=sorted(path_titles.items()),
        cards=card_list,
        points=point_list,
        lang=lang,
    )


def _fmt(value: float | None, digits: int = 2) -> str:
    return "" if value is None else f"{value:.{digits}f}"


def _when(moment: datetime | None) -> str:
    return "" if moment is None else moment.astimezone(timezone.utc).isoformat(timespec="seconds").replace("+00:00", "Z")


def cohort_learners_csv(cohort: Cohort, out: TextIO) -> None:
    """One row per learner; mastery and version per deck, progress per path."""
    writer = csv.writer(out, lineterminator="\n")
    decks = [d for d, _v, _t in cohort.decks]
    paths = [p for p, _t in cohort.paths]
    writer.writerow(["learner", "reviews", "reviews_per_week", "streak_days", "retention", "mean_score", "last_active", "exported_at"]
                    + [f"mastery:{d}" for d in decks] + [f"version:{d}" for d in decks] + [f"path:{p}" for p in paths])
    for row in cohort.learners:
        writer.writerow(
            [row.learner, row.reviews, _fmt(row.reviews_per_week, 1), row.streak, _fmt(row.retention), _fmt(row.mean_score, 1),
             _when(row.last_active), _when(row.exported_at)]
            + [_fmt(row.mastery.get(d)) for d in decks] + [row.versions.get(d, "") or "" for d in decks]
            + [_fmt(row.paths.get(p)) for p in paths]
        )


def cohort_cards_csv(cohort: Cohort, out: TextIO) -> None:
    """One row per card and one per key point, worst first; ``most_miss`` marks what most learners miss."""
    lang = cohort.lang
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(["kind", "deck_id", "card_id", "key_point", "text", "in_latest_version", "learners", "seen", "learned",
                     "mastery", "again_rate", "learners_missing", "share_missing", "mean_miss_rate", "most_miss"])
    for c in cohort.cards:
        writer.writerow(["card", c.deck, c.card, "", pick(c.question, lang), int(c.in_latest), c.learners, c.seen, c.learned,
                         _fmt(c.mastery), _fmt(c.again_rate), "", "", "", ""])
    for p in cohort.points:
        writer.writerow(["key_point", p.deck, p.card, p.point, pick(p.label, lang) or p.point, "", p.attempted, "", "", "", "",
                         p.missing, _fmt(p.share_missing), _fmt(p.mean_miss_rate), int(p.most_miss)])


def cohort_html(cohort: Cohort) -> str:
    """The class report as one self-contained HTML page (same rules as the learner report)."""
    from cxotutor.export import svg
    from cxotutor.export.html import page, pct, tiles
    from cxotutor.export.svg import esc

    lang = cohort.lang
    n = len(cohort.learners)
    active = sum(1 for r in cohort.learners if r.last_active and (cohort.generated_at - r.last_active).days < 7)
    retention = [r.retention for r in cohort.learners if r.retention is not None]
    weekly = sorted(r.reviews_per_week for r in cohort.learners)
    body = [
        "<h1>Class report</h1>",
        f'<p class="muted">{n} learner(s) · generated {cohort.generated_at:%Y-%m-%d %H:%M} UTC</p>',
        tiles([
            ("learners", str(n)),
            ("active in the last 7 days", str(active)),
            ("median reviews per week", f"{weekly[len(weekly) // 2]:g}" if weekly else "–"),
            ("mean retention", pct(sum(retention) / len(retention)) if retention else "–"),
            ("key points most learners miss", str(sum(p.most_miss for p in cohort.points))),
        ]),
        '<section id="deck-mastery"><h2>Class mastery per deck</h2><p class="muted">Mean share of each deck learned.</p>',
    ]
    items = []
    for deck_id, version, title in cohort.decks:
        values = [r.mastery[deck_id] for r in cohort.learners if deck_id in r.mastery]
        mean = sum(values) / len(values) if values else 0.0
        items.append((f"{pick(title, lang) or deck_id} (v{version})", mean, f"{pct(mean)} · {len(values)} learner(s)"))
    body += [svg.bars(items, "Class mastery per deck"), "</section>"]

    body.append('<section id="learners"><h2>Learners</h2><table><tr><th>Learner</th><th class="n">Reviews/week</th>'
                '<th class="n">Streak</th><th class="n">Retention</th><th class="n">Score</th>')
    body += [f'<th class="n">{esc(d)}</th>' for d, _v, _t in cohort.decks]
    body += [f'<th class="n">path {esc(p)}</th>' for p, _t in cohort.paths]
    body.append("<th>Last active</th></tr>")
    newest = {d: v for d, v, _t in cohort.decks}
    for r in cohort.learners:
        cells = [f"<td>{esc(r.learner)}</td>", f'<td class="n">{r.reviews_per_week:g}</td>', f'<td class="n">{r.streak}</td>',
                 f'<td class="n">{pct(r.retention)}</td>',
                 f'<td class="n">{"–" if r.mean_score is None else round(r.mean_score)}</td>']
        for deck_id, _v, _t in cohort.decks:
            if deck_id not in r.mastery:
                cells.append('<td class="n muted">–</td>')
                continue
            old = r.versions.get(deck_id) not in (None, newest[deck_id])
            note = f' <span class="tag" title="this learner has version {r.versions.get(deck_id)}">v{esc(r.versions.get(deck_id))}</span>' if old else ""
            cells.append(f'<td class="n">{pct(r.mastery[deck_id])}{note}</td>')
        cells += [f'<td class="n">{pct(r.paths.get(p)) if p in r.paths else "–"}</td>' for p, _t in cohort.paths]
        cells.append(f"<td>{r.last_active:%Y-%m-%d}</td>" if r.last_active else '<td class="muted">never</td>')
        body.append("<tr>" + "".join(cells) + "</tr>")
    body.append("</table></section>")

    body.append('<section id="points"><h2>Key points across the class</h2><p class="muted">Highlighted: missed by most learners '
                "who answered (a learner misses a point when it is missed in half their answers or more).</p>"
                '<table><tr><th>Key point</th><th>Question</th><th>Deck</th><th class="n">Learners missing</th>'
                '<th class="n">Mean miss rate</th></tr>')
    for p in cohort.points[:100]:
        hot = ' class="hot"' if p.most_miss else ""
        body.append(f"<tr{hot}><td>{esc(pick(p.label, lang) or p.point)}</td><td>{esc(pick(p.question, lang))}</td><td>{esc(p.deck)}</td>"
                    f'<td class="n">{p.missing}/{p.attempted}</td><td class="n">{pct(p.mean_miss_rate)}</td></tr>')
    body.append("</table></section>")

    body.append('<section id="cards"><h2>Cards across the class</h2><table><tr><th>Question</th><th>Deck</th><th class="n">Seen</th>'
                '<th class="n">Learned</th><th class="n">Again rate</th></tr>')
    for c in cohort.cards[:200]:
        hot = ' class="hot"' if c.learners and c.seen and c.again_rate > MOST else ""
        retired = ' <span class="tag">not in the newest version</span>' if not c.in_latest else ""
        body.append(f"<tr{hot}><td>{esc(pick(c.question, lang) or c.card)}{retired}</td><td>{esc(c.deck)}</td>"
                    f'<td class="n">{c.seen}/{c.learners}</td><td class="n">{c.learned}/{c.learners}</td><td class="n">{pct(c.again_rate)}</td></tr>')
    body.append("</table></section>")
    return page("cxotutor class report", "\n".join(body))
