"""``cxotutor class init|status``: run a shared class database (PostgreSQL or SQLite)."""

from __future__ import annotations

import typer

from cxotutor.cli.common import Options, echo_json, fail, guard

app = typer.Typer(help="Class mode: one shared database for a bootcamp.", no_args_is_help=True, rich_markup_mode=None)


def _url(ctx: typer.Context, db: str | None) -> str:
    options: Options = ctx.obj or Options()
    url = db or options.db
    if not url:
        raise fail("give the class database with --db URL (e.g. postgresql+psycopg://instructor@host/class)")
    return url


@app.command("init")
@guard
def init(ctx: typer.Context, db: str = typer.Option(None, "--db", help="Class database URL.")) -> None:
    """Create (or upgrade) the schema and install the bundled decks and paths."""
    from cxotutor.library import sync_bundled
    from cxotutor.store import open_store

    store = open_store(_url(ctx, db))
    try:
        summaries = sync_bundled(store)
    finally:
        store.dispose()
    for summary in summaries:
        typer.echo(str(summary))
    typer.echo("class database ready")


@app.command("status")
@guard
def status(
    ctx: typer.Context,
    db: str = typer.Option(None, "--db", help="Class database URL."),
    as_json: bool = typer.Option(False, "--json", help="Print JSON."),
) -> None:
    """Who is active and how far along: one row per learner."""
    from cxotutor.classroom import class_status
    from cxotutor.store import open_store
    from cxotutor.tutor import utc_now

    store = open_store(_url(ctx, db))
    try:
        rows = class_status(store, utc_now())
    finally:
        store.dispose()
    if as_json:
        echo_json([row.__dict__ for row in rows])
        return
    from rich.console import Console
    from rich.table import Table
    from rich.text import Text

    table = Table("learner", "reviews", "last 7 days", "retention 30d", "learned", "steps done", "last active")
    for row in rows:
        retention = f"{row.retention_30d:.0%}" if row.retention_30d is not None else "–"
        last = row.last_active.strftime("%Y-%m-%d %H:%M") if row.last_active else "never"
        table.add_row(Text(row.name), str(row.reviews), str(row.reviews_7d), retention, str(row.learned), str(row.steps_done), last)
    Console().print(table)
