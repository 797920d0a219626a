"""Template filters that turn rulebook codes into their labels."""

from django import template

from assessments import rulebook

register = template.Library()


@register.filter
def level_label(level: str) -> str:
    return rulebook.LEVEL_LABELS.get(level, level)


@register.filter
def severity_label(severity: str) -> str:
    return rulebook.SEVERITY_LABELS.get(severity, severity)
