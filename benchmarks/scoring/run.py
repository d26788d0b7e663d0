"""Quality and speed benchmark for cxotutor's answer scorer.

    python benchmarks/scoring/run.py [--graded FILE] [--verbose] [--check]

Quality, on the hand-graded answers (RUBRIC.md):
  * Spearman correlation between the scorer's 0-100 score and the human overall
    grade (1-4), and with the human weighted coverage;
  * suggested rating vs human grade: exact and within-one agreement;
  * per-point accuracy: scorer status (hit 1 / partial 0.5 / miss 0) equal to the
    human point grade, and the same on "covered at all" (≥ 0.5) vs not.
A naive baseline is measured in the same run: rapidfuzz ``token_set_ratio`` of the
whole answer against the card's model answer (in the answer's language) as the
score, the same rating thresholds, and per point ``token_set_ratio`` against the
point's texts with the same status thresholds.

Speed: median and p95 per answer over the graded set (scorer vs baseline), and the
issue's fixed case, a 6-point card with 4 aliases per point against a
400-character answer (target: median ≤ 1 ms).

``--check`` exits 1 if a target is missed (Spearman ≥ 0.80, within-one ≥ 95 %,
exact ≥ 60 %, scorer ahead of the baseline).
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from dataclasses import dataclass
from pathlib import Path

import yaml
from rapidfuzz import fuzz

from cxotutor.content import resolve_deck
from cxotutor.scoring import (
    compile_key_points,
    score_answer,
    score_compiled,
    status_for,
    suggest_rating,
)

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent.parent
CREDIT = {"hit": 1.0, "partial": 0.5, "miss": 0.0}


@dataclass
class Row:
    item: dict
    human_cov: float
    grade: int
    score: int
    rating: int
    statuses: dict[str, str]
    base_score: int
    base_rating: int
    base_statuses: dict[str, str]


def load_deck(deck_id: str):
    path = ROOT / "decks" / f"{deck_id}.yaml"
    return resolve_deck(str(path) if path.exists() else deck_id)


def ranks(values: list[float]) -> list[float]:
    order = sorted(range(len(values)), key=lambda i: values[i])
    out = [0.0] * len(values)
    i = 0
    while i < len(order):
        j = i
        while j + 1 < len(order) and values[order[j + 1]] == values[order[i]]:
            j += 1
        for k in range(i, j + 1):
            out[order[k]] = (i + j) / 2 + 1
        i = j + 1
    return out


def spearman(x: list[float], y: list[float]) -> float:
    rx, ry = ranks(x), ranks(y)
    mx, my = statistics.fmean(rx), statistics.fmean(ry)
    cov = sum((a - mx) * (b - my) for a, b in zip(rx, ry))
    vx = sum((a - mx) ** 2 for a in rx)
    vy = sum((b - my) ** 2 for b in ry)
    return cov / (vx * vy) ** 0.5 if vx and vy else 0.0


def baseline_score(answer: str, model_answer: str) -> int:
    return int(round(fuzz.token_set_ratio(answer, model_answer))) if answer.strip() else 0


def baseline_point(answer: str, point) -> str:
    texts = [t for t in (point.ja, point.en, *point.aliases) if t]
    best = max((fuzz.token_set_ratio(answer, t) for t in texts), default=0.0) if answer.strip() else 0.0
    return status_for(best)


def evaluate(items: list[dict]) -> tuple[list[Row], list[str]]:
    decks: dict[str, object] = {}
    rows: list[Row] = []
    problems: list[str] = []
    for item in items:
        deck = decks.get(item["deck"])
        if deck is None:
            deck = decks[item["deck"]] = load_deck(item["deck"])
        cards = {c.id: c for c in deck.cards}
        card = cards.get(item["card"])
        if card is None:
            problems.append(f"{item['id']}: no card {item['deck']}/{item['card']}")
            continue
        points = {p.id: p for p in card.key_points}
        if set(points) != set(item["points"]):
            problems.append(f"{item['id']}: key points differ from the deck: {sorted(set(points) ^ set(item['points']))}")
            continue
        total = sum(p.weight for p in points.values())
        human_cov = sum(points[pid].weight * g for pid, g in item["points"].items()) / total
        result = score_answer(item["answer"], card.key_points)
        model = card.answer.get(item["lang"])
        base = baseline_score(item["answer"], model)
        rows.append(Row(
            item=item,
            human_cov=human_cov,
            grade=int(item["grade"]),
            score=result.score,
            rating=result.rating,
            statuses={p.id: p.status for p in result.points},
            base_score=base,
            base_rating=suggest_rating(base),
            base_statuses={pid: baseline_point(item["answer"], p) for pid, p in points.items()},
        ))
    return rows, problems


def metrics(rows: list[Row], which: str) -> dict[str, float]:
    score = [r.score if which == "scorer" else r.base_score for r in rows]
    rating = [r.rating if which == "scorer" else r.base_rating for r in rows]
    statuses = [r.statuses if which == "scorer" else r.base_statuses for r in rows]
    grades = [r.grade for r in rows]
    exact = sum(a == b for a, b in zip(rating, grades)) / len(rows)
    within = sum(abs(a - b) <= 1 for a, b in zip(rating, grades)) / len(rows)
    point_total = point_exact = point_binary = 0
    for row, st in zip(rows, statuses):
        for pid, human in row.item["points"].items():
            got = CREDIT[st[pid]]
            point_total += 1
            point_exact += got == human
            point_binary += (got >= 0.5) == (human >= 0.5)
    return {
        "spearman_grade": spearman(score, grades),
        "spearman_coverage": spearman(score, [r.human_cov for r in rows]),
        "rating_exact": exact,
        "rating_within_one": within,
        "point_accuracy": point_exact / point_total,
        "point_binary_accuracy": point_binary / point_total,
        "points": point_total,
    }


def _time(fn, repeat: int) -> list[float]:
    out = []
    for _ in range(repeat):
        start = time.perf_counter()
        fn()
        out.append(time.perf_counter() - start)
    return out


def speed_graded(items: list[dict], repeat: int = 20) -> dict[str, tuple[float, float]]:
    cards = []
    for item in items:
        deck = load_deck(item["deck"])
        card = next(c for c in deck.cards if c.id == item["card"])
        cards.append((item["answer"], card))
    scorer: list[float] = []
    compiled: list[float] = []
    base: list[float] = []
    for answer, card in cards:
        score_answer(answer, card.key_points)  # warm the compile cache
        pre = compile_key_points(card.key_points)
        model = card.answer.get("ja")
        per = _time(lambda: score_answer(answer, card.key_points), repeat)
        scorer.append(statistics.median(per))
        per = _time(lambda: score_compiled(answer, pre), repeat)
        compiled.append(statistics.median(per))
        per = _time(lambda: baseline_score(answer, model), repeat)
        base.append(statistics.median(per))
    return {"scorer": _stats(scorer), "scorer (precompiled)": _stats(compiled), "baseline": _stats(base)}


def _stats(samples: list[float]) -> tuple[float, float]:
    samples = sorted(samples)
    return statistics.median(samples) * 1000, samples[min(len(samples) - 1, int(0.95 * len(samples)))] * 1000


@dataclass
class _KP:
    id: str
    ja: str
    en: str
    aliases: list[str]
    weight: float = 1.0


def fixed_case() -> tuple[list[_KP], str, str]:
    """The issue's case: 6 points x (ja, en, 4 aliases), 400-character answers."""
    points = [
        _KP("p1", "分散トランザクション管理", "managing distributed transactions",
            ["分散トランザクション", "Sagaパターン", "2PC", "distributed transaction"]),
        _KP("p2", "サービス間通信の複雑性", "complexity of inter-service communication",
            ["サービス間通信", "service-to-service communication", "ネットワーク遅延", "API呼び出し"]),
        _KP("p3", "監視（オブザーバビリティ）の難しさ", "difficulty of monitoring (observability)",
            ["オブザーバビリティ", "可観測性", "observability", "分散トレーシング"]),
        _KP("p4", "チーム間の依存関係", "dependencies between teams",
            ["チーム間依存", "team dependencies", "組織間の調整", "コンウェイの法則"]),
        _KP("p5", "データの整合性", "data consistency",
            ["結果整合性", "eventual consistency", "整合性の維持", "consistency"]),
        _KP("p6", "運用コストの増加", "higher operational cost",
            ["運用負荷", "operational overhead", "運用の複雑化", "インフラコスト"]),
    ]
    ja = (
        "マイクロサービスを導入すると、まず分散トランザクションの扱いが難しくなります。Sagaパターンや補償処理で整合性を保つ必要があり、"
        "サービス間の通信も増えるためネットワーク遅延や障害への対策が欠かせません。さらに監視が難しく、分散トレーシングなどで可観測性を高める必要があります。"
        "組織面では、チーム間の依存関係を減らすためにAPI契約を明確にし、コンウェイの法則を意識してチームを編成します。運用の負荷も増えるので、自動化への投資が重要です。"
        "最初は小さく始め、段階的に分割していくのが現実的です。"
    )
    en = (
        "Adopting microservices makes distributed transactions hard; we use the Saga pattern and compensating actions to keep data consistent. "
        "Service-to-service communication adds latency and new failure modes, so retries and timeouts matter. Monitoring gets harder, so we invest "
        "in observability and tracing. Teams depend on each other through APIs, so contracts must be explicit. Operational overhead grows too."
    )
    return points, (ja * 2)[:400], (en * 2)[:400]


def speed_fixed(repeat: int = 3000) -> dict[str, tuple[float, float]]:
    """Median/p95 on :func:`fixed_case` (target: median ≤ 1 ms)."""
    points, ja, en = fixed_case()
    score_answer(ja, points)
    out = {}
    for name, answer in (("ja", ja), ("en", en)):
        out[f"scorer, {name} answer"] = _stats(_time(lambda: score_answer(answer, points), repeat))
        model = ja if name == "ja" else en
        out[f"baseline, {name} answer"] = _stats(_time(lambda: baseline_score(answer, model), repeat))
    return out


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--graded", type=Path, default=HERE / "graded.yaml")
    parser.add_argument("--verbose", action="store_true", help="list every answer whose rating is off by one or more")
    parser.add_argument("--check", action="store_true", help="exit 1 if a quality or speed target is missed")
    parser.add_argument("--no-speed", action="store_true")
    args = parser.parse_args(argv)

    items = yaml.safe_load(args.graded.read_text(encoding="utf-8"))
    rows, problems = evaluate(items)
    for problem in problems:
        print(f"skipped {problem}", file=sys.stderr)
    langs = {lang: sum(r.item["lang"] == lang for r in rows) for lang in ("ja", "en")}
    print(f"graded answers: {len(rows)} ({langs['ja']} ja, {langs['en']} en)"
          f", key-point judgements: {sum(len(r.item['points']) for r in rows)}")

    ours = metrics(rows, "scorer")
    base = metrics(rows, "baseline")
    print()
    print(f"{'metric':34} {'scorer':>8} {'baseline':>9}  target")
    targets = {"spearman_grade": "≥ 0.80", "rating_within_one": "≥ 95 %", "rating_exact": "≥ 60 %"}
    for key, label in (
        ("spearman_grade", "Spearman(score, grade)"),
        ("spearman_coverage", "Spearman(score, human coverage)"),
        ("rating_exact", "rating exact"),
        ("rating_within_one", "rating within one"),
        ("point_accuracy", "per-point accuracy (0/0.5/1)"),
        ("point_binary_accuracy", "per-point accuracy (covered?)"),
    ):
        fmt = (lambda v: f"{v:8.3f}") if key.startswith("spearman") else (lambda v: f"{100 * v:7.1f}%")
        print(f"{label:34} {fmt(ours[key])} {fmt(base[key]):>9}  {targets.get(key, '')}")

    for lang in ("ja", "en"):
        subset = [r for r in rows if r.item["lang"] == lang]
        if subset:
            m = metrics(subset, "scorer")
            print(f"  {lang}: Spearman {m['spearman_grade']:.3f}, exact {100 * m['rating_exact']:.1f}%, "
                  f"within one {100 * m['rating_within_one']:.1f}%, per point {100 * m['point_accuracy']:.1f}%")

    if args.verbose:
        print("\nanswers whose suggested rating differs from the grade:")
        for r in rows:
            if r.rating != r.grade:
                print(f"  {r.item['id']:18} grade {r.grade} rating {r.rating} score {r.score:3d} "
                      f"(human coverage {100 * r.human_cov:.0f})")
                for pid, human in r.item["points"].items():
                    if CREDIT[r.statuses[pid]] != human:
                        print(f"      {pid}: human {human} scorer {r.statuses[pid]}")

    ok = (
        ours["spearman_grade"] >= 0.80
        and ours["rating_within_one"] >= 0.95
        and ours["rating_exact"] >= 0.60
        and ours["spearman_grade"] > base["spearman_grade"]
        and ours["point_accuracy"] > base["point_accuracy"]
    )
    if not args.no_speed:
        print("\nspeed per answer (median / p95, ms):")
        for name, (med, p95) in speed_graded(items).items():
            print(f"  graded set, {name:22} {med:7.3f} / {p95:7.3f}")
        fixed = speed_fixed()
        for name, (med, p95) in fixed.items():
            print(f"  6 points x 4 aliases, 400 chars, {name:18} {med:7.3f} / {p95:7.3f}")
        ok = ok and all(med <= 1.0 for name, (med, _) in fixed.items() if name.startswith("scorer"))
    print("\ntargets met" if ok else "\ntargets MISSED")
    return 0 if ok or not args.check else 1


if __name__ == "__main__":
    raise SystemExit(main())
