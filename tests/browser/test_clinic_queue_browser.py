"""A clinic staff member works the queue in Chromium: it fits a 1280 px screen with every
column, opens the item that comes first, reviews it and sends the person a message.

Screenshots at 360 and 1280 px go to var/screenshots/ (git-ignored), to be looked at. With
DOC_SCREENSHOTS=1 the documentation's (docs/clinic-admin.md) are written to docs/images/ too:
they are committed, so an ordinary test run leaves them alone.
"""

import os
from datetime import timedelta
from pathlib import Path

import pytest
from django.utils import timezone
from playwright.sync_api import Page, expect

from assessments.admin.pagination import CappedCountPaginator
from assessments.models import AuditEvent
from assessments.rulebook import Disposition
from clinics.admin.queue import QueueAdmin
from clinics.models import Clinic
from clinics.services import share_review
from tests.support.queue import (
    CONSULT_ANSWERS,
    GO_AHEAD_ANSWERS,
    STOP_ANSWERS,
    URGENT_ANSWERS,
    clinic_staff_group,
    send,
)

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

ROOT = Path(__file__).resolve().parents[2]
SCREENSHOTS = ROOT / "var" / "screenshots"
DOC_IMAGES = ROOT / "docs" / "images"
PHONE = {"width": 360, "height": 740}
DESKTOP = {"width": 1280, "height": 800}
PASSWORD = "staff-password-1234"
COLUMNS = [
    "Sent",
    "Disposition",
    "Reasons",
    "Due by",
    "Status",
    "Assignee",
    "Contact",
    "Their note",
]


@pytest.fixture
def queue(django_user_model):
    """A clinic with a member of staff, a colleague and a queue of five, one of them overdue."""
    clinic = Clinic.objects.create(
        name="North Hair Clinic", slug="north", notify_email="queue@north.example"
    )
    group = clinic_staff_group()
    staff = django_user_model.objects.create_user("staff", "staff@example.org", PASSWORD)
    colleague = django_user_model.objects.create_user("colleague", "c@example.org", PASSWORD)
    for user in (staff, colleague):
        user.is_staff = True
        user.save()
        user.groups.add(group)
        clinic.members.add(user)
    now = timezone.now()
    owner = django_user_model.objects.create_user("person", "person@example.org", "x-1234-pass")
    earlier = send(clinic, CONSULT_ANSWERS, owner=owner, sent_at=now - timedelta(days=9))
    share_review(share=earlier, reviewer=colleague, status="closed", assigned_to=colleague)
    items = {
        "stop": send(
            clinic,
            {**STOP_ANSWERS, "notes": "I use it every other day."},
            owner=owner,
            sent_at=now - timedelta(hours=3),
            contact={
                "contact_way": "phone",
                "contact_name": "Sam Person",
                "contact_phone": "07700 900123",
                "contact_time": "Weekday mornings",
            },
        ),
        "urgent": send(clinic, URGENT_ANSWERS, sent_at=now - timedelta(minutes=20)),
        "consult": send(clinic, CONSULT_ANSWERS, sent_at=now - timedelta(days=8)),
        "go_ahead": send(clinic, GO_AHEAD_ANSWERS, sent_at=now - timedelta(days=1)),
    }
    share_review(
        share=items["consult"], reviewer=colleague, status="follow_up", assigned_to=colleague
    )
    return {"clinic": clinic, "staff": staff, "earlier": earlier, **items}


def log_in(page: Page) -> None:
    page.goto("/admin/login/")
    page.locator("#id_username").fill("staff")
    page.locator("#id_password").fill(PASSWORD)
    page.get_by_role("button", name="Log in").click()
    page.wait_for_url(lambda url: "/login/" not in url)


def shoot(page: Page, name: str, *, doc: bool = False) -> None:
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=SCREENSHOTS / f"{name}.png", full_page=True)
    if doc and os.environ.get("DOC_SCREENSHOTS") == "1":
        # The documentation's: the first screen only, to keep the committed files small.
        page.screenshot(path=DOC_IMAGES / f"{name}.png")


def test_every_column_fits_at_1280_and_the_list_reads_at_360(new_page, queue):
    for viewport in (DESKTOP, PHONE):
        page = new_page(viewport=viewport)
        log_in(page)
        page.goto("/admin/clinics/share/")
        rows = page.locator("#result_list tbody tr")
        expect(rows).to_have_count(5)
        if viewport is DESKTOP:
            headers = page.locator("#result_list thead th")
            for column in COLUMNS:
                header = headers.filter(has_text=column).first
                expect(header).to_be_visible()
                box = header.bounding_box()
                assert box["x"] + box["width"] <= viewport["width"], f"{column} is cut off"
            assert page.evaluate("document.documentElement.scrollWidth") <= viewport["width"]
        else:
            # Each item a card within the screen, not a table scrolling sideways, each line
            # after the first three named as its column is.
            results = page.locator("div.results")
            assert results.evaluate("e => e.scrollWidth <= e.clientWidth")
            due = rows.first.locator("td.field-due")
            before = due.evaluate("e => getComputedStyle(e, '::before').content")
            assert before == '"Due by: "'
            assert rows.first.bounding_box()["height"] > 100  # stacked, not one line
        shoot(page, f"clinic-queue-{viewport['width']}", doc=viewport is DESKTOP)


def test_staff_open_the_first_item_review_it_and_message_the_person(new_page, queue):
    page = new_page(viewport=DESKTOP)
    log_in(page)
    expect(page.locator("#site-name")).to_have_text("ScalpSafe clinic")
    page.get_by_role("link", name="Queue items").first.click()

    rows = page.locator("#result_list tbody tr")
    expect(rows.first).to_contain_text(Disposition.URGENT.label)
    expect(rows.nth(1)).to_contain_text(Disposition.STOP.label)
    expect(rows.nth(1)).to_contain_text("Yes")
    expect(rows.nth(2)).to_contain_text("Overdue")
    expect(rows.nth(4)).to_contain_text("Closed")

    page.get_by_role("link", name="Overdue").click()
    expect(rows).to_have_count(1)
    page.goto("/admin/clinics/share/")
    rows.nth(1).locator("th a").click()

    expect(page.get_by_text("Sam Person")).to_be_visible()
    expect(page.get_by_text("I use it every other day.")).to_be_visible()
    expect(page.get_by_role("link", name="Previous in the queue")).to_be_visible()
    expect(page.get_by_text("Since then:")).to_be_visible()
    shoot(page, "clinic-item-1280", doc=True)
    page.get_by_label("Review status").select_option(label="In progress")
    page.get_by_label("Assigned to").select_option(label="staff")
    page.get_by_label("Message to the person").fill("We will call you on Monday morning.")
    page.get_by_label("Internal note").fill("Long needle: advise 0.5 mm at most.")
    page.get_by_role("button", name="Save", exact=True).click()

    expect(page.locator(".messagelist")).to_contain_text("was changed successfully")
    share = queue["stop"]
    share.refresh_from_db()
    assert (share.status, share.assigned_to) == ("in_progress", queue["staff"])
    assert share.message_to_person == "We will call you on Monday morning."
    assert {"viewed", "review_changed"} <= set(
        AuditEvent.objects.filter(actor=queue["staff"]).values_list("action", flat=True)
    )

    page.get_by_role("link", name="Mine").click()
    expect(rows).to_have_count(1)

    page.goto("/admin/assessments/auditevent/")
    expect(page.locator("#result_list tbody tr").first).to_contain_text("staff")
    shoot(page, "clinic-audit-trail-1280", doc=True)


def test_the_item_page_reads_at_360(new_page, queue):
    page = new_page(viewport=PHONE)
    log_in(page)
    page.goto(f"/admin/clinics/share/{queue['stop'].pk}/change/")

    expect(page.get_by_label("Review status")).to_be_visible()
    shoot(page, "clinic-item-360")


def test_past_the_count_cap_staff_page_on_and_select_every_item(new_page, queue, monkeypatch):
    # Two items a page, counted up to two (and a page ahead): the five are "more than 2".
    monkeypatch.setattr(QueueAdmin, "list_per_page", 2)
    monkeypatch.setattr(CappedCountPaginator, "AT_LEAST", 2)
    monkeypatch.setattr(CappedCountPaginator, "PAGES_AHEAD", 0)
    for viewport in (DESKTOP, PHONE):
        page = new_page(viewport=viewport)
        log_in(page)
        page.goto("/admin/clinics/share/")
        expect(page.locator(".paginator")).to_contain_text("More than 2 queue items")
        page.locator("#action-toggle").check()
        page.get_by_role("button", name="Select all queue items on every page").click()
        expect(page.locator(".actions .all")).to_have_text("All items on every page selected")
        shoot(page, f"clinic-queue-capped-{viewport['width']}")
        page.locator(".paginator a", has_text="2").first.click()
        expect(page.locator("#result_list tbody tr")).to_have_count(2)
