"""Bad input over HTTP: every step, the URLs around it and the request itself.

Whatever is posted, the questionnaire answers with a form error page, a redirect or a 4xx, never a
500, and nothing is saved unless every answer is one the rulebook allows. The test client raises
any exception a view lets escape, so a would-be 500 fails these tests with its traceback.
"""

import json
import re
import uuid
from urllib.parse import urlencode

import pytest
from django.conf import settings as django_settings
from django.contrib.sessions.backends.db import SessionStore
from django.contrib.sessions.models import Session
from django.test import Client
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from assessments import rulebook
from assessments.forms import REVIEW_STEP_KEY
from assessments.models import Assessment
from tests.questionnaire import (
    SAFE_ANSWERS,
    STEP_KEYS,
    agree,
    answer_steps,
    step_post_data,
    step_url,
    submission_id,
    take_assessment,
)

CONSENT_URL = "/assessment/before-you-start/"
WIZARD_SESSION_KEY = "wizard_questionnaire_wizard"
ERROR_SUMMARY = re.compile(r"There (is a problem|are \d+ problems) with your answers")
FORM_URLENCODED = "application/x-www-form-urlencoded"
OVERSIZED = "x" * 10_000

# Every step is reachable with these answers: history is shown because used_before is "yes".
ANSWERS = {**SAFE_ANSWERS, "used_before": "yes", "past_reactions": ["none"]}
ALL_STEPS = [*STEP_KEYS, REVIEW_STEP_KEY]
NEXT_STEP = dict(zip(ALL_STEPS, ALL_STEPS[1:], strict=False))


def _questions(step: str) -> tuple[rulebook.Question, ...]:
    if step == REVIEW_STEP_KEY:
        return (rulebook.NOTES,)
    return rulebook.STEPS_BY_KEY[step].questions


def _field(step: str, question: rulebook.Question) -> str:
    return f"{step}-{question.key}"


_REACHED: dict[str, str] = {}  # step -> the JSON of a session that has answered the steps before it


def _reach(client: Client, step: str) -> None:
    """Agree and answer, validly, every step before `step`.

    The first test to reach a step takes the questionnaire over HTTP; later ones start from a copy
    of that session, which keeps this many-case file fast.
    """
    if step not in _REACHED:
        walker = Client()
        agree(walker)
        answer_steps(walker, ANSWERS, ALL_STEPS[: ALL_STEPS.index(step)])
        _REACHED[step] = json.dumps(dict(walker.session.items()))
    store = SessionStore()
    store.update(json.loads(_REACHED[step]))
    store.create()
    client.cookies[django_settings.SESSION_COOKIE_NAME] = store.session_key


def _post(client: Client, step: str, data: dict, *, urlencoded: bool = False):
    if step == REVIEW_STEP_KEY:
        data = {"submission": submission_id(client), **data}
    if urlencoded:
        body = urlencode(data, doseq=True)
        return client.post(step_url(step), body, content_type=FORM_URLENCODED)
    return client.post(step_url(step), data)


def _stored_step_data(client: Client) -> dict:
    return client.session.get(WIZARD_SESSION_KEY, {}).get("step_data", {})


def assert_form_error_page(response) -> None:
    assert response.status_code == 200, response.get("Location")
    assert ERROR_SUMMARY.search(response.content.decode()), response.content.decode()[:3000]
    assert "<title>Error: " in response.content.decode()
    assert Assessment.objects.count() == 0


def assert_accepted(response, step: str) -> None:
    assert response.status_code == 302, response.content.decode()[:3000]
    assert response["Location"] == step_url(NEXT_STEP[step])
    assert Assessment.objects.count() == 0


# --- The table: every step x every kind of bad value ---------------------------------------


def _bad_value_cases():
    """(step, case, field overrides) rows; a value of None removes the field from the POST."""
    for step in ALL_STEPS:
        valid = step_post_data(step, ANSWERS)
        for question in _questions(step):
            name = _field(step, question)
            if question.required:
                yield step, f"{question.key} missing", {name: None}
            if question.kind == "text":
                yield step, f"{question.key} oversized", {name: OVERSIZED}
                yield step, f"{question.key} with a NUL byte", {name: "a note\x00"}
                continue
            if question.kind == "int":
                yield step, f"{question.key} not a number", {name: "several"}
                yield step, f"{question.key} a number then a word", {name: ["3", "several"]}
            else:
                yield step, f"{question.key} unknown code", {name: "not_a_code"}
                yield step, f"{question.key} code in the wrong case", {name: "YES"}
                yield step, f"{question.key} a NUL byte", {name: "\x00"}
                yield step, f"{question.key} a code with a NUL byte", {name: f"{valid[name]}\x00"}
            yield step, f"{question.key} oversized", {name: OVERSIZED}
            yield step, f"{question.key} empty", {name: ""}
            if question.kind == "one":
                yield step, f"{question.key} a list ending in junk", {name: [valid[name], "junk"]}
            if question.kind == "many":
                yield step, f"{question.key} a list with junk", {name: [*valid[name], "junk"]}
                others = [code for code in question.codes if code != question.exclusive]
                yield (
                    step,
                    f"{question.key} {question.exclusive!r} with {others[0]!r}",
                    {name: [question.exclusive, others[0]]},
                )
        if step != REVIEW_STEP_KEY:
            yield step, "every answer missing", dict.fromkeys(valid)


BAD_VALUE_CASES = list(_bad_value_cases())


@pytest.mark.parametrize(
    ("step", "overrides"),
    [(step, overrides) for step, _, overrides in BAD_VALUE_CASES],
    ids=[f"{step}: {case}" for step, case, _ in BAD_VALUE_CASES],
)
def test_it_shows_a_form_error_page_for_a_bad_value(client, db, step, overrides):
    _reach(client, step)
    data = {**step_post_data(step, ANSWERS), **overrides}
    data = {key: value for key, value in data.items() if value is not None}

    response = _post(client, step, data)

    assert_form_error_page(response)
    assert step not in _stored_step_data(client)


@pytest.mark.parametrize(
    ("step", "name"), [("scalp", "scalp_open_wounds"), ("hair", "hair_loss_signs")]
)
def test_it_does_not_echo_an_unknown_code_back_into_the_page(client, db, step, name):
    _reach(client, step)
    data = {**step_post_data(step, ANSWERS), f"{step}-{name}": OVERSIZED}

    response = _post(client, step, data)

    assert_form_error_page(response)
    assert OVERSIZED not in response.content.decode()
    assert "Select a valid choice" not in response.content.decode()


@pytest.mark.parametrize(
    ("step", "exclusive", "other"),
    [
        ("hair", "none", "sudden"),
        ("technique", "nothing", "serum"),
        ("history", "none", "shedding"),
    ],
)
def test_it_explains_that_an_exclusive_answer_cannot_be_combined(
    client, db, step, exclusive, other
):
    _reach(client, step)
    (question,) = [q for q in _questions(step) if q.exclusive == exclusive]
    data = {**step_post_data(step, ANSWERS), _field(step, question): [exclusive, other]}

    response = _post(client, step, data)

    assert_form_error_page(response)
    label = question.label_for(exclusive)
    assert (
        f"\u201c{label}\u201d can\u2019t be combined with other answers"
        in response.content.decode()
    )


@pytest.mark.parametrize("step", ALL_STEPS)
def test_it_ignores_unknown_extra_fields(client, db, step):
    _reach(client, step)
    extras = {
        f"{step}-favourite_colour": "blue",
        "favourite_colour": "blue",
        "scalp-scalp_open_wounds": "yes" if step != "scalp" else "no",
        "wizard_goto_step": "no_such_step",
        "questionnaire_wizard-current_step": "review",
    }
    data = {**step_post_data(step, ANSWERS), **extras}

    response = _post(client, step, data)

    if step == REVIEW_STEP_KEY:
        assert response.status_code == 302
        (assessment,) = Assessment.objects.all()
        assert response["Location"] == assessment.get_absolute_url()
        assert "favourite_colour" not in assessment.answers
        assert assessment.answers["scalp_open_wounds"] == "no"
    else:
        assert_accepted(response, step)


def test_it_keeps_only_the_steps_own_fields_in_the_session(client, db):
    _reach(client, "scalp")
    data = {**step_post_data("scalp", ANSWERS), "scalp-favourite_colour": "x" * 100_000}

    assert_accepted(client.post(step_url("scalp"), data), "scalp")

    assert set(_stored_step_data(client)["scalp"]) == set(step_post_data("scalp", ANSWERS))


# One single-answer question of each kind, from every step that has one.
SINGLE_ANSWER_QUESTIONS = [
    (step, question)
    for step in ALL_STEPS
    for question in _questions(step)
    if question.kind in ("one", "int", "text")
    and question.key
    in ("scalp_open_wounds", "diagnosis", "age_band", "device_uses", "frequency", "notes")
]


@pytest.mark.parametrize(
    ("step", "question"),
    SINGLE_ANSWER_QUESTIONS,
    ids=[f"{step}: {question.key}" for step, question in SINGLE_ANSWER_QUESTIONS],
)
def test_it_rejects_two_different_answers_to_a_single_answer_question(client, db, step, question):
    _reach(client, step)
    valid = step_post_data(step, ANSWERS).get(_field(step, question), "a note")
    other = {"int": "5", "text": "another note"}.get(question.kind)
    other = other or next(code for code in question.codes if code != valid)
    data = {**step_post_data(step, ANSWERS), _field(step, question): [other, str(valid)]}

    assert_form_error_page(_post(client, step, data))


# --- How many times the device has been used ------------------------------------------------


@pytest.mark.parametrize(
    "posted",
    ["-1", "1001", "1e3", "3.5", "", "   ", "99999999999999999999", "9" * 5000, "0x10", "½", "NaN"],
)
def test_it_rejects_a_device_use_count_that_is_not_a_whole_number_from_0_to_1000(
    client, db, posted
):
    _reach(client, "device")
    data = {**step_post_data("device", ANSWERS), "device-device_uses": posted}

    assert_form_error_page(client.post(step_url("device"), data))


@pytest.mark.parametrize(
    ("posted", "saved"),
    [("0", 0), ("1000", 1000), (" 7 ", 7), ("3.0", 3), ("\u0663", 3), ("007", 7)],
)
def test_it_reads_a_device_use_count_that_is_a_whole_number(client, db, posted, saved):
    # Django reads surrounding spaces, a trailing ".0" and non-ASCII digits (here Arabic-Indic
    # three) as the whole number they write; what is saved is that number, never the text.
    answers = {**SAFE_ANSWERS, "device_uses": posted}
    assessment = take_assessment(client, answers)

    assert assessment.answers["device_uses"] == saved
    assert type(assessment.answers["device_uses"]) is int


# --- The review step -------------------------------------------------------------------------


def test_it_saves_nothing_when_the_note_is_too_long(client, db):
    _reach(client, REVIEW_STEP_KEY)

    response = _post(client, REVIEW_STEP_KEY, {"review-notes": "x" * 1001})

    assert_form_error_page(response)
    assert "Keep your note to 1000 characters or fewer (you have 1001)." in (
        response.content.decode()
    )


def test_it_saves_a_note_of_exactly_1000_characters(client, db):
    _reach(client, REVIEW_STEP_KEY)

    response = _post(client, REVIEW_STEP_KEY, {"review-notes": "x" * 1000})

    assert response.status_code == 302
    assert Assessment.objects.get().answers["notes"] == "x" * 1000


@pytest.mark.parametrize(
    "submission",
    ["", "not-a-uuid", uuid.uuid4().hex, str(uuid.uuid4()), "x" * 10_000, "\x00", ["a", "b"]],
)
def test_it_ignores_a_tampered_submission_value(client, db, submission):
    _reach(client, REVIEW_STEP_KEY)
    expected = submission_id(client)

    response = client.post(step_url(REVIEW_STEP_KEY), {"submission": submission})

    # The submission id that counts is the one in the session, never the posted one.
    (assessment,) = Assessment.objects.all()
    assert assessment.submission_id.hex == expected
    assert response["Location"] == assessment.get_absolute_url()


def test_it_does_not_follow_someone_elses_submission_value_to_their_result(client, db):
    theirs = Client()
    their_assessment = take_assessment(theirs)
    their_submission = their_assessment.submission_id.hex
    _reach(client, REVIEW_STEP_KEY)

    response = client.post(step_url(REVIEW_STEP_KEY), {"submission": their_submission})

    assert response.status_code == 302
    assert response["Location"] != their_assessment.get_absolute_url()
    assert Assessment.objects.count() == 2
    assert client.get(their_assessment.get_absolute_url()).status_code == 404


def test_it_replays_a_final_submit_to_the_same_result(client, db):
    assessment = take_assessment(client)

    response = client.post(step_url(REVIEW_STEP_KEY), {"submission": assessment.submission_id.hex})

    assert response["Location"] == assessment.get_absolute_url()
    assert Assessment.objects.count() == 1


# --- Back (wizard_goto_step) -----------------------------------------------------------------


@pytest.mark.parametrize(
    "goto", ["", "no_such_step", "../admin", "SCALP", "done", "x" * 10_000, "\x00", "history"]
)
def test_it_treats_an_unknown_back_target_as_a_plain_submit(client, db, goto):
    agree(client)
    answer_steps(client, SAFE_ANSWERS, ["scalp", "hair", "health", "device"])
    # used_before is "no", so history is not a step either.

    invalid = client.post(step_url("technique"), {"wizard_goto_step": goto})
    valid = client.post(
        step_url("technique"),
        {**step_post_data("technique", SAFE_ANSWERS), "wizard_goto_step": goto},
    )

    assert_form_error_page(invalid)
    assert valid.status_code == 302
    assert valid["Location"] == step_url(REVIEW_STEP_KEY)


def test_it_does_not_skip_ahead_when_back_points_forward(client, db):
    agree(client)

    response = client.post(
        step_url("scalp"), {**step_post_data("scalp", ANSWERS), "wizard_goto_step": "review"}
    )
    review = client.get(response["Location"])

    assert review.status_code == 302
    assert review["Location"] == step_url("hair")
    assert Assessment.objects.count() == 0


def test_it_does_not_save_when_back_is_pressed_on_the_review_step(client, db):
    _reach(client, REVIEW_STEP_KEY)

    for goto in ["scalp", "review"]:
        response = _post(client, REVIEW_STEP_KEY, {"wizard_goto_step": goto})
        assert response.status_code == 302
        assert response["Location"] == step_url(goto)

    assert Assessment.objects.count() == 0


def test_it_accepts_nothing_from_a_step_not_yet_reached_even_with_back(client, db):
    agree(client)

    response = client.post(
        step_url("device"), {**step_post_data("device", ANSWERS), "wizard_goto_step": "scalp"}
    )

    assert response.status_code == 302
    assert "device" not in _stored_step_data(client)


def test_it_keeps_a_bad_draft_from_back_without_crashing_when_shown_again(client, db):
    _reach(client, "device")
    draft = {
        "device-device_type": ["junk", "\x00"],
        "device-device_uses": "x" * 10_000,
        "device-needle_length": "",
        "wizard_goto_step": "health",
    }

    back = client.post(step_url("device"), draft)
    health = client.post(step_url("health"), step_post_data("health", ANSWERS))
    shown = client.get(step_url("device"))

    assert back["Location"] == step_url("health")
    assert health["Location"] == step_url("device")
    assert shown.status_code == 200
    assert not ERROR_SUMMARY.search(shown.content.decode())
    assert_form_error_page(client.post(step_url("device"), draft | {"wizard_goto_step": ""}))


# --- URLs ------------------------------------------------------------------------------------


@pytest.mark.parametrize("method", ["get", "post"])
def test_it_resumes_on_an_unknown_step_name(client, db, method):
    agree(client)
    for name in ["nope", "done", "history", "review_", "a" * 2000]:
        response = getattr(client, method)(f"/assessment/{name}/")
        assert response.status_code == 302, name
        assert response["Location"] == step_url("scalp")
    assert getattr(client, method)("/assessment/")["Location"] == step_url("scalp")
    assert _stored_step_data(client) == {}


@pytest.mark.parametrize(
    "path",
    ["/assessment/SCALP/", "/assessment/scalp2/", "/assessment/sc%00alp/", "/assessment/scalp/x/"],
)
def test_it_answers_404_for_a_step_name_that_is_not_a_name(client, db, path):
    agree(client)
    assert client.get(path).status_code == 404
    assert client.post(path, {}).status_code == 404


@pytest.mark.parametrize(
    "path",
    [
        "/results/not-a-uuid/",
        f"/results/{uuid.uuid4()}/",
        f"/results/{uuid.uuid4().hex}/",
        f"/results/{str(uuid.uuid4()).upper()}/",
        f"/results/{uuid.uuid4()}x/",
        "/results//",
        "/results/%00/",
    ],
)
def test_it_answers_404_for_a_result_that_does_not_exist(client, db, path):
    assert client.get(path).status_code == 404


def test_it_answers_404_for_someone_elses_result_whatever_the_spelling(client, db):
    assessment = take_assessment(Client())
    for path in [
        assessment.get_absolute_url(),
        f"/results/{assessment.id.hex}/",
        f"/results/{str(assessment.id).upper()}/",
    ]:
        assert client.get(path).status_code == 404, path


def test_it_sends_a_step_post_before_agreeing_to_the_privacy_notice(client, db):
    for step in ALL_STEPS:
        response = client.post(step_url(step), step_post_data(step, ANSWERS))
        assert response.status_code == 302, step
        assert response["Location"] == CONSENT_URL
    response = client.post(step_url(REVIEW_STEP_KEY), {"submission": uuid.uuid4().hex})

    assert response["Location"] == CONSENT_URL
    assert Assessment.objects.count() == 0
    assert WIZARD_SESSION_KEY not in client.session
    assert "Your session ended before you finished" in client.get(CONSENT_URL).content.decode()


def test_it_does_not_start_on_a_bad_agreement(client, db):
    # A ticked checkbox sends "on"; anything else, hand-made, is not agreement.
    for data in [
        {},
        {"agree": ""},
        {"agree": "false"},
        {"agree": "0"},
        {"agree": "off"},
        {"agree": ["on", "x"]},
    ]:
        response = client.post(CONSENT_URL, data)
        assert response.status_code == 200, data
        assert ERROR_SUMMARY.search(response.content.decode())
    assert client.post(step_url("scalp"), step_post_data("scalp", ANSWERS))["Location"] == (
        CONSENT_URL
    )


# --- Methods and CSRF ------------------------------------------------------------------------

METHOD_PATHS = [
    "/assessment/",
    step_url("scalp"),
    step_url(REVIEW_STEP_KEY),
    "/assessment/no_such_step/",
    CONSENT_URL,
    "/assessment/start-over/",
    f"/results/{uuid.uuid4()}/",
]


@pytest.mark.parametrize("agreed", [False, True], ids=["before agreeing", "after agreeing"])
@pytest.mark.parametrize("method", ["put", "patch", "delete", "trace"])
def test_it_refuses_other_methods_without_a_500(client, db, method, agreed):
    if agreed:
        agree(client)
    for path in METHOD_PATHS:
        response = getattr(client, method)(path)
        assert response.status_code in (302, 405), (path, response.status_code)
        if response.status_code == 302:
            assert response["Location"] == CONSENT_URL
    assert Assessment.objects.count() == 0


def test_it_refuses_a_get_to_start_over_and_a_post_to_a_result(client, db):
    assessment = take_assessment(client)
    assert client.get("/assessment/start-over/").status_code == 405
    assert client.post(assessment.get_absolute_url()).status_code == 405


def test_it_refuses_a_post_without_the_csrf_token(db):
    client = Client(enforce_csrf_checks=True)
    client.get(CONSENT_URL)
    token = client.cookies["csrftoken"].value

    assert client.post(CONSENT_URL, {"agree": "on"}).status_code == 403
    assert (
        client.post(CONSENT_URL, {"agree": "on", "csrfmiddlewaretoken": "x" * 64}).status_code
        == 403
    )
    assert (
        client.post(CONSENT_URL, {"agree": "on", "csrfmiddlewaretoken": token}).status_code == 302
    )
    assert client.post(step_url("scalp"), step_post_data("scalp", ANSWERS)).status_code == 403
    assert client.post("/assessment/start-over/").status_code == 403
    assert _stored_step_data(client) == {}


# --- The request body itself -----------------------------------------------------------------


def test_it_shows_a_form_error_page_for_a_1_mb_value(client, db):
    _reach(client, REVIEW_STEP_KEY)
    assert_form_error_page(_post(client, REVIEW_STEP_KEY, {"review-notes": "x" * 1_000_000}))
    assert_form_error_page(
        client.post(step_url("scalp"), {"scalp-scalp_open_wounds": "y" * 1_000_000})
    )


@pytest.mark.parametrize("encoding", ["multipart", "urlencoded"])
@pytest.mark.parametrize("step", ["scalp", REVIEW_STEP_KEY])
def test_it_answers_400_for_a_body_over_the_upload_limit(client, db, step, encoding):
    _reach(client, step)
    data = {f"{step}-notes": "x" * 3_000_000, "submission": submission_id(client)}
    if encoding == "urlencoded":
        response = client.post(step_url(step), urlencode(data), content_type=FORM_URLENCODED)
    else:
        response = client.post(step_url(step), data)

    assert response.status_code == 400
    assert Assessment.objects.count() == 0


def test_it_answers_400_for_too_many_fields(client, db):
    _reach(client, REVIEW_STEP_KEY)
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
    _reach(client, "scalp")

    response = client.generic(
        "POST", step_url("scalp"), body, content_type=FORM_URLENCODED + charset
    )

    assert_form_error_page(response)


def test_it_shows_a_form_error_page_for_a_malformed_multipart_body(client, db):
    _reach(client, "scalp")
    body = b'--b\r\nContent-Disposition: form-data; name="scalp-scalp_open_wounds"\r\n\r\n\xff'

    response = client.generic(
        "POST", step_url("scalp"), body, content_type="multipart/form-data; boundary=b"
    )

    assert response.status_code in (200, 400)
    assert Assessment.objects.count() == 0


# --- Random input ----------------------------------------------------------------------------

ANY_CODE = sorted({code for q in rulebook.QUESTIONS.values() for code in q.codes})
AWKWARD = ["", " ", "\x00", "-1", "1001", "1e3", "3.5", " 7 ", "\u0663", "99999999999999999999"]
WIZARD_FIELDS = {"submission", "wizard_goto_step", "csrfmiddlewaretoken"}

one_value = st.one_of(
    st.sampled_from(ANY_CODE + AWKWARD),
    st.text(max_size=30),
    st.integers(-5, 1005).map(str),
    st.just("x" * 1001),
)
field_value = st.one_of(one_value, st.lists(one_value, max_size=4))


def _step_post(step: str):
    questions = _questions(step)
    fields = st.fixed_dictionaries(
        {},
        optional={_field(step, question): field_value for question in questions},
    )
    extras = st.dictionaries(
        st.text(min_size=1, max_size=20).filter(lambda key: key not in WIZARD_FIELDS),
        one_value,
        max_size=3,
    )
    return st.tuples(st.just(step), extras, fields).map(lambda t: (t[0], {**t[1], **t[2]}))


def _valid_answer(question: rulebook.Question, values: list[str]) -> bool | None:
    """Whether the rulebook allows these posted values; None when only Django can say (ints)."""
    if question.kind == "many":
        chosen = set(values)
        return (
            bool(chosen)
            and chosen <= set(question.codes)
            and not (question.exclusive in chosen and len(chosen) > 1)
        )
    if len(values) > 1:
        return False  # one answer only, however many times it is sent
    value = values[-1] if values else ""
    if question.kind == "one":
        return value in question.codes
    if question.kind == "text":
        return len(value.strip()) <= (question.max_length or 0) and "\x00" not in value
    if re.fullmatch(r"-?[0-9]+", value.strip()):
        return 0 <= int(value) <= 1000
    return None


def _as_list(value) -> list[str]:
    return value if isinstance(value, list) else [value]


@settings(
    max_examples=150,
    deadline=None,
    database=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture],
)
@given(post=st.sampled_from(ALL_STEPS).flatmap(_step_post))
def test_it_never_fails_or_saves_on_random_input_to_any_step(db, post):
    step, data = post
    Assessment.objects.all().delete()
    Session.objects.all().delete()
    client = Client()
    _reach(client, step)

    response = _post(client, step, data, urlencoded=True)
    verdicts = [_valid_answer(q, _as_list(data.get(_field(step, q), []))) for q in _questions(step)]

    assert response.status_code in (200, 302)
    if response.status_code == 200:
        assert_form_error_page(response)
        assert not all(v is True for v in verdicts), (data, verdicts)
    elif step == REVIEW_STEP_KEY:
        (assessment,) = Assessment.objects.all()
        assert response["Location"] == assessment.get_absolute_url()
        notes = _as_list(data.get("review-notes", []))
        assert assessment.answers["notes"] == (notes[-1].strip() if notes else "")
    else:
        assert_accepted(response, step)
        assert False not in verdicts, (data, verdicts)
