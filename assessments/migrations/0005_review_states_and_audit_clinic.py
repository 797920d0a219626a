"""Review states for the clinic loop: new, in progress, follow-up needed, closed.

The operator's review kept on each assessment maps "reviewed" to closed ("follow_up" keeps its
code, now labelled "Follow-up needed"). Audit entries say which clinic they concern.
"""

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models

FORWARD = {"reviewed": "closed"}
BACKWARD = {"closed": "reviewed", "in_progress": "new"}


def _remap(mapping):
    def remap(apps, schema_editor):
        Assessment = apps.get_model("assessments", "Assessment")
        for old, new in mapping.items():
            Assessment.objects.using(schema_editor.connection.alias).filter(
                review_status=old
            ).update(review_status=new)

    return remap


class Migration(migrations.Migration):
    dependencies = [
        ("assessments", "0004_disposition_and_all_changes"),
        ("clinics", "0001_initial"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.AlterField(
            model_name="auditevent",
            name="actor",
            field=models.ForeignKey(
                blank=True,
                null=True,
                on_delete=django.db.models.deletion.SET_NULL,
                related_name="+",
                to=settings.AUTH_USER_MODEL,
                verbose_name="staff member",
            ),
        ),
        migrations.AddField(
            model_name="auditevent",
            name="clinic",
            field=models.ForeignKey(
                blank=True,
                null=True,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="+",
                to="clinics.clinic",
            ),
        ),
        # PostgreSQL cannot widen a column a generated column reads: the triage flag and its
        # index are dropped, the column widened, and both made again exactly as before.
        migrations.RemoveIndex(model_name="assessment", name="assessment_triage"),
        migrations.RemoveField(model_name="assessment", name="needs_attention"),
        migrations.AlterField(
            model_name="assessment",
            name="review_status",
            field=models.CharField(
                choices=[
                    ("new", "New"),
                    ("in_progress", "In progress"),
                    ("follow_up", "Follow-up needed"),
                    ("closed", "Closed"),
                ],
                default="new",
                max_length=20,
            ),
        ),
        migrations.AddField(
            model_name="assessment",
            name="needs_attention",
            field=models.GeneratedField(
                db_persist=True,
                expression=models.Q(("consult_professional", True), ("review_status", "new")),
                output_field=models.BooleanField(),
            ),
        ),
        migrations.AddIndex(
            model_name="assessment",
            index=models.Index(
                fields=["-needs_attention", "-created_at", "-id"], name="assessment_triage"
            ),
        ),
        migrations.AlterField(
            model_name="auditevent",
            name="action",
            field=models.CharField(
                choices=[
                    ("viewed", "Viewed"),
                    ("review_changed", "Review changed"),
                    ("exported", "Exported"),
                    ("sent", "Sent by the person"),
                    ("withdrawn", "Withdrawn by the person"),
                ],
                max_length=20,
            ),
        ),
        migrations.AddIndex(
            model_name="auditevent",
            index=models.Index(fields=["clinic", "-at"], name="audit_clinic_newest"),
        ),
        migrations.RunPython(_remap(FORWARD), _remap(BACKWARD)),
    ]
