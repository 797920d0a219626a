"""Accounts made before allauth carry over: the data migration gives each one its address as
a confirmed allauth EmailAddress, so mandatory confirmation does not lock anyone out."""

import importlib

import pytest
from allauth.account.models import EmailAddress
from django.apps import apps

from tests.support.accounts import log_in
from tests.support.assessments import save_assessment

pytestmark = pytest.mark.django_db

migration = importlib.import_module("scalpsafe.migrations.0001_existing_accounts_email_addresses")


def test_existing_people_log_in_with_their_assessments_after_the_migration(
    client, django_user_model
):
    old = django_user_model.objects.create_user("old.timer", "Old@Example.org", "old-password-1234")
    assessment = save_assessment(owner=old)
    # Made before allauth: no EmailAddress (without one, a log-in asks to confirm first).
    assert not EmailAddress.objects.filter(user=old).exists()

    migration.add_email_addresses(apps, None)

    address = EmailAddress.objects.get(user=old)
    assert (address.email, address.primary, address.verified) == ("old@example.org", True, True)
    assert log_in(client, "old.timer", "old-password-1234")["Location"] == "/my/assessments/"
    assert assessment.id in {a.id for a in old.assessments.all()}


def test_an_address_two_old_accounts_share_goes_to_the_first_and_none_are_made_twice(
    django_user_model,
):
    first = django_user_model.objects.create_user("first", "same@example.org")
    second = django_user_model.objects.create_user("second", "SAME@example.org")
    django_user_model.objects.create_user("no.address", "")
    migration.add_email_addresses(apps, None)
    migration.add_email_addresses(apps, None)
    assert list(EmailAddress.objects.values_list("user", flat=True)) == [first.pk]
    assert not EmailAddress.objects.filter(user=second).exists()
