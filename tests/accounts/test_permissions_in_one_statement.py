"""scalpsafe.auth_backend: a person's permissions in one statement, the same as Django's."""

import pytest
from django.contrib.auth.backends import ModelBackend
from django.contrib.auth.models import Group, Permission
from django.db import connection
from django.test.utils import CaptureQueriesContext

from scalpsafe.auth_backend import SiteAuthenticationBackend

pytestmark = pytest.mark.django_db


def perm(name: str) -> Permission:
    app_label, codename = name.split(".")
    return Permission.objects.get(content_type__app_label=app_label, codename=codename)


def fresh(user):
    # As each request gets it: no permissions read yet.
    return type(user).objects.get(pk=user.pk)


@pytest.fixture
def person(django_user_model):
    return django_user_model.objects.create_user("sam", password="x", is_staff=True)


def both_backends(user) -> tuple[tuple, tuple]:
    """(all, own, groups') from this site's backend, then from Django's, each on a fresh user."""
    ours, django = SiteAuthenticationBackend(), ModelBackend()
    mine, theirs = fresh(user), fresh(user)
    return (
        (
            ours.get_all_permissions(mine),
            ours.get_user_permissions(mine),
            ours.get_group_permissions(mine),
        ),
        (
            django.get_all_permissions(theirs),
            django.get_user_permissions(theirs),
            django.get_group_permissions(theirs),
        ),
    )


@pytest.mark.parametrize(
    ("own", "in_groups"),
    [
        ([], []),
        (["clinics.view_share"], []),
        ([], [["clinics.view_share", "clinics.change_share"]]),
        # The same permission from both, and from two groups: a set, as Django's.
        (
            ["clinics.view_share", "auth.view_user"],
            [["clinics.view_share"], ["clinics.view_share", "assessments.view_auditevent"]],
        ),
    ],
)
def test_it_reads_the_permissions_django_reads(person, own, in_groups):
    person.user_permissions.set([perm(name) for name in own])
    for number, names in enumerate(in_groups):
        group = Group.objects.create(name=f"group {number}")
        group.permissions.set([perm(name) for name in names])
        person.groups.add(group)
    # A group the person is not in gives them nothing.
    Group.objects.create(name="others").permissions.add(perm("auth.delete_user"))

    ours, django = both_backends(person)

    assert ours == django
    assert ours[0] == {*own, *(name for names in in_groups for name in names)}


def test_it_reads_them_in_one_statement_once_a_request(person):
    person.user_permissions.add(perm("clinics.view_share"))
    group = Group.objects.create(name="staff")
    group.permissions.add(perm("clinics.change_share"))
    person.groups.add(group)
    backend, user = SiteAuthenticationBackend(), fresh(person)

    with CaptureQueriesContext(connection) as queries:
        for _ in range(3):
            assert backend.has_perm(user, "clinics.view_share")
            assert backend.has_perm(user, "clinics.change_share")
            assert not backend.has_perm(user, "clinics.delete_share")

    assert len(queries) == 1


@pytest.mark.parametrize("case", ["inactive", "superuser", "object"])
def test_it_leaves_the_other_cases_to_django(person, case):
    person.user_permissions.add(perm("clinics.view_share"))
    if case == "inactive":
        person.is_active = False
    if case == "superuser":
        person.is_superuser = True
    person.save()
    backend, user = SiteAuthenticationBackend(), fresh(person)
    obj = person if case == "object" else None

    assert backend.get_all_permissions(user, obj) == ModelBackend().get_all_permissions(
        fresh(person), obj
    )
    if case == "superuser":
        assert "auth.delete_user" in backend.get_all_permissions(user)
    else:
        assert backend.get_all_permissions(user, obj) == set()


def test_the_site_uses_it_and_the_admin_reads_permissions_through_it(settings, person, client):
    assert "scalpsafe.auth_backend.SiteAuthenticationBackend" in settings.AUTHENTICATION_BACKENDS
    assert "allauth.account.auth_backends.AuthenticationBackend" not in (
        settings.AUTHENTICATION_BACKENDS
    )
    client.force_login(person)
    assert client.get("/admin/auth/user/").status_code == 403
    group = Group.objects.create(name="readers")
    group.permissions.add(perm("auth.view_user"))
    person.groups.add(group)

    assert client.get("/admin/auth/user/").status_code == 200
