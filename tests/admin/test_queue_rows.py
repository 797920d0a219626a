"""The queue's rows, written in one pass (clinics/admin/queue_rows.py), are the HTML Django's
admin writes for them cell by cell, for every kind of value the columns show."""

import re
from datetime import timedelta

import pytest
from django.contrib.admin.templatetags.admin_list import items_for_result, result_list
from django.db import connection
from django.template.loader import render_to_string
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from django.utils.html import format_html
from django.utils.safestring import SafeData, mark_safe

from clinics.admin.queue import QueueAdmin
from clinics.admin.queue_cells import Cells, markup
from clinics.admin.queue_rows import QueueRow, QueueRows, queue_rows
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


MARKUP_NAME = "<b>ann</b>&co"


@pytest.fixture
def every_kind_of_row(clinic, clinic_staff, django_user_model):
    now = timezone.now()
    overdue = send(clinic, URGENT_ANSWERS, sent_at=now - timedelta(days=3))
    share_review(share=overdue, reviewer=clinic_staff, assigned_to=clinic_staff)
    # A name with markup (the admin's own forms would refuse it; the list must escape it).
    odd = django_user_model.objects.create_user(MARKUP_NAME, "ann@example.org", "pw-ann-12345")
    clinic.members.add(odd)
    share_review(share=send(clinic, CONSULT_ANSWERS), reviewer=clinic_staff, assigned_to=odd)
    send(clinic, STOP_ANSWERS, contact={"contact_way": "email", "contact_email": "a@b.example"})
    # A note with markup in it: the list says only whether there is one.
    send(clinic, {**CONSULT_ANSWERS, "notes": "<b>itchy</b> & sore"})
    closed = send(clinic, GO_AHEAD_ANSWERS)
    share_review(share=closed, reviewer=clinic_staff, status="closed")
    raised = send(clinic, GO_AHEAD_ANSWERS)
    # As a later urgent check leaves it (clinics.services.share_raise_for_check).
    Share.objects.filter(pk=raised.pk).update(disposition="urgent")


def django_rows(cl) -> list[str]:
    return ["".join(map(str, items_for_result(cl, row, None))) for row in cl.result_list]


def our_rows(cl) -> list[str]:
    return ["".join(map(str, row)) for row in queue_rows(cl)]


def test_an_item_read_for_the_list_shows_as_its_share_does(staff_client, every_kind_of_row):
    # The list reads its page's items as QueueRows (one tuple each), not as Share models:
    # every column, and the item's name, come out as they do for the share itself.
    cl = staff_client.get(QUEUE_URL).context_data["cl"]
    cells = Cells()
    columns = [name for name in cl.list_display if name != "action_checkbox"]

    assert len(cl.result_list) == Share.objects.count()
    for row in cl.result_list:
        assert isinstance(row, QueueRow)
        share = Share.objects.select_related("assigned_to").get(pk=row.pk)
        for name in columns:
            assert getattr(cells, name)(row) == getattr(cells, name)(share), name
        assert str(row) == str(share)
        assert row.is_overdue() == share.is_overdue()


@pytest.mark.parametrize(
    "query", [{}, {"overdue": "yes"}, {"q": "Sam"}, {"q": "Sam & <Person>"}, {"p": "2"}]
)
def test_the_page_is_what_django_draws_from_the_shares(
    staff_client, every_kind_of_row, query, monkeypatch, settings
):
    # Where the time differs from UTC, and with a page of one item, so that a second exists.
    settings.TIME_ZONE = "Pacific/Auckland"
    monkeypatch.setattr(QueueAdmin, "list_per_page", 1)
    ours = staff_client.get(QUEUE_URL, query)
    # Django's own drawing, cell by cell, of the page's items read as Share models.
    monkeypatch.setattr("clinics.admin.queue.drawn_in_one_pass", lambda cl: False)
    monkeypatch.setattr("clinics.admin.queue_rows.drawn_in_one_pass", lambda cl: False)
    django = staff_client.get(QUEUE_URL, query)

    assert isinstance(ours.context_data["cl"].result_list, QueueRows)
    assert whole_page(ours) == whole_page(django)
    if not ours.context_data["cl"].result_list:
        return  # the odd search finds nothing: its escaping in the links is what is compared
    assert isinstance(django.context_data["cl"].result_list[0], Share)
    sent = timezone.localtime(ours.context_data["cl"].result_list[0].sent_at)
    assert sent.tzinfo.key == "Pacific/Auckland"
    assert f"{sent:%a %d %b %H:%M}</a>" in ours.content.decode()
    assert f"{sent:%d %b %Y %H:%M} \u2013 " in ours.content.decode()


def whole_page(response) -> str:
    page = re.sub(r'name="csrfmiddlewaretoken" value="[^"]+"', "", response.content.decode())
    return re.sub(r">\s+<", "><", page)


def test_a_list_with_a_column_of_its_own_is_drawn_by_django_from_shares(
    staff_client, every_kind_of_row, monkeypatch
):
    # A model field as a column: QueueRows do not have it; the list is Django's, from Shares.
    monkeypatch.setattr(QueueAdmin, "list_display", (*QueueAdmin.list_display, "contact_name"))
    response = staff_client.get(QUEUE_URL)

    assert response.status_code == 200
    assert isinstance(response.context_data["cl"].result_list[0], Share)
    assert '<td class="field-contact_name">Sam Person</td>' in response.content.decode()


@pytest.mark.parametrize(
    "query",
    [
        {},
        # Filters the item links carry back to the list (_changelist_filters).
        {"status__exact": "new", "q": "Sam"},
        {"q": "Sam & <Person>"},
        {"overdue": "yes", "assigned": "mine"},
        {"p": "1"},
    ],
)
def test_each_row_is_what_django_writes(staff_client, every_kind_of_row, query):
    response = staff_client.get(QUEUE_URL, query)
    assert response.status_code == 200
    cl = response.context_data["cl"]
    page = response.content.decode()

    ours = our_rows(cl)

    assert ours == django_rows(cl)
    assert len(ours) == len(cl.result_list)
    if query.get("q") != "Sam & <Person>":
        assert ours
    for row in ours:
        assert f"<tr>{row}</tr>" in page


def test_the_rows_say_what_each_column_holds(staff_client, every_kind_of_row):
    rows = our_rows(staff_client.get(QUEUE_URL).context_data["cl"])

    assert len(rows) == 6
    text = "\n".join(rows)
    assert '<strong class="queue-overdue">Overdue</strong>' in text
    assert "Raised by a later check" in text
    assert '<td class="field-note">Yes</td>' in text
    assert '<td class="field-note">-</td>' in text
    assert "itchy" not in text
    assert 'name="_selected_action"' in text
    assert '<td class="field-assignee">&lt;b&gt;ann&lt;/b&gt;&amp;co</td>' in text
    assert "<b>ann" not in text


def test_a_column_with_its_own_options_is_drawn_by_django(
    staff_client, every_kind_of_row, monkeypatch
):
    from clinics.admin.queue import QueueAdmin

    monkeypatch.setattr(QueueAdmin.note, "empty_value_display", "(none)", raising=False)
    cl = staff_client.get(QUEUE_URL).context_data["cl"]

    assert our_rows(cl) == django_rows(cl)
    assert '<td class="field-note">(none)</td>' in "".join(our_rows(cl))


def test_the_action_form_is_what_django_writes(staff_client, every_kind_of_row):
    response = staff_client.get(QUEUE_URL)
    # Django's admin/actions.html: a label round each labelled field, the rest as it is.
    django = "".join(
        f"<label>{field.label} {field}</label>" if field.label else str(field)
        for field in response.context_data["action_form"]
    )
    page = response.content.decode()
    ours = page[page.index("<label>Action:") : page.index('class="select-across">') + 22]

    def tags(html: str) -> str:
        return re.sub(r">\s+<", "><", html)

    assert tags(ours) == tags(django)
    assert '<option value="" selected>' in ours
    assert ours.count("<option") == len(
        response.context_data["action_form"].fields["action"].choices
    )


@pytest.mark.parametrize(
    "values",
    [("consult", "Consult a professional"), ("<b>", "a & b"), (mark_safe("<i>x</i>"), 3)],
)
def test_a_columns_markup_is_what_format_html_writes(values):
    template = '<span class="q q--{}">{}</span>'

    assert markup(template, *values) == format_html(template, *values)
    assert isinstance(markup(template, *values), SafeData)


def results_table(html: str) -> str:
    start = html.index('<div class="results">')
    end = html.index("</table>", start) + len("</table>")
    return re.sub(r">\s+<", "><", html[start:end])


@pytest.mark.parametrize("query", [{}, {"overdue": "yes"}, {"q": "Sam & <Person>"}])
def test_the_table_is_what_djangos_template_writes(staff_client, every_kind_of_row, query):
    response = staff_client.get(QUEUE_URL, query)
    django = render_to_string(
        "admin/change_list_results.html", result_list(response.context_data["cl"])
    )
    page = response.content.decode()

    if '<div class="results">' not in django:  # nothing found: neither writes a table
        assert '<table id="result_list">' not in page
        return
    assert results_table(page) == results_table(django)
    assert page.count("<tr>") == len(response.context_data["cl"].result_list) + 1


def test_a_sortable_column_is_drawn_by_djangos_template(
    staff_client, every_kind_of_row, monkeypatch
):
    from clinics.admin.queue import QueueAdmin

    monkeypatch.setattr(QueueAdmin, "sortable_by", ("sent",))
    monkeypatch.setattr(QueueAdmin.sent, "admin_order_field", "sent_at", raising=False)
    response = staff_client.get(QUEUE_URL)
    django = render_to_string(
        "admin/change_list_results.html", result_list(response.context_data["cl"])
    )

    assert 'class="sortable column-sent' in django
    assert results_table(response.content.decode()) == results_table(django)


def test_the_list_reads_its_rows_without_joining_clinic_members(staff_client, every_kind_of_row):
    with CaptureQueriesContext(connection) as queries:
        staff_client.get(QUEUE_URL)

    share_queries = [q["sql"] for q in queries.captured_queries if "clinics_share" in q["sql"]]
    assert share_queries
    assert not [sql for sql in share_queries if "clinics_clinic_members" in sql]


def test_an_action_reads_no_page_of_rows(staff_client, every_kind_of_row):
    # The page's items (QueueRows) are read when the rows are written, never for a POST.
    share = Share.objects.first()
    with CaptureQueriesContext(connection) as queries:
        response = staff_client.post(
            QUEUE_URL, {"action": "mark_in_progress", "_selected_action": [str(share.pk)]}
        )

    assert response.status_code == 302
    assert not [q for q in queries.captured_queries if '"queue_reasons"' in q["sql"]]


def test_a_callable_column_is_drawn_by_django(staff_client, every_kind_of_row, monkeypatch):
    def sent_year(share):
        return share.sent_at.year

    monkeypatch.setattr(QueueAdmin, "list_display", (*QueueAdmin.list_display, sent_year))
    response = staff_client.get(QUEUE_URL)

    assert response.status_code == 200
    assert isinstance(response.context_data["cl"].result_list[0], Share)
