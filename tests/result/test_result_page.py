"""The result page, top to bottom: what to do and how soon, what to do first, why to see a
professional, what would lower the risk (all the changes together first), the factors (each a
summary that opens), the checklist, the safety net, the answers, the notice."""

import re
from html import unescape
from pathlib import Path

import pytest
from django.contrib.staticfiles import finders

from assessments import rulebook
from assessments.rulebook import Disposition
from assessments.scoring import score
from tests.support.questionnaire import SAFE_ANSWERS, take_assessment

pytestmark = pytest.mark.django_db

HARD_STOP = {**SAFE_ANSWERS, "scalp_open_wounds": "yes", "pressure": "pinpoint_bleeding"}
HIGH = {**SAFE_ANSWERS, "needle_length": "1_1_to_1_5", "device_condition": "reused_rinsed"}
MODERATE = {**SAFE_ANSWERS, "needle_length": "0_6_to_1_0", "pressure": "pinpoint_bleeding"}
HIGH_BY_POINTS_ONLY = {**SAFE_ANSWERS, "device_condition": "reused_rinsed", "frequency": "daily"}
URGENT = {
    **SAFE_ANSWERS,
    "used_before": "yes",
    "past_reactions": ["none"],
    "reaction_now": "yes",
}
# R-SHARED (stop, modifiable), R-DAILY (caution 4), R-PEN (caution 2).
SHARED_DAILY_PEN = {
    **SAFE_ANSWERS,
    "device_shared": "yes",
    "frequency": "daily",
    "device_type": "pen",
}


def result_html(client, answers: dict) -> str:
    assessment = take_assessment(client, answers)
    response = client.get(assessment.get_absolute_url())
    assert response.status_code == 200
    return response.content.decode()


def as_text(html: str) -> str:
    inline_gone = re.sub(r"</?(strong|a|span)\b[^>]*>", "", html)
    return " ".join(unescape(re.sub(r"<[^>]+>", " ", inline_gone)).split())


def between(text: str, start: str, end: str) -> str:
    return text[text.index(start) : text.index(end)]


@pytest.mark.parametrize(
    ("answers", "disposition"),
    [
        (URGENT, Disposition.URGENT),
        (HARD_STOP, Disposition.STOP),
        # High through a consult rule and points: the rulebook's disposition is "consult".
        (HIGH, Disposition.CONSULT),
        (MODERATE, Disposition.CHANGE),
        (SAFE_ANSWERS, Disposition.GO_AHEAD),
    ],
)
def test_it_leads_with_the_disposition_and_what_to_do_next(client, answers, disposition):
    html = result_html(client, answers)
    h1 = unescape(re.search(r"<h1[^>]*>(.*?)</h1>", html, re.S).group(1))
    assert " ".join(h1.split()) == disposition.headline
    after_h1 = as_text(html[html.index("</h1>") :])
    assert after_h1.startswith(" ".join(disposition.next_step.split()))
    assert f"disposition-{disposition}" in html


def test_a_stop_never_reads_as_points(client):
    # A clinical needle alone: a stop with 0 points.
    text = as_text(result_html(client, {**SAFE_ANSWERS, "needle_length": "over_1_5"}))
    risk = between(text, "Risk:", "What to do first")
    assert "point" not in risk
    assert "a reason to stop" in risk
    assert "0 points" not in text[: text.index("What would lower my risk")]


def test_it_says_what_to_do_first_in_the_order_of_the_factors(client):
    text = as_text(result_html(client, SHARED_DAILY_PEN))
    first = between(text, "What to do first", "Why to see a professional")
    advice = [rulebook.RULES_BY_ID[r].advice for r in ["R-SHARED", "R-DAILY", "R-PEN"]]
    assert [first.index(a) for a in advice] == sorted(first.index(a) for a in advice)


def test_it_gives_no_more_than_three_first_actions(client):
    html = result_html(client, {**SHARED_DAILY_PEN, "pressure": "hard_bleeding"})
    section = html[html.index('id="first-actions-title"') : html.index('id="consult-title"')]
    assert section.count("<li>") == 3


def test_the_reasons_to_see_a_professional_come_before_the_factors(client):
    html = result_html(client, HARD_STOP)
    text = as_text(html)
    reasons = between(text, "Why to see a professional", "What we found")
    assert rulebook.RULES_BY_ID["R-SCALP-OPEN"].title in reasons
    assert rulebook.RULES_BY_ID["R-PINPOINT"].title not in reasons, "not a consult reason"


def test_a_reason_links_to_its_factor(client):
    html = result_html(client, HARD_STOP)
    link = re.search(r'<li><a href="#(factor-\d+)">([^<]+)</a></li>', html)
    assert link.group(2) == rulebook.RULES_BY_ID["R-SCALP-OPEN"].title
    assert f'<details class="factor factor-stop mb-2" id="{link.group(1)}">' in html


def test_a_high_total_alone_is_given_as_a_reason(client):
    text = as_text(result_html(client, HIGH_BY_POINTS_ONLY))
    assert "Your answers add up to 8 points, in the high band." in text


def test_no_reasons_to_see_a_professional_without_one(client):
    assert "Why to see a professional" not in result_html(client, MODERATE)


def test_what_would_lower_my_risk_starts_with_all_the_changes_together(client):
    text = as_text(result_html(client, SHARED_DAILY_PEN))
    lower = text[text.index("What would lower my risk") :]
    assert lower.index("All the changes below together") < lower.index("Each change on its own")
    assert (
        "All the changes below together would give: lower risk, 0 points (go ahead with care)."
        in lower
    )


def test_each_change_shows_its_own_outcome(client):
    text = as_text(result_html(client, SHARED_DAILY_PEN))
    shared = rulebook.RULES_BY_ID["R-SHARED"].safer.change
    daily = rulebook.RULES_BY_ID["R-DAILY"].safer.change
    assert (
        f"{shared}: moderate risk, 6 points (make changes first). This is the way out of the stop."
        in text
    )
    assert f"{daily}: still a reason to stop (see a professional first)." in text


def test_the_changes_come_largest_drop_first(client):
    text = as_text(result_html(client, MODERATE))
    section = text[text.index("Each change on its own") :]
    needle = rulebook.RULES_BY_ID["R-NEEDLE-MEDIUM"].safer.change
    pressure = rulebook.RULES_BY_ID["R-PINPOINT"].safer.change
    assert section.index(needle) < section.index(pressure)
    assert f"{needle}: lower risk, 2 points (go ahead with care)." in section


def test_a_stop_no_answer_can_change_is_named(client):
    text = as_text(
        result_html(client, {**SAFE_ANSWERS, "scalp_open_wounds": "yes", "frequency": "daily"})
    )
    together = between(text, "All the changes below together", "Each change on its own")
    assert "still a reason to stop" in together
    assert "These would still need a professional first, whatever you change:" in together
    assert rulebook.RULES_BY_ID["R-SCALP-OPEN"].title in together


def test_each_factor_opens_to_why_what_to_do_and_the_evidence_with_its_meaning(client):
    html = result_html(client, {**SAFE_ANSWERS, "frequency": "daily"})
    rule = rulebook.RULES_BY_ID["R-DAILY"]
    factor = html[html.index('<details class="factor') : html.index("</details>")]
    summary = as_text(factor[: factor.index("</summary>")])
    assert summary == f"{rule.title} {rule.severity.label} {rule.points} points"
    text = as_text(factor)
    for part in [rule.why, rule.advice, f"How strong the evidence is: grade {rule.grade}"]:
        assert " ".join(part.split()) in text
    for letter in ("A", "B"):
        assert f"{letter}: {rulebook.EVIDENCE_GRADES[letter]}" in text
    assert '<a href="https://doi.org/10.4103/0974-7753.114700">' in factor


def test_no_rule_id_is_shown_to_the_person(client):
    answers = {**SHARED_DAILY_PEN, "scalp_open_wounds": "yes", "pressure": "hard_bleeding"}
    html = result_html(client, answers)
    assert score(answers).factors
    assert not re.search(r"\bR-[A-Z]", html)


def test_the_checklist_ticks_what_the_answers_already_meet(client):
    html = result_html(client, MODERATE)
    met = re.findall(r"checklist-item checklist-met", html)
    unmet = re.findall(r"checklist-item checklist-unmet", html)
    info = re.findall(r"checklist-item checklist-info", html)
    assert (len(met), len(unmet), len(info)) == (3, 2, 1)
    assert "Your answers meet this:" in html and "Not yet met:" in html


def test_it_ends_with_the_safety_net_the_answers_and_the_notice(client):
    html = result_html(client, HIGH)
    order = ['id="checklist-title"', 'id="safety-net-title"', 'id="answers-title"', "status-notice"]
    assert [html.index(part) for part in order] == sorted(html.index(part) for part in order)
    text = as_text(html)
    assert rulebook.SAFETY_NET in text
    assert " ".join(rulebook.STATUS_NOTICE.split()) in text
    assert f"Rulebook version {rulebook.VERSION}" in text
    percentages = set(re.findall(r"\d+\s*%[^;]{0,20}", text))
    assert all("isopropyl" in p for p in percentages), percentages


def test_it_lists_the_answers_in_words(client):
    text = as_text(result_html(client, MODERATE))
    question = rulebook.QUESTIONS["needle_length"]
    assert question.text in text
    assert question.label_for("0_6_to_1_0") in text


def test_it_offers_print_or_save_as_pdf_and_has_a_print_stylesheet(client):
    html = result_html(client, SAFE_ANSWERS)
    assert '<button type="button" class="btn btn-outline-primary print-button" hidden>' in html
    assert re.search(r'<script src="[^"]*print-button[^"]*\.js" defer></script>', html)
    assert re.search(r'<link rel="stylesheet" href="[^"]*print[^"]*\.css" media="print">', html)
    assert "display: none" in Path(finders.find("css/print.css")).read_text()


def test_the_result_is_not_cached(client):
    assessment = take_assessment(client)
    assert "no-store" in client.get(assessment.get_absolute_url())["Cache-Control"]


def test_each_fixable_stop_shows_its_way_out_even_when_another_stop_remains(client):
    both = {**SAFE_ANSWERS, "device_shared": "yes", "needle_length": "over_1_5"}
    text = as_text(result_html(client, both))
    for rule_id in ("R-SHARED", "R-NEEDLE-CLINICAL"):
        change = rulebook.RULES_BY_ID[rule_id].safer.change
        assert (
            f"{change}: still a reason to stop (see a professional first). "
            "This is the way out of this reason to stop; another remains." in text
        )


def test_the_urgent_factor_says_how_soon(client):
    html = result_html(client, URGENT)
    summary = as_text(html[html.index("<summary>") : html.index("</summary>")])
    assert Disposition.URGENT.label in summary
