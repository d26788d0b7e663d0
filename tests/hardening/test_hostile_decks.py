"""Hostile deck files: every one gives clear `file:line:col` lines, exit 1, no traceback,
writes nothing to the database, and costs bounded memory and time.

The fixed corpus lives in tests/data/hostile (made by its make_corpus.py); the
huge files are generated here. `cxotutor deck validate` runs in its own process
for each file: a fork of the test process for the whole corpus (cheap), and a
fresh `python -m cxotutor` for a few of them and for every huge file.
"""

from __future__ import annotations

import re
import resource
import subprocess
import sys
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from cxotutor.content import ContentError, Deck, load_files, load_texts, parse_model, read_source

from .conftest import child_env, run_cli, run_forked
from .replay import query

pytestmark = pytest.mark.slow  # spawns processes

HOSTILE = Path(__file__).resolve().parents[1] / "data" / "hostile"
MINI = Path(__file__).resolve().parents[1] / "data" / "mini.yaml"
MB = 1024 * 1024

# file -> every problem expected, as (line, col, part of the message); line 0 = about the whole file.
EXPECTED: dict[str, list[tuple[int, int, str]]] = {
    # The first alias that takes the document past MAX_VALUES (1,500,000): the first *a5 of lol6.
    "billion-laughs.yaml": [(18, 12, "document expands to too many values (alias bomb?)")],
    "binary-tag.yaml": [(4, 7, "tag 'tag:yaml.org,2002:binary' is not allowed")],
    "bom-only.yaml": [(0, 0, "file is empty")],
    "comments-only.yaml": [(0, 0, "file is empty")],
    "control-char-escaped.yaml": [(8, 30, "cards.0.question.en: contains a control character U+001B")],
    "control-char-raw.yaml": [(8, 42, "control character U+001B is not allowed")],
    "custom-tag.yaml": [(11, 13, "tag '!include' is not allowed")],
    "deep-nesting.yaml": [(5, 47, "nesting deeper than 40 levels")],
    "duplicate-card-ids.yaml": [(12, 5, "duplicate card id 'one'")],
    "duplicate-keys.yaml": [(11, 5, "duplicate key 'question'")],
    "empty.yaml": [(0, 0, "file is empty")],
    "homoglyph-id.yaml": [(7, 5, "cards.0.id: String should match pattern")],
    "huge-number.yaml": [(2, 10, "bad value: Exceeds the limit (4300 digits) for integer string conversion")],
    "invalid-utf8.yaml": [(8, 46, "invalid UTF-8")],
    "merge-key.yaml": [(10, 7, "merge keys ('<<') are not allowed")],
    "missing-fields.yaml": [(1, 1, "missing field 'version'"), (6, 5, "missing field 'answer'")],
    "multi-document.yaml": [(12, 1, "expected a single document in the stream, but found another document")],
    "non-string-id.yaml": [(7, 5, "cards.0.id: Input should be a valid string")],
    "nul-byte.yaml": [(8, 41, "control character U+0000 is not allowed")],
    "null-key.yaml": [(11, 5, "unknown field 'null'")],
    "python-name-tag.yaml": [(4, 7, "tag 'tag:yaml.org,2002:python/name:os.system' is not allowed")],
    "python-object-tag.yaml": [(2, 10, "tag 'tag:yaml.org,2002:python/object/apply:os.system' is not allowed")],
    "recursive-alias.yaml": [(9, 17, "nesting deeper than 40 levels")],
    "rtl-override-in-id.yaml": [(7, 5, "cards.0.id: String should match pattern")],
    "rtl-override.yaml": [(8, 30, "contains a bidirectional control character U+202E")],
    "surrogate-escape.yaml": [(8, 45, "YAML syntax error: found invalid Unicode character escape code")],
    "syntax-bad-indent.yaml": [(9, 4, "YAML syntax error: did not find expected '-' indicator")],
    "syntax-unclosed-flow.yaml": [(4, 5, "YAML syntax error: did not find expected ',' or '}'")],
    "tab-indent.yaml": [(10, 1, "YAML syntax error: found character that cannot start any token")],
    "timestamp-value.yaml": [(2, 1, "version: Input should be a valid integer")],
    "too-long-text.yaml": [(11, 28, "cards.0.answer.en: String should have at most 20000 characters")],
    "top-level-list.yaml": [(1, 1, "expected a mapping with 'id', 'version', and 'cards' or 'steps'")],
    "top-level-scalar.yaml": [(1, 1, "expected a mapping with 'id', 'version', and 'cards' or 'steps'")],
    "unknown-field.yaml": [(11, 5, "unknown field 'hint'")],
    "utf16.yaml": [(1, 1, "invalid UTF-8")],
    "wrong-types.yaml": [
        (2, 1, "version: Input should be a valid integer"),
        (5, 1, "languages: Input should be a valid list"),
        (9, 5, "cards.0.key_points: Input should be a valid list"),
    ],
}
MUST_LOAD = ["ok-bom.yaml", "ok-crlf.yaml"]  # a byte-order mark alone, or CRLF line ends, is fine


# Linux carries a process's peak RSS across exec, so a child forked from this (large) test
# process would report our size; a small launcher in between measures the command alone.
_LAUNCHER = """
import os, subprocess, sys, time
start = time.monotonic()
child = subprocess.Popen(sys.argv[2:], stdout=subprocess.DEVNULL)
_pid, status, usage = os.wait4(child.pid, 0)
with open(sys.argv[1], "w") as out:
    out.write(f"{os.waitstatus_to_exitcode(status)} {usage.ru_maxrss} {time.monotonic() - start}")
"""


def measured(args: list[str], cwd: Path, home: Path, timeout: float = 60) -> tuple[int, str, float, float]:
    """Run ``args``; return (exit code, stderr, peak RSS in MB, wall seconds) of that command alone."""
    report = cwd / f"usage-{time.monotonic_ns()}.txt"
    launched = subprocess.run([sys.executable, "-c", _LAUNCHER, str(report), *args], cwd=cwd, env=child_env(home),
                              capture_output=True, text=True, timeout=timeout)
    code, rss_kb, seconds = report.read_text().split()
    return int(code), launched.stderr, int(rss_kb) / 1024, float(seconds)


def assert_clean_lines(stderr: str, file: Path) -> list[str]:
    """Every line is `file[:line:col]: message` or the closing count; nothing else, no traceback."""
    assert "Traceback" not in stderr
    lines = stderr.splitlines()
    assert lines, "no message at all"
    shape = re.compile(re.escape(str(file)) + r"(:\d+:\d+)?: \S")
    for line in lines[:-1]:
        assert shape.match(line), f"unclear line: {line!r}"
    assert re.fullmatch(r"\d+ problem\(s\) found", lines[-1]), lines[-1]
    return lines[:-1]


# -- the fixed corpus -----------------------------------------------------------------


def test_every_corpus_file_has_an_expectation():
    assert sorted(p.name for p in HOSTILE.glob("*.yaml")) == sorted([*EXPECTED, *MUST_LOAD])


# These also run in a fresh interpreter, started exactly as a user would.
SPAWNED = {"billion-laughs.yaml", "python-object-tag.yaml", "nul-byte.yaml", "ok-bom.yaml"}


@pytest.fixture(scope="module")
def validated(tmp_path_factory) -> dict[tuple[str, bool], tuple[subprocess.CompletedProcess, Path]]:
    """`cxotutor deck validate <file>` for each corpus file, each in its own working folder."""
    import cxotutor.cli.deck as deck_cli
    from cxotutor.content import bundled_dir

    root = tmp_path_factory.mktemp("validate")

    def run(name: str, fork: bool):
        cwd = root / f"{name}-{'fork' if fork else 'spawn'}"
        cwd.mkdir()
        return run_cli(["deck", "validate", str(HOSTILE / name)], cwd=cwd, home=root / "home", fork=fork), cwd

    # `validate` re-reads every bundled deck on each call (~1 s) only to learn their tags; the
    # forks inherit one reading instead. The spawned runs below still do all of it.
    tags = deck_cli._bundled_tags(bundled_dir("decks"), [])
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(deck_cli, "_bundled_tags", lambda folder, targets: tags)
        results = {(name, True): run(name, True) for name in sorted([*EXPECTED, *MUST_LOAD])}
    with ThreadPoolExecutor(max_workers=2) as pool:  # after the forks: never fork with threads about
        spawned = sorted(SPAWNED)
        results.update(zip([(name, False) for name in spawned], pool.map(lambda n: run(n, False), spawned)))
    return results


def _runs(names) -> list:
    return [pytest.param(name, fork, id=f"{name}-{'fork' if fork else 'spawn'}")
            for name in sorted(names) for fork in ((True, False) if name in SPAWNED else (True,))]


@pytest.mark.parametrize(("name", "fork"), _runs(EXPECTED))
def test_cli_gives_one_clear_line_per_problem_and_exit_1(validated, name, fork):
    result, cwd = validated[name, fork]
    assert result.returncode == 1, result.stderr
    assert result.stdout == ""
    file = HOSTILE / name
    lines = assert_clean_lines(result.stderr, file)
    expected = [f"{file}:{line}:{col}: " if line else f"{file}: " for line, col, _ in EXPECTED[name]]
    assert len(lines) == len(expected), lines
    for line, prefix, (_l, _c, words) in zip(lines, expected, EXPECTED[name]):
        assert line.startswith(prefix) and words in line, line
    assert list(cwd.iterdir()) == [], "validating a file created files"  # e.g. !!python/object/apply ran


@pytest.mark.parametrize(("name", "fork"), _runs(MUST_LOAD))
def test_cli_accepts_a_bom_and_crlf(validated, name, fork):
    result, _cwd = validated[name, fork]
    assert result.returncode == 0, result.stderr
    assert result.stdout.startswith("ok: 1 deck(s), 1 cards")


def test_bom_and_crlf_load_the_same_deck_as_plain_text():
    plain = parse_model(read_source("plain.yaml", (HOSTILE / "ok-bom.yaml").read_bytes()[3:]))
    for name in MUST_LOAD:
        assert parse_model(read_source(HOSTILE / name)) == plain


# -- nothing reaches the database ------------------------------------------------------


def _snapshot(db: Path) -> dict[str, list[tuple]]:
    tables = [row[0] for row in query(db, "SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name")]
    return {table: sorted(tuple(row) for row in query(db, f'SELECT * FROM "{table}"')) for table in tables}


def test_installing_hostile_files_writes_nothing(deck_db):
    """Both ways content gets in, the bundled sync and `bundle` installs, refuse and leave every row alone."""
    from cxotutor.bundle import install_content, load_for_install
    from cxotutor.library import sync_bundled
    from cxotutor.store import open_store

    before = _snapshot(deck_db)
    store = open_store(deck_db)
    try:
        for name in sorted(EXPECTED):
            with pytest.raises(ContentError) as caught:
                sync_bundled(store, [HOSTILE / name])
            assert all(p.file == str(HOSTILE / name) for p in caught.value.problems)
            with pytest.raises(ContentError):
                install_content(store, *load_for_install(store, HOSTILE / name))
    finally:
        store.dispose()
    assert _snapshot(deck_db) == before


def test_deck_install_refuses_each_hostile_file_in_clear_lines(deck_db, tmp_path, monkeypatch):
    """`cxotutor deck install <file>` (in a fork whose bundled content is already installed)."""
    import cxotutor.library as library

    monkeypatch.setattr(library, "bundled_files", lambda: [deck_db.parent / "generated.yaml"])
    assert run_cli(["--db", str(deck_db), "due"], cwd=tmp_path, home=tmp_path / "home").returncode == 0  # makes the learner
    before = _snapshot(deck_db)
    for name in sorted(EXPECTED):
        file = HOSTILE / name
        result = run_cli(["--db", str(deck_db), "deck", "install", str(file)], cwd=tmp_path, home=tmp_path / "home")
        assert result.returncode == 1 and result.stdout == "", (name, result.stdout, result.stderr)
        assert "Traceback" not in result.stderr
        lines = result.stderr.splitlines()
        assert len(lines) == len(EXPECTED[name]), lines
        for line, (row, col, words) in zip(lines, EXPECTED[name]):
            assert line.startswith(f"{file}:{row}:{col}: " if row else f"{file}: ") and words in line, line
    assert _snapshot(deck_db) == before


# -- huge and pathological files: generated, measured in a child process ----------------


def _big_deck(size: int) -> bytes:
    """A well-formed deck, its cards repeated until the file is ``size`` bytes."""
    text = MINI.read_bytes()
    head, cards = text.split(b"cards:\n")
    body = (cards * (size // len(cards) + 1))[: size - len(head) - 7]
    return head + b"cards:\n" + body


GENERATED = {
    # name: (bytes, words in the message, line:col expected or None for the whole file)
    "fifty-megabytes.yaml": (lambda: _big_deck(50 * MB), "file is too large (50 MB; limit 20 MB)", None),
    "many-values.yaml": (lambda: b"a: [" + b"x," * (9 * MB) + b"]\n", "too many values (limit 1,500,000)", "1:2999999"),
    "one-huge-line.yaml": (lambda: b"id: " + b"a" * (19 * MB) + b"\n", "id: String should match pattern", "1:1"),
    "deep-100k.yaml": (lambda: b"[" * 100_000 + b"]" * 100_000, "nesting deeper than 40 levels", "1:41"),
    # Short lines: 1.7 million of them, each a key and a value (the pieces of a line cost
    # more than the line, so the fast reader leaves this to the careful one, which counts).
    "many-short-lines.yaml": (lambda: b"".join(b"k%07d: v\n" % i for i in range(1_700_000)), "too many values (limit 1,500,000)",
                              "750000:11"),  # the value on line 750,000
    "alias-fan-out.yaml": (
        lambda: b"s: &s " + b"x" * 10_000 + b"\nl: [" + b"*s, " * 200_000 + b"]\n",
        "missing field", "1:1",
    ),
}


@pytest.mark.parametrize("name", sorted(GENERATED))
def test_huge_files_fail_fast_in_bounded_memory(tmp_path, name):
    make, words, position = GENERATED[name]
    file = tmp_path / name
    file.write_bytes(make())
    code, stderr, rss_mb, seconds = measured([sys.executable, "-m", "cxotutor", "deck", "validate", str(file)],
                                             cwd=tmp_path, home=tmp_path / "home")
    assert code == 1, stderr
    lines = assert_clean_lines(stderr, file)
    assert any(words in line for line in lines), lines
    if position:
        assert lines[0].startswith(f"{file}:{position}: "), lines[0]
    print(f"{name}: {rss_mb:.0f} MB, {seconds:.1f} s")
    assert rss_mb < 300, f"{rss_mb:.0f} MB"
    assert seconds < 10, f"{seconds:.1f} s"


def test_fifty_megabytes_through_the_install_path(tmp_path, deck_db):
    """The bundle installer reads the whole file itself; still bounded, still nothing written."""
    file = tmp_path / "fifty.yaml"
    file.write_bytes(_big_deck(50 * MB))
    before = _snapshot(deck_db)
    script = (
        "import sys\n"
        "from cxotutor.bundle import load_for_install\n"
        "from cxotutor.content import ContentError\n"
        "from cxotutor.store import open_store\n"
        "store = open_store(sys.argv[1])\n"
        "try:\n"
        "    load_for_install(store, sys.argv[2])\n"
        "except ContentError as exc:\n"
        "    print(exc, file=sys.stderr)\n"
        "    sys.exit(1)\n"
    )
    code, stderr, rss_mb, seconds = measured([sys.executable, "-c", script, str(deck_db), str(file)],
                                             cwd=tmp_path, home=tmp_path / "home")
    assert code == 1 and "file is too large" in stderr and "Traceback" not in stderr, stderr
    assert rss_mb < 300 and seconds < 10, (rss_mb, seconds)
    assert _snapshot(deck_db) == before


@pytest.mark.parametrize("alias", [False, True], ids=["fast-reader", "careful-reader"])
def test_a_legitimate_20_mb_deck_of_10000_cards_loads(tmp_path, alias):
    """The limits leave room for a real deck at the size limit, through either reader
    (an anchor and an alias send the file to the careful one)."""
    from .decks import big_deck_yaml

    file = tmp_path / "big.yaml"
    file.write_text(big_deck_yaml(10_000, alias=alias), encoding="utf-8")
    assert 19 * MB < file.stat().st_size < 20 * MB
    script = (
        "import sys\n"
        "from cxotutor.content import load_files\n"
        "from pathlib import Path\n"
        "content = load_files([Path(sys.argv[1])])\n"
        "print(*content.problems, sep='\\n', file=sys.stderr)\n"
        "sys.exit(0 if not content.problems and content.card_count == 10_000 else 1)\n"
    )
    code, stderr, rss_mb, seconds = measured([sys.executable, "-c", script, str(file)], cwd=tmp_path, home=tmp_path / "home")
    print(f"{file.stat().st_size / MB:.1f} MB deck: {rss_mb:.0f} MB, {seconds:.1f} s")
    assert code == 0, stderr[-2000:]
    assert rss_mb < 600, f"{rss_mb:.0f} MB"
    assert seconds < 60, f"{seconds:.1f} s"


def _read_dev_zero(out) -> None:
    import cxotutor.content.source as source

    source.MAX_FILE_BYTES = 1000
    vm = next(int(line.split()[1]) for line in open("/proc/self/status") if line.startswith("VmSize:"))
    resource.setrlimit(resource.RLIMIT_AS, ((vm + 512 * 1024) * 1024, resource.RLIM_INFINITY))  # a regression fails, not the machine
    try:
        read_source("/dev/zero")
    except ContentError as exc:
        out.write(str(exc))


def test_a_file_that_lies_about_its_size_is_read_only_up_to_the_limit():
    """stat() says 0 bytes for a device (or a file still growing); reading stops past the limit anyway."""
    result = run_forked(_read_dev_zero)
    assert result.returncode == 0, result.stderr[-500:]
    assert "file is too large" in result.stdout


# -- properties -------------------------------------------------------------------------


def _check_problems(problems, name: str, text_lines: int) -> None:
    for problem in problems:
        assert problem.file == name
        assert "\n" not in problem.message and problem.message.strip()
        if problem.line:
            assert 1 <= problem.line <= text_lines + 1 and problem.col >= 1, problem


def _load(name: str, data: bytes | str):
    """Everything a deck file goes through; only ContentError may come out."""
    content = load_texts([(name, data.encode("utf-8", "surrogatepass") if isinstance(data, str) else data)])
    lines = (data.decode("utf-8", "replace") if isinstance(data, bytes) else data).count("\n") + 1
    _check_problems(content.problems, name, lines)
    return content


PROPERTY = settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])


@PROPERTY
@given(st.binary(max_size=2000))
def test_any_bytes_give_problems_or_a_deck(data):
    _load("random.yaml", data)


@PROPERTY
@given(st.text(st.characters(codec="utf-8"), max_size=500))
def test_any_text_gives_problems_or_a_deck(text):
    _load("random.yaml", text)


MINI_TEXT = MINI.read_text(encoding="utf-8")


@PROPERTY
@given(st.data())
def test_a_damaged_deck_gives_positioned_problems(data):
    """Cut, insert or swap at random in a valid deck: problems point inside the file, never a crash."""
    text = MINI_TEXT
    for _ in range(data.draw(st.integers(1, 3))):
        at = data.draw(st.integers(0, len(text)))
        action = data.draw(st.sampled_from(["insert", "delete", "duplicate-line"]))
        if action == "insert":
            text = text[:at] + data.draw(st.text(st.sampled_from(list(":-[]{}&*!|>'\"#%@`\t\n \x00\x1b\u202e\ufeffa1")), min_size=1, max_size=4)) + text[at:]
        elif action == "delete":
            text = text[:at] + text[at + data.draw(st.integers(1, 40)):]
        else:
            lines = text.splitlines(keepends=True)
            i = data.draw(st.integers(0, len(lines) - 1))
            text = "".join(lines[: i + 1] + [lines[i]] + lines[i + 1 :])
    content = _load("damaged.yaml", text)
    if not content.problems:
        assert len(content.decks) == 1


yaml_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(max_size=20),
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=8), inner, max_size=4),
    max_leaves=30,
)


@PROPERTY
@given(st.dictionaries(st.sampled_from(["id", "version", "title", "role", "languages", "cards", "steps", "x"]), yaml_values))
def test_any_shape_of_yaml_gives_problems_or_a_model(document):
    content = _load("shape.yaml", yaml.safe_dump(document, allow_unicode=True))
    assert content.problems or content.decks or content.paths


@PROPERTY
@given(st.data())
def test_a_duplicate_key_is_reported_on_its_own_line(data):
    """The same key written again just above a real one: the real one (now second) is the duplicate."""
    lines = MINI_TEXT.splitlines(keepends=True)
    candidates = [i for i, line in enumerate(lines) if re.match(r"\s+(question|answer|key_points|tags|source|ja|en|aliases):", line)]
    i = data.draw(st.sampled_from(candidates))
    indent = len(lines[i]) - len(lines[i].lstrip())
    key = lines[i].split(":")[0].strip()
    lines.insert(i, " " * indent + f"{key}: again\n")
    content = _load("dup.yaml", "".join(lines))
    assert [(p.line, p.col, p.message) for p in content.problems] == [(i + 2, indent + 1, f"duplicate key {key!r}")]


def test_a_valid_deck_still_loads():
    content = load_files([MINI])
    assert not content.problems and isinstance(content.decks[0][0], Deck)
