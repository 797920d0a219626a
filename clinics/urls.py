from django.urls import path

from clinics import views

app_name = "clinics"

urlpatterns: list = [
    path("c/<slug:slug>/", views.start, name="start"),
]
