"""The session pages as a person sees them, at 360 x 640 (a phone) and 1280 x 800: the check
before a session, its result and the logged session, a consult check's confirmation, each
check-in disposition, "My sessions" and the reminder pages (rulebook section 6).

Screenshots of each go to var/screenshots/ (git-ignored), to be looked at after changing a page.
"""

import re

import pytest
from allauth.account.models import EmailAddress
from playwright.sync_api import Page, expect

from assessments import rulebook
from assessments.rulebook import Disposition
from roller_sessions import reminders, services
from roller_sessions.forms import ConsultConfirmForm
from tests.support.screenshots import shoot
from tests.support.sessions import (
    days_from_today,
    log_session,
    save_base,
    take_and_log,
    take_check,
    take_checkin,
)

pytestmark = pytest.mark.browser

PHONE = {"width": 360, "height": 640}
DESKTOP = {"width": 1280, "height": 800}
VIEWPORTS = [PHONE, DESKTOP]
PASSWORD = "sessions-password-1234"

# Base answers that give each disposition on their own (a calm check keeps it).
CHANGE_BASE = {"needle_length": "0_6_to_1_0", "pressure": "not_sure"}
CONSULT_BASE = {"needle_length": "1_1_to_1_5"}
# A check-in's disposition: the base's changes and the signs seen the day after the session.
CHECKINS = {
    Disposition.URGENT: ({}, ["infection_signs"]),
    Disposition.STOP: ({}, ["track_marks"]),
    Disposition.CONSULT: (CONSULT_BASE, ["none"]),
    Disposition.CHANGE: (CHANGE_BASE, ["none"]),
    Disposition.GO_AHEAD: ({}, ["none"]),
}


def signed_in(new_page, django_user_model) -> tuple[Page, object]:
    user = django_user_model.objects.create_user("sessions", "sessions@example.org", PASSWORD)
    EmailAddress.objects.create(user=user, email=user.email, primary=True, verified=True)
    page = new_page(viewport=PHONE)
    page.goto("/accounts/login/")
    page.get_by_label("Username").fill("sessions")
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Log in").click()
    page.wait_for_url(lambda url: "/accounts/login/" not in url)
    return page, user


def shoot_both(page: Page, name: str) -> None:
    """The page at 360 and 1280 px wide, with no sideways scroll on the phone; back at 360."""
    for viewport in VIEWPORTS:
        page.set_viewport_size(viewport)
        if viewport is PHONE:
            assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"], name
        shoot(page, f"sessions-{name}-{viewport['width']}")
    page.set_viewport_size(PHONE)


def assert_targets_of_24_px(page: Page) -> None:
    boxes = page.locator("main input[type=checkbox], main input[type=radio]").all()
    assert boxes, "no checkbox or radio on the page"
    for box in boxes:
        size = box.bounding_box()
        assert size["width"] >= 24 and size["height"] >= 24, box.get_attribute("id")


def assert_in_first_screen(page: Page, locator) -> None:
    box = locator.bounding_box()
    assert box["y"] + box["height"] <= PHONE["height"], "below the first screen of a phone"


def _tick(page: Page, question, *codes: str) -> None:
    group = page.get_by_role("group", name=question.text)
    for code in codes:
        group.get_by_label(question.label_for(code), exact=True).check()


def test_the_check_before_a_session_then_logging_it(new_page, django_user_model):
    page, user = signed_in(new_page, django_user_model)
    save_base(user, days_ago=3)
    page.goto("/my/sessions/before/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Before a session")
    assert_targets_of_24_px(page)
    shoot_both(page, "check-form")

    page.get_by_role("button", name="See today’s result").click()
    summary = page.locator(".error-summary")
    expect(summary).to_be_visible()
    expect(summary).to_be_focused()  # keyboard users start at what to fix
    expect(page).to_have_title(re.compile(r"^Error: "))
    assert_in_first_screen(page, summary)
    shoot_both(page, "check-form-errors")

    _tick(page, rulebook.SCALP_TODAY, "none")
    _tick(page, rulebook.QUESTIONS[rulebook.KEY_REACTION_NOW], "no")
    _tick(page, rulebook.DEVICE_TODAY, "same_disinfected")
    page.get_by_role("button", name="See today’s result").click()
    headline = page.get_by_role("heading", level=1)
    expect(headline).to_have_text(Disposition.GO_AHEAD.headline)
    expect(page.locator(".result-date")).to_contain_text("Today")
    assert_in_first_screen(page, headline)
    log = page.get_by_role("button", name="Log this session")
    expect(log).to_be_visible()
    shoot_both(page, "check-go_ahead")

    log.click()
    logged = page.locator(".session-logged")
    expect(logged).to_contain_text("Session logged on")
    expect(logged).to_contain_text("the earliest date for your next session is")
    expect(page.get_by_role("button", name="Log this session")).to_have_count(0)
    shoot_both(page, "check-logged")


def test_the_check_form_works_from_the_keyboard(new_page, django_user_model):
    page, user = signed_in(new_page, django_user_model)
    save_base(user, days_ago=3)
    page.goto("/my/sessions/before/")
    first = page.get_by_role("group", name=rulebook.SCALP_TODAY.text).get_by_role("checkbox").first
    for _ in range(40):  # Tab from the top of the page to the first answer
        page.keyboard.press("Tab")
        if first.evaluate("box => box === document.activeElement"):
            break
    else:
        pytest.fail("Tab never reached the first answer")
    ring = page.evaluate(
        "() => { const s = getComputedStyle(document.activeElement);"
        " return [s.outlineStyle, parseFloat(s.outlineWidth)]; }"
    )
    assert ring[0] == "solid" and ring[1] >= 2, "no visible focus ring"
    page.keyboard.press("Space")  # "none": the scalp as it was
    expect(first).to_be_checked()
    # On past the other scalp answers to the reaction question: the arrow moves to "No".
    for _ in range(len(rulebook.SCALP_TODAY.codes)):
        page.keyboard.press("Tab")
    page.keyboard.press("ArrowDown")
    reaction = rulebook.QUESTIONS[rulebook.KEY_REACTION_NOW]
    expect(page.get_by_label(reaction.label_for("no"), exact=True)).to_be_checked()
    page.keyboard.press("Tab")  # the device: Space picks the first, the same one disinfected
    page.keyboard.press("Space")
    device = rulebook.DEVICE_TODAY
    expect(page.get_by_label(device.label_for("same_disinfected"), exact=True)).to_be_checked()
    page.keyboard.press("Enter")
    expect(page.get_by_role("heading", level=1)).to_have_text(Disposition.GO_AHEAD.headline)
    expect(page.locator(".result-date")).to_contain_text("Today")


def test_a_consult_check_asks_for_the_confirmation_first(new_page, django_user_model):
    page, user = signed_in(new_page, django_user_model)
    save_base(user, days_ago=3, **CONSULT_BASE)
    page.goto(take_check(user).get_absolute_url())
    headline = page.get_by_role("heading", level=1)
    expect(headline).to_have_text(Disposition.CONSULT.headline)
    assert_in_first_screen(page, headline)
    expect(page.get_by_role("button", name="Log this session")).to_have_count(0)
    expect(page.locator(".confirm-reasons li").first).to_be_visible()
    assert_targets_of_24_px(page)
    shoot_both(page, "check-consult")

    page.get_by_role("button", name="Confirm").click()
    expect(page.locator(".error-summary")).to_be_visible()
    expect(page).to_have_title(re.compile(r"^Error: "))
    shoot_both(page, "check-consult-error")

    page.get_by_label(ConsultConfirmForm.base_fields["confirm"].label).check()
    page.get_by_role("button", name="Confirm").click()
    expect(page.locator(".consult-confirmed")).to_be_visible()
    expect(page.get_by_role("button", name="Log this session")).to_be_visible()
    shoot_both(page, "check-consult-confirmed")


@pytest.mark.parametrize("disposition", list(CHECKINS), ids=str)
def test_each_checkin_disposition_leads_its_page_on_a_phone(
    new_page, django_user_model, disposition
):
    base_changes, signs = CHECKINS[disposition]
    page, user = signed_in(new_page, django_user_model)
    save_base(user, days_ago=3, **base_changes)
    check = take_check(user, on=days_from_today(-1))
    if check.disposition == Disposition.CONSULT:
        services.consult_confirm(check=check, today=check.date)
    checkin = take_checkin(log_session(check), 1, *signs)
    assert checkin.disposition == disposition

    page.goto(checkin.get_absolute_url())
    headline = page.get_by_role("heading", level=1)
    expect(headline).to_have_text(disposition.headline)
    next_step = page.locator(".disposition-next")
    expect(next_step).to_have_text(disposition.next_step)
    assert_in_first_screen(page, next_step)
    if disposition.is_stop or disposition is Disposition.URGENT:
        # Said first: the headline is the page's first heading, and what to do comes before
        # what the check-in recorded.
        first_heading = page.locator("main h1, main h2").first
        expect(first_heading).to_have_text(disposition.headline)
        first_actions = page.locator(".first-actions").bounding_box()
        recorded = page.locator(".session-controls").bounding_box()
        assert first_actions["y"] < recorded["y"], "what the check-in recorded comes first"
    shoot_both(page, f"checkin-{disposition}")


def test_a_checkin_form_and_my_sessions_with_a_check_in_due(new_page, django_user_model):
    page, user = signed_in(new_page, django_user_model)
    save_base(user, days_ago=20)
    earlier = take_and_log(user, on=days_from_today(-15))
    take_checkin(earlier, 1, "none")
    take_checkin(earlier, 3, "shedding")
    take_checkin(earlier, 7, "none")
    take_check(user, on=days_from_today(-8), reaction_now="yes")  # urgent: no session
    recent = take_and_log(user, on=days_from_today(-1))

    page.goto("/")
    expect(page.locator(".checkins-due")).to_contain_text("A check-in is due")
    shoot_both(page, "home-checkin-due")
    page.goto("/my/sessions/")
    due = page.locator(".checkins-due")
    expect(due).to_contain_text("A check-in is due")
    expect(page.locator(".session-timeline > li")).to_have_count(3)
    shoot_both(page, "my-sessions")

    due.get_by_role("link").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Check-in after your session")
    assert_targets_of_24_px(page)
    shoot_both(page, "checkin-form")
    page.get_by_role("button", name="See my result").click()
    expect(page.locator(".error-summary")).to_be_visible()
    shoot_both(page, "checkin-form-errors")

    page.goto(recent.get_absolute_url())
    expect(page.get_by_role("link", name="Take the day 1 check-in")).to_be_visible()
    shoot_both(page, "session")
    page.get_by_role("link", name="Delete this session").click()
    expect(page.get_by_role("button", name="Delete this session")).to_be_visible()
    shoot_both(page, "session-delete")


def test_the_reminder_pages(new_page, django_user_model):
    page, user = signed_in(new_page, django_user_model)
    page.goto("/my/reminders/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Reminders")
    assert_targets_of_24_px(page)
    shoot_both(page, "reminders")
    page.get_by_label("On: email me", exact=False).check()
    page.get_by_role("button", name="Save").click()
    expect(page.locator(".messages")).to_contain_text("Reminders are on")
    shoot_both(page, "reminders-on")

    page.goto(f"/reminders/off/{reminders.unsubscribe_token(user)}/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Turn off reminders")
    shoot_both(page, "reminders-off")
    page.get_by_role("button", name="Turn off reminders").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Reminders are off")
    shoot_both(page, "reminders-off-done")
    assert not reminders.reminders_wanted(user)
