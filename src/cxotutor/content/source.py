"""Read untrusted YAML into plain data, remembering where every value came from.

Deck files come from strangers, so this reader accepts only plain YAML
(mappings, sequences, strings, numbers, booleans, null), refuses custom tags,
duplicate keys, deep nesting and alias bombs, and bounds the work it does.
Every value's position is kept so errors can say ``file:line:col``.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

import yaml

try:  # the C parser is ~10x faster; fall back quietly where libyaml is missing
    from yaml import CSafeLoader as _Loader
except ImportError:  # pragma: no cover
    from yaml import SafeLoader as _Loader  # type: ignore[assignment]

MAX_FILE_BYTES = 20 * 1024 * 1024
# About 10,000 cards; composing costs ~600 bytes a value, so this bounds memory to ~250 MB.
MAX_NODES = 400_000
MAX_DEPTH = 40

_PLAIN_TAGS = {
    "tag:yaml.org,2002:str",
    "tag:yaml.org,2002:int",
    "tag:yaml.org,2002:float",
    "tag:yaml.org,2002:bool",
    "tag:yaml.org,2002:null",
    "tag:yaml.org,2002:seq",
    "tag:yaml.org,2002:map",
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
    """A parsed file: its plain data and the position of every value in it."""

    file: str
    data: object
    marks: dict[Loc, tuple[int, int]] = field(default_factory=dict)

    def where(self, loc: Loc) -> tuple[int, int]:
        """The line/col of ``loc`` or of its nearest ancestor that has one."""
        while loc not in self.marks and loc:
            loc = loc[:-1]
        return self.marks.get(loc, (1, 1))

    def problem(self, loc: Loc, message: str) -> Problem:
        line, col = self.where(loc)
        return Problem(self.file, line, col, message)


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
        _check_shape(name, text)
        node = yaml.compose(text, Loader=_Loader)
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line, col = (mark.line + 1, mark.column + 1) if mark else (1, 1)
        message = str(exc.problem or exc.context or "invalid YAML")
        if exc.context and message.startswith("but "):  # "but found another document" needs its context
            message = f"{exc.context}, {message}"
        message = " ".join(message.split())
        raise ContentError([Problem(name, line, col, f"YAML syntax error: {message}")]) from None
    except yaml.reader.ReaderError as exc:
        position = exc.position
        if _Loader is not yaml.SafeLoader:  # libyaml counts bytes of the UTF-8 text, not characters
            position = len(text.encode("utf-8", "surrogatepass")[:position].decode("utf-8", "ignore"))
        before = text[:position]
        line, col = before.count("\n") + 1, position - (before.rfind("\n") + 1) + 1
        what = f"U+{exc.character:04X}" if isinstance(exc.character, int) else repr(exc.character)
        raise ContentError([Problem(name, line, col, f"control character {what} is not allowed")]) from None
    except yaml.YAMLError as exc:
        raise _fail(name, f"YAML error: {' '.join(str(exc).split())}") from None
    doc = SourceDoc(name, None)
    if node is None:
        raise _fail(name, "file is empty")
    builder = _Builder(doc)
    doc.data = builder.build(node, (), 0)
    return doc


def _check_shape(name: str, text: str) -> None:
    """Refuse deep nesting and too many values from the parser's event stream, before composing.

    libyaml's composer recurses in C (deep nesting crashes the process) and its
    scanner is quadratic in the nesting depth, so the limits must hold before
    any node tree is built; the event stream is lazy and takes constant memory.
    """
    depth = nodes = 0
    for event in yaml.parse(text, Loader=_Loader):
        if isinstance(event, (yaml.ScalarEvent, yaml.AliasEvent, yaml.CollectionStartEvent)):
            nodes += 1
            if nodes > MAX_NODES:
                raise _at(name, event.start_mark, f"too many values (limit {MAX_NODES:,})")
        if isinstance(event, yaml.CollectionStartEvent):
            depth += 1
            if depth > MAX_DEPTH:
                raise _at(name, event.start_mark, f"nesting deeper than {MAX_DEPTH} levels")
        elif isinstance(event, yaml.CollectionEndEvent):
            depth -= 1


def _at(name: str, mark, message: str) -> ContentError:
    return ContentError([Problem(name, mark.line + 1, mark.column + 1, message)])


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


class _Builder:
    """Turns a composed node tree into plain Python data, with limits."""

    def __init__(self, doc: SourceDoc):
        self.doc = doc
        self.count = 0
        self._scalar = yaml.constructor.SafeConstructor()

    def build(self, node: yaml.Node, loc: Loc, depth: int) -> object:
        self.count += 1
        if self.count > MAX_NODES:
            raise self._error(node, "document expands to too many values (alias bomb?)")
        if depth > MAX_DEPTH:
            raise self._error(node, f"nesting deeper than {MAX_DEPTH} levels")
        if node.tag == "tag:yaml.org,2002:timestamp" and isinstance(node, yaml.ScalarNode):
            # No field holds a date: a bare `2024-04-01` is text as written, not an error about tags.
            node = yaml.ScalarNode("tag:yaml.org,2002:str", node.value, node.start_mark, node.end_mark)
        if node.tag not in _PLAIN_TAGS:
            raise self._error(node, f"tag {node.tag!r} is not allowed (plain YAML only)")
        self.doc.marks.setdefault(loc, (node.start_mark.line + 1, node.start_mark.column + 1))
        if isinstance(node, yaml.MappingNode):
            result: dict[str, object] = {}
            for key_node, value_node in node.value:
                if key_node.tag == "tag:yaml.org,2002:merge":
                    raise self._error(key_node, "merge keys ('<<') are not allowed")
                if not isinstance(key_node, yaml.ScalarNode):
                    raise self._error(key_node, "mapping keys must be plain strings")
                self.build(key_node, loc + ("<key>",), depth + 1)  # refuses tags, counts
                key = key_node.value  # as written: a `null:` key is 'null', not 'None'
                if key in result:
                    raise self._error(key_node, f"duplicate key {key!r}")
                self.doc.marks[loc + (key,)] = (key_node.start_mark.line + 1, key_node.start_mark.column + 1)
                result[key] = self.build(value_node, loc + (key,), depth + 1)
            return result
        if isinstance(node, yaml.SequenceNode):
            return [self.build(item, loc + (i,), depth + 1) for i, item in enumerate(node.value)]
        try:
            return self._scalar.construct_object(node)
        except (yaml.YAMLError, ValueError, OverflowError) as exc:
            raise self._error(node, f"bad value: {str(exc).split(';')[0]}") from None

    def _error(self, node: yaml.Node, message: str) -> ContentError:
        mark = node.start_mark
        return ContentError([Problem(self.doc.file, mark.line + 1, mark.column + 1, message)])
