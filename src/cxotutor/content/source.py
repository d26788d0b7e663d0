"""Read untrusted YAML into plain data; find where a value came from when a problem needs it.

Deck files come from strangers, so this reader accepts only plain YAML
(mappings, sequences, strings, numbers, booleans, null), refuses custom tags,
merge keys, duplicate keys, deep nesting and alias bombs, and bounds the work
it does. Errors say ``file:line:col``.

Two readers give the same data. The fast one (``_Fast``) reads the layout
decks are written in (block mappings and sequences, one-line flow collections,
quoted and plain scalars, ``|``/``>`` block scalars) from one regex split of
every line, with the flow values filled in together at the end; at anything
else, or anything wrong, it gives up and the careful one (``_Events``) reads
the file from libyaml's event stream, enforcing the limits and reporting
syntax errors where they are. Positions of values are found only when a
problem needs them (``SourceDoc.problems``), by walking the event stream
again: the common case, a good deck, never pays for them. A 20 MB deck of
10,000 cards reads in ~1 s here, where composing a node tree took ~11 s.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from dataclasses import dataclass, field
from itertools import accumulate
from pathlib import Path
from typing import Iterable

import yaml
from yaml.constructor import SafeConstructor
from yaml.nodes import ScalarNode
from yaml.resolver import Resolver

try:  # the C parser is ~10x faster; fall back quietly where libyaml is missing
    from yaml import CSafeLoader as _Loader
except ImportError:  # pragma: no cover
    from yaml import SafeLoader as _Loader  # type: ignore[assignment]

MAX_FILE_BYTES = 20 * 1024 * 1024
# Values after alias expansion (every scalar, key and collection). Decks hold one value per
# 22-29 bytes of YAML (the bundled ones; the benchmark's 20 MB, 10,000-card deck: 0.88 million
# values); this allows one per 14 bytes of the largest file accepted. It bounds the plain data
# built to ~150 MB and the careful reader's walk to a few seconds, whatever the file does
# (aliases count as everything they expand to).
MAX_VALUES = 1_500_000
MAX_DEPTH = 40

_STR = "tag:yaml.org,2002:str"
_MAP = "tag:yaml.org,2002:map"
_SEQ = "tag:yaml.org,2002:seq"
_TIMESTAMP = "tag:yaml.org,2002:timestamp"
_MERGE = "tag:yaml.org,2002:merge"
_PLAIN_TAGS = {
    _STR,
    "tag:yaml.org,2002:int",
    "tag:yaml.org,2002:float",
    "tag:yaml.org,2002:bool",
    "tag:yaml.org,2002:null",
    _SEQ,
    _MAP,
}

Loc = tuple[str | int, ...]


@dataclass(frozen=True)
class Problem:
    """One thing wrong with a content file, at a 1-based line and column."""

    file: str
    line: int
    col: int
    message: str

    def __str__(self) -> str:
        if self.line:
            return f"{self.file}:{self.line}:{self.col}: {self.message}"
        return f"{self.file}: {self.message}"


class ContentError(Exception):
    """Content that cannot be used; ``str()`` is one line per problem."""

    def __init__(self, problems: list[Problem] | str):
        if isinstance(problems, str):
            problems = [Problem("", 0, 0, problems)]
        self.problems = problems
        super().__init__("\n".join(str(p).removeprefix(": ") for p in problems))


@dataclass
class SourceDoc:
    """A parsed file: its plain data, and the positions of values found so far.

    ``marks`` maps a value's location (keys and list indices from the top) to
    its line/col: a mapping entry is where its key is written, a list item or
    the document where the value starts. It fills in on demand from ``text``.
    """

    file: str
    data: object
    marks: dict[Loc, tuple[int, int]] = field(default_factory=dict)
    text: str | None = field(default=None, repr=False, compare=False)
    _searched: set[Loc] = field(default_factory=set, init=False, repr=False, compare=False)

    def where(self, loc: Loc) -> tuple[int, int]:
        """The line/col of ``loc`` or of its nearest ancestor that has one."""
        self.locate([loc])
        while loc not in self.marks and loc:
            loc = loc[:-1]
        return self.marks.get(loc, (1, 1))

    def locate(self, locs: Iterable[Loc]) -> None:
        """Find where ``locs`` (and their ancestors) are written, in one pass over the file."""
        wanted = {loc[:i] for loc in locs for i in range(len(loc) + 1)}
        if wanted <= self._searched or self.text is None:
            return
        self._searched |= wanted
        try:
            _Events(self.file, self.text, wanted, self.marks).read()
        except ContentError:  # pragma: no cover - this text was read before; keep what was found
            pass

    def problem(self, loc: Loc, message: str) -> Problem:
        line, col = self.where(loc)
        return Problem(self.file, line, col, message)

    def problems(self, found: Iterable[tuple[Loc, str]]) -> list[Problem]:
        """``problem()`` for many (location, message) pairs, locating them all in one pass."""
        found = list(found)
        self.locate(loc for loc, _ in found)
        return [self.problem(loc, message) for loc, message in found]


def read_source(path: Path | str, text: str | bytes | None = None) -> SourceDoc:
    """Parse ``path`` (or the given text named ``path``) into a SourceDoc."""
    name = str(path)
    if text is None:
        try:
            size = Path(path).stat().st_size
            if size > MAX_FILE_BYTES:
                raise _fail(name, f"file is too large ({size // (1024 * 1024)} MB; limit {MAX_FILE_BYTES // (1024 * 1024)} MB)")
            # Read at most one byte past the limit: a device or a growing file can lie about its size.
            with open(path, "rb") as handle:
                text = handle.read(MAX_FILE_BYTES + 1)
        except OSError as exc:
            raise _fail(name, f"cannot read file: {exc.strerror or exc}") from None
    if isinstance(text, bytes):
        if len(text) > MAX_FILE_BYTES:
            raise _fail(name, f"file is too large (limit {MAX_FILE_BYTES // (1024 * 1024)} MB)")
        text = _decode(name, text)
    elif len(text) > MAX_FILE_BYTES:
        raise _fail(name, f"file is too large (limit {MAX_FILE_BYTES // (1024 * 1024)} MB)")
    text = text.removeprefix("\ufeff")
    try:
        data = _Fast(text).read()
    except _GiveUp:
        data = _Events(name, text).read()
    return SourceDoc(name, data, text=text)


def _decode(name: str, raw: bytes) -> str:
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        before = raw[: exc.start]
        line = before.count(b"\n") + 1
        # Columns count characters, as editors do, not bytes.
        col = len(before[before.rfind(b"\n") + 1 :].decode("utf-8", "replace")) + 1
        raise ContentError([Problem(name, line, col, "invalid UTF-8 (files must be UTF-8 text)")]) from None


def _fail(name: str, message: str) -> ContentError:
    return ContentError([Problem(name, 0, 0, message)])


def _at(name: str, mark, message: str) -> ContentError:
    return ContentError([Problem(name, mark.line + 1, mark.column + 1, message)])


_RESOLVER = Resolver()
_CONSTRUCTOR = SafeConstructor()


def _scalar(tag: str, value: str, mark=None) -> object:
    """The Python value of a plain-tagged scalar, as PyYAML's SafeLoader makes it."""
    if tag == _STR or tag == _TIMESTAMP:  # no field holds a date: a bare `2024-04-01` is text as written
        return value
    node = ScalarNode(tag, value, mark, mark)
    return SafeConstructor.yaml_constructors[tag](_CONSTRUCTOR, node)


# -- the careful reader: libyaml's events ------------------------------------------------------


class _Anchor:
    """What an anchor names: its value, how many values it expands to, how deep it nests."""

    __slots__ = ("value", "size", "height", "mark", "key")

    def __init__(self, mark):
        self.mark = mark
        self.value: object = None
        self.size = -1  # -1 while the anchored collection is still open
        self.height = 0
        self.key: str | None = None  # a scalar's text as written, for use as a mapping key


class _Events:
    """Plain data from libyaml's event stream, every limit enforced as the events arrive.

    No node tree is composed: libyaml's composer recurses in C (deep nesting
    would crash the process) and a tree costs ~600 bytes a value. An alias
    reuses its anchor's value and counts as every value it expands to. With
    ``wanted`` (a set of locations closed under prefixes), also records into
    ``marks`` where those values are written.
    """

    def __init__(self, name: str, text: str, wanted: set[Loc] | None = None, marks: dict | None = None):
        self.name = name
        self.text = text
        self.wanted = wanted
        self.marks = marks if marks is not None else {}
        self.count = 0
        self.anchors: dict[str, _Anchor] = {}

    def read(self) -> object:
        try:
            return self._read()
        except yaml.MarkedYAMLError as exc:
            mark = exc.problem_mark or exc.context_mark
            line, col = (mark.line + 1, mark.column + 1) if mark else (1, 1)
            message = str(exc.problem or exc.context or "invalid YAML")
            if exc.context and message.startswith("but "):  # "but found another document" needs its context
                message = f"{exc.context}, {message}"
            message = " ".join(message.split())
            raise ContentError([Problem(self.name, line, col, f"YAML syntax error: {message}")]) from None
        except yaml.reader.ReaderError as exc:
            text = self.text
            position = exc.position
            if _Loader is not yaml.SafeLoader:  # libyaml counts bytes of the UTF-8 text, not characters
                position = len(text.encode("utf-8", "surrogatepass")[:position].decode("utf-8", "ignore"))
            before = text[:position]
            line, col = before.count("\n") + 1, position - (before.rfind("\n") + 1) + 1
            what = f"U+{exc.character:04X}" if isinstance(exc.character, int) else repr(exc.character)
            raise ContentError([Problem(self.name, line, col, f"control character {what} is not allowed")]) from None
        except yaml.YAMLError as exc:
            raise _fail(self.name, f"YAML error: {' '.join(str(exc).split())}") from None

    def _error(self, mark, message: str) -> ContentError:
        return _at(self.name, mark, message)

    def _count(self, size: int, mark, alias: bool = False) -> None:
        self.count += size
        if self.count > MAX_VALUES:
            raise self._error(mark, "document expands to too many values (alias bomb?)" if alias else f"too many values (limit {MAX_VALUES:,})")

    def _read(self) -> object:
        root: object = None
        documents = 0
        # One frame per open collection: [container, its location (None: nothing wanted inside),
        # the key waiting for its value (None: the next scalar is a key), the count when it
        # opened, its anchor, the depth of collections inside it].
        stack: list[list] = []
        parent: list | None = None
        scalar_event, alias_event, mapping_start = yaml.ScalarEvent, yaml.AliasEvent, yaml.MappingStartEvent
        collection_end = (yaml.MappingEndEvent, yaml.SequenceEndEvent)
        resolved_first, resolve = _RESOLVED_FIRST, _RESOLVER.resolve
        wanted = self.wanted
        for event in yaml.parse(self.text, Loader=_Loader):
            kind = type(event)
            if kind is scalar_event:  # most events: checked first, with the fewest steps
                is_key = parent is not None and parent[2] is None and type(parent[0]) is dict
                tag, value = event.tag, event.value
                if tag is None or tag == "!":
                    if not event.implicit[0]:
                        tag = _STR  # quoted
                    elif value and value[0] not in resolved_first:
                        tag = _STR
                    else:
                        tag = resolve(ScalarNode, value, event.implicit)
                mark = event.start_mark
                if tag != _STR:
                    if is_key and tag == _MERGE:
                        raise self._error(mark, "merge keys ('<<') are not allowed")
                    if tag != _TIMESTAMP and tag not in _PLAIN_TAGS:
                        raise self._error(mark, f"tag {tag!r} is not allowed (plain YAML only)")
                self.count += 1
                if self.count > MAX_VALUES:
                    self._count(0, mark)
                anchor = self._anchor(event) if event.anchor is not None else None
                if is_key:
                    self._key(parent, value, mark)  # type: ignore[arg-type]  # as written: a `null:` key is 'null', not 'None'
                elif parent is None:
                    value = self._value(tag, value, mark)
                    root = value
                    if wanted is not None:
                        self._mark(None, mark)
                else:
                    if tag != _STR:
                        value = self._value(tag, value, mark)
                    if wanted is not None:
                        self._mark(parent, mark)
                    container = parent[0]
                    if type(container) is dict:
                        container[parent[2]] = value
                        parent[2] = None
                    else:
                        container.append(value)
                if anchor is not None:
                    anchor.value, anchor.size, anchor.key = value, 1, event.value
                continue
            if kind in collection_end:
                container, _loc, _key, opened, anchor, height = stack.pop()
                if anchor is not None:
                    anchor.value, anchor.size, anchor.height = container, self.count - opened + 1, height + 1
                if stack:
                    parent = stack[-1]
                    parent[5] = max(parent[5], height + 1)
                    self._put(parent, container)
                else:
                    parent = None
                    root = container
                continue
            if kind is yaml.DocumentStartEvent:
                documents += 1
                if documents > 1:
                    raise yaml.composer.ComposerError("expected a single document in the stream", None,
                                                      "but found another document", event.start_mark)
                continue
            if kind is not alias_event and kind is not mapping_start and kind is not yaml.SequenceStartEvent:
                continue  # the start or end of the stream, the end of the document
            is_key = parent is not None and parent[2] is None and type(parent[0]) is dict
            mark = event.start_mark
            if kind is alias_event:
                anchor = self.anchors.get(event.anchor)
                if anchor is None:
                    raise yaml.composer.ComposerError(None, None, "found undefined alias", mark)
                if anchor.size < 0:  # the anchored collection contains itself: endless nesting
                    raise self._error(anchor.mark, f"nesting deeper than {MAX_DEPTH} levels")
                if is_key:
                    if anchor.key is None:
                        raise self._error(anchor.mark, "mapping keys must be plain strings")
                    self._count(1, mark)
                    self._key(parent, anchor.key, anchor.mark)  # type: ignore[arg-type]
                    continue
                if len(stack) + anchor.height > MAX_DEPTH:
                    raise self._error(mark, f"nesting deeper than {MAX_DEPTH} levels")
                self._count(anchor.size, mark, alias=True)
                self._mark(parent, anchor.mark)
                if parent is None:
                    root = anchor.value
                else:
                    parent[5] = max(parent[5], anchor.height)
                    self._put(parent, anchor.value)
                continue
            # The start of a mapping or a sequence.
            if is_key:
                raise self._error(mark, "mapping keys must be plain strings")
            tag = event.tag
            if tag is None or tag == "!":
                tag = _MAP if kind is mapping_start else _SEQ
            if tag not in _PLAIN_TAGS:
                raise self._error(mark, f"tag {tag!r} is not allowed (plain YAML only)")
            if len(stack) >= MAX_DEPTH:
                raise self._error(mark, f"nesting deeper than {MAX_DEPTH} levels")
            self._count(1, mark)
            anchor = self._anchor(event) if event.anchor is not None else None
            self._mark(parent, mark)
            parent = [{} if kind is mapping_start else [], self._inner(parent), None, self.count, anchor, 0]
            stack.append(parent)
        if documents == 0:
            raise _fail(self.name, "file is empty")
        return root

    def _anchor(self, event) -> _Anchor:
        if event.anchor in self.anchors:
            raise yaml.composer.ComposerError("found duplicate anchor; first occurrence", self.anchors[event.anchor].mark,
                                              "second occurrence", event.start_mark)
        anchor = self.anchors[event.anchor] = _Anchor(event.start_mark)
        return anchor

    def _value(self, tag: str, value: str, mark) -> object:
        try:
            return _scalar(tag, value, mark)
        except (yaml.YAMLError, ValueError, OverflowError) as exc:
            raise self._error(mark, f"bad value: {str(exc).split(';')[0]}") from None

    @staticmethod
    def _put(frame: list, value: object) -> None:
        if type(frame[0]) is dict:
            frame[0][frame[2]] = value
            frame[2] = None
        else:
            frame[0].append(value)

    def _key(self, frame: list, key: str, mark) -> None:
        if key in frame[0]:
            raise self._error(mark, f"duplicate key {key!r}")
        frame[2] = key
        if frame[1] is not None and frame[1] + (key,) in self.wanted:  # type: ignore[operator]
            self.marks[frame[1] + (key,)] = (mark.line + 1, mark.column + 1)

    def _mark(self, parent: list | None, mark) -> None:
        """Record where the value about to go into ``parent`` starts (a list item, or the document)."""
        if self.wanted is None:
            return
        if parent is None:
            loc: Loc = ()
        elif parent[1] is None or type(parent[0]) is dict:
            return  # a mapping entry is where its key is
        else:
            loc = parent[1] + (len(parent[0]),)
        if loc in self.wanted:
            self.marks.setdefault(loc, (mark.line + 1, mark.column + 1))

    def _inner(self, parent: list | None) -> Loc | None:
        """The location of a collection about to open in ``parent``, if anything inside it is wanted."""
        if self.wanted is None:
            return None
        if parent is None:
            loc: Loc = ()
        elif parent[1] is None:
            return None
        else:
            loc = parent[1] + ((parent[2],) if type(parent[0]) is dict else (len(parent[0]),))
        return loc if loc in self.wanted else None


# -- the fast reader: the layout decks are written in -------------------------------------------


class _GiveUp(Exception):
    """Something the fast reader does not handle (or something wrong): the careful reader decides."""


# The pieces of a line cost ~140 bytes: the fast reader leaves files of more lines than this
# (3 times the benchmark deck's, ~27 bytes a line at the size limit) to the careful one.
_MAX_LINES = 750_000
# Anything but plain printable text and newlines (tabs, CR, NEL, LS/PS, BOM, controls) sends a
# file to the careful reader, which reports what is wrong, or knows the finer rules.
_ODD_CHARACTER = re.compile("[^\n\x20-\x7e\xa0-\u2027\u202a-\ud7ff\ue000-\ufefe\uff00-\ufffd\U00010000-\U0010ffff]")
# Every line of a file in one call: (indent, "- " of a list item, key of a `key:` entry, the rest).
_LINE = re.compile(r"^( *+)(-(?: ++|$))?(?:([A-Za-z0-9_][A-Za-z0-9_-]*+):(?: ++|$))?([^\n]*+)", re.MULTILINE)
_KEY = r"[A-Za-z0-9_][A-Za-z0-9_-]*+"
# A scalar in a flow collection: 'single', "double" (no escapes) or plain (no indicator first;
# no ':' or '#' inside, where finer rules apply). A plain one keeps its trailing spaces here.
# Possessive (`*+`) repeats: no backtracking, so a long line that does not match costs linear time.
_SCALAR = r"""(?:'[^']*+(?:''[^']*+)*+'|"[^"\\]*+"|[^ ,\[\]{}:#'"&*!|>%@`?-][^,\[\]{}:#]*+)"""
_SCALAR_PARTS = r"""(?:'([^']*+(?:''[^']*+)*+)'|"([^"\\]*+)"|([^ ,\[\]{}:#'"&*!|>%@`?-][^,\[\]{}:#]*+))"""
_SIMPLE_LIST = re.compile(rf"\[ *(?:{_SCALAR}, *)*+(?:{_SCALAR})?\]")
_SIMPLE_MAP = re.compile(rf"\{{ *(?:{_KEY}: +{_SCALAR}, *)*+(?:{_KEY}: +{_SCALAR})?\}}")
_LIST_ITEM = re.compile(_SCALAR_PARTS)
_MAP_ITEM = re.compile(rf"({_KEY}): +{_SCALAR_PARTS}")
_FLOW_ITEM = re.compile(" *" + _SCALAR_PARTS + r" *([,\]])")
_FLOW_PAIR = re.compile(rf" *({_KEY}): +" + _SCALAR_PARTS + r" *([,}])")
_FLOW_NESTED_PAIR = re.compile(rf"({_KEY}): +([\[{{])")
_MAP_ODD = re.compile(r"[\[\]{}#'\"]")
_KEY_ONLY = re.compile(_KEY)
# For the deferred flow values (see _Fast._fill_lists): characters that never are in a list or
# map of plain items (or keys), and the first characters of an item that need a closer look.
_NOT_IN_PLAIN_LIST = "[]{}:#'\""
_NOT_IN_PLAIN_MAP = "[]{}#'\""
_SPACES = re.compile(r" *")
_SINGLE = re.compile(r"'([^']*+(?:''[^']*+)*+)'")
_DOUBLE = re.compile(r'"([^"\\]*+)"')
_BLOCK_HEADER = re.compile(r"([|>])(-?)(?: +#.*| *)$")
_PLAIN_START = frozenset("-?:,[]{}#&*!|>'\"%@`")
_RESOLVED_FIRST = frozenset(ch for ch in Resolver.yaml_implicit_resolvers if ch)
_PLAIN_START_OR_EMPTY = _PLAIN_START | {""}
_UNUSUAL_FIRST = _PLAIN_START_OR_EMPTY | _RESOLVED_FIRST


class _Fast:
    """Plain data from the usual deck layout, or ``_GiveUp``.

    It takes only what it fully understands and gives exactly the data
    PyYAML's SafeLoader gives (tests/unit/test_content_source.py compares the
    two); it never reports an error itself. Indentation is spaces; a line is
    ``key: value``, ``key:`` (a nested block, or null), ``- item`` or
    ``- key: value``; a value is a plain or quoted one-line scalar, a one-line
    flow collection, or a ``|``/``>`` block scalar. Every line is split by one
    regex call over the whole text; the loops below only walk the pieces.
    """

    def __init__(self, text: str):
        self.text = text
        self.lines: list[str] = []
        self.tokens: list[tuple[str, str, str, str]] = []
        self.i = 0  # the next line not yet read
        self.count = 0
        self.keys: set[str] = set()  # mapping keys already seen to be plain words
        # Flow collections that make a whole mapping value, `key: [..]`/`key: {..}`: filled in
        # together at the end (one search over all of them instead of several per line).
        self.lists: list[tuple[dict, str, str, int]] = []  # (mapping, key, rest of the line, depth)
        self.maps: list[tuple[dict, str, str, int]] = []

    def read(self) -> object:
        text = self.text
        if "\r" in text:  # CRLF line ends are line ends; a lone CR is not for this reader
            text = text.replace("\r\n", "\n")
        if text.count("\n") > _MAX_LINES:
            raise _GiveUp
        # str.isprintable() refuses a superset of the odd characters, twice as fast as the regex.
        if not text.replace("\n", " ").isprintable() and _ODD_CHARACTER.search(text):
            raise _GiveUp
        self.text = text
        self.tokens = _LINE.findall(text)
        first = self._next()
        if first is None or first[0]:
            raise _GiveUp
        _indent, dash, key, rest = first
        self.i += 1
        data = self._sequence(0, dash, key, rest, 0) if dash else self._mapping(0, key, rest, 0)
        if self._next() is not None or self.count > MAX_VALUES:
            raise _GiveUp
        self._fill_lists()
        self._fill_maps()
        if self.count > MAX_VALUES:
            raise _GiveUp
        return data

    def _next(self) -> tuple[str, str, str, str] | None:
        """The next line that holds something (not blank, not a comment), left unread."""
        tokens = self.tokens
        i, end = self.i, len(tokens)
        while i < end:
            token = tokens[i]
            if token[1] or token[2] or (token[3] and token[3][0] != "#"):
                self.i = i
                return token
            i += 1
        self.i = end
        return None

    def _mapping(self, indent: int, key: str, rest: str, depth: int) -> dict:
        """Entries at ``indent``; the first one's line (already read) is ``key: rest``."""
        if depth >= MAX_DEPTH or self.count > MAX_VALUES:
            raise _GiveUp
        result: dict[str, object] = {}
        tokens = self.tokens
        end = len(tokens)
        plain_start, resolved_first = _PLAIN_START, _RESOLVED_FIRST
        lists, maps = self.lists, self.maps
        spaces_here = " " * indent
        entries = 0
        i = self.i
        while True:
            if not key or key in result:
                raise _GiveUp
            first = rest[:1]
            if first and first not in plain_start:  # a plain scalar: most values
                cut = rest.find(" #")
                if cut >= 0:
                    rest = rest[:cut]
                if rest[-1] == " ":
                    rest = rest.rstrip(" ")
                if ": " in rest or rest[-1] == ":":
                    raise _GiveUp
                result[key] = rest if first not in resolved_first else self._plain(rest)
            elif first == "[":  # a flow collection: the next most; filled in at the end
                result[key] = None  # for now: in its place among the keys
                lists.append((result, key, rest, depth + 1))
            elif first == "{":
                result[key] = None
                maps.append((result, key, rest, depth + 1))
            else:
                self.i = i
                result[key] = self._value(rest, indent, depth + 1, True)
                i = self.i
            entries += 1
            while i < end:  # the next line that holds something
                token = tokens[i]
                if token[2] or token[1] or (token[3] and token[3][0] != "#"):
                    break
                i += 1
            else:
                self.i = i
                self.count += 2 * entries
                return result
            spaces, dash, key, rest = token
            if spaces != spaces_here or dash:
                self.i = i
                self.count += 2 * entries
                if len(spaces) < indent:
                    return result
                raise _GiveUp  # a plain scalar going on over lines, bad indentation, or a list item here
            i += 1

    def _sequence(self, indent: int, dash: str, key: str, rest: str, depth: int) -> list:
        """Items at ``indent``; the first one's line (already read) is ``dash key: rest``."""
        if depth >= MAX_DEPTH or self.count > MAX_VALUES:
            raise _GiveUp
        result: list[object] = []
        while True:
            if key:
                result.append(self._mapping(indent + len(dash), key, rest, depth + 1))
            else:
                result.append(self._value(rest, indent, depth + 1, False))
            self.count += 1
            token = self._next()
            if token is None or len(token[0]) < indent:
                return result
            if len(token[0]) > indent:
                raise _GiveUp
            _spaces, dash, key, rest = token
            if not dash:
                return result  # the next key of the mapping this (indentless) sequence is in
            self.i += 1

    def _value(self, rest: str, indent: int, depth: int, in_mapping: bool) -> object:
        """The value after ``key:`` or ``-`` on a line at ``indent``; ``rest`` is the rest of that line."""
        if not rest or rest[0] == "#":
            token = self._next()
            if token is not None:
                spaces, dash, key, more = token
                if len(spaces) > indent or (in_mapping and dash and len(spaces) == indent):
                    self.i += 1
                    if dash:
                        return self._sequence(len(spaces), dash, key, more, depth)
                    return self._mapping(len(spaces), key, more, depth)
            return None
        first = rest[0]
        if first == "[" or first == "{":
            value, end = self._flow(rest, depth)
        elif first == "'":
            match = _SINGLE.match(rest)
            if match is None:
                raise _GiveUp
            value, end = match.group(1).replace("''", "'"), match.end()
        elif first == '"':
            match = _DOUBLE.match(rest)
            if match is None:
                raise _GiveUp
            value, end = match.group(1), match.end()
        elif first == "|" or first == ">":
            return self._block_scalar(rest, indent)
        elif first in _PLAIN_START:
            raise _GiveUp
        else:
            cut = rest.find(" #")
            text = (rest if cut < 0 else rest[:cut]).rstrip(" ")
            if ": " in text or text[-1] == ":":
                raise _GiveUp
            return self._plain(text)
        tail = rest[end:]
        stripped = tail.lstrip(" ")
        if stripped and (stripped[0] != "#" or len(stripped) == len(tail)):
            raise _GiveUp  # more after a quoted scalar or a flow collection: a key, or an error
        return value

    def _flow_value(self, rest: str, depth: int) -> object:
        """A flow collection that is all of ``rest`` (but a comment), one at a time."""
        value, at = self._flow(rest, depth)
        if at < len(rest):
            tail = rest[at:]
            stripped = tail.lstrip(" ")
            if stripped and (stripped[0] != "#" or len(stripped) == len(tail)):
                raise _GiveUp  # more after the collection: a key, or an error
        return value

    def _fill_lists(self) -> None:
        """The deferred ``key: [a, b]`` values: lists of plain items in bulk, the others one by one.

        str methods, not regex scans: sre tests each character of the ~5 MB of list
        text in turn, ``in``/``split`` run through it in C at memory speed.
        """
        pending = self.lists
        if not pending:
            return
        bodies = [rest[1:-1] if rest[-1] == "]" else "[" for _mapping, _key, rest, _depth in pending]
        joined = "\x1e".join(bodies)  # a control character: no line holds one
        if self.count + joined.count(",") + 2 * len(bodies) > MAX_VALUES:
            raise _GiveUp  # before making the lists
        odd: set[int] = set()  # lists with a quote, bracket, ':' or '#' in them: one by one
        present = [ch for ch in _NOT_IN_PLAIN_LIST if ch in joined]
        if present:
            starts = list(accumulate((len(body) + 1 for body in bodies[:-1]), initial=0))
            pattern = re.compile("[" + re.escape("".join(present)) + "]")
            odd = {bisect_right(starts, match.start()) - 1 for match in pattern.finditer(joined)}
        plain, unusual_first = self._plain, _UNUSUAL_FIRST
        items = 0
        for n, ((mapping, key, rest, depth), body) in enumerate(zip(pending, bodies)):
            if n not in odd:
                values = [piece.strip(" ") for piece in body.split(",")]
                unusual = {value[:1] for value in values} & unusual_first
                if not unusual:  # the usual list: text items
                    items += len(values)
                    mapping[key] = values
                    continue
                if not unusual & _PLAIN_START_OR_EMPTY:  # items to resolve (numbers, true, null...)
                    items += len(values)
                    mapping[key] = [plain(value) for value in values]
                    continue
            mapping[key] = self._flow_value(rest, depth)  # an empty item, an indicator first, ...
        self.count += items + len(bodies)

    def _fill_maps(self) -> None:
        """The deferred ``key: {k: v}`` values."""
        pending = self.maps
        if not pending:
            return
        bodies = [rest[1:-1] if rest[-1] == "}" else "{" for _mapping, _key, rest, _depth in pending]
        joined = "\x1e".join(bodies)
        odd: set[int] = set()
        present = [ch for ch in _NOT_IN_PLAIN_MAP if ch in joined]
        if present:
            starts = list(accumulate((len(body) + 1 for body in bodies[:-1]), initial=0))
            pattern = re.compile("[" + re.escape("".join(present)) + "]")
            odd = {bisect_right(starts, match.start()) - 1 for match in pattern.finditer(joined)}
        plain_start, resolved_first, keys = _PLAIN_START, _RESOLVED_FIRST, self.keys
        for n, ((mapping, key, rest, depth), body) in enumerate(zip(pending, bodies)):
            value: dict[str, object] | None = None if n in odd else {}
            if value is not None:
                for piece in body.split(","):
                    name, colon, text = piece.partition(": ")
                    name, text = name.lstrip(" "), text.strip(" ")
                    if not text or ":" in text or name in value or text[0] in plain_start:
                        value = None  # also: no ': ', an empty item (`{}`, a comma before the brace)
                        break
                    if name not in keys:
                        if _KEY_ONLY.fullmatch(name) is None:
                            value = None
                            break
                        keys.add(name)
                    value[name] = text if text[0] not in resolved_first else self._plain(text)
            if value is None:
                mapping[key] = self._flow_value(rest, depth)
                continue
            self.count += 2 * len(value) + 1
            mapping[key] = value

    def _plain(self, text: str) -> object:
        if text[0] not in _RESOLVED_FIRST:
            return text
        tag = _RESOLVER.resolve(ScalarNode, text, (True, False))
        if tag == _STR or tag == _TIMESTAMP:
            return text
        if tag not in _PLAIN_TAGS:
            raise _GiveUp
        try:
            return _scalar(tag, text)
        except Exception:  # let the careful reader say what is wrong, and where
            raise _GiveUp from None

    def _scalars(self, parts: list[tuple[str, str, str]]) -> list[object]:
        values: list[object] = []
        resolved_first = _RESOLVED_FIRST
        for single, double, text in parts:
            if text:
                if text[-1] == " ":
                    text = text.rstrip(" ")
                values.append(text if text[0] not in resolved_first else self._plain(text))
            elif double:
                values.append(double)
            else:
                values.append(single.replace("''", "'") if "''" in single else single)
        return values

    def _flow(self, line: str, depth: int) -> tuple[object, int]:
        """The flow collection that ``line`` starts with, closing on that line: (value, its end)."""
        if self.count + line.count(",") > MAX_VALUES:
            raise _GiveUp  # before making a list of them
        if line[0] == "[":
            simple = _SIMPLE_LIST.match(line)
            if simple is None:
                return self._nested_flow(line, 0, depth)
            end = simple.end()
            values = self._scalars(_LIST_ITEM.findall(line, 1, end - 1))
            self.count += len(values) + 1
            return values, end
        end = line.find("}")
        if end > 0 and _MAP_ODD.search(line, 1, end) is None:
            found = self._plain_map(line[1:end])
            if found is not None:
                return found, end + 1
        simple = _SIMPLE_MAP.match(line)
        if simple is None:
            return self._nested_flow(line, 0, depth)
        end = simple.end()
        pairs = _MAP_ITEM.findall(line, 1, end - 1)
        keys = [pair[0] for pair in pairs]
        mapping = dict(zip(keys, self._scalars([pair[1:] for pair in pairs])))
        if len(mapping) != len(keys):
            raise _GiveUp  # a duplicate key
        self.count += 2 * len(keys) + 1
        return mapping, end

    def _plain_map(self, inner: str) -> dict | None:
        """``k: a, l: b`` (between the braces; no quote, bracket or '#' in it), or None."""
        pieces = inner.split(",")
        if not pieces[-1].strip(" "):
            pieces.pop()  # `{}`, or a comma before the brace
        plain_start, resolved_first = _PLAIN_START, _RESOLVED_FIRST
        mapping: dict[str, object] = {}
        keys = self.keys
        for piece in pieces:
            key, colon, value = piece.partition(":")
            key = key.strip(" ")
            if not colon or value[:1] != " " or ":" in value or key in mapping:
                return None
            if key not in keys:
                if _KEY_ONLY.fullmatch(key) is None:
                    return None
                keys.add(key)
            value = value.strip(" ")
            if not value or value[0] in plain_start:
                return None
            mapping[key] = value if value[0] not in resolved_first else self._plain(value)
        self.count += 2 * len(mapping) + 1
        return mapping

    def _nested_flow(self, line: str, at: int, depth: int) -> tuple[object, int]:
        """A flow collection holding flow collections (rare in decks), scalar by scalar."""
        if depth >= MAX_DEPTH or self.count > MAX_VALUES:
            raise _GiveUp
        is_list = line[at] == "["
        closing = "]" if is_list else "}"
        item = _FLOW_ITEM.match if is_list else _FLOW_PAIR.match
        collection: list | dict = [] if is_list else {}
        self.count += 1
        at += 1
        while True:
            match = item(line, at)
            if match is not None:
                if is_list:
                    *parts, after = match.groups()
                else:
                    key, *parts, after = match.groups()
                value = self._scalars([tuple(parts)])[0]  # type: ignore[list-item]
                at = match.end()
            else:  # a nested collection, the end, or something for the careful reader
                at = _SPACES.match(line, at).end()
                if at < len(line) and line[at] == closing:
                    return collection, at + 1
                if is_list:
                    if at >= len(line) or line[at] not in "[{":
                        raise _GiveUp
                    value, at = self._nested_flow(line, at, depth + 1)
                else:
                    pair = _FLOW_NESTED_PAIR.match(line, at)
                    if pair is None:
                        raise _GiveUp
                    key = pair.group(1)
                    value, at = self._nested_flow(line, pair.start(2), depth + 1)
                at = _SPACES.match(line, at).end()
                after = line[at] if at < len(line) else ""
                at += 1
            self.count += 1
            if is_list:
                collection.append(value)  # type: ignore[union-attr]
            else:
                if key in collection:
                    raise _GiveUp
                collection[key] = value  # type: ignore[index]
                self.count += 1
            if after == closing:
                return collection, at
            if after != ",":
                raise _GiveUp

    def _block_scalar(self, rest: str, indent: int) -> str:
        """A ``|`` or ``>`` scalar (clipped, or stripped with ``-``), its lines deeper than ``indent``."""
        header = _BLOCK_HEADER.match(rest)
        if header is None:
            raise _GiveUp
        literal, strip = header.group(1) == "|", header.group(2) == "-"
        if not self.lines:
            self.lines = self.text.split("\n")
            if len(self.lines) != len(self.tokens):  # pragma: no cover - one match a line, by construction
                raise _GiveUp
        lines = self.lines
        i = self.i
        if i >= len(lines):
            raise _GiveUp
        first = lines[i]
        content = first.lstrip(" ")
        width = len(first) - len(content)
        if not content or width <= indent:
            raise _GiveUp  # empty, or leading blank lines: the finer rules apply
        body: list[str] = []
        while i < len(lines):
            line = lines[i]
            content = line.lstrip(" ")
            if not content:
                if len(line) > width:
                    raise _GiveUp  # spaces past the indentation are content
                body.append("")
            elif len(line) - len(content) < width:
                break
            else:
                if len(line) - len(content) > width and not literal:
                    raise _GiveUp  # more-indented lines fold differently
                body.append(line[width:])
            i += 1
        while body and not body[-1]:
            body.pop()
        self.i = i
        self.count += 1
        if literal:
            value = "\n".join(body)
        else:
            parts: list[str] = []
            blank = 0
            for piece in body:
                if not piece:
                    blank += 1
                    continue
                if parts:
                    parts.append("\n" * blank if blank else " ")
                parts.append(piece)
                blank = 0
            value = "".join(parts)
        return value if strip else value + "\n"
