"""{% error_summary %}: the error summary at the top of every form page.

One helper for every form on the site (the privacy notice, the questionnaire's steps, sign-up,
log-in, the password forms, deleting an account), so each lists its problems the same way and
links each one to the field to fix.
"""

from django import forms, template
from django.core.exceptions import NON_FIELD_ERRORS
from django.template.loader import render_to_string

register = template.Library()


def error_rows(form: forms.Form) -> list[dict[str, str]]:
    """The form's errors as (anchor, label, message) rows; none for an unbound form.

    A radio or checkbox group is linked through its first option, the first thing a keyboard
    user can act on.
    """
    if not form.is_bound:
        return []
    rows = []
    for name, messages in form.errors.items():
        if name == NON_FIELD_ERRORS:
            rows += [{"anchor": "", "label": "", "message": m} for m in messages]
            continue
        field = form[name]
        anchor = field.auto_id
        if isinstance(field.field.widget, forms.RadioSelect | forms.CheckboxSelectMultiple):
            anchor = f"{anchor}_0"
        rows += [{"anchor": anchor, "label": field.label, "message": m} for m in messages]
    return rows


@register.simple_tag(takes_context=True)
def error_summary(context: template.Context) -> str:
    """The summary of the errors of the page's `form`, if it has a bound one (base.html).
    Looked up with context.get: most pages have no form, and a failed template lookup
    (`{% if form.is_bound %}`) costs several exceptions on every one of them."""
    form = context.get("form")
    if not getattr(form, "is_bound", False):
        return ""
    return render_to_string("includes/error_summary.html", {"errors": error_rows(form)})
