"""A person opens a clinic's link in a real browser, agrees to the notice that names the clinic,
answers, says how the clinic can reach them, and sends: at 360 px (a phone) and 1280 px.

Screenshots of the notice, the contact step (also with its errors) and the result with the
private link go to var/screenshots/ (git-ignored), to be looked at.
"""

import re

import pytest
from playwright.sync_api import expect

from assessments import rulebook
from clinics.models import Clinic, Share
from tests.support.browser_questionnaire import answer_step, expect_step, press, scroll_width
from tests.support.questionnaire import SAFE_ANSWERS
from tests.support.screenshots import shoot

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

VIEWPORTS = {"360": {"width": 360, "height": 740}, "1280": {"width": 1280, "height": 800}}


@pytest.mark.parametrize("width", list(VIEWPORTS))
def test_a_person_sends_a_result_to_the_clinic_through_its_link(new_page, width):
    Clinic.objects.create(name="North Hair Clinic", slug="north", notify_email="q@north.example")
    page = new_page(viewport=VIEWPORTS[width])
    page.goto("/c/north/")
    expect(page.locator(".for-clinic")).to_have_text("For North Hair Clinic")
    expect(page.get_by_role("term").filter(has_text="Sent to North Hair Clinic")).to_be_visible()
    assert scroll_width(page) <= VIEWPORTS[width]["width"]
    shoot(page, f"clinic-link-notice-{width}")

    press(page, "Start the assessment for North Hair Clinic")
    expect(page.locator(".error-summary")).to_be_visible()
    page.get_by_label("I have read this notice and I agree").check()
    press(page, "Start the assessment for North Hair Clinic")

    steps = [s.key for s in rulebook.STEPS if rulebook.step_is_shown(s.key, SAFE_ANSWERS)]
    count = len(steps) + 2  # the review, then the contact step
    for number, step in enumerate(steps, start=1):
        expect_step(page, number, count, rulebook.STEPS_BY_KEY[step].title)
        expect(page.locator(".for-clinic")).to_have_text("For North Hair Clinic")
        answer_step(page, step, SAFE_ANSWERS)
        press(page, "Continue")
    expect_step(page, count - 1, count, "Check your answers")
    press(page, "Continue")

    expect_step(page, count, count, "How can North Hair Clinic contact you?")
    shoot(page, f"clinic-link-contact-{width}")
    page.get_by_label("Email", exact=True).check()
    page.get_by_label("Email address").fill("not-an-email")
    press(page, "Send and see my result")
    expect(page.locator(".error-summary")).to_contain_text("Enter a valid email address")
    assert scroll_width(page) <= VIEWPORTS[width]["width"]
    shoot(page, f"clinic-link-contact-errors-{width}")

    page.get_by_label("Your name (optional)").fill("Sam Taylor")
    page.get_by_label("Email address").fill("sam@example.org")
    press(page, "Send and see my result")
    expect(page).to_have_url(re.compile(r"/results/[0-9a-f-]{36}/$"))
    expect(page.get_by_text("Your result was sent to North Hair Clinic.")).to_be_visible()
    link = page.get_by_role("textbox", name="Private link", exact=True)
    expect(link).to_have_value(re.compile(r"^http://.+/r/[A-Za-z0-9_-]{43}/$"))
    shoot(page, f"clinic-link-result-{width}")

    share = Share.objects.get()
    assert (share.clinic.slug, share.contact_email) == ("north", "sam@example.org")
