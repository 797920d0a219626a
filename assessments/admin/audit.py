"""The audit trail in the admin: each clinic's staff read their clinics' entries, superusers
(the operator) read them all; nobody adds, edits or deletes."""

from django.contrib import admin
from django.contrib.admin.views.main import ChangeList
from django.db.models import QuerySet
from django.http import HttpRequest
from django.urls import reverse
from django.utils.html import format_html

from assessments.admin.assessment import titled
from assessments.admin.rows import NoNulInListParametersMixin, NotFoundOutsideQuerysetMixin
from assessments.admin.search import AssessmentIdSearchMixin
from assessments.models import AuditEvent, ReviewStatus
from assessments.rulebook import Disposition


class AuditChangeList(ChangeList):
    def get_results(self, request):
        super().get_results(request)
        name_queue_items(request.user, self.result_list)


def name_queue_items(user, events) -> None:
    """Give each entry its queue item (`queue_item`, or None once deleted) and whether this
    viewer may open it (`queue_item_open`), in two queries for a page of entries.

    A withdrawn share's row stays, so an entry about it is still named by date and
    disposition, never by the result's id.
    """
    from clinics.models import Share

    events = [event for event in events if event.clinic_id]
    ids = {event.assessment_id for event in events}
    if not ids:
        return
    latest = {}
    for share in (
        Share.objects.filter(assessment_id__in=ids)
        .only("pk", "assessment_id", "clinic_id", "sent_at", "disposition", "withdrawn_at")
        .order_by("sent_at")
    ):
        latest[(share.assessment_id, share.clinic_id)] = share
    can_open = set(
        Share.objects.visible_to(user).filter(assessment_id__in=ids).values_list("pk", flat=True)
    )
    for event in events:
        event.queue_item = latest.get((event.assessment_id, event.clinic_id))
        event.queue_item_open = event.queue_item is not None and event.queue_item.pk in can_open


@admin.register(AuditEvent)
class AuditEventAdmin(
    NotFoundOutsideQuerysetMixin,
    NoNulInListParametersMixin,
    AssessmentIdSearchMixin,
    admin.ModelAdmin,
):
    assessment_id_field = "assessment_id"
    list_display = ("at", "actor_username", "action", "what", "clinic", "details_text")
    list_select_related = ("clinic",)
    list_filter = (
        ("actor", admin.RelatedOnlyFieldListFilter),
        "action",
        # "By date", not Django's "By at" (the field's name).
        ("at", titled(admin.DateFieldListFilter, "date")),
    )
    date_hierarchy = "at"
    search_fields = ("=actor_username",)
    search_help_text = "A username (exact) or a result's id (exact)."
    list_per_page = 100
    show_full_result_count = False
    show_facets = admin.ShowFacets.NEVER
    fields = ("at", "actor", "actor_username", "action", "what", "clinic", "details_text")
    readonly_fields = fields

    def get_queryset(self, request: HttpRequest) -> QuerySet:
        queryset = super().get_queryset(request)
        if request.user.is_superuser:
            return queryset
        # Staff read the entries of their own clinics only.
        return queryset.filter(clinic__in=request.user.clinics.values("pk"))

    def get_changelist(self, request: HttpRequest, **kwargs):
        return AuditChangeList

    def get_object(self, request: HttpRequest, object_id: str, from_field=None):
        event = super().get_object(request, object_id, from_field)
        if event is not None:
            name_queue_items(request.user, [event])
        return event

    def get_list_filter(self, request: HttpRequest):
        if request.user.is_superuser:
            return (*self.list_filter, ("clinic", admin.RelatedOnlyFieldListFilter))
        return self.list_filter

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: AuditEvent | None = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: AuditEvent | None = None) -> bool:
        return False

    @admin.display(description="What")
    def what(self, event: AuditEvent) -> str:
        if event.clinic_id is None:
            # The operator's view of a result nobody sent: only the id names it.
            url = reverse("admin:assessments_assessment_change", args=[event.assessment_id])
            return format_html('<a href="{}">Result {}</a>', url, event.assessment_id)
        share = getattr(event, "queue_item", None)
        if share is None:
            return "A result since deleted"
        if event.queue_item_open:
            url = reverse("admin:clinics_share_change", args=[share.pk])
            return format_html('<a href="{}">{}</a>', url, str(share))
        if share.withdrawn_at is not None:
            return f"{share} (withdrawn by the person)"
        return f"{share} (no longer in your queue)"

    @admin.display(description="Details")
    def details_text(self, event: AuditEvent) -> str:
        # In words for staff: "status: new → closed; note changed". The item is in "What";
        # a later check that raised it is named by the action, never by its id.
        words = []
        for key, value in sorted(event.details.items()):
            label = key.replace("_", " ")
            if key == "assigned_to" and not value:
                value = "nobody"
            if key in ("share", "check") or value is False or value in ("", None):
                continue
            if value is True:
                words.append(label)
            elif isinstance(value, list) and len(value) == 2:
                if value[0] == value[1]:
                    continue
                if key == "status":
                    value = [ReviewStatus(code).label for code in value]
                elif key == "disposition":
                    value = [Disposition(code).label for code in value]
                words.append(f"{label}: {value[0]} → {value[1]}")
            else:
                words.append(f"{label}: {value}")
        if not words and event.action == AuditEvent.Action.RAISED:
            return "already at this priority and open"
        return "; ".join(words)
