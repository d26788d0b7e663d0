"""The deck reader: the fast line reader gives exactly PyYAML's data or gives up, and positions
of problems (found only when needed) are the ones the careful reader sees."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from cxotutor.content import load_files, load_texts
from cxotutor.content.source import _Events, _Fast, _GiveUp, read_source

ROOT = Path(__file__).resolve().parents[2]
HOSTILE = ROOT / "tests" / "data" / "hostile"
CONTENT = sorted([*ROOT.glob("decks/*.yaml"), *ROOT.glob("paths/*.yaml"), ROOT / "tests" / "data" / "mini.yaml"])


class _Reference(yaml.CSafeLoader):
    """PyYAML's safe loader as the decks are read: a bare date, and a key, are text as written."""

    def construct_mapping(self, node, deep=False):
        return {key.value if isinstance(key, yaml.ScalarNode) else self.construct_object(key, deep): self.construct_object(value, deep)
                for key, value in node.value}


_Reference.add_constructor("tag:yaml.org,2002:timestamp", yaml.constructor.SafeConstructor.construct_yaml_str)


def reference(text: str):
    return yaml.load(text, Loader=_Reference)


def fast(text: str):
    try:
        return _Fast(text).read()
    except _GiveUp:
        return _GiveUp


def check_agrees(text: str) -> bool:
    """The fast reader gives PyYAML's data, or gives up; True if it read the text itself."""
    got = fast(text)
    if got is _GiveUp:
        return False
    assert got == reference(text), text
    assert _Events("t.yaml", text).read() == got, text
    return True


@pytest.mark.parametrize("file", CONTENT, ids=lambda p: p.name)
def test_the_bundled_content_is_read_by_the_fast_reader_exactly(file):
    assert check_agrees(file.read_text(encoding="utf-8"))


# Each one: (YAML, whether the fast reader reads it itself). Every one must agree with PyYAML.
SNIPPETS = [
    ("a: b\n", True),
    ("a: b  # comment\nc: d\n", True),
    ("a: C# and F#\nb: x#y\n", True),
    ("a: [x, \u3000]\nb: \u3000y\nc: {k: \u3000}\n", True),
    ("a: 'it''s'\nb: \"say \u2018hi\u2019\"\n", True),
    ("a: yes\nb: no\nc: on\nd: ~\ne: null\nf: 1e3\ng: 0x1f\nh: .inf\ni: 1_000\nj: 2024-04-01\nk: '1'\n", True),
    ("a: -1\n", False),
    ("a: [x, 'y, z', \"w\", 1, true, ]\nb: []\nc: {}\nd: { k: v , l: 'w' }\n", True),
    ("a: [[1, 2], {k: [v]}]\n", True),
    ("a: []\nb: [x, ]\nc: []\nd: [ ]\ne: [-x, y]\nf: [y, 1, 'q']\ng: [no, x]\nh: {k: yes, l: x}\ni: {}\nj: {k: v,}\n", False),
    ("a: []\nb: [x, y ]\nc: []\nd: [ ]\nf: [ y,1 ,z]\ng: [no, x]\nh: {k: yes, l: x}\ni: {}\nj: {k: v}\n", True),
    ("a: [x: y]\n", False),
    ("a: {k: v\n  , l: w}\n", False),
    ("a: [a:b]\n", False),
    ("a: b: c\n", False),
    ("a:b\n", False),
    ("a: |\n  one\n  two\n\n  three\n\nb: >-\n  folded\n  text\n\n  para\nc: |-\n    x\n     y\n", True),
    ("a: >\n  x\n    more indented\n  y\n", False),
    ("a: |\n\n  leading blank\n", False),
    ("a: |2\n   x\n", False),
    ("a: |+\n  x\n\n", False),
    ("a: plain\n  continued\n", False),
    ("a: plain\n  # a comment, not more text\nb: c\n", True),
    ("a: 'one\n  two'\n", False),
    ("cards:\n- id: a\n  x: [1]\n- id: b\nnext: 1\n", True),
    ("cards:\n  -   id: a\n      x: 1\n  - b\n  -\n  - c\n", True),
    ("- a\n- b\n", True),
    ("a:\n  - - x\n", False),
    ("a: &x 1\nb: *x\n", False),
    ("a: !!str 1\n", False),
    ("? a\n: b\n", False),
    ("a: 1\na: 2\n", False),
    ("a: {k: 1, k: 2}\n", False),
    ("a: b\r\nc: d\r\n", True),
    ("a: b\rc: d\n", False),
    ("a:\tb\n", False),
    ("a: \u2028b\n", False),
    ("a: x\n---\nb: y\n", False),
    ("%YAML 1.1\n---\na: b\n", False),
    ("  a: b\n", False),
    ("a: '\n", False),
    ("a: \"x\\ty\"\n", False),
    ("a: [x, y] trailing\n", False),
    ("a: [x, y] # fine\n", True),
    ("a: 'q' # fine\nb: 'q'#not fine\n", False),
    ("a:\n\n  b: c\n\n# end\n", True),
    ("a:\n", True),
    ("a:\nb:\n  - \n", True),
    ("url: https://example.org/a?b=c#d\n", True),
    ("a: x :y\n", True),
    ("a: <<\n", False),
    ("<<: {a: 1}\n", False),
]


@pytest.mark.parametrize(("text", "itself"), SNIPPETS)
def test_snippets(text, itself):
    try:
        expected = reference(text)
    except yaml.YAMLError:
        expected = None  # PyYAML refuses it: the fast reader must give up
    got = fast(text)
    if expected is None:
        assert got is _GiveUp
        return
    assert check_agrees(text) is itself


def test_keys_are_text_as_written():
    text = "null: 1\nyes: 2\n1: 3\nx: {no: 4}\n"
    assert fast(text) == _Events("t.yaml", text).read() == reference(text) == {"null": 1, "yes": 2, "1": 3, "x": {"no": 4}}


def test_every_hostile_file_is_left_to_the_careful_reader_or_read_the_same():
    for file in sorted(HOSTILE.glob("*.yaml")):
        raw = file.read_bytes()
        try:
            text = raw.decode("utf-8").removeprefix("\ufeff")
        except UnicodeDecodeError:
            continue
        got = fast(text)
        if got is _GiveUp:
            continue
        # Read by the fast reader: then it is plain YAML the careful reader takes too, with the same data.
        assert _Events(file.name, text).read() == got, file.name


# -- properties ----------------------------------------------------------------------------

PROPERTY = settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
words = st.text(st.sampled_from(list("abc xyz-_:#'\",[]{}&*!|>?%@`~.0123456789日本語\u3000")), max_size=12)
keys = st.from_regex(r"[a-z_][a-z0-9_-]{0,6}", fullmatch=True)
values = st.recursive(
    st.none() | st.booleans() | st.integers(-10**6, 10**6) | st.floats(allow_nan=False) | words,
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(keys, inner, max_size=4),
    max_leaves=25,
)


@PROPERTY
@given(st.dictionaries(keys, values, min_size=1, max_size=5), st.sampled_from([None, True, False]), st.sampled_from([20, 80, 10_000]))
def test_any_dumped_document_reads_as_pyyaml_reads_it(document, flow, width):
    text = yaml.safe_dump(document, allow_unicode=True, default_flow_style=flow, width=width, sort_keys=False)
    check_agrees(text)
    assert _Events("t.yaml", text).read() == reference(text)


@PROPERTY
@given(st.sampled_from(["|", "|-", ">", ">-", "|+", ">2"]), st.lists(st.tuples(st.integers(0, 4), words), min_size=1, max_size=6),
       st.sampled_from(["", "\n", "\n\n", "\n  \n"]), st.sampled_from(["next: 1\n", "  # note\nnext: 1\n", ""]))
def test_block_scalars_read_as_pyyaml_reads_them(header, body, gap, after):
    lines = "".join(" " * (2 + extra) + text.rstrip() + "\n" for extra, text in body)
    text = f"key: {header}\n{lines}{gap}{after}"
    try:
        reference(text)
    except yaml.YAMLError:
        assert fast(text) is _GiveUp, text
        return
    check_agrees(text)


MINI_TEXT = (ROOT / "tests" / "data" / "mini.yaml").read_text(encoding="utf-8")
# The start of a bundled deck: block scalars (`>-`), comments, blank lines, long flow lists.
CTO_HEAD = "".join((ROOT / "decks" / "cto.yaml").read_text(encoding="utf-8").splitlines(keepends=True)[:80])


@PROPERTY
@given(st.data())
def test_a_damaged_deck_reads_as_pyyaml_reads_it_or_is_left_alone(data):
    text = data.draw(st.sampled_from([MINI_TEXT, CTO_HEAD]))
    for _ in range(data.draw(st.integers(1, 3))):
        at = data.draw(st.integers(0, len(text)))
        if data.draw(st.booleans()):
            text = text[:at] + data.draw(st.text(st.sampled_from(list(":-[]{}&*!|>'\"#,? \n\ta1")), min_size=1, max_size=4)) + text[at:]
        else:
            text = text[:at] + text[at + data.draw(st.integers(1, 40)):]
    try:
        expected = reference(text)
    except (yaml.YAMLError, TypeError):  # TypeError: a collection as a key
        assert fast(text) is _GiveUp, text
        return
    got = fast(text)
    if got is not _GiveUp:
        assert got == expected, text


# -- positions: found on demand, the same as the careful reader's ---------------------------------


def _position(text: str, pattern: str, nth: int = 0) -> tuple[int, int]:
    match = list(re.finditer(pattern, text, re.MULTILINE))[nth]
    line = text.count("\n", 0, match.start()) + 1
    return line, match.start() - (text.rfind("\n", 0, match.start()) + 1) + 1


def test_positions_of_problems_found_after_the_fast_reader(tmp_path):
    schema = (MINI_TEXT.replace("id: tech-debt", "id: Tech-Debt")  # a bad id
              .replace("    tags: [architecture]", "    tags: [architecture]\n    hint: extra", 1))  # an unknown field
    rules = (MINI_TEXT.replace("        en: ensuring observability\n", "", 1)  # a key point without English
             .replace("id: tech-debt", "id: microservices-challenges"))  # a second card with the first one's id
    for text in (schema, rules):
        assert fast(text) is not _GiveUp  # read by the fast reader; positions come later, from the text
    problems = load_texts([("schema.yaml", schema.encode()), ("rules.yaml", rules.encode())]).problems
    found = [(p.file, p.line, p.col, p.message) for p in problems]
    line, col = _position(schema, r"(?<=  - )id: Tech-Debt")
    assert ("schema.yaml", line, col, "cards.1.id: String should match pattern '^[a-z0-9][a-z0-9-]{0,63}$'") in found
    line, col = _position(schema, r"(?<=    )hint")
    assert ("schema.yaml", line, col, "unknown field 'hint'") in found
    line, col = _position(rules, r"(?<=      - )id: observability")
    assert ("rules.yaml", line, col, "card 'microservices-challenges': key point 'observability' has no 'en' text") in found
    line, col = _position(rules, r"(?<=  - )id: microservices-challenges", 1)
    assert ("rules.yaml", line, col, "duplicate card id 'microservices-challenges'") in found
    assert len(found) == 4, found


def test_positions_are_looked_up_in_one_pass_and_match_a_full_walk():
    doc = read_source("mini.yaml", MINI_TEXT.encode())
    assert doc.marks == {}  # nothing looked up while reading
    locs = [("cards", 1, "key_points", 0, "aliases"), ("cards", 2), ("title",), (), ("cards", 0, "question", "en")]
    problems = doc.problems((loc, "x") for loc in locs)
    full = {}
    _Events("mini.yaml", MINI_TEXT, {loc[:i] for loc in locs for i in range(len(loc) + 1)}, full).read()
    assert [(p.line, p.col) for p in problems] == [full[loc] for loc in locs]
    assert full[("cards", 2)] == _position(MINI_TEXT, r"(?<=^  - )id: ", 2)  # a list item: where its value starts
    assert full[("title",)] == _position(MINI_TEXT, r"^title")


def test_a_missing_field_deep_in_a_large_deck_is_placed_exactly():
    from tests.hardening.decks import deck_yaml

    text = deck_yaml(cards=3000)
    lines = text.splitlines(keepends=True)
    target = next(i for i, line in enumerate(lines) if line.startswith("  - id: card-2345"))
    del lines[target + 5]  # that card's answer line
    broken = "".join(lines)
    problems = load_texts([("big.yaml", broken.encode())]).problems
    assert [(p.line, p.col, p.message) for p in problems] == [(target + 1, 5, "missing field 'answer'")]


# -- the rules a schema cannot say, on the quick path and the slow one ----------------------------


@pytest.mark.parametrize(("change", "expected"), [
    (lambda c: None, []),
    (lambda c: c["key_points"][1]["aliases"].append("SAGA"), ["'SAGA' is used by key points 'distributed-transactions' and 'observability'"]),
    (lambda c: c["key_points"][1].update(en="Managing Distributed Transactions"),
     ["'Managing Distributed Transactions' is used by key points 'distributed-transactions' and 'observability'"]),
    (lambda c: c["key_points"][0]["aliases"].append("saga"), []),  # the same point twice: fine
    (lambda c: c["key_points"][1].pop("en"), ["key point 'observability' has no 'en' text"]),
    (lambda c: c["question"].pop("ja"), ["question has no 'ja' text (deck languages: ja, en)"]),
    (lambda c: c["key_points"][1].update(id="distributed-transactions"), ["duplicate key point id 'distributed-transactions'"]),
])
def test_check_deck_says_what_is_wrong_with_a_card(change, expected):
    data = yaml.safe_load(MINI_TEXT)
    change(data["cards"][0])
    content = load_texts([("deck.yaml", yaml.safe_dump(data, allow_unicode=True).encode())])
    assert [p.message.split(": ", 1)[1] for p in content.problems] == expected


def test_plain_flow_values_are_filled_in_bulk(monkeypatch):
    """Only the flow values that need the general path take it (the bulk one is what makes a large deck fast)."""
    from tests.hardening.decks import deck_yaml

    calls = []
    original = _Fast._flow_value
    monkeypatch.setattr(_Fast, "_flow_value", lambda self, rest, depth: calls.append(rest) or original(self, rest, depth))
    text = deck_yaml(cards=200) + "extra: [a, 'quoted']\nmore: {k: 'v'}\nempty: []\n"
    assert check_agrees(text)
    assert sorted(calls) == sorted(["[a, 'quoted']", "{k: 'v'}", "[]"])


def test_the_collector_pause_restores_what_it_found():
    import gc

    from cxotutor.collector import collector_paused

    assert gc.isenabled()
    frozen = gc.get_freeze_count()
    with pytest.raises(ValueError), collector_paused():
        assert not gc.isenabled()
        raise ValueError
    assert gc.isenabled() and gc.get_freeze_count() == frozen  # a small pause freezes nothing
    gc.disable()
    try:
        with collector_paused():
            pass
        assert not gc.isenabled()  # a caller that had it off keeps it off
    finally:
        gc.enable()
