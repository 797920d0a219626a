"""Share.queue_reasons and Share.has_note: what the queue's list shows of a result, kept on the
share (clinics/queue_reasons.py), filled in here for the shares sent before them."""

from django.db import migrations, models

BATCH = 500


def fill_list_columns(apps, schema_editor) -> None:
    """Each share's reasons and note flag, from its result's snapshot and answers (which never
    change), a batch at a time."""
    from clinics.queue_reasons import has_note, reasons_in_words

    Share = apps.get_model("clinics", "Share")
    Assessment = apps.get_model("assessments", "Assessment")
    shares = Share.objects.order_by("pk").values_list("pk", "assessment_id")
    last = None
    while True:
        rows = list((shares.filter(pk__gt=last) if last else shares)[:BATCH])
        if not rows:
            return
        results = Assessment.objects.filter(pk__in={assessment for _, assessment in rows})
        snapshots = {
            pk: (factors, consult, answers)
            for pk, factors, consult, answers in results.values_list(
                "pk", "factors", "consult_professional", "answers"
            )
        }
        for share, assessment in rows:
            factors, consult, answers = snapshots[assessment]
            Share.objects.filter(pk=share).update(
                queue_reasons=reasons_in_words(factors, consult), has_note=has_note(answers)
            )
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
        migrations.AddField(
            model_name="share",
            name="has_note",
            field=models.BooleanField(default=False, editable=False),
        ),
        migrations.RunPython(fill_list_columns, migrations.RunPython.noop, elidable=True),
    ]
