"""Messages that cross screens (widget-owned messages are nested in their widgets)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from textual.message import Message

if TYPE_CHECKING:
    from cxotutor.tutor import Tutor


@dataclass
class TutorReady(Message):
    """The database is open and bundled content is in sync."""

    tutor: Tutor


@dataclass
class TutorFailed(Message):
    """Opening the database or loading content failed; ``error`` is the exception."""

    error: BaseException
