from django.urls import path, re_path

from assessments import my_assessments, views
from assessments.wizard import QuestionnaireWizard

app_name = "assessments"

questionnaire = QuestionnaireWizard.as_view(url_name="assessments:step")

urlpatterns = [
    path("assessment/", questionnaire, name="start"),
    path("assessment/before-you-start/", views.consent, name="consent"),
    path("assessment/start-over/", views.start_over, name="start_over"),
    re_path(r"^assessment/(?P<step>[a-z_]+)/$", questionnaire, name="step"),
    path("results/<uuid:assessment_id>/", views.result, name="result"),
    path(
        "results/<uuid:assessment_id>/delete/",
        my_assessments.delete_assessment,
        name="delete",
    ),
    path("my/assessments/", my_assessments.my_assessments, name="mine"),
    path("my/assessments/export.json", my_assessments.export_json, name="export_json"),
    path("my/assessments/export.csv", my_assessments.export_csv, name="export_csv"),
]
