"""For tests/serving/test_query_budgets.py: the people, the data, a page and its measurement."""

from collections.abc import Callable
from dataclasses import dataclass
from datetime import timedelta

from django.contrib.auth.models import AbstractBaseUser
from django.db import connection
from django.http import HttpResponse
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from assessments.models import Assessment, AuditEvent, ReviewStatus
from assessments.scoring import score
from clinics.models import Clinic, ContactWay, Share
from clinics.queue_reasons import has_note, reasons_in_words
from clinics.working_time import due_at
from tests.support.answers import SAFE_ANSWERS
from tests.support.assessments import (
    FLAGGED_ANSWERS,
    HARD_STOP_ANSWERS,
    build_assessment,
)

# --- The cast and the data --------------------------------------------------------------------


@dataclass
class World:
    owner: AbstractBaseUser
    someone_else: AbstractBaseUser
    clinic_staff: AbstractBaseUser
    superuser: AbstractBaseUser
    # clinic_staff's clinic, and another one.
    clinic: Clinic
    other_clinic: Clinic
    # The owner's assessment whose pages are measured: the same one with little and much data.
    target: Assessment | None = None
    # The target as sent to the clinic: the queue item whose page is measured.
    target_share: Share | None = None


def add_assessments(count: int, answers: dict = SAFE_ANSWERS, **fields) -> list[Assessment]:
    """`count` assessments, one a day back from today, in one INSERT (scored once)."""
    snapshot = score(answers).to_dict()
    now = timezone.now()
    return Assessment.objects.bulk_create(
        build_assessment(snapshot=snapshot, created_at=now - timedelta(days=i), **fields)
        for i in range(count)
    )


def send_all(assessments: list[Assessment], clinic: Clinic, **fields) -> list[Share]:
    """Each of `assessments` sent to `clinic`, one a day back from now, in one INSERT."""
    now = timezone.now()
    shares = []
    for i, assessment in enumerate(assessments):
        sent_at = now - timedelta(days=i)
        shares.append(
            Share(
                assessment=assessment,
                clinic=clinic,
                sent_at=sent_at,
                disposition=assessment.disposition,
                result_disposition=assessment.disposition,
                due_at=due_at(assessment.disposition, sent_at),
                queue_reasons=reasons_in_words(assessment.factors, assessment.consult_professional),
                has_note=has_note(assessment.answers),
                contact_way=ContactWay.PHONE,
                contact_name="Sam Person",
                contact_phone="07700 900123",
                **fields,
            )
        )
    return Share.objects.bulk_create(shares)


def add_audit_events(count: int, actor: AbstractBaseUser, clinic: Clinic | None = None) -> None:
    """`count` events, one an hour back from now, about the assessments there are."""
    assessment_ids = list(Assessment.objects.values_list("pk", flat=True))
    now = timezone.now()
    AuditEvent.objects.bulk_create(
        AuditEvent(
            actor=actor,
            actor_username=actor.get_username(),
            assessment_id=assessment_ids[i % len(assessment_ids)],
            action=AuditEvent.Action.VIEWED,
            clinic=clinic,
            at=now - timedelta(hours=i),
        )
        for i in range(count)
    )


def _reviewed_by(staff: AbstractBaseUser) -> dict:
    return {
        "review_status": ReviewStatus.CLOSED,
        "reviewed_by": staff,
        "reviewed_at": timezone.now(),
        "staff_note": "Seen.",
    }


def little_data(world: World) -> None:
    """One assessment (the owner's, flagged and reviewed: the most a page shows), sent to the
    clinic and assigned, and one event."""
    [world.target] = add_assessments(
        1,
        {**FLAGGED_ANSWERS, "notes": "A note."},
        owner=world.owner,
        **_reviewed_by(world.superuser),
    )
    [world.target_share] = send_all(
        [world.target], world.clinic, assigned_to=world.clinic_staff, status=ReviewStatus.FOLLOW_UP
    )
    add_audit_events(1, world.clinic_staff, world.clinic)


def much_more_data(world: World) -> None:
    """Adds to 60 of the owner's, 300 assessments in all and 300 audit events by two people.

    The rows differ in the ways the pages show them: flagged or not, a hard stop, reviewed with
    a note, someone else's or anonymous, spread over months. Most are sent to the clinic (the
    owner's other results among them), assigned or not, and some to the other clinic.
    """
    owners = add_assessments(30, owner=world.owner)
    owners += add_assessments(29, HARD_STOP_ANSWERS, owner=world.owner)
    someone_elses = add_assessments(
        60, FLAGGED_ANSWERS, owner=world.someone_else, **_reviewed_by(world.superuser)
    )
    anonymous_flagged = add_assessments(90, FLAGGED_ANSWERS)
    add_assessments(90)
    send_all(owners, world.clinic)
    send_all(someone_elses, world.clinic, assigned_to=world.clinic_staff)
    send_all(anonymous_flagged[:60], world.clinic, status=ReviewStatus.CLOSED)
    send_all(anonymous_flagged[60:], world.other_clinic)
    add_audit_events(200, world.clinic_staff, world.clinic)
    add_audit_events(99, world.superuser)


# --- A page and its measurement -------------------------------------------------------------


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
