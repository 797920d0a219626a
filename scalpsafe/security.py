"""Security events as structured log lines, the client address, and the CSRF failure page.

Every event is one JSON object on the "scalpsafe.security" logger: an event name, the time, the
client address, the path and a few named fields. Never a password, never an answer: only the
fields passed explicitly are logged, and callers pass none of those.
"""

import json
import logging

from axes.signals import user_locked_out
from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.signals import user_logged_in, user_logged_out, user_login_failed
from django.dispatch import receiver
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone

logger = logging.getLogger("scalpsafe.security")

_WARNINGS = {"login_failed", "lockout", "csrf_failure"}
_MAX_FIELD = 150  # a username field can hold anything someone typed; keep log lines bounded


def client_ip(request: HttpRequest) -> str:
    """The client's address: REMOTE_ADDR, or the entry our PROXY_COUNT proxies vouch for."""
    forwarded = [a.strip() for a in request.headers.get("x-forwarded-for", "").split(",")]
    forwarded = [a for a in forwarded if a]
    if settings.PROXY_COUNT and len(forwarded) >= settings.PROXY_COUNT:
        return forwarded[-settings.PROXY_COUNT]
    return request.META.get("REMOTE_ADDR", "")


def log_event(event: str, request: HttpRequest | None, **fields: object) -> None:
    record = {"event": event, "at": timezone.now().isoformat()}
    if request is not None:
        record["ip"] = client_ip(request)
        record["path"] = request.path[:_MAX_FIELD]
    record.update({k: str(v)[:_MAX_FIELD] for k, v in fields.items()})
    level = logging.WARNING if event in _WARNINGS else logging.INFO
    logger.log(level, json.dumps(record, sort_keys=True))


@receiver(user_logged_in)
def _logged_in(sender, request, user, **kwargs) -> None:
    log_event("login", request, user_id=user.pk)


@receiver(user_logged_out)
def _logged_out(sender, request, user, **kwargs) -> None:
    log_event("logout", request, user_id=getattr(user, "pk", ""))


def _known_username(username: str | None) -> str:
    # People sometimes type their password into the username box: log a username only when an
    # account has it, so a mistyped password never reaches the log.
    if username and get_user_model().objects.filter(username=username).exists():
        return username
    return "(no such user)"


@receiver(user_login_failed)
def _login_failed(sender, credentials, request=None, **kwargs) -> None:
    log_event("login_failed", request, username=_known_username(credentials.get("username")))


@receiver(user_locked_out)
def _locked_out(sender, request, username, ip_address, **kwargs) -> None:
    log_event("lockout", request, username=_known_username(username))


def csrf_failure(request: HttpRequest, reason: str = "") -> HttpResponse:
    log_event("csrf_failure", request, reason=reason)
    return render(request, "403_csrf.html", status=403)
