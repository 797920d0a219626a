"""Hypothesis strategies for the pure mapping of rulebook section 6 (assessments/checks.py):
a base's answers, a check, a log of sessions since the base, a check-in. Drawn from the
rulebook's own questions. Pure: no Django needed."""

import datetime

from hypothesis import settings
from hypothesis import strategies as st

from assessments import rulebook
from assessments.scoring import validate

# No example database: the run must not write files into the repository.
PROPERTY = settings(max_examples=75, deadline=None, database=None)

# The reactions a check-in can record (every past_reactions code but the exclusive "none").
REACTIONS = tuple(
    code
    for code in rulebook.QUESTIONS[rulebook.KEY_PAST_REACTIONS].codes
    if code != rulebook.QUESTIONS[rulebook.KEY_PAST_REACTIONS].exclusive
)


def choice_of(question: rulebook.Question):
    """Any valid answer to `question`, `many` answers unordered and possibly repeated."""
    if question.kind == "one":
        return st.sampled_from(question.codes)
    if question.kind == "many":
        others = [code for code in question.codes if code != question.exclusive]
        picked = st.lists(st.sampled_from(others), min_size=1, max_size=len(others) + 2)
        return st.one_of(st.just([question.exclusive]), picked)
    if question.kind == "int":
        return st.integers(question.min_value, question.max_value)
    return st.text(max_size=question.max_length)


@st.composite
def base_answers(draw) -> dict:
    """A base assessment's answers, validated as saved."""
    drawn = draw(
        st.fixed_dictionaries(
            {q.key: choice_of(q) for step in rulebook.STEPS for q in step.questions}
        )
    )
    if drawn["device_condition"] == "new_sterile":
        drawn["device_uses"] = 0
    return validate(drawn)


def checks():
    return st.fixed_dictionaries({q.key: choice_of(q) for q in rulebook.CHECK_QUESTIONS})


def checkins():
    return st.fixed_dictionaries({q.key: choice_of(q) for q in rulebook.CHECKIN_QUESTIONS})


@st.composite
def logs_and_today(draw) -> tuple[list[dict], datetime.date]:
    """Sessions logged since the base, oldest first (gaps of 0 to 40 days), and a `today` on or
    after the last one."""
    date = draw(st.dates(datetime.date(2026, 1, 1), datetime.date(2027, 12, 31)))
    log = []
    for _ in range(draw(st.integers(0, 6))):
        date += datetime.timedelta(days=draw(st.integers(0, 40)))
        log.append(
            {
                "date": date,
                "device_today": draw(st.sampled_from(rulebook.DEVICE_TODAY.codes)),
                "added_reactions": draw(st.lists(st.sampled_from(REACTIONS), max_size=3)),
            }
        )
    today = date + datetime.timedelta(days=draw(st.integers(0, 60)))
    return log, today
