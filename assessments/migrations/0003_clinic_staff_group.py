"""The "Clinic staff" group: view assessments and change their review fields, nothing else.

The admin keeps every patient field read-only, so `change_assessment` only reaches the review
status and the staff note. No user is created here, or anywhere: staff are made one by one with
`manage.py create_clinic_staff`.
"""

from django.contrib.auth.management import create_permissions
from django.db import migrations

GROUP_NAME = "Clinic staff"
PERMISSIONS = ("view_assessment", "change_assessment")


def create_group(apps, schema_editor):
    # Permissions are made by a post_migrate signal, after every migration has run, so on a
    # fresh database they do not exist yet: make them now. The stub app config of migration
    # state has no models module, which create_permissions takes to mean "no models".
    app_config = apps.get_app_config("assessments")
    app_config.models_module = True
    create_permissions(app_config, verbosity=0, apps=apps, using=schema_editor.connection.alias)
    app_config.models_module = None

    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    group, _ = Group.objects.using(schema_editor.connection.alias).get_or_create(name=GROUP_NAME)
    group.permissions.set(
        Permission.objects.using(schema_editor.connection.alias).filter(
            content_type__app_label="assessments", codename__in=PERMISSIONS
        )
    )


def remove_group(apps, schema_editor):
    Group = apps.get_model("auth", "Group")
    Group.objects.using(schema_editor.connection.alias).filter(name=GROUP_NAME).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("assessments", "0002_review_and_audit"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [migrations.RunPython(create_group, remove_group)]
