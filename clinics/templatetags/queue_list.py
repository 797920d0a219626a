"""`{% queue_result_list cl %}`: Django's `{% result_list cl %}` with the queue's rows written
in one pass (clinics/admin/queue_rows.py), and its table's head and body each written as one
piece (admin/clinics/share/queue_results.html) rather than cell by cell in a template loop."""

from django import template
from django.contrib.admin.templatetags.admin_list import result_headers, result_hidden_fields
from django.contrib.admin.templatetags.base import InclusionAdminNode
from django.utils.html import conditional_escape
from django.utils.safestring import mark_safe

from clinics.admin.queue_rows import header_cells, queue_rows

register = template.Library()


def queue_result_list(cl) -> dict:
    # As django.contrib.admin.templatetags.admin_list.result_list, but for the rows.
    headers = list(result_headers(cl))
    results = list(queue_rows(cl))
    context = {
        "cl": cl,
        "result_hidden_fields": list(result_hidden_fields(cl)),
        "result_headers": headers,
        "num_sorted_fields": sum(1 for h in headers if h["sortable"] and h["sorted"]),
        "results": results,
    }
    if not context["result_hidden_fields"] and not any(h["sortable"] for h in headers):
        # The queue's own case (no sorting, no inline forms): what change_list_results.html
        # writes for it, in two pieces. Anything else is drawn by Django's template.
        context["header_cells"] = header_cells(headers)
        # Each row's items are safe HTML already (queue_rows escapes every value);
        # conditional_escape leaves them as they are and would escape anything that is not.
        context["body_rows"] = mark_safe(  # noqa: S308
            "\n".join(f"<tr>{''.join(map(conditional_escape, row))}</tr>" for row in results)
        )
    return context


@register.tag(name="queue_result_list")
def queue_result_list_tag(parser, token):
    return InclusionAdminNode(
        parser,
        token,
        func=queue_result_list,
        template_name="queue_results.html",
        takes_context=False,
    )
