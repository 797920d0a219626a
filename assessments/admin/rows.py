"""Row-level access in the admin: a row the list would not show is not found, by every URL."""

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


class NoNulInListParametersMixin:
    """A list parameter holding a NUL byte is a 400: PostgreSQL refuses it in any text
    comparison (a filter's value, a search), which would otherwise be a 500."""

    def changelist_view(self, request: HttpRequest, extra_context=None):
        for values in request.GET.lists():
            if any("\x00" in value for value in (values[0], *values[1])):
                return HttpResponseBadRequest("A parameter holds a NUL byte.")
        return super().changelist_view(request, extra_context)
