"""Clinics in the admin: the operator's (superusers') alone. Staff never see this page."""

from django.contrib import admin
from django.contrib.auth import get_user_model
from django.db.models import Count
from django.http import HttpRequest

from assessments.admin.rows import OperatorOnlyMixin, is_operator
from clinics.models import Clinic
from clinics.services import clinic_unassign_former_staff


@admin.register(Clinic)
class ClinicAdmin(OperatorOnlyMixin, admin.ModelAdmin):
    list_display = ("name", "slug", "is_active", "notify_email", "staff_count")
    list_filter = ("is_active",)
    search_fields = ("name", "slug")
    fields = ("name", "slug", "is_active", "phone", "email", "address", "notify_email", "members")
    filter_horizontal = ("members",)

    def get_queryset(self, request: HttpRequest):
        return super().get_queryset(request).annotate(members_count=Count("members"))

    @admin.display(description="Staff")
    def staff_count(self, clinic: Clinic) -> int:
        return clinic.members_count

    def formfield_for_manytomany(self, db_field, request, **kwargs):
        if db_field.name == "members":
            kwargs["queryset"] = get_user_model().objects.filter(is_staff=True).order_by("username")
        return super().formfield_for_manytomany(db_field, request, **kwargs)

    def save_related(self, request: HttpRequest, form, formsets, change: bool) -> None:
        super().save_related(request, form, formsets, change)
        unassigned = clinic_unassign_former_staff(clinic=form.instance)
        if unassigned:
            self.message_user(
                request,
                f"{unassigned} queue item{'s' if unassigned != 1 else ''} assigned to a removed "
                "member now assigned to nobody.",
            )

    def has_add_permission(self, request: HttpRequest) -> bool:
        return is_operator(request)

    def has_delete_permission(self, request: HttpRequest, obj: Clinic | None = None) -> bool:
        # What was sent to a clinic keeps its clinic (PROTECT): deactivate it instead.
        return False
