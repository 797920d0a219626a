"""Bad input to the sharing forms is a form error, never a 500, and sends nothing."""

import pytest

from clinics.models import Share
from tests.sharing.conftest import link_url, revoke_url, send_data, send_url, stop_url
from tests.support.bad_input import ERROR_SUMMARY

pytestmark = pytest.mark.django_db

MEGABYTE = "x" * 1_000_000
FIELDS = ["clinic", "contact_way", "contact_name", "contact_email", "contact_phone", "contact_time"]
BAD_VALUES = {
    "a megabyte": MEGABYTE,
    "a megabyte of digits": "1" * 1_000_000,
    "a NUL byte": "ab\x00cd",
    "only a NUL byte": "\x00",
}


@pytest.mark.parametrize("field", FIELDS)
@pytest.mark.parametrize("value", BAD_VALUES.values(), ids=BAD_VALUES.keys())
def test_a_bad_field_is_a_form_error(owner_client, result, clinic, field, value):
    response = owner_client.post(send_url(result), send_data(clinic, **{field: value}))
    assert response.status_code == 200
    assert ERROR_SUMMARY.search(response.content.decode())
    assert not Share.objects.exists()


def test_a_nul_byte_in_the_agreement_still_needs_a_real_tick(owner_client, result, clinic):
    data = send_data(clinic)
    data["agree"] = "\x00"
    response = owner_client.post(send_url(result), data)
    # A browser sends "on"; any other non-empty value is a tick to a BooleanField. What matters
    # is that nothing breaks: sent, or a form error.
    assert response.status_code in (200, 302)


def test_repeated_fields_and_an_empty_body_are_form_errors(owner_client, result, clinic):
    response = owner_client.post(
        send_url(result),
        f"clinic={clinic.pk}&clinic=999&contact_way=email&contact_way=phone",
        content_type="application/x-www-form-urlencoded",
    )
    assert response.status_code == 200
    response = owner_client.post(
        send_url(result), "", content_type="application/x-www-form-urlencoded"
    )
    assert response.status_code == 200
    assert not Share.objects.exists()


@pytest.mark.parametrize("url", [stop_url, link_url, revoke_url])
def test_the_forms_without_fields_ignore_what_is_sent(owner_client, result, url):
    response = owner_client.post(url(result), {"x": MEGABYTE, "y": "\x00"})
    assert response.status_code in (200, 302)


@pytest.mark.parametrize("query", ["?clinic=%00", f"?x={'y' * 10000}"])
def test_query_strings_change_nothing(owner_client, result, clinic, query):
    assert owner_client.get(send_url(result) + query).status_code == 200
