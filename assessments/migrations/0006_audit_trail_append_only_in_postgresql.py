"""The audit trail is append-only in PostgreSQL itself, not only in the model.

Two triggers on the audit table, PostgreSQL only:

- a row trigger refuses every DELETE and every UPDATE, except one that only clears the staff
  member (actor_id to NULL) and leaves every other column as it was: what Django's
  on_delete=SET_NULL does when a staff account is deleted (actor_username keeps the name);
- a deferred constraint trigger checks, at commit, that such an UPDATE happened because that
  account was deleted in the same transaction: clearing the actor of a living account is refused.

TRUNCATE fires no row trigger, so `manage.py flush` and the test suite's table flush still work.
On SQLite the model's save() and delete() guards stay the only ones (Django's test flush there
deletes rows one table at a time, which a trigger would refuse). A later migration that must
rewrite audit rows has to drop these triggers first and recreate them after.
"""

from django.db import migrations

FUNCTION = "scalpsafe_audit_trail_append_only"
ACTOR_FUNCTION = "scalpsafe_audit_actor_cleared_only_with_account"
TRIGGER = "audit_trail_append_only"
ACTOR_TRIGGER = "audit_actor_cleared_only_with_account"

FORWARDS = """
CREATE OR REPLACE FUNCTION {function}() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP = 'UPDATE'
       AND OLD.actor_id IS NOT NULL AND NEW.actor_id IS NULL
       AND to_jsonb(NEW) - 'actor_id' = to_jsonb(OLD) - 'actor_id' THEN
        RETURN NEW;
    END IF;
    RAISE EXCEPTION 'The audit trail is append-only: % of an entry refused.', TG_OP
        USING ERRCODE = 'restrict_violation';
END
$$;
DROP TRIGGER IF EXISTS {trigger} ON {table};
CREATE TRIGGER {trigger} BEFORE UPDATE OR DELETE ON {table}
    FOR EACH ROW EXECUTE FUNCTION {function}();

CREATE OR REPLACE FUNCTION {actor_function}() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF EXISTS (SELECT 1 FROM {users} WHERE id = OLD.actor_id) THEN
        RAISE EXCEPTION 'The audit trail is append-only: an entry''s staff member is '
            'cleared only when that account is deleted.' USING ERRCODE = 'restrict_violation';
    END IF;
    RETURN NULL;
END
$$;
DROP TRIGGER IF EXISTS {actor_trigger} ON {table};
CREATE CONSTRAINT TRIGGER {actor_trigger} AFTER UPDATE ON {table}
    DEFERRABLE INITIALLY DEFERRED
    FOR EACH ROW EXECUTE FUNCTION {actor_function}();
"""

BACKWARDS = """
DROP TRIGGER IF EXISTS {actor_trigger} ON {table};
DROP FUNCTION IF EXISTS {actor_function}();
DROP TRIGGER IF EXISTS {trigger} ON {table};
DROP FUNCTION IF EXISTS {function}();
"""


def _run(sql: str):
    def run(apps, schema_editor) -> None:
        if schema_editor.connection.vendor != "postgresql":
            return
        quote = schema_editor.quote_name
        AuditEvent = apps.get_model("assessments", "AuditEvent")
        users = AuditEvent._meta.get_field("actor").related_model._meta.db_table
        schema_editor.execute(
            sql.format(
                table=quote(AuditEvent._meta.db_table),
                users=quote(users),
                function=FUNCTION,
                actor_function=ACTOR_FUNCTION,
                trigger=TRIGGER,
                actor_trigger=ACTOR_TRIGGER,
            ),
            params=None,  # the SQL is complete: its % signs are PL/pgSQL's, not placeholders
        )

    return run


class Migration(migrations.Migration):
    dependencies = [
        ("assessments", "0005_review_states_and_audit_clinic"),
    ]

    operations = [
        migrations.RunPython(_run(FORWARDS), _run(BACKWARDS), elidable=False),
    ]
