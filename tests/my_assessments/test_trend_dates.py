"""The trend chart on "My assessments" dates every assessment in local time (TIME_ZONE)."""

import re
from datetime import UTC, datetime
from html import unescape

import pytest
from django.test import Client

from assessments.trend import trend_chart
from tests.support.assessments import save_assessment

# 00:30 British Summer Time on 1 July is still 30 June in UTC.
JUST_AFTER_MIDNIGHT_BST = datetime(2026, 6, 30, 23, 30, tzinfo=UTC)
EARLIER = datetime(2026, 6, 1, 12, 0, tzinfo=UTC)


@pytest.fixture(autouse=True)
def _london(settings):
    settings.TIME_ZONE = "Europe/London"


def test_the_description_gives_the_local_date():
    chart = trend_chart([(EARLIER, 1, "low", False), (JUST_AFTER_MIDNIGHT_BST, 2, "low", False)])
    assert "to 01 July 2026" in chart.description
    assert "30 June" not in chart.description
    assert chart.marks[-1].created_at.hour == 0


@pytest.mark.django_db
def test_the_description_table_and_axis_agree_on_the_local_date(owner):
    save_assessment(owner=owner, created_at=EARLIER)
    save_assessment(owner=owner, created_at=JUST_AFTER_MIDNIGHT_BST)
    client = Client()
    client.force_login(owner)
    html = unescape(client.get("/my/assessments/").content.decode())
    description = re.search(r"<desc[^>]*>(.*?)</desc>", html, re.S).group(1)
    assert "to 01 July 2026" in description
    axis_labels = re.findall(r'<text class="axis-label"[^>]*>(.*?)</text>', html)
    assert axis_labels[-1] == "1 Jul 2026"
    table = html[html.index("<caption>Your assessments' points over time</caption>") :]
    assert "1 Jul 2026, 00:30" in table
    assert "30 Jun 2026" not in html
