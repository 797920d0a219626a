"""The queue's list page (clinics/admin/queue_page.py) is the page Django's changelist view draws
for the same request: the same HTML, for every kind of list staff can open."""

import re
from datetime import timedelta

import pytest
from django.utils import timezone

from assessments.admin.pagination import CappedCountPaginator
from clinics.admin.queue import QueueAdmin
from clinics.models import Share
from clinics.services import share_review
from tests.support.queue import (
    CONSULT_ANSWERS,
    GO_AHEAD_ANSWERS,
    QUEUE_URL,
    STOP_ANSWERS,
    URGENT_ANSWERS,
    send,
)

pytestmark = pytest.mark.django_db

CSRF = re.compile(r'name="csrfmiddlewaretoken" value="[^"]+"')


@pytest.fixture
def queue(clinic, clinic_staff):
    now = timezone.now()
    overdue = send(clinic, URGENT_ANSWERS, sent_at=now - timedelta(days=40))
    share_review(share=overdue, reviewer=clinic_staff, assigned_to=clinic_staff)
    send(clinic, STOP_ANSWERS, sent_at=now - timedelta(days=400))
    send(clinic, CONSULT_ANSWERS, contact={"contact_way": "email", "contact_email": "a@b.example"})
    closed = send(clinic, GO_AHEAD_ANSWERS)
    share_review(share=closed, reviewer=clinic_staff, status="closed")
    return Share.objects.order_by("sent_at")


def both_pages(client, query: dict, monkeypatch) -> tuple[str, str]:
    """The page as queue_page draws it, and as Django's changelist view does."""
    ours = client.get(QUEUE_URL, query)
    with monkeypatch.context() as patch:
        patch.setattr(QueueAdmin, "list_page_of_its_own", False)
        django = client.get(QUEUE_URL, query)
    assert ours.status_code == django.status_code == 200
    assert ours.templates[0].name == "admin/clinics/share/queue_page.html"
    assert django.templates[0].name == "admin/clinics/share/change_list.html"
    return normalized(ours.content.decode()), normalized(django.content.decode())


def normalized(page: str) -> str:
    # The CSRF token is masked afresh for every response; any run of white space between
    # words or tags is one space to a browser.
    return re.sub(r"\s+", " ", CSRF.sub('name="csrfmiddlewaretoken" value=""', page))


def year_of(share: Share) -> str:
    return str(timezone.localtime(share.sent_at).year)


QUERIES = [
    {},
    {"status__exact": "new"},
    {"status__exact": "closed", "assigned": "mine"},
    {"overdue": "yes"},
    {"assigned": "nobody"},
    {"disposition__exact": "urgent"},
    {"disposition__exact": "go_ahead", "overdue": "yes"},
    {"q": "Sam"},
    {"q": "nobody by this name"},
    {"q": "  "},
    {"q": "Sam & <Person>", "status__exact": "new"},
    {"p": "1"},
    {"p": "not a number"},
    # One page of items: Django shows it whatever page is asked for.
    {"p": "99"},
    {"status__exact": "bogus"},
    {"o": "3"},
]


@pytest.mark.parametrize("query", QUERIES)
def test_the_page_is_djangos(staff_client, queue, query, monkeypatch):
    ours, django = both_pages(staff_client, query, monkeypatch)

    assert ours == django


def test_each_level_of_the_date_drill_down_is_djangos(staff_client, queue, monkeypatch):
    newest = timezone.localtime(queue.last().sent_at)
    for query in (
        {"sent_at__year": newest.year},
        {"sent_at__year": newest.year, "sent_at__month": newest.month},
        {"sent_at__year": newest.year, "sent_at__month": newest.month, "sent_at__day": newest.day},
        {"sent_at__year": newest.year, "status__exact": "new", "q": "Sam"},
    ):
        ours, django = both_pages(staff_client, query, monkeypatch)
        assert ours == django, query


def test_several_pages_and_the_count_cap_are_djangos(staff_client, queue, monkeypatch):
    monkeypatch.setattr(QueueAdmin, "list_per_page", 1)
    for page in ("1", "2", "4"):
        ours, django = both_pages(staff_client, {"p": page}, monkeypatch)
        assert ours == django, page
        assert 'class="this-page"' in ours
    # Past the count's cap: "More than N", and the selection across pages without a count.
    monkeypatch.setattr(CappedCountPaginator, "AT_LEAST", 1)
    monkeypatch.setattr(CappedCountPaginator, "PAGES_AHEAD", 1)
    ours, django = both_pages(staff_client, {}, monkeypatch)
    assert ours == django
    assert "More than 2 queue items" in ours
    assert "All items on every page selected" in ours


def test_staff_of_several_clinics_see_djangos_page(
    client, clinic, other_clinic, clinic_staff, queue, monkeypatch
):
    other_clinic.members.add(clinic_staff)
    send(other_clinic, CONSULT_ANSWERS)
    client.force_login(clinic_staff)
    for query in ({}, {"clinic": other_clinic.slug}, {"clinic": "no-such-clinic"}):
        ours, django = both_pages(client, query, monkeypatch)
        assert ours == django, query
    assert "By clinic" in ours


def test_the_operator_sees_djangos_page(admin_client, queue, monkeypatch):
    ours, django = both_pages(admin_client, {"status__exact": "new"}, monkeypatch)

    assert ours == django


def test_an_empty_queue_is_djangos(staff_client, monkeypatch):
    ours, django = both_pages(staff_client, {}, monkeypatch)

    assert ours == django
    assert "0 queue items" in ours


def test_staff_who_may_only_view_see_djangos_page(staff_client, clinic_staff, queue, monkeypatch):
    from django.contrib.auth.models import Permission

    clinic_staff.groups.clear()
    clinic_staff.user_permissions.set([Permission.objects.get(codename="view_share")])
    ours, django = both_pages(staff_client, {}, monkeypatch)

    assert ours == django
    assert "Select queue item to view" in ours


@pytest.mark.parametrize(
    "query",
    [
        # A page past the end, a parameter that filters nothing the list has: Django starts
        # the list again (a redirect to ?e=1), then shows it; a popup.
        {"p": "99"},
        {"no_such_field": "1"},
        {"e": "1"},
        {"_popup": "1"},
    ],
)
def test_what_the_page_does_not_draw_is_answered_by_django(staff_client, queue, query, monkeypatch):
    monkeypatch.setattr(QueueAdmin, "list_per_page", 1)
    ours = staff_client.get(QUEUE_URL, query)
    with monkeypatch.context() as patch:
        patch.setattr(QueueAdmin, "list_page_of_its_own", False)
        django = staff_client.get(QUEUE_URL, query)

    assert "admin/clinics/share/queue_page.html" not in [t.name for t in ours.templates]
    assert ours.status_code == django.status_code
    assert ours.get("Location") == django.get("Location")
