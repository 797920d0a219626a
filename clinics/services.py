"""The write paths for clinics: set-up, staff, and sending or withdrawing a result.

A share is made only by the person's explicit choice (the clinic link's notice, or "Send to a
clinic" on their result) and withdrawn by "Stop sharing" or by deleting the result or account.
Every send and withdrawal is in the audit trail, under the clinic it concerns.
"""

from collections.abc import Iterable

from allauth.account.models import EmailAddress
from django.contrib.auth import get_user_model
from django.contrib.auth.models import AbstractBaseUser, Group
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Q, QuerySet
from django.utils import timezone

from assessments.audit import audit_event_record, audit_events_record
from assessments.models import Assessment, AuditEvent, ReviewStatus
from assessments.rulebook import Disposition
from clinics import notifications
from clinics.models import CONTACT_FIELDS, PRIORITY, REVIEW_FIELDS, Clinic, ContactWay, Share
from clinics.queue_reasons import has_note, reasons_in_words
from clinics.working_time import due_at
from roller_sessions.models import Check

# Made by migration assessments 0003; its permissions are set by clinics 0002.
CLINIC_STAFF_GROUP = "Clinic staff"
# What the clinic changes in its review of a queue item (share_review).


class AlreadySentElsewhere(Exception):
    """The result is with another clinic: the person stops sharing it there first."""

    def __init__(self, share: Share):
        super().__init__(f"Already sent to {share.clinic}.")
        self.share = share


class ClinicUnavailable(Exception):
    """The clinic is inactive: nothing new can be sent to it."""


class ShareWithdrawn(Exception):
    """The person stopped sharing (or deleted) the result while staff were working on it."""


@transaction.atomic
def clinic_create(
    *, name: str, slug: str, notify_email: str, phone: str = "", email: str = "", address: str = ""
) -> Clinic:
    """A new active clinic. Raises ValidationError for a taken slug or a bad address."""
    clinic = Clinic(
        name=name.strip(),
        slug=slug.strip(),
        notify_email=notify_email.strip(),
        phone=phone.strip(),
        email=email.strip(),
        address=address.strip(),
    )
    clinic.full_clean()
    clinic.save()
    return clinic


@transaction.atomic
def clinic_staff_create(
    *, username: str, email: str, password: str | None, clinics: Iterable[Clinic] = ()
) -> AbstractBaseUser:
    """An active staff user in the "Clinic staff" group, a member of `clinics`.

    `password=None` gives an unusable password: the person sets one through a reset link.
    Their email address counts as confirmed: the operator who runs this vouches for it (as for
    the accounts that existed before allauth, scalpsafe/migrations/0001), so they can log in on
    the site's log-in page as well as the admin's, which asks no confirmation.
    Raises ValidationError for a bad username or email, or an address another account has
    confirmed; Group.DoesNotExist before migrations.
    """
    group = Group.objects.get(name=CLINIC_STAFF_GROUP)
    user = get_user_model()(username=username, email=email, is_staff=True, is_active=True)
    if password is None:
        user.set_unusable_password()
    else:
        user.set_password(password)
    user.full_clean()
    if EmailAddress.objects.is_verified(email):
        raise ValidationError({"email": "Another account already has that email address."})
    user.save()
    EmailAddress.objects.create(user=user, email=email, primary=True, verified=True)
    user.groups.add(group)
    user.clinics.add(*clinics)
    return user


@transaction.atomic
def clinic_staff_add_to(*, user: AbstractBaseUser, clinics: Iterable[Clinic]) -> list[Clinic]:
    """Make an existing staff member a member of `clinics` too; returns the ones added."""
    already = set(user.clinics.values_list("pk", flat=True))
    added = [clinic for clinic in clinics if clinic.pk not in already]
    user.clinics.add(*added)
    return added


@transaction.atomic
def clinic_unassign_former_staff(*, clinic: Clinic) -> int:
    """Items of `clinic` assigned to someone no longer on its staff go back to "Nobody", so
    its team sees them as unassigned (the former member can no longer open them). Returns
    how many."""
    return (
        Share.objects.filter(clinic=clinic, assigned_to__isnull=False)
        .exclude(assigned_to__in=clinic.members.all())
        .update(assigned_to=None)
    )


@transaction.atomic
def share_send(*, assessment: Assessment, clinic: Clinic, contact: dict) -> Share:
    """Send `assessment` to `clinic`, with how to reach the person (`contact`, CONTACT_FIELDS).

    Idempotent: sending again to the clinic that has it returns that share unchanged (a double
    click, a replayed form). A result is with at most one clinic at a time: raises
    AlreadySentElsewhere when another has it, ClinicUnavailable when the clinic is inactive.
    The clinic's notification is queued in the same transaction, so it goes if and only if the
    share is saved.
    """
    # Lock the assessment row: concurrent sends and withdrawals of one result take turns.
    Assessment.objects.select_for_update().only("pk").get(pk=assessment.pk)
    current = Share.objects.current().filter(assessment=assessment).select_related("clinic").first()
    if current is not None:
        if current.clinic_id == clinic.pk:
            return current
        raise AlreadySentElsewhere(current)
    if not Clinic.objects.active().filter(pk=clinic.pk).exists():
        raise ClinicUnavailable(clinic.name)
    now = timezone.now()
    disposition = _disposition_with_later_checks(assessment)
    share = Share(
        assessment=assessment,
        clinic=clinic,
        sent_at=now,
        disposition=disposition,
        result_disposition=assessment.disposition,
        due_at=due_at(disposition, now),
        queue_reasons=reasons_in_words(assessment.factors, assessment.consult_professional),
        has_note=has_note(assessment.answers),
        **{field: contact.get(field, "") or "" for field in CONTACT_FIELDS},
    )
    if not share.contact_way:
        share.contact_way = ContactWay.NONE
    share.full_clean(validate_constraints=False)
    try:
        # The database's unique constraint is what holds between two concurrent requests
        # where row locks do not (SQLite has none).
        with transaction.atomic():
            share.save(force_insert=True)
    except IntegrityError:
        current = Share.objects.current().get(assessment=assessment)
        if current.clinic_id == clinic.pk:
            return current
        raise AlreadySentElsewhere(current) from None
    share.refresh_from_db(fields=["is_open", "priority"])
    audit_event_record(
        actor=None,
        action=AuditEvent.Action.SENT,
        assessment_id=assessment.pk,
        clinic=clinic,
        details={"share": str(share.pk)},
    )
    notifications.clinic_notify(share=share)
    return share


def _disposition_with_later_checks(assessment: Assessment) -> Disposition:
    """The result's disposition, raised by its most pressing `urgent` or `stop` later check
    (rulebook section 6: every check is sent with the result, and such a check notifies the
    clinic). As share_raise_for_check would have done had the checks come after the sending;
    so withdrawing and sending again cannot lower an item either."""
    later = Check.objects.filter(base=assessment).order_by().values_list("disposition", flat=True)
    raising = [Disposition(d) for d in later.distinct() if Disposition(d).is_stop]
    return min(
        [Disposition(assessment.disposition), *raising],
        key=lambda disposition: PRIORITY.get(disposition, len(PRIORITY)),
    )


@transaction.atomic
def share_withdraw(*, assessment: Assessment) -> Share | None:
    """Stop sharing `assessment`: its clinic's staff lose access at once. Returns the share
    withdrawn, or None when it was with no clinic (withdrawing twice is harmless).

    The row stays, to record where it was sent and when it was withdrawn; the contact details
    go with it, since nobody may use them any more.
    """
    Assessment.objects.select_for_update().only("pk").get(pk=assessment.pk)
    share = Share.objects.current().filter(assessment=assessment).first()
    if share is None:
        return None
    share.withdrawn_at = timezone.now()
    for field in CONTACT_FIELDS:
        setattr(share, field, ContactWay.NONE if field == "contact_way" else "")
    share.save(update_fields=["withdrawn_at", *CONTACT_FIELDS])
    _record_withdrawal(share, reason="stopped sharing")
    return share


def shares_withdraw_for_deletion(assessment_ids: Iterable) -> int:
    """Record the withdrawal of the current shares of assessments about to be deleted (their
    rows go with the assessment). Call inside the deleting transaction; returns how many."""
    shares = list(Share.objects.current().filter(assessment_id__in=list(assessment_ids)))
    for share in shares:
        _record_withdrawal(share, reason="deleted")
    return len(shares)


def _record_withdrawal(share: Share, *, reason: str) -> None:
    audit_event_record(
        actor=None,
        action=AuditEvent.Action.WITHDRAWN,
        assessment_id=share.assessment_id,
        clinic=share.clinic,
        details={"share": str(share.pk), "reason": reason},
    )


# Passed for `assigned_to` to leave the assignee as it is (None unassigns).
UNCHANGED = object()


@transaction.atomic
def share_review(
    *,
    share: Share,
    reviewer: AbstractBaseUser,
    status: str | None = None,
    note: str | None = None,
    message: str | None = None,
    assigned_to=UNCHANGED,
) -> Share:
    """Change the clinic's review of a queue item and record what changed in the audit trail.

    Arguments left out (None, or UNCHANGED for `assigned_to`) keep their current value. The
    stored row, locked for the transaction, is the "before" state. The audit entry says which
    fields changed and the status before and after, never the note's or the message's text.
    Nothing is saved or recorded when nothing changes. Raises ValidationError for an unknown
    status, too long a text, or an assignee who is not a member of the share's clinic, and
    ShareWithdrawn when the person withdrew it meanwhile.
    """
    # A withdrawn share is nobody's to review: staff lost it the moment it was withdrawn.
    current = Share.objects.current().select_for_update().filter(pk=share.pk).first()
    if current is None:
        raise ShareWithdrawn(str(share.pk))
    before = {
        "status": current.status,
        "staff_note": current.staff_note,
        "message_to_person": current.message_to_person,
        "assigned_to": current.assigned_to_id,
    }
    if status is not None:
        current.status = status
    if note is not None:
        current.staff_note = note
    if message is not None:
        current.message_to_person = message
    if assigned_to is not UNCHANGED:
        if (
            assigned_to is not None
            and not current.clinic.members.filter(pk=assigned_to.pk).exists()
        ):
            raise ValidationError({"assigned_to": "Only a member of this clinic's staff."})
        current.assigned_to = assigned_to
    after = {
        "status": current.status,
        "staff_note": current.staff_note,
        "message_to_person": current.message_to_person,
        "assigned_to": current.assigned_to_id,
    }
    if after == before:
        return current
    current.reviewed_by = reviewer
    current.reviewed_at = timezone.now()
    current.full_clean(validate_unique=False, validate_constraints=False)
    current.save(update_fields=[*REVIEW_FIELDS, "reviewed_by", "reviewed_at"])
    current.refresh_from_db(fields=["is_open"])
    audit_event_record(
        actor=reviewer,
        action=AuditEvent.Action.REVIEW_CHANGED,
        assessment_id=current.assessment_id,
        clinic=current.clinic,
        details=_review_details(current.pk, before, after, assignee=current.assigned_to),
    )
    return current


# How many queue items shares_review_in_bulk locks, changes and records at a time: SQLite and
# PostgreSQL bound the parameters of one statement; a batch's audit entries are one bulk insert
# (which Django cuts again where SQLite's bound needs it).
REVIEW_BATCH = 500


def shares_review_in_bulk(
    *,
    shares: QuerySet,
    reviewer: AbstractBaseUser,
    status: str | None = None,
    assigned_to=UNCHANGED,
) -> int:
    """Set the status or the assignee of every queue item in `shares` (a list action, perhaps
    over every page of a queue), as share_review does item by item, but a batch of items a
    statement. Returns how many changed.

    Each batch is a transaction of its own: its items are locked, changed, marked reviewed by
    `reviewer` and given the audit entry share_review writes for that change, together (one
    transaction for the whole action would hold every lock, and on SQLite the write lock, for
    as long as the action takes). Only items `reviewer` may see are changed
    (`Share.objects.visible_to`, the queue's one rule, whatever `shares` holds). Items
    withdrawn, or already in that state, are left alone and not recorded; so are, for an
    assignee, items of clinics they are not on the staff of (share_review's rule). Raises
    ValidationError for an unknown status.
    """
    if status is not None and status not in ReviewStatus.values:
        raise ValidationError({"status": f"Not a review status: {status!r}."})
    changes: dict = {}
    if status is not None:
        changes["status"] = status
    if assigned_to is not UNCHANGED:
        changes["assigned_to"] = assigned_to
    if not changes:
        return 0

    already = Q()
    if status is not None:
        already &= Q(status=status)
    if assigned_to is None:
        already &= Q(assigned_to__isnull=True)
    elif assigned_to is not UNCHANGED:
        already &= Q(assigned_to=assigned_to)

    def still_to_change(queryset: QuerySet) -> QuerySet:
        queryset = queryset.filter(withdrawn_at__isnull=True).exclude(already)
        if assigned_to is not None and assigned_to is not UNCHANGED:
            queryset = queryset.filter(clinic__in=assigned_to.clinics.values("pk"))
        return queryset

    # In the order of their keys, so two bulk changes of the same items lock them in the same
    # order and take turns rather than deadlock.
    visible = Share.objects.visible_to(reviewer).values("pk")
    ids = list(
        still_to_change(shares.filter(pk__in=visible)).order_by("pk").values_list("pk", flat=True)
    )
    assignee = changes.get("assigned_to")
    changed_to = {name: getattr(value, "pk", value) for name, value in changes.items()}
    clinics: dict = {}
    changed = 0
    for start in range(0, len(ids), REVIEW_BATCH):
        with transaction.atomic():
            # Read again under the lock, as share_review does: the rows locked are the "before"
            # state, whatever changed since the ids were read (a withdrawal, another reviewer).
            rows = list(
                still_to_change(Share.objects.filter(pk__in=ids[start : start + REVIEW_BATCH]))
                .select_for_update()
                .order_by("pk")
                .values_list("pk", "assessment_id", "clinic_id", "status", "assigned_to_id")
            )
            if not rows:
                continue
            Share.objects.filter(pk__in=[row[0] for row in rows]).update(
                **changes, reviewed_by=reviewer, reviewed_at=timezone.now()
            )
            missing = {row[2] for row in rows} - clinics.keys()
            if missing:
                clinics.update(Clinic.objects.in_bulk(missing))
            entries = []
            for pk, assessment_id, clinic_id, was_status, was_assigned in rows:
                before = {"status": was_status, "assigned_to": was_assigned}
                details = _review_details(pk, before, {**before, **changed_to}, assignee=assignee)
                entries.append((assessment_id, clinics[clinic_id], details))
            audit_events_record(
                actor=reviewer, action=AuditEvent.Action.REVIEW_CHANGED, entries=entries
            )
            changed += len(rows)
    return changed


def _review_details(share_id, before: dict, after: dict, *, assignee) -> dict:
    """The audit entry's details of a review changed from `before` to `after` (the review's
    fields by name; one that neither names is unchanged): which fields changed, the status
    before and after, the new assignee's username; never the note's or the message's words."""
    details: dict = {"share": str(share_id)}
    if after["status"] != before["status"]:
        details["status"] = [before["status"], after["status"]]
    if after.get("assigned_to") != before.get("assigned_to"):
        details["assigned_to"] = assignee.get_username() if assignee is not None else ""
    details["note_changed"] = after.get("staff_note") != before.get("staff_note")
    details["message_changed"] = after.get("message_to_person") != before.get("message_to_person")
    return details


@transaction.atomic
def share_raise_for_check(*, base: Assessment, disposition: Disposition, check_id) -> Share | None:
    """A later check of `base` (before or after a session, rulebook section 6) said `urgent`
    or `stop`: raise the base's queue item to that priority (never lower it), reopen it if
    closed, and notify the clinic like a new submission. Returns the share, or None when the
    base is with no clinic (never sent, or the person stopped sharing: then nothing goes).

    Any other disposition changes nothing here: the check just shows on the item's page.
    """
    disposition = Disposition(disposition)
    if not disposition.is_stop:
        return None
    share = Share.objects.current().select_for_update().filter(assessment=base).first()
    if share is None:
        return None
    now = timezone.now()
    before = {"disposition": share.disposition, "status": share.status}
    raised = PRIORITY[disposition] < PRIORITY.get(Disposition(share.disposition), len(PRIORITY))
    reopened = share.status == ReviewStatus.CLOSED
    if raised:
        share.disposition = disposition
    if raised or reopened:
        share.due_at = due_at(share.disposition, now)
    if reopened:
        share.status = ReviewStatus.NEW
    share.save(update_fields=["disposition", "due_at", "status"])
    share.refresh_from_db(fields=["priority", "is_open"])
    audit_event_record(
        actor=None,
        action=AuditEvent.Action.RAISED,
        assessment_id=base.pk,
        clinic=share.clinic,
        details={
            "share": str(share.pk),
            "check": str(check_id),
            "disposition": [before["disposition"], share.disposition],
            "status": [before["status"], share.status],
        },
    )
    # Every urgent or stop check, like a new submission (issue 15), even when the item is
    # already at that priority and open: it is new information about the person.
    notifications.clinic_notify(share=share, later_check=True)
    return share
