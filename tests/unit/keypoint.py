"""A minimal key point for scorer tests: anything with these attributes can be scored."""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(frozen=True)
class KP:
    id: str
    ja: str | None = None
    en: str | None = None
    aliases: tuple[str, ...] = field(default_factory=tuple)
    weight: float = 1.0
