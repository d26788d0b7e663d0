"""The ``cxotutor`` command's entry point: straight to the TUI when no subcommand is given.

Typer and the command modules take about 60 ms to import on a 2-core machine (issue 7),
so ``cxotutor``, ``cxotutor --db FILE`` and ``cxotutor --learner NAME`` start the TUI
without them; anything else (a subcommand, ``--help``, ``--version``, a typo) goes to
the Typer app in ``cxotutor.cli``, which parses and reports it.
"""

from __future__ import annotations

import os
import sys

from cxotutor import startup

TUI_OPTIONS = {"--db": "CXOTUTOR_DB", "--learner": "CXOTUTOR_LEARNER"}


def tui_options(argv: list[str]) -> dict[str, str | None] | None:
    """``{"db": …, "learner": …}`` when ``argv`` only opens the TUI; None for anything else."""
    given: dict[str, str] = {}
    args = iter(argv)
    for arg in args:
        name, equals, value = arg.partition("=")
        if name not in TUI_OPTIONS or name in given:
            return None
        if not equals:
            value = next(args, None)
            if value is None or value.startswith("-"):
                return None  # let Typer word the error
        given[name] = value
    return {name.removeprefix("--"): given.get(name) or os.environ.get(env) or None for name, env in TUI_OPTIONS.items()}


def main() -> None:
    options = tui_options(sys.argv[1:])
    if options is None:
        from cxotutor.cli import main as cli_main

        cli_main()
        return
    startup.pause_collector()  # until the home screen is up (the app resumes it)
    from cxotutor.tui.app import run

    try:
        run(db=options["db"], learner=options["learner"])
    except (Exception, KeyboardInterrupt) as error:
        from cxotutor.cli.common import report_user_error  # Typer only on the way out

        code = report_user_error(error)
        if code is None:
            raise
        sys.exit(code)
