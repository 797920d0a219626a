from django.contrib import admin
from django.urls import include, path

from scalpsafe import views

urlpatterns = [
    path("", views.home, name="home"),
    path("healthz", views.healthz, name="healthz"),
    path("admin/", admin.site.urls),
    path("", include("assessments.urls")),
]
