from django.contrib import admin
from django.contrib.auth.views import PasswordResetView
from django.urls import include, path

from assessments.admin.rows import view_on_site
from scalpsafe import accounts, views
from scalpsafe.forms import QueuedPasswordResetForm

urlpatterns = [
    path("", views.home, name="home"),
    path("healthz", views.healthz, name="healthz"),
    # Ahead of the admin's own "view on site" shortcut, which lets an id of the wrong type be a 500.
    path("admin/r/<path:content_type_id>/<path:object_id>/", admin.site.admin_view(view_on_site)),
    path("admin/", admin.site.urls),
    path("accounts/login/", accounts.SiteLoginView.as_view(), name="login"),
    path("accounts/signup/", accounts.signup, name="signup"),
    path("accounts/", accounts.account, name="account"),
    path("accounts/delete/", accounts.delete_account, name="delete_account"),
    path(
        "accounts/password_reset/",
        PasswordResetView.as_view(form_class=QueuedPasswordResetForm),
        name="password_reset",
    ),
    path("accounts/", include("django.contrib.auth.urls")),
    path("", include("assessments.urls")),
    path("", include("clinics.urls")),
]

handler500 = "scalpsafe.views.server_error"
