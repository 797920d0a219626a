"""What a person does in the questionnaire, in a real browser, found by visible labels.

Every question and answer is located by the text the rulebook gives it, the way a person (or a
screen reader) finds it: a question is a group named by its legend, an answer is a labelled
radio button or checkbox inside it.
"""

import re
from collections.abc import Callable

from playwright.sync_api import Locator, Page, expect

from assessments import rulebook
from assessments.rulebook import REVIEW_STEP_KEY

# The go-ahead disposition (rulebook 2026.12) heads a lower-risk result.
LOWER_RISK_HEADLINE = rulebook.Disposition.GO_AHEAD.headline
REVIEW_TITLE = "Check your answers"


def question_group(page: Page, key: str) -> Locator:
    return page.get_by_role("group", name=rulebook.QUESTIONS[key].text)


def answer_option(page: Page, key: str, code: str) -> Locator:
    label = rulebook.QUESTIONS[key].label_for(code)
    return question_group(page, key).get_by_label(label, exact=True)


def answer(page: Page, key: str, value: object) -> None:
    question = rulebook.QUESTIONS[key]
    if question.kind in ("int", "text"):
        page.get_by_label(question.text).fill(str(value))
        return
    codes = value if question.kind == "many" else [value]
    for code in codes:
        answer_option(page, key, code).check()


def answer_step(page: Page, step: str, answers: dict) -> None:
    for question in rulebook.STEPS_BY_KEY[step].questions:
        answer(page, question.key, answers[question.key])


def press(page: Page, button: str) -> None:
    page.get_by_role("button", name=button, exact=True).click()


def expect_step(page: Page, number: int, count: int, title: str) -> None:
    expect(page.get_by_role("heading", level=1)).to_have_text(title)
    progress = page.get_by_role("progressbar", name=f"Step {number} of {count}", exact=True)
    expect(progress).to_be_visible()


def expect_answers_checked(page: Page, answers: dict) -> None:
    for key, value in answers.items():
        for code in value if isinstance(value, list) else [value]:
            expect(answer_option(page, key, code)).to_be_checked()


def agree_to_the_notice(page: Page) -> None:
    page.goto("/")
    page.get_by_role("link", name="Start the assessment").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Before you start")
    page.get_by_label("I have read this notice and I agree").check()
    press(page, "Start the assessment")


def shown_steps(answers: dict) -> list[str]:
    """The steps asked, given the answers so far, and the review page."""
    steps = [step.key for step in rulebook.STEPS if rulebook.step_is_shown(step.key, answers)]
    return [*steps, REVIEW_STEP_KEY]


def take_questionnaire(
    page: Page, answers: dict, on_each_page: Callable[[Page], None] = lambda page: None
) -> None:
    """Agree, answer every step that is shown, and submit the review page."""
    agree_to_the_notice(page)
    answered: dict = {}
    number = 1
    while (step := shown_steps(answered)[number - 1]) != REVIEW_STEP_KEY:
        # The count can grow as answers come in: "Yes" to used_before adds the history step.
        expect_step(page, number, len(shown_steps(answered)), rulebook.STEPS_BY_KEY[step].title)
        on_each_page(page)
        answer_step(page, step, answers)
        press(page, "Continue")
        answered.update({q.key: answers[q.key] for q in rulebook.STEPS_BY_KEY[step].questions})
        number += 1
    expect_step(page, number, number, REVIEW_TITLE)
    on_each_page(page)
    press(page, "See my result")
    expect(page).to_have_url(re.compile(r"/results/[0-9a-f-]{36}/$"))


def scroll_width(page: Page) -> int:
    return page.evaluate("document.documentElement.scrollWidth")
