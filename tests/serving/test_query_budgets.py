"""Query budgets: every page's SQL query count is at most its budget, whatever the data size.

Each page is measured twice in one test, first with little data (the owner has one assessment,
the admin lists one row, the audit log holds one event), then with much more (the owner has 60,
the admin lists 300 rows including other people's and anonymous ones, the audit log holds 300
events). A count that changes between the two is a query per row (an N+1); a count above the
budget is a regression. Budgets are the measured numbers, the larger one where SQLite and
PostgreSQL differ (a comment says why): when a change lowers one, lower the budget with it.

Every request is made by a warmed-up client: one GET of the page first, so one-off session
writes are not counted (the first "start" and "last seen" stamps;
scalpsafe/browser_session_lifetime.py then rewrites "last seen" at most once a minute, and the
measured request follows within a second).
Writes that are part of the page (a questionnaire answer saved in the session, an audit event)
are counted.
"""

from collections.abc import Callable

import pytest
from django.test import Client

from assessments.rulebook import REVIEW_STEP_KEY
from tests.support.assessments import (
    CHANGELIST_URL,
    change_url,
)
from tests.support.query_budgets import Page, World, listing, little_data, measure, much_more_data
from tests.support.questionnaire import (
    ALL_STEPS,
    EVERY_STEP_ANSWERS,
    agree,
    answer_steps,
    step_post_data,
    step_url,
    submission_id,
)
from tests.support.queue import QUEUE_URL, item_url

pytestmark = pytest.mark.django_db

AUDIT_LOG_URL = "/admin/assessments/auditevent/"


@pytest.fixture
def world(owner, someone_else, clinic_staff, admin_user, clinic, other_clinic) -> World:
    return World(owner, someone_else, clinic_staff, admin_user, clinic, other_clinic)


# --- The pages --------------------------------------------------------------------------------


OWNER, STAFF, SUPERUSER, ANONYMOUS = "owner", "clinic_staff", "superuser", None


def _answered_up_to(step: str) -> Callable[[Client, World], None]:
    def prepare(client: Client, world: World) -> None:
        agree(client)
        answer_steps(client, EVERY_STEP_ANSWERS, ALL_STEPS[: ALL_STEPS.index(step)])

    return prepare


def _step(step: str, budget: int) -> Page:
    return Page(f"{step}-step", budget, OWNER, step_url(step), prepare=_answered_up_to(step))


def _step_answered(step: str, budget: int) -> Page:
    return Page(
        f"{step}-step-answered",
        budget,
        OWNER,
        step_url(step),
        method="post",
        status=302,
        prepare=_answered_up_to(step),
        data=lambda client, world: step_post_data(step, EVERY_STEP_ANSWERS),
    )


def _final_submit_data(client: Client, world: World) -> dict:
    return {
        **step_post_data(REVIEW_STEP_KEY, EVERY_STEP_ANSWERS),
        "submission": submission_id(client),
    }


def _result_url(world: World) -> str:
    return world.target.get_absolute_url()


# A signed-in page reads the session and the user (2 queries); saving the session adds 3 (a
# savepoint, the UPDATE, its release), as does each atomic write.
PAGES = [
    # Session and user; for a signed-in person, whether they have an assessment and, if so,
    # their sessions for the check-ins due (rulebook section 6).
    Page("home", 4, OWNER, "/"),
    Page("privacy-notice", 2, OWNER, "/assessment/before-you-start/"),
    Page(
        "privacy-notice-agreed",
        5,
        OWNER,
        "/assessment/before-you-start/",
        method="post",
        status=302,
        data=lambda client, world: {"agree": "on"},
    ),
    _step("scalp", 2),
    _step_answered("scalp", 5),
    _step("hair", 2),
    _step_answered("hair", 5),
    _step("health", 2),
    _step_answered("health", 5),
    _step("device", 2),
    _step_answered("device", 5),
    _step("technique", 2),
    _step_answered("technique", 5),
    _step("history", 2),
    _step_answered("history", 5),
    _step(REVIEW_STEP_KEY, 2),
    # Session and user, the replay check, the owner's existence check (full_clean), the INSERT
    # in two savepoints, and saving the session.
    Page(
        "final-submit",
        12,
        OWNER,
        step_url(REVIEW_STEP_KEY),
        method="post",
        status=302,
        prepare=_answered_up_to(REVIEW_STEP_KEY),
        data=_final_submit_data,
    ),
    # Session, user, and the result read with the sharing panel's latest share (with its
    # clinic) and whether a private link works, in one statement (assessments/access.py
    # get_result_for, clinics/share_status.py): live, never cached.
    Page("result-page", 3, OWNER, _result_url),
    # Session, user, the result, and whether it is with a clinic (the page says it goes too).
    Page("result-delete-confirmation", 4, OWNER, lambda world: f"{_result_url(world)}delete/"),
    # Session, user, the result, its current share, whether any clinic is active, the list.
    Page("send-to-a-clinic", 6, OWNER, lambda world: f"{_result_url(world)}send/"),
    Page("private-link", 4, OWNER, lambda world: f"{_result_url(world)}private-link/"),
    # Session and user; the trend's assessments and checks as text (also the paginator's
    # count) with the newest two's factors; the page.
    Page("my-assessments", 4, OWNER, "/my/assessments/"),
    # Session and user, the assessments, the sessions with their checks, the checks that led
    # to no session (and, when there are sessions, one more for their check-ins).
    Page("export-json", 5, OWNER, "/my/assessments/export.json"),
    Page("export-csv", 3, OWNER, "/my/assessments/export.csv"),
    Page("account", 2, OWNER, "/accounts/"),
    Page("delete-account", 2, OWNER, "/accounts/delete/"),
    # No session yet, so no query at all.
    Page("login", 0, ANONYMOUS, "/accounts/login/"),
    Page("signup", 0, ANONYMOUS, "/accounts/signup/"),
    Page("password-change", 2, OWNER, "/accounts/password/change/"),
    Page("password-reset", 0, ANONYMOUS, "/accounts/password/reset/"),
    # 8 on SQLite, 9 on PostgreSQL: there the paginator first asks pg_class for the table's
    # estimated size (assessments/admin/pagination.py), and counts exactly below 10,000 rows.
    # Two are the date hierarchy, whatever the dates' span: the first and last date, then one
    # row of EXISTS flags, one per year, month or day (assessments/admin/hierarchy.py).
    Page("admin-assessment-list", 9, SUPERUSER, CHANGELIST_URL),
    # Includes the audit event the view writes, and the owner and reviewer shown.
    Page("admin-assessment-page", 9, SUPERUSER, lambda world: change_url(world.target)),
    # The clinic filter (superusers only) and the queue items the entries name (one query for
    # the page, and which of them this viewer may open), besides the staff filter and Django's two
    # for the date hierarchy.
    Page("admin-audit-log", 10, SUPERUSER, AUDIT_LOG_URL),
    # Staff: their permissions (one statement: scalpsafe/auth_backend.py), and no clinic filter.
    Page("admin-clinic-audit-trail", 10, STAFF, AUDIT_LOG_URL),
    # Session, user, permissions (1), the user's clinics (the clinic filter), the count (up to
    # its cap), the page (whose reasons and note flags are the shares' own columns:
    # docs/performance.md), and the date hierarchy's two (assessments/admin/hierarchy.py).
    Page("admin-queue", 8, STAFF, QUEUE_URL),
    # The item (once), the previous and the next in the queue, permissions (1), the audit entry
    # (its two foreign keys checked, the INSERT), the clinic's staff to assign to, the
    # person's other results sent here, and the later checks of the result (one query).
    Page("admin-queue-item", 12, STAFF, lambda world: item_url(world.target_share)),
    Page("healthz", 1, ANONYMOUS, "/healthz"),
]


# --- The test ---------------------------------------------------------------------------------


@pytest.mark.parametrize("page", PAGES, ids=lambda page: page.id)
def test_it_stays_within_its_query_budget(page, world):
    little_data(world)
    little = measure(page, world)
    much_more_data(world)
    much = measure(page, world)

    with_little, with_much, budget = len(little), len(much), page.budget
    assert with_much == with_little, (
        f"{page.id}: the query count grows with the data, {with_little} -> {with_much}.\n"
        f"With little data:\n{listing(little)}\nWith much more data:\n{listing(much)}"
    )
    assert with_little <= budget, (
        f"{page.id}: {with_little} queries, budget {budget}:\n{listing(little)}"
    )
