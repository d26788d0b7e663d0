"""Learner settings, with defaults, validation, and a place in the database."""

from __future__ import annotations

import json
import locale
import os
from dataclasses import asdict, dataclass, fields, replace

from cxotutor.srs import SchedulerConfig


def _default_ui_language() -> str:
    for name in ("LC_ALL", "LC_MESSAGES", "LANG"):
        value = os.environ.get(name, "")
        if value:
            return "ja" if value.lower().startswith("ja") else "en"
    code = (locale.getlocale()[0] or "").lower()
    return "ja" if code.startswith("ja") else "en"


@dataclass(frozen=True)
class Settings:
    ui_language: str = "en"
    content_language: str = "ja"
    desired_retention: float = 0.90
    new_per_day: int = 10
    max_reviews_per_day: int = 200
    day_start_hour: int = 4
    learner_name: str = ""
    learning_steps_min: tuple[int, ...] = (1, 10)
    relearning_steps_min: tuple[int, ...] = (10,)
    fuzz: bool = True
    welcomed: bool = False

    @classmethod
    def defaults(cls) -> Settings:
        return cls(ui_language=_default_ui_language())

    def scheduler_config(self) -> SchedulerConfig:
        return SchedulerConfig(
            desired_retention=self.desired_retention,
            learning_steps_min=self.learning_steps_min,
            relearning_steps_min=self.relearning_steps_min,
            fuzz=self.fuzz,
        )

    def validated(self) -> Settings:
        """Raise ValueError with a user-facing message if a value is out of range."""
        if self.ui_language not in ("ja", "en") or self.content_language not in ("ja", "en"):
            raise ValueError("language must be 'ja' or 'en'")
        if not 0.70 <= self.desired_retention <= 0.99:
            raise ValueError("desired retention must be between 0.70 and 0.99")
        if not 0 <= self.new_per_day <= 9999:
            raise ValueError("new cards per day must be between 0 and 9999")
        if not 1 <= self.max_reviews_per_day <= 99999:
            raise ValueError("maximum reviews per day must be between 1 and 99999")
        if not 0 <= self.day_start_hour <= 23:
            raise ValueError("day start hour must be between 0 and 23")
        if len(self.learner_name) > 100:
            raise ValueError("learner name is too long")
        if any(m <= 0 for m in self.learning_steps_min + self.relearning_steps_min):
            raise ValueError("learning steps must be positive minutes")
        return self

    def to_values(self) -> dict[str, str]:
        return {key: json.dumps(value) for key, value in asdict(self).items()}

    @classmethod
    def from_values(cls, values: dict[str, str]) -> Settings:
        """Build from stored JSON values, ignoring unknown or malformed ones."""
        settings = cls.defaults()
        known = {f.name: f for f in fields(cls)}
        updates = {}
        for key, raw in values.items():
            if key not in known:
                continue
            try:
                value = json.loads(raw)
            except ValueError:
                continue
            if isinstance(getattr(settings, key), tuple) and isinstance(value, list):
                value = tuple(value)
            updates[key] = value
        try:
            return replace(settings, **updates).validated()
        except (TypeError, ValueError):
            return settings

    def with_changes(self, **changes) -> Settings:
        return replace(self, **changes).validated()
