"""Every character a page shows is one that common phone and desktop fonts have.

A tick, cross or info sign (and most symbols outside Latin-1) can be missing from a phone's fonts
and show as an empty box; the result page's checklist marks are images for that reason.
"""

import re
from html import unescape

import pytest

from tests.support.answers import SAFE_ANSWERS
from tests.support.assessments import save_assessment
from tests.support.questionnaire import agree, answer_steps, shown_steps, step_url

pytestmark = pytest.mark.django_db

# Latin-1 and the typographic punctuation every text font has.
_SAFE = re.compile(r"[\t\n\r\x20-\x7e\xa0-\xff\u2013\u2014\u2018\u2019\u201c\u201d\u2026\u2022]")

MANY_FACTORS = {
    **SAFE_ANSWERS,
    "scalp_irritated": "yes",
    "recent_trigger": "yes",
    "age_band": "18_21",
    "diabetes": "controlled",
    "keloid": "not_sure",
    "metal_allergy": "not_sure",
    "device_type": "pen",
    "needle_length": "0_6_to_1_0",
    "device_condition": "reused_rinsed",
    "device_uses": 20,
    "device_shared": "not_sure",
    "frequency": "2_3_per_week",
    "pressure": "pinpoint_bleeding",
    "aftercare": ["minoxidil_immediately", "serum"],
}


def _unsafe_characters(html: str) -> set[str]:
    text = unescape(re.sub(r"<(script|style)\b.*?</\1>", "", html, flags=re.S))
    return {c for c in text if not _SAFE.match(c)}


def test_the_result_page_uses_only_characters_every_font_has(client, owner):
    client.force_login(owner)
    assessment = save_assessment(MANY_FACTORS, owner=owner)
    html = client.get(assessment.get_absolute_url()).content.decode()
    assert _unsafe_characters(html) == set()


def test_the_questionnaire_pages_use_only_characters_every_font_has(client):
    agree(client)
    for step in shown_steps(SAFE_ANSWERS):
        html = client.get(step_url(step)).content.decode()
        assert _unsafe_characters(html) == set(), step
        if step != shown_steps(SAFE_ANSWERS)[-1]:
            answer_steps(client, SAFE_ANSWERS, [step])


def test_my_assessments_uses_only_characters_every_font_has(client, owner):
    client.force_login(owner)
    save_assessment(MANY_FACTORS, owner=owner)
    save_assessment(SAFE_ANSWERS, owner=owner)
    html = client.get("/my/assessments/").content.decode()
    assert _unsafe_characters(html) == set()
