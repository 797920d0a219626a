"""The result page around the result (assessments/result_frame.py): for someone signed out,
rendered once per disposition and address and kept; what is kept is what the template renders,
holds nothing of one result or person, and never the live sharing panel or a message."""

import pytest
from django.urls import set_script_prefix

from assessments import result_frame
from assessments.models import Assessment
from assessments.rulebook import Disposition
from clinics.private_links import private_link_create
from clinics.services import share_send
from tests.sharing.conftest import anonymous_client_for, stop_url
from tests.support.answers import ANSWERS_FOR_EACH_DISPOSITION
from tests.support.assessments import FLAGGED_ANSWERS, HARD_STOP_ANSWERS, save_assessment

pytestmark = pytest.mark.django_db

PAGE = "assessments/result.html"


def view(client, assessment: Assessment, **extra):
    response = client.get(assessment.get_absolute_url(), **extra)
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


@pytest.mark.parametrize("shared", [False, True], ids=["not shared", "shared"])
@pytest.mark.parametrize("disposition", list(Disposition))
def test_a_page_from_the_kept_frame_is_the_one_the_template_renders(
    settings, clinic, disposition, shared
):
    first, second = (save_assessment(ANSWERS_FOR_EACH_DISPOSITION[disposition]) for _ in range(2))
    assert second.disposition == disposition
    if shared:
        share_send(assessment=second, clinic=clinic, contact={})
    view(anonymous_client_for(first), first)  # the frame kept, drawn for the first result
    kept = view(anonymous_client_for(second), second)
    assert PAGE not in rendered(kept)
    settings.DEBUG = True  # every page rendered whole

    whole = view(anonymous_client_for(second), second)

    assert PAGE in rendered(whole)
    assert kept.content == whole.content
    assert str(first.id) not in kept.content.decode()
    assert f"/results/{second.id}/delete/" in kept.content.decode()


def test_a_frame_is_kept_per_address_and_script_prefix(settings):
    settings.ALLOWED_HOSTS = [*settings.ALLOWED_HOSTS, "scalpsafe.example"]
    result = save_assessment(HARD_STOP_ANSWERS)
    client = anonymous_client_for(result)
    view(client, result)

    other_host = view(client, result, HTTP_HOST="scalpsafe.example")
    other_scheme = client.get(result.get_absolute_url(), secure=True)
    try:
        path = result.get_absolute_url()
        set_script_prefix("/scalpsafe/")  # as the WSGI handler does under /scalpsafe/
        under_prefix = client.get(path)
    finally:
        set_script_prefix("/")

    assert PAGE in rendered(other_host)
    assert "http://scalpsafe.example" in other_host.content.decode()
    assert PAGE in rendered(other_scheme)
    assert "https://testserver" in other_scheme.content.decode()
    assert PAGE in rendered(under_prefix)
    assert 'href="/scalpsafe/"' in under_prefix.content.decode()
    assert len(result_frame._kept) == 4


def test_a_head_request_gets_the_kept_frame_and_no_body(client):
    result = save_assessment(HARD_STOP_ANSWERS)
    client = anonymous_client_for(result)
    page = view(client, result)

    head = client.head(result.get_absolute_url())

    assert head.status_code == 200
    assert PAGE not in rendered(head)
    assert head.content == b""
    assert head["Content-Type"] == page["Content-Type"]


def test_the_sharing_panel_is_live_on_a_kept_frame(clinic):
    result = save_assessment(HARD_STOP_ANSWERS)
    client = anonymous_client_for(result)
    assert "Send to a clinic" in view(client, result).content.decode()

    share_send(assessment=result, clinic=clinic, contact={})
    response = view(client, result)

    assert PAGE not in rendered(response)
    assert f"Sent to {clinic.name}" in response.content.decode()
    assert "Send to a clinic" not in response.content.decode()


def test_a_panel_with_a_csrf_token_keeps_none_in_the_frame():
    result = save_assessment(HARD_STOP_ANSWERS)
    private_link_create(assessment=result)
    client = anonymous_client_for(result)

    first, second = view(client, result), view(client, result)

    assert PAGE not in rendered(second)
    assert "Revoke the private link" in second.content.decode()
    assert second.content.decode().count("csrfmiddlewaretoken") == 2  # the panel's two forms
    for frame in result_frame._kept.values():
        assert "csrfmiddlewaretoken" not in "".join(frame.pieces)
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


def test_signed_in_the_page_is_rendered_whole_every_time(owner_client, owner):
    result = save_assessment(HARD_STOP_ANSWERS, owner=owner)

    first, second = view(owner_client, result), view(owner_client, result)

    assert PAGE in rendered(first) and PAGE in rendered(second)
    assert "Log out" in second.content.decode()
    assert not result_frame._kept


def test_past_the_cap_the_kept_frames_are_let_go(monkeypatch):
    monkeypatch.setattr(result_frame, "_MOST_KEPT", 1)
    hard_stop, flagged = save_assessment(HARD_STOP_ANSWERS), save_assessment(FLAGGED_ANSWERS)
    view(anonymous_client_for(hard_stop), hard_stop)

    assert PAGE in rendered(view(anonymous_client_for(flagged), flagged))

    assert [key[0] for key in result_frame._kept] == [flagged.disposition]
    assert PAGE in rendered(view(anonymous_client_for(hard_stop), hard_stop))
