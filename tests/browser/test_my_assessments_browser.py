"""My assessments with a long history (200 assessments and checks around sessions), at 360 and
1280 px, drawn and then read from the cache (assessments/page_cache.py): the same page both
times. Screenshots go to var/screenshots/ (git-ignored), to be looked at."""

from datetime import timedelta

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from assessments.models import Assessment
from assessments.scoring import score
from tests.browser.test_result_layout_browser import DESKTOP, PHONE, signed_in
from tests.support import sessions as s
from tests.support.answers import MOST_RULES, SAFE_ANSWERS
from tests.support.assessments import build_assessment
from tests.support.screenshots import shoot

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

VARIED = [
    SAFE_ANSWERS,
    {**SAFE_ANSWERS, "needle_length": "0_6_to_1_0", "pressure": "not_sure"},
    {**SAFE_ANSWERS, "scalp_open_wounds": "yes"},
    MOST_RULES,
]


@pytest.mark.parametrize("viewport", [PHONE, DESKTOP], ids=["360", "1280"])
def test_a_long_history_draws_every_mark_the_same_from_the_cache(
    new_page, django_user_model, viewport
):
    page, user = signed_in(new_page, django_user_model, viewport)
    # Ups and downs: a safe result, a moderate one, one with a reason to stop, one of many rules.
    snapshots = [score(answers).to_dict() for answers in VARIED]
    start = timezone.now() - timedelta(days=200)
    Assessment.objects.bulk_create(
        build_assessment(owner=user, created_at=start + timedelta(days=i), snapshot=snapshot)
        for i, snapshot in enumerate(snapshots[i % 7 % 4] for i in range(199))
    )
    s.save_base(user, days_ago=0)
    session = s.take_and_log(user, on=s.days_from_today(-3))
    s.take_checkin(session, 1)

    page.goto("/my/assessments/")
    expect(page.get_by_role("heading", name="How your risk changed")).to_be_visible()
    drawn = page.locator("main").inner_html()
    assert page.locator(".trend-chart .mark:not(.mark-check)").count() == 200
    assert page.locator(".trend-chart .mark-check").count() == 2
    assert page.locator("table.table-stack tbody tr").count() == 20
    assert "200 assessments from" in page.locator("#trend-svg-desc").text_content()
    chart = page.locator(".trend-chart").bounding_box()
    assert chart["width"] <= viewport["width"], "the chart fits the screen"
    # The chart's table for screen readers (202 rows) takes no room: no sideways scrolling,
    # nothing below the footer.
    width, height, footer = page.evaluate(
        "() => [document.documentElement.scrollWidth, document.documentElement.scrollHeight,"
        " document.querySelector('footer').getBoundingClientRect().bottom + window.scrollY]"
    )
    assert width <= viewport["width"]
    assert height <= footer + 1
    shoot(page, f"my-assessments-long-{viewport['width']}")

    page.reload()
    assert page.locator("main").inner_html() == drawn, "the cached chart is the drawn one"
