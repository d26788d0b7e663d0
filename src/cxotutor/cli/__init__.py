"""The ``cxotutor`` command: the TUI by default, and subcommands for scripts and authors.

Imports stay inside commands so ``cxotutor --version`` and first paint of the
TUI do not pay for what they do not use.
"""

from __future__ import annotations

import typer

from cxotutor import __version__
from cxotutor.cli.common import Options, guard, open_tutor

app = typer.Typer(
    name="cxotutor",
    help="Practise for CIO, CTO, CAIO and CISO interviews: spaced repetition, scored answers, learning paths.",
    invoke_without_command=True,
    no_args_is_help=False,
    pretty_exceptions_enable=False,
    add_completion=False,
    rich_markup_mode=None,
)


def _version(value: bool) -> None:
    if value:
        typer.echo(f"cxotutor {__version__}")
        raise typer.Exit()


@app.callback()
def root(
    ctx: typer.Context,
    db: str = typer.Option(None, "--db", envvar="CXOTUTOR_DB", help="Database file or URL (default: your data folder)."),
    learner: str = typer.Option(None, "--learner", envvar="CXOTUTOR_LEARNER", help="Learner name (default: local)."),
    version: bool = typer.Option(False, "--version", callback=_version, is_eager=True, help="Show the version and exit."),
) -> None:
    """Open the tutor (no command), or run one of the commands below."""
    ctx.obj = Options(db=db, learner=learner)
    if ctx.invoked_subcommand is None:
        _run_tui(ctx.obj)


@guard
def _run_tui(options: Options) -> None:
    from cxotutor.tui.app import run

    run(db=options.db, learner=options.learner)


def _register() -> None:
    from cxotutor.cli import classroom, deck, exchange, score, study

    app.add_typer(deck.app, name="deck")
    app.add_typer(classroom.app, name="class")
    study.register(app)
    score.register(app)
    exchange.register(app)


_register()


def main() -> None:
    app(prog_name="cxotutor")
