"""Row-level access in the admin: a row the list would not show is not found, by every URL;
the operator's pages do not exist for anyone else; bad list parameters, ids and selections are
a 400 or a 404, never a 500.

`harden_admin_site` gives every admin on the site (Django's, django-axes', the task queue's,
and any added later) the mixins here that it does not list itself.
"""

from datetime import UTC, datetime, timedelta

from django.conf import settings
from django.contrib import messages
from django.contrib.admin import AdminSite, helpers, site
from django.contrib.admin.options import TO_FIELD_VAR
from django.contrib.admin.utils import unquote
from django.contrib.admin.views.main import ERROR_FLAG
from django.contrib.contenttypes.models import ContentType
from django.contrib.contenttypes.views import shortcut
from django.core.exceptions import ValidationError
from django.db import connections, router
from django.db.models import Field, Model
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseBadRequest
from django.utils.timezone import make_aware


class NotFoundOutsideQuerysetMixin:
    """Someone else's row answers 404, never the admin's "does not exist" redirect or a 403.

    Every object view (change, history, delete) looks the row up through `get_queryset`, the
    one row-level rule; a miss is a 404, whatever the method.
    """

    def _get_obj_does_not_exist_redirect(self, request, opts, object_id):
        raise Http404("Not found.")

    # Django asks for the permission (a 403) before looking the row up: an id that names no
    # row the list shows (not an id at all, say) is a 404 first, whatever the permissions.

    def changeform_view(
        self, request: HttpRequest, object_id=None, form_url="", extra_context=None
    ):
        if object_id is not None:
            self._found_or_404(request, object_id)
        return super().changeform_view(request, object_id, form_url, extra_context)

    def history_view(self, request: HttpRequest, object_id: str, extra_context=None):
        self._found_or_404(request, object_id)
        return super().history_view(request, object_id, extra_context)

    def delete_view(self, request: HttpRequest, object_id: str, extra_context=None):
        self._found_or_404(request, object_id)
        return super().delete_view(request, object_id, extra_context)

    def _found_or_404(self, request: HttpRequest, object_id: str) -> None:
        to_field = request.POST.get(TO_FIELD_VAR, request.GET.get(TO_FIELD_VAR))
        if to_field and not self.to_field_allowed(request, to_field):
            return  # Django answers that itself: a 400
        object_id = unquote(object_id)
        if not to_field and not is_storable_key(self.model, object_id):
            raise Http404("Not found.")
        if self.get_object(request, object_id, to_field) is None:
            raise Http404("Not found.")


class ValidSelectionMixin:
    """An action's selection that is not an id of this model is left out, not a 500.

    Django filters `pk__in` on the posted values as they are; with a UUID primary key a
    malformed value raises a ValidationError in the middle of the action.
    """

    def response_action(self, request: HttpRequest, queryset):
        selected = request.POST.getlist(helpers.ACTION_CHECKBOX_NAME)
        valid = [value for value in selected if self._is_primary_key(value)]
        if valid != selected:
            post = request.POST.copy()
            post.setlist(helpers.ACTION_CHECKBOX_NAME, valid)
            request.POST = post
        return super().response_action(request, queryset)

    def _is_primary_key(self, value: str) -> bool:
        return is_storable_key(self.model, value)


def is_storable_key(model: type[Model], value: str) -> bool:
    """Whether `value` can be looked up as `model`'s primary key without the database failing:
    of the key's type, within an integer column's range, no NUL byte (PostgreSQL refuses one)."""
    field: Field = model._meta.pk
    if "\x00" in value:
        return False
    try:
        key = field.to_python(value)
    except ValidationError:
        return False
    if isinstance(key, int):
        ops = connections[router.db_for_read(model)].ops
        low, high = ops.integer_field_range(field.get_internal_type())
        return (low is None or key >= low) and (high is None or key <= high)
    return key is not None


# Longer than anyone types; SQLite refuses a LIKE pattern of about 50,000 characters.
MAX_SEARCH_LENGTH = 200


class NoNulInListParametersMixin:
    """A list parameter holding a NUL byte is a 400: PostgreSQL refuses it in any text
    comparison (a filter's value, a search), which would otherwise be a 500. So is a search
    longer than MAX_SEARCH_LENGTH, which SQLite cannot turn into a pattern, and a date
    drill-down that names no period Django can compute (year 9999's December ends in 10000).
    A list Django started again (its `?e=1`) says so."""

    def changelist_view(self, request: HttpRequest, extra_context=None):
        for values in request.GET.lists():
            if any("\x00" in value for value in (values[0], *values[1])):
                return HttpResponseBadRequest("A parameter holds a NUL byte.")
        if len(request.GET.get("q", "")) > MAX_SEARCH_LENGTH:
            return HttpResponseBadRequest(
                f"A search can be at most {MAX_SEARCH_LENGTH} characters long."
            )
        if self.date_hierarchy and not drill_down_is_valid(request, self.date_hierarchy):
            return HttpResponseBadRequest("That date is out of range.")
        if not date_parts_are_valid(request):
            return HttpResponseBadRequest("That date is out of range.")
        response = super().changelist_view(request, extra_context)
        restarted = f"{request.path}?{ERROR_FLAG}=1"
        if (
            ERROR_FLAG not in request.GET
            and response.status_code == 302
            and response.get("Location") == restarted
        ):
            # Django sends a list it cannot show as asked (a page past its end, a filter it
            # does not have) to its first page, unfiltered, without a word: say why, once, as
            # it does so (an action run from that page redirects to it again: no note then).
            messages.warning(request, LIST_STARTED_AGAIN)
        return response


LIST_STARTED_AGAIN = (
    "That page or filter does not exist (the list may have changed since), so the list starts "
    "again from its first page, with no filters."
)


# A date part any date field can be filtered by in the URL (`due_at__year=0`), and the values
# whose period Django can compute: a year from 1 to 9998 (the next year's start must exist).
DATE_PARTS = {
    "year": range(1, 9999),
    "iso_year": range(1, 9999),
    "month": range(1, 13),
    "day": range(1, 32),
    "week": range(1, 54),
    "week_day": range(1, 8),
    "iso_week_day": range(1, 8),
    "quarter": range(1, 5),
}


def date_parts_are_valid(request: HttpRequest) -> bool:
    """Whether every `<field>__<date part>` parameter (of any field, not only the date
    hierarchy's) is a whole number in its range: Django lets year 0 or 99999 through to a
    ValueError (a 500) when it computes the year's bounds."""
    for key, values in request.GET.lists():
        part = key.rsplit("__", 1)[-1] if "__" in key else ""
        allowed = DATE_PARTS.get(part)
        if allowed is None:
            continue
        for value in values:
            try:
                if int(value) not in allowed:
                    return False
            except (ValueError, OverflowError):
                return False
    return True


def drill_down_is_valid(request: HttpRequest, field: str) -> bool:
    """Whether the date hierarchy's `field__year`/`__month`/`__day` name a period whose bounds
    Django can compute and the database can store, as ChangeList.get_filters computes them:
    Django catches only a ValueError in the first day, and none in the next period's start."""
    year, month, day = (
        request.GET.getlist(f"{field}__{part}") for part in ("year", "month", "day")
    )
    if not year:
        return True
    try:
        start = datetime(int(year[-1]), int(month[-1] if month else 1), int(day[-1] if day else 1))
        if day:
            end = start + timedelta(days=1)
        elif month:
            end = (start + timedelta(days=32)).replace(day=1)
        else:
            end = start.replace(year=start.year + 1)
        if settings.USE_TZ:
            # In UTC, as stored: the first hours of year 1 east of Greenwich are in year 0.
            for bound in (start, end):
                make_aware(bound).astimezone(UTC)
    except (ValueError, OverflowError):
        return False
    return True


def is_operator(request: HttpRequest) -> bool:
    """The people who run ScalpSafe: active superusers."""
    return request.user.is_active and request.user.is_superuser


class OperatorOnlyMixin:
    """The operator's pages (every assessment, the clinics): for anyone else they do not exist.
    A 404, as for a row they may not see, rather than a 403 that says the page is there."""

    def has_module_permission(self, request: HttpRequest) -> bool:
        return is_operator(request)

    def has_view_permission(self, request: HttpRequest, obj=None) -> bool:
        return is_operator(request)

    def has_change_permission(self, request: HttpRequest, obj=None) -> bool:
        return is_operator(request)

    def changelist_view(self, request: HttpRequest, extra_context=None):
        _operator_or_404(request)
        return super().changelist_view(request, extra_context)

    def changeform_view(
        self, request: HttpRequest, object_id=None, form_url="", extra_context=None
    ):
        _operator_or_404(request)
        return super().changeform_view(request, object_id, form_url, extra_context)

    def history_view(self, request: HttpRequest, object_id: str, extra_context=None):
        _operator_or_404(request)
        return super().history_view(request, object_id, extra_context)

    def delete_view(self, request: HttpRequest, object_id: str, extra_context=None):
        _operator_or_404(request)
        return super().delete_view(request, object_id, extra_context)


def _operator_or_404(request: HttpRequest) -> None:
    if not is_operator(request):
        raise Http404("Not found.")


# Every admin gets these, in this order, unless it lists them itself.
HARDENING = (NotFoundOutsideQuerysetMixin, ValidSelectionMixin, NoNulInListParametersMixin)


def harden_admin_site(site: AdminSite) -> None:
    """Register each admin on `site` again with the HARDENING mixins it lacks, so an admin
    that comes from a package (auth's users, axes' log-in records, the task queue's results)
    answers bad parameters, ids and selections as ours do. Call once every admin is registered.
    """
    for model, model_admin in list(site._registry.items()):
        admin_class = type(model_admin)
        missing = tuple(mixin for mixin in HARDENING if not issubclass(admin_class, mixin))
        if missing:
            hardened = type(f"Hardened{admin_class.__name__}", (*missing, admin_class), {})
            site.unregister(model)
            site.register(model, hardened)


def view_on_site(request: HttpRequest, content_type_id: str, object_id: str) -> HttpResponse:
    """Django's "view on site" shortcut (/admin/r/<content type>/<id>/), for a row this user's
    admin list shows; anything else is a 404, an id not of the model's key type included
    (Django lets that ValidationError through as a 500)."""
    try:
        content_type = ContentType.objects.get_for_id(int(content_type_id))
    except (ValueError, OverflowError, ContentType.DoesNotExist):
        raise Http404("Not found.") from None
    model = content_type.model_class()
    model_admin = site._registry.get(model)
    if (
        model_admin is None
        or not is_storable_key(model, object_id)
        or not model_admin.has_view_or_change_permission(request)
        or model_admin.get_object(request, object_id) is None
    ):
        raise Http404("Not found.")
    return shortcut(request, content_type_id, object_id)
