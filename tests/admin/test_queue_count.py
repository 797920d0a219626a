"""The queue counts its items only up to a cap (CappedCountPaginator): past it the list says
"more than N", every page it links to exists, and the list can still be paged to its end."""

import re
from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from assessments.admin.pagination import CappedCountPaginator
from assessments.admin.rows import LIST_STARTED_AGAIN
from clinics.admin.queue import QueueAdmin
from clinics.models import Share
from tests.support.queue import CONSULT_ANSWERS, QUEUE_URL, listed, send

pytestmark = pytest.mark.django_db


@pytest.fixture
def small_pages(monkeypatch):
    """Two items a page, counted up to four and one page ahead."""
    monkeypatch.setattr(QueueAdmin, "list_per_page", 2)
    monkeypatch.setattr(CappedCountPaginator, "AT_LEAST", 4)
    monkeypatch.setattr(CappedCountPaginator, "PAGES_AHEAD", 1)


def items(clinic, count: int) -> list[Share]:
    return [send(clinic, CONSULT_ANSWERS) for _ in range(count)]


def paginator_text(response) -> str:
    page = response.content.decode()
    return " ".join(re.search(r'<p class="paginator">(.*?)</p>', page, re.S)[1].split())


def page_links(response) -> list[int]:
    return [int(p) for p in re.findall(r'href="\?p=(\d+)"', paginator_text(response))]


def test_below_the_cap_the_count_is_exact(staff_client, clinic, small_pages):
    items(clinic, 4)

    response = staff_client.get(QUEUE_URL)

    assert "4 queue items" in paginator_text(response)
    assert "More than" not in response.content.decode()


def test_a_count_has_its_thousands_separator_and_the_search_bar_counts_only_a_search(
    staff_client, clinic
):
    from clinics.admin.queue import _items

    assert (_items(1), _items(3000)) == ("1 item", "3,000 items")
    send(clinic, CONSULT_ANSWERS, contact={"contact_way": "phone", "contact_name": "Sam Person"})

    assert '<span class="small quiet">' not in staff_client.get(QUEUE_URL).content.decode()
    searched = staff_client.get(QUEUE_URL, {"q": "Sam"}).content.decode()
    assert re.search(r'<span class="small quiet">1 result \(<a href="\?">Show all</a>\)', searched)
    # Spaces are no search (the list shows everything): no count either.
    assert (
        '<span class="small quiet">'
        not in staff_client.get(QUEUE_URL, {"q": "  "}).content.decode()
    )


def test_a_list_that_counts_every_row_still_says_how_many_a_filter_keeps(
    admin_client, django_user_model
):
    # Django's user list (show_full_result_count on): the shared search bar keeps its count.
    for number in range(3):
        django_user_model.objects.create_user(f"person{number}", is_staff=number == 0)
    users = django_user_model.objects
    staff, every = users.filter(is_staff=True).count(), users.count()

    filtered = admin_client.get("/admin/auth/user/", {"is_staff__exact": "1"}).content.decode()

    assert (staff, every) == (2, 4)  # with the operator admin_client is
    assert f'<span class="small quiet">{staff} results (<a href="?">{every} total</a>)' in filtered


def test_past_the_cap_it_says_more_than_and_links_only_pages_that_exist(
    staff_client, clinic, small_pages
):
    every = items(clinic, 11)

    first = staff_client.get(QUEUE_URL)

    assert "More than 4 queue items" in paginator_text(first)
    # No made-up number anywhere; the search bar counts only a search.
    assert '<span class="small quiet">' not in first.content.decode()
    assert not re.search(r"\b(6|8) (results|queue items)", first.content.decode())
    # Four counted, plus a page: pages 1 to 3, each holding items.
    assert max(page_links(first)) == 3
    seen = []
    for page in range(1, 4):
        response = staff_client.get(QUEUE_URL, {"p": page})
        assert response.status_code == 200
        assert len(listed(response)) == 2
        seen += listed(response)
    assert len(set(seen)) == 6
    assert set(seen) <= {share.pk for share in every}


def test_the_list_can_be_paged_to_its_end(staff_client, clinic, small_pages):
    every = items(clinic, 11)
    seen, page = [], 1
    while True:
        response = staff_client.get(QUEUE_URL, {"p": page})
        assert response.status_code == 200
        seen += listed(response)
        if not [p for p in page_links(response) if p > page]:
            break
        page += 1

    assert page == 6
    assert "11 queue items" in paginator_text(response)
    assert "More than" not in paginator_text(response)
    assert sorted(map(str, seen)) == sorted(str(share.pk) for share in every)


def test_a_page_past_the_end_is_the_admins_error_note_not_a_500(staff_client, clinic, small_pages):
    items(clinic, 5)

    response = staff_client.get(QUEUE_URL, {"p": 99})

    assert response.status_code == 302
    assert "e=1" in response["Location"]
    # Where it lands says why the list is on its first page again.
    landed = staff_client.get(response["Location"])
    assert landed.status_code == 200
    assert LIST_STARTED_AGAIN in landed.content.decode()
    assert len(listed(landed)) == QueueAdmin.list_per_page == 2  # the first page


def test_the_list_says_nothing_of_a_restart_it_did_not_make(staff_client, clinic, small_pages):
    every = items(clinic, 5)

    assert LIST_STARTED_AGAIN not in staff_client.get(QUEUE_URL).content.decode()
    assert LIST_STARTED_AGAIN not in staff_client.get(QUEUE_URL, {"p": 2}).content.decode()
    # Typed by hand, or kept in the address after a restart: no note of its own.
    assert LIST_STARTED_AGAIN not in staff_client.get(QUEUE_URL, {"e": "1"}).content.decode()
    # An action run from the page a restart landed on goes back to it: the note said its
    # piece already, the action's message is what this page has to say.
    done = staff_client.post(
        f"{QUEUE_URL}?e=1",
        {"action": "mark_in_progress", "_selected_action": [str(every[0].pk)]},
        follow=True,
    )
    page = done.content.decode()
    assert "1 item marked as" in page
    assert LIST_STARTED_AGAIN not in page


def test_a_search_counts_exactly(staff_client, clinic, small_pages):
    items(clinic, 9)

    response = staff_client.get(QUEUE_URL, {"q": "Sam"})

    assert "9 results" in response.content.decode()
    assert "More than" not in response.content.decode()


def test_selecting_every_page_past_the_cap_acts_on_every_item(staff_client, clinic, small_pages):
    every = items(clinic, 7)

    shown = staff_client.get(QUEUE_URL)
    page = shown.content.decode()
    # What the admin's script posts after "Select all": the page's boxes, and select_across.
    response = staff_client.post(
        QUEUE_URL,
        {
            "action": "mark_closed",
            "select_across": "1",
            "index": "0",
            "_selected_action": [str(pk) for pk in listed(shown)],
        },
    )

    assert "Select all queue items on every page" in page
    assert "All items on every page selected" in page
    assert response.status_code == 302
    assert Share.objects.filter(pk__in=[s.pk for s in every], status="closed").count() == 7


def test_the_count_reads_at_most_the_cap(staff_client, clinic, small_pages):
    items(clinic, 9)

    with CaptureQueriesContext(connection) as queries:
        staff_client.get(QUEUE_URL)

    counts = [q["sql"] for q in queries if "COUNT(" in q["sql"]]
    assert len(counts) == 1
    assert "LIMIT 5" in counts[0]


@pytest.mark.parametrize(
    "query",
    [{}, {"status__exact": "new"}, {"disposition__exact": "consult", "assigned": "nobody"}],
)
def test_the_count_and_the_first_and_last_dates_are_one_statement(
    staff_client, clinic, small_pages, query
):
    # The capped count is read from the list's compiled SELECT of its dates, with the date
    # hierarchy's first and last dates (assessments/admin/hierarchy.py count_up_to).
    items(clinic, 5)

    with CaptureQueriesContext(connection) as queries:
        response = staff_client.get(QUEUE_URL, query)

    assert "More than 4 queue items" in paginator_text(response)
    counts = [q["sql"] for q in queries.captured_queries if "COUNT(" in q["sql"].upper()]
    assert len(counts) == 1
    assert "LIMIT" in counts[0].upper() and "ORDER BY" in counts[0].upper()


def test_a_count_below_the_cap_with_a_filter_is_exact(staff_client, clinic, small_pages):
    shares = items(clinic, 5)
    Share.objects.filter(pk__in=[s.pk for s in shares[:2]]).update(status="closed")

    assert "3 queue items" in paginator_text(staff_client.get(QUEUE_URL, {"status__exact": "new"}))
    assert "2 queue items" in paginator_text(
        staff_client.get(QUEUE_URL, {"status__exact": "closed"})
    )


def test_a_distinct_list_is_counted_by_the_orm(clinic):
    # A DISTINCT SELECT of the dates would count two items sent at the same time as one.
    first, second = items(clinic, 2)
    Share.objects.filter(pk=second.pk).update(sent_at=first.sent_at)
    from assessments.admin.hierarchy import with_fast_date_hierarchy

    listed_twice = with_fast_date_hierarchy(Share.objects.all(), walk_index=True)
    paginator = CappedCountPaginator(listed_twice.distinct(), 2, date_field="sent_at")

    assert listed_twice.distinct().count_up_to(10, "sent_at") is None
    assert listed_twice.count_up_to(10, "sent_at") == 2
    assert paginator.count == 2


def test_the_date_links_span_the_first_to_the_last_item(staff_client, clinic):
    # The first and last dates come with the count: in the wrong order, the links would
    # shrink to one year.
    now = timezone.now()
    for years in (0, 1, 2):
        send(clinic, CONSULT_ANSWERS, sent_at=now - timedelta(days=365 * years + 30))

    page = staff_client.get(QUEUE_URL).content.decode()
    years = sorted({timezone.localtime(s.sent_at).year for s in Share.objects.all()})

    assert len(years) == 3
    for year in years:
        assert f'href="?sent_at__year={year}">{year}</a>' in page
