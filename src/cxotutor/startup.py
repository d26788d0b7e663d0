"""The cyclic garbage collector during start-up.

Start-up builds a few hundred thousand objects that live as long as the process
(modules, classes, Textual's styles, SQLAlchemy's tables and compiled statements)
and no garbage to speak of; the collector walked them again and again, about
90 ms of a 0.55 s import on the benchmark machine (issue 7). The entry point pauses it
before the first import; once the home screen shows its figures, what is alive is
frozen (never scanned again, see ``gc.freeze``) and collection resumes.
"""

from __future__ import annotations

import gc

_paused = False


def pause_collector() -> None:
    global _paused
    if gc.isenabled():
        gc.disable()
        _paused = True


def resume_collector() -> None:
    """Freeze what start-up built and collect as usual from now on (only if ``pause_collector`` paused it)."""
    global _paused
    if _paused:
        _paused = False
        gc.freeze()
        gc.enable()
