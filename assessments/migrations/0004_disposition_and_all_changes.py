"""Rulebook 2026.12: the disposition and "all the changes together" become snapshot fields.

Results saved under 2026.11 are never re-scored: their disposition is derived from what they
stored (stop if hard_stop, consult if flagged, change if moderate, else go_ahead; 2026.11 has
no urgent rule), and they have no all_changes.
"""

from django.db import migrations, models


def derive_dispositions(apps, schema_editor):
    Assessment = apps.get_model("assessments", "Assessment")
    # The first that applies wins, so each later update overrides the earlier ones.
    Assessment.objects.update(disposition="go_ahead")
    Assessment.objects.filter(level="moderate").update(disposition="change")
    Assessment.objects.filter(consult_professional=True).update(disposition="consult")
    Assessment.objects.filter(hard_stop=True).update(disposition="stop")


class Migration(migrations.Migration):
    dependencies = [
        ("assessments", "0003_clinic_staff_group"),
    ]

    operations = [
        migrations.AddField(
            model_name="assessment",
            name="disposition",
            field=models.CharField(
                choices=[
                    ("urgent", "Get medical help today"),
                    ("stop", "See a professional first"),
                    ("consult", "Talk to a professional first"),
                    ("change", "Make changes first"),
                    ("go_ahead", "Go ahead with care"),
                ],
                default="go_ahead",
                max_length=10,
            ),
            preserve_default=False,
        ),
        migrations.AddField(
            model_name="assessment",
            name="all_changes",
            field=models.JSONField(blank=True, null=True),
        ),
        migrations.AddIndex(
            model_name="assessment",
            index=models.Index(
                fields=["disposition", "-created_at"], name="assessment_disposition"
            ),
        ),
        # Last, after the schema changes: PostgreSQL refuses to alter a table with pending
        # trigger events in the same transaction.
        migrations.RunPython(derive_dispositions, migrations.RunPython.noop, elidable=False),
    ]
