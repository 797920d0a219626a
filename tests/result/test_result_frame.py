"""The result page around the result (assessments/result_frame.py): for someone signed out,
rendered once per disposition and kept; what is kept is what the template renders, holds
nothing of one result or person, and never the live sharing panel or a message."""

import pytest

from assessments import result_frame
from assessments.models import Assessment
from clinics.private_links import private_link_create
from clinics.services import share_send
from tests.sharing.conftest import anonymous_client_for, stop_url
from tests.support.assessments import FLAGGED_ANSWERS, HARD_STOP_ANSWERS, save_assessment

pytestmark = pytest.mark.django_db

PAGE = "assessments/result.html"


def view(client, assessment: Assessment):
    response = client.get(assessment.get_absolute_url())
    assert response.status_code == 200
    return response


def rendered(response) -> list[str]:
    return [t.name for t in response.templates]


def test_signed_out_the_frame_is_rendered_once_per_disposition_and_kept():
    first, second = save_assessment(HARD_STOP_ANSWERS), save_assessment(HARD_STOP_ANSWERS)
    flagged = save_assessment(FLAGGED_ANSWERS)

    assert PAGE in rendered(view(anonymous_client_for(first), first))
    assert PAGE not in rendered(view(anonymous_client_for(first), first))
    assert PAGE not in rendered(view(anonymous_client_for(second), second)), "same disposition"
    assert PAGE in rendered(view(anonymous_client_for(flagged), flagged)), "another disposition"


def test_a_page_from_the_kept_frame_is_the_one_the_template_renders(settings):
    first, second = save_assessment(HARD_STOP_ANSWERS), save_assessment(HARD_STOP_ANSWERS)
    view(anonymous_client_for(first), first)  # the frame kept, with the first result in it
    kept = view(anonymous_client_for(second), second)
    assert PAGE not in rendered(kept)
    settings.DEBUG = True  # every page rendered

    fresh = view(anonymous_client_for(second), second)

    assert PAGE in rendered(fresh)
    assert kept.content == fresh.content
    assert str(first.id) not in kept.content.decode()
    assert f"/results/{second.id}/delete/" in kept.content.decode()


def test_the_sharing_panel_is_live_on_a_kept_frame(clinic):
    result = save_assessment(HARD_STOP_ANSWERS)
    client = anonymous_client_for(result)
    assert "Send to a clinic" in view(client, result).content.decode()

    share_send(assessment=result, clinic=clinic, contact={})
    html = view(client, result).content.decode()

    assert PAGE not in rendered(view(client, result))
    assert f"Sent to {clinic.name}" in html
    assert "Send to a clinic" not in html


def test_a_panel_with_a_csrf_token_keeps_none_in_the_frame():
    result = save_assessment(HARD_STOP_ANSWERS)
    private_link_create(assessment=result)
    client = anonymous_client_for(result)

    first, second = view(client, result), view(client, result)

    assert PAGE not in rendered(second)
    assert "Revoke the private link" in second.content.decode()
    assert second.content.decode().count("csrfmiddlewaretoken") == 2  # the panel's two forms
    for pieces in result_frame._kept.values():
        assert "csrfmiddlewaretoken" not in "".join(pieces)
    assert first.content != second.content, "a new token on every page"


def test_a_waiting_message_is_shown_on_a_page_rendered_whole(clinic):
    result = save_assessment(HARD_STOP_ANSWERS)
    client = anonymous_client_for(result)
    share_send(assessment=result, clinic=clinic, contact={})
    view(client, result)  # the frame kept

    response = client.post(stop_url(result), follow=True)

    assert PAGE in rendered(response)
    assert f"You stopped sharing your result with {clinic.name}." in response.content.decode()
    again = view(client, result)
    assert PAGE not in rendered(again), "shown once: the next page is from the kept frame"
    assert "You stopped sharing your result" not in again.content.decode()


def test_signed_in_the_page_is_rendered_every_time(owner_client, owner):
    result = save_assessment(HARD_STOP_ANSWERS, owner=owner)

    first, second = view(owner_client, result), view(owner_client, result)

    assert PAGE in rendered(first) and PAGE in rendered(second)
    assert "Log out" in second.content.decode()
    assert not result_frame._kept


def test_past_the_cap_a_frame_is_rendered_not_kept(monkeypatch):
    monkeypatch.setattr(result_frame, "_MOST_KEPT", 0)
    result = save_assessment(HARD_STOP_ANSWERS)
    client = anonymous_client_for(result)

    assert PAGE in rendered(view(client, result))
    assert PAGE in rendered(view(client, result))
    assert not result_frame._kept
