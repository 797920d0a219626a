from django.urls import path

from roller_sessions import reminder_views, views

app_name = "roller_sessions"

urlpatterns = [
    path("my/sessions/", views.my_sessions, name="mine"),
    path("my/sessions/before/", views.check_new, name="check_new"),
    path("my/sessions/checks/<uuid:check_id>/", views.check, name="check"),
    path(
        "my/sessions/checks/<uuid:check_id>/confirm/",
        views.consult_confirm,
        name="consult_confirm",
    ),
    path("my/sessions/checks/<uuid:check_id>/log/", views.session_log, name="session_log"),
    path("my/sessions/<uuid:session_id>/", views.session, name="session"),
    path("my/sessions/<uuid:session_id>/check-in/<int:day>/", views.checkin, name="checkin"),
    path("my/sessions/<uuid:session_id>/delete/", views.session_delete, name="session_delete"),
    path("my/sessions/export.json", views.export_json, name="export_json"),
    path("my/sessions/export.csv", views.export_csv, name="export_csv"),
    path("my/reminders/", reminder_views.reminders, name="reminders"),
    path("reminders/off/<str:token>/", reminder_views.reminders_off, name="reminders_off"),
]
