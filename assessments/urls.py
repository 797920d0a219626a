from django.urls import path, re_path

from assessments import views
from assessments.wizard import QuestionnaireWizard

app_name = "assessments"

questionnaire = QuestionnaireWizard.as_view(url_name="assessments:step")

urlpatterns = [
    path("assessment/", questionnaire, name="start"),
    path("assessment/before-you-start/", views.consent, name="consent"),
    path("assessment/start-over/", views.start_over, name="start_over"),
    re_path(r"^assessment/(?P<step>[a-z_]+)/$", questionnaire, name="step"),
    path("results/<uuid:assessment_id>/", views.result, name="result"),
]
