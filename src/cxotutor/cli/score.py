"""``cxotutor score``: score a typed answer (or a JSONL batch of them) against a card."""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import IO, Any, Iterator

import typer

from cxotutor.cli.common import fail, guard

RATING_NAMES = {1: "Again", 2: "Hard", 3: "Good", 4: "Easy"}


def register(app: typer.Typer) -> None:
    """Add the ``score`` command to ``app``."""
    app.command("score")(score)


@guard
def score(
    deck: str = typer.Option(..., "--deck", help="Deck id (bundled) or path to a deck .yaml file."),
    card: str = typer.Option(None, "--card", help="Card id within the deck."),
    answer: str = typer.Option(None, "--answer", help="The answer text."),
    answer_file: Path = typer.Option(None, "--answer-file", help="Read the answer from this file ('-' for stdin)."),
    lang: str = typer.Option(None, "--lang", help="Language of the key-point labels: ja or en (default: the answer's)."),
    as_json: bool = typer.Option(False, "--json", help="Print JSON: score, rating, points."),
    batch: Path = typer.Option(None, "--batch", help="Score a JSONL file of {\"card\", \"answer\"} lines ('-' for stdin)."),
    out: Path = typer.Option(None, "--out", help="Batch results go to this file (default: stdout)."),
) -> None:
    """Score an answer: which key points it covers, and a suggested rating (1-4).

    The answer comes from --answer, --answer-file or standard input.  Both the
    Japanese and the English key texts (and aliases) count, whatever the language.
    """
    if lang is not None and lang not in ("ja", "en"):
        raise fail(f"--lang must be ja or en, not {lang!r}")
    if batch is not None:
        if card is not None or answer is not None or answer_file is not None:
            raise fail("--batch reads card ids and answers from the file: drop --card/--answer/--answer-file")
        from cxotutor.content import resolve_deck

        bad = _run_batch(resolve_deck(deck), batch, out)
        if bad:
            raise typer.Exit(1)
        return
    if out is not None:
        raise fail("--out is for --batch; single answers print to stdout")
    if card is None:
        raise fail("give --card CARD_ID (or --batch IN.jsonl)")
    if answer is not None and answer_file is not None:
        raise fail("give either --answer or --answer-file, not both")
    text = answer if answer is not None else _read_answer(answer_file)

    from cxotutor.content import resolve_deck
    from cxotutor.scoring import score_answer

    the_deck = resolve_deck(deck)
    the_card = _find_card(the_deck, card)
    result = score_answer(text, the_card.key_points)
    if as_json:
        sys.stdout.write(json.dumps(result.to_dict(), ensure_ascii=False, indent=2) + "\n")
        return
    _print_human(the_card, result, lang or _guess_lang(text))


# --- single answer -------------------------------------------------------------------


def _read_answer(path: Path | None) -> str:
    if path is None or str(path) == "-":
        if path is None and sys.stdin.isatty():
            raise fail("give the answer with --answer TEXT, --answer-file FILE, or on standard input")
        data = sys.stdin.buffer.read() if hasattr(sys.stdin, "buffer") else sys.stdin.read()
        name = "standard input"
    else:
        try:
            data = path.read_bytes()
        except OSError as exc:
            raise fail(f"{path}: {exc.strerror or exc}") from None
        name = str(path)
    if isinstance(data, str):
        return data
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise fail(f"{name}: not UTF-8 text") from None


def _find_card(deck: Any, card_id: str) -> Any:
    for item in deck.cards:
        if item.id == card_id:
            return item
    ids = [item.id for item in deck.cards]
    shown = ", ".join(ids[:8]) + (", …" if len(ids) > 8 else "")
    raise fail(f"no card {card_id!r} in deck {deck.id!r} (cards: {shown})")


def _guess_lang(text: str) -> str:
    japanese = sum(1 for ch in text if "\u3040" <= ch <= "\u30ff" or "\u4e00" <= ch <= "\u9fff")
    latin = sum(1 for ch in text if ch.isascii() and ch.isalpha())
    return "ja" if japanese * 3 >= latin and japanese else "en"


def _label(point: Any, lang: str) -> str:
    other = "en" if lang == "ja" else "ja"
    return getattr(point, lang, None) or getattr(point, other, None) or point.id


def _print_human(card: Any, result: Any, lang: str) -> None:
    from rich.console import Console
    from rich.table import Table
    from rich.text import Text

    console = Console(highlight=False)
    question = card.question.get(lang) if hasattr(card.question, "get") else ""
    if question:
        console.print(Text(question, style="bold"))
    styles = {"hit": "green", "partial": "yellow", "miss": "red"}
    marks = {"hit": "✔ hit", "partial": "～ partial", "miss": "✘ miss"}
    table = Table("key point", "status", "score", "evidence", show_lines=False)
    by_id = {p.id: p for p in card.key_points}
    for point in result.points:
        evidence = point.evidence.text.replace("\n", " ") if point.evidence else "—"
        table.add_row(
            Text(_label(by_id[point.id], lang)),
            Text(marks[point.status], style=styles[point.status]),
            str(point.score),
            Text(evidence),
        )
    console.print(table)
    console.print(f"Score {result.score}/100 · suggested rating {result.rating} {RATING_NAMES[result.rating]}")


# --- batch ---------------------------------------------------------------------------


def _lines(path: Path) -> Iterator[tuple[int, bytes]]:
    if str(path) == "-":
        stream: IO[bytes] = sys.stdin.buffer
        yield from enumerate(stream, start=1)
        return
    try:
        stream = path.open("rb")
    except OSError as exc:
        raise fail(f"{path}: {exc.strerror or exc}") from None
    with stream:
        yield from enumerate(stream, start=1)


def _run_batch(deck: Any, source: Path, out: Path | None) -> int:
    """Score every line; report bad lines on stderr; return how many were bad."""
    from cxotutor.scoring import compile_key_points, score_compiled

    cards = {card.id: card for card in deck.cards}
    compiled: dict[str, Any] = {}
    name = "<stdin>" if str(source) == "-" else str(source)
    bad = 0
    if out is None:
        sink: IO[str] = sys.stdout
        close = False
    else:
        try:
            sink = out.open("w", encoding="utf-8")
        except OSError as exc:
            raise fail(f"{out}: {exc.strerror or exc}") from None
        close = True
    try:
        for number, raw in _lines(source):
            if not raw.strip():
                continue
            try:
                record = _parse(raw, number == 1)
                card_id = record["card"]
                if card_id not in cards:
                    raise ValueError(f"no card {card_id!r} in deck {deck.id!r}")
            except ValueError as exc:
                bad += 1
                typer.echo(f"{name}:{number}: {exc}", err=True)
                continue
            card = compiled.get(card_id)
            if card is None:
                card = compiled[card_id] = compile_key_points(cards[card_id].key_points)
            result = score_compiled(record["answer"], card).to_dict()
            extra = {k: v for k, v in record.items() if k not in ("card", "answer") and k not in result}
            sink.write(json.dumps({"card": card_id, **extra, **result}, ensure_ascii=False) + "\n")
    finally:
        if close:
            sink.close()
        else:
            sink.flush()
    if bad:
        typer.echo(f"cxotutor: {bad} bad line(s) in {name}", err=True)
    return bad


def _parse(raw: bytes, first: bool) -> dict[str, Any]:
    try:
        text = raw.decode("utf-8-sig" if first else "utf-8")
    except UnicodeDecodeError:
        raise ValueError("not UTF-8 text") from None
    try:
        record = json.loads(text)
    except json.JSONDecodeError as exc:
        raise ValueError(f"not valid JSON ({exc.msg} at column {exc.colno})") from None
    except RecursionError:
        raise ValueError("not valid JSON (nested too deeply)") from None
    if not isinstance(record, dict):
        raise ValueError('expected a JSON object {"card": ID, "answer": TEXT}')
    if not isinstance(record.get("card"), str):
        raise ValueError('"card" must be a string (the card id)')
    if not isinstance(record.get("answer"), str):
        raise ValueError('"answer" must be a string')
    return record
