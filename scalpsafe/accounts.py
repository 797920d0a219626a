"""The account page and deleting an account.

Everything else about accounts (sign-up, log-in and out, confirming and changing the email
address, changing and resetting the password) is django-allauth's, its templates overridden in
templates/account/, fitted to the site in scalpsafe/account_adapter.py. Results taken
anonymously before logging in join the account only if the person says so
(scalpsafe/claim_results.py).
"""

from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods, require_safe

from assessments.services import account_delete
from scalpsafe.forms import DeleteAccountForm


@never_cache
@login_required
@require_safe
def account(request: HttpRequest) -> HttpResponse:
    return render(request, "accounts/account.html")


@never_cache
@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def delete_account(request: HttpRequest) -> HttpResponse:
    # A wrong password counts towards the log-in lock-out (scalpsafe/password_checks.py).
    form = DeleteAccountForm(request, request.POST or None)
    if request.method == "POST" and form.is_valid():
        user = request.user
        logout(request)
        account_delete(user=user)
        messages.success(request, "Your account and all its assessments have been deleted.")
        return redirect("home")
    return render(request, "accounts/delete_account.html", {"form": form})
