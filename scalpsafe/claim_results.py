"""A browser shared by two people: results taken anonymously in this browser join an account
only when the person who just logged in says so.

Logging in (or confirming a new account's address, which logs in) lands here whenever the
browser session holds anonymous results (scalpsafe/account_adapter.py). "Yes" adds them to the
account (assessments_claim); "No" leaves them anonymous, still reachable from this browser
session and their private links. Either way the person then goes where the log-in was going.
"""

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render, resolve_url
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods

from assessments import questionnaire_state
from assessments.models import Assessment
from assessments.services import assessments_claim

_NEXT = "claim_results_next"


def unclaimed_count(request: HttpRequest) -> int:
    """How many results this browser session took anonymously that nobody has claimed."""
    anonymous_owner = questionnaire_state.anonymous_owner(request.session)
    if not anonymous_owner:
        return 0
    return Assessment.objects.filter(owner__isnull=True, anonymous_owner=anonymous_owner).count()


def remember_next(request: HttpRequest, url: str) -> None:
    request.session[_NEXT] = url


def _next_url(request: HttpRequest) -> str:
    url = request.session.pop(_NEXT, "")
    allowed = url_has_allowed_host_and_scheme(
        url, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    )
    return url if allowed else resolve_url(settings.LOGIN_REDIRECT_URL)


@never_cache
@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def claim_results(request: HttpRequest) -> HttpResponse:
    count = unclaimed_count(request)
    if not count:
        return redirect(_next_url(request))
    if request.method != "POST":
        return render(request, "accounts/claim_results.html", {"count": count})
    if request.POST.get("answer") == "yes":
        claimed = assessments_claim(
            user=request.user, anonymous_owner=questionnaire_state.anonymous_owner(request.session)
        )
        messages.success(
            request,
            f"The {claimed} result{'s' if claimed != 1 else ''} taken in this browser "
            f"{'are' if claimed != 1 else 'is'} now saved to your account.",
        )
    elif request.POST.get("answer") == "no":
        messages.info(
            request,
            f"Not added. {'They stay' if count != 1 else 'It stays'} anonymous: "
            f"{'they open' if count != 1 else 'it opens'} in this browser only until you log "
            "out, or through a private link made from the result's page (before logging out).",
        )
    else:
        return render(request, "accounts/claim_results.html", {"count": count}, status=400)
    return redirect(_next_url(request))
