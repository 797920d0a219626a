"""Sign-up, log-in, the account page and deleting an account.

Logging in or signing up also gives the account the assessments this browser session took
anonymously, and says so.
"""

from django.contrib import messages
from django.contrib.auth import login, logout
from django.contrib.auth.decorators import login_required
from django.contrib.auth.views import LoginView
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods, require_safe

from assessments import session
from assessments.services import account_delete, assessments_claim
from scalpsafe.forms import DeleteAccountForm, SignUpForm


def _claim_anonymous_assessments(request: HttpRequest) -> None:
    claimed = assessments_claim(
        user=request.user, anonymous_owner=session.anonymous_owner(request.session)
    )
    if claimed:
        messages.success(
            request,
            f"The {claimed} assessment{'s' if claimed > 1 else ''} you took in this browser "
            f"{'are' if claimed > 1 else 'is'} now saved to your account.",
        )


class SiteLoginView(LoginView):
    redirect_authenticated_user = True

    def form_valid(self, form) -> HttpResponse:
        response = super().form_valid(form)
        _claim_anonymous_assessments(self.request)
        return response


@never_cache
@require_http_methods(["GET", "HEAD", "POST"])
def signup(request: HttpRequest) -> HttpResponse:
    if request.user.is_authenticated:
        return redirect("assessments:mine")
    form = SignUpForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        user = form.save()
        login(request, user, backend="django.contrib.auth.backends.ModelBackend")
        messages.success(request, f"Welcome, {user.username}. Your account is ready.")
        _claim_anonymous_assessments(request)
        return redirect("assessments:mine")
    return render(request, "accounts/signup.html", {"form": form})


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
