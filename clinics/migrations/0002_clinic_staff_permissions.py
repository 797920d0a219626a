"""What the "Clinic staff" group may do now that results reach staff only by being sent.

Staff work their clinics' queue (view and change queue items) and read their clinics' audit
trail. They lose the assessment list: a result nobody sent is the operator's (superusers) alone.
"""

from django.contrib.auth.management import create_permissions
from django.db import migrations

GROUP_NAME = "Clinic staff"
GRANTED = {
    ("clinics", "view_share"),
    ("clinics", "change_share"),
    ("assessments", "view_auditevent"),
}
REVOKED = {("assessments", "view_assessment"), ("assessments", "change_assessment")}


def _permissions(apps, alias, pairs):
    Permission = apps.get_model("auth", "Permission")
    found = []
    for app_label, codename in pairs:
        found += Permission.objects.using(alias).filter(
            content_type__app_label=app_label, codename=codename
        )
    return found


def _make_permissions(apps, alias):
    # As in assessments 0003: on a fresh database the post_migrate signal has not made them yet.
    for label in ("clinics", "assessments"):
        app_config = apps.get_app_config(label)
        app_config.models_module = True
        create_permissions(app_config, verbosity=0, apps=apps, using=alias)
        app_config.models_module = None


def forward(apps, schema_editor):
    alias = schema_editor.connection.alias
    _make_permissions(apps, alias)
    group = apps.get_model("auth", "Group").objects.using(alias).filter(name=GROUP_NAME).first()
    if group is None:
        return
    group.permissions.add(*_permissions(apps, alias, GRANTED))
    group.permissions.remove(*_permissions(apps, alias, REVOKED))


def backward(apps, schema_editor):
    alias = schema_editor.connection.alias
    group = apps.get_model("auth", "Group").objects.using(alias).filter(name=GROUP_NAME).first()
    if group is None:
        return
    group.permissions.remove(*_permissions(apps, alias, GRANTED))
    group.permissions.add(*_permissions(apps, alias, REVOKED))


class Migration(migrations.Migration):
    dependencies = [
        ("clinics", "0001_initial"),
        ("assessments", "0005_review_states_and_audit_clinic"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [migrations.RunPython(forward, backward)]
