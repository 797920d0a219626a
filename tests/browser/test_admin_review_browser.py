"""A clinic staff member logs in to the admin, finds the flagged assessments and reviews one."""

import importlib

import pytest
from django.contrib.auth.models import Group, Permission
from playwright.sync_api import Page, expect

from assessments import rulebook
from assessments.models import AuditEvent
from tests.support.assessments import FLAGGED_ANSWERS, save_assessment
from tests.support.questionnaire import SAFE_ANSWERS

pytestmark = pytest.mark.browser

NEEDLE = rulebook.QUESTIONS["needle_length"]
GROUP_MIGRATION = importlib.import_module("assessments.migrations.0003_clinic_staff_group")


@pytest.fixture
def clinic_staff_group(transactional_db) -> Group:
    """The group the migration makes. Live-server tests flush the database after each test,
    migrated rows included, so an earlier browser test may have removed it. (serialized_rollback
    is no help: the flush re-creates content types under new ids, which then clash.)"""
    group, _ = Group.objects.get_or_create(name=GROUP_MIGRATION.GROUP_NAME)
    group.permissions.set(
        Permission.objects.filter(
            content_type__app_label="assessments", codename__in=GROUP_MIGRATION.PERMISSIONS
        )
    )
    return group


def log_in(page: Page, username: str, password: str) -> None:
    page.goto("/admin/")
    page.get_by_label("Username").fill(username)
    page.get_by_label("Password").fill(password)
    page.get_by_role("button", name="Log in").click()


def test_a_clinic_staff_member_filters_to_flagged_and_marks_one_reviewed(
    page: Page, clinic_staff_group, clinic_staff, owner
):
    flagged = save_assessment(FLAGGED_ANSWERS, owner=owner)
    save_assessment(SAFE_ANSWERS)

    log_in(page, "staff", "staff-password-1234")
    page.locator("tr.model-assessment").get_by_role("link", name="Assessments").click()
    expect(page.locator("#result_list tbody tr")).to_have_count(2)

    consult_filter = page.locator("#changelist-filter details", has_text="By consult flag")
    consult_filter.get_by_role("link", name="Yes", exact=True).click()
    rows = page.locator("#result_list tbody tr")
    expect(rows).to_have_count(1)
    expect(rows.first).to_contain_text("owner")
    expect(rows.first).to_contain_text(NEEDLE.label_for("1_1_to_1_5"))

    rows.first.locator("th a").click()
    expect(page.get_by_text(NEEDLE.text)).to_be_visible()
    expect(page.get_by_role("cell", name=NEEDLE.label_for("1_1_to_1_5"))).to_be_visible()
    page.get_by_label("Review status").select_option(label="Reviewed")
    page.get_by_label("Staff note").fill("Advised a shorter needle by phone.")
    page.get_by_role("button", name="Save", exact=True).click()

    expect(page.locator(".messagelist")).to_contain_text("was changed successfully")
    flagged.refresh_from_db()
    assert flagged.review_status == "reviewed"
    assert flagged.reviewed_by == clinic_staff
    assert flagged.staff_note == "Advised a shorter needle by phone."
    assert set(AuditEvent.objects.values_list("action", flat=True)) == {
        "viewed",
        "review_changed",
    }
