"""The core never imports Textual: another front end could replace the TUI."""

from __future__ import annotations

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
