"""The request body itself: oversized values and bodies, too many fields, bytes that are not
UTF-8, a malformed multipart body. A form error page or a 400, never a 500.
"""

from urllib.parse import urlencode

import pytest

from assessments.models import Assessment
from assessments.rulebook import REVIEW_STEP_KEY
from tests.support.bad_input import (
    FORM_URLENCODED,
    assert_form_error_page,
    post_step,
    reach_step,
)
from tests.support.questionnaire import (
    step_url,
    submission_id,
)


def test_it_shows_a_form_error_page_for_a_1_mb_value(client, db):
    reach_step(client, REVIEW_STEP_KEY)
    assert_form_error_page(post_step(client, REVIEW_STEP_KEY, {"review-notes": "x" * 1_000_000}))
    assert_form_error_page(
        client.post(step_url("scalp"), {"scalp-scalp_open_wounds": "y" * 1_000_000})
    )


@pytest.mark.parametrize("encoding", ["multipart", "urlencoded"])
@pytest.mark.parametrize("step", ["scalp", REVIEW_STEP_KEY])
def test_it_answers_400_for_a_body_over_the_upload_limit(client, db, step, encoding):
    reach_step(client, step)
    data = {f"{step}-notes": "x" * 3_000_000, "submission": submission_id(client)}
    if encoding == "urlencoded":
        response = client.post(step_url(step), urlencode(data), content_type=FORM_URLENCODED)
    else:
        response = client.post(step_url(step), data)

    assert response.status_code == 400
    assert Assessment.objects.count() == 0


def test_it_answers_400_for_too_many_fields(client, db):
    reach_step(client, REVIEW_STEP_KEY)
    data = {f"review-field_{n}": "x" for n in range(1001)}

    response = client.post(step_url(REVIEW_STEP_KEY), urlencode(data), content_type=FORM_URLENCODED)

    assert response.status_code == 400
    assert Assessment.objects.count() == 0


@pytest.mark.parametrize(
    "body",
    [
        b"scalp-scalp_open_wounds=%FF%FE",
        b"scalp-scalp_open_wounds=\xff\xfe\x00",
        b"scalp-scalp_open_wounds=%ED%A0%80",  # an encoded UTF-16 surrogate
        b"scalp-scalp_open_wounds=n%C0%AFo",  # an overlong encoding
        b"scalp-scalp_open_wounds=%00",
        b"\xff\xfe=yes&scalp-%FF=no",
        b"&&&===&scalp-scalp_open_wounds",
    ],
)
@pytest.mark.parametrize("charset", ["", "; charset=utf-8", "; charset=no-such-charset"])
def test_it_shows_a_form_error_page_for_bytes_that_are_not_utf_8(client, db, body, charset):
    reach_step(client, "scalp")

    response = client.generic(
        "POST", step_url("scalp"), body, content_type=FORM_URLENCODED + charset
    )

    assert_form_error_page(response)


def test_it_shows_a_form_error_page_for_a_malformed_multipart_body(client, db):
    reach_step(client, "scalp")
    body = b'--b\r\nContent-Disposition: form-data; name="scalp-scalp_open_wounds"\r\n\r\n\xff'

    response = client.generic(
        "POST", step_url("scalp"), body, content_type="multipart/form-data; boundary=b"
    )

    assert response.status_code in (200, 400)
    assert Assessment.objects.count() == 0
