"""Measure cxotutor against its performance budget (issue 7).

    python -m benchmarks [--small] [--repeat N] [--only NAME ...] [--skip NAME ...]

Every measurement runs several times; the table and ``benchmarks/out/results.json``
give the median, min, max (and p95 where it is the target) and, where the
budget is a ratio, the baseline measured in the same run. The collection comes
from ``benchmarks/generate.py`` (made on first use; ``--small`` for the
10,000-card one). Benchmarks that change the database work on a copy under
``benchmarks/out/work/``.

Subprocess benchmarks start Python the way a learner's install does: bytecode
is allowed (``PYTHONDONTWRITEBYTECODE`` is dropped) and one warm-up run writes
it, so "cold start" means a fresh process, not a fresh machine: the operating
system's file cache is warm, as it is on the second launch of the day.
"""

from __future__ import annotations

import argparse
import json
import multiprocessing
import os
import platform
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from pathlib import Path

from benchmarks.generate import COHORT, COHORT_LEARNERS, DATA, LARGE, SMALL, ensure

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
OUT = HERE / "out"
WORK = OUT / "work"


# -- results ---------------------------------------------------------------------------------------


@dataclass
class Result:
    """One line of the table: samples in seconds (or the unit given), and what the budget says."""

    name: str
    samples: list[float]
    unit: str = "s"
    stat: str = "median"  # the figure the target applies to: median | p95 | ratio | max
    limit: float | None = None  # the target: the figure must be at most this
    baseline: list[float] | None = None
    baseline_name: str = ""
    note: str = ""
    extra: dict = field(default_factory=dict)

    def figures(self) -> dict:
        data = sorted(self.samples)
        out = {
            "median": statistics.median(data),
            "min": data[0],
            "max": data[-1],
            "p95": data[min(len(data) - 1, max(0, round(0.95 * len(data)) - 1))],
            "n": len(data),
        }
        if self.baseline:
            base = statistics.median(self.baseline)
            out["baseline_median"] = base
            out["baseline_min"] = min(self.baseline)
            out["baseline_max"] = max(self.baseline)
            out["ratio"] = out["median"] / base if base else None
        return out

    @property
    def met(self) -> bool | None:
        if self.limit is None:
            return None
        value = self.figures().get(self.stat)
        return value is not None and value <= self.limit

    def to_dict(self) -> dict:
        return {
            "name": self.name, "unit": self.unit, **self.figures(), "target": self.target, "met": self.met,
            "baseline": self.baseline_name or None, "note": self.note or None, "samples": self.samples, **self.extra,
        }

    @property
    def target(self) -> str | None:
        if self.limit is None:
            return None
        return f"{self.stat} ≤ {self.limit:g}{'' if self.stat == 'ratio' else ' ' + self.unit}"


def _fmt(value: float | None, unit: str) -> str:
    if value is None:
        return "-"
    if unit == "s":
        return f"{value * 1000:.1f} ms" if value < 1 else f"{value:.2f} s"
    if unit == "MB":
        return f"{value:.0f} MB"
    return f"{value:,.1f} {unit}"


def print_table(results: list[Result]) -> None:
    rows = [("measurement", "median", "min", "max", "p95", "ratio", "target", "met")]
    for r in results:
        f = r.figures()
        ratio = f"{f['ratio']:.2f}" if f.get("ratio") is not None else "-"
        met = {True: "yes", False: "NO", None: ""}[r.met]
        rows.append((r.name, _fmt(f["median"], r.unit), _fmt(f["min"], r.unit), _fmt(f["max"], r.unit),
                     _fmt(f["p95"], r.unit), ratio, r.target or "reported", met))
    widths = [max(len(row[i]) for row in rows) for i in range(len(rows[0]))]
    for n, row in enumerate(rows):
        print("  ".join(cell.ljust(widths[i]) if i == 0 else cell.rjust(widths[i]) for i, cell in enumerate(row)))
        if n == 0:
            print("  ".join("-" * w for w in widths))
    for r in results:
        if r.baseline:
            print(f"  {r.name}: baseline = {r.baseline_name} ({_fmt(statistics.median(r.baseline), r.unit)} median)")
        if r.note:
            print(f"  {r.name}: {r.note}")


# -- helpers ----------------------------------------------------------------------------------------


def child_env() -> dict[str, str]:
    """A learner's environment: bytecode caching on, nothing pointing at a developer's data."""
    env = {k: v for k, v in os.environ.items() if k not in ("PYTHONDONTWRITEBYTECODE", "CXOTUTOR_DB", "CXOTUTOR_LEARNER")}
    env["CXOTUTOR_HOME"] = str(OUT / "home")
    env["PYTHONPATH"] = str(ROOT) + os.pathsep + env.get("PYTHONPATH", "")
    env.setdefault("LANG", "en_US.UTF-8")
    return env


def timed_lines(cmd: list[str], wanted: tuple[str, ...], timeout: float = 300) -> dict[str, object]:
    """Start ``cmd`` and note the seconds since its start at which each wanted line first appears."""
    started = time.perf_counter()
    proc = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=child_env(), cwd=ROOT)
    seen: dict[str, object] = {"rated": [], "settled": []}
    assert proc.stdout is not None
    for raw in proc.stdout:
        moment = time.perf_counter() - started
        word, _, rest = raw.decode().strip().partition(" ")
        if word in ("rated", "settled"):
            seen[word].append(float(rest))
        elif word == "rss":
            seen["rss"] = int(rest)
        elif word in wanted and word not in seen:
            seen[word] = moment
    proc.wait(timeout=timeout)
    seen["exit"] = time.perf_counter() - started
    if proc.returncode:
        raise RuntimeError(f"{' '.join(cmd)} failed: {proc.stderr.read().decode()[-2000:]}")
    return seen


def work_copy(source: Path, name: str) -> Path:
    """A fresh copy of a collection's database to change freely."""
    WORK.mkdir(parents=True, exist_ok=True)
    target = WORK / f"{name}.db"
    for suffix in ("", "-wal", "-shm"):
        Path(f"{target}{suffix}").unlink(missing_ok=True)
    shutil.copyfile(source, target)
    # Write the copy out now: gigabytes still being written back would stall the measured
    # commits' fsyncs behind them, which no learner's machine has just done.
    os.sync()
    return target


def meta_of(folder: Path) -> dict:
    return json.loads((folder / "meta.json").read_text())


def python() -> str:
    return sys.executable


# -- the measurements ----------------------------------------------------------------------------


def tui(ctx: Context, db: Path | None = None, *args: str) -> list[str]:
    """The driver command for cxotutor's app on ``db`` (default: the shared working copy)."""
    return [python(), "-m", "benchmarks.tui_driver", "--app", "cxotutor", "--db", str(db or ctx.db),
            "--learner", ctx.learner, "--now", ctx.now.isoformat(), *args]


def bench_first_paint(ctx: Context) -> list[Result]:
    """1. Cold start to first paint: cxotutor vs a bare Textual app, the same harness, fresh processes."""
    ours = tui(ctx, None, "--until", "paint")
    bare = [python(), "-m", "benchmarks.tui_driver", "--app", "bare", "--until", "paint"]
    timed_lines(ours, ("painted",))  # writes bytecode, syncs bundled decks into the copy once
    timed_lines(bare, ("painted",))
    ours_t, bare_t, imported = [], [], []
    for _ in range(ctx.repeat):  # interleaved, so machine load hits both alike
        bare_t.append(timed_lines(bare, ("painted",))["painted"])
        seen = timed_lines(ours, ("imported", "painted"))
        ours_t.append(seen["painted"])
        imported.append(seen["imported"])
    name = "bare Textual app with one Static, same harness"
    return [
        Result("1. cold start to first paint", ours_t, stat="ratio", limit=1.3, baseline=bare_t, baseline_name=name),
        Result("1. … of which imports done (entry point + TUI modules)", imported),
    ]


READING = 0.3  # seconds a "learner" reads the answer before rating: far quicker than any human


def study_session(ctx: Context, ratings: int, reading: float, mode: str = "flip") -> dict[str, object]:
    """One headless session on a fresh copy of the collection: home, then ``ratings`` ratings."""
    copy = work_copy(ctx.db, "rss")
    args = ("--until", "home", "--ratings", str(ratings), "--reading", str(reading), "--mode", mode)
    return timed_lines(tui(ctx, copy, *args), ("home",))


def bench_home(ctx: Context) -> list[Result]:
    """2. Cold start to a ready home screen (due counts shown), and 7. peak RSS with a short session."""
    timed_lines(tui(ctx, None, "--until", "home"), ("home",))
    times = [timed_lines(tui(ctx, None, "--until", "home"), ("painted", "home"))["home"] for _ in range(ctx.repeat)]
    out = [Result("2. cold start to home with due counts", times, limit=0.8, note=f"{ctx.label}")]
    rss, rated, settled = [], [], []
    for _ in range(max(3, ctx.repeat // 2)):
        seen = study_session(ctx, 30, READING)
        rss.append(seen["rss"] / 1024)
        rated.extend(seen["rated"])
        settled.extend(seen["settled"])
    out.append(Result("7. peak RSS of the TUI (home + 30 ratings)", rss, unit="MB", stat="max", limit=150))
    if rated:
        out.append(Result("3b. next card after a rating, TUI (key → next card painted)", rated, stat="p95", limit=0.030,
                          note=f"flip session in the headless app, the answer read {READING:g} s (±1/3) before each "
                               "rating: rate + schedule + queue + render, to the first frame with the next card"))
        out.append(Result("3b. … to the screen settled (every refresh asked for until then done)", settled, stat="p95"))
    typed = study_session(ctx, 30, READING, mode="review")["rated"]
    if typed:
        out.append(Result("3b. … in a typed-answer review (type, submit, read, rate)", typed, stat="p95",
                          note="the answer box is cleared and focused for each card: a bigger paint than flip's"))
    # Keys at machine speed: "3" a frame after the answer is painted, which no learner does;
    # it shows what Textual's frame pacing adds when paints follow each other closely.
    fast = study_session(ctx, 60, 0)["rated"]
    if fast:
        out.append(Result("3b. … with no reading pause (key a frame after the answer)", fast, stat="p95"))
    return out


def bench_next_card(ctx: Context) -> list[Result]:
    """3. Next card after a rating, facade part: Tutor.rate + Tutor.next_card + Tutor.remaining (as the TUI calls them)."""
    from cxotutor.store import open_store
    from cxotutor.tutor import Tutor

    copy = work_copy(ctx.db, "next-card")
    clock = Clock(ctx.now)
    store = open_store(copy)
    tutor = Tutor(store, ctx.learner, clock=clock, tz=ctx.tz)
    tutor.sync_bundled()
    samples, rate_only, queue_only = [], [], []
    card = tutor.next_card()
    # A whole study day from the collection's "now": every due review (up to the daily cap), then
    # new cards, then their learning steps; the clock moves 20 s per card, as a learner's would.
    while card is not None and len(samples) < 600:
        start = time.perf_counter()
        tutor.rate(card.id, 3 if len(samples) % 7 else 1, duration_ms=20_000)
        middle = time.perf_counter()
        card = tutor.next_card()
        if card is not None:
            tutor.remaining()
        end = time.perf_counter()
        samples.append(end - start)
        rate_only.append(middle - start)
        queue_only.append(end - middle)
        clock.advance(seconds=20)
        if card is None:
            clock.advance(minutes=10)  # wait for the learning steps, as the learner would
            card = tutor.next_card()
    store.dispose()
    note = f"{len(samples)} ratings in one study day (due reviews, new cards, learning steps)"
    return [
        Result("3. next card after a rating (rate + next_card + remaining)", samples, stat="p95", limit=0.030, note=note),
        Result("3. … of which Tutor.rate", rate_only, stat="p95"),
        Result("3. … of which next_card + remaining", queue_only, stat="p95"),
    ]


def bench_scoring(ctx: Context) -> list[Result]:
    """4. Scoring a 6-point, 4-alias card against a 400-character answer: benchmarks/scoring/run.py's own case."""
    from benchmarks.scoring.run import speed_fixed

    out = []
    for _ in range(ctx.repeat):
        out.append(speed_fixed(repeat=1000))
    results = []
    for lang in ("ja", "en"):
        key = f"scorer, {lang} answer"
        medians = [run[key][0] / 1000 for run in out]
        results.append(Result(f"4. score 6 points × 4 aliases, 400-char {lang} answer", medians, limit=0.001,
                              note="median of 1,000 per run (benchmarks/scoring/run.py speed_fixed)"))
    return results


def bench_install(ctx: Context) -> list[Result]:
    """5. Installing 10,000 cards from YAML, and re-installing version 2 with 5 % of the cards changed.

    Two shapes: one 10,000-card deck file (install-v1/v2.yaml), and twenty 500-card deck files.
    """
    from benchmarks.generate import INSTALL_CHANGED, changed_version, make_deck, write_yaml
    from cxotutor.content import ContentError, load_files
    from cxotutor.library import file_digest, install_deck
    from cxotutor.store import open_store

    def install(store, files: list[Path]) -> None:
        content = load_files(files)
        if content.problems:
            raise ContentError(content.problems)
        with store.write() as session:
            for deck, doc in content.decks:
                install_deck(session, deck, "installed", file_digest(Path(doc.file)))

    spec = SMALL if ctx.folder.name == SMALL.name else LARGE
    twenty = [ctx.folder / "decks" / f"bench-{i:03d}.yaml" for i in range(20)]
    twenty_v2 = [OUT / "install-v2" / file.name for file in twenty]
    if not all(file.exists() for file in twenty_v2):
        for i, file in enumerate(twenty_v2):
            write_yaml(changed_version(make_deck(spec.seed, i, spec.cards_per_deck), INSTALL_CHANGED, spec.seed), file)
    shapes = [
        ("one 10,000-card deck file", [ctx.folder / "install-v1.yaml"], [ctx.folder / "install-v2.yaml"]),
        ("twenty 500-card deck files", twenty, twenty_v2),
    ]
    results = []
    for label, v1, v2 in shapes:
        first, again = [], []
        try:
            for _ in range(min(ctx.repeat, 3)):  # a minute a run while YAML loading is as slow as it is
                with tempfile.TemporaryDirectory(dir=OUT) as tmp:
                    store = open_store(Path(tmp) / "install.db")
                    start = time.perf_counter()
                    install(store, v1)
                    first.append(time.perf_counter() - start)
                    start = time.perf_counter()
                    install(store, v2)
                    again.append(time.perf_counter() - start)
                    store.dispose()
        except ContentError as error:
            results.append(Result(f"5. install 10,000 cards: {label}: REFUSED", [float("nan")], limit=3.0,
                                  note=f"the loader refused the file: {str(error).splitlines()[0][-160:]}"))
            continue
        size = sum(file.stat().st_size for file in v1) / 1e6
        results.append(Result(f"5. install 10,000 cards: {label}", first, limit=3.0, note=f"{size:.1f} MB of YAML: read, validate, insert"))
        results.append(Result(f"5. re-install as version 2 (5 % changed): {label}", again, limit=3.0))
    return results


def bench_export(ctx: Context) -> list[Result]:
    """6. CSV export of the review log (`cxotutor export --format csv`) vs the sqlite3 shell; JSON reported."""
    sqlite3_cli = shutil.which("sqlite3")
    out_dir = OUT / "export"
    out_dir.mkdir(parents=True, exist_ok=True)
    csv_file, json_file, shell_file = out_dir / "reviews.csv", out_dir / "progress.json", out_dir / "shell.csv"
    ours = [python(), "-m", "cxotutor", "--db", str(ctx.db), "export", "--format", "csv", "--learner", ctx.learner, "--out", str(csv_file)]
    ours_json = [python(), "-m", "cxotutor", "--db", str(ctx.db), "export", "--format", "json", "--learner", ctx.learner, "--out", str(json_file)]
    results = []
    run = lambda cmd, **kw: subprocess.run(cmd, env=child_env(), cwd=ROOT, check=True, capture_output=True, **kw)  # noqa: E731
    run(ours)
    rows = sum(1 for _ in csv_file.open()) - 1
    ours_t, shell_t = [], []
    shell_sql = _shell_export_sql(ctx)
    for _ in range(ctx.repeat):
        start = time.perf_counter()
        run(ours)
        ours_t.append(time.perf_counter() - start)
        if sqlite3_cli:
            start = time.perf_counter()
            run([sqlite3_cli, "-readonly", str(ctx.db)], input=shell_sql.replace("OUTFILE", str(shell_file)).encode())
            shell_t.append(time.perf_counter() - start)
    shell_rows = sum(1 for _ in shell_file.open()) - 1 if sqlite3_cli else None
    results.append(Result(f"6. CSV export of {rows:,} reviews (whole command)", ours_t, stat="ratio", limit=2.0,
                          baseline=shell_t or None, baseline_name=f"sqlite3 shell, .mode csv, same {shell_rows:,} rows and columns"
                          if sqlite3_cli else "", note="" if sqlite3_cli else "sqlite3 shell missing: apt-get install sqlite3"))
    json_t = []
    for _ in range(1 if ctx.folder.name == LARGE.name else 2):  # minutes on the large collection
        start = time.perf_counter()
        run(ours_json)
        json_t.append(time.perf_counter() - start)
    results.append(Result(f"6. JSON export (everything, {json_file.stat().st_size / 1e6:.0f} MB)", json_t))
    return results


def _shell_export_sql(ctx: Context) -> str:
    """The CSV export's rows and columns, as the sqlite3 shell would produce them."""
    return f"""
.mode csv
.headers on
.output OUTFILE
SELECT CAST(strftime('%s', r.reviewed_at) AS INTEGER) * 1000 + CAST(substr(r.reviewed_at, 21, 3) AS INTEGER) AS review_time_ms,
       c.key AS card_id, c.deck_id, r.rating,
       CASE r.state WHEN 1 THEN 'learning' WHEN 2 THEN 'review' WHEN 3 THEN 'relearning' ELSE '' END AS state,
       r.interval_days, r.duration_ms, r.score, r.mode
FROM review r JOIN card c ON c.id = r.card_id
WHERE r.learner_id = (SELECT id FROM learner WHERE name = '{ctx.learner}')
ORDER BY r.reviewed_at, r.id;
"""


def bench_cohort(ctx: Context) -> list[Result]:
    """8. Cohort report over 30 learners' JSON exports (`cxotutor cohort report`)."""
    folder = ensure(COHORT)
    exports = OUT / "cohort-exports"
    db = folder / "cxotutor.db"
    names = [f"learner-{n:02d}" for n in range(COHORT_LEARNERS)]
    if not exports.is_dir() or len(list(exports.glob("*.json"))) < len(names):
        exports.mkdir(parents=True, exist_ok=True)
        copy = work_copy(db, "cohort")
        for name in names:
            subprocess.run([python(), "-m", "cxotutor", "--db", str(copy), "export", "--format", "json", "--learner", name,
                            "--out", str(exports / f"{name}.json")], env=child_env(), cwd=ROOT, check=True, capture_output=True)
    results = []
    for suffix in ("html", "csv"):
        times = []
        for _ in range(max(3, ctx.repeat // 2)):
            start = time.perf_counter()
            subprocess.run([python(), "-m", "cxotutor", "cohort", "report", str(exports), "--out", str(OUT / f"class.{suffix}")],
                           env=child_env(), cwd=ROOT, check=True, capture_output=True)
            times.append(time.perf_counter() - start)
        reviews = meta_of(folder)["reviews"]
        results.append(Result(f"8. cohort report, 30 exports → {suffix} ({reviews:,} reviews)", times))
    return results


def bench_class(ctx: Context) -> list[Result]:
    """Class mode: 30 learners rating at once, each its own process and connection, SQLite vs PostgreSQL."""
    results = []
    sqlite_db = work_copy(ensure(COHORT) / "cxotutor.db", "class")
    results += _class_run("SQLite", str(sqlite_db))
    cluster = None
    try:
        from tests import postgres as pg

        if pg.available():
            cluster = pg.Cluster(Path(tempfile.gettempdir()) / f"cxo-bench-pg-{os.getpid()}")
            cluster.start()
            _durable(cluster)
            url = cluster.new_database()
            _load_class_database(url)
            results += _class_run("PostgreSQL", url)
        else:
            print("PostgreSQL not installed: class-mode figures for SQLite only", file=sys.stderr)
    finally:
        if cluster is not None:
            cluster.stop()
    return results


def _durable(cluster) -> None:
    """tests/postgres.py turns fsync off for speed; a fair comparison with SQLite (synchronous=FULL) needs it on."""
    import psycopg

    with psycopg.connect(f"host=127.0.0.1 port={cluster.port} user=cxo dbname=postgres", autocommit=True) as conn:
        conn.execute("ALTER SYSTEM SET fsync = on")
        conn.execute("SELECT pg_reload_conf()")


def _load_class_database(url: str) -> None:
    """The cohort's decks on PostgreSQL (the learners start fresh: the load is the same either way)."""
    from benchmarks.generate import make_deck
    from cxotutor.content import Deck
    from cxotutor.library import install_deck, sync_bundled
    from cxotutor.store import open_store

    store = open_store(url)
    with store.write() as session:
        for i in range(COHORT.decks):
            install_deck(session, Deck.model_validate(make_deck(COHORT.seed, i, COHORT.cards_per_deck)), "installed")
    sync_bundled(store)
    store.dispose()


CLASS_LEARNERS = 30
CLASS_RATINGS = 40


def _class_learner(url: str, name: str, start: threading.Barrier, queue) -> None:
    from cxotutor.tutor import Tutor

    tutor = Tutor.open(db=url, learner=name, sync=False)
    latencies, cycle = [], []
    start.wait()
    began = time.perf_counter()
    for n in range(CLASS_RATINGS):
        t0 = time.perf_counter()
        card = tutor.next_card()
        if card is None:
            card = tutor.card(1)
        t1 = time.perf_counter()
        tutor.rate(card.id, 1 + n % 4 if n % 3 == 0 else 3)
        t2 = time.perf_counter()
        latencies.append(t2 - t1)
        cycle.append(t2 - t0)
    queue.put((name, began, time.perf_counter(), latencies, cycle))
    tutor.close()


def _class_run(engine: str, url: str) -> list[Result]:
    context = multiprocessing.get_context("spawn")
    queue = context.Queue()
    barrier = context.Barrier(CLASS_LEARNERS)
    procs = [context.Process(target=_class_learner, args=(url, f"class-{n:02d}", barrier, queue)) for n in range(CLASS_LEARNERS)]
    for proc in procs:
        proc.start()
    reports = [queue.get(timeout=600) for _ in procs]
    for proc in procs:
        proc.join(timeout=60)
    began = min(r[1] for r in reports)
    ended = max(r[2] for r in reports)
    latencies = [x for r in reports for x in r[3]]
    total = len(latencies)
    rate = total / (ended - began)
    return [
        Result(f"class mode, {engine}: a rating with {CLASS_LEARNERS} learners at once", latencies, stat="p95",
               note=f"{total} ratings in {ended - began:.1f} s = {rate:.0f} reviews/s sustained (each: next_card, then rate)",
               extra={"reviews_per_second": rate}),
    ]


# -- running ---------------------------------------------------------------------------------------------


class Clock:
    def __init__(self, now: datetime):
        self.now = now

    def __call__(self) -> datetime:
        return self.now

    def advance(self, **delta) -> None:
        self.now += timedelta(**delta)


@dataclass
class Context:
    folder: Path
    db: Path  # a working copy, shared by the read-only benchmarks
    now: datetime
    learner: str
    repeat: int
    label: str

    @property
    def tz(self):
        return self.now.tzinfo


BENCHMARKS = {
    "first-paint": bench_first_paint,
    "home": bench_home,
    "export": bench_export,
    "cohort": bench_cohort,
    "next-card": bench_next_card,
    "scoring": bench_scoring,
    "install": bench_install,
    "class": bench_class,
}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Measure cxotutor against its performance budget.")
    parser.add_argument("--small", action="store_true", help="the 10,000-card collection instead of the 100,000-card one")
    parser.add_argument("--repeat", type=int, default=7, help="runs per measurement (default 7)")
    parser.add_argument("--only", nargs="*", choices=list(BENCHMARKS), help="run only these")
    parser.add_argument("--skip", nargs="*", choices=list(BENCHMARKS), default=[], help="skip these")
    parser.add_argument("--out", type=Path, default=OUT / "results.json")
    args = parser.parse_args(argv)

    spec = SMALL if args.small else LARGE
    folder = ensure(spec)
    meta = meta_of(folder)
    OUT.mkdir(parents=True, exist_ok=True)
    db = work_copy(folder / "cxotutor.db", f"{spec.name}-read")
    ctx = Context(folder, db, datetime.fromisoformat(meta["now"]), meta["learner"], args.repeat,
                  f"{meta['cards']:,} cards, {meta['reviews']:,} reviews")
    chosen = [name for name in (args.only or BENCHMARKS) if name not in args.skip]
    results: list[Result] = []
    load_before = os.getloadavg()
    for name in chosen:
        print(f"… {name}", file=sys.stderr, flush=True)
        started = time.perf_counter()
        try:
            results += BENCHMARKS[name](ctx)
        except Exception as error:  # one broken benchmark must not hide the others
            print(f"{name} failed: {type(error).__name__}: {error}", file=sys.stderr)
            results.append(Result(f"{name}: FAILED", [float("nan")], note=f"{type(error).__name__}: {error}"[:300]))
        print(f"  {name} took {time.perf_counter() - started:.0f} s", file=sys.stderr)
    print(f"\ncxotutor performance budget — {spec.name} collection ({ctx.label}), {args.repeat} runs each\n")
    print_table(results)
    missed = [r.name for r in results if r.met is False]
    print(f"\n{'every target met' if not missed else 'MISSED: ' + '; '.join(missed)}")
    report = {
        "collection": meta,
        "machine": {"python": platform.python_version(), "platform": platform.platform(), "cpus": os.cpu_count(),
                    "load_before": load_before, "load_after": os.getloadavg()},
        "repeat": args.repeat,
        "when": datetime.now().astimezone().isoformat(timespec="seconds"),
        "results": [r.to_dict() for r in results],
    }
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps(report, indent=2, ensure_ascii=False) + "\n")
    print(f"wrote {args.out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
