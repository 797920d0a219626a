"""Share.result_disposition: the result's own disposition, kept on its share so that the queue's
list tells a raised item from the others without reading the result (docs/performance.md).
Filled in here for the shares sent before it, from their results (which never change)."""

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
                default="",
                editable=False,
                max_length=10,
            ),
            preserve_default=False,
        ),
        migrations.RunPython(fill, migrations.RunPython.noop),
    ]
