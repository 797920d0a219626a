"""The admin site (scalpsafe/admin_site.py): Django's page variables, the app list read only by
a page that shows it."""

import pytest
from django.contrib import admin
from django.contrib.admin import AdminSite
from django.test import RequestFactory
from django.utils.functional import SimpleLazyObject

from scalpsafe.admin_site import ScalpSafeAdminSite

pytestmark = pytest.mark.django_db


@pytest.fixture(params=["clinic_staff", "admin_user"])
def admin_request(request):
    get = RequestFactory().get("/admin/clinics/share/")
    get.user = request.getfixturevalue(request.param)
    return get


def test_the_admin_is_scalpsafes_site():
    assert isinstance(admin.site, ScalpSafeAdminSite)


def test_each_page_gets_djangos_variables_with_the_same_values(admin_request):
    ours = admin.site.each_context(admin_request)
    djangos = AdminSite.each_context(admin.site, admin_request)

    assert ours.keys() == djangos.keys()
    for name in ours:
        if name == "log_entries":  # a queryset each time: the same rows
            assert list(ours[name]) == list(djangos[name])
        else:
            assert ours[name] == djangos[name], name
    assert ours["available_apps"]  # staff and the operator each see at least one app


def test_the_app_list_is_read_only_when_a_page_shows_it(
    clinic_staff, django_user_model, django_assert_num_queries
):
    def fresh_request():
        # A user read afresh: no permissions read yet (Django keeps them on the user).
        get = RequestFactory().get("/admin/clinics/share/")
        get.user = django_user_model.objects.get(pk=clinic_staff.pk)
        return get

    djangos, ours = fresh_request(), fresh_request()
    with django_assert_num_queries(1):  # the staff member's permissions, for the app list
        AdminSite.each_context(admin.site, djangos)
    with django_assert_num_queries(0):
        context = admin.site.each_context(ours)
    assert isinstance(context["available_apps"], SimpleLazyObject)

    with django_assert_num_queries(1):  # read now, as the sidebar's template would
        names = [app["name"] for app in context["available_apps"]]
    assert names and names == [app["name"] for app in admin.site.get_app_list(djangos)]


def test_with_the_sidebar_on_the_queue_shows_the_app_list(staff_client):
    # Set and put back by hand: pytest's monkeypatch does not put back an attribute of
    # admin.site, a lazy object standing for the site.
    before, admin.site.enable_nav_sidebar = admin.site.enable_nav_sidebar, True
    try:
        page = staff_client.get("/admin/clinics/share/").content.decode()
    finally:
        admin.site.enable_nav_sidebar = before
    assert 'id="nav-sidebar"' in page
    assert 'href="/admin/clinics/share/"' in page.split('id="nav-sidebar"', 1)[1]
