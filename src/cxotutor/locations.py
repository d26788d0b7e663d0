"""Where cxotutor keeps its files: one place, overridable for tests and instructors.

``CXOTUTOR_HOME`` relocates everything (config and data); otherwise the
platform's user directories are used (platformdirs).
"""

from __future__ import annotations

import os
from pathlib import Path

APP = "cxotutor"


def data_dir() -> Path:
    home = os.environ.get("CXOTUTOR_HOME")
    if home:
        return Path(home).expanduser() / "data"
    from platformdirs import user_data_path

    return user_data_path(APP, appauthor=False)


def config_dir() -> Path:
    home = os.environ.get("CXOTUTOR_HOME")
    if home:
        return Path(home).expanduser() / "config"
    from platformdirs import user_config_path

    return user_config_path(APP, appauthor=False)


def default_database() -> Path:
    return data_dir() / "cxotutor.db"
