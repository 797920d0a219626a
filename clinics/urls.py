from django.urls import path  # noqa: F401 (routes are added by the clinic-loop work)

app_name = "clinics"

urlpatterns: list = []
