"""Template filters that turn rulebook codes into their labels."""

from django import template

from assessments import rulebook

register = template.Library()


register.filter("level_label", rulebook.level_label)
register.filter("severity_label", rulebook.severity_label)


@register.simple_tag
def band_summary() -> str:
    """The level bands in words, from the rulebook's thresholds (never typed in a template)."""
    moderate, high = rulebook.MODERATE_MIN_POINTS, rulebook.HIGH_MIN_POINTS
    return (
        f"lower risk 0\u2013{moderate - 1} points, moderate {moderate}\u2013{high - 1}, "
        f"high {high} or more"
    )
