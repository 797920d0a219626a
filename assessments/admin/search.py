"""Searching the admin by an assessment id."""

import uuid

from django.db.models import QuerySet
from django.http import HttpRequest


class AssessmentIdSearchMixin:
    """A search term that is a UUID matches that assessment id exactly (an index look-up),
    never by LIKE on the id's text; anything else goes to the admin's usual search."""

    assessment_id_field = "pk"

    def get_search_results(self, request: HttpRequest, queryset: QuerySet, search_term: str):
        try:
            wanted = uuid.UUID(search_term.strip())
        except ValueError:
            return super().get_search_results(request, queryset, search_term)
        return queryset.filter(**{self.assessment_id_field: wanted}), False
