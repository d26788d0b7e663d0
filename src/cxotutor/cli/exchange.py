"""``cxotutor export``, ``cxotutor import-progress`` and ``cxotutor cohort report``."""

from __future__ import annotations

import os
import sys
from contextlib import contextmanager
from pathlib import Path

import typer

from cxotutor.cli.common import Options, fail, guard

FORMATS = ("json", "csv", "md", "html")
DEFAULT_HTML = "cxotutor-report.html"

cohort_app = typer.Typer(help="Reports across a class, from learners' JSON exports.", no_args_is_help=True, rich_markup_mode=None)


def register(app: typer.Typer) -> None:
    app.command("export")(export)
    app.command("import-progress")(import_progress)
    app.add_typer(cohort_app, name="cohort")


def _open_store(ctx: typer.Context):
    from cxotutor.locations import default_database
    from cxotutor.store import open_store

    options: Options = ctx.obj or Options()
    return open_store(options.db or os.environ.get("CXOTUTOR_DB") or default_database())


def _learner(ctx: typer.Context, given: str | None) -> str | None:
    options: Options = ctx.obj or Options()
    return given or options.learner or os.environ.get("CXOTUTOR_LEARNER")


@contextmanager
def _output(out: Path | None, binary: bool = False):
    """stdout, or a file written beside its final name and moved into place only when complete."""
    if out is None:
        try:
            yield sys.stdout
            sys.stdout.flush()
        except BrokenPipeError:
            # The reader went away (`| head`): stop quietly, as other command-line tools do.
            os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
            raise typer.Exit(0) from None
        return
    import tempfile

    out = out.expanduser()
    if out.is_dir():
        raise ValueError(f"{out} is a folder; give a file name")
    folder = out.parent if str(out.parent) else Path(".")
    fd, tmp = tempfile.mkstemp(prefix=f".{out.name}.", dir=folder)
    try:
        with os.fdopen(fd, "w", encoding="utf-8", newline="") as handle:
            yield handle
        _umask_mode(tmp)
        os.replace(tmp, out)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def _umask_mode(path: str) -> None:
    """mkstemp makes 0600 files; give the export the mode any new file would get."""
    mask = os.umask(0)
    os.umask(mask)
    os.chmod(path, 0o666 & ~mask)


@guard
def export(
    ctx: typer.Context,
    fmt: str = typer.Option("json", "--format", "-f", help="json | csv | md | html"),
    out: Path = typer.Option(None, "--out", "-o", help="File to write (default: stdout; html: cxotutor-report.html)."),
    learner: str = typer.Option(None, "--learner", help="Whose progress (default: --learner before the command, or 'local')."),
) -> None:
    """Export a learner's progress: json (everything, for import-progress and cohort reports),
    csv (the review log), md (a readable report) or html (a self-contained report with charts)."""
    from cxotutor.tutor import DEFAULT_LEARNER

    fmt = fmt.lower()
    if fmt not in FORMATS:
        raise fail(f"unknown format {fmt!r}; use one of {', '.join(FORMATS)}")
    name = _learner(ctx, learner) or DEFAULT_LEARNER
    if fmt == "html" and out is None:
        out = Path(DEFAULT_HTML)
    store = _open_store(ctx)
    try:
        if fmt == "csv":
            from cxotutor.export import write_csv

            with _output(out) as handle:
                rows = write_csv(store, name, handle, workers=min(2, os.cpu_count() or 1))
        elif fmt == "json":
            from cxotutor.export import write_json

            with _output(out) as handle:
                rows = write_json(store, name, handle)
        else:
            from cxotutor.export.document import collect
            from cxotutor.export.summary import summarize

            summary = summarize(collect(store, name))
            rows = summary.total_reviews
            if fmt == "md":
                from cxotutor.export.report import markdown

                text = markdown(summary)
            else:
                from cxotutor.export.html import html_report

                text = html_report(summary)
            with _output(out) as handle:
                handle.write(text)
    finally:
        store.dispose()
    if out is not None:
        typer.echo(f"wrote {out} ({rows} review(s), learner {name})", err=True)


@guard
def import_progress(
    ctx: typer.Context,
    file: Path = typer.Argument(..., help="A JSON file made by `cxotutor export --format json`."),
    learner: str = typer.Option(None, "--learner", help="Import into this learner (default: the learner named in the file)."),
) -> None:
    """Restore or merge progress from a JSON export. Safe to repeat: known reviews are skipped."""
    from cxotutor.export import import_progress as merge
    from cxotutor.export import read_document
    from cxotutor.library import sync_bundled

    doc = read_document(file)  # checked completely before the database is touched
    store = _open_store(ctx)
    try:
        sync_bundled(store)  # a new machine needs the bundled decks before their progress can land
        summary = merge(store, doc, _learner(ctx, learner))
    finally:
        store.dispose()
    typer.echo(str(summary))


@cohort_app.command("report")
@guard
def cohort_report(
    ctx: typer.Context,
    exports: list[Path] = typer.Argument(None, help="Learners' JSON exports (files or folders of *.json)."),
    out: Path = typer.Option(..., "--out", "-o", help="class.html or class.csv (the csv also writes NAME-cards.csv)."),
    db: str = typer.Option(None, "--db", help="Read every learner from this database (e.g. a class database) instead of export files."),
) -> None:
    """One row per learner and a per-card / per-key-point mastery table, highlighting what most learners miss."""
    from cxotutor.cohort import build_cohort, class_parts, cohort_cards_csv, cohort_html, cohort_learners_csv, load_exports

    suffix = out.suffix.lower()
    if suffix not in (".html", ".htm", ".csv"):
        raise fail("--out must end in .html or .csv")
    if bool(exports) == bool(db):
        raise fail("give learners' export files, or --db URL (not both)")
    if db:
        from cxotutor.store import open_store

        store = open_store(db)
        try:
            cohort = build_cohort(class_parts(store))
        finally:
            store.dispose()
    else:
        cohort = build_cohort(load_exports(exports))
    if suffix == ".csv":
        cards = out.with_name(f"{out.stem}-cards.csv")
        with _output(out) as handle:
            cohort_learners_csv(cohort, handle)
        with _output(cards) as handle:
            cohort_cards_csv(cohort, handle)
        typer.echo(f"wrote {out} ({len(cohort.learners)} learner(s)) and {cards} ({len(cohort.cards)} card(s))", err=True)
    else:
        with _output(out) as handle:
            handle.write(cohort_html(cohort))
        typer.echo(f"wrote {out} ({len(cohort.learners)} learner(s))", err=True)
