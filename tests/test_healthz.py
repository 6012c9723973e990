"""/healthz: 200 when the database and the broker answer, 503 otherwise.

The body says ok / not ok per dependency and nothing else about it: no host, port, user or
exception text (the log has those).
"""

import logging

import pytest
from django.db.utils import ConnectionHandler

from config import views
from config.celery import app as celery_app

pytestmark = pytest.mark.django_db


def test_healthz_is_green_with_tasks_inline(client):
    response = client.get("/healthz")

    assert response.status_code == 200
    assert response.json()["status"] == "ok"
    assert response.json()["database"]["ok"] is True
    assert response.json()["broker"] == {"ok": True, "mode": "inline"}


def test_healthz_is_green_with_a_real_broker(client, redis_broker_url, monkeypatch):
    monkeypatch.setitem(celery_app.conf, "task_always_eager", False)
    monkeypatch.setitem(celery_app.conf, "broker_url", redis_broker_url)

    response = client.get("/healthz")

    assert response.status_code == 200
    assert response.json()["broker"]["mode"] == "broker"


def test_healthz_is_red_when_the_broker_is_unreachable(client, monkeypatch):
    monkeypatch.setitem(celery_app.conf, "task_always_eager", False)
    # Nothing listens on port 1; the connection is refused at once.
    monkeypatch.setitem(celery_app.conf, "broker_url", "redis://127.0.0.1:1/0")

    response = client.get("/healthz")

    assert response.status_code == 503
    body = response.json()
    assert body["status"] == "unavailable"
    assert body["database"]["ok"] is True
    assert body["broker"] == {"ok": False, "mode": "broker"}


def _assert_tells_nothing_about(body: str, *secrets: str) -> None:
    for secret in secrets:
        assert secret not in body
    assert "Error" not in body and "refused" not in body.lower()


def test_healthz_names_no_host_port_or_error_of_an_unreachable_broker(client, monkeypatch, caplog):
    monkeypatch.setitem(celery_app.conf, "task_always_eager", False)
    # A password and an odd port: neither may reach the body; both reasons go to the log.
    monkeypatch.setitem(celery_app.conf, "broker_url", "redis://:brokerpw@127.0.0.7:1/0")

    with caplog.at_level(logging.WARNING, logger="config.views"):
        response = client.get("/healthz")

    assert response.status_code == 503
    _assert_tells_nothing_about(response.content.decode(), "127.0.0.7", ":1", "brokerpw")
    assert "healthz: broker check failed" in caplog.text
    assert "brokerpw" not in caplog.text


def test_healthz_is_red_without_detail_when_the_database_is_unreachable(
    client, monkeypatch, caplog
):
    # A real connection attempt to a port where no PostgreSQL listens.
    unreachable = ConnectionHandler(
        {
            "default": {
                "ENGINE": "django.db.backends.postgresql",
                "NAME": "claimwatch_secret_db",
                "USER": "dbuser_secret",
                "PASSWORD": "dbpw",
                "HOST": "127.0.0.9",
                "PORT": "1",
                "OPTIONS": {"connect_timeout": 2},
            }
        }
    )["default"]
    monkeypatch.setattr(views, "connection", unreachable)

    with caplog.at_level(logging.WARNING, logger="config.views"):
        response = client.get("/healthz")

    assert response.status_code == 503
    body = response.content.decode()
    assert response.json()["database"] == {"ok": False}
    _assert_tells_nothing_about(
        body, "127.0.0.9", "claimwatch_secret_db", "dbuser_secret", "dbpw", "postgres"
    )
    assert "healthz: database check failed: OperationalError" in caplog.text
    assert "127.0.0.9" in caplog.text  # the operator's detail is in the log
