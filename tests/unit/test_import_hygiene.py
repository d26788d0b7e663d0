"""The core never imports Textual: another front end could replace the TUI."""

from __future__ import annotations

import os
import subprocess
import sys

CORE = [
    "cxotutor",
    "cxotutor.content",
    "cxotutor.scoring",
    "cxotutor.srs",
    "cxotutor.store",
    "cxotutor.progress",
    "cxotutor.tutor",
    "cxotutor.library",
    "cxotutor.queue",
    "cxotutor.settings",
    "cxotutor.cli",
]


def test_core_modules_do_not_load_textual():
    code = "import sys\n" + "".join(f"import {m}\n" for m in CORE) + "print('textual' in sys.modules)"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert out.strip() == "False"


def test_importing_the_package_is_cheap():
    code = "import sys, cxotutor; print(any(m.split('.')[0] in ('sqlalchemy', 'textual', 'yaml') for m in sys.modules))"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert out.strip() == "False"


def test_the_home_screens_figures_do_not_import_the_content_schema(tmp_path):
    """Opening an existing database and reading what home shows needs neither pydantic nor YAML:
    the content schema is for installing and validating decks (start-up time, issue 7)."""
    env = {**os.environ, "CXOTUTOR_HOME": str(tmp_path / "home")}
    db = tmp_path / "cxotutor.db"
    first_run = f"from cxotutor.tutor import Tutor; Tutor.open(db={str(db)!r}).close()"
    subprocess.run([sys.executable, "-c", first_run], env=env, check=True, timeout=120)
    home = (
        "import sys\n"
        "from cxotutor import learning, progress\n"
        "from cxotutor.tutor import Tutor\n"
        f"tutor = Tutor.open(db={str(db)!r})\n"
        "tutor.overview(); progress.heatmap(tutor); paths = learning.list_paths(tutor)\n"
        "assert len(paths) >= 4, paths\n"
        "print(sorted(m for m in sys.modules if m.split('.')[0] in ('pydantic', 'yaml', 'sqlmodel', 'typer')))\n"
    )
    out = subprocess.run([sys.executable, "-c", home], env=env, capture_output=True, text=True, check=True, timeout=120).stdout
    assert out.strip() == "[]"
