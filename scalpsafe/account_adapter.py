"""How django-allauth fits ScalpSafe: its emails are queued, and a log-in asks before it adds
results taken anonymously in this browser to the account.

Every allauth email (confirm your address, someone tried to sign up with it, reset your
password, ...) goes through `send_mail`, which queues it (scalpsafe.emails): a request never
waits for SMTP, so how long a sign-up or a reset takes says nothing about whether the address
has an account.
"""

from urllib.parse import urlsplit

from allauth.account.adapter import DefaultAccountAdapter
from allauth.core import context as allauth_context
from django.contrib.sites.shortcuts import get_current_site
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse

from scalpsafe import claim_results
from scalpsafe.emails import email_send_later


class AccountAdapter(DefaultAccountAdapter):
    # In the site's words. The same for an unknown username as for a wrong password, so the
    # log-in page never says which usernames exist.
    error_messages = {
        **DefaultAccountAdapter.error_messages,
        "username_password_mismatch": (
            "That username and password do not match an account. Check both (a password "
            "is case-sensitive) and try again."
        ),
    }

    def send_mail(self, template_prefix: str, email: str, context: dict) -> None:
        # allauth's own send_mail builds the same context and renders, then sends at once.
        request = allauth_context.request
        ctx = {"request": request, "email": email, "current_site": get_current_site(request)}
        ctx.update(context)
        message = self.render_mail(template_prefix, email, ctx)
        email_send_later(to=list(message.to), subject=message.subject, body=message.body)

    def is_safe_url(self, url: str) -> bool:
        # A signed-in person sent to the log-in page with ?next= the log-in page itself would
        # only bounce back: send them to the default page instead.
        return super().is_safe_url(url) and urlsplit(url).path != reverse("login")

    def post_login(self, request: HttpRequest, user, **kwargs) -> HttpResponse:
        response = super().post_login(request, user, **kwargs)
        # Someone else may have used this browser before: ask before adding its anonymous
        # results to this account (scalpsafe/claim_results.py), then go where the log-in went.
        if claim_results.unclaimed_count(request) and response.status_code == 302:
            claim_results.remember_next(request, response["Location"])
            return redirect("claim_results")
        return response
