"""Share.queue_reasons written before 2026-12-02 could end a cut title in a comma ("Diabetes that
is not well controlled,…"): clinics/queue_reasons.py now drops it; this mends the kept ones.

A title is only ever cut at its end, so ",…" (or ";…", ":…") appears nowhere else in the column:
the reasons between titles are joined by "; " without an ellipsis.
"""

from django.db import migrations
from django.db.models import Value
from django.db.models.functions import Replace

ELLIPSIS = "\u2026"


def mend(apps, schema_editor) -> None:
    Share = apps.get_model("clinics", "Share")
    for mark in ",;:":
        Share.objects.filter(queue_reasons__contains=mark + ELLIPSIS).update(
            queue_reasons=Replace("queue_reasons", Value(mark + ELLIPSIS), Value(ELLIPSIS))
        )


class Migration(migrations.Migration):
    dependencies = [("clinics", "0005_share_list_columns")]

    # Nothing to undo: the old text had a stray comma.
    operations = [migrations.RunPython(mend, migrations.RunPython.noop)]
