"""Rulebook facts a template needs that no saved result carries."""

from django import template

from assessments import rulebook

register = template.Library()


@register.simple_tag
def band_summary() -> str:
    """The level bands in words, from the rulebook's thresholds (never typed in a template)."""
    moderate, high = rulebook.MODERATE_MIN_POINTS, rulebook.HIGH_MIN_POINTS
    return (
        f"lower risk 0\u2013{moderate - 1} points, moderate {moderate}\u2013{high - 1}, "
        f"high {high} or more"
    )
