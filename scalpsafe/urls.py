from allauth.account import views as allauth_views
from django.contrib import admin
from django.urls import include, path
from django.views.generic import RedirectView

from assessments.admin.rows import view_on_site
from scalpsafe import accounts, claim_results, views

urlpatterns = [
    path("", views.home, name="home"),
    path("healthz", views.healthz, name="healthz"),
    # Ahead of the admin's own "view on site" shortcut, which lets an id of the wrong type be a 500.
    path("admin/r/<path:content_type_id>/<path:object_id>/", admin.site.admin_view(view_on_site)),
    path("admin/", admin.site.urls),
    path("accounts/", accounts.account, name="account"),
    path("accounts/delete/", accounts.delete_account, name="delete_account"),
    path("accounts/claim/", claim_results.claim_results, name="claim_results"),
    # The names the site used before allauth, kept so older links and code keep working:
    # the same views under the same addresses (log-in, log-out, sign-up), or a redirect from
    # the old address to allauth's (password change and reset).
    path("accounts/login/", allauth_views.login, name="login"),
    path("accounts/logout/", allauth_views.logout, name="logout"),
    path("accounts/signup/", allauth_views.signup, name="signup"),
    path(
        "accounts/password_change/",
        RedirectView.as_view(pattern_name="account_change_password", permanent=True),
        name="password_change",
    ),
    path(
        "accounts/password_reset/",
        RedirectView.as_view(pattern_name="account_reset_password", permanent=True),
        name="password_reset",
    ),
    path("accounts/", include("allauth.urls")),
    path("", include("assessments.urls")),
    path("", include("clinics.urls")),
    path("", include("roller_sessions.urls")),
]

handler500 = "scalpsafe.views.server_error"
