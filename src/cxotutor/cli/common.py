"""What every command shares: options, opening the tutor, and one-line user errors."""

from __future__ import annotations

import functools
import sys
from dataclasses import dataclass
from typing import Callable, TypeVar

import typer

F = TypeVar("F", bound=Callable)


@dataclass
class Options:
    db: str | None = None
    learner: str | None = None


def fail(message: str, code: int = 1) -> typer.Exit:
    """Print ``cxotutor: message`` on stderr and return the Exit to raise."""
    typer.echo(f"cxotutor: {message}", err=True)
    return typer.Exit(code)


def report_user_error(error: BaseException) -> int | None:
    """Print one clear line (per problem) for an error a user can cause and return the exit
    code; None for anything else, which is a bug and keeps its traceback."""
    from cxotutor.content import ContentError
    from cxotutor.store import StoreError

    if isinstance(error, ContentError):
        for problem in error.problems:
            typer.echo(str(problem).removeprefix(": "), err=True)
        return 1
    if isinstance(error, StoreError):
        typer.echo(f"cxotutor: {error}", err=True)
        return 1
    if isinstance(error, (ValueError, KeyError, OSError)):
        message = error.args[0] if isinstance(error, KeyError) and error.args else str(error)
        if isinstance(error, OSError) and error.strerror:
            message = f"{error.filename or ''}: {error.strerror}".lstrip(": ")
        typer.echo(f"cxotutor: {message}", err=True)
        return 1
    if isinstance(error, KeyboardInterrupt):
        return 130
    return None


def guard(func: F) -> F:
    """Turn the errors a user can cause into one line on stderr and exit 1 (never a traceback)."""

    @functools.wraps(func)
    def wrapper(*args, **kwargs):
        try:
            return func(*args, **kwargs)
        except (Exception, KeyboardInterrupt) as exc:
            code = report_user_error(exc)
            if code is None:
                raise
            raise typer.Exit(code) from None

    return wrapper  # type: ignore[return-value]


def open_tutor(ctx: typer.Context, sync: bool = True):
    from cxotutor.tutor import Tutor

    options: Options = ctx.obj or Options()
    return Tutor.open(db=options.db, learner=options.learner, sync=sync)


def echo_json(data) -> None:
    import json

    sys.stdout.write(json.dumps(data, ensure_ascii=False, indent=2, default=str) + "\n")
