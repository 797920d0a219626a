"""Share.result_disposition: the result's own disposition, kept on its share so that the queue's
list tells a raised item from the others without reading the result (docs/performance.md).
Filled in here for the shares sent before it, from their results (which never change).

The column keeps a database default (""), so that a host still on the earlier release can send
a result while this one is rolled out (docs/scaling.md); the list takes "" as not raised."""

from django.db import migrations, models
from django.db.models import OuterRef, Subquery


def fill(apps, schema_editor) -> None:
    Share = apps.get_model("clinics", "Share")
    Assessment = apps.get_model("assessments", "Assessment")
    Share.objects.update(
        result_disposition=Subquery(
            Assessment.objects.filter(pk=OuterRef("assessment_id")).values("disposition")[:1]
        )
    )


class Migration(migrations.Migration):
    dependencies = [
        ("assessments", "0007_alter_auditevent_action"),
        ("clinics", "0006_queue_reasons_no_comma_before_ellipsis"),
    ]

    operations = [
        migrations.AddField(
            model_name="share",
            name="result_disposition",
            field=models.CharField(
                choices=[
                    ("urgent", "Get medical help today"),
                    ("stop", "See a professional first"),
                    ("consult", "Talk to a professional first"),
                    ("change", "Make changes first"),
                    ("go_ahead", "Go ahead with care"),
                ],
                db_default="",
                editable=False,
                max_length=10,
            ),
        ),
        migrations.RunPython(fill, migrations.RunPython.noop),
    ]
