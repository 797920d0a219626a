"""A tour of every page of the app in a real browser, for checks that apply to every page.

`tour_every_page` walks through the site as people do: an anonymous visitor (home, the account
pages, the privacy notice and the whole questionnaire, with their error states, and the result),
the same person logged in (My assessments with a trend chart, a hard-stop result, the account
pages), the operator (the admin's login, the assessment list and page) and a clinic's staff member
(the queue, an item of it, the clinic's audit trail), and a visitor who opens a clinic's link
(its notice, a step, the contact step, the result with its private link). The owner also takes a
check before a session and logs it (rulebook section 6); a returning roller user meets a consult
check's confirmation, a check-in, "My sessions" with a check-in due, and the reminder pages.
At each page it calls `check(name, page)`; the caller decides what to check (CSP violations,
axe, HTML validity).

Pages that are states of a form (an error summary, ticked answers) are checked in that state, so
the styles that apply only then (Bootstrap's icons for invalid fields and ticked boxes) are seen.
"""

import re
from collections.abc import Callable
from datetime import timedelta

from allauth.account.models import EmailAddress
from django.contrib.auth import get_user_model
from django.utils import timezone
from playwright.sync_api import Page, Response, expect

from assessments import rulebook
from assessments.rulebook import REVIEW_STEP_KEY
from clinics.models import Clinic
from clinics.services import share_send
from roller_sessions.reminders import unsubscribe_token
from tests.support.accounts import confirmation_link
from tests.support.assessments import CHANGELIST_URL, HARD_STOP_ANSWERS, change_url, save_assessment
from tests.support.questionnaire import SAFE_ANSWERS
from tests.support.queue import AUDIT_URL, QUEUE_URL, clinic_staff_group, item_url
from tests.support.sessions import CALM_CHECK, days_from_today, save_base, take_and_log

Check = Callable[[str, Page], None]

OWNER = ("tour-owner", "tour-owner@example.org", "tour-owner-password-1234")
ADMIN = ("tour-admin", "tour-admin@example.org", "tour-admin-password-1234")
STAFF = ("tour-staff", "tour-staff@example.org", "tour-staff-password-1234")
ROLLER = ("tour-roller", "tour-roller@example.org", "tour-roller-password-1234")
# Used before, so the optional history step is asked too: every step of the questionnaire.
EVERY_STEP_ANSWERS = {
    **SAFE_ANSWERS,
    "used_before": "yes",
    "past_reactions": ["none"],
    "reaction_now": "no",
}


class DocumentLog:
    """The last HTML document each page received, as the server sent it (not the live DOM)."""

    def __init__(self) -> None:
        self._last: dict[Page, Response] = {}

    def watch(self, page: Page) -> None:
        def remember(response: Response) -> None:
            if response.request.resource_type == "document" and response.frame == page.main_frame:
                self._last[page] = response

        page.on("response", remember)

    def response(self, page: Page) -> Response:
        return self._last[page]

    def html(self, page: Page) -> str:
        return self._last[page].text()


def make_cast() -> dict:
    """The people of the tour and their saved assessments, created straight in the database."""
    user_model = get_user_model()
    owner = user_model.objects.create_user(*OWNER)
    EmailAddress.objects.create(user=owner, email=OWNER[1], primary=True, verified=True)
    user_model.objects.create_superuser(*ADMIN)
    # A hard stop a week ago: with the questionnaire the tour takes, two points on the trend.
    hard_stop = save_assessment(
        HARD_STOP_ANSWERS, owner=owner, created_at=timezone.now() - timedelta(days=7)
    )
    # The clinic a visitor sends their result to.
    Clinic.objects.create(
        name="North Hair Clinic", slug="north", phone="020 7946 0001", notify_email="q@north.test"
    )
    # Sent to a clinic, with a staff member to work its queue.
    clinic = Clinic.objects.create(
        name="Tour Clinic", slug="tour", notify_email="queue@tour.example"
    )
    staff = user_model.objects.create_user(*STAFF, is_staff=True)
    staff.groups.add(clinic_staff_group())
    clinic.members.add(staff)
    share = share_send(
        assessment=hard_stop,
        clinic=clinic,
        contact={"contact_way": "email", "contact_email": "tour-owner@example.org"},
    )
    # A roller user: a session yesterday (its day 1 check-in due), logged against an older
    # assessment, and a newer one whose check says to talk to a professional first.
    roller = user_model.objects.create_user(*ROLLER)
    EmailAddress.objects.create(user=roller, email=ROLLER[1], primary=True, verified=True)
    save_base(roller, days_ago=10)
    take_and_log(roller, on=days_from_today(-1))
    save_base(roller, days_ago=0, needle_length="1_1_to_1_5")
    return {
        "owner": owner,
        "hard_stop": hard_stop,
        "share": share,
        "unsubscribe_token": unsubscribe_token(roller),
    }


def _press(page: Page, name: str) -> None:
    """Press a button that submits a form, and wait for the page the server answers with."""
    with page.expect_navigation():
        page.get_by_role("button", name=name, exact=True).click()


def _answer_step(page: Page, step: str, answers: dict) -> None:
    for question in rulebook.STEPS_BY_KEY[step].questions:
        value = answers[question.key]
        if question.kind in ("int", "text"):
            page.get_by_label(question.text).fill(str(value))
            continue
        group = page.get_by_role("group", name=question.text)
        for code in value if question.kind == "many" else [value]:
            group.get_by_label(question.label_for(code), exact=True).check()


def _log_in(page: Page, username: str, password: str) -> None:
    # The site's log-in (allauth) calls the username field "login", the admin's "username".
    page.locator("#id_login, #id_username").fill(username)
    page.locator("#id_password").fill(password)
    _press(page, "Log in")


def _steps(answers: dict) -> list[str]:
    shown = [step.key for step in rulebook.STEPS if rulebook.step_is_shown(step.key, answers)]
    return [*shown, REVIEW_STEP_KEY]


def tour_every_page(open_page: Callable[[], Page], check: Check, cast: dict) -> None:
    """Visit every page of the app, calling `check(name, page)` on each.

    `open_page` gives a page in a new browser context (its own cookies), set up as the caller's
    check needs; `cast` is what `make_cast` returned.
    """
    visitor = open_page()
    _tour_as_a_visitor(visitor, check)
    _tour_as_the_owner(visitor, check, cast)
    _tour_as_a_roller_user(open_page(), check, cast)
    _tour_as_an_admin(open_page(), check, cast)
    _tour_as_clinic_staff(open_page(), check, cast)
    # Last: its result would be a fifth row in the admin's list.
    _tour_the_clinic_link(open_page(), check)


def _tour_as_a_visitor(page: Page, check: Check) -> None:
    page.goto("/")
    check("home", page)
    page.goto("/no-such-page/")
    check("404", page)
    page.goto("/accounts/login/")
    check("login", page)
    _log_in(page, OWNER[0], "not-the-password")
    expect(page.locator(".error-summary")).to_be_visible()
    check("login with an error", page)
    page.goto("/accounts/signup/")
    check("signup", page)
    _press(page, "Create my account")
    expect(page.locator(".error-summary")).to_be_visible()
    check("signup with errors", page)
    # Someone else signs up in this browser, and opens the link emailed to confirm the address
    # (without confirming it, so this browser stays logged out).
    page.locator("#id_username").fill("tour-newcomer")
    page.locator("#id_email").fill("tour-newcomer@example.org")
    page.locator("#id_password1").fill("tour-newcomer-password-1234")
    page.locator("#id_password2").fill("tour-newcomer-password-1234")
    _press(page, "Create my account")
    expect(page).to_have_url(re.compile(r"/accounts/confirm-email/$"))
    check("signup, check your email", page)
    page.goto(confirmation_link("tour-newcomer@example.org"))
    check("confirm email address", page)
    page.goto("/accounts/confirm-email/not-a-key/")
    check("confirm email address, bad link", page)
    page.goto("/accounts/password/reset/")
    check("password reset", page)
    page.goto("/accounts/password/reset/done/")
    check("password reset done", page)
    page.goto("/accounts/password/reset/key/1-not-a-key/")
    check("password reset, bad link", page)

    page.goto("/assessment/before-you-start/")
    check("privacy notice", page)
    _press(page, "Start the assessment")
    expect(page.locator(".error-summary")).to_be_visible()
    check("privacy notice with an error", page)
    page.get_by_label("I have read this notice and I agree").check()
    check("privacy notice, ticked", page)
    _press(page, "Start the assessment")

    _press(page, "Continue")
    expect(page.locator(".error-summary")).to_be_visible()
    check("step scalp with errors", page)
    for step in _steps(EVERY_STEP_ANSWERS):
        expect(page).to_have_url(re.compile(rf"/assessment/{step}/$"))
        if step == REVIEW_STEP_KEY:
            page.get_by_label(rulebook.QUESTIONS["notes"].text).fill("A note.")
            check("step review", page)
            _press(page, "See my result")
        else:
            _answer_step(page, step, EVERY_STEP_ANSWERS)
            check(f"step {step}", page)
            _press(page, "Continue")
    expect(page.get_by_role("heading", level=1)).to_contain_text("Lower risk")
    check("result, lower risk", page)
    _tour_sending_to_a_clinic(page, check)


def _tour_sending_to_a_clinic(page: Page, check: Check) -> None:
    result_url = page.url
    page.goto(f"{result_url}private-link/")
    check("private link, what it is", page)
    page.goto(f"{result_url}send/")
    check("send to a clinic", page)
    _press(page, "Send my result")
    expect(page.locator(".error-summary")).to_be_visible()
    check("send to a clinic with errors", page)
    page.get_by_role("group", name="Which clinic?").get_by_label(re.compile("North")).check()
    page.get_by_role("group", name="How should the clinic contact you?").get_by_label(
        "Do not contact me"
    ).check()
    page.get_by_label(re.compile("I agree to send my result")).check()
    _press(page, "Send my result")
    expect(page.locator(".private-link-url")).to_be_visible()
    check("private link, made", page)
    page.goto(result_url)
    expect(page.locator(".share-status-sent")).to_be_visible()
    check("result, sent to a clinic", page)
    page.goto(f"{result_url}stop-sharing/")
    check("stop sharing", page)
    _press(page, "Stop sharing")
    expect(page.locator(".share-status")).to_contain_text("You stopped sharing")
    check("result, sharing stopped", page)
    page.goto(result_url)


def _tour_as_the_owner(page: Page, check: Check, cast: dict) -> None:
    # Logging in asks whether to add the result just taken; yes: My assessments then has two,
    # and a trend chart.
    page.goto("/accounts/login/")
    _log_in(page, OWNER[0], OWNER[2])
    expect(page).to_have_url(re.compile(r"/accounts/claim/$"))
    check("add the results taken in this browser", page)
    _press(page, "Yes, add it to my account")
    expect(page.locator(".trend-chart")).to_be_visible()
    check("my assessments", page)
    hard_stop = cast["hard_stop"]
    page.goto(hard_stop.get_absolute_url())
    expect(page.locator(".disposition-stop")).to_be_visible()
    check("result, hard stop", page)
    # A step whose answers fire a stop rule: the next page opens with the notice.
    page.goto("/assessment/before-you-start/")
    page.get_by_role("checkbox").check()
    _press(page, "Start the assessment")
    _answer_step(page, "scalp", {**EVERY_STEP_ANSWERS, "scalp_open_wounds": "yes"})
    _press(page, "Continue")
    expect(page.locator(".stop-notice")).to_be_visible()
    check("step after a stop, with the notice", page)
    page.goto(f"{hard_stop.get_absolute_url()}delete/")
    check("delete an assessment", page)
    _tour_a_session(page, check)
    page.goto("/accounts/")
    check("account", page)
    page.goto("/accounts/delete/")
    check("delete the account", page)
    page.goto("/accounts/password/change/")
    check("password change", page)
    _press(page, "Change my password")
    expect(page.locator(".error-summary")).to_be_visible()
    check("password change with errors", page)
    page.goto("/accounts/email/")
    check("email address", page)
    page.goto("/accounts/reauthenticate/")
    check("enter your password again", page)
    page.goto("/accounts/logout/")
    check("log out", page)


def _tour_a_session(page: Page, check: Check) -> None:
    """The owner's newest assessment (the lower-risk result): a check, and a session logged."""
    page.goto("/my/sessions/before/")
    check("before a session", page)
    _press(page, "See today’s result")
    expect(page.locator(".error-summary")).to_be_visible()
    check("before a session with errors", page)
    _answer_questions(page, rulebook.CHECK_QUESTIONS, CALM_CHECK)
    _press(page, "See today’s result")
    expect(page.get_by_role("button", name="Log this session")).to_be_visible()
    check("check result with the log form", page)
    _press(page, "Log this session")
    expect(page.locator(".session-logged")).to_be_visible()
    check("check result, session logged", page)
    page.get_by_role("link", name=re.compile("^Your session of")).click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Your session of")
    check("session", page)
    page.get_by_role("link", name="Delete this session").click()
    check("delete a session", page)


def _tour_as_a_roller_user(page: Page, check: Check, cast: dict) -> None:
    page.goto("/accounts/login/")
    _log_in(page, ROLLER[0], ROLLER[2])
    page.goto("/")
    expect(page.locator(".checkins-due")).to_be_visible()
    check("home with a check-in due", page)
    page.goto("/my/sessions/")
    expect(page.locator(".checkins-due")).to_be_visible()
    check("my sessions with a check-in due", page)
    page.locator(".checkins-due").get_by_role("link").click()
    check("check-in", page)
    _press(page, "See my result")
    expect(page.locator(".error-summary")).to_be_visible()
    check("check-in with errors", page)
    _answer_questions(page, rulebook.CHECKIN_QUESTIONS, {"after_signs": ["none"]})
    _press(page, "See my result")
    expect(page.locator(".disposition-headline")).to_be_visible()
    check("check-in result", page)

    page.goto("/my/sessions/before/")
    _answer_questions(page, rulebook.CHECK_QUESTIONS, CALM_CHECK)
    _press(page, "See today’s result")
    expect(page.get_by_role("button", name="Confirm")).to_be_visible()
    check("consult check with the confirmation", page)
    _press(page, "Confirm")
    expect(page.locator(".error-summary")).to_be_visible()
    check("consult check, confirmation with an error", page)
    page.goto("/my/sessions/")
    check("my sessions", page)

    page.goto("/my/reminders/")
    check("reminders", page)
    page.get_by_role("radio", name=re.compile("^On")).check()
    _press(page, "Save")
    expect(page.locator(".messages")).to_contain_text("Reminders are on")
    check("reminders, turned on", page)
    page.goto(f"/reminders/off/{cast['unsubscribe_token']}/")
    check("turn off reminders", page)
    _press(page, "Turn off reminders")
    expect(page.get_by_role("heading", level=1)).to_have_text("Reminders are off")
    check("reminders turned off", page)
    page.goto("/reminders/off/not-a-token/")
    check("turn off reminders, bad link", page)


def _answer_questions(page: Page, questions, answers: dict) -> None:
    for question in questions:
        group = page.get_by_role("group", name=question.text)
        value = answers[question.key]
        for code in value if question.kind == "many" else [value]:
            group.get_by_label(question.label_for(code), exact=True).check()


def _tour_the_clinic_link(page: Page, check: Check) -> None:
    page.goto("/c/north/")
    check("clinic link notice", page)
    _press(page, "Start the assessment for North Hair Clinic")
    expect(page.locator(".error-summary")).to_be_visible()
    check("clinic link notice with an error", page)
    page.get_by_label("I have read this notice and I agree").check()
    _press(page, "Start the assessment for North Hair Clinic")
    for step in _steps(SAFE_ANSWERS):
        expect(page).to_have_url(re.compile(rf"/assessment/{step}/$"))
        if step == "scalp":
            check("clinic link step scalp", page)
        if step != REVIEW_STEP_KEY:
            _answer_step(page, step, SAFE_ANSWERS)
        _press(page, "Continue")
    expect(page).to_have_url(re.compile(r"/assessment/contact/$"))
    check("clinic link contact step", page)
    _press(page, "Send and see my result")
    expect(page.locator(".error-summary")).to_be_visible()
    check("clinic link contact step with an error", page)
    page.get_by_label("Phone", exact=True).check()
    page.get_by_label("Phone number").fill("020 7946 0000")
    check("clinic link contact step, phone chosen", page)
    _press(page, "Send and see my result")
    expect(page.locator(".new-private-link")).to_be_visible()
    check("result with a new private link", page)


def _tour_as_an_admin(page: Page, check: Check, cast: dict) -> None:
    page.goto("/admin/login/")
    check("admin login", page)
    _log_in(page, ADMIN[0], ADMIN[2])
    expect(page).to_have_url(re.compile(r"/admin/$"))
    check("admin index", page)
    page.goto(CHANGELIST_URL)
    # The owner's two and the roller user's two.
    expect(page.locator("#result_list tbody tr")).to_have_count(4)
    check("admin assessment list", page)
    page.goto(change_url(cast["hard_stop"]))
    expect(page.get_by_label("Review status")).to_be_visible()
    check("admin assessment change", page)


def _tour_as_clinic_staff(page: Page, check: Check, cast: dict) -> None:
    page.goto("/admin/login/")
    _log_in(page, STAFF[0], STAFF[2])
    expect(page).to_have_url(re.compile(r"/admin/$"))
    check("admin index for clinic staff", page)
    page.goto(QUEUE_URL)
    expect(page.locator("#result_list tbody tr")).to_have_count(1)
    check("admin queue", page)
    page.goto(item_url(cast["share"]))
    expect(page.get_by_label("Review status")).to_be_visible()
    check("admin queue item", page)
    page.goto(AUDIT_URL)
    expect(page.locator("#result_list tbody tr").first).to_be_visible()
    check("admin clinic audit trail", page)
