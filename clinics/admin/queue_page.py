"""The queue's list page, for a GET: what Django's changelist view draws, in one template.

Django's view renders admin/change_list.html, which draws each part of the list (search, date
drill-down, actions, rows, pages, each filter) through an inclusion tag or a simple tag: a
template looked up by three names and a context built per part, about a tenth of the queue's
page, and the media and the action form worked out again for a page whose shape never changes.
Here the same ChangeList (Django's filters, search, drill-down, count and page) gives the same
values, worked out in Python, and admin/clinics/share/queue_page.html writes them, with the same
sub-templates where a part has one (the search form, the date drill-down).

Django's view still answers everything else: every POST (the actions), a popup, a list chosen
for another field, the list Django starts again (`?e=1`) and parameters it cannot show (it
redirects). tests/admin/test_queue_page.py holds the two pages equal.
"""

from django.contrib.admin.options import IncorrectLookupParameters
from django.contrib.admin.templatetags.admin_list import (
    date_hierarchy,
    pagination,
    search_form,
)
from django.contrib.admin.views.main import ERROR_FLAG, IS_POPUP_VAR, TO_FIELD_VAR
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest
from django.template.response import TemplateResponse
from django.utils.translation import gettext, ngettext

from clinics.templatetags.queue_list import queue_result_list

TEMPLATE = "admin/clinics/share/queue_page.html"

# Where Django's view answers a GET instead (see above).
NOT_HERE = (IS_POPUP_VAR, TO_FIELD_VAR, ERROR_FLAG)


class QueuePageMixin:
    """The list's GET from queue_page, wherever it can answer."""

    # False: Django's changelist view draws it too (the page the tests compare it with).
    list_page_of_its_own = True

    def changelist_view(self, request: HttpRequest, extra_context=None):
        if request.method in ("GET", "HEAD") and self.list_page_of_its_own:
            page = queue_page(self, request, extra_context)
            if page is not None:
                return page
        return super().changelist_view(request, extra_context)


def queue_page(model_admin, request: HttpRequest, extra_context=None):
    """The list's page for `request`, or None where Django's changelist view should answer."""
    if any(name in request.GET for name in NOT_HERE):
        return None
    if not model_admin.has_view_or_change_permission(request):
        raise PermissionDenied
    try:
        cl = model_admin.get_changelist_instance(request)
    except IncorrectLookupParameters:
        return None
    # As ModelAdmin.changelist_view builds its context for a GET without list_editable.
    cl.formset = None
    actions = model_admin.get_actions(request)
    media = model_admin.media
    action_form = None
    if actions:
        action_form = model_admin.action_form(auto_id=None)
        action_form.fields["action"].choices = model_admin.get_action_choices(request)
        media += action_form.media
    shown = len(cl.result_list)
    context = {
        **model_admin.admin_site.each_context(request),
        "module_name": str(cl.opts.verbose_name_plural),
        "selection_note": gettext("0 of %(cnt)s selected") % {"cnt": shown},
        "selection_note_all": selection_note_all(cl),
        "title": cl.title,
        "subtitle": None,
        "is_popup": False,
        "to_field": None,
        "cl": cl,
        "media": media,
        "has_add_permission": model_admin.has_add_permission(request),
        "opts": cl.opts,
        "action_form": action_form,
        "actions_on_top": model_admin.actions_on_top,
        "actions_on_bottom": model_admin.actions_on_bottom,
        "actions_selection_counter": model_admin.actions_selection_counter,
        "preserved_filters": cl.preserved_filters,
        # The parts, as the admin's tags work them out.
        **search_form(cl),
        "hierarchy": date_hierarchy(cl),
        **queue_result_list(cl),
        **pagination(cl),
        "filters": [(spec.title, list(spec.choices(cl))) for spec in cl.filter_specs],
        **(extra_context or {}),
    }
    request.current_app = model_admin.admin_site.name
    return TemplateResponse(request, TEMPLATE, context)


def selection_note_all(cl) -> str:
    """What the action bar says once every item on every page is selected."""
    if getattr(cl.paginator, "is_capped", False):
        # Django's says the count ("All 1,050 selected"), which is not known past the cap.
        return "All items on every page selected"
    note = ngettext("%(total_count)s selected", "All %(total_count)s selected", cl.result_count)
    return note % {"total_count": cl.result_count}
