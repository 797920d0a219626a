"""The result page: disposition, consult flag with reasons, factors, suggestions, checklist."""

import re
from html import unescape
from pathlib import Path

import pytest
from django.contrib.staticfiles import finders

from assessments import rulebook
from assessments.rulebook import Disposition
from tests.support.questionnaire import SAFE_ANSWERS, take_assessment

pytestmark = pytest.mark.django_db

HARD_STOP = {**SAFE_ANSWERS, "scalp_open_wounds": "yes", "pressure": "pinpoint_bleeding"}
HIGH = {**SAFE_ANSWERS, "needle_length": "1_1_to_1_5", "device_condition": "reused_rinsed"}
MODERATE = {**SAFE_ANSWERS, "needle_length": "0_6_to_1_0", "pressure": "pinpoint_bleeding"}
HIGH_BY_POINTS_ONLY = {
    **SAFE_ANSWERS,
    "device_condition": "reused_rinsed",
    "frequency": "daily",
}


def result_html(client, answers: dict) -> str:
    assessment = take_assessment(client, answers)
    response = client.get(assessment.get_absolute_url())
    assert response.status_code == 200
    return response.content.decode()


def text(html: str) -> str:
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html))


@pytest.mark.parametrize(
    ("answers", "disposition"),
    [
        (HARD_STOP, Disposition.STOP),
        # High through a consult rule and points: the rulebook's disposition is "consult".
        (HIGH, Disposition.CONSULT),
        (MODERATE, Disposition.CHANGE),
        (SAFE_ANSWERS, Disposition.GO_AHEAD),
    ],
)
def test_it_leads_with_the_disposition(client, answers, disposition):
    html = result_html(client, answers)
    h1 = unescape(re.search(r"<h1[^>]*>(.*?)</h1>", html, re.S).group(1))
    assert " ".join(h1.split()) == disposition.headline
    after_h1 = unescape(text(html[html.index("</h1>") :]))
    assert after_h1.lstrip().startswith(" ".join(disposition.next_step.split()))


def test_the_consult_flag_and_its_reasons_come_before_the_factors(client):
    html = result_html(client, HARD_STOP)
    assert html.index("See a professional first") < html.index("What we found")
    flag = html[html.index("consult-flag") : html.index("What we found")]
    assert rulebook.RULES_BY_ID["R-SCALP-OPEN"].title in flag
    assert rulebook.RULES_BY_ID["R-PINPOINT"].title not in flag, "not a consult reason"


def test_a_high_total_alone_is_given_as_the_reason(client):
    html = result_html(client, HIGH_BY_POINTS_ONLY)
    assert "your total of 8 points is in the high band" in text(html)


def test_no_consult_flag_without_a_reason(client):
    html = result_html(client, MODERATE)
    assert "See a professional first" not in html


def test_each_factor_shows_why_what_to_do_grade_and_sources(client):
    html = text(result_html(client, MODERATE))
    rule = rulebook.RULES_BY_ID["R-NEEDLE-MEDIUM"]
    for part in [rule.title, rule.why, rule.advice, f"Evidence grade: {rule.grade}"]:
        assert " ".join(part.split()) in html
    for source in rule.sources:
        assert source.id in html


def test_what_would_lower_my_risk_lists_the_largest_drop_first(client):
    html = result_html(client, MODERATE)
    section = text(html[html.index("What would lower my risk") :])
    needle = rulebook.RULES_BY_ID["R-NEEDLE-MEDIUM"].safer.change
    pressure = rulebook.RULES_BY_ID["R-PINPOINT"].safer.change
    assert section.index(needle) < section.index(pressure)
    assert f"<strong>{needle}</strong>: lower risk, 2 points: go ahead with care." in html


def test_a_modifiable_stop_shows_the_way_out(client):
    html = text(result_html(client, {**SAFE_ANSWERS, "needle_length": "over_1_5"}))
    assert "this is the way out of the stop" in html


def test_the_checklist_ticks_what_the_answers_already_meet(client):
    html = result_html(client, MODERATE)
    met = re.findall(r"checklist-item checklist-met", html)
    unmet = re.findall(r"checklist-item checklist-unmet", html)
    info = re.findall(r"checklist-item checklist-info", html)
    assert (len(met), len(unmet), len(info)) == (3, 2, 1)
    assert "Your answers meet this:" in html and "Not yet met:" in html


def test_it_carries_the_notice_and_the_rulebook_version_and_no_percentage(client):
    html = text(result_html(client, HIGH))
    assert " ".join(rulebook.STATUS_NOTICE.split()) in html
    assert f"Rulebook version {rulebook.VERSION}" in html
    percentages = set(re.findall(r"\d+\s*%[^;]{0,20}", html))
    assert all("isopropyl" in p for p in percentages), percentages


def test_it_has_a_print_stylesheet(client):
    html = result_html(client, SAFE_ANSWERS)
    assert re.search(r'<link rel="stylesheet" href="[^"]*print[^"]*\.css" media="print">', html)
    assert "display: none" in Path(finders.find("css/print.css")).read_text()


def test_it_lists_the_answers_with_their_labels(client):
    html = text(result_html(client, MODERATE))
    question = rulebook.QUESTIONS["needle_length"]
    assert question.text in html
    assert question.label_for("0_6_to_1_0") in html


def test_the_result_is_not_cached(client):
    assessment = take_assessment(client)
    assert "no-store" in client.get(assessment.get_absolute_url())["Cache-Control"]
