"""``cxotutor deck ...``: list and validate decks."""

from __future__ import annotations

from pathlib import Path

import typer

from cxotutor.cli.common import echo_json, fail, guard, open_tutor

app = typer.Typer(help="List, validate and manage decks.", no_args_is_help=True, rich_markup_mode=None)


@app.command("list")
@guard
def list_decks(ctx: typer.Context, as_json: bool = typer.Option(False, "--json", help="Print JSON.")) -> None:
    """List installed decks with their card, due and new counts."""
    tutor = open_tutor(ctx)
    try:
        decks = tutor.decks()
        lang = tutor.settings.ui_language
    finally:
        tutor.close()
    if as_json:
        echo_json([
            {"id": d.id, "version": d.version, "title": {"ja": d.title_ja, "en": d.title_en}, "role": d.role,
             "cards": d.cards, "due": d.due, "new": d.new, "learned": d.learned, "origin": d.origin}
            for d in decks
        ])
        return
    from rich.console import Console
    from rich.table import Table
    from rich.text import Text

    table = Table("deck", "version", "role", "title", "cards", "due", "new", "learned")
    for d in decks:
        table.add_row(d.id, str(d.version), d.role, Text(d.title(lang)), str(d.cards), str(d.due), str(d.new), str(d.learned))
    Console().print(table)


@app.command("validate")
@guard
def validate(
    targets: list[Path] = typer.Argument(..., help="Deck/path files or folders."),
    self_test: bool = typer.Option(True, "--self-test/--no-self-test", help="Score each model answer against its own key points."),
) -> None:
    """Check deck and path files; print every problem as file:line:col: message."""
    from cxotutor.content import ContentSet, bundled_dir, load_files
    from cxotutor.content.selftest import self_test_problems

    missing = [str(t) for t in targets if not t.exists()]
    if missing:
        raise fail(f"no such file or folder: {', '.join(missing)}")
    content: ContentSet = load_files(targets, known_decks=_bundled_tags(bundled_dir("decks"), targets))
    problems = list(content.problems)
    if self_test:
        for deck, doc in content.decks:
            problems.extend(self_test_problems(deck, doc))
    if problems:
        for problem in problems:
            typer.echo(str(problem), err=True)
        typer.echo(f"{len(problems)} problem(s) found", err=True)
        raise typer.Exit(1)
    typer.echo(
        f"ok: {len(content.decks)} deck(s), {content.card_count} cards, {len(content.paths)} path(s)"
        f"{', self-test passed' if self_test and content.decks else ''}"
    )


def _bundled_tags(folder: Path, targets: list[Path]) -> dict[str, set[str]]:
    """Bundled decks a path may refer to, when they are not among the files being validated."""
    from cxotutor.content import load_files

    if not folder.is_dir() or any(t.resolve() == folder.resolve() for t in targets):
        return {}
    content = load_files([folder])
    return {deck.id: {tag for card in deck.cards for tag in card.tags} for deck, _ in content.decks}
