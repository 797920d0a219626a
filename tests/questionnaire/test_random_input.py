"""Random input to every step (Hypothesis): never a 500, and nothing saved that the rulebook
does not allow.
"""

import re

from django.contrib.sessions.models import Session
from django.test import Client
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from assessments import rulebook
from assessments.models import Assessment
from assessments.rulebook import REVIEW_STEP_KEY
from tests.support.bad_input import (
    assert_accepted,
    assert_form_error_page,
    field_name,
    post_step,
    reach_step,
    step_questions,
)
from tests.support.questionnaire import (
    ALL_STEPS,
)

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
    questions = step_questions(step)
    fields = st.fixed_dictionaries(
        {},
        optional={field_name(step, question): field_value for question in questions},
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
    reach_step(client, step)

    response = post_step(client, step, data, urlencoded=True)
    verdicts = [
        _valid_answer(q, _as_list(data.get(field_name(step, q), []))) for q in step_questions(step)
    ]

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
