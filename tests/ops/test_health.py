"""Liveness and readiness (issue 15): /health touches nothing, /ready checks the database, the
queue's storage and the instance folder, answers 503 naming what failed and never its error."""

import pytest
import sqlalchemy as sa

from ipcase.ops import readiness


def test_health_answers_without_the_database(app, client, monkeypatch):
    def refuse(*_a, **_k):
        raise AssertionError("/health must not touch the database")

    monkeypatch.setattr(sa.orm.Session, "execute", refuse)
    response = client.get("/health")
    assert response.status_code == 200
    assert response.get_json() == {"status": "ok"}


def test_ready_without_a_session_lists_its_checks(app, client):
    response = client.get("/ready")
    assert response.status_code == 200
    body = response.get_json()
    assert body["status"] == "ok"
    assert set(body["checks"]) == {"database", "storage", "queue"}  # the queue's storage, wired by web
    assert set(body["checks"].values()) == {"ok"}


def test_ready_names_the_database_when_it_fails_and_hides_the_error(app, client, monkeypatch, caplog):
    def broken():
        raise sa.exc.OperationalError("SELECT 1", {}, Exception("password=hunter2 host=db.internal"))

    monkeypatch.setattr(readiness, "check_database", broken)
    response = client.get("/ready")
    assert response.status_code == 503
    body = response.get_json()
    assert body["status"] == "unavailable"
    assert body["failed"] == ["database"]
    assert body["checks"]["storage"] == "ok"
    assert "hunter2" not in response.get_data(as_text=True)
    assert "db.internal" not in response.get_data(as_text=True)
    assert any("readiness check database failed" in r.getMessage() for r in caplog.records)


def test_ready_names_storage_when_the_instance_folder_is_not_writable(app, client, monkeypatch, tmp_path):
    missing = tmp_path / "gone"
    monkeypatch.setattr(app, "instance_path", str(missing))
    response = client.get("/ready")
    assert response.status_code == 503
    assert response.get_json()["failed"] == ["storage"]


@pytest.mark.parametrize("result", [False, "raise"])
def test_ready_runs_a_registered_check(app, client, monkeypatch, result):
    def queue_check():
        if result == "raise":
            raise ConnectionError("redis://:secret@queue")
        return result

    checks = dict(app.extensions[readiness._EXTRA_CHECKS_KEY])
    monkeypatch.setitem(checks, "queue", queue_check)
    monkeypatch.setitem(app.extensions, readiness._EXTRA_CHECKS_KEY, checks)
    response = client.get("/ready")
    assert response.status_code == 503
    assert response.get_json()["failed"] == ["queue"]
    assert "secret" not in response.get_data(as_text=True)
