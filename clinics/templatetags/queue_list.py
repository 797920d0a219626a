"""`{% queue_result_list cl %}`: Django's `{% result_list cl %}` with the queue's rows written
in one pass (clinics/admin/queue_rows.py), in the same template (change_list_results.html)."""

from django import template
from django.contrib.admin.templatetags.admin_list import result_headers, result_hidden_fields
from django.contrib.admin.templatetags.base import InclusionAdminNode

from clinics.admin.queue_rows import queue_rows

register = template.Library()


def queue_result_list(cl) -> dict:
    # As django.contrib.admin.templatetags.admin_list.result_list, but for the rows.
    headers = list(result_headers(cl))
    return {
        "cl": cl,
        "result_hidden_fields": list(result_hidden_fields(cl)),
        "result_headers": headers,
        "num_sorted_fields": sum(1 for h in headers if h["sortable"] and h["sorted"]),
        "results": list(queue_rows(cl)),
    }


@register.tag(name="queue_result_list")
def queue_result_list_tag(parser, token):
    return InclusionAdminNode(
        parser,
        token,
        func=queue_result_list,
        template_name="change_list_results.html",
        takes_context=False,
    )
