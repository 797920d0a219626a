"""Row-level access in the admin: a row the list would not show is not found, by every URL;
the operator's pages do not exist for anyone else; bad list parameters are a 400, never a 500."""

from django.contrib.admin import helpers
from django.contrib.admin.utils import unquote
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponseBadRequest


class NotFoundOutsideQuerysetMixin:
    """Someone else's row answers 404, never the admin's "does not exist" redirect or a 403.

    Every object view (change, history, delete) looks the row up through `get_queryset`, the
    one row-level rule; a miss is a 404, whatever the method.
    """

    def _get_obj_does_not_exist_redirect(self, request, opts, object_id):
        raise Http404("Not found.")

    def delete_view(self, request: HttpRequest, object_id: str, extra_context=None):
        # Django asks for the delete permission (403) before looking the row up.
        if self.get_object(request, unquote(object_id)) is None:
            raise Http404("Not found.")
        return super().delete_view(request, object_id, extra_context)


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
        try:
            self.model._meta.pk.to_python(value)
        except ValidationError:
            return False
        return True


# Longer than anyone types; SQLite refuses a LIKE pattern of about 50,000 characters.
MAX_SEARCH_LENGTH = 200


class NoNulInListParametersMixin:
    """A list parameter holding a NUL byte is a 400: PostgreSQL refuses it in any text
    comparison (a filter's value, a search), which would otherwise be a 500. So is a search
    longer than MAX_SEARCH_LENGTH, which SQLite cannot turn into a pattern."""

    def changelist_view(self, request: HttpRequest, extra_context=None):
        for values in request.GET.lists():
            if any("\x00" in value for value in (values[0], *values[1])):
                return HttpResponseBadRequest("A parameter holds a NUL byte.")
        if len(request.GET.get("q", "")) > MAX_SEARCH_LENGTH:
            return HttpResponseBadRequest(
                f"A search can be at most {MAX_SEARCH_LENGTH} characters long."
            )
        return super().changelist_view(request, extra_context)


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
