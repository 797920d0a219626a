"""GET /healthz: 200 "ok" when the database answers, 503 when it does not."""

import pytest
from django.db import connection


@pytest.mark.django_db
def test_it_says_ok_when_the_database_answers(client):
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.content == b"ok"
    assert "no-cache" in response["Cache-Control"]


@pytest.mark.django_db(transaction=True)
def test_it_answers_503_when_the_database_is_unreachable(client, monkeypatch, tmp_path):
    connection.close()
    if connection.vendor == "sqlite":
        monkeypatch.setitem(connection.settings_dict, "NAME", str(tmp_path / "no" / "such.db"))
    else:
        # Nothing listens on port 1: the connection is refused at once.
        monkeypatch.setitem(connection.settings_dict, "PORT", "1")
        monkeypatch.setitem(connection.settings_dict, "HOST", "127.0.0.1")
    try:
        response = client.get("/healthz")
    finally:
        connection.close()
        monkeypatch.undo()
    assert response.status_code == 503
    assert response.content == b"database unavailable"
    assert client.get("/healthz").status_code == 200, "it recovers once the database is back"


@pytest.mark.django_db
@pytest.mark.parametrize("method", ["post", "put", "delete"])
def test_it_only_allows_safe_methods(client, method):
    assert getattr(client, method)("/healthz").status_code == 405
