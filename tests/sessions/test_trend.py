"""Checks before and after sessions on the trend chart of My assessments."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from assessments.trend import trend_chart
from tests.support import sessions as s

START = datetime.datetime(2026, 6, 1, 9, tzinfo=datetime.UTC)
MINE = reverse("assessments:mine")


def test_checks_are_marks_of_their_own_on_the_same_axes():
    chart = trend_chart(
        [(START, 2, "low", False)],
        checks=[(START + datetime.timedelta(days=10), 9, "high", False, "Check-in")],
    )
    assert len(chart.marks) == 1 and len(chart.check_marks) == 1
    assert chart.check_marks[0].x == chart.plot_right, "the latest point ends the axis"
    assert chart.check_marks[0].y < chart.marks[0].y
    assert "1 check before or after a session" in chart.description
    assert [m.what for m in chart.every_mark] == ["Assessment", "Check-in"]


def test_without_an_assessment_there_is_no_chart():
    assert (
        trend_chart([], checks=[(START, 1, "low", False, "x"), (START, 2, "low", False, "y")])
        is None
    )


@pytest.mark.django_db
def test_the_page_draws_them_with_a_constant_query_count(owner, owner_client):
    s.save_base(owner, days_ago=30)
    s.take_and_log(owner, on=s.days_from_today(-20))
    owner_client.get(MINE)  # the first request of a browser session saves it
    with CaptureQueriesContext(connection) as few:
        page = owner_client.get(MINE).text
    assert page.count("mark-check") == 1
    for days in (14, 7, 1):
        session = s.take_and_log(owner, on=s.days_from_today(-days))
        s.take_checkin(session, 1)
    with CaptureQueriesContext(connection) as more:
        page = owner_client.get(MINE).text
    assert page.count("mark-check") == 7
    assert len(few) == len(more)
