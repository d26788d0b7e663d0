"""Regenerate ``kanji_on.tsv`` from the Unicode Unihan database (a developer tool).

Not imported at run time.  Run with the Unihan files at hand, e.g. from Debian's
``unicode-data`` package::

    python -m cxotutor.scoring._make_readings /usr/share/unicode > src/cxotutor/scoring/kanji_on.tsv

The table keeps, for every kanji of JIS X 0208 and the Jōyō/Jinmeiyō lists, its
on'yomi in hiragana (at most three, in Unihan's order); kanji with no on'yomi keep
their first kun'yomi.  That is all the scorer needs to recognise compounds written
in kana (分散 ↔ ぶんさん); it is not a dictionary and is not meant to be one.
"""

from __future__ import annotations

import bz2
import re
import sys
from pathlib import Path

import jaconv

HEADER = """\
# kanji<TAB>readings (hiragana, space-separated): on'yomi used by cxotutor's scorer
# to match kana written for kanji.  Derived from the Unicode Han Database (Unihan,
# fields kJapaneseOn / kJapaneseKun) by cxotutor/scoring/_make_readings.py.
# Unicode data: Copyright © 1991-2022 Unicode, Inc.  Distributed under the terms of
# the Unicode License (https://www.unicode.org/license.txt): permission is granted,
# free of charge, to use, copy, modify, merge, publish, distribute and/or sell copies
# of the Data Files, provided this copyright and permission notice appear with them.
"""
MAX_READINGS = 3


def _open(folder: Path, name: str):
    plain = folder / name
    if plain.exists():
        return plain.open(encoding="utf-8")
    return bz2.open(folder / (name + ".bz2"), "rt", encoding="utf-8")


def _fields(folder: Path, name: str, wanted: set[str]) -> dict[str, dict[str, str]]:
    out: dict[str, dict[str, str]] = {}
    with _open(folder, name) as lines:
        for line in lines:
            if line.startswith("#") or not line.strip():
                continue
            code, field, value = line.rstrip("\n").split("\t", 2)
            if field in wanted:
                out.setdefault(chr(int(code[2:], 16)), {})[field] = value
    return out


def _kana(romaji: str) -> str | None:
    kana = jaconv.alphabet2kana(romaji.lower())
    return kana if re.fullmatch(r"[\u3041-\u3096]+", kana) else None


def build(folder: Path) -> list[str]:
    readings = _fields(folder, "Unihan_Readings.txt", {"kJapaneseOn", "kJapaneseKun"})
    others = _fields(folder, "Unihan_OtherMappings.txt", {"kJis0", "kJoyoKanji", "kJinmeiyoKanji"})
    rows = []
    for char in sorted(readings):
        if char not in others:
            continue
        fields = readings[char]
        source = fields.get("kJapaneseOn") or fields.get("kJapaneseKun", "").split(" ")[0]
        kana: list[str] = []
        for romaji in source.split():
            value = _kana(romaji)
            if value and value not in kana:
                kana.append(value)
        if kana:
            rows.append(f"{char}\t{' '.join(kana[:MAX_READINGS])}")
    return rows


def main(argv: list[str]) -> int:
    folder = Path(argv[1] if len(argv) > 1 else "/usr/share/unicode")
    sys.stdout.write(HEADER + "\n".join(build(folder)) + "\n")
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv))
