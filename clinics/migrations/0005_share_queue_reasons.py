"""Share.queue_reasons: the queue's reasons column, kept on the share (clinics/queue_reasons.py),
filled in here for the shares sent before it."""

from django.db import migrations, models

BATCH = 500


def fill_reasons(apps, schema_editor) -> None:
    """Each share's reasons, from its result's factor snapshot (which never changes)."""
    from clinics.queue_reasons import reasons_in_words

    Share = apps.get_model("clinics", "Share")
    Assessment = apps.get_model("assessments", "Assessment")
    pending = (
        Share.objects.filter(queue_reasons="").order_by("pk").values_list("pk", "assessment_id")
    )
    last = None
    while True:
        rows = list((pending.filter(pk__gt=last) if last else pending)[:BATCH])
        if not rows:
            return
        results = Assessment.objects.filter(pk__in={assessment for _, assessment in rows})
        snapshots = {
            pk: (factors, consult)
            for pk, factors, consult in results.values_list("pk", "factors", "consult_professional")
        }
        for share, assessment in rows:
            reasons = reasons_in_words(*snapshots[assessment])
            if reasons:
                Share.objects.filter(pk=share).update(queue_reasons=reasons)
        last = rows[-1][0]


class Migration(migrations.Migration):
    dependencies = [
        ("assessments", "0007_alter_auditevent_action"),
        ("clinics", "0004_share_sent_index"),
    ]

    operations = [
        migrations.AddField(
            model_name="share",
            name="queue_reasons",
            field=models.CharField(blank=True, default="", editable=False, max_length=500),
        ),
        migrations.RunPython(fill_reasons, migrations.RunPython.noop, elidable=True),
    ]
