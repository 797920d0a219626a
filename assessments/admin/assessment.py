"""The operator's view of every assessment, sent to a clinic or not: superusers only.

Clinic staff never see this list: what reaches a clinic is in its queue (clinics/admin/queue.py).
Patient answers and scores are read-only, superusers included; the operator changes only the
review status and a note, through assessments.services.assessment_review. Every view of an
assessment's page, every review change and every export is written to the audit trail.
"""

import uuid

from django.contrib import admin, messages
from django.contrib.admin.views.main import ChangeList
from django.db.models import QuerySet
from django.db.models.fields.json import KT
from django.http import HttpRequest, HttpResponse
from django.utils import timezone
from django.utils.html import format_html, format_html_join

from assessments import rulebook
from assessments.admin.hierarchy import with_fast_date_hierarchy
from assessments.admin.pagination import EstimatedCountPaginator
from assessments.admin.rows import (
    NoNulInListParametersMixin,
    NotFoundOutsideQuerysetMixin,
    OperatorOnlyMixin,
    ValidSelectionMixin,
)
from assessments.admin.search import AssessmentIdSearchMixin
from assessments.audit import audit_event_record, audit_events_record_export
from assessments.exports import Column, write_assessments_csv, yes_no
from assessments.models import SNAPSHOT_JSON_FIELDS, Assessment, AuditEvent, ReviewStatus
from assessments.services import assessment_review

NEEDLE_LENGTH = rulebook.NEEDLE_LENGTH
EDITABLE_FIELDS = ("review_status", "staff_note")


def titled(filter_class: type[admin.FieldListFilter], title: str) -> type:
    """`filter_class` under a clinic-facing title instead of the field's name."""

    class Titled(filter_class):
        def __init__(self, *args, **kwargs):
            super().__init__(*args, **kwargs)
            self.title = title

    return Titled


class RulebookVersionFilter(admin.SimpleListFilter):
    """The rulebook versions the code knows, instead of a DISTINCT over the whole table."""

    title = "rulebook version"
    parameter_name = "rulebook_version"

    def lookups(self, request, model_admin):
        versions = set(rulebook.VERSIONS)
        if self.value():
            versions.add(self.value())
        return [(version, version) for version in sorted(versions, reverse=True)]

    def queryset(self, request, queryset):
        if self.value():
            return queryset.filter(rulebook_version=self.value())
        return queryset


class TriageChangeList(ChangeList):
    def get_queryset(self, request, exclude_parameters=None):
        # The JSON snapshot the list never shows: left in the database when listing.
        queryset = super().get_queryset(request, exclude_parameters).defer(*SNAPSHOT_JSON_FIELDS)
        # The date hierarchy from the created_at index, not a DISTINCT over every row.
        return with_fast_date_hierarchy(queryset)


def shown_object(response: HttpResponse):
    """The row whose change form `response` shows (with a person's answers), else None.

    A GET, and an invalid POST shown again with its errors, render the form; a saved POST is a
    redirect, and a saved POST from a pop-up a 200 that renders only the pop-up's closing script.
    """
    context = getattr(response, "context_data", None) or {}
    if response.status_code != 200 or "adminform" not in context:
        return None
    return context.get("original")


def who_label(assessment: Assessment) -> str:
    return assessment.owner.get_username() if assessment.owner_id else "anonymous"


# Columns the clinic's export adds to the shared ones (assessments.exports).
ADMIN_EXPORT_COLUMNS: list[Column] = [
    ("who", who_label),
    ("review_status", lambda a: a.review_status),
    ("review_status (label)", lambda a: a.get_review_status_display()),
    ("reviewed_by", lambda a: a.reviewed_by.get_username() if a.reviewed_by_id else ""),
    ("reviewed_at", lambda a: a.reviewed_at.isoformat() if a.reviewed_at else ""),
    ("staff_note", lambda a: a.staff_note),
]


@admin.register(Assessment)
class AssessmentAdmin(
    OperatorOnlyMixin,
    NotFoundOutsideQuerysetMixin,
    ValidSelectionMixin,
    NoNulInListParametersMixin,
    AssessmentIdSearchMixin,
    admin.ModelAdmin,
):
    list_display = (
        "created_at",
        "who",
        "disposition",
        "level",
        "hard_stop",
        "consult_flag",
        "needle",
        "review_status",
    )
    list_display_links = ("created_at",)
    list_select_related = ("owner",)
    list_filter = (
        ("disposition", titled(admin.ChoicesFieldListFilter, "disposition")),
        ("level", titled(admin.ChoicesFieldListFilter, "level")),
        ("consult_professional", titled(admin.BooleanFieldListFilter, "consult flag")),
        ("hard_stop", titled(admin.BooleanFieldListFilter, "hard stop")),
        ("review_status", titled(admin.ChoicesFieldListFilter, "review status")),
        RulebookVersionFilter,
        ("created_at", titled(admin.DateFieldListFilter, "created")),
    )
    date_hierarchy = "created_at"
    # Flagged and unreviewed first, then newest: served by the assessment_triage index.
    ordering = ("-needs_attention", "-created_at")
    search_fields = ("owner__username", "owner__email")
    search_help_text = "Username, email, or an assessment id (exact)."
    list_per_page = 50
    paginator = EstimatedCountPaginator
    show_full_result_count = False
    show_facets = admin.ShowFacets.NEVER
    view_on_site = False
    actions = ("mark_in_progress", "mark_follow_up", "mark_closed", "export_csv")

    fieldsets = (
        (
            "Result",
            {
                "fields": (
                    "created_at",
                    "who",
                    "disposition",
                    "level",
                    "points",
                    "hard_stop",
                    "consult_professional",
                    "rulebook_version",
                )
            },
        ),
        ("Why: the factors that fired", {"fields": ("factors_table",)}),
        ("What would lower the risk", {"fields": ("suggestions_table",)}),
        ("Answers", {"fields": ("answers_table",)}),
        (
            "Clinic review",
            {"fields": ("review_status", "staff_note", "reviewed_by", "reviewed_at")},
        ),
        ("Record", {"fields": ("id", "consent_at", "consent_notice_version")}),
    )

    # --- Permissions: the operator's, review only -------------------------------------------

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Assessment | None = None) -> bool:
        # Retention deletes old assessments; nobody deletes one by hand.
        return False

    def get_readonly_fields(self, request: HttpRequest, obj: Assessment | None = None):
        # Every field but the review ones, for everyone: answers and scores are the patient's.
        model_fields = [
            field.name
            for field in Assessment._meta.get_fields()
            if field.concrete and field.name not in EDITABLE_FIELDS
        ]
        return (
            *model_fields,
            "who",
            "factors_table",
            "suggestions_table",
            "answers_table",
        )

    # --- List -----------------------------------------------------------------------------

    def get_queryset(self, request: HttpRequest) -> QuerySet:
        queryset = super().get_queryset(request)
        return queryset.annotate(needle_code=KT(f"answers__{NEEDLE_LENGTH.key}"))

    def get_changelist(self, request: HttpRequest, **kwargs):
        return TriageChangeList

    @admin.display(description="Who")
    def who(self, assessment: Assessment) -> str:
        return who_label(assessment)

    @admin.display(description="Consult flag", boolean=True, ordering="consult_professional")
    def consult_flag(self, assessment: Assessment) -> bool:
        return assessment.consult_professional

    @admin.display(description="Needle length")
    def needle(self, assessment: Assessment) -> str:
        code = getattr(assessment, "needle_code", None)
        if code is None:
            code = assessment.answers.get(NEEDLE_LENGTH.key)
        return NEEDLE_LENGTH.describe(code) or "-"

    # --- Change page ----------------------------------------------------------------------

    @admin.display(description="Answers")
    def answers_table(self, assessment: Assessment) -> str:
        return _table(
            ("Question", "Answer"),
            [
                (row["question"], row["answer"])
                for row in rulebook.describe_answers(assessment.answers)
            ],
        )

    @admin.display(description="Factors")
    def factors_table(self, assessment: Assessment) -> str:
        rows = [
            (
                factor.rule_id,
                factor.title,
                factor.severity.label,
                factor.points,
                yes_no(factor.consult),
            )
            for factor in assessment.result.factors
        ]
        if not rows:
            return "No rule fired."
        return _table(("Rule", "Factor", "Severity", "Points", "Consult"), rows)

    @admin.display(description="Suggestions")
    def suggestions_table(self, assessment: Assessment) -> str:
        result = assessment.result
        rows = [
            (
                suggestion.change,
                suggestion.points,
                suggestion.level.label,
                suggestion.disposition.label,
                yes_no(suggestion.hard_stop),
            )
            for suggestion in result.lower_risk
        ]
        if not rows:
            return "None."
        together = result.all_changes
        if together is not None:
            rows.insert(
                0,
                (
                    "All the changes together",
                    together.points,
                    together.level.label,
                    together.disposition.label,
                    ", ".join(together.remaining_stops) or "no",
                ),
            )
        return _table(
            ("Change", "Points after", "Level after", "Disposition after", "Still a hard stop"),
            rows,
        )

    def change_view(self, request: HttpRequest, object_id: str, form_url="", extra_context=None):
        response = super().change_view(request, object_id, form_url, extra_context)
        shown = shown_object(response)
        if shown is not None:
            audit_event_record(
                actor=request.user, action=AuditEvent.Action.VIEWED, assessment_id=shown.pk
            )
        return response

    def save_model(self, request: HttpRequest, obj: Assessment, form, change: bool) -> None:
        reviewed = assessment_review(
            assessment=obj,
            reviewer=request.user,
            status=form.cleaned_data["review_status"],
            note=form.cleaned_data["staff_note"],
        )
        obj.reviewed_by, obj.reviewed_at = reviewed.reviewed_by, reviewed.reviewed_at

    # --- Actions --------------------------------------------------------------------------

    @admin.action(description="Mark selected assessments as in progress", permissions=["change"])
    def mark_in_progress(self, request: HttpRequest, queryset: QuerySet) -> None:
        self._set_status(request, queryset, ReviewStatus.IN_PROGRESS)

    @admin.action(description="Mark selected assessments as closed", permissions=["change"])
    def mark_closed(self, request: HttpRequest, queryset: QuerySet) -> None:
        self._set_status(request, queryset, ReviewStatus.CLOSED)

    @admin.action(
        description="Mark selected assessments as follow-up needed", permissions=["change"]
    )
    def mark_follow_up(self, request: HttpRequest, queryset: QuerySet) -> None:
        self._set_status(request, queryset, ReviewStatus.FOLLOW_UP)

    def _set_status(self, request: HttpRequest, queryset: QuerySet, status: ReviewStatus) -> None:
        changed = 0
        for assessment in queryset.exclude(review_status=status).select_related(None).only("pk"):
            assessment_review(assessment=assessment, reviewer=request.user, status=status)
            changed += 1
        self.message_user(
            request,
            f"{changed} assessment{'s' if changed != 1 else ''} marked as "
            f"\u201c{status.label}\u201d.",
            messages.SUCCESS,
        )

    @admin.action(description="Export selected assessments as CSV", permissions=["view"])
    def export_csv(self, request: HttpRequest, queryset: QuerySet) -> HttpResponse:
        response = HttpResponse(content_type="text/csv; charset=utf-8")
        response["Content-Disposition"] = (
            f'attachment; filename="assessments-{timezone.now():%Y%m%d-%H%M%S}.csv"'
        )
        response["Cache-Control"] = "no-store"
        # A byte-order mark, so spreadsheets read the labels' dashes and quotes as UTF-8.
        response.write("\ufeff")
        exported: list[uuid.UUID] = []

        def rows():
            assessments = queryset.defer(None).select_related("owner", "reviewed_by")
            for assessment in assessments.iterator(chunk_size=500):
                exported.append(assessment.pk)
                yield assessment

        write_assessments_csv(response, rows(), ADMIN_EXPORT_COLUMNS)
        audit_events_record_export(actor=request.user, assessment_ids=exported)
        return response


def _table(headers: tuple[str, ...], rows: list[tuple]) -> str:
    return format_html(
        "<table><thead><tr>{}</tr></thead><tbody>{}</tbody></table>",
        format_html_join("", '<th scope="col">{}</th>', ((header,) for header in headers)),
        format_html_join(
            "",
            "<tr>{}</tr>",
            ((format_html_join("", "<td>{}</td>", ((cell,) for cell in row)),) for row in rows),
        ),
    )
