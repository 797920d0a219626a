from django.urls import path

from clinics import views

app_name = "clinics"

urlpatterns = [
    path("c/<slug:slug>/", views.start, name="start"),
    path("results/<uuid:assessment_id>/send/", views.send, name="send"),
    path("results/<uuid:assessment_id>/stop-sharing/", views.stop_sharing, name="stop_sharing"),
    path("results/<uuid:assessment_id>/private-link/", views.private_link, name="private_link"),
    path(
        "results/<uuid:assessment_id>/private-link/revoke/",
        views.revoke_private_link,
        name="revoke_private_link",
    ),
    # The token is redacted from every log (clinics/log_redaction.py).
    path("r/<str:token>/", views.open_private_link, name="open_private_link"),
]
