"""What django-axes stores about log-in attempts, and for how long.

People type all sorts into a username box: a mistyped password, someone else's email address, a
name they use elsewhere. A name that matches no account is therefore never stored in clear: axes
keys its records on a keyed hash of it instead (HMAC-SHA256 under SECRET_KEY), which still counts
repeated failures for that name, so a made-up name is locked out after the same 5 failures as a
real one and the lock-out says nothing about whether an account exists.

A name that matches an account is stored as that account's username: the username is already in
the accounts table, so the log adds nothing new, and it keeps axes' admin pages and
`manage.py axes_reset_username NAME` usable for unlocking someone. An email address that matches
an account is stored as that account's username too, so one account has one failure count however
its owner (or an attacker) spells the log-in.

The records are kept for AXES_RETENTION_DAYS; the nightly `purge_old_assessments` deletes older
ones (login_records_purge below).
"""

from datetime import datetime

from axes.models import AccessAttempt, AccessFailureLog, AccessLog
from django.conf import settings
from django.contrib.auth import get_user_model
from django.db import transaction
from django.http import HttpRequest
from django.utils.crypto import salted_hmac

# The prefix makes a hashed entry recognisable in axes' admin pages; no username can contain
# a colon followed by 64 hex digits by accident (Django's validator forbids the colon).
UNKNOWN_PREFIX = "unknown:"
_HMAC_SALT = "scalpsafe.login_records.unknown_username"
# The form fields a log-in may arrive in: Django's and the admin's `username`, allauth's
# `login`, an `email` for email log-in.
_LOGIN_FIELDS = ("username", "login", "email")


def _typed_login(request: HttpRequest | None, credentials: dict | None) -> str | None:
    fields = (settings.AXES_USERNAME_FORM_FIELD, *_LOGIN_FIELDS)
    # As axes does: the credentials passed to authenticate() first, then the form.
    sources = [credentials or {}]
    if request is not None:
        sources.append(getattr(request, "data", None) or request.POST)
    for source in sources:
        for field in fields:
            value = source.get(str(field))
            if value:
                return str(value)
    return None


def _account_username(login: str) -> str | None:
    users = get_user_model().objects
    field = users.model.USERNAME_FIELD
    # Case ignored, as allauth's log-in matches usernames: "STAFF" is the account "staff", so
    # changing the letters' case never starts a fresh failure count.
    by_username = users.filter(**{f"{field}__iexact": login}).order_by("pk")
    username = by_username.values_list(field, flat=True).first()
    if username is None and "@" in login:
        # Email addresses are unique per account only by convention: use one only if it is.
        matches = list(
            users.filter(email__iexact=login).values_list(users.model.USERNAME_FIELD, flat=True)[:2]
        )
        username = matches[0] if len(matches) == 1 else None
    return username


def hashed_login(login: str) -> str:
    """The stored form of a log-in that matches no account."""
    # Case-folded, like account names: "Nobody" and "NOBODY" share one failure count.
    digest = salted_hmac(_HMAC_SALT, login.casefold(), algorithm="sha256").hexdigest()
    return UNKNOWN_PREFIX + digest


def axes_username(request: HttpRequest | None, credentials: dict | None = None) -> str | None:
    """AXES_USERNAME_CALLABLE: the account's username, or a keyed hash of a name that has none."""
    login = _typed_login(request, credentials)
    if login is None:
        return None
    return _account_username(login) or hashed_login(login)


# Every axes table that names a person; AccessAttemptExpiration goes with its AccessAttempt.
LOGIN_RECORD_MODELS = (AccessAttempt, AccessLog, AccessFailureLog)


def login_records_count(*, older_than: datetime) -> int:
    return sum(
        model.objects.filter(attempt_time__lt=older_than).count() for model in LOGIN_RECORD_MODELS
    )


@transaction.atomic
def login_records_purge(*, older_than: datetime) -> int:
    """Delete axes' lock-out records and access logs from before `older_than`; return how many."""
    deleted = 0
    for model in LOGIN_RECORD_MODELS:
        _, per_model = model.objects.filter(attempt_time__lt=older_than).delete()
        deleted += per_model.get(model._meta.label, 0)
    return deleted
