"""Where the decks and paths that ship with cxotutor live."""

from __future__ import annotations

from pathlib import Path

_PACKAGE = Path(__file__).resolve().parent.parent


def bundled_dir(kind: str) -> Path:
    """``kind`` is "decks" or "paths": inside the wheel, or the repository root when editable."""
    packaged = _PACKAGE / "_bundled" / kind
    if packaged.is_dir():
        return packaged
    return _PACKAGE.parent.parent / kind


def bundled_files() -> list[Path]:
    """Every bundled deck file, then every bundled path file (paths refer to decks)."""
    files: list[Path] = []
    for kind in ("decks", "paths"):
        folder = bundled_dir(kind)
        if folder.is_dir():
            files.extend(sorted(folder.glob("*.yaml")))
    return files
