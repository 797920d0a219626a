"""Accounts made before django-allauth keep working: each user's email address becomes its
allauth EmailAddress, primary and verified.

Verified, because mandatory confirmation would otherwise stop every existing person at their
next log-in, and these addresses were already usable for password resets. An address shared by
two older accounts (whatever its case) is given to the first one (lowest id) only; the other
account is asked to confirm an address at its next log-in on the site.
"""

from django.conf import settings
from django.db import migrations


def add_email_addresses(apps, schema_editor) -> None:
    User = apps.get_model(*settings.AUTH_USER_MODEL.split("."))
    EmailAddress = apps.get_model("account", "EmailAddress")
    taken = {e.lower() for e in EmailAddress.objects.values_list("email", flat=True)}
    has_address = set(EmailAddress.objects.values_list("user_id", flat=True))
    for user in User.objects.exclude(email="").order_by("pk").iterator():
        email = user.email.strip().lower()
        if not email or email in taken or user.pk in has_address:
            continue
        EmailAddress.objects.create(user=user, email=email, primary=True, verified=True)
        taken.add(email)


class Migration(migrations.Migration):
    dependencies = [
        ("account", "0009_emailaddress_unique_primary_email"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [migrations.RunPython(add_email_addresses, migrations.RunPython.noop)]
