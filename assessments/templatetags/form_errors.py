"""{% error_summary form %}: the error summary at the top of any form page."""

from django import template

from assessments.forms import error_summary as summarise

register = template.Library()


@register.inclusion_tag("includes/error_summary.html")
def error_summary(form) -> dict:
    return {"errors": summarise(form) if form.is_bound else []}
