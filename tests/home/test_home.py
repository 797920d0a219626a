"""The home page and the base layout every page shares."""

import re

import pytest


@pytest.mark.django_db
def test_it_says_what_scalpsafe_does_and_who_it_is_for(client):
    response = client.get("/")
    assert response.status_code == 200
    html = response.content.decode()
    assert "<h1>Is a dermaroller safe for your scalp?</h1>" in html
    assert "It is for adults" in html


@pytest.mark.django_db
def test_every_page_carries_the_not_a_diagnosis_line(client):
    html = client.get("/").content.decode()
    assert "ScalpSafe is not a diagnosis." in html
    assert '<a class="visually-hidden-focusable skip-link" href="#main">' in html
    assert '<nav class="' in html and 'aria-label="Main"' in html


@pytest.mark.django_db
def test_it_makes_no_external_requests(client):
    html = client.get("/").content.decode()
    assets = re.findall(r'(?:src|href)="([^"]+)"', html)
    assert assets
    assert not [url for url in assets if url.startswith(("http:", "https:", "//"))]
