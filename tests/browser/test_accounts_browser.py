"""A person keeps their results in an account, in a real browser, finding everything by its labels.

The whole journey in one test, because each step depends on the one before: sign-up, the emailed
link that confirms the address, the anonymous result joining the account once the person says
yes, the second result making the trend, and a deletion changing it again. A second test: a
browser shared by two people, where the second one says no. The account pages are screenshot at
360 and 1280 px into var/screenshots/ (git-ignored), to be looked at.
"""

import re
from pathlib import Path

import pytest
from allauth.account.models import EmailAddress
from django.contrib.auth import get_user_model
from playwright.sync_api import Locator, Page, expect

from assessments import rulebook
from assessments.models import Assessment
from tests.support.accounts import confirmation_link
from tests.support.browser_questionnaire import LOWER_RISK_HEADLINE, take_questionnaire
from tests.support.questionnaire import SAFE_ANSWERS

pytestmark = pytest.mark.browser

SCREENSHOTS = Path(__file__).resolve().parents[2] / "var" / "screenshots"

PASSWORD = "a-long-enough-passphrase"
LONG_NEEDLE_RULE = rulebook.RULES_BY_ID["R-NEEDLE-LONG"]
# The second time, a needle meant for clinics: one factor appears that the first result lacked.
WITH_LONG_NEEDLE = {**SAFE_ANSWERS, "needle_length": "1_1_to_1_5"}


# --- Helpers: what a person does and sees ----------------------------------------------------


def main_nav(page: Page) -> Locator:
    return page.get_by_role("navigation", name="Main")


def form_field(page: Page, label: str) -> Locator:
    # By accessible name, which the site's CSS keeps free of crispy-forms' "*" on required fields.
    return page.get_by_role("textbox", name=label, exact=True)


def sign_up(page: Page, username: str) -> None:
    expect(page.get_by_role("heading", level=1)).to_have_text("Create an account")
    form_field(page, "Username").fill(username)
    form_field(page, "Email").fill(f"{username}@example.org")
    form_field(page, "Password").fill(PASSWORD)
    form_field(page, "Confirm password").fill(PASSWORD)
    page.get_by_role("button", name="Create my account", exact=True).click()


def screenshot(page: Page, name: str) -> None:
    """The page at a phone's width and a laptop's, for a person to look at."""
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    for width in (360, 1280):
        page.set_viewport_size({"width": width, "height": 800})
        page.screenshot(path=SCREENSHOTS / f"account-{name}-{width}.png", full_page=True)
    page.set_viewport_size({"width": 1280, "height": 800})


def assessment_rows(page: Page) -> Locator:
    table = page.get_by_role("region", name=re.compile(r"^All assessments")).get_by_role("table")
    return table.locator("tbody").get_by_role("row")


def result_link(row: Locator) -> Locator:
    """The row's date, which links to the result."""
    return row.get_by_role("link")


def path_of(page: Page) -> str:
    return re.sub(r"^https?://[^/]+", "", page.url)


def expect_message(page: Page, text: str) -> None:
    expect(page.get_by_role("status")).to_contain_text(text)


# --- Tests -----------------------------------------------------------------------------------


def test_a_person_keeps_their_results_in_an_account_sees_the_trend_and_deletes_one(page: Page):
    # Anonymous: the questionnaire, then the invitation to keep the result.
    take_questionnaire(page, SAFE_ANSWERS)
    expect(page.get_by_role("heading", level=1)).to_have_text(LOWER_RISK_HEADLINE)
    first_result = path_of(page)
    expect(main_nav(page).get_by_role("link", name="Log in", exact=True)).to_be_visible()
    expect(main_nav(page).get_by_role("link", name="My assessments")).to_have_count(0)
    page.get_by_role("link", name="Create an account to keep this result").click()

    # Signing up: check your email, open the link, confirm, which logs in.
    screenshot(page, "sign-up")
    sign_up(page, "rollerfan")
    expect(page.get_by_role("heading", level=1)).to_have_text("Check your email")
    screenshot(page, "check-your-email")
    page.goto(confirmation_link("rollerfan@example.org"))
    expect(page.get_by_role("main")).to_contain_text("rollerfan@example.org")
    screenshot(page, "confirm-email")
    page.get_by_role("button", name="Confirm my address", exact=True).click()

    # Asked first, the result this browser took joins the account.
    expect(page.get_by_role("main")).to_contain_text(
        "We found 1 result taken in this browser before you logged in. Add it to your account?"
    )
    screenshot(page, "add-results")
    page.get_by_role("button", name="Yes, add it to my account", exact=True).click()
    expect(page).to_have_url(re.compile(r"/my/assessments/$"))
    expect_message(page, "The 1 result taken in this browser is now saved to your account.")
    nav = main_nav(page)
    expect(nav.get_by_role("link", name="My assessments", exact=True)).to_be_visible()
    expect(nav.get_by_role("link", name="Account", exact=True)).to_be_visible()
    expect(nav.get_by_role("button", name="Log out", exact=True)).to_be_visible()
    expect(nav.get_by_role("link", name="Sign up")).to_have_count(0)
    expect(page.get_by_role("region", name="How your risk changed")).to_have_count(0)
    rows = assessment_rows(page)
    expect(rows).to_have_count(1)
    expect(result_link(rows.first)).to_have_attribute("href", first_result)

    # The listed result opens, now as the account's.
    result_link(rows.first).click()
    expect(page).to_have_url(re.compile(rf"{re.escape(first_result)}$"))
    expect(page.get_by_role("heading", level=1)).to_have_text(LOWER_RISK_HEADLINE)
    expect(page.get_by_role("link", name="Create an account to keep this result")).to_have_count(0)

    # A second, riskier assessment, signed in this time.
    take_questionnaire(page, WITH_LONG_NEEDLE)
    second_result = path_of(page)
    expect(page.locator("summary", has_text=LONG_NEEDLE_RULE.title)).to_be_visible()
    main_nav(page).get_by_role("link", name="My assessments", exact=True).click()

    # The trend: a chart, and what changed since last time.
    trend = page.get_by_role("region", name="How your risk changed", exact=True)
    expect(trend.get_by_role("img", name="Points over time")).to_be_visible()
    expect(trend.locator("svg")).to_have_count(1)
    latest_only = "In your latest result, not the one before"
    appeared = trend.get_by_role("list", name=latest_only).get_by_role("listitem")
    expect(appeared).to_have_text([LONG_NEEDLE_RULE.title])
    before_only = "In the one before, not your latest"
    went_away = trend.get_by_role("list", name=before_only).get_by_role("listitem")
    expect(went_away).to_have_text(["Nothing."])
    rows = assessment_rows(page)
    expect(rows).to_have_count(2)
    long_needle_label = rulebook.QUESTIONS["needle_length"].label_for("1_1_to_1_5")
    expect(rows.first).to_contain_text(long_needle_label)  # newest first
    expect(result_link(rows.first)).to_have_attribute("href", second_result)
    expect(result_link(rows.last)).to_have_attribute("href", first_result)

    # Delete the first one: open it, ask, confirm.
    result_link(rows.last).click()
    page.get_by_role("link", name="Delete this assessment", exact=True).click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Delete this assessment?")
    page.get_by_role("button", name="Delete this assessment", exact=True).click()

    expect(page).to_have_url(re.compile(r"/my/assessments/$"))
    expect_message(page, "was deleted")
    rows = assessment_rows(page)
    expect(rows).to_have_count(1)
    expect(result_link(rows.first)).to_have_attribute("href", second_result)
    expect(page.get_by_role("region", name="How your risk changed")).to_have_count(0)
    assert page.goto(first_result).status == 404


def test_a_shared_browser_asks_and_no_leaves_the_results_anonymous(page: Page):
    user = get_user_model().objects.create_user("sharer", "sharer@example.org", PASSWORD)
    EmailAddress.objects.create(user=user, email="sharer@example.org", primary=True, verified=True)
    # Someone else took two assessments in this browser.
    take_questionnaire(page, SAFE_ANSWERS)
    take_questionnaire(page, SAFE_ANSWERS)
    anonymous = path_of(page)

    main_nav(page).get_by_role("link", name="Log in", exact=True).click()
    screenshot(page, "log-in")
    form_field(page, "Username").fill("sharer")
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Log in", exact=True).click()
    expect(page.get_by_role("main")).to_contain_text(
        "We found 2 results taken in this browser before you logged in. Add them to your account?"
    )
    assert not user.assessments.exists()
    page.get_by_role("button", name="No, leave them out", exact=True).click()

    expect(page).to_have_url(re.compile(r"/my/assessments/$"))
    expect_message(page, "Not added. They stay anonymous")
    assert not user.assessments.exists()
    assert Assessment.objects.filter(owner=None).count() == 2
    # Still this browser's: the result opens.
    page.goto(anonymous)
    expect(page.get_by_role("heading", level=1)).to_have_text(LOWER_RISK_HEADLINE)

    # The account's pages: email address (changed with a confirmation), log out.
    main_nav(page).get_by_role("link", name="Account", exact=True).click()
    page.get_by_role("link", name="Change your email address").click()
    form_field(page, "Email").fill("sharer.new@example.org")
    page.get_by_role("button", name="Change my email address").click()
    # The way to a password reset: the password first, even in a session just logged in.
    expect(page.get_by_role("heading", level=1)).to_have_text("Enter your password")
    screenshot(page, "reauthenticate")
    form_field(page, "Password").fill(PASSWORD)
    page.get_by_role("button", name="Continue").click()
    # The change asked for before is then made.
    expect(page.get_by_role("main")).to_contain_text("sharer.new@example.org (not confirmed yet")
    screenshot(page, "email-address")
    page.get_by_role("link", name="Back to your account").click()
    page.get_by_role("link", name="Change your password").click()
    page.get_by_role("button", name="Change my password").click()
    screenshot(page, "password-change-errors")
    page.goto("/accounts/logout/")
    screenshot(page, "log-out")
    page.get_by_role("main").get_by_role("button", name="Log out", exact=True).click()
    expect(main_nav(page).get_by_role("link", name="Log in", exact=True)).to_be_visible()
