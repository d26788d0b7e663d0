"""Progress out of cxotutor and back in: JSON, CSV, Markdown and HTML exports, and import.

Everything a learner did is keyed by deck id + card key (never by the
database's internal ids), so an export means the same thing on any machine
and after any deck update. The JSON format is documented in
``docs/export-format.md``; ``SCHEMA_VERSION`` is the version this code writes.

Names are loaded on first use, so ``cxotutor export --format csv`` does not pay
for the JSON reader's models.
"""

from __future__ import annotations

from importlib import import_module

_WHERE = {
    "FORMAT": "base", "SCHEMA_VERSION": "base", "ExportError": "base", "find_learner": "base",
    "read_document": "document", "write_json": "document", "collect": "document", "ExportDoc": "document",
    "ImportSummary": "restore", "import_progress": "restore",
    "CSV_COLUMNS": "revlog", "write_csv": "revlog",
}
__all__ = sorted(_WHERE)


def __getattr__(name: str):
    if name in _WHERE:
        return getattr(import_module(f"cxotutor.export.{_WHERE[name]}"), name)
    raise AttributeError(name)
