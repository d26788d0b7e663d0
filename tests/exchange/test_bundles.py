"""Deck distribution: scaffold, pack, install/update keeping progress, remove, and hostile bundles."""

from __future__ import annotations

import hashlib
import io
import json
import stat
import warnings
import zipfile
from pathlib import Path

import pytest

from cxotutor.models import Selection
from cxotutor.srs import GOOD

from .conftest import fingerprint, invoke, mini_data, one_line_error, open_tutor, write_deck


def course_v1(folder: Path) -> Path:
    data = mini_data()
    data["id"] = "course"
    return write_deck(folder / "course.yaml", data)


def decks(db: Path) -> dict[str, tuple[int, int]]:
    result = invoke("--db", db, "deck", "list", "--json")
    assert result.exit_code == 0, result.stderr
    return {d["id"]: (d["version"], d["cards"]) for d in json.loads(result.stdout)}


def pack(source: Path, out: Path) -> Path:
    result = invoke("deck", "pack", source, "-o", out)
    assert result.exit_code == 0, result.stderr
    return out


# -- authoring -------------------------------------------------------------------------------


@pytest.mark.parametrize("languages", ["ja,en", "en", "ja"])
def test_deck_new_writes_a_deck_that_validates_cleanly(tmp_path, languages):
    target = tmp_path / "my-course.yaml"
    result = invoke("deck", "new", "my-course", "-o", target, "--languages", languages, "--role", "cto")
    assert result.exit_code == 0, result.stderr
    text = target.read_text(encoding="utf-8")
    assert text.count("\n#") >= 3  # commented for authors
    checked = invoke("deck", "validate", target)
    assert checked.exit_code == 0, checked.stderr
    assert checked.stdout.strip() == "ok: 1 deck(s), 2 cards, 0 path(s), self-test passed"
    assert one_line_error(invoke("deck", "new", "my-course", "-o", target)).endswith("exists; use --force to overwrite it")
    assert "must be lowercase" in one_line_error(invoke("deck", "new", "Bad Id", "-o", tmp_path / "x.yaml"))


def test_pack_writes_manifest_with_checksums(tmp_path):
    source = course_v1(tmp_path)
    out = pack(source, tmp_path / "course.cxodeck")
    with zipfile.ZipFile(out) as archive:
        names = archive.namelist()
        manifest = json.loads(archive.read("manifest.json"))
        body = archive.read("decks/course.yaml")
    assert names == ["manifest.json", "decks/course.yaml"]
    assert body == source.read_bytes()  # the author's file, comments and all
    assert (manifest["format"], manifest["id"], manifest["version"], manifest["author"]) == ("cxodeck", "course", 1, "cxotutor tests")
    assert manifest["title"] == {"ja": "ミニデッキ", "en": "Mini deck"} and manifest["created"].endswith("Z")
    assert manifest["files"] == [{"name": "decks/course.yaml", "sha256": hashlib.sha256(body).hexdigest(), "size": len(body)}]


def test_pack_validates_first(tmp_path):
    data = mini_data()
    data["cards"][1]["id"] = data["cards"][0]["id"]
    bad = write_deck(tmp_path / "bad.yaml", data)
    result = invoke("deck", "pack", bad, "-o", tmp_path / "bad.cxodeck")
    assert result.exit_code == 1 and "duplicate card id" in result.stderr
    assert not (tmp_path / "bad.cxodeck").exists()


def test_pack_a_folder_with_a_path_that_practises_its_deck(tmp_path):
    (tmp_path / "course" / "paths").mkdir(parents=True)
    course_v1(tmp_path / "course")
    (tmp_path / "course" / "paths" / "course-path.yaml").write_text(
        "id: course-path\nversion: 1\ntitle: {en: Course path}\nrole: cto\nsteps:\n"
        "  - id: one\n    title: {en: Step one}\n    goal: {en: Learn it}\n    practice: {decks: [course], tags: [architecture]}\n",
        encoding="utf-8")
    out = pack(tmp_path / "course", tmp_path / "course.cxodeck")
    assert zipfile.ZipFile(out).namelist() == ["manifest.json", "decks/course.yaml", "paths/course-path.yaml"]


# -- installing and updating ------------------------------------------------------------------


def test_install_update_keeps_progress_and_prints_the_summary(db, tmp_path, clock):
    v1 = pack(course_v1(tmp_path), tmp_path / "course-1.cxodeck")
    result = invoke("--db", db, "deck", "install", v1)
    assert result.exit_code == 0, result.stderr
    assert result.stdout.strip() == "course 1: installed, 3 cards"

    tutor = open_tutor(db, clock)
    rated = []
    for _ in range(3):
        card = tutor.next_card(Selection(decks=("course",)))
        tutor.rate(card.id, GOOD)
        rated.append(card)
    tutor.close()

    data = mini_data()
    data.update(id="course", version=2)
    data["cards"][0]["question"]["en"] = "What makes microservices hard?"
    gone = data["cards"].pop(1)
    data["cards"].append({**gone, "id": "tech-debt-2"})
    v2 = pack(write_deck(tmp_path / "course.yaml", data), tmp_path / "course-2.cxodeck")
    result = invoke("--db", db, "deck", "install", v2)
    assert result.exit_code == 0, result.stderr
    assert result.stdout.strip() == "course 1 → 2: 1 added, 1 changed, 1 retired, progress kept on 2 cards"

    tutor = open_tutor(db, clock)
    kept = tutor.find_card("course", rated[0].key)
    assert kept.state == "learning" and kept.question_en == "What makes microservices hard?"
    retired = tutor.find_card("course", gone["id"])
    assert retired.retired and len(tutor.history(retired.id)) == 1
    tutor.close()
    assert decks(db)["course"] == (2, 3)

    # The same version again is a no-op; an older one is refused unless --force.
    before = fingerprint(db)
    again = invoke("--db", db, "deck", "install", v2)
    assert again.exit_code == 0 and "already installed with the same content, nothing to do" in again.stdout
    line = one_line_error(invoke("--db", db, "deck", "install", v1))
    assert line == "cxotutor: course: version 1 is older than the installed version 2; use --force to install it anyway"
    assert fingerprint(db) == before
    forced = invoke("--db", db, "deck", "install", v1, "--force")
    assert forced.exit_code == 0 and forced.stdout.startswith("course 2 → 1:")


def test_same_version_with_other_content_is_refused(db, tmp_path):
    assert invoke("--db", db, "deck", "install", course_v1(tmp_path)).exit_code == 0
    data = mini_data()
    data["id"] = "course"
    data["cards"][0]["question"]["en"] = "Edited without a version bump"
    (tmp_path / "edited").mkdir()
    edited = write_deck(tmp_path / "edited" / "course.yaml", data)
    before = fingerprint(db)
    assert "raise the version number" in one_line_error(invoke("--db", db, "deck", "install", edited))
    assert fingerprint(db) == before


def test_install_a_yaml_folder_and_remove_with_and_without_purge(db, tmp_path, clock):
    folder = tmp_path / "course"
    folder.mkdir()
    course_v1(folder)
    assert invoke("--db", db, "deck", "install", folder).exit_code == 0
    tutor = open_tutor(db, clock)
    card = tutor.next_card(Selection(decks=("course",)))
    tutor.rate(card.id, GOOD)
    tutor.close()

    refused = invoke("--db", db, "deck", "remove", "course", input="n\n")
    assert refused.exit_code == 1 and "course" in decks(db)
    removed = invoke("--db", db, "deck", "remove", "course", "--yes")
    assert removed.exit_code == 0 and "history kept" in removed.stdout
    assert "course" not in decks(db)
    tutor = open_tutor(db, clock)
    assert len(tutor.history(card.id)) == 1  # history kept
    tutor.close()

    restored = invoke("--db", db, "deck", "install", folder)
    assert restored.stdout.strip() == "course 1: restored"
    purged = invoke("--db", db, "deck", "remove", "course", "--yes", "--purge")
    assert purged.exit_code == 0 and purged.stdout.strip() == "course: deleted, with 1 review(s) of history"
    import sqlite3

    con = sqlite3.connect(db)
    assert con.execute("select count(*) from card where deck_id = 'course'").fetchone() == (0,)
    assert con.execute("select count(*) from review").fetchone() == (0,)
    con.close()
    assert one_line_error(invoke("--db", db, "deck", "remove", "nope", "--yes")) == "cxotutor: no installed deck 'nope'"


# -- hostile bundles ---------------------------------------------------------------------------


def _entry(name: str, data: bytes, mode: int = stat.S_IFREG | 0o644) -> tuple[zipfile.ZipInfo, bytes]:
    info = zipfile.ZipInfo(name, date_time=(2026, 1, 1, 0, 0, 0))
    info.compress_type = zipfile.ZIP_DEFLATED
    info.external_attr = mode << 16
    return info, data


def build(path: Path, entries: list[tuple[zipfile.ZipInfo, bytes]]) -> Path:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # zipfile warns about the duplicate names we write on purpose
        with zipfile.ZipFile(path, "w") as archive:
            for info, data in entries:
                archive.writestr(info, data)
    return path


def manifest(files: dict[str, bytes], **overrides) -> bytes:
    data = {
        "format": "cxodeck", "format_version": 1, "id": "course", "version": 1, "title": {"en": "Course"}, "author": "x",
        "created": "2026-01-01T00:00:00Z",
        "files": [{"name": n, "sha256": hashlib.sha256(b).hexdigest(), "size": len(b)} for n, b in files.items()],
    }
    data.update(overrides)
    return json.dumps(data).encode()


def deck_bytes() -> bytes:
    data = mini_data()
    data["id"] = "course"
    import yaml

    return yaml.safe_dump(data, allow_unicode=True, sort_keys=False).encode()


def hostile(kind: str, path: Path) -> Path:
    body = deck_bytes()
    good = {"decks/course.yaml": body}
    if kind == "not-a-zip":
        path.write_bytes(b"this is not a zip file at all\n" * 10)
    elif kind == "truncated":
        build(path, [_entry("manifest.json", manifest(good)), _entry("decks/course.yaml", body)])
        path.write_bytes(path.read_bytes()[:200])
    elif kind == "corrupt-data":
        build(path, [_entry("manifest.json", manifest(good)), _entry("decks/course.yaml", body)])
        raw = bytearray(path.read_bytes())
        start = raw.find(b"decks/course.yaml") + len("decks/course.yaml")
        for i in range(start + 10, start + 60):
            raw[i] ^= 0x5A
        path.write_bytes(bytes(raw))
    elif kind == "wrong-checksum":
        build(path, [_entry("manifest.json", manifest({"decks/course.yaml": body + b"# changed\n"})), _entry("decks/course.yaml", body + b"# tampered\n")])
    elif kind == "traversal":
        build(path, [_entry("manifest.json", manifest(good)), _entry("decks/course.yaml", body), _entry("decks/../../evil.yaml", body)])
    elif kind == "absolute":
        build(path, [_entry("manifest.json", manifest(good)), _entry("/tmp/evil.yaml", body)])
    elif kind == "symlink":
        build(path, [_entry("manifest.json", manifest(good)), _entry("decks/course.yaml", b"/etc/passwd", stat.S_IFLNK | 0o777)])
    elif kind == "duplicate":
        build(path, [_entry("manifest.json", manifest(good)), _entry("decks/course.yaml", body), _entry("decks/course.yaml", body)])
    elif kind == "zip-bomb":
        bomb = b" " * (8 * 1024 * 1024)
        build(path, [_entry("manifest.json", manifest({"decks/course.yaml": bomb})), _entry("decks/course.yaml", bomb)])
    elif kind == "lying-header":
        # The central directory claims 1,000 bytes; the stream holds 300,000 (ratio looks harmless from the header).
        big = b"a" * 300_000
        build(path, [_entry("manifest.json", manifest({"decks/course.yaml": big[:1000]})), _entry("decks/course.yaml", big)])
        raw = bytearray(path.read_bytes())
        central = raw.find(b"PK\x01\x02", raw.find(b"PK\x01\x02") + 4)  # the second central entry
        raw[central + 24 : central + 28] = (1000).to_bytes(4, "little")
        path.write_bytes(bytes(raw))
    elif kind == "unlisted":
        build(path, [_entry("manifest.json", manifest(good)), _entry("decks/course.yaml", body), _entry("decks/extra.yaml", body)])
    elif kind == "missing-file":
        build(path, [_entry("manifest.json", manifest(good | {"paths/p.yaml": b"x"})), _entry("decks/course.yaml", body)])
    elif kind == "no-manifest":
        build(path, [_entry("decks/course.yaml", body)])
    elif kind == "bad-manifest":
        build(path, [_entry("manifest.json", b"{not json"), _entry("decks/course.yaml", body)])
    elif kind == "manifest-traversal-name":
        build(path, [_entry("manifest.json", manifest({"decks/../x.yaml": body})), _entry("decks/course.yaml", body)])
    elif kind == "newer-format":
        build(path, [_entry("manifest.json", manifest(good, format_version=99)), _entry("decks/course.yaml", body)])
    elif kind == "manifest-mismatch":
        build(path, [_entry("manifest.json", manifest(good, version=7)), _entry("decks/course.yaml", body)])
    else:  # pragma: no cover
        raise AssertionError(kind)
    return path


HOSTILE = {
    "not-a-zip": "not a zip file, or damaged",
    "truncated": "not a zip file, or damaged",
    "corrupt-data": "is damaged",
    "wrong-checksum": "checksum mismatch for 'decks/course.yaml'",
    "traversal": "path traversal",
    "absolute": "absolute path",
    "symlink": "symbolic links are not allowed",
    "duplicate": "duplicate entry 'decks/course.yaml'",
    "zip-bomb": "zip bomb",
    "lying-header": "'decks/course.yaml'",
    "unlisted": "'decks/extra.yaml' is not listed in the manifest",
    "missing-file": "the manifest lists 'paths/p.yaml' but the bundle does not contain it",
    "no-manifest": "no manifest.json",
    "bad-manifest": "manifest.json is not valid JSON",
    "manifest-traversal-name": "bad file name 'decks/../x.yaml'",
    "newer-format": "made by a newer cxotutor",
    "manifest-mismatch": "manifest.json says course 7",
}


@pytest.mark.parametrize("kind", sorted(HOSTILE))
def test_hostile_bundles_are_refused_in_one_line_and_change_nothing(db, tmp_path, kind):
    bundle = hostile(kind, tmp_path / f"{kind}.cxodeck")
    before = fingerprint(db)
    line = one_line_error(invoke("--db", db, "deck", "install", bundle))
    assert line.startswith(f"cxotutor: {bundle.name}") and HOSTILE[kind] in line, line
    assert fingerprint(db) == before
    assert "course" not in decks(db)
    assert sorted(p.name for p in tmp_path.iterdir() if p.suffix != ".db" and not p.name.startswith("cli.db")) == [bundle.name]


def test_total_size_limit_is_checked(db, tmp_path, monkeypatch):
    import cxotutor.bundle as bundle

    monkeypatch.setattr(bundle, "BUNDLE_LIMITS", bundle.ZipLimits(total_bytes=1000))
    good = pack(course_v1(tmp_path), tmp_path / "course.cxodeck")
    assert "too large" in one_line_error(invoke("--db", db, "deck", "install", good))


def test_size_is_enforced_while_reading_not_only_from_headers(tmp_path):
    """A stream that outgrows its header is stopped by the reader itself."""
    from cxotutor.bundle import BundleError, SafeZip, ZipLimits

    path = build(tmp_path / "x.zip", [_entry("decks/a.yaml", b"b" * 300_000)])
    raw = bytearray(path.read_bytes())
    central = raw.find(b"PK\x01\x02")
    raw[central + 24 : central + 28] = (1000).to_bytes(4, "little")
    path.write_bytes(bytes(raw))
    with SafeZip(path, ZipLimits()) as archive:
        assert archive.members["decks/a.yaml"].file_size == 1000
        with pytest.raises(BundleError, match="decks/a.yaml"):
            archive.read("decks/a.yaml")


def test_content_problems_in_a_bundle_name_the_member(db, tmp_path):
    body = b"id: course\nversion: 1\ncards: [\n"
    bundle = build(tmp_path / "broken.cxodeck", [_entry("manifest.json", manifest({"decks/course.yaml": body})),
                                                   _entry("decks/course.yaml", body)])
    before = fingerprint(db)
    result = invoke("--db", db, "deck", "install", bundle)
    assert result.exit_code == 1 and result.stderr.startswith("broken.cxodeck:decks/course.yaml:")
    assert fingerprint(db) == before


def test_bundle_reader_never_writes_to_disk(tmp_path, monkeypatch):
    import builtins

    from cxotutor.bundle import read_bundle

    good = pack(course_v1(tmp_path), tmp_path / "course.cxodeck")
    real_open = builtins.open

    def guarded(file, mode="r", *args, **kwargs):
        assert not any(flag in mode for flag in "wax+"), f"wrote {file}"
        return real_open(file, mode, *args, **kwargs)

    monkeypatch.setattr(builtins, "open", guarded)
    bundle = read_bundle(good)
    assert list(bundle.files) == ["decks/course.yaml"]
    assert bundle.content().decks[0][0].id == "course"
    assert isinstance(io.BytesIO(bundle.files["decks/course.yaml"]).read(), bytes)


def test_a_bundle_with_a_path_installs_both_and_updates_the_path(db, tmp_path):
    folder = tmp_path / "course"
    (folder / "paths").mkdir(parents=True)
    course_v1(folder)
    path_file = folder / "paths" / "course-path.yaml"
    text = ("id: course-path\nversion: {v}\ntitle: {{en: Course path}}\nrole: cto\nsteps:\n"
            "  - id: one\n    title: {{en: Step one}}\n    goal: {{en: {goal}}}\n    practice: {{decks: [course], tags: [architecture]}}\n")
    path_file.write_text(text.format(v=1, goal="Learn it"), encoding="utf-8")
    result = invoke("--db", db, "deck", "install", pack(folder, tmp_path / "c1.cxodeck"))
    assert result.stdout.splitlines() == ["course 1: installed, 3 cards", "path course-path 1: installed"]
    path_file.write_text(text.format(v=2, goal="Learn it well"), encoding="utf-8")
    # A path alone may practise a deck that is already installed.
    result = invoke("--db", db, "deck", "install", path_file)
    assert result.exit_code == 0 and result.stdout.strip() == "path course-path 1 → 2: updated"
    path_file.write_text(text.format(v=1, goal="Learn it"), encoding="utf-8")
    assert "older than the installed version 2" in one_line_error(invoke("--db", db, "deck", "install", path_file))
