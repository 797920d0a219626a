"""The clinic's queue: the results people sent to a clinic, in the order to work them.

Staff see only the current shares to their own clinics (`Share.objects.visible_to`, the one
row-level rule), by every URL and method; anything else is a 404. They change only the review
(status, assignee, internal note, message to the person), through clinics.services.share_review
(an item's page) or shares_review_in_bulk (the list's actions, over any number of items).
Every view of an item's page and every export is in the audit trail, under the item's clinic.
"""

import uuid
from collections import defaultdict

from django import forms
from django.contrib import admin, messages
from django.contrib.admin.views.main import PAGE_VAR, SEARCH_VAR, ChangeList
from django.contrib.auth import get_user_model
from django.core.paginator import Paginator
from django.db.models import Q, QuerySet
from django.http import Http404, HttpRequest, HttpResponse
from django.urls import reverse
from django.utils import timezone
from django.utils.html import format_html, format_html_join

from assessments import rulebook
from assessments.admin.assessment import shown_object, titled
from assessments.admin.hierarchy import with_fast_date_hierarchy
from assessments.admin.pagination import CappedCountPaginator
from assessments.admin.rows import (
    NoNulInListParametersMixin,
    NotFoundOutsideQuerysetMixin,
    ValidSelectionMixin,
)
from assessments.audit import audit_event_record, audit_events_record_export
from assessments.exports import Column, write_assessments_csv, yes_no
from assessments.models import AuditEvent, ReviewStatus
from clinics.admin.item_page import (
    later_checks,
    other_results_sent_here,
    queue_neighbours,
    what_changed,
)
from clinics.admin.queue_cells import RAISED_REASON, column, local_time
from clinics.admin.queue_page import QueuePage
from clinics.admin.queue_rows import QueueRows, drawn_in_one_pass
from clinics.models import CONTACT_FIELDS, REVIEW_FIELDS, Clinic, Share
from clinics.services import ShareWithdrawn, share_review, shares_review_in_bulk
from scalpsafe.compiled_get import CompiledList

# The assessment's JSON an item's previous and next never need.
LIST_DEFERRED = (
    "assessment__answers",
    "assessment__factors",
    "assessment__lower_risk",
    "assessment__checklist",
    "assessment__all_changes",
    "staff_note",
    "message_to_person",
)


def _clinics(member_id: int | None = None) -> QuerySet:
    clinics = Clinic.objects.only("pk", "name", "slug", "is_active")
    return clinics if member_id is None else clinics.filter(members=member_id)


# A staff member's clinics, read by every page of the queue: the query compiled once.
_clinics_of_member = CompiledList(_clinics)


def user_clinics(request: HttpRequest) -> list[Clinic]:
    """The clinics whose queue the user works (every clinic for a superuser), once a request."""
    if clinics_read(request) is None:
        if request.user.is_superuser:
            request._queue_clinics = list(_clinics())
        else:
            request._queue_clinics = _clinics_of_member.list(request.user.pk)
    return request._queue_clinics


def clinics_read(request: HttpRequest) -> list[Clinic] | None:
    """The user's clinics if this request has read them already (user_clinics), else None."""
    return getattr(request, "_queue_clinics", None)


# --- Filters ----------------------------------------------------------------------------------


class OverdueFilter(admin.SimpleListFilter):
    title = "due"
    parameter_name = "overdue"

    def lookups(self, request, model_admin):
        return [("yes", "Overdue")]

    def queryset(self, request, queryset):
        if self.value() == "yes":
            return queryset.filter(is_open=True, due_at__lt=timezone.now())
        return queryset


class MineFilter(admin.SimpleListFilter):
    title = "assigned to"
    parameter_name = "assigned"

    def lookups(self, request, model_admin):
        return [("mine", "Mine"), ("nobody", "Nobody")]

    def queryset(self, request, queryset):
        if self.value() == "mine":
            return queryset.filter(assigned_to=request.user)
        if self.value() == "nobody":
            return queryset.filter(assigned_to__isnull=True)
        return queryset


class ClinicFilter(admin.SimpleListFilter):
    """Only for someone with several clinics; by slug, so a bad value matches nothing."""

    title = "clinic"
    parameter_name = "clinic"

    def lookups(self, request, model_admin):
        return [(clinic.slug, clinic.name) for clinic in user_clinics(request)]

    def queryset(self, request, queryset):
        if self.value():
            return queryset.filter(clinic__slug=self.value())
        return queryset


class QueueChangeList(ChangeList):
    def get_ordering(self, request, queryset):
        # Always the queue's order: Django's would drop it for any "o" parameter, valid or not.
        return list(Share._meta.ordering)

    def get_queryset(self, request, exclude_parameters=None):
        # QueueAdmin.get_queryset's rows (the join-free form: QueueAdmin.get_changelist_instance
        # read the user's clinics), without joining the result and the clinic: the list shows
        # neither. The assignee is for Django's drawing of the rows from Share models, where it
        # draws them (queue_rows.drawn_in_one_pass); the queue's own reads QueueRows.
        self.root_queryset = self.root_queryset.select_related(None).select_related("assigned_to")
        queryset = super().get_queryset(request, exclude_parameters)
        # The first and last sent_at from the share_sent index: the rows are one clinic's (or
        # a few), which the index leads with.
        return with_fast_date_hierarchy(queryset, walk_index=True)

    def get_results(self, request):
        super().get_results(request)
        if drawn_in_one_pass(self):
            # The page's items as the queue's cells read them (the actions select from the
            # queryset, not from these).
            self.result_list = QueueRows(self.result_list)


# --- The review form ----------------------------------------------------------------------------


class ShareReviewForm(forms.ModelForm):
    class Meta:
        model = Share
        fields = REVIEW_FIELDS

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if "assigned_to" in self.fields:
            # Only a member of this item's clinic can take it on.
            self.fields["assigned_to"].queryset = (
                get_user_model()
                .objects.filter(clinics=self.instance.clinic_id, is_active=True)
                .order_by(get_user_model().USERNAME_FIELD)
            )
            self.fields["assigned_to"].label_from_instance = lambda user: user.get_username()


# --- The export ---------------------------------------------------------------------------------


def _share_columns(shares: dict) -> list[Column]:
    def of(read):
        return lambda assessment: read(shares[assessment.pk])

    return [
        ("clinic", of(lambda s: s.clinic.slug)),
        ("sent_at", of(lambda s: s.sent_at.isoformat())),
        ("due_at", of(lambda s: s.due_at.isoformat() if s.due_at else "")),
        ("review_status", of(lambda s: s.status)),
        ("review_status (label)", of(lambda s: s.get_status_display())),
        ("assigned_to", of(lambda s: s.assigned_to.get_username() if s.assigned_to else "")),
        ("contact_way", of(lambda s: s.contact_way)),
        ("contact_name", of(lambda s: s.contact_name)),
        ("contact_email", of(lambda s: s.contact_email)),
        ("contact_phone", of(lambda s: s.contact_phone)),
        ("contact_time", of(lambda s: s.contact_time)),
        ("staff_note", of(lambda s: s.staff_note)),
        ("message_to_person", of(lambda s: s.message_to_person)),
    ]


# --- The admin ----------------------------------------------------------------------------------


@admin.register(Share)
class QueueAdmin(
    NotFoundOutsideQuerysetMixin,
    ValidSelectionMixin,
    NoNulInListParametersMixin,
    admin.ModelAdmin,
):
    form = ShareReviewForm
    # Eight columns: on a phone each item is a card of them (static/css/admin.css).
    list_display = (
        "sent",
        "disposition_shown",
        "reasons",
        "due",
        "status_shown",
        "assignee",
        "contact",
        "note",
    )
    list_display_links = ("sent",)
    # The queue's order only (Share.Meta.ordering, served by the share_queue index).
    sortable_by = ()
    date_hierarchy = "sent_at"
    search_fields = ("contact_name", "contact_email", "contact_phone")
    search_help_text = "Name, email or phone the person gave, or an exact id."
    list_per_page = 50
    paginator = CappedCountPaginator
    show_full_result_count = False
    show_facets = admin.ShowFacets.NEVER
    view_on_site = False
    actions = ("assign_to_me", "mark_in_progress", "mark_follow_up", "mark_closed", "export_csv")
    change_form_template = "admin/clinics/share/change_form.html"

    fieldsets = (
        ("Review", {"fields": ("status", "assigned_to", "message_to_person", "staff_note")}),
        (
            "Result",
            {"fields": ("sent", "due", "disposition_detail", "points_and_level", "clinic_name")},
        ),
        ("Why: the factors that fired", {"fields": ("factors_table",)}),
        ("Later checks, before and after sessions", {"fields": ("later_checks_table",)}),
        (
            "How to reach the person",
            {"fields": CONTACT_FIELDS},
        ),
        ("Answers", {"fields": ("answers_table",)}),
        ("Their other results sent to this clinic", {"fields": ("other_results",)}),
        ("Last review change", {"fields": ("reviewer", "reviewed")}),
    )
    readonly_fields = (
        "sent",
        "due",
        "disposition_detail",
        "points_and_level",
        "clinic_name",
        "factors_table",
        "later_checks_table",
        "contact_way",
        "contact_name",
        "contact_email",
        "contact_phone",
        "contact_time",
        "answers_table",
        "other_results",
        "reviewer",
        "reviewed",
    )

    # --- Rows and permissions -----------------------------------------------------------------

    def get_queryset(self, request: HttpRequest) -> QuerySet:
        # The same rows either way. Where the user's clinics are read already (the list reads
        # them first: get_changelist_instance), visible_to's join-free form: the database then
        # walks a clinic's share_queue index in the queue's order and stops after a page,
        # instead of joining every row it holds to the clinics and their members and sorting
        # them all. An item's page does not read them: one query fewer.
        return Share.objects.visible_to(request.user, clinics=clinics_read(request)).select_related(
            "assessment", "clinic", "assigned_to"
        )

    def get_changelist_instance(self, request: HttpRequest):
        # Before Django's ChangeList asks get_queryset for the list's rows: see there.
        user_clinics(request)
        return super().get_changelist_instance(request)

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Share | None = None) -> bool:
        # A share ends when the person withdraws it or deletes the result, never by staff.
        return False

    def get_actions(self, request: HttpRequest) -> dict:
        # Django asks three times a page (the list's checkbox column, the view, the action
        # form's choices), each time asking the user's permission for every action: fifteen
        # of the page's seventeen permission checks, each through every authentication
        # backend. Answered once a request.
        if not hasattr(request, "_queue_actions"):
            request._queue_actions = super().get_actions(request)
        return dict(request._queue_actions)

    def get_changelist(self, request: HttpRequest, **kwargs):
        return QueueChangeList

    def get_paginator(self, request: HttpRequest, queryset: QuerySet, per_page: int, **options):
        if request.GET.get(SEARCH_VAR, "").strip():
            # A search's count is shown beside it ("12 results"), so it is exact; it reads
            # the matching rows anyway.
            return Paginator(queryset, per_page, **options)
        return self.paginator(
            queryset,
            per_page,
            page=_page_asked(request),
            date_field=self.date_hierarchy,
            **options,
        )

    # Whether the everyday list page is written by QueuePage (else by the templates only).
    page_in_python = True

    def changelist_view(self, request: HttpRequest, extra_context=None):
        response = super().changelist_view(request, extra_context)
        context = getattr(response, "context_data", None) or {}
        cl = context.get("cl")
        if cl is not None and getattr(cl.paginator, "is_capped", False):
            # Django's note says the count ("All 1,050 selected"), which is not known here.
            context["selection_note_all"] = "All items on every page selected"
        if self.page_in_python and QueuePage.writes(context, request):
            # The same page as the templates draw, written in Python (clinics/admin/queue_page.py).
            response.template_name = QueuePage()
        return response

    def get_list_filter(self, request: HttpRequest):
        filters = [
            ("status", titled(admin.ChoicesFieldListFilter, "status")),
            OverdueFilter,
            MineFilter,
            ("disposition", titled(admin.ChoicesFieldListFilter, "disposition")),
        ]
        if len(user_clinics(request)) > 1:
            filters.append(ClinicFilter)
        return filters

    def get_search_results(self, request: HttpRequest, queryset: QuerySet, search_term: str):
        # An id (of the item or of the result) matches exactly, never by LIKE on its text.
        try:
            wanted = uuid.UUID(search_term.strip())
        except ValueError:
            return super().get_search_results(request, queryset, search_term)
        return queryset.filter(Q(pk=wanted) | Q(assessment_id=wanted)), False

    # --- List columns (clinics/admin/queue_cells.py) -----------------------------------------

    sent = column("sent", "Sent")
    disposition_shown = column("disposition_shown", "Disposition")
    reasons = column("reasons", "Reasons")
    due = column("due", "Due by")
    status_shown = column("status_shown", "Status")
    assignee = column("assignee", "Assignee")
    contact = column("contact", "Contact")
    note = column("note", "Their note")

    # --- Change page --------------------------------------------------------------------------

    @admin.display(description="Reviewed by")
    def reviewer(self, share: Share) -> str:
        # The name, not Django's link to the user's admin page, which clinic staff may not open.
        return share.reviewed_by.get_username() if share.reviewed_by_id else "-"

    @admin.display(description="Reviewed at")
    def reviewed(self, share: Share) -> str:
        # As the list and this page's "Sent" and "Due by" write times, not the admin's own
        # date format: one way of writing a time on the page.
        return local_time(share.reviewed_at) or "-"

    @admin.display(description="Clinic")
    def clinic_name(self, share: Share) -> str:
        # Words, not Django's link to the clinic's admin page, which is the operator's alone.
        return share.clinic.name

    @admin.display(description="Disposition")
    def disposition_detail(self, share: Share) -> str:
        # Raised by a later check, the item's disposition is not the result's: say so, or the
        # points, level and factors of the result sent below read as a contradiction.
        shown = share.get_disposition_display()
        assessment = share.assessment
        if share.disposition == assessment.disposition:
            return shown
        return (
            f"{shown}: {RAISED_REASON.lower()} (see \u201cLater checks\u201d below). "
            f"The result sent said: {assessment.get_disposition_display()}."
        )

    @admin.display(description="Points and level")
    def points_and_level(self, share: Share) -> str:
        assessment = share.assessment
        level, points = assessment.get_level_display(), assessment.points
        in_points = f"{points} point{'' if points == 1 else 's'}"
        if assessment.hard_stop:
            # A stop rule sets the level whatever the points, and carries none itself
            # (rulebook section 2): "0 points, High risk" read as a contradiction.
            besides = f" (plus {in_points} from other factors)" if points else ""
            return f"{level}, a reason to stop{besides}"
        return f"{in_points}, {level}"

    @admin.display(description="Factors")
    def factors_table(self, share: Share) -> str:
        rows = [
            (factor.title, factor.badge, factor.points, yes_no(factor.consult))
            for factor in share.assessment.result.factors
        ]
        if not rows:
            return "No rule fired."
        return table(("Factor", "How serious", "Points", "Consult"), rows)

    @admin.display(description="Checks, newest first")
    def later_checks_table(self, share: Share) -> str:
        rows = [
            (
                f"{row['date']:%d %b %Y}",
                row["kind"],
                row["disposition"],
                row["changed"],
                format_html_join(
                    "",
                    "<p>{}<br><strong>{}</strong></p>",
                    ((question, answer) for question, answer in row["answered"]),
                ),
                row["session"],
            )
            for row in later_checks(share)
        ]
        if not rows:
            return "None yet: the person has logged no check against this result."
        return table(
            (
                "Date",
                "Check",
                "Disposition",
                "What changed",
                "What they answered",
                "Logged or recorded",
            ),
            rows,
        )

    @admin.display(description="Answers")
    def answers_table(self, share: Share) -> str:
        return table(
            ("Question", "Answer"),
            [
                (row["question"], row["answer"])
                for row in rulebook.describe_answers(share.assessment.answers)
            ],
        )

    @admin.display(description="Other results")
    def other_results(self, share: Share) -> str:
        others = list(other_results_sent_here(share, within=share.viewers_queue))
        if not others:
            return "None: this is the only result they have sent to this clinic."
        who = (
            "From the same account."
            if share.assessment.owner_id
            else "Taken without an account in the same browser, which more than one person may use."
        )
        rows = []
        for other in others:
            link = format_html(
                '<a href="{}">{}</a>',
                reverse("admin:clinics_share_change", args=[other.pk]),
                str(other),
            )
            rows.append((link, other.get_status_display(), what_changed(share, other)))
        return format_html("<p>{}</p>{}", who, table(("Sent", "Status", "What changed"), rows))

    def get_object(self, request: HttpRequest, object_id: str, from_field=None):
        # Read once a request: the change page asks for it here and again in Django's view.
        cache = request.__dict__.setdefault("_queue_items", {})
        key = (object_id, from_field)
        if key not in cache:
            share = super().get_object(request, object_id, from_field)
            if share is not None:
                # What this viewer may see, for the item's "other results" (a display method,
                # which is given the item alone).
                share.viewers_queue = self.get_queryset(request)
            cache[key] = share
        return cache[key]

    def change_view(self, request: HttpRequest, object_id: str, form_url="", extra_context=None):
        share = self.get_object(request, object_id)
        extra_context = {**(extra_context or {})}
        if share is not None:
            extra_context["queue_neighbours"] = queue_neighbours(
                self.get_queryset(request).defer(*LIST_DEFERRED), share
            )
            extra_context["title"] = f"Queue item, {share.clinic}"
        response = super().change_view(request, object_id, form_url, extra_context)
        # The page with the person's answers (a GET, or a form shown again after an invalid
        # POST): this person saw them.
        if share is not None and shown_object(response) is not None:
            audit_event_record(
                actor=request.user,
                action=AuditEvent.Action.VIEWED,
                assessment_id=share.assessment_id,
                clinic=share.clinic,
                details={"share": str(share.pk)},
            )
        return response

    def save_model(self, request: HttpRequest, obj: Share, form, change: bool) -> None:
        data = form.cleaned_data
        try:
            reviewed = share_review(
                share=obj,
                reviewer=request.user,
                status=data["status"],
                note=data["staff_note"],
                message=data["message_to_person"],
                assigned_to=data["assigned_to"],
            )
        except ShareWithdrawn:
            # Withdrawn between the page and the save: it is no longer this clinic's.
            raise Http404("Not found.") from None
        obj.reviewed_by, obj.reviewed_at = reviewed.reviewed_by, reviewed.reviewed_at

    # --- Actions ------------------------------------------------------------------------------

    @admin.action(description="Assign to me", permissions=["change"])
    def assign_to_me(self, request: HttpRequest, queryset: QuerySet) -> None:
        # Only items of the user's own clinics: the service leaves the others, counted here.
        skipped = queryset.exclude(clinic__in=request.user.clinics.values("pk")).count()
        assigned = shares_review_in_bulk(
            shares=queryset, reviewer=request.user, assigned_to=request.user
        )
        self.message_user(request, f"{_items(assigned)} assigned to you.", messages.SUCCESS)
        if skipped:
            self.message_user(
                request,
                f"{_items(skipped)} not assigned: you are not on that clinic's staff.",
                messages.WARNING,
            )

    @admin.action(description="Mark as in progress", permissions=["change"])
    def mark_in_progress(self, request: HttpRequest, queryset: QuerySet) -> None:
        self._set_status(request, queryset, ReviewStatus.IN_PROGRESS)

    @admin.action(description="Mark as follow-up needed", permissions=["change"])
    def mark_follow_up(self, request: HttpRequest, queryset: QuerySet) -> None:
        self._set_status(request, queryset, ReviewStatus.FOLLOW_UP)

    @admin.action(description="Mark as closed", permissions=["change"])
    def mark_closed(self, request: HttpRequest, queryset: QuerySet) -> None:
        self._set_status(request, queryset, ReviewStatus.CLOSED)

    def _set_status(self, request: HttpRequest, queryset: QuerySet, status: ReviewStatus) -> None:
        changed = shares_review_in_bulk(shares=queryset, reviewer=request.user, status=status)
        self.message_user(
            request, f"{_items(changed)} marked as \u201c{status.label}\u201d.", messages.SUCCESS
        )

    @admin.action(description="Export as CSV", permissions=["view"])
    def export_csv(self, request: HttpRequest, queryset: QuerySet) -> HttpResponse:
        response = HttpResponse(content_type="text/csv; charset=utf-8")
        response["Content-Disposition"] = (
            f'attachment; filename="queue-{timezone.now():%Y%m%d-%H%M%S}.csv"'
        )
        response["Cache-Control"] = "no-store"
        # A byte-order mark, so spreadsheets read the labels' dashes and quotes as UTF-8.
        response.write("\ufeff")
        shares = {
            share.assessment_id: share
            for share in queryset.defer(None).select_related("assessment", "clinic", "assigned_to")
        }
        assessments = [share.assessment for share in shares.values()]
        write_assessments_csv(response, assessments, _share_columns(shares))
        by_clinic: dict[Clinic, list] = defaultdict(list)
        for share in shares.values():
            by_clinic[share.clinic].append(share.assessment_id)
        for clinic, ids in by_clinic.items():
            audit_events_record_export(actor=request.user, assessment_ids=ids, clinic=clinic)
        return response


def _page_asked(request: HttpRequest) -> int:
    # As Django's ChangeList reads it: anything but a whole number is the first page.
    try:
        return int(request.GET.get(PAGE_VAR, 1))
    except ValueError:
        return 1


def _items(count: int) -> str:
    return f"{count:,} item{'s' if count != 1 else ''}"


def table(headers: tuple[str, ...], rows: list[tuple]) -> str:
    return format_html(
        "<table><thead><tr>{}</tr></thead><tbody>{}</tbody></table>",
        format_html_join("", '<th scope="col">{}</th>', ((header,) for header in headers)),
        format_html_join(
            "",
            "<tr>{}</tr>",
            ((format_html_join("", "<td>{}</td>", ((cell,) for cell in row)),) for row in rows),
        ),
    )
