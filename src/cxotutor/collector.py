"""Pausing the cyclic garbage collector around bulk work that makes many objects and no cycles."""

from __future__ import annotations

import gc
from contextlib import contextmanager
from typing import Iterator

# Objects left to scan after a pause above which they are frozen instead (a large deck's worth).
_FREEZE_ABOVE = 200_000


@contextmanager
def collector_paused() -> Iterator[None]:
    """Pause the cyclic garbage collector while a deck is read, checked or installed, or
    learners' exports are read and summed up (the cohort report).

    A 10,000-card deck makes millions of objects (parsed data, models, rows), none in
    a cycle; the collector walked the growing heap again and again and found nothing:
    ~40% of the time to read the deck, more than half of reading 30 exports (issue 7).
    When a pause leaves hundreds of thousands of new objects alive, they are frozen (as
    start-up does, see cxotutor.startup) rather than walked once more: reference
    counting frees them when the caller drops them. A caller that had the collector off
    keeps it off.
    """
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            if gc.get_count()[0] > _FREEZE_ABOVE:
                gc.freeze()
            gc.enable()
