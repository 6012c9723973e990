"""`make install` on a machine that has only Python: a new venv, its bundled pip, the hash locks."""

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

pytestmark = [pytest.mark.unit, pytest.mark.slow]

ROOT = Path(__file__).resolve().parent.parent


def test_make_install_works_in_a_new_venv_with_the_bundled_pip(tmp_path):
    """Copies the Makefile and the locks into an empty folder and runs `make install` there.

    The venv is made by `python3 -m venv`, so its pip is the one Python ships (23.x on 3.11),
    the pip a new user has. It must install every lock from hashes alone and import the model.
    """
    if shutil.which("make") is None:
        pytest.fail("make is not on PATH")
    shutil.copy(ROOT / "Makefile", tmp_path / "Makefile")
    shutil.copytree(ROOT / "requirements", tmp_path / "requirements")
    env = {key: value for key, value in os.environ.items() if not key.startswith("VIRTUAL_ENV")}
    env["PYTHON"] = sys._base_executable  # the machine's Python, not this venv's
    result = subprocess.run(
        ["make", "install"],
        cwd=tmp_path,
        env=env,
        capture_output=True,
        text=True,
        timeout=900,
    )
    assert result.returncode == 0, result.stdout[-3000:] + result.stderr[-3000:]
    assert "spaCy 3.8" in result.stdout
    pip = subprocess.run(
        [str(tmp_path / ".venv/bin/python"), "-m", "pip", "--version"],
        capture_output=True,
        text=True,
        check=True,
    )
    bundled = subprocess.run(
        [sys._base_executable, "-c", "import ensurepip; print(ensurepip.version())"],
        capture_output=True,
        text=True,
        check=True,
    )
    assert pip.stdout.split()[1] == bundled.stdout.strip()  # the bundled pip did the install
    assert (tmp_path / ".venv/.installed-stamp").exists()
