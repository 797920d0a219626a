"""A person's permissions read in one statement instead of Django's two: a backend that only
answers permission checks, listed before allauth's (which signs people in) in
settings.AUTHENTICATION_BACKENDS.

Django's ModelBackend reads a user's own permissions and their groups' permissions in two ORM
queries, each built and compiled on every request that checks a permission: every admin page
(clinic staff's queue checks a dozen). Here both come from one fixed statement, written once
per database from the models' table names, and fill the same two per-request caches Django's
backend fills (`_user_perm_cache`, `_group_perm_cache`): allauth's backend, asked next when
this one says no, then reads them instead of the database, so every answer stays Django's.
Superusers, inactive and unsaved users and object permissions are left to Django as they are;
so is the async path (`aget_all_permissions`), which nothing here uses. A subclass of
ModelBackend that overrides `_get_user_permissions` or `_get_group_permissions` would not be
asked by this one: the statement is what Django's own two queries read.

It signs nobody in (`authenticate` says None, without hashing anything), so the backend a log-in
stores in the session stays allauth's: deploying it, host by host, signs nobody out. It can
restore a user from a session (ModelBackend's `get_user`) for the logins that name no backend
(Django's test client's `force_login` takes the first that can).
"""

from __future__ import annotations

import functools

from django.contrib.auth import get_user_model
from django.contrib.auth.backends import ModelBackend
from django.contrib.auth.models import Group, Permission
from django.contrib.contenttypes.models import ContentType
from django.db import connections, router
from django.http import HttpRequest


class OneStatementPermissions(ModelBackend):
    def authenticate(self, request: HttpRequest | None, **credentials) -> None:
        return None  # allauth's backend signs people in

    def get_all_permissions(self, user_obj, obj=None) -> set[str]:
        if (
            obj is None
            and user_obj.is_active
            and not user_obj.is_anonymous
            and not user_obj.is_superuser
            and user_obj.pk is not None
            and not hasattr(user_obj, "_perm_cache")
            and not hasattr(user_obj, "_user_perm_cache")
            and not hasattr(user_obj, "_group_perm_cache")
        ):
            _read_permissions(user_obj)
        return super().get_all_permissions(user_obj, obj)


def _read_permissions(user) -> None:
    # The database Django's related managers would read the user's permissions from.
    alias = router.db_for_read(Permission, instance=user)
    connection = connections[alias]
    user_id = type(user)._meta.pk.get_db_prep_value(user.pk, connection)
    own, of_groups = set(), set()
    with connection.cursor() as cursor:
        cursor.execute(_permissions_sql(alias), [user_id, user_id])
        for source, app_label, codename in cursor.fetchall():
            (own if source == "user" else of_groups).add(f"{app_label}.{codename}")
    user._user_perm_cache = own
    user._group_perm_cache = of_groups


@functools.cache
def _permissions_sql(alias: str) -> str:
    """The user's own permissions, then their groups', as ("user" or "group", app label,
    codename): the rows of ModelBackend's `_get_user_permissions` and `_get_group_permissions`."""
    q = connections[alias].ops.quote_name
    user_model = get_user_model()
    own = user_model._meta.get_field("user_permissions").remote_field.through._meta
    groups = user_model._meta.get_field("groups").remote_field.through._meta
    granted = Group._meta.get_field("permissions").remote_field.through._meta
    permission, content_type = Permission._meta, ContentType._meta

    def column(through, model) -> str:
        # The through table's column that points at `model` (e.g. auth_user_groups.group_id).
        for field in through.fields:
            if field.is_relation and field.related_model is model:
                return q(field.column)
        raise LookupError(f"{through.db_table} has no column for {model.__name__}")

    def field(meta, name: str) -> str:
        return q(meta.get_field(name).column)

    permission_id = q(permission.pk.column)

    def rows(source: str, joins: str, user_column: str) -> str:
        # Only names from the models' metadata, quoted; the user's id is the one parameter.
        return (
            f"SELECT '{source}', ct.{field(content_type, 'app_label')}, "  # noqa: S608
            f"p.{field(permission, 'codename')} FROM {q(permission.db_table)} p "
            f"INNER JOIN {q(content_type.db_table)} ct "
            f"ON ct.{q(content_type.pk.column)} = p.{field(permission, 'content_type')} "
            f"{joins} WHERE {user_column} = %s"
        )

    return " UNION ALL ".join(
        [
            rows(
                "user",
                f"INNER JOIN {q(own.db_table)} up "
                f"ON up.{column(own, Permission)} = p.{permission_id}",
                f"up.{column(own, user_model)}",
            ),
            rows(
                "group",
                f"INNER JOIN {q(granted.db_table)} gp "
                f"ON gp.{column(granted, Permission)} = p.{permission_id} "
                f"INNER JOIN {q(groups.db_table)} ug "
                f"ON ug.{column(groups, Group)} = gp.{column(granted, Group)}",
                f"ug.{column(groups, user_model)}",
            ),
        ]
    )
