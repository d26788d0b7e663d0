"""Deck bundles (``.cxodeck``): pack, read and verify, install, remove.

A bundle is a zip holding ``manifest.json`` and deck/path YAML files. Bundles
come from strangers, so reading one never touches the disk: every member is
read into memory with limits checked first from the zip headers and then again
while decompressing, names are checked against a strict pattern (no ``../``,
no absolute paths, no symlinks, no duplicates), and every file must be listed
in the manifest with the right SHA-256. Only then is the YAML parsed, from
bytes, by the same safe loader the rest of cxotutor uses.

Installing goes through ``library.install_deck``/``install_path`` in one
transaction, so a learner's progress survives any update of the deck.
"""

from __future__ import annotations

import hashlib
import io
import json
import os
import re
import stat
import tempfile
import zipfile
from dataclasses import dataclass, field
from datetime import datetime, timezone
from pathlib import Path

from sqlalchemy import delete, select

from cxotutor import __version__
from cxotutor.content import ContentError, ContentSet, Deck, LearningPath, Problem, content_files, load_files, load_texts
from cxotutor.library import card_values, install_deck, install_path
from cxotutor.store import Store
from cxotutor.store.tables import CardRow, CardState, CardTag, DeckRow, PathRow, Review

SUFFIX = ".cxodeck"
MANIFEST = "manifest.json"
FORMAT = "cxodeck"
FORMAT_VERSION = 1
_MEMBER = re.compile(r"^(decks|paths)/[a-z0-9][a-z0-9-]{0,63}\.yaml$")
_SHA256 = re.compile(r"^[0-9a-f]{64}$")
_SLUG = re.compile(r"^[a-z0-9][a-z0-9-]{0,63}$")


class BundleError(ValueError):
    """A bundle that cannot be used, explained in one line (nothing was installed)."""


@dataclass(frozen=True)
class ZipLimits:
    """What a zip from a stranger may ask of us."""

    archive_bytes: int = 64 * 1024 * 1024
    entries: int = 256
    member_bytes: int = 20 * 1024 * 1024
    total_bytes: int = 64 * 1024 * 1024
    ratio: float = 100.0
    ratio_floor: int = 64 * 1024  # smaller members cannot hurt, whatever their ratio


BUNDLE_LIMITS = ZipLimits()


class SafeZip:
    """A zip whose headers passed every check; members are read into memory with limits."""

    def __init__(self, path: Path, limits: ZipLimits = BUNDLE_LIMITS, label: str | None = None):
        self.label = label or str(path)
        self.limits = limits
        self._read_total = 0
        try:
            size = path.stat().st_size
        except OSError as exc:
            raise BundleError(f"{self.label}: cannot read file: {exc.strerror or exc}") from None
        if not path.is_file():
            raise BundleError(f"{self.label}: not a file")
        if size > limits.archive_bytes:
            raise BundleError(f"{self.label}: too large ({size // (1024 * 1024)} MB; limit {limits.archive_bytes // (1024 * 1024)} MB)")
        try:
            self._zip = zipfile.ZipFile(path)
            infos = self._zip.infolist()
        except (zipfile.BadZipFile, zipfile.LargeZipFile, OSError, EOFError, ValueError, NotImplementedError) as exc:
            raise BundleError(f"{self.label}: not a zip file, or damaged ({_short(exc)})") from None
        try:
            self.members = self._check_headers(infos)
        except BaseException:
            self._zip.close()
            raise

    def __enter__(self) -> SafeZip:
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    def close(self) -> None:
        self._zip.close()

    def _check_headers(self, infos: list[zipfile.ZipInfo]) -> dict[str, zipfile.ZipInfo]:
        limits = self.limits
        if len(infos) > limits.entries:
            raise BundleError(f"{self.label}: too many entries ({len(infos)}; limit {limits.entries})")
        members: dict[str, zipfile.ZipInfo] = {}
        folded: set[str] = set()
        total = 0
        for info in infos:
            name = info.orig_filename
            problem = unsafe_name(name)
            if problem:
                raise BundleError(f"{self.label}: refused entry {name!r}: {problem}")
            kind = stat.S_IFMT(info.external_attr >> 16)
            if kind == stat.S_IFLNK:
                raise BundleError(f"{self.label}: refused entry {name!r}: symbolic links are not allowed")
            if kind not in (0, stat.S_IFREG, stat.S_IFDIR):
                raise BundleError(f"{self.label}: refused entry {name!r}: not a regular file")
            if name in members or name.casefold() in folded:
                raise BundleError(f"{self.label}: duplicate entry {name!r}")
            folded.add(name.casefold())
            if info.flag_bits & 0x1:
                raise BundleError(f"{self.label}: entry {name!r} is encrypted")
            if info.compress_type not in (zipfile.ZIP_STORED, zipfile.ZIP_DEFLATED):
                raise BundleError(f"{self.label}: entry {name!r} uses an unsupported compression method")
            if name.endswith("/"):
                if info.file_size:
                    raise BundleError(f"{self.label}: folder entry {name!r} has data")
                continue
            if info.file_size > limits.member_bytes:
                raise BundleError(f"{self.label}: entry {name!r} is too large ({info.file_size} bytes; limit {limits.member_bytes})")
            total += info.file_size
            if total > limits.total_bytes:
                raise BundleError(f"{self.label}: contents too large when unpacked (limit {limits.total_bytes // (1024 * 1024)} MB)")
            if info.file_size > limits.ratio_floor and info.file_size > limits.ratio * max(info.compress_size, 1):
                raise BundleError(f"{self.label}: entry {name!r} is compressed suspiciously well (zip bomb?)")
            members[name] = info
        return members

    def read(self, name: str) -> bytes:
        """A member's bytes, stopping as soon as it outgrows its header or the limits."""
        info = self.members[name]
        limits = self.limits
        out = io.BytesIO()
        try:
            with self._zip.open(info) as handle:
                while True:
                    chunk = handle.read(64 * 1024)
                    if not chunk:
                        break
                    out.write(chunk)
                    size = out.tell()
                    self._read_total += len(chunk)
                    if size > info.file_size or size > limits.member_bytes:
                        raise BundleError(f"{self.label}: entry {name!r} is larger than its header says")
                    if self._read_total > limits.total_bytes:
                        raise BundleError(f"{self.label}: contents too large when unpacked")
                    if size > limits.ratio_floor and size > limits.ratio * max(info.compress_size, 1):
                        raise BundleError(f"{self.label}: entry {name!r} is compressed suspiciously well (zip bomb?)")
        except BundleError:
            raise
        except (zipfile.BadZipFile, OSError, EOFError, ValueError, NotImplementedError, RuntimeError) as exc:
            raise BundleError(f"{self.label}: entry {name!r} is damaged ({_short(exc)})") from None
        except Exception as exc:  # zlib.error and friends: a damaged stream, whatever the type
            raise BundleError(f"{self.label}: entry {name!r} is damaged ({_short(exc)})") from None
        data = out.getvalue()
        if len(data) != info.file_size:
            raise BundleError(f"{self.label}: entry {name!r} is shorter than its header says")
        return data


def unsafe_name(name: str) -> str | None:
    """Why a zip entry name is unsafe, or None."""
    if not name:
        return "empty name"
    if "\x00" in name or any(ord(ch) < 32 for ch in name):
        return "control characters in the name"
    if "\\" in name:
        return "backslashes in the name"
    if name.startswith("/") or re.match(r"^[A-Za-z]:", name):
        return "absolute path"
    parts = name.rstrip("/").split("/")
    if any(part == ".." for part in parts):
        return "path traversal ('..')"
    if any(part in ("", ".") for part in parts):
        return "empty or '.' path component"
    return None


def _short(exc: BaseException) -> str:
    text = str(exc).strip().splitlines()
    return text[0] if text else type(exc).__name__


# -- manifest and bundle -----------------------------------------------------------


@dataclass(frozen=True)
class ManifestFile:
    name: str
    sha256: str
    size: int


@dataclass(frozen=True)
class Manifest:
    """What a bundle says about itself; ``files`` must match its contents exactly."""

    id: str
    version: int
    title: dict
    author: str | None
    created: str
    files: tuple[ManifestFile, ...]
    app_version: str = __version__
    format_version: int = FORMAT_VERSION
    decks: tuple[dict, ...] = ()
    paths: tuple[dict, ...] = ()

    def to_dict(self) -> dict:
        return {
            "format": FORMAT,
            "format_version": self.format_version,
            "id": self.id,
            "version": self.version,
            "title": self.title,
            "author": self.author,
            "created": self.created,
            "app_version": self.app_version,
            "decks": list(self.decks),
            "paths": list(self.paths),
            "files": [{"name": f.name, "sha256": f.sha256, "size": f.size} for f in self.files],
        }

    @classmethod
    def from_bytes(cls, raw: bytes, label: str) -> Manifest:
        try:
            data = json.loads(raw.decode("utf-8"))
        except (UnicodeDecodeError, ValueError) as exc:
            raise BundleError(f"{label}: {MANIFEST} is not valid JSON ({_short(exc)})") from None
        if not isinstance(data, dict) or data.get("format") != FORMAT:
            raise BundleError(f"{label}: {MANIFEST} is not a cxodeck manifest")
        version = data.get("format_version")
        if not isinstance(version, int) or isinstance(version, bool) or version < 1:
            raise BundleError(f"{label}: {MANIFEST}: format_version must be a positive integer")
        if version > FORMAT_VERSION:
            raise BundleError(f"{label}: made by a newer cxotutor (bundle format {version}); upgrade cxotutor to install it")

        def need(key: str, kind, check=lambda v: True):
            value = data.get(key)
            if not isinstance(value, kind) or isinstance(value, bool) or not check(value):
                raise BundleError(f"{label}: {MANIFEST}: bad or missing {key!r}")
            return value

        files = []
        for i, entry in enumerate(need("files", list)):
            if not isinstance(entry, dict):
                raise BundleError(f"{label}: {MANIFEST}: files[{i}] must be an object")
            name, digest, size = entry.get("name"), entry.get("sha256"), entry.get("size")
            if not isinstance(name, str) or not _MEMBER.match(name):
                raise BundleError(f"{label}: {MANIFEST}: files[{i}]: bad file name {name!r} (expected decks/ID.yaml or paths/ID.yaml)")
            if not isinstance(digest, str) or not _SHA256.match(digest):
                raise BundleError(f"{label}: {MANIFEST}: files[{i}]: bad sha256")
            if not isinstance(size, int) or isinstance(size, bool) or size < 0:
                raise BundleError(f"{label}: {MANIFEST}: files[{i}]: bad size")
            files.append(ManifestFile(name, digest, size))
        if len({f.name for f in files}) != len(files):
            raise BundleError(f"{label}: {MANIFEST} lists a file twice")
        return cls(
            id=need("id", str, lambda v: bool(_SLUG.match(v))),
            version=need("version", int, lambda v: v >= 1),
            title=data.get("title") if isinstance(data.get("title"), dict) else {},
            author=data.get("author") if isinstance(data.get("author"), str) else None,
            created=need("created", str),
            files=tuple(files),
            app_version=str(data.get("app_version", "")),
            format_version=version,
            decks=tuple(d for d in data.get("decks", []) if isinstance(d, dict)) if isinstance(data.get("decks"), list) else (),
            paths=tuple(p for p in data.get("paths", []) if isinstance(p, dict)) if isinstance(data.get("paths"), list) else (),
        )


@dataclass
class Bundle:
    """A verified bundle: its manifest and its files' bytes (nothing parsed yet)."""

    label: str
    manifest: Manifest
    files: dict[str, bytes] = field(default_factory=dict)

    def sources(self) -> list[tuple[str, bytes]]:
        """(name, bytes) of each file, named ``bundle:decks/x.yaml`` so problems say where."""
        return [(f"{self.label}:{name}", data) for name, data in sorted(self.files.items())]

    def content(self, known_decks: dict[str, set[str]] | None = None) -> ContentSet:
        """Parse and validate the files, and check they are what the manifest says."""
        content = load_texts(self.sources(), known_decks)
        self.check_matches(content)
        return content

    def check_matches(self, content: ContentSet) -> None:
        """BundleError unless the manifest's id and version are those of a deck or path inside."""
        if content.problems:
            return
        versions = {m.id: m.version for m, _ in content.decks} | {m.id: m.version for m, _ in content.paths}
        if versions.get(self.manifest.id) != self.manifest.version:
            raise BundleError(f"{self.label}: {MANIFEST} says {self.manifest.id} {self.manifest.version}, "
                              f"but the bundle holds {_describe(versions)}")


def _describe(versions: dict[str, int]) -> str:
    return ", ".join(f"{k} {v}" for k, v in versions.items()) or "nothing"


def read_bundle(path: Path | str) -> Bundle:
    """Open and verify a ``.cxodeck`` file; raise BundleError (one line) if anything is off."""
    path = Path(path)
    label = path.name
    with SafeZip(path, BUNDLE_LIMITS, label) as archive:
        if MANIFEST not in archive.members:
            raise BundleError(f"{label}: no {MANIFEST} (not a cxodeck bundle)")
        if archive.members[MANIFEST].file_size > 1024 * 1024:
            raise BundleError(f"{label}: {MANIFEST} is too large")
        manifest = Manifest.from_bytes(archive.read(MANIFEST), label)
        listed = {f.name: f for f in manifest.files}
        present = {name for name in archive.members if name != MANIFEST and not name.endswith("/")}
        for name in sorted(present - listed.keys()):
            raise BundleError(f"{label}: {name!r} is not listed in the manifest")
        for name in sorted(listed.keys() - present):
            raise BundleError(f"{label}: the manifest lists {name!r} but the bundle does not contain it")
        if not listed:
            raise BundleError(f"{label}: the bundle holds no deck or path files")
        files = {}
        for name, entry in sorted(listed.items()):
            data = archive.read(name)
            if len(data) != entry.size or hashlib.sha256(data).hexdigest() != entry.sha256:
                raise BundleError(f"{label}: checksum mismatch for {name!r} (the bundle was changed or damaged)")
            files[name] = data
    return Bundle(label, manifest, files)


# -- packing ---------------------------------------------------------------------------


def author_files(targets: list[Path]) -> list[Path]:
    """Deck/path files under ``targets``: a folder's YAML files, and those in its decks/ and paths/."""
    files: list[Path] = []
    for target in targets:
        if not target.exists():
            raise FileNotFoundError(2, "No such file or directory", str(target))
        files.extend(content_files([target]))
        if target.is_dir():
            for sub in ("decks", "paths"):
                if (target / sub).is_dir():
                    files.extend(content_files([target / sub]))
    if not files:
        raise ValueError(f"no .yaml files in {', '.join(str(t) for t in targets)}")
    return files


def bundled_deck_tags() -> dict[str, set[str]]:
    """Tags of the decks that ship with cxotutor, so an author's path may practise them."""
    from cxotutor.content import bundled_dir

    folder = bundled_dir("decks")
    if not folder.is_dir():
        return {}
    content = load_files([folder])
    return {deck.id: {tag for card in deck.cards for tag in card.tags} for deck, _ in content.decks}


def pack(targets: list[Path], out: Path, *, self_test: bool = True, now: datetime | None = None) -> Manifest:
    """Validate the decks and paths in ``targets`` and write them, with a manifest, to ``out``."""
    from cxotutor.content.selftest import self_test_problems

    files = author_files(targets)
    content = load_files(files, known_decks=bundled_deck_tags())
    problems = list(content.problems)
    if self_test and not problems:
        for deck, doc in content.decks:
            problems.extend(self_test_problems(deck, doc))
    if problems:
        raise ContentError(problems)
    if not content.decks and not content.paths:
        raise ValueError("nothing to pack")
    seen: dict[str, str] = {}  # deck ids are checked by load_files; two paths must not share one either
    for lpath, doc in content.paths:
        if lpath.id in seen:
            raise ContentError([Problem(doc.file, 1, 1, f"path id {lpath.id!r} is also used by {seen[lpath.id]}")])
        seen[lpath.id] = doc.file
    members: list[tuple[str, bytes]] = []
    for deck, doc in content.decks:
        members.append((f"decks/{deck.id}.yaml", Path(doc.file).read_bytes()))
    for lpath, doc in content.paths:
        members.append((f"paths/{lpath.id}.yaml", Path(doc.file).read_bytes()))
    main: Deck | LearningPath = content.decks[0][0] if content.decks else content.paths[0][0]
    created = (now or datetime.now(timezone.utc)).astimezone(timezone.utc)
    manifest = Manifest(
        id=main.id,
        version=main.version,
        title={k: v for k, v in main.title.model_dump().items() if v},
        author=getattr(main, "author", None),
        created=created.isoformat(timespec="seconds").replace("+00:00", "Z"),
        files=tuple(ManifestFile(name, hashlib.sha256(data).hexdigest(), len(data)) for name, data in members),
        decks=tuple({"id": d.id, "version": d.version, "cards": len(d.cards)} for d, _ in content.decks),
        paths=tuple({"id": p.id, "version": p.version} for p, _ in content.paths),
    )
    stamp = created.timetuple()[:6]
    out.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=".pack-", suffix=SUFFIX, dir=out.parent)
    try:
        with os.fdopen(fd, "wb") as raw, zipfile.ZipFile(raw, "w", zipfile.ZIP_DEFLATED) as archive:
            for name, data in [(MANIFEST, json.dumps(manifest.to_dict(), ensure_ascii=False, indent=2).encode())] + members:
                info = zipfile.ZipInfo(name, date_time=max(stamp, (1980, 1, 1, 0, 0, 0)))
                info.compress_type = zipfile.ZIP_DEFLATED
                info.external_attr = (stat.S_IFREG | 0o644) << 16
                archive.writestr(info, data)
        mask = os.umask(0)
        os.umask(mask)
        os.chmod(tmp, 0o666 & ~mask)  # mkstemp makes 0600 files; a bundle is meant to be shared
        os.replace(tmp, out)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    return manifest


# -- installing --------------------------------------------------------------------------


def installed_deck_tags(store: Store) -> dict[str, set[str]]:
    """Installed (not removed) deck ids and their card tags, so a path being installed may practise them."""
    with store.read() as session:
        decks = set(session.scalars(select(DeckRow.id).where(DeckRow.removed.is_(False))))
        rows = session.execute(select(CardRow.deck_id, CardTag.tag).join(CardTag, CardTag.card_id == CardRow.id)).all()
    tags: dict[str, set[str]] = {deck: set() for deck in decks}
    for deck, tag in rows:
        if deck in tags:
            tags[deck].add(tag)
    return tags


def load_for_install(store: Store, target: Path) -> tuple[ContentSet, dict[str, str]]:
    """Read a .cxodeck, a YAML file or a folder; validate it against what is installed.

    Returns the content and the SHA-256 of each model's source file (by id).
    """
    target = Path(target)
    if not target.exists():
        raise FileNotFoundError(2, "No such file or directory", str(target))
    bundle = None
    if target.is_file() and (target.suffix == SUFFIX or zipfile.is_zipfile(target)):
        bundle = read_bundle(target)
        sources = bundle.sources()
    else:
        sources = [(str(file), file.read_bytes()) for file in author_files([target])]
    digests = {name: hashlib.sha256(data).hexdigest() for name, data in sources}
    # Paths may practise decks installed earlier (decks in this content take precedence).
    content = load_texts(sources, known_decks=installed_deck_tags(store))
    if bundle is not None:
        bundle.check_matches(content)
    if content.problems:
        raise ContentError(content.problems)
    if not content.decks and not content.paths:
        raise ValueError(f"{target}: no decks or paths in it")
    hashes = {model.id: digests[doc.file] for model, doc in content.decks} | {f"path:{m.id}": digests[d.file] for m, d in content.paths}
    return content, hashes


def install_content(store: Store, content: ContentSet, hashes: dict[str, str] | None = None, *,
                    force: bool = False, now: datetime | None = None) -> list[str]:
    """Install or update every deck and path of ``content`` in one transaction; one line each.

    An older version than the installed one is refused unless ``force``; the
    same version with the same content is left alone; the same version with
    different content is refused unless ``force`` (bump the version).
    """
    hashes = hashes or {}
    now = now or datetime.now(timezone.utc)
    lines: list[str] = []
    with store.write() as session:
        for deck, _doc in content.decks:
            row = session.get(DeckRow, deck.id)
            if row is not None and not force:
                if deck.version < row.version:
                    raise ValueError(f"{deck.id}: version {deck.version} is older than the installed version {row.version}; "
                                     "use --force to install it anyway")
                if deck.version == row.version:
                    if _same_deck(session, row, deck):
                        if row.removed:
                            row.removed = False
                            lines.append(f"{deck.id} {deck.version}: restored")
                        else:
                            lines.append(f"{deck.id} {deck.version}: already installed with the same content, nothing to do")
                        continue
                    raise ValueError(f"{deck.id}: version {deck.version} is already installed with different content; "
                                     "raise the version number in the deck file (or use --force)")
            lines.append(str(install_deck(session, deck, "installed", hashes.get(deck.id), now)))
        for lpath, _doc in content.paths:
            row = session.get(PathRow, lpath.id)
            if row is not None and not force:
                if lpath.version < row.version:
                    raise ValueError(f"path {lpath.id}: version {lpath.version} is older than the installed version {row.version}; "
                                     "use --force to install it anyway")
                if lpath.version == row.version and row.data == lpath.model_dump_json() and not row.removed:
                    lines.append(f"path {lpath.id} {lpath.version}: already installed with the same content, nothing to do")
                    continue
                if lpath.version == row.version and row.data != lpath.model_dump_json():
                    raise ValueError(f"path {lpath.id}: version {lpath.version} is already installed with different content; "
                                     "raise the version number in the path file (or use --force)")
            old = row.version if row is not None else None
            restored = row is not None and row.removed and old == lpath.version
            install_path(session, lpath, "installed", hashes.get(f"path:{lpath.id}"), now)
            if old is None:
                lines.append(f"path {lpath.id} {lpath.version}: installed")
            else:
                lines.append(f"path {lpath.id} {lpath.version}: restored" if restored else f"path {lpath.id} {old} → {lpath.version}: updated")
    return lines


def _same_deck(session, row: DeckRow, deck: Deck) -> bool:
    fields = (row.title_ja, row.title_en, row.role, row.languages, row.author, row.source)
    if fields != (deck.title.ja, deck.title.en, deck.role, ",".join(deck.languages), deck.author, deck.source):
        return False
    stored = {
        key: (content_hash, position)
        for key, content_hash, position in session.execute(
            select(CardRow.key, CardRow.content_hash, CardRow.position).where(CardRow.deck_id == deck.id, CardRow.retired.is_(False))
        )
    }
    wanted = {}
    for position, card in enumerate(deck.cards):
        values = card_values(deck, position)
        wanted[card.id] = (values["content_hash"], position)
    return stored == wanted


def remove_deck(store: Store, deck_id: str, *, purge: bool = False) -> str:
    """Hide a deck from every queue (history kept), or with ``purge`` delete it and its history.

    A bundled deck cannot be deleted for good (it would come back at the next
    start), so purging one deletes its history and leaves it hidden.
    """
    with store.write() as session:
        row = session.get(DeckRow, deck_id)
        if row is None or (row.removed and not purge):
            raise KeyError(f"no installed deck {deck_id!r}")
        card_ids = select(CardRow.id).where(CardRow.deck_id == deck_id)
        reviews = session.execute(delete(Review).where(Review.card_id.in_(card_ids))).rowcount if purge else 0
        if purge and row.origin != "bundled":
            session.execute(delete(CardState).where(CardState.card_id.in_(card_ids)))
            session.execute(delete(CardTag).where(CardTag.card_id.in_(card_ids)))
            session.execute(delete(CardRow).where(CardRow.deck_id == deck_id))
            session.execute(delete(DeckRow).where(DeckRow.id == deck_id))
            return f"{deck_id}: deleted, with {reviews} review(s) of history"
        if purge:
            session.execute(delete(CardState).where(CardState.card_id.in_(card_ids)))
        row.removed = True
        if purge:
            return f"{deck_id}: removed, {reviews} review(s) of history deleted (a bundled deck stays hidden)"
        return f"{deck_id}: removed (history kept; install it again to bring it back)"
