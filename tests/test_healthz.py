"""/healthz: 200 when the database and the broker answer, 503 otherwise."""

import pytest

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
    assert body["broker"]["ok"] is False
    assert "Error" in body["broker"]["error"]
