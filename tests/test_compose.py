"""docker-compose.yml: valid against the Compose specification and consistent with the app.

Docker does not run here, so the file is checked statically: schema, services, the
variables the app requires in production, and the modules the commands name.
"""

import importlib
import re
import shutil
import subprocess
import sys
from pathlib import Path
from urllib.parse import urlsplit

import pytest
import yaml

pytestmark = pytest.mark.unit

ROOT = Path(__file__).resolve().parent.parent
APP_SERVICES = ("migrate", "web", "worker", "beat")
# What config/settings.py needs with DEBUG off (the rest have defaults).
REQUIRED_IN_PRODUCTION = (
    "DJANGO_DEBUG",
    "DJANGO_SECRET_KEY",
    "DJANGO_ALLOWED_HOSTS",
    "DATABASE_URL",
    "REDIS_URL",
    "EMAIL_HOST",
)


@pytest.fixture(scope="module")
def compose() -> dict:
    return yaml.safe_load((ROOT / "docker-compose.yml").read_text())


@pytest.fixture(scope="module")
def env_example() -> dict:
    values = {}
    for line in (ROOT / ".env.example").read_text().splitlines():
        match = re.match(r"^([A-Z_]+)=(.*)$", line)
        if match:
            values[match.group(1)] = match.group(2)
    return values


def test_compose_file_validates_against_the_compose_spec():
    checker = shutil.which("check-jsonschema", path=str(Path(sys.executable).parent))

    result = subprocess.run(
        [checker, "--builtin-schema", "vendor.compose-spec", str(ROOT / "docker-compose.yml")],
        capture_output=True,
        text=True,
        timeout=60,
    )

    assert result.returncode == 0, result.stdout + result.stderr


def test_app_services_share_one_image_and_the_env_file(compose):
    services = compose["services"]

    assert {services[name]["image"] for name in APP_SERVICES} == {"claimwatch:latest"}
    for name in APP_SERVICES:
        assert services[name]["env_file"] == ".env"
        assert services[name]["depends_on"]["postgres"]["condition"] == "service_healthy"
        assert services[name]["depends_on"]["redis"]["condition"] == "service_healthy"
    assert "healthcheck" in services["postgres"]
    assert "healthcheck" in services["redis"]
    assert "mailpit" in services


def test_env_template_provides_what_production_requires(compose, env_example):
    services = compose["services"]

    for name in REQUIRED_IN_PRODUCTION:
        assert env_example.get(name), f"{name} has no value in .env.example"
    assert env_example["DJANGO_DEBUG"] == "false"
    # The URLs point at the compose services, by their service names and ports.
    assert urlsplit(env_example["DATABASE_URL"]).hostname in services
    assert urlsplit(env_example["REDIS_URL"]).hostname in services
    assert env_example["EMAIL_HOST"] in services
    assert urlsplit(env_example["DATABASE_URL"]).path == f"/{env_example['POSTGRES_DB']}"


def test_env_template_starts_the_app_with_debug_off(env_example):
    probe = "import django; django.setup(); from django.conf import settings; print(settings.DEBUG)"
    env = {"PATH": "/usr/bin:/bin", "DJANGO_SETTINGS_MODULE": "config.settings", **env_example}

    result = subprocess.run(
        [sys.executable, "-c", probe],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
    )

    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "False"


def test_commands_name_real_modules(compose):
    services = compose["services"]
    web = services["web"]["command"]
    module, attribute = web[web.index("gunicorn") + 1].split(":")

    assert callable(getattr(importlib.import_module(module), attribute))
    for name, subcommand in (("worker", "worker"), ("beat", "beat")):
        command = services[name]["command"]
        app_module = command[command.index("-A") + 1]
        assert command[:1] == ["celery"]
        assert subcommand in command
        assert importlib.import_module(app_module).celery_app.main == "claimwatch"
    assert services["migrate"]["command"][:2] == ["python", "manage.py"]


def test_beat_schedule_names_registered_tasks():
    from config.celery import app

    app.loader.import_default_modules()

    scheduled = {entry["task"] for entry in app.conf.beat_schedule.values()}
    assert scheduled - set(app.tasks) == set()
