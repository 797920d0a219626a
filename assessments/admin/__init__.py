"""The clinic's admin: assessment triage and review, and the superusers' audit log."""

from assessments.admin.assessment import AssessmentAdmin
from assessments.admin.audit import AuditEventAdmin

__all__ = ["AssessmentAdmin", "AuditEventAdmin"]
