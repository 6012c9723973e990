"""Settings read from the environment: the defaults, production values, the clear errors."""

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

pytestmark = pytest.mark.unit

ROOT = Path(__file__).resolve().parent.parent
STRONG_KEY = "k" * 30 + "-Zx9!qR7#mP2$vL5&nB8*cD4"
PRODUCTION = {
    "DJANGO_DEBUG": "false",
    "DJANGO_SECRET_KEY": STRONG_KEY,
    "DJANGO_ALLOWED_HOSTS": "claims.news.example",
    "DATABASE_URL": "postgres://claims:pw@db.internal:5432/claims",
    "REDIS_URL": "redis://redis.internal:6379/0",
    "EMAIL_HOST": "smtp.news.example",
    "EMAIL_PORT": "587",
    "EMAIL_USE_TLS": "true",
}
PROBE = """
import json, django
from django.conf import settings
django.setup()
db = settings.DATABASES["default"]
print(json.dumps({
    "debug": settings.DEBUG, "engine": db["ENGINE"], "name": str(db["NAME"]),
    "host": db.get("HOST", ""), "eager": settings.CELERY_TASK_ALWAYS_EAGER,
    "broker": settings.CELERY_BROKER_URL, "email": settings.EMAIL_BACKEND,
    "email_port": settings.EMAIL_PORT, "hosts": settings.ALLOWED_HOSTS,
    "ssl_redirect": settings.SECURE_SSL_REDIRECT,
}))
"""


def run_with_env(env: dict, *args: str) -> subprocess.CompletedProcess:
    """Run Python in a clean environment holding only `env` (plus PATH)."""
    clean = {"PATH": os.environ["PATH"], "DJANGO_SETTINGS_MODULE": "config.settings", **env}
    return subprocess.run(
        [sys.executable, *args], cwd=ROOT, env=clean, capture_output=True, text=True, timeout=120
    )


def probe(env: dict) -> dict:
    result = run_with_env(env, "-c", PROBE)
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout)


def test_no_environment_gives_the_embedded_default():
    values = probe({})

    assert values["debug"] is True
    assert values["engine"] == "django.db.backends.sqlite3"
    assert values["name"] == str(ROOT / "db.sqlite3")
    assert values["eager"] is True
    assert values["broker"] == ""
    assert values["email"] == "django.core.mail.backends.console.EmailBackend"


def test_production_environment_selects_postgres_redis_and_smtp():
    values = probe(PRODUCTION)

    assert values["debug"] is False
    assert values["engine"] == "django.db.backends.postgresql"
    assert (values["host"], values["name"]) == ("db.internal", "claims")
    assert values["eager"] is False
    assert values["broker"] == "redis://redis.internal:6379/0"
    assert values["email"] == "django.core.mail.backends.smtp.EmailBackend"
    assert values["email_port"] == 587
    assert values["hosts"] == ["claims.news.example"]
    assert values["ssl_redirect"] is True


def test_celery_broker_url_wins_over_redis_url():
    values = probe({"REDIS_URL": "redis://a:6379/0", "CELERY_BROKER_URL": "redis://b:6379/1"})

    assert values["broker"] == "redis://b:6379/1"


@pytest.mark.parametrize(
    ("missing", "message"),
    [
        ("DJANGO_SECRET_KEY", "DJANGO_SECRET_KEY"),
        ("DJANGO_ALLOWED_HOSTS", "DJANGO_ALLOWED_HOSTS"),
    ],
)
def test_debug_off_without_real_values_fails_with_a_clear_message(missing, message):
    env = {k: v for k, v in PRODUCTION.items() if k != missing}

    result = run_with_env(env, "-c", PROBE)

    assert result.returncode != 0
    assert "ImproperlyConfigured" in result.stderr
    assert message in result.stderr.strip().splitlines()[-1]


def test_debug_off_with_a_short_secret_key_fails():
    result = run_with_env({**PRODUCTION, "DJANGO_SECRET_KEY": "short"}, "-c", PROBE)

    assert result.returncode != 0
    assert "50+ characters" in result.stderr


def test_check_deploy_is_clean_with_production_settings():
    result = run_with_env(PRODUCTION, "manage.py", "check", "--deploy", "--fail-level", "WARNING")

    assert result.returncode == 0, result.stdout + result.stderr
    assert "System check identified no issues" in result.stdout


def test_check_deploy_stays_clean_behind_a_tls_proxy():
    env = {**PRODUCTION, "DJANGO_BEHIND_TLS_PROXY": "true"}

    result = run_with_env(env, "manage.py", "check", "--deploy", "--fail-level", "WARNING")

    assert result.returncode == 0, result.stdout + result.stderr


@pytest.mark.parametrize(
    ("variable", "value", "warning"),
    [
        ("DJANGO_SESSION_COOKIE_SECURE", "false", "security.W012"),
        ("DJANGO_CSRF_COOKIE_SECURE", "false", "security.W016"),
        ("DJANGO_SECURE_HSTS_SECONDS", "0", "security.W004"),
        ("DJANGO_SECURE_SSL_REDIRECT", "false", "security.W008"),
    ],
)
def test_check_deploy_fails_when_a_security_switch_is_turned_off(variable, value, warning):
    env = {**PRODUCTION, variable: value}

    result = run_with_env(env, "manage.py", "check", "--deploy", "--fail-level", "WARNING")

    assert result.returncode != 0
    assert warning in result.stderr + result.stdout


def test_production_security_settings():
    code = (
        "import json, django; from django.conf import settings; django.setup(); "
        "print(json.dumps({k: getattr(settings, k) for k in ("
        "'SESSION_COOKIE_SECURE', 'CSRF_COOKIE_SECURE', 'SECURE_HSTS_SECONDS', "
        "'SECURE_HSTS_INCLUDE_SUBDOMAINS', 'SESSION_COOKIE_HTTPONLY', 'X_FRAME_OPTIONS', "
        "'AXES_ENABLED', 'AXES_FAILURE_LIMIT')}))"
    )
    values = json.loads(run_with_env(PRODUCTION, "-c", code).stdout)

    assert values == {
        "SESSION_COOKIE_SECURE": True,
        "CSRF_COOKIE_SECURE": True,
        "SECURE_HSTS_SECONDS": 31_536_000,
        "SECURE_HSTS_INCLUDE_SUBDOMAINS": True,
        "SESSION_COOKIE_HTTPONLY": True,
        "X_FRAME_OPTIONS": "DENY",
        "AXES_ENABLED": True,
        "AXES_FAILURE_LIMIT": 5,
    }


def test_throttling_and_csp_are_configurable_from_the_environment():
    code = (
        "import json, django; from django.conf import settings; django.setup(); "
        "print(json.dumps([settings.AXES_FAILURE_LIMIT, settings.AXES_COOLOFF_TIME.seconds, "
        "settings.AXES_LOCKOUT_PARAMETERS, "
        "settings.CONTENT_SECURITY_POLICY_REPORT_ONLY['DIRECTIVES']['report-uri'], "
        "hasattr(settings, 'CONTENT_SECURITY_POLICY')]))"
    )
    env = {
        "AXES_FAILURE_LIMIT": "9",
        "AXES_COOLOFF_MINUTES": "2",
        "AXES_LOCKOUT_PARAMETERS": "ip_address,username+user_agent",
        "CSP_REPORT_ONLY": "true",
        "CSP_REPORT_URI": "/csp-reports",
    }
    result = run_with_env(env, "-c", code)

    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout) == [
        9,
        120,
        ["ip_address", ["username", "user_agent"]],
        ["/csp-reports"],
        False,
    ]


def test_env_example_lists_every_variable_the_settings_read():
    settings_source = (ROOT / "config" / "settings.py").read_text()
    example = (ROOT / ".env.example").read_text()
    import re

    read = set(re.findall(r'env(?:\.\w+)?\(\s*"([A-Z_]+)"', settings_source))
    listed = set(re.findall(r"^#?\s*([A-Z_]+)=", example, flags=re.M))

    assert read - listed == set()
