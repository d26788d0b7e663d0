"""What every export shares, kept light (no pydantic) so the CSV export starts fast."""

from __future__ import annotations

from datetime import datetime, timezone

from sqlalchemy import select

from cxotutor import srs
from cxotutor.store import Store
from cxotutor.store.tables import Learner

FORMAT = "cxotutor-progress"
SCHEMA_VERSION = 1
STATE_NAMES = dict(srs.STATE_NAMES)  # 0 new, 1 learning, 2 review, 3 relearning
STATE_CODES = {name: code for code, name in STATE_NAMES.items()}
STREAM_BATCH = 5000


class ExportError(ValueError):
    """An export or import that cannot go ahead, in one line (nothing was changed)."""


def iso(moment: datetime | None) -> str | None:
    """UTC ISO-8601 with a ``Z`` (microseconds kept, so imports dedupe exactly)."""
    if moment is None:
        return None
    return moment.astimezone(timezone.utc).isoformat().replace("+00:00", "Z")


def find_learner(store: Store, name: str) -> int:
    """The id of learner ``name``; KeyError (a user message) if there is none. Never creates one."""
    with store.read() as session:
        found = session.scalar(select(Learner.id).where(Learner.name == name.strip()))
    if found is None:
        raise KeyError(f"no learner named {name!r} in this database")
    return found
