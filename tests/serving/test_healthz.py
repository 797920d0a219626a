"""GET /healthz: 200 "ok" when the database answers, 503 when it does not."""

import pytest


@pytest.mark.django_db
def test_it_says_ok_when_the_database_answers(client):
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.content == b"ok"
    assert "no-cache" in response["Cache-Control"]


@pytest.mark.django_db(transaction=True)
def test_it_answers_503_when_the_database_is_unreachable(client, unreachable_database):
    with unreachable_database():
        response = client.get("/healthz")
    assert response.status_code == 503
    assert response.content == b"database unavailable"
    assert client.get("/healthz").status_code == 200, "it recovers once the database is back"


@pytest.mark.django_db
@pytest.mark.parametrize("method", ["post", "put", "delete"])
def test_it_only_allows_safe_methods(client, method):
    assert getattr(client, method)("/healthz").status_code == 405
