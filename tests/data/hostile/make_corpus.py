"""Write the hostile deck corpus beside this script (run it to regenerate; the .yaml files are committed).

Each file is the same small valid deck with one thing wrong, so each should
produce exactly the problem the tests in tests/hardening/test_hostile_decks.py
expect, at the expected line and column. Several files hold invisible bytes
(BOM, NUL, ESC, U+202E, invalid UTF-8), which is why they are made by a script.
"""

from pathlib import Path

HERE = Path(__file__).parent
BASE = """id: hostile
version: 1
title: {ja: 敵対的なデッキ, en: Hostile deck}
role: cto
languages: [ja, en]
cards:
  - id: one
    question: {ja: 要点は何ですか？, en: What is the point?}
    key_points:
      - {id: k1, ja: 要点, en: the point}
    answer: {ja: 要点はこれです。, en: This is the point.}
"""


def write(name: str, data: str | bytes) -> None:
    (HERE / name).write_bytes(data if isinstance(data, bytes) else data.encode("utf-8"))


def change(old: str, new: str, base: str = BASE) -> str:
    assert old in base, old
    return base.replace(old, new, 1)


def main() -> None:
    # Must load: a byte-order mark alone, Windows line ends.
    write("ok-bom.yaml", "\ufeff" + BASE)
    write("ok-crlf.yaml", BASE.replace("\n", "\r\n"))
    # YAML syntax.
    write("syntax-unclosed-flow.yaml", change("en: Hostile deck}", "en: Hostile deck"))
    write("syntax-bad-indent.yaml", change("    key_points:\n", "   key_points:\n"))
    write("tab-indent.yaml", change("    key_points:\n      - ", "    key_points:\n\t- "))
    write("multi-document.yaml", BASE + "---\n" + BASE)
    write("surrogate-escape.yaml", change("en: What is the point?}", 'en: "What is \\ud800 the point?"}'))
    # Shape and types.
    write("wrong-types.yaml", change("version: 1", "version: one")
          .replace("languages: [ja, en]", "languages: ja")
          .replace("key_points:\n      - {id: k1, ja: 要点, en: the point}", "key_points: the point"))
    write("missing-fields.yaml", change("version: 1\n", "").replace("    answer: {ja: 要点はこれです。, en: This is the point.}\n", ""))
    write("unknown-field.yaml", change("    answer:", "    hint: {en: look closely}\n    answer:"))
    write("null-key.yaml", change("    answer:", "    null: nothing\n    answer:"))
    write("non-string-id.yaml", change("  - id: one", "  - id: 123"))
    write("huge-number.yaml", change("version: 1", "version: 1" + "0" * 5000))
    write("timestamp-value.yaml", change("version: 1", "version: 2001-12-14"))
    write("too-long-text.yaml", change("en: This is the point.", "en: This is the point. " + "long " * 4100))
    write("top-level-list.yaml", "- id: hostile\n- version: 1\n")
    write("top-level-scalar.yaml", "just some text\n")
    write("empty.yaml", "")
    write("comments-only.yaml", "# nothing here\n# at all\n")
    write("bom-only.yaml", "\ufeff")
    # Duplicates.
    write("duplicate-card-ids.yaml", BASE + BASE.split("cards:\n")[1])
    write("duplicate-keys.yaml", change("    answer:", "    question: {ja: 二つ目, en: A second question}\n    answer:"))
    # Expansion and nesting.
    laughs = "lol0: &a0 [lol, lol, lol, lol, lol, lol, lol, lol, lol, lol]\n"
    for i in range(1, 10):
        laughs += f"lol{i}: &a{i} [" + ", ".join([f"*a{i - 1}"] * 10) + "]\n"
    write("billion-laughs.yaml", BASE + laughs)
    write("recursive-alias.yaml", change("    key_points:\n      - {id: k1, ja: 要点, en: the point}", "    key_points: &kp\n      - *kp"))
    write("deep-nesting.yaml", change("role: cto", "role: cto\nextra: " + "[" * 60 + "]" * 60))
    # Tags: code execution, includes, binary.
    write("python-object-tag.yaml", change("version: 1", "version: !!python/object/apply:os.system ['echo pwned > cxotutor-pwned']"))
    write("python-name-tag.yaml", change("role: cto", "role: !!python/name:os.system"))
    write("custom-tag.yaml", change("    answer:", "    answer: !include ../../../etc/passwd\n    answer_again:"))
    write("binary-tag.yaml", change("role: cto", "role: !!binary Y3Rv"))
    write("merge-key.yaml", change("cards:\n", "defaults: &d {ja: 既定, en: default}\ncards:\n")
          .replace("    question: {ja: 要点は何ですか？, en: What is the point?}", "    question:\n      <<: *d"))
    # Encodings and characters.
    write("invalid-utf8.yaml", BASE.encode().replace(b"What is the point?", b"What is the \xff\xfe point?"))
    write("utf16.yaml", BASE.encode("utf-16"))
    write("nul-byte.yaml", change("What is the point?", "What is\x00 the point?"))
    write("control-char-raw.yaml", change("What is the point?", "What is \x1b[2J the point?"))
    write("control-char-escaped.yaml", change("en: What is the point?}", 'en: "What is \\e[31m the point?"}'))
    write("rtl-override.yaml", change("en: What is the point?", "en: What is the \u202etniop?"))
    write("rtl-override-in-id.yaml", change("  - id: one", "  - id: \u202eeno"))
    write("homoglyph-id.yaml", change("  - id: one", "  - id: \u043ene"))


if __name__ == "__main__":
    main()
