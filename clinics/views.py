"""The clinic link: /c/<slug>/ starts the questionnaire for that clinic."""

from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods

from assessments.views import consent_page
from clinics.models import Clinic


@never_cache
@require_http_methods(["GET", "HEAD", "POST"])
def start(request: HttpRequest, slug: str) -> HttpResponse:
    """The privacy notice naming the clinic; agreeing starts its questionnaire.

    An unknown or inactive clinic answers 404 (slugs are matched exactly: "North" is not
    "north"). The notice is served at the link itself, so the clinic is never carried over
    from an earlier visit: only agreeing here records it.
    """
    clinic = get_object_or_404(Clinic.objects.active(), slug=slug)
    return consent_page(request, clinic=clinic)
