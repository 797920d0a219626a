"""The table of the shared cache (settings.CACHES["default"], a DatabaseCache), where allauth
keeps its rate limits, so that `migrate` is all a deployment or a test database needs."""

from django.core.management import call_command
from django.db import migrations


def create_cache_table(apps, schema_editor):
    # Idempotent: an existing table is left as it is.
    call_command("createcachetable", database=schema_editor.connection.alias, verbosity=0)


class Migration(migrations.Migration):
    dependencies = [("scalpsafe", "0001_existing_accounts_email_addresses")]

    operations = [migrations.RunPython(create_cache_table, migrations.RunPython.noop)]
