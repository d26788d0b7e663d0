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


# -- authoring and distribution (docs/instructors.md) -------------------------------------


@app.command("new")
@guard
def new(
    deck_id: str = typer.Argument(..., help="The new deck's id (lowercase letters, digits, '-')."),
    out: Path = typer.Option(None, "--out", "-o", help="File to write (default: ID.yaml)."),
    role: str = typer.Option("general", "--role", help="cio | cto | caio | ciso | general"),
    languages: str = typer.Option("ja,en", "--languages", help="ja, en or ja,en"),
    title: str = typer.Option(None, "--title", help="Deck title."),
    author: str = typer.Option(None, "--author", help="Your name, shown to learners."),
    force: bool = typer.Option(False, "--force", help="Overwrite an existing file."),
) -> None:
    """Write a commented starter deck that passes `cxotutor deck validate` as it is."""
    from cxotutor.scaffold import new_deck

    target = out or Path(f"{deck_id}.yaml")
    text = new_deck(deck_id, role=role, languages=tuple(l.strip() for l in languages.split(",") if l.strip()),
                    title=title, author=author, file=str(target))
    if target.exists() and not force:
        raise fail(f"{target} exists; use --force to overwrite it")
    target.write_text(text, encoding="utf-8")
    typer.echo(f"wrote {target}: edit it, then run `cxotutor deck validate {target}`")


@app.command("pack")
@guard
def pack(
    targets: list[Path] = typer.Argument(..., help="Deck/path files, or a folder (its *.yaml, decks/ and paths/)."),
    out: Path = typer.Option(..., "--out", "-o", help="The bundle to write, NAME.cxodeck."),
    self_test: bool = typer.Option(True, "--self-test/--no-self-test", help="Score each model answer against its own key points."),
) -> None:
    """Validate decks and paths and pack them into a .cxodeck bundle with a checksummed manifest."""
    from cxotutor.bundle import SUFFIX, pack as pack_bundle

    if out.suffix != SUFFIX:
        raise fail(f"the bundle name must end in {SUFFIX}")
    manifest = pack_bundle(targets, out, self_test=self_test)
    contents = ", ".join([f"{d['id']} {d['version']} ({d['cards']} cards)" for d in manifest.decks]
                         + [f"path {p['id']} {p['version']}" for p in manifest.paths])
    typer.echo(f"wrote {out}: {contents}")


@app.command("install")
@guard
def install(
    ctx: typer.Context,
    target: Path = typer.Argument(..., help="A .cxodeck bundle, a deck/path .yaml file, or a folder of them."),
    force: bool = typer.Option(False, "--force", help="Install even an older version, or the same version with other content."),
) -> None:
    """Install or update decks; learners keep their progress on every card whose id remains."""
    from cxotutor.bundle import install_content, load_for_install

    tutor = open_tutor(ctx)
    try:
        content, hashes = load_for_install(tutor.store, target)
        lines = install_content(tutor.store, content, hashes, force=force)
    finally:
        tutor.close()
    for line in lines:
        typer.echo(line)


@app.command("remove")
@guard
def remove(
    ctx: typer.Context,
    deck_id: str = typer.Argument(..., help="The deck id (see `cxotutor deck list`)."),
    yes: bool = typer.Option(False, "--yes", "-y", help="Do not ask."),
    purge: bool = typer.Option(False, "--purge", help="Also delete every learner's history of the deck."),
) -> None:
    """Remove a deck from the queues (its history is kept unless --purge)."""
    from cxotutor.bundle import remove_deck

    if not yes:
        what = "remove it AND DELETE all its review history" if purge else "remove it (history is kept)"
        if not typer.confirm(f"Deck {deck_id}: {what}?", default=False):
            raise fail("nothing removed")
    tutor = open_tutor(ctx)
    try:
        line = remove_deck(tutor.store, deck_id, purge=purge)
    finally:
        tutor.close()
    typer.echo(line)


@app.command("export-anki")
@guard
def export_anki(
    ctx: typer.Context,
    deck: str = typer.Argument(..., help="An installed deck id, or a deck .yaml file."),
    out: Path = typer.Option(..., "--out", "-o", help="The Anki package to write, NAME.apkg."),
    lang: str = typer.Option("both", "--lang", help="ja, en or both."),
) -> None:
    """Export a deck for Anki; re-exporting after an edit updates the notes instead of duplicating them."""
    from cxotutor.anki import deck_from_store, export_anki as write_apkg
    from cxotutor.content import load_deck

    if out.suffix != ".apkg":
        raise fail("the package name must end in .apkg")
    candidate = Path(deck)
    if candidate.suffix in (".yaml", ".yml") or candidate.is_file():
        model = load_deck(candidate)
    else:
        tutor = open_tutor(ctx)
        try:
            model = deck_from_store(tutor.store, deck)
        finally:
            tutor.close()
    count = write_apkg(model, out, lang=lang)
    typer.echo(f"wrote {out}: {count} note(s) from {model.id} {model.version}")


@app.command("import-anki")
@guard
def import_anki(
    source: Path = typer.Argument(..., help="An Anki package (.apkg) or a \"Notes in Plain Text\" export (.txt)."),
    out: Path = typer.Option(..., "--out", "-o", help="The deck .yaml to write."),
    deck_id: str = typer.Option(None, "--id", help="Deck id (default: from the output file name)."),
    title: str = typer.Option(None, "--title", help="Deck title (default: the Anki deck's name)."),
    role: str = typer.Option("general", "--role", help="cio | cto | caio | ciso | general"),
    force: bool = typer.Option(False, "--force", help="Overwrite an existing file."),
) -> None:
    """Turn an Anki deck into a cxotutor deck: front → question, back → model answer, key points proposed."""
    from cxotutor.anki import import_anki as convert
    from cxotutor.content.selftest import self_test_problems

    if out.exists() and not force:
        raise fail(f"{out} exists; use --force to overwrite it")
    text, deck, skipped = convert(source, deck_id or out.stem.lower(), title=title, role=role)
    out.write_text(text, encoding="utf-8")
    from cxotutor.content import read_source

    weak = self_test_problems(deck, read_source(out))
    typer.echo(f"wrote {out}: {len(deck.cards)} card(s)" + (f", {len(skipped)} note(s) skipped" if skipped else ""))
    for line in skipped[:10]:
        typer.echo(f"  skipped {line}", err=True)
    if weak:
        typer.echo(f"{len(weak)} card(s) need their key points refined: run `cxotutor deck validate {out}`", err=True)
