"""What rulebook 2026.12 adds to the result page, shown plainly: what to do next, what to do
first, all the changes together, each line's own level and disposition, the safety net, grade
meanings and DOI links."""

import re
from html import unescape

import pytest

from assessments import rulebook
from assessments.rulebook import Disposition
from assessments.scoring import score
from tests.support.questionnaire import SAFE_ANSWERS, take_assessment

pytestmark = pytest.mark.django_db

# R-SHARED (stop, modifiable), R-DAILY (caution 4), R-PEN (caution 2).
SHARED_DAILY_PEN = {
    **SAFE_ANSWERS,
    "device_shared": "yes",
    "frequency": "daily",
    "device_type": "pen",
}


def as_text(html: str) -> str:
    inline_gone = re.sub(r"</?(strong|a)\b[^>]*>", "", html)
    return " ".join(unescape(re.sub(r"<[^>]+>", " ", inline_gone)).split())


def page_text(client, answers: dict) -> str:
    assessment = take_assessment(client, answers)
    return as_text(client.get(assessment.get_absolute_url()).content.decode())


def test_it_says_what_to_do_next_and_first_in_the_factors_order(client):
    text = page_text(client, SHARED_DAILY_PEN)
    assert Disposition.STOP.next_step in text
    first = text[text.index("What to do first") : text.index("What we found")]
    advice = [rulebook.RULES_BY_ID[r].advice for r in ["R-SHARED", "R-DAILY", "R-PEN"]]
    assert [first.index(a) for a in advice] == sorted(first.index(a) for a in advice)


def test_it_shows_all_the_changes_together_before_each_change(client):
    text = page_text(client, SHARED_DAILY_PEN)
    lower = text[text.index("What would lower my risk") :]
    assert "All the changes together would give: lower risk, 0 points: go ahead with care." in lower
    assert lower.index("All the changes together") < lower.index("Each change on its own")


def test_each_line_shows_its_own_outcome_not_always_high(client):
    text = page_text(client, SHARED_DAILY_PEN)
    shared = rulebook.RULES_BY_ID["R-SHARED"].safer.change
    daily = rulebook.RULES_BY_ID["R-DAILY"].safer.change
    assert (
        f"{shared}: moderate risk, 6 points: make changes first; this is the way out of the stop."
        in text
    )
    assert f"{daily}: still a reason to stop: see a professional first." in text


def test_a_stop_no_answer_can_change_is_named_in_all_the_changes_together(client):
    text = page_text(client, {**SAFE_ANSWERS, "scalp_open_wounds": "yes", "frequency": "daily"})
    title = rulebook.RULES_BY_ID["R-SCALP-OPEN"].title
    assert f"All the changes together would give: still a reason to stop ({title})" in text


def test_it_ends_with_the_safety_net_and_explains_grades_and_links_dois(client):
    assessment = take_assessment(client, {**SAFE_ANSWERS, "frequency": "daily"})
    html = client.get(assessment.get_absolute_url()).content.decode()
    text = as_text(html)
    assert rulebook.SAFETY_NET in text
    assert score({**SAFE_ANSWERS, "frequency": "daily"}).factors[0].grade == "A/B"
    assert f"A: {rulebook.EVIDENCE_GRADES['A'].lower()}" in text
    assert f"B: {rulebook.EVIDENCE_GRADES['B'].lower()}" in text
    assert '<a href="https://doi.org/10.4103/0974-7753.114700">' in html
