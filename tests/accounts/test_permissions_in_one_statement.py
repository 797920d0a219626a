"""scalpsafe.auth_backend: a person's permissions in one statement, the same as Django's; the
log-ins stay allauth's."""

import pytest
from django.contrib.auth.backends import ModelBackend
from django.contrib.auth.models import AnonymousUser, Group, Permission
from django.db import connection
from django.test.utils import CaptureQueriesContext

from scalpsafe.auth_backend import OneStatementPermissions
from tests.support.accounts import log_in

pytestmark = pytest.mark.django_db

ALLAUTH = "allauth.account.auth_backends.AuthenticationBackend"
OURS = "scalpsafe.auth_backend.OneStatementPermissions"


def perm(name: str) -> Permission:
    app_label, codename = name.split(".")
    return Permission.objects.get(content_type__app_label=app_label, codename=codename)


def fresh(user):
    # As each request gets it: no permissions read yet.
    return type(user).objects.get(pk=user.pk)


@pytest.fixture
def person(django_user_model):
    return django_user_model.objects.create_user("sam", password="sam-password-1234", is_staff=True)


def both_backends(user) -> tuple[tuple, tuple]:
    """(all, own, groups') from this site's backend, then from Django's, each on a fresh user."""
    ours, django = OneStatementPermissions(), ModelBackend()
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
    backend, user = OneStatementPermissions(), fresh(person)

    with CaptureQueriesContext(connection) as queries:
        for _ in range(3):
            assert backend.has_perm(user, "clinics.view_share")
            assert backend.has_perm(user, "clinics.change_share")
            assert not backend.has_perm(user, "clinics.delete_share")
            # The user's own checks ask every backend: allauth's reads what this one read.
            assert user.has_perm("clinics.change_share")
            assert not user.has_perm("clinics.delete_share")
            assert user.has_module_perms("clinics")

    assert len(queries) == 1
    assert "UNION ALL" in queries[0]["sql"]


@pytest.mark.parametrize("case", ["inactive", "object", "anonymous"])
def test_it_reads_nothing_where_django_reads_nothing(person, case):
    person.user_permissions.add(perm("clinics.view_share"))
    user, obj = fresh(person), None
    if case == "inactive":
        user.is_active = False
    if case == "object":
        obj = person
    if case == "anonymous":
        user = AnonymousUser()

    with CaptureQueriesContext(connection) as queries:
        assert OneStatementPermissions().get_all_permissions(user, obj) == set()

    assert len(queries) == 0


def test_an_unsaved_user_is_refused_as_django_refuses_it(django_user_model):
    with pytest.raises(ValueError, match="needs to have a value"):
        ModelBackend().get_all_permissions(django_user_model(username="new"))
    with pytest.raises(ValueError, match="needs to have a value"):
        OneStatementPermissions().get_all_permissions(django_user_model(username="new"))


def test_a_superuser_has_every_permission_as_django_says(person):
    person.is_superuser = True
    person.save()

    ours = OneStatementPermissions().get_all_permissions(fresh(person))

    assert ours == ModelBackend().get_all_permissions(fresh(person))
    assert "auth.delete_user" in ours


def test_it_signs_nobody_in(person, rf):
    request = rf.post("/accounts/login/")

    assert OneStatementPermissions().authenticate(request, username="sam", password="x") is None
    assert (
        OneStatementPermissions().authenticate(
            request, username="sam", password="sam-password-1234"
        )
        is None
    )


def test_a_log_in_stays_allauths_and_the_admin_asks_this_backend_first(settings, owner, client):
    owner.is_staff = True
    owner.save()
    backends = settings.AUTHENTICATION_BACKENDS
    # Before allauth's, so that permission checks come here first; allauth's still listed, so
    # sessions of log-ins from before it (which name allauth's backend) stay signed in.
    assert backends.index(OURS) < backends.index(ALLAUTH)
    assert log_in(client, "owner", "owner-password-1234").status_code == 302
    assert client.session["_auth_user_backend"] == ALLAUTH
    assert client.get("/admin/auth/user/").status_code == 403
    group = Group.objects.create(name="readers")
    group.permissions.add(perm("auth.view_user"))
    owner.groups.add(group)

    with CaptureQueriesContext(connection) as queries:
        assert client.get("/admin/auth/user/").status_code == 200

    permission_reads = [q["sql"] for q in queries if "auth_permission" in q["sql"]]
    assert len(permission_reads) == 1
    assert "UNION ALL" in permission_reads[0]
