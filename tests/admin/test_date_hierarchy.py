"""The admin list's date hierarchy: Django's own links, from the index, in a fixed query count."""

from datetime import UTC, datetime, timedelta

import pytest
from django.contrib.admin.templatetags.admin_list import date_hierarchy
from django.db import connection
from django.db.models import Count, Max, Min
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from assessments.admin.hierarchy import MAX_PERIODS, with_fast_date_hierarchy
from assessments.models import Assessment, AssessmentQuerySet
from assessments.scoring import score
from tests.support.assessments import CHANGELIST_URL, FLAGGED_ANSWERS, build_assessment
from tests.support.questionnaire import SAFE_ANSWERS

pytestmark = pytest.mark.django_db


def utc(*args) -> datetime:
    return datetime(*args, tzinfo=UTC)


# Instants whose local (Europe/London) year, month or day differs from UTC's, on both sides of
# both 2025 clock changes (30 March 01:00 UTC, 26 October 01:00 UTC), over four years.
INSTANTS = [
    utc(2022, 5, 10, 12, 0),
    utc(2024, 2, 29, 23, 30),  # GMT: still 29 February locally
    utc(2024, 6, 30, 23, 30),  # BST: 1 July locally
    utc(2024, 12, 31, 23, 59),
    utc(2025, 3, 29, 23, 30),
    utc(2025, 3, 30, 0, 30),  # 00:30 GMT, before the jump
    utc(2025, 3, 30, 1, 30),  # 02:30 BST, after it
    utc(2025, 3, 30, 23, 30),  # 31 March locally
    utc(2025, 10, 25, 23, 30),  # 26 October 00:30 BST
    utc(2025, 10, 26, 0, 30),  # 01:30 BST, the first time
    utc(2025, 10, 26, 1, 30),  # 01:30 GMT, the second time
    utc(2025, 10, 26, 23, 30),
    utc(2025, 12, 31, 23, 30),
    utc(2026, 1, 1, 0, 30),
]


def add_at(instants, answers=SAFE_ANSWERS) -> None:
    snapshot = score(answers).to_dict()
    Assessment.objects.bulk_create(
        build_assessment(snapshot=snapshot, created_at=at) for at in instants
    )


@pytest.fixture
def spread():
    # Every other one flagged, so a filter leaves gaps.
    add_at(INSTANTS[::2], FLAGGED_ANSWERS)
    add_at(INSTANTS[1::2])


def as_django(queryset):
    """The same queryset with Django's own datetimes()."""
    plain = queryset._chain()
    plain.__class__ = AssessmentQuerySet
    return plain


def shown(datetimes) -> list[tuple[str, str]]:
    # Equal instants are not enough: the tag reads the local year, month and day.
    return [(value.isoformat(), str(value.tzinfo)) for value in datetimes]


@pytest.mark.parametrize("kind", ["year", "month", "day"])
@pytest.mark.parametrize("order", ["ASC", "DESC"])
@pytest.mark.parametrize(
    "zone", ["Europe/London", "UTC", "America/New_York", "Australia/Lord_Howe"]
)
@pytest.mark.parametrize(
    "filters",
    [
        {},
        {"consult_professional": True},
        {"consult_professional": False},
        {"created_at__gte": utc(2025, 3, 1), "created_at__lt": utc(2025, 11, 1)},
        {"pk": None},  # nothing
    ],
    ids=["all", "flagged", "not-flagged", "2025-range", "none"],
)
def test_it_lists_the_same_datetimes_as_django(spread, kind, order, zone, filters):
    queryset = Assessment.objects.filter(**filters).order_by("-created_at")

    with timezone.override(zone):
        fast = with_fast_date_hierarchy(queryset).datetimes("created_at", kind, order)
        django = as_django(queryset).datetimes("created_at", kind, order)

        assert shown(fast) == shown(django)


@pytest.mark.parametrize(
    "query",
    [
        "",
        "?consult_professional__exact=1",
        "?created_at__year=2024",
        "?created_at__year=2024&created_at__month=6",
        "?created_at__year=2024&created_at__month=7",
        "?created_at__year=2025",
        "?created_at__year=2025&created_at__month=3",
        "?created_at__year=2025&created_at__month=10",
        "?created_at__year=2025&created_at__month=10&created_at__day=26",
        "?created_at__year=2025&created_at__month=10&consult_professional__exact=0",
        "?created_at__year=2019",
    ],
)
def test_it_shows_the_links_django_shows(spread, admin_client, query):
    changelist = admin_client.get(CHANGELIST_URL + query).context_data["cl"]

    fast = date_hierarchy(changelist)
    changelist.queryset = as_django(changelist.queryset)
    django = date_hierarchy(changelist)

    assert fast == django


def test_each_link_lists_the_rows_of_its_period(spread, admin_client):
    changelist = admin_client.get(CHANGELIST_URL + "?created_at__year=2025").context_data["cl"]
    months = date_hierarchy(changelist)["choices"]

    listed = 0
    for month in months:
        response = admin_client.get(CHANGELIST_URL + month["link"])
        listed += len(response.context_data["cl"].result_list)
        assert response.context_data["cl"].result_list, month

    assert listed == sum(timezone.localtime(at).year == 2025 for at in INSTANTS)


def hierarchy_queries(admin_client, query: str = "") -> list[str]:
    changelist = admin_client.get(CHANGELIST_URL + query).context_data["cl"]
    # A fresh clone: the page's own rendering already read (and kept) the first and last date.
    changelist.queryset = changelist.queryset._chain()
    with CaptureQueriesContext(connection) as captured:
        date_hierarchy(changelist)
    return [query["sql"] for query in captured.captured_queries]


# Late on a June evening, so that 300 rows back stay within its day, month or year.
START = utc(2025, 6, 28, 22)


@pytest.mark.parametrize(
    ("span", "step"),
    [
        ("one day", timedelta(minutes=4)),
        ("one month", timedelta(hours=2)),
        ("one year", timedelta(hours=12)),
        ("years", timedelta(days=5)),
        ("more years than MAX_PERIODS", timedelta(days=(MAX_PERIODS + 5) * 366 / 299)),
    ],
)
def test_it_costs_two_queries_however_many_rows_and_whatever_their_span(admin_client, span, step):
    add_at([START])
    with_one_row = hierarchy_queries(admin_client)
    add_at(START - i * step for i in range(1, 300))
    with_300_rows = hierarchy_queries(admin_client)

    assert len(with_one_row) == len(with_300_rows) == 2, with_300_rows


def test_it_costs_two_queries_drilled_down_or_filtered(spread, admin_client):
    for query in [
        "?created_at__year=2025",
        "?created_at__year=2025&created_at__month=3",
        "?consult_professional__exact=0",
        "?created_at__year=2025&level__exact=low",
    ]:
        assert len(hierarchy_queries(admin_client, query)) == 2


def test_it_reads_no_row_for_an_empty_list(admin_client):
    assert date_hierarchy(admin_client.get(CHANGELIST_URL).context_data["cl"])["choices"] == []


def test_it_answers_other_aggregates_as_django_does(spread):
    queryset = with_fast_date_hierarchy(Assessment.objects.filter(consult_professional=True))

    assert queryset.aggregate(n=Count("pk"), first=Min("points")) == as_django(queryset).aggregate(
        n=Count("pk"), first=Min("points")
    )
    assert queryset.aggregate(first=Min("created_at"), last=Max("created_at")) == {
        "first": INSTANTS[0],
        "last": INSTANTS[-2],
    }
