"""The audit trail in the admin: superusers list and filter it; nobody adds, edits or deletes."""

import json

from django.contrib import admin
from django.http import HttpRequest
from django.urls import reverse
from django.utils.html import format_html

from assessments.admin.search import AssessmentIdSearchMixin
from assessments.models import AuditEvent


@admin.register(AuditEvent)
class AuditEventAdmin(AssessmentIdSearchMixin, admin.ModelAdmin):
    assessment_id_field = "assessment_id"
    list_display = ("at", "actor_username", "action", "assessment", "details_text")
    list_filter = (
        ("actor", admin.RelatedOnlyFieldListFilter),
        "action",
        ("at", admin.DateFieldListFilter),
    )
    date_hierarchy = "at"
    search_fields = ("=actor_username",)
    search_help_text = "A username (exact) or an assessment id (exact)."
    list_per_page = 100
    show_full_result_count = False
    show_facets = admin.ShowFacets.NEVER
    fields = ("at", "actor", "actor_username", "action", "assessment", "details_text")
    readonly_fields = fields

    def has_view_permission(self, request: HttpRequest, obj: AuditEvent | None = None) -> bool:
        return request.user.is_active and request.user.is_superuser

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: AuditEvent | None = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: AuditEvent | None = None) -> bool:
        return False

    @admin.display(description="Assessment")
    def assessment(self, event: AuditEvent) -> str:
        url = reverse("admin:assessments_assessment_change", args=[event.assessment_id])
        return format_html('<a href="{}">{}</a>', url, event.assessment_id)

    @admin.display(description="Details")
    def details_text(self, event: AuditEvent) -> str:
        return json.dumps(event.details, sort_keys=True)
