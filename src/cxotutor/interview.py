"""Mock interviews: pick questions for a role, log each answer, and build the report card.

An interview is a row in ``interview``; each answer is a review with
``mode="interview"`` pointing at it. Answers leave the schedule alone
(``schedule=False``) unless the learner chose to apply them. ``finish``
computes the report card from those reviews and stores it as JSON, so the
report can be shown again or exported as Markdown later.
"""

from __future__ import annotations

import json
import random
from dataclasses import dataclass
from datetime import datetime, timezone
from pathlib import Path
from typing import TYPE_CHECKING

from sqlalchemy import func, select

from cxotutor.models import CardView
from cxotutor.store.tables import CardRow, DeckRow, Interview, Review

if TYPE_CHECKING:
    from cxotutor.tutor import Tutor

DEFAULT_QUESTIONS = 5
DEFAULT_SECONDS = 180
MAX_QUESTIONS = 50


@dataclass(frozen=True)
class InterviewPlan:
    """What the learner asked for: a role (None: any), how many questions, seconds each (None: untimed)."""

    role: str | None = None
    questions: int = DEFAULT_QUESTIONS
    seconds_per_question: int | None = DEFAULT_SECONDS
    apply_to_schedule: bool = False

    def validated(self) -> InterviewPlan:
        if not 1 <= self.questions <= MAX_QUESTIONS:
            raise ValueError(f"the number of questions must be between 1 and {MAX_QUESTIONS}")
        if self.seconds_per_question is not None and not 10 <= self.seconds_per_question <= 3600:
            raise ValueError("time per question must be between 10 seconds and an hour")
        return self


@dataclass(frozen=True)
class Started:
    interview_id: int
    plan: InterviewPlan
    cards: tuple[CardView, ...]


def roles(tutor: Tutor) -> list[str]:
    """Roles that have at least one live card."""
    with tutor.store.read() as session:
        found = session.scalars(
            select(DeckRow.role)
            .join(CardRow, CardRow.deck_id == DeckRow.id)
            .where(DeckRow.removed.is_(False), CardRow.retired.is_(False))
            .distinct()
        ).all()
    from cxotutor.content.model import ROLES

    return sorted(found, key=lambda r: (ROLES.index(r) if r in ROLES else len(ROLES), r))


def pick_questions(tutor: Tutor, role: str | None, count: int, seed: int | None = None) -> list[CardView]:
    """``count`` distinct live cards of ``role``: never-interviewed ones first, then the least recent.

    The order within each group is random; ``seed`` (default: the tutor's clock)
    makes it repeatable.
    """
    with tutor.store.read() as session:
        query = select(CardRow.id).join(DeckRow, DeckRow.id == CardRow.deck_id).where(
            CardRow.retired.is_(False), DeckRow.removed.is_(False)
        )
        if role:
            query = query.where(DeckRow.role == role)
        ids = list(session.scalars(query.order_by(CardRow.id)))
        last = dict(
            session.execute(
                select(Review.card_id, func.max(Review.reviewed_at))
                .where(Review.learner_id == tutor.learner_id, Review.mode == "interview")
                .group_by(Review.card_id)
            ).all()
        )
    rng = random.Random(seed if seed is not None else int(tutor.clock().timestamp()))
    rng.shuffle(ids)
    never = datetime.min.replace(tzinfo=timezone.utc)
    ids.sort(key=lambda card_id: (card_id in last, last.get(card_id) or never))
    return [tutor.card(card_id) for card_id in ids[:count]]


def start(tutor: Tutor, plan: InterviewPlan, seed: int | None = None) -> Started:
    """Pick the questions and open an interview row (ValueError if there are no cards)."""
    plan = plan.validated()
    cards = pick_questions(tutor, plan.role, plan.questions, seed)
    if not cards:
        raise ValueError("no cards for this role")
    with tutor.store.write() as session:
        row = Interview(
            learner_id=tutor.learner_id,
            role=plan.role,
            started_at=tutor.clock(),
            seconds_per_question=plan.seconds_per_question,
        )
        session.add(row)
        session.flush()
        interview_id = row.id
    return Started(interview_id, plan, tuple(cards))


def record_answer(
    tutor: Tutor, interview_id: int, card: CardView, answer: str, duration_ms: int, apply_to_schedule: bool = False
) -> int:
    """Score and log one answer (committed); returns the review id. Nothing is shown to the learner yet."""
    score = tutor.score(card, answer)
    receipt = tutor.rate(
        card.id,
        score.rating,
        mode="interview",
        answer=answer,
        score=score,
        duration_ms=max(0, duration_ms),
        schedule=apply_to_schedule,
        interview_id=interview_id,
    )
    return receipt.review_id


def finish(tutor: Tutor, interview_id: int) -> dict:
    """Build the report card from the logged answers, store it on the interview row, and return it."""
    with tutor.store.read() as session:
        row = session.get(Interview, interview_id)
        if row is None or row.learner_id != tutor.learner_id:
            raise KeyError(interview_id)
        reviews = session.scalars(
            select(Review).where(Review.interview_id == interview_id).order_by(Review.reviewed_at, Review.id)
        ).all()
        started_at, role, seconds = row.started_at, row.role, row.seconds_per_question
    questions = []
    for review in reviews:
        card = tutor.card(review.card_id)
        verdicts = {p.get("id"): p for p in json.loads(review.points or "[]") if isinstance(p, dict)}
        points = []
        for kp in card.key_points:
            verdict = verdicts.get(kp.id, {})
            points.append({"id": kp.id, "label": {"ja": kp.ja, "en": kp.en}, "status": verdict.get("status", "miss")})
        questions.append(
            {
                "card_id": card.id,
                "deck_id": card.deck_id,
                "key": card.key,
                "question": {"ja": card.question_ja, "en": card.question_en},
                "answer": review.answer or "",
                "score": review.score or 0,
                "rating": review.rating,
                "duration_ms": review.duration_ms or 0,
                "points": points,
                "missed": [p["label"] for p in points if p["status"] == "miss"],
                "scheduled": review.scheduled,
            }
        )
    finished_at = tutor.clock()
    overall = round(sum(q["score"] for q in questions) / len(questions)) if questions else 0
    report = {
        "id": interview_id,
        "role": role,
        "started_at": started_at.isoformat(),
        "finished_at": finished_at.isoformat(),
        "seconds_per_question": seconds,
        "score": overall,
        "time_used_ms": sum(q["duration_ms"] for q in questions),
        "applied_to_schedule": any(q["scheduled"] for q in questions),
        "questions": questions,
    }
    with tutor.store.write() as session:
        row = session.get(Interview, interview_id)
        row.finished_at = finished_at
        row.score = overall
        row.report = json.dumps(report, ensure_ascii=False)
    return report


def load_report(tutor: Tutor, interview_id: int) -> dict:
    """A finished interview's stored report card (KeyError if unknown or unfinished)."""
    with tutor.store.read() as session:
        row = session.get(Interview, interview_id)
    if row is None or row.learner_id != tutor.learner_id or not row.report:
        raise KeyError(interview_id)
    return json.loads(row.report)


def _pick(text: dict, lang: str) -> str:
    other = "en" if lang == "ja" else "ja"
    return text.get(lang) or text.get(other) or ""


def _clock(ms: int) -> str:
    seconds = round(ms / 1000)
    return f"{seconds // 60}:{seconds % 60:02d}"


_MD = {
    "title": {"en": "Mock interview", "ja": "模擬面接"},
    "role": {"en": "Role", "ja": "ロール"},
    "any": {"en": "any", "ja": "すべて"},
    "date": {"en": "Date", "ja": "日時"},
    "overall": {"en": "Overall score", "ja": "総合スコア"},
    "time": {"en": "Time used", "ja": "所要時間"},
    "limit": {"en": "Time per question", "ja": "1問の制限時間"},
    "none": {"en": "none", "ja": "なし"},
    "question": {"en": "Question", "ja": "質問"},
    "score": {"en": "Score", "ja": "スコア"},
    "missed": {"en": "Missed", "ja": "抜けた要点"},
    "nothing": {"en": "nothing", "ja": "なし"},
    "answer": {"en": "Your answer", "ja": "あなたの回答"},
    "empty": {"en": "(no answer)", "ja": "（回答なし）"},
}


def _md_escape(text: str) -> str:
    """Deck and answer text is plain: keep Markdown from reading it as markup."""
    out = []
    for ch in text:
        out.append("\\" + ch if ch in "\\`*_{}[]<>()#+-.!|~" else ch)
    return "".join(out)


def to_markdown(report: dict, lang: str = "en") -> str:
    """The report card as a Markdown document."""
    t = {key: value[lang] for key, value in _MD.items()}
    limit = report.get("seconds_per_question")
    lines = [
        f"# {t['title']} #{report['id']}",
        "",
        f"- {t['role']}: {(report.get('role') or t['any']).upper()}",
        f"- {t['date']}: {report['started_at'][:16].replace('T', ' ')} UTC",
        f"- {t['overall']}: **{report['score']}** / 100",
        f"- {t['time']}: {_clock(report['time_used_ms'])}",
        f"- {t['limit']}: {_clock(limit * 1000) if limit else t['none']}",
        "",
    ]
    for n, q in enumerate(report["questions"], 1):
        missed = ", ".join(_md_escape(_pick(label, lang)) for label in q["missed"]) or t["nothing"]
        lines += [
            f"## {n}. {_md_escape(_pick(q['question'], lang))}",
            "",
            f"- {t['score']}: **{q['score']}** / 100 · {t['time']}: {_clock(q['duration_ms'])}",
            f"- {t['missed']}: {missed}",
            "",
            f"{t['answer']}:",
            "",
        ]
        answer = q["answer"].strip()
        lines += [f"> {_md_escape(line)}" if line else ">" for line in answer.splitlines()] if answer else [f"> {t['empty']}"]
        lines.append("")
    return "\n".join(lines)


def export_markdown(report: dict, lang: str = "en", folder: Path | None = None) -> Path:
    """Write the report card under ``<data dir>/interviews/`` and return the file's path."""
    from cxotutor.locations import data_dir

    folder = folder or data_dir() / "interviews"
    folder.mkdir(parents=True, exist_ok=True)
    stamp = report["started_at"][:16].replace("-", "").replace(":", "").replace("T", "-")
    target = folder / f"interview-{report['id']}-{stamp}.md"
    target.write_text(to_markdown(report, lang), encoding="utf-8")
    return target
