"""A person takes the questionnaire in a real browser, finding everything by its visible labels.

Every question and answer is located by the text the rulebook gives it, the way a person (or a
screen reader) finds it: a question is a group named by its legend, an answer is a labelled
radio button or checkbox inside it.
"""

import re

import pytest
from playwright.sync_api import Page, expect

from assessments import rulebook
from tests.support.browser_questionnaire import (
    LOWER_RISK_HEADLINE,
    REVIEW_TITLE,
    agree_to_the_notice,
    answer,
    answer_option,
    answer_step,
    expect_answers_checked,
    expect_step,
    press,
    scroll_width,
    take_questionnaire,
)
from tests.support.questionnaire import SAFE_ANSWERS

pytestmark = pytest.mark.browser

PHONE = {"width": 360, "height": 740}
NEEDLE_RULE = rulebook.RULES_BY_ID["R-NEEDLE-MEDIUM"]
# Used before, so the history step is asked, with a needle longer than advised for home use.
RETURNING_WITH_MEDIUM_NEEDLE = {
    **SAFE_ANSWERS,
    "used_before": "yes",
    "past_reactions": ["none"],
    "reaction_now": "no",
    "needle_length": "0_6_to_1_0",
}
# --- Tests -----------------------------------------------------------------------------------


def test_a_person_completes_the_questionnaire_by_its_labels_and_sees_the_result(page: Page):
    answers = RETURNING_WITH_MEDIUM_NEEDLE
    agree_to_the_notice(page)

    for number, step in enumerate(["scalp", "hair", "health", "device"], start=1):
        expect_step(page, number, 6, rulebook.STEPS_BY_KEY[step].title)
        answer_step(page, step, answers)
        press(page, "Continue")

    expect_step(page, 5, 6, rulebook.STEPS_BY_KEY["technique"].title)
    answer_step(page, "technique", answers)
    press(page, "Continue")
    # "Yes" to having used a device before adds the previous-sessions step.
    expect_step(page, 6, 7, rulebook.STEPS_BY_KEY["history"].title)
    answer_step(page, "history", answers)
    press(page, "Continue")

    expect_step(page, 7, 7, REVIEW_TITLE)
    needle_label = rulebook.QUESTIONS["needle_length"].label_for("0_6_to_1_0")
    expect(page.locator(".review-answers")).to_contain_text(needle_label)
    answer(page, "notes", "I bought the roller online.")
    press(page, "See my result")

    expect(page).to_have_url(re.compile(r"/results/[0-9a-f-]{36}/$"))
    expect(page.get_by_role("heading", level=1)).to_have_text(LOWER_RISK_HEADLINE)
    expect(page.get_by_role("heading", name="What we found", exact=True)).to_be_visible()
    expect(page.locator("summary", has_text=NEEDLE_RULE.title)).to_be_visible()
    lower_risk = page.get_by_role("region", name="What would lower my risk", exact=True)
    expect(lower_risk).to_contain_text(NEEDLE_RULE.safer.change)
    expect(page.get_by_role("heading", name="Safe-use checklist", exact=True)).to_be_visible()
    your_answers = page.get_by_role("region", name="Your answers", exact=True)
    expect(your_answers).to_contain_text(needle_label)


def test_a_person_goes_back_mid_way_and_finds_the_answers_kept(page: Page):
    agree_to_the_notice(page)
    answer_step(page, "scalp", SAFE_ANSWERS)
    press(page, "Continue")
    expect_step(page, 2, 6, rulebook.STEPS_BY_KEY["hair"].title)
    half_done = {"hair_loss_signs": ["patches", "clumps"], "diagnosis": "not_diagnosed"}
    for key, value in half_done.items():
        answer(page, key, value)

    press(page, "Back")
    expect_step(page, 1, 6, rulebook.STEPS_BY_KEY["scalp"].title)
    scalp_keys = [q.key for q in rulebook.STEPS_BY_KEY["scalp"].questions]
    expect_answers_checked(page, {key: SAFE_ANSWERS[key] for key in scalp_keys})

    press(page, "Continue")
    expect_step(page, 2, 6, rulebook.STEPS_BY_KEY["hair"].title)
    expect_answers_checked(page, half_done)
    # A half-finished page comes back as it was left, not as a page of errors.
    expect(page.get_by_role("alert")).to_have_count(0)
    expect(answer_option(page, "systemic_symptoms", "yes")).not_to_be_checked()
    expect(answer_option(page, "systemic_symptoms", "no")).not_to_be_checked()


def test_a_person_leaves_and_resumes_where_they_left_off(page: Page):
    agree_to_the_notice(page)
    for step in ["scalp", "hair"]:
        answer_step(page, step, SAFE_ANSWERS)
        press(page, "Continue")
    expect_step(page, 3, 6, rulebook.STEPS_BY_KEY["health"].title)

    page.goto("/")
    page.close()
    page = page.context.new_page()
    page.goto("/")
    expect(page.get_by_role("link", name="Start the assessment")).to_have_count(0)
    resume = page.get_by_role("link", name="Continue your assessment")
    expect(resume).to_have_attribute("href", "/assessment/")
    resume.click()

    expect(page).to_have_url(re.compile(r"/assessment/health/$"))
    expect_step(page, 3, 6, rulebook.STEPS_BY_KEY["health"].title)
    press(page, "Back")
    expect_step(page, 2, 6, rulebook.STEPS_BY_KEY["hair"].title)
    hair_keys = [q.key for q in rulebook.STEPS_BY_KEY["hair"].questions]
    expect_answers_checked(page, {key: SAFE_ANSWERS[key] for key in hair_keys})


def test_it_fits_a_360_px_phone_screen_without_horizontal_scrolling(new_page):
    page = new_page(viewport=PHONE, is_mobile=True, has_touch=True)
    too_wide: dict[str, int] = {}

    def check_width(page: Page) -> None:
        width = scroll_width(page)
        if width > PHONE["width"]:
            too_wide[page.url] = width

    page.goto("/")
    check_width(page)
    page.goto("/assessment/before-you-start/")
    check_width(page)
    take_questionnaire(page, RETURNING_WITH_MEDIUM_NEEDLE, on_each_page=check_width)
    check_width(page)

    assert too_wide == {}, f"pages wider than {PHONE['width']} px: {too_wide}"


def test_it_works_with_javascript_off(new_page):
    page = new_page(java_script_enabled=False)

    take_questionnaire(page, RETURNING_WITH_MEDIUM_NEEDLE)

    expect(page.get_by_role("heading", level=1)).to_have_text(LOWER_RISK_HEADLINE)
    expect(page.locator("summary", has_text=NEEDLE_RULE.title)).to_be_visible()


def test_it_lists_every_problem_at_the_top_with_links_to_the_questions(page: Page):
    agree_to_the_notice(page)
    questions = rulebook.STEPS_BY_KEY["scalp"].questions

    press(page, "Continue")

    expect(page).to_have_title(re.compile(r"^Error: "))
    summary = page.get_by_role("alert")
    expect(summary.get_by_role("heading")).to_have_text(
        f"There are {len(questions)} problems with your answers"
    )
    links = summary.get_by_role("link")
    expect(links).to_have_count(len(questions))
    for link, question in zip(links.all(), questions, strict=True):
        # Each link goes to the question's first option: the first thing a keyboard user can act on.
        first_option = answer_option(page, question.key, question.choices[0].code)
        expect(link).to_contain_text(question.text)
        expect(link).to_have_attribute("href", f"#{first_option.get_attribute('id')}")
        expect(page.locator(link.get_attribute("href"))).to_have_count(1)
        expect(first_option).to_be_enabled()

    last_link, last_question = links.last, questions[-1]
    last_link.click()
    target = answer_option(page, last_question.key, last_question.choices[0].code)
    expect(target).to_be_focused()
    expect(target).to_be_in_viewport()
