"""Share.queue_reasons and Share.has_note: what the queue's list shows of a result, kept on the
share (clinics/queue_reasons.py), filled in here for the shares sent before them.

The rules are copied here as they were when this migration was written (clinics/queue_reasons.py
and assessments.scoring.consult_reasons on 2026-12-01), so that replaying it never depends on
code that changes later.
"""

from django.db import migrations, models
from django.utils.text import Truncator

BATCH = 500


def _reasons_in_words(factors: list[dict], consult_professional: bool) -> str:
    specific = [f for f in factors if f["severity"] == "stop" or f.get("consult")]
    reasons = specific or (factors if consult_professional else [])
    titles = [Truncator(f["title"]).words(6) for f in reasons[:2]]
    if len(reasons) > 2:
        titles.append(f"+{len(reasons) - 2} more")
    return "; ".join(titles)


def fill_list_columns(apps, schema_editor) -> None:
    """Each share's reasons and note flag, from its result's snapshot and answers (which never
    change), a batch at a time."""
    Share = apps.get_model("clinics", "Share")
    Assessment = apps.get_model("assessments", "Assessment")
    shares = Share.objects.order_by("pk").only("pk", "assessment_id")
    last = None
    while True:
        batch = list((shares.filter(pk__gt=last) if last else shares)[:BATCH])
        if not batch:
            return
        results = Assessment.objects.filter(pk__in={share.assessment_id for share in batch})
        snapshots = {
            pk: (factors, consult, answers)
            for pk, factors, consult, answers in results.values_list(
                "pk", "factors", "consult_professional", "answers"
            )
        }
        for share in batch:
            factors, consult, answers = snapshots[share.assessment_id]
            share.queue_reasons = _reasons_in_words(factors, consult)
            share.has_note = bool(answers.get("notes"))
        Share.objects.bulk_update(batch, ["queue_reasons", "has_note"])
        last = batch[-1].pk


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
