"""Sign-up, log-in, the account page and deleting an account.

Logging in or signing up also gives the account the assessments this browser session took
anonymously, and says so.
"""

from urllib.parse import urlsplit

from django.contrib import messages
from django.contrib.auth import login, logout
from django.contrib.auth.decorators import login_required
from django.contrib.auth.views import LoginView
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods, require_safe

from assessments import questionnaire_state
from assessments.services import account_delete, assessments_claim
from scalpsafe.forms import DeleteAccountForm, SignUpForm


def _claim_anonymous_assessments(request: HttpRequest) -> None:
    claimed = assessments_claim(
        user=request.user, anonymous_owner=questionnaire_state.anonymous_owner(request.session)
    )
    if claimed:
        messages.success(
            request,
            f"The {claimed} assessment{'s' if claimed > 1 else ''} you took in this browser "
            f"{'are' if claimed > 1 else 'is'} now saved to your account.",
        )


class SiteLoginView(LoginView):
    redirect_authenticated_user = True

    def get_redirect_url(self) -> str:
        # A signed-in person sent to the login page with ?next= the login page itself would
        # loop, which Django reports as an error: send them to the default page instead.
        url = super().get_redirect_url()
        return "" if url and urlsplit(url).path == self.request.path else url

    def form_valid(self, form) -> HttpResponse:
        response = super().form_valid(form)
        _claim_anonymous_assessments(self.request)
        return response


@never_cache
@require_http_methods(["GET", "HEAD", "POST"])
def signup(request: HttpRequest) -> HttpResponse:
    next_url = _safe_next(request)
    if request.user.is_authenticated:
        return redirect(next_url or "assessments:mine")
    form = SignUpForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        user = form.save()
        login(request, user, backend="django.contrib.auth.backends.ModelBackend")
        messages.success(request, f"Welcome, {user.username}. Your account is ready.")
        _claim_anonymous_assessments(request)
        return redirect(next_url or "assessments:mine")
    return render(request, "accounts/signup.html", {"form": form, "next": next_url})


def _safe_next(request: HttpRequest) -> str:
    """The ?next= address if it is on this site, else "" (never an open redirect)."""
    url = request.POST.get("next") or request.GET.get("next") or ""
    allowed = url_has_allowed_host_and_scheme(
        url, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    )
    return url if allowed else ""


@never_cache
@login_required
@require_safe
def account(request: HttpRequest) -> HttpResponse:
    return render(request, "accounts/account.html")


@never_cache
@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def delete_account(request: HttpRequest) -> HttpResponse:
    form = DeleteAccountForm(request.user, request.POST or None)
    if request.method == "POST" and form.is_valid():
        user = request.user
        logout(request)
        account_delete(user=user)
        messages.success(request, "Your account and all its assessments have been deleted.")
        return redirect("home")
    return render(request, "accounts/delete_account.html", {"form": form})
