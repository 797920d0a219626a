"""Sending a result to a clinic in Chromium, without an account: result, send (with an error
first), the private link shown once, the sharing panel, stop sharing. Screenshots at 360 and
1280 px go to var/screenshots/, to be looked at. No JavaScript is needed for any of it.
"""

import re

import pytest
from django.conf import settings
from django.contrib.sessions.backends.db import SessionStore
from playwright.sync_api import Page, expect

from assessments import questionnaire_state
from clinics.models import Clinic, Share
from tests.support.assessments import HARD_STOP_ANSWERS, save_assessment
from tests.support.screenshots import SCREENSHOTS, shoot

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

VIEWPORTS = {"360": {"width": 360, "height": 640}, "1280": {"width": 1280, "height": 800}}


def anonymous_owner_page(new_page, live_server, assessment, **options) -> Page:
    """A browser whose session took `assessment`, as the one that answered the questions."""
    session = SessionStore()
    session[questionnaire_state._ANONYMOUS_OWNER] = assessment.anonymous_owner
    session.create()
    page = new_page(**options)
    page.context.add_cookies(
        [
            {
                "name": settings.SESSION_COOKIE_NAME,
                "value": session.session_key,
                "url": live_server.url,
            }
        ]
    )
    return page


def press(page: Page, name: str) -> None:
    with page.expect_navigation():
        page.get_by_role("button", name=name, exact=True).click()


@pytest.mark.parametrize("width", VIEWPORTS)
def test_send_then_stop_sharing_without_an_account(new_page, live_server, width):
    Clinic.objects.create(
        name="North Hair Clinic",
        slug="north",
        phone="020 7946 0001",
        email="hello@north.example",
        notify_email="queue@north.example",
    )
    assessment = save_assessment(HARD_STOP_ANSWERS)
    viewport = VIEWPORTS[width]
    page = anonymous_owner_page(
        new_page, live_server, assessment, viewport=viewport, java_script_enabled=False
    )

    page.goto(assessment.get_absolute_url())
    panel = page.locator(".share-status")
    expect(panel.get_by_role("heading", name="Send to a clinic")).to_be_visible()
    shoot(page, f"share-result-not-sent-{width}")
    with page.expect_navigation():
        panel.get_by_role("link", name="Send to a clinic").click()

    expect(page.get_by_role("heading", level=1)).to_have_text("Send your result to a clinic")
    page.get_by_role("group", name="Which clinic?").get_by_label(
        re.compile("North Hair Clinic")
    ).check()
    page.get_by_role("group", name="How should the clinic contact you?").get_by_label(
        "Email", exact=True
    ).check()
    page.get_by_label("Email address").fill("not an email")
    press(page, "Send my result")
    summary = page.locator(".error-summary")
    expect(summary).to_be_visible()
    expect(summary).to_contain_text("Enter a valid email address.")
    expect(summary).to_contain_text("Tick the box to agree")
    shoot(page, f"share-send-errors-{width}")
    assert not Share.objects.exists()

    page.get_by_label("Email address").fill("sam@example.org")
    page.get_by_label(re.compile("I agree to send my result")).check()
    shoot(page, f"share-send-{width}")
    press(page, "Send my result")

    expect(page.get_by_role("heading", level=1)).to_have_text("Your private link")
    expect(page.locator(".messages")).to_contain_text("Your result was sent to North Hair Clinic.")
    expect(page.locator(".messages")).to_contain_text("Do not wait for the clinic to reply.")
    link = page.locator(".private-link-url").inner_text()
    assert re.fullmatch(rf"{re.escape(live_server.url)}/r/[A-Za-z0-9_-]{{43}}/", link)
    shoot(page, f"share-private-link-{width}")
    assert page.evaluate("document.documentElement.scrollWidth") <= viewport["width"]

    with page.expect_navigation():
        page.get_by_role("link", name="Back to your result").click()
    panel = page.locator(".share-status")
    expect(panel.get_by_role("heading", name="Sent to North Hair Clinic")).to_be_visible()
    expect(panel).to_contain_text("The clinic aims to reply within 2 working days")
    expect(panel).to_contain_text("Do not wait for the clinic to reply.")
    expect(panel).to_contain_text("The clinic has not looked at your result yet.")
    assert page.evaluate("document.documentElement.scrollWidth") <= viewport["width"]
    panel.scroll_into_view_if_needed()
    shoot(page, f"share-result-sent-{width}")
    panel.screenshot(path=SCREENSHOTS / f"share-panel-sent-{width}.png")  # the part to look at
    # Links inside a sentence are exempt (WCAG 2.5.8); every control is at least 24 px.
    for button in panel.locator("button, a.btn").all():
        box = button.bounding_box()
        assert box["height"] >= 24 and box["width"] >= 24, button.inner_text()

    with page.expect_navigation():
        panel.get_by_role("link", name="Stop sharing with North Hair Clinic").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(
        "Stop sharing with North Hair Clinic?"
    )
    shoot(page, f"share-stop-{width}")
    press(page, "Stop sharing")

    panel = page.locator(".share-status")
    expect(panel).to_contain_text("You stopped sharing this result with North Hair Clinic on")
    expect(panel.get_by_role("link", name="Send to a clinic")).to_be_visible()
    shoot(page, f"share-result-withdrawn-{width}")
    panel.screenshot(path=SCREENSHOTS / f"share-panel-withdrawn-{width}.png")
    assert Share.objects.current().count() == 0

    # The private link still opens the result, in another browser.
    other = new_page(viewport=viewport)
    other.goto(link)
    expect(other).to_have_url(f"{live_server.url}{assessment.get_absolute_url()}")


@pytest.mark.parametrize("width", VIEWPORTS)
def test_getting_a_private_link_from_the_result_page(new_page, live_server, width):
    # The panel's "Get a private link" is a link to the page that says what one is; its button
    # makes it, the CSRF cookie set by that page (the result page sets none), no JavaScript.
    assessment = save_assessment(HARD_STOP_ANSWERS)
    viewport = VIEWPORTS[width]
    page = anonymous_owner_page(
        new_page, live_server, assessment, viewport=viewport, java_script_enabled=False
    )
    page.goto(assessment.get_absolute_url())
    assert not any(c["name"] == settings.CSRF_COOKIE_NAME for c in page.context.cookies())
    panel = page.locator(".share-status")
    offer = panel.get_by_role("link", name="Get a private link")
    box = offer.bounding_box()
    assert box["height"] >= 24 and box["width"] >= 24
    panel.scroll_into_view_if_needed()
    panel.screenshot(path=SCREENSHOTS / f"share-panel-not-sent-{width}.png")
    with page.expect_navigation():
        offer.click()

    expect(page.get_by_role("heading", level=1)).to_have_text("A private link to your result")
    shoot(page, f"share-private-link-offer-{width}")
    press(page, "Get a private link")

    expect(page.get_by_role("heading", level=1)).to_have_text("Your private link")
    link = page.locator(".private-link-url").inner_text()
    assert re.fullmatch(rf"{re.escape(live_server.url)}/r/[A-Za-z0-9_-]{{43}}/", link)
    with page.expect_navigation():
        page.get_by_role("link", name="Back to your result").click()
    panel = page.locator(".share-status")
    expect(panel).to_contain_text("You have a private link to this result")
    expect(panel.get_by_role("button", name="Revoke the private link")).to_be_visible()
