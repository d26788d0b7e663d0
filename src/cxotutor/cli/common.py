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


def guard(func: F) -> F:
    """Turn the errors a user can cause into one line on stderr and exit 1 (never a traceback)."""

    @functools.wraps(func)
    def wrapper(*args, **kwargs):
        from cxotutor.content import ContentError
        from cxotutor.store import StoreError

        try:
            return func(*args, **kwargs)
        except ContentError as exc:
            for problem in exc.problems:
                typer.echo(str(problem).removeprefix(": "), err=True)
            raise typer.Exit(1) from None
        except StoreError as exc:
            raise fail(str(exc)) from None
        except (ValueError, KeyError, OSError) as exc:
            message = exc.args[0] if isinstance(exc, KeyError) and exc.args else str(exc)
            if isinstance(exc, OSError) and exc.strerror:
                message = f"{exc.filename or ''}: {exc.strerror}".lstrip(": ")
            raise fail(str(message)) from None
        except KeyboardInterrupt:
            raise typer.Exit(130) from None

    return wrapper  # type: ignore[return-value]


def open_tutor(ctx: typer.Context, sync: bool = True):
    from cxotutor.tutor import Tutor

    options: Options = ctx.obj or Options()
    return Tutor.open(db=options.db, learner=options.learner, sync=sync)


def echo_json(data) -> None:
    import json

    sys.stdout.write(json.dumps(data, ensure_ascii=False, indent=2, default=str) + "\n")
