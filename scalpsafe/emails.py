"""The one way ScalpSafe sends an email: queued, never from inside the request.

(Placeholder: sends at once until the persistent task queue lands; the notifications work
replaces the body of `email_send_later` and keeps its signature.)
"""

from django.core.mail import EmailMessage


def email_send_later(
    *, to: list[str], subject: str, body: str, headers: dict[str, str] | None = None
) -> None:
    """Send `body` to `to`, at least once, after the caller's transaction commits."""
    EmailMessage(subject=subject, body=body, to=to, headers=headers or {}).send()
