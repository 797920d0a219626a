"""{% error_summary form %}: the error summary at the top of every form page.

One helper for every form on the site (the privacy notice, the questionnaire's steps, sign-up,
log-in, the password forms, deleting an account), so each lists its problems the same way and
links each one to the field to fix.
"""

from django import forms, template
from django.core.exceptions import NON_FIELD_ERRORS

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


@register.inclusion_tag("includes/error_summary.html")
def error_summary(form: forms.Form) -> dict:
    return {"errors": error_rows(form)}
