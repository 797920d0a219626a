"""The one way ScalpSafe sends an email: queued, never from inside the request.

The email is written to the outbox (outbox/) in the caller's transaction and delivered by the
background worker (`manage.py run_task_worker`) once that transaction commits: at least once,
retried while the SMTP server refuses or is down. Nothing else imports django.core.mail
(tests/notifications/test_one_way_to_send.py checks).
"""

import uuid

from outbox.services import outgoing_email_queue


def email_send_later(
    *,
    to: list[str],
    subject: str,
    body: str,
    headers: dict[str, str] | None = None,
    about: uuid.UUID | None = None,
) -> None:
    """Send `body` to `to`, at least once, after the caller's transaction commits.

    `about`: the id of the result (assessment) the email is about, when it carries that
    result's private link or its owner's address; deleting the result or revoking its link
    then deletes the email while it is still queued (outbox.services.outgoing_emails_forget).
    """
    outgoing_email_queue(to=to, subject=subject, body=body, headers=headers, about=about)
