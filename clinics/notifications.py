"""Telling a clinic that a result was sent to it. (Placeholder: the notifications work fills
this in with the persistent task queue; see docs/architecture.md.)"""

from clinics.models import Share


def clinic_notify(*, share: Share) -> None:
    """Queue the clinic's email for `share` (urgent, stop and consult only), in the caller's
    transaction. Placeholder until the task queue lands: does nothing yet."""
