"""Query budgets: every page's SQL query count is at most its budget, whatever the data size.

Each page is measured twice in one test, first with little data (the owner has one assessment,
the admin lists one row, the audit log holds one event), then with much more (the owner has 60,
the admin lists 300 rows including other people's and anonymous ones, the audit log holds 300
events). A count that changes between the two is a query per row (an N+1); a count above the
budget is a regression. Budgets are the measured numbers, the larger one where SQLite and
PostgreSQL differ (a comment says why): when a change lowers one, lower the budget with it.

Every request is made by a warmed-up client: one GET of the page first, so one-off session
writes are not counted (the first "start" and "last seen" stamps; scalpsafe/sessions.py then
rewrites "last seen" at most once a minute, and the measured request follows within a second).
Writes that are part of the page (a questionnaire answer saved in the session, an audit event)
are counted.
"""

from collections.abc import Callable
from dataclasses import dataclass
from datetime import timedelta

import pytest
from django.contrib.auth.models import AbstractBaseUser
from django.db import connection
from django.http import HttpResponse
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from assessments.forms import REVIEW_STEP_KEY
from assessments.models import Assessment, AuditEvent, ReviewStatus
from assessments.scoring import score
from tests.admin_support import (
    CHANGELIST_URL,
    FLAGGED_ANSWERS,
    HARD_STOP_ANSWERS,
    build_assessment,
    change_url,
)
from tests.questionnaire import (
    SAFE_ANSWERS,
    STEP_KEYS,
    agree,
    answer_steps,
    step_post_data,
    step_url,
    submission_id,
)

pytestmark = pytest.mark.django_db

# Answers that show every step, the history step included.
ANSWERS = {**SAFE_ANSWERS, "used_before": "yes", "past_reactions": ["none"], "reaction_now": "no"}
ALL_STEPS = [*STEP_KEYS, REVIEW_STEP_KEY]
AUDIT_LOG_URL = "/admin/assessments/auditevent/"


# --- The cast and the data --------------------------------------------------------------------


@dataclass
class World:
    owner: AbstractBaseUser
    someone_else: AbstractBaseUser
    clinic_staff: AbstractBaseUser
    superuser: AbstractBaseUser
    # The owner's assessment whose pages are measured: the same one with little and much data.
    target: Assessment | None = None


@pytest.fixture
def world(owner, someone_else, clinic_staff, admin_user) -> World:
    return World(owner, someone_else, clinic_staff, admin_user)


def add_assessments(count: int, answers: dict = SAFE_ANSWERS, **fields) -> list[Assessment]:
    """`count` assessments, one a day back from today, in one INSERT (scored once)."""
    snapshot = score(answers).to_dict()
    now = timezone.now()
    return Assessment.objects.bulk_create(
        build_assessment(snapshot=snapshot, created_at=now - timedelta(days=i), **fields)
        for i in range(count)
    )


def add_audit_events(count: int, actor: AbstractBaseUser) -> None:
    """`count` events, one an hour back from now, about the assessments there are."""
    assessment_ids = list(Assessment.objects.values_list("pk", flat=True))
    now = timezone.now()
    AuditEvent.objects.bulk_create(
        AuditEvent(
            actor=actor,
            actor_username=actor.get_username(),
            assessment_id=assessment_ids[i % len(assessment_ids)],
            action=AuditEvent.Action.VIEWED,
            at=now - timedelta(hours=i),
        )
        for i in range(count)
    )


def _reviewed_by(staff: AbstractBaseUser) -> dict:
    return {
        "review_status": ReviewStatus.REVIEWED,
        "reviewed_by": staff,
        "reviewed_at": timezone.now(),
        "staff_note": "Seen.",
    }


def little_data(world: World) -> None:
    """One assessment (the owner's, flagged and reviewed: the most a page shows) and one event."""
    [world.target] = add_assessments(
        1, FLAGGED_ANSWERS, owner=world.owner, **_reviewed_by(world.clinic_staff)
    )
    add_audit_events(1, world.clinic_staff)


def much_more_data(world: World) -> None:
    """Adds to 60 of the owner's, 300 assessments in all and 300 audit events by two people.

    The rows differ in the ways the pages show them: flagged or not, a hard stop, reviewed with
    a note, someone else's or anonymous, spread over months.
    """
    add_assessments(30, owner=world.owner)
    add_assessments(29, HARD_STOP_ANSWERS, owner=world.owner)
    add_assessments(
        60, FLAGGED_ANSWERS, owner=world.someone_else, **_reviewed_by(world.clinic_staff)
    )
    add_assessments(90, FLAGGED_ANSWERS)
    add_assessments(90)
    add_audit_events(200, world.clinic_staff)
    add_audit_events(99, world.superuser)


# --- The pages --------------------------------------------------------------------------------


def _nothing(client: Client, world: World) -> None:
    pass


@dataclass(frozen=True)
class Page:
    id: str
    budget: int
    who: str | None  # the World attribute of the signed-in user; None is someone not signed in
    url: str | Callable[[World], str]
    method: str = "get"
    status: int = 200
    # Brings the client to the page (consent given, earlier steps answered) before the warm-up.
    prepare: Callable[[Client, World], None] = _nothing
    data: Callable[[Client, World], dict] = lambda client, world: {}

    def url_in(self, world: World) -> str:
        return self.url(world) if callable(self.url) else self.url


OWNER, STAFF, SUPERUSER, ANONYMOUS = "owner", "clinic_staff", "superuser", None


def _answered_up_to(step: str) -> Callable[[Client, World], None]:
    def prepare(client: Client, world: World) -> None:
        agree(client)
        answer_steps(client, ANSWERS, ALL_STEPS[: ALL_STEPS.index(step)])

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
        data=lambda client, world: step_post_data(step, ANSWERS),
    )


def _final_submit_data(client: Client, world: World) -> dict:
    return {**step_post_data(REVIEW_STEP_KEY, ANSWERS), "submission": submission_id(client)}


def _result_url(world: World) -> str:
    return world.target.get_absolute_url()


# A signed-in page reads the session and the user (2 queries); saving the session adds 3 (a
# savepoint, the UPDATE, its release), as does each atomic write.
PAGES = [
    Page("home", 2, OWNER, "/"),
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
    Page("result-page", 3, OWNER, _result_url),
    Page("result-delete-confirmation", 3, OWNER, lambda world: f"{_result_url(world)}delete/"),
    # Session and user, the paginator's count, the page, the trend, the latest two.
    Page("my-assessments", 6, OWNER, "/my/assessments/"),
    Page("export-json", 3, OWNER, "/my/assessments/export.json"),
    Page("export-csv", 3, OWNER, "/my/assessments/export.csv"),
    Page("account", 2, OWNER, "/accounts/"),
    Page("delete-account", 2, OWNER, "/accounts/delete/"),
    # No session yet, so no query at all.
    Page("login", 0, ANONYMOUS, "/accounts/login/"),
    Page("signup", 0, ANONYMOUS, "/accounts/signup/"),
    Page("password-change", 2, OWNER, "/accounts/password_change/"),
    Page("password-reset", 0, ANONYMOUS, "/accounts/password_reset/"),
    # 8 on SQLite, 9 on PostgreSQL: there the paginator first asks pg_class for the table's
    # estimated size (assessments/admin/pagination.py), and counts exactly below 10,000 rows.
    # Two are the date hierarchy, whatever the dates' span: the first and last date, then one
    # row of EXISTS flags, one per year, month or day (assessments/admin/hierarchy.py).
    Page("admin-assessment-list", 9, STAFF, CHANGELIST_URL),
    # Includes the audit event the view writes, and the owner and reviewer shown.
    Page("admin-assessment-page", 9, STAFF, lambda world: change_url(world.target)),
    Page("admin-audit-log", 7, SUPERUSER, AUDIT_LOG_URL),
    Page("healthz", 1, ANONYMOUS, "/healthz"),
]


# --- Measuring --------------------------------------------------------------------------------


def listing(queries: list[str]) -> str:
    return "\n".join(f"  {i}. {sql}" for i, sql in enumerate(queries, 1))


def measure(page: Page, world: World) -> list[str]:
    """The SQL of one request to `page` by a warmed-up client."""
    client = Client()
    if page.who:
        client.force_login(getattr(world, page.who))
    page.prepare(client, world)
    url = page.url_in(world)
    warm_up = client.get(url)
    assert warm_up.status_code == 200, (url, warm_up.status_code)
    data = page.data(client, world)
    with CaptureQueriesContext(connection) as captured:
        response: HttpResponse = getattr(client, page.method)(url, data)
    assert response.status_code == page.status, (url, response.status_code)
    return [query["sql"] for query in captured.captured_queries]


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
