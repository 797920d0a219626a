"""The queue's list page written in Python (clinics/admin/queue_page.py) is the HTML the admin's
templates write for it, in every state of the list; pages it does not write are the templates'."""

import re
from datetime import timedelta

import pytest
from django.contrib import admin, messages
from django.test.html import parse_html
from django.utils import timezone
from django.utils.html import format_html

from assessments.admin.pagination import CappedCountPaginator
from clinics.admin.queue import QueueAdmin
from clinics.admin.queue_page import QueuePage
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

# Django masks the CSRF token anew for each page: the two drawings differ only there.
TOKEN = re.compile(r'name="csrfmiddlewaretoken" value="[^"]+"')


def _drawn(client, url: str, *, in_python: bool, monkeypatch) -> tuple[str, object]:
    monkeypatch.setattr(QueueAdmin, "page_in_python", in_python)
    response = client.get(url)
    assert response.status_code == 200
    html = TOKEN.sub('name="csrfmiddlewaretoken" value="token"', response.content.decode())
    return html, response.template_name


def assert_same_page(client, url: str, monkeypatch, *, written: bool = True) -> str:
    """The page at `url` drawn both ways is the same HTML; `written`: by QueuePage."""
    python, template = _drawn(client, url, in_python=True, monkeypatch=monkeypatch)
    django, _ = _drawn(client, url, in_python=False, monkeypatch=monkeypatch)
    assert isinstance(template, QueuePage) is written
    assert parse_html(python) == parse_html(django), url
    return python


@pytest.fixture
def queue(clinic, clinic_staff):
    now = timezone.now()
    overdue = send(clinic, URGENT_ANSWERS, sent_at=now - timedelta(days=40))
    share_review(share=overdue, reviewer=clinic_staff, assigned_to=clinic_staff)
    send(clinic, STOP_ANSWERS, sent_at=now - timedelta(days=400))
    send(
        clinic,
        CONSULT_ANSWERS,
        contact={
            "contact_way": "email",
            "contact_name": "<b>A&B</b>",
            "contact_email": "a@example.org",
        },
    )
    send(clinic, GO_AHEAD_ANSWERS)
    return Share.objects.filter(clinic=clinic)


@pytest.mark.parametrize(
    "query",
    [
        "",
        "?status__exact=new",
        "?overdue=yes",
        "?assigned=mine",
        "?assigned=nobody&disposition__exact=urgent",
        "?q=Sam",
        "?q=%3Cb%3E%22%26",
        "?q=nobody-matches",
        "?e=1",
    ],
)
def test_the_list_in_each_state_is_the_templates_page(staff_client, queue, monkeypatch, query):
    assert_same_page(staff_client, QUEUE_URL + query, monkeypatch)


def test_the_date_drill_down(staff_client, queue, monkeypatch):
    sent = queue.order_by("sent_at").first().sent_at
    for query in (
        f"?sent_at__year={sent.year}",
        f"?sent_at__year={sent.year}&sent_at__month={sent.month}",
        f"?sent_at__year={sent.year}&sent_at__month={sent.month}&sent_at__day={sent.day}",
    ):
        assert_same_page(staff_client, QUEUE_URL + query, monkeypatch)


def test_an_empty_queue(staff_client, monkeypatch):
    assert_same_page(staff_client, QUEUE_URL, monkeypatch)


def test_pages_of_the_list_and_show_all(staff_client, queue, monkeypatch):
    monkeypatch.setattr(QueueAdmin, "list_per_page", 1)
    for query in ("", "?p=2", "?p=4", "?all=", "?status__exact=new&p=2"):
        page = assert_same_page(staff_client, QUEUE_URL + query, monkeypatch)
    assert 'class="this-page">2<' in page


def test_a_list_past_the_count_cap(staff_client, queue, monkeypatch):
    monkeypatch.setattr(QueueAdmin, "list_per_page", 1)
    monkeypatch.setattr(CappedCountPaginator, "AT_LEAST", 1)
    monkeypatch.setattr(CappedCountPaginator, "PAGES_AHEAD", 1)
    for query in ("", "?q=a", "?p=2"):
        page = assert_same_page(staff_client, QUEUE_URL + query, monkeypatch)
    assert "More than" in page


def _after_an_action(client, share, monkeypatch, *, in_python: bool) -> str:
    client.post(QUEUE_URL, {"action": "mark_in_progress", "_selected_action": [share.pk]})
    html, _ = _drawn(client, QUEUE_URL, in_python=in_python, monkeypatch=monkeypatch)
    return html


def test_messages_after_an_action_safe_html_and_text(staff_client, queue, monkeypatch):
    # The action's messages only, so both drawings show the same items.
    def set_status(self, request, queryset, status):
        self.message_user(request, format_html("<strong>{}</strong> done", "<x>"))
        self.message_user(request, "plain <b> & text", messages.WARNING)

    monkeypatch.setattr(QueueAdmin, "_set_status", set_status)
    share = queue.first()
    python = _after_an_action(staff_client, share, monkeypatch, in_python=True)
    django = _after_an_action(staff_client, share, monkeypatch, in_python=False)
    assert "<strong>&lt;x&gt;</strong> done" in python
    assert '<li class="warning">Plain &lt;b&gt; &amp; text</li>' in python
    assert parse_html(python) == parse_html(django)
    # Shown once, then gone, either way.
    assert 'class="messagelist"' not in assert_same_page(staff_client, QUEUE_URL, monkeypatch)


def test_someone_in_several_clinics_sees_the_clinic_filter(
    staff_client, queue, clinic_staff, other_clinic, monkeypatch
):
    other_clinic.members.add(clinic_staff)
    page = assert_same_page(staff_client, QUEUE_URL + "?clinic=north", monkeypatch)
    assert 'data-filter-title="clinic"' in page


def test_someone_without_a_password_of_their_own(client, queue, clinic_staff, monkeypatch):
    clinic_staff.set_unusable_password()
    clinic_staff.save()
    client.force_login(clinic_staff)
    page = assert_same_page(client, QUEUE_URL, monkeypatch)
    assert "Change password" not in page


def test_a_popup_is_drawn_by_the_templates(staff_client, queue, monkeypatch):
    assert_same_page(staff_client, QUEUE_URL + "?_popup=1", monkeypatch, written=False)


def test_a_sortable_column_keeps_the_templates_table(staff_client, queue, monkeypatch):
    monkeypatch.setattr(QueueAdmin, "sortable_by", ("sent",))
    monkeypatch.setattr(QueueAdmin.sent, "admin_order_field", "sent_at", raising=False)
    page = assert_same_page(staff_client, QUEUE_URL, monkeypatch)
    assert 'class="sortable column-sent' in page


def test_actions_at_the_bottom_only_or_on_both(staff_client, queue, monkeypatch):
    monkeypatch.setattr(QueueAdmin, "actions_on_top", False)
    monkeypatch.setattr(QueueAdmin, "actions_on_bottom", True)
    page = assert_same_page(staff_client, QUEUE_URL, monkeypatch)
    assert 'name="index" value="0"' in page
    monkeypatch.setattr(QueueAdmin, "actions_on_top", True)
    page = assert_same_page(staff_client, QUEUE_URL, monkeypatch)
    assert 'name="index" value="1"' in page


def test_a_list_with_facets_is_drawn_by_the_templates(staff_client, queue, monkeypatch):
    monkeypatch.setattr(QueueAdmin, "show_facets", admin.ShowFacets.ALWAYS)
    assert_same_page(staff_client, QUEUE_URL + "?q=Sam", monkeypatch, written=False)
