"""The person's side of a clinic: its link (/c/<slug>/), sending a result, stopping, and
private links.

Every page here is about one result and opens only for whoever may see it
(assessments/access.py: its account, its browser session, or a browser session holding a
working private link); anyone else gets 404, whatever the method.
"""

import uuid

from django.contrib import messages
from django.db import transaction
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from assessments.access import assessment_is_visible, get_assessment_for
from assessments.models import Assessment
from assessments.views import consent_page
from clinics import private_links
from clinics.forms import SendForm
from clinics.models import Clinic, ContactWay, PrivateLink, Share
from clinics.services import AlreadySentElsewhere, ClinicUnavailable, share_send, share_withdraw
from clinics.share_status import dont_wait_line
from clinics.working_time import reply_time_in_words
from scalpsafe.security import log_event

# What the clinic's staff will see: said before the person agrees (issue "The clinic loop").
WHAT_THE_CLINIC_SEES = (
    "your answers to the questions",
    "your result, with the reasons for it",
    "the contact details you give on this page",
    "the checks before and after sessions you log against this result (earlier ones too), "
    "while you share it",
)
NO_REFERRER = "no-referrer"  # SecurityMiddleware keeps a policy a view set


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


@never_cache
@require_http_methods(["GET", "HEAD", "POST"])
def send(request: HttpRequest, assessment_id: uuid.UUID) -> HttpResponse:
    """Choose an active clinic, say how to be reached, agree, send."""
    assessment = get_assessment_for(request, assessment_id, without_snapshot=True)
    current = Share.objects.current().filter(assessment=assessment).select_related("clinic").first()
    if request.method == "POST":
        form = SendForm(request.POST)
        if form.is_valid():
            try:
                share = share_send(
                    assessment=assessment,
                    clinic=form.cleaned_data["clinic"],
                    contact=form.contact(),
                )
            except AlreadySentElsewhere as already:
                current = already.share
                form.add_error(
                    None,
                    f"Your result is already with {already.share.clinic}. Stop sharing it "
                    "there first, then send it here.",
                )
            except ClinicUnavailable:
                form.add_error("clinic", "That clinic is not taking results now. Choose another.")
            else:
                return _sent(request, assessment, share)
    else:
        form = SendForm()
    return render(
        request,
        "clinics/send.html",
        {
            "assessment": assessment,
            "form": form,
            "current": current,
            "has_clinics": form.fields["clinic"].queryset.exists(),
            "what_the_clinic_sees": WHAT_THE_CLINIC_SEES,
        },
    )


def _sent(request: HttpRequest, assessment: Assessment, share: Share) -> HttpResponse:
    reply = reply_time_in_words(share.disposition)
    messages.success(
        request,
        " ".join(
            line
            for line in (
                f"Your result was sent to {share.clinic}.",
                f"The clinic aims to reply {reply}."
                if reply and share.contact_way != ContactWay.NONE
                else "",
                dont_wait_line(share.disposition),
            )
            if line
        ),
    )
    # Someone without an account gets a way back, unless they already have one (a second
    # send, or a person who came back through their link, keeps the link they hold).
    if not request.user.is_authenticated:
        token = _make_private_link(request, assessment, unless_one_exists=True)
        if token is not None:
            return _private_link_made(request, assessment, token, share=share)
    return redirect(assessment)


@never_cache
@require_http_methods(["GET", "HEAD", "POST"])
def stop_sharing(request: HttpRequest, assessment_id: uuid.UUID) -> HttpResponse:
    """Ask first (GET), withdraw on POST: the clinic's staff lose access at once."""
    assessment = get_assessment_for(request, assessment_id, without_snapshot=True)
    if request.method == "POST":
        share = share_withdraw(assessment=assessment)
        if share is not None:
            messages.success(
                request,
                f"You stopped sharing your result with {share.clinic}. Its staff can no longer "
                "see it or your contact details.",
            )
        return redirect(assessment)
    share = Share.objects.current().filter(assessment=assessment).select_related("clinic").first()
    if share is None:
        return redirect(assessment)
    return render(request, "clinics/stop_sharing.html", {"assessment": assessment, "share": share})


@never_cache
@require_http_methods(["GET", "HEAD", "POST"])
def private_link(request: HttpRequest, assessment_id: uuid.UUID) -> HttpResponse:
    """What a private link is (GET); a new one, shown once (POST)."""
    assessment = get_assessment_for(request, assessment_id, without_snapshot=True)
    if request.method == "POST":
        share = Share.objects.current().filter(assessment=assessment).first()
        token = _make_private_link(request, assessment)
        return _private_link_made(request, assessment, token, share=share)
    return render(
        request,
        "clinics/private_link.html",
        {
            "assessment": assessment,
            "has_private_link": PrivateLink.objects.usable().filter(assessment=assessment).exists(),
        },
    )


@transaction.atomic
def _make_private_link(
    request: HttpRequest, assessment: Assessment, *, unless_one_exists: bool = False
) -> str | None:
    """A new link (the old one stops working), granted to this browser; None when
    `unless_one_exists` and the result has one. Concurrent requests take turns."""
    Assessment.objects.select_for_update().only("pk").get(pk=assessment.pk)
    if unless_one_exists and PrivateLink.objects.usable().filter(assessment=assessment).exists():
        return None
    token = private_links.private_link_create(assessment=assessment)
    # This browser keeps its access: a person who came through the old link is not locked out.
    private_links.private_link_grant(request.session, private_links.private_link_find(token))
    return token


def _private_link_made(
    request: HttpRequest, assessment: Assessment, token: str, *, share: Share | None
) -> HttpResponse:
    """Show the new link once, and email it if the person gave an email to be reached at.

    The page is the answer to the POST, not a redirect: the token is never in a URL of ours
    other than the link itself, and never stored anywhere but as its hash.
    """
    url = request.build_absolute_uri(private_links.private_link_path(token))
    emailed_to = share.contact_email if share is not None else ""
    if emailed_to:
        private_links.private_link_email_send(assessment=assessment, to=emailed_to, token=token)
    response = render(
        request,
        "clinics/private_link_made.html",
        {"assessment": assessment, "url": url, "emailed_to": emailed_to},
    )
    response["Referrer-Policy"] = NO_REFERRER
    return response


@never_cache
@require_POST
def revoke_private_link(request: HttpRequest, assessment_id: uuid.UUID) -> HttpResponse:
    assessment = get_assessment_for(request, assessment_id, without_snapshot=True)
    private_links.private_link_revoke(assessment=assessment)
    if assessment_is_visible(request, assessment.pk):
        messages.success(request, "Your private link was revoked: it no longer opens this result.")
        return redirect(assessment)
    # They came through the link they revoked: this browser has no way back now either.
    return render(request, "clinics/private_link_revoked.html", {"when": timezone.now()})


@never_cache
@require_safe
def open_private_link(request: HttpRequest, token: str) -> HttpResponse:
    """/r/<token>/: grant this browser session access to the link's result, then show it."""
    link = private_links.private_link_find(token)
    if link is None:
        log_event("private_link_not_found", request)  # the path is redacted in every log
        response = render(request, "404.html", status=404)
    else:
        private_links.private_link_grant(request.session, link)
        # A new browser session key: one planted in this browser beforehand gains nothing.
        # (Only here: cycling it on a send would 404 a double click's second request.)
        request.session.cycle_key()
        response = redirect(link.assessment)
    # The token is in this page's address: no Referer may carry it anywhere.
    response["Referrer-Policy"] = NO_REFERRER
    return response
