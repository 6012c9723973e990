"""`make browser` (run by `make test`): a no-op where Chromium is, clear where apt is not."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
MAKE = shutil.which("make")

pytestmark = pytest.mark.skipif(MAKE is None, reason="make is not installed")


def run_make(*args: str, path: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [MAKE, "--no-print-directory", "-C", str(ROOT), "browser", *args],
        env={"PATH": path},
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )


def test_make_browser_does_nothing_when_chromium_is_there(tmp_path):
    fake = tmp_path / "chromium"
    fake.write_text("#!/bin/sh\n")
    fake.chmod(0o755)

    result = run_make(f"CHROMIUM={fake}", path=str(tmp_path))

    assert (result.returncode, result.stdout, result.stderr) == (0, "", "")


def test_make_browser_explains_itself_without_chromium_or_apt(tmp_path):
    result = run_make(f"CHROMIUM={tmp_path / 'missing'}", path=str(tmp_path))

    assert result.returncode != 0
    assert "apt-get is not available" in result.stderr
    assert "install your system's chromium package" in result.stderr


def test_make_test_runs_the_browser_target_first():
    result = subprocess.run(
        [MAKE, "--no-print-directory", "-C", str(ROOT), "-n", "test"],
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )

    assert result.returncode == 0, result.stderr
    assert "CLAIMWATCH_CHROMIUM=" in result.stdout
    assert result.stdout.index("chromium") < result.stdout.index("-m pytest")
