"""``cxotutor due`` and ``cxotutor stats``: what is waiting, and how it is going."""

from __future__ import annotations

import typer

from cxotutor.cli.common import echo_json, guard, open_tutor


def register(app: typer.Typer) -> None:
    app.command("due")(due)
    app.command("stats")(stats)


@guard
def due(ctx: typer.Context, as_json: bool = typer.Option(False, "--json", help="Print JSON.")) -> None:
    """Print due and new counts per role (for shell prompts and cron)."""
    tutor = open_tutor(ctx)
    try:
        decks = tutor.decks()
        today = tutor.today()
    finally:
        tutor.close()
    by_role: dict[str, list[int]] = {}
    for deck in decks:
        counts = by_role.setdefault(deck.role, [0, 0])
        counts[0] += deck.due
        counts[1] += deck.new
    new_cap = today.new_available
    if as_json:
        echo_json({"roles": {role: {"due": d, "new": n} for role, (d, n) in by_role.items()},
                   "due": today.due, "new_today": new_cap, "reviews_today": today.reviews})
        return
    for role, (d, n) in by_role.items():
        typer.echo(f"{role}: {d} due · {n} new")
    typer.echo(f"today: {today.due} due · {new_cap} new to learn · {today.reviews} reviewed")


@guard
def stats(ctx: typer.Context) -> None:
    """Per-deck progress and today's figures, as a table."""
    from rich.console import Console
    from rich.table import Table
    from rich.text import Text

    tutor = open_tutor(ctx)
    try:
        decks = tutor.decks()
        today = tutor.today()
        lang = tutor.settings.ui_language
    finally:
        tutor.close()
    table = Table("deck", "title", "cards", "learned", "due", "new", title="cxotutor progress")
    for d in decks:
        table.add_row(d.id, Text(d.title(lang)), str(d.cards), str(d.learned), str(d.due), str(d.new))
    console = Console()
    console.print(table)
    console.print(f"Today ({today.study_day}): {today.reviews} reviews · streak {today.streak} day(s) · {today.due} due")
