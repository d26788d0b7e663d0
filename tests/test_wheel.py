"""The wheel carries the bundled decks and paths, and an installed copy lists them."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import sysconfig
import zipfile
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]


@pytest.fixture(scope="module")
def wheel(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("dist")
    subprocess.run(
        [sys.executable, "-m", "build", "--wheel", "--no-isolation", "--outdir", str(out), str(ROOT)],
        check=True, capture_output=True,
    )
    (wheel,) = out.glob("cxotutor-*.whl")
    return wheel


@pytest.mark.slow
def test_wheel_contains_every_bundled_file(wheel):
    names = set(zipfile.ZipFile(wheel).namelist())
    for kind in ("decks", "paths"):
        for file in (ROOT / kind).glob("*.yaml"):
            assert f"cxotutor/_bundled/{kind}/{file.name}" in names
    assert "cxotutor/store/migrations/versions/0001_initial_schema.py" in names
    assert any(n.endswith(".tcss") for n in names) or not list((ROOT / "src/cxotutor").rglob("*.tcss"))


@pytest.mark.slow
def test_installed_wheel_lists_the_bundled_decks(wheel, tmp_path):
    venv = tmp_path / "venv"
    subprocess.run([sys.executable, "-m", "venv", str(venv)], check=True)
    python = venv / "bin" / "python"
    subprocess.run([str(python), "-m", "pip", "install", "--no-deps", "--no-index", "-q", str(wheel)], check=True)
    # Dependencies come from this environment; the package itself only from the wheel.
    env = {**os.environ, "PYTHONPATH": sysconfig.get_paths()["purelib"], "CXOTUTOR_HOME": str(tmp_path / "home")}
    code = "import cxotutor, sys; print(cxotutor.__file__)"
    where = subprocess.run([str(python), "-c", code], env=env, capture_output=True, text=True, check=True).stdout
    assert str(venv) in where
    result = subprocess.run([str(python), "-m", "cxotutor", "deck", "list", "--json"], env=env, capture_output=True, text=True)
    assert result.returncode == 0, result.stderr
    listed = {deck["id"] for deck in json.loads(result.stdout)}
    import yaml

    expected = {yaml.safe_load(f.read_text(encoding="utf-8"))["id"] for f in (ROOT / "decks").glob("*.yaml")}
    assert expected and listed == expected
