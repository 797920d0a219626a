"""The audit trail in the admin: each clinic's staff read their clinics' entries, superusers
(the operator) read them all; nobody adds, edits or deletes."""

import json

from django.contrib import admin
from django.contrib.admin.views.main import ChangeList
from django.db.models import QuerySet
from django.http import HttpRequest
from django.urls import reverse
from django.utils.html import format_html

from assessments.admin.rows import NoNulInListParametersMixin, NotFoundOutsideQuerysetMixin
from assessments.admin.search import AssessmentIdSearchMixin
from assessments.models import AuditEvent


class AuditChangeList(ChangeList):
    def get_results(self, request):
        super().get_results(request)
        # Name each entry's queue item, if it is still there, in one query for the page.
        from clinics.models import Share

        ids = {event.assessment_id for event in self.result_list if event.clinic_id}
        shares = {
            (share.assessment_id, share.clinic_id): share
            for share in Share.objects.visible_to(request.user)
            .filter(assessment_id__in=ids)
            .only("pk", "assessment_id", "clinic_id", "sent_at", "disposition")
        }
        for event in self.result_list:
            event.queue_item = shares.get((event.assessment_id, event.clinic_id))


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
        ("at", admin.DateFieldListFilter),
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
        if hasattr(event, "queue_item"):
            share = event.queue_item
        else:  # one entry's own page
            from clinics.models import Share

            share = (
                Share.objects.current()
                .filter(assessment_id=event.assessment_id, clinic_id=event.clinic_id)
                .first()
            )
        if share is not None:
            url = reverse("admin:clinics_share_change", args=[share.pk])
            return format_html('<a href="{}">{}</a>', url, str(share))
        if event.clinic_id is None:
            url = reverse("admin:assessments_assessment_change", args=[event.assessment_id])
            return format_html('<a href="{}">Result {}</a>', url, event.assessment_id)
        return f"Result {event.assessment_id} (no longer in the queue)"

    @admin.display(description="Details")
    def details_text(self, event: AuditEvent) -> str:
        # The item's id is in "What", by its name.
        shown = {key: value for key, value in event.details.items() if key != "share"}
        return json.dumps(shown, sort_keys=True) if shown else ""
