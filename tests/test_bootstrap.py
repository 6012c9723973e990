"""`make run`'s bootstrap on SQLite from an empty folder, without starting the server."""

import os
import re
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest

pytestmark = [pytest.mark.unit, pytest.mark.slow]

ROOT = Path(__file__).resolve().parent.parent


def manage(tmp_path: Path, *args: str, extra_env: dict | None = None):
    env = {
        "PATH": os.environ["PATH"],
        "DATABASE_URL": f"sqlite:///{tmp_path / 'db.sqlite3'}",
        **(extra_env or {}),
    }
    return subprocess.run(
        [sys.executable, str(ROOT / "manage.py"), *args],
        cwd=tmp_path,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
    )


def check_password(tmp_path: Path, username: str, password: str) -> bool:
    code = (
        "import django; django.setup(); from django.contrib.auth import authenticate; "
        f"print(authenticate(username={username!r}, password={password!r}) is not None)"
    )
    env = {
        "PATH": os.environ["PATH"],
        "DJANGO_SETTINGS_MODULE": "config.settings",
        "DATABASE_URL": f"sqlite:///{tmp_path / 'db.sqlite3'}",
    }
    result = subprocess.run(
        [sys.executable, "-c", code],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    return result.stdout.strip() == "True"


def test_bootstrap_migrates_creates_admin_and_loads_demo_data(tmp_path):
    # Every outcome applies at once here, so the demo shows each status; by default weak
    # outcome links wait in the review queue instead (tests/claims/test_storyline.py).
    at_once = {"CLAIM_OUTCOME_AUTO": "0"}
    migrate = manage(tmp_path, "migrate", "--noinput")
    first = manage(tmp_path, "bootstrap", extra_env=at_once)
    second = manage(tmp_path, "bootstrap", extra_env=at_once)

    assert migrate.returncode == 0, migrate.stderr
    assert first.returncode == 0, first.stderr
    password = re.search(r"password: (\S+)", first.stdout).group(1)
    assert check_password(tmp_path, "admin", password)
    assert "password:" not in second.stdout  # printed once, at creation
    with sqlite3.connect(tmp_path / "db.sqlite3") as db:
        articles = db.execute("SELECT COUNT(*) FROM sources_article").fetchone()[0]
        sources = db.execute("SELECT COUNT(*) FROM sources_source").fetchone()[0]
        admins = db.execute("SELECT COUNT(*) FROM auth_user WHERE is_superuser").fetchone()[0]
        statuses = {row[0] for row in db.execute("SELECT DISTINCT status FROM claims_claim")}
        moved = db.execute("SELECT COUNT(*) FROM claims_claim WHERE deadline_moves > 0").fetchone()
    assert statuses >= {"open", "due_soon", "overdue", "fulfilled", "fulfilled_late", "missed"}
    assert moved[0] >= 1
    assert "new demo article" in first.stdout
    assert articles >= 10
    assert sources >= 3
    assert admins == 1


def test_bootstrap_takes_the_password_from_the_environment(tmp_path):
    manage(tmp_path, "migrate", "--noinput")

    result = manage(
        tmp_path,
        "bootstrap",
        "--no-demo",
        extra_env={"CLAIMWATCH_ADMIN_PASSWORD": "desk-password-2026"},
    )

    assert result.returncode == 0, result.stderr
    assert "desk-password-2026" not in result.stdout
    assert check_password(tmp_path, "admin", "desk-password-2026")
