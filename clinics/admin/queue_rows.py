"""The queue's rows, each written in one pass, with the HTML Django's admin writes.

Django's changelist renders a list cell by cell (`items_for_result`: a field look-up per cell,
the empty-value rule, a `format_html`, a reverse and a preserved-filters parse per row, and a
checkbox rendered through the form widget templates): at 50 rows that was about half the queue
page's time (docs/performance.md). Every queue column is a QueueAdmin method that returns text,
so a row here is those methods' values, escaped, in the same cells. A column that is not such a
method (none today) falls back to Django's own rendering, so a new column never breaks the list.
tests/admin/test_queue_rows.py holds both outputs equal.
"""

from collections.abc import Iterator
from html import escape

from django.contrib.admin.helpers import ACTION_CHECKBOX_NAME
from django.contrib.admin.templatetags.admin_list import ResultList, items_for_result
from django.contrib.admin.templatetags.admin_urls import add_preserved_filters
from django.contrib.admin.utils import display_for_value, quote
from django.contrib.admin.views.main import ChangeList
from django.urls import reverse
from django.utils.safestring import SafeData, SafeString, mark_safe
from django.utils.text import capfirst
from django.utils.translation import gettext

# Stands for a row's id in its link, reversed once a page instead of once a row (the change
# view's URL takes any text there).
_ID = "QUEUE-ROW-ID"


def queue_rows(cl: ChangeList) -> Iterator[ResultList]:
    """The page's rows for change_list_results.html, which writes each row's items in its
    <tr>: here one item per row, its cells written together."""
    admin = cl.model_admin
    columns = [(name, getattr(admin, name, None)) for name in cl.list_display]
    if cl.formset or cl.is_popup or not all(_is_text_column(m) for _, m in columns):
        for share in cl.result_list:
            yield ResultList(None, items_for_result(cl, share, None))
        return
    empty = admin.get_empty_value_display()
    link = reverse(
        f"admin:{cl.opts.app_label}_{cl.opts.model_name}_change",
        args=(_ID,),
        current_app=admin.admin_site.name,
    )
    # The filters the list was opened with, carried to each item's page (the same for every
    # row: it depends on the list's URL, not the row's).
    link = add_preserved_filters({"preserved_filters": cl.preserved_filters, "opts": cl.opts}, link)
    links = set(cl.list_display_links or ())
    select = gettext("Select this object for an action - {}")
    for share in cl.result_list:
        cells = []
        first_link = True
        for name, method in columns:
            if name == "action_checkbox":
                cells.append(_checkbox(share, select))
                continue
            value = _escaped(_shown(method(share), empty))
            if name in links:
                tag = "th" if first_link else "td"
                first_link = False
                url = _escaped(link.replace(_ID, quote(str(share.pk)), 1))
                cells.append(f'<{tag} class="field-{name}"><a href="{url}">{value}</a></{tag}>')
            else:
                cells.append(f'<td class="field-{name}">{value}</td>')
        # Every value above is escaped, or safe HTML from a column (marked so by format_html).
        # One item a row: the template's loop then writes 50 items a page, not 450.
        yield ResultList(None, [mark_safe("".join(cells))])  # noqa: S308


def header_cells(headers: list[dict]) -> SafeString:
    """The table's head cells as change_list_results.html writes them for columns that cannot
    be sorted (the queue's: `sortable_by = ()`)."""
    cells = []
    for header in headers:
        # Escaping first changes no first letter (it only rewrites & < > " ').
        text = capfirst(_escaped(header["text"]))
        cells.append(
            f'\n<th scope="col"{header["class_attrib"]}>\n   \n'
            f'   <div class="text"><span>{text}</span></div>\n'
            '   <div class="clear"></div>\n</th>'
        )
    # Every text escaped above, or safe HTML from Django's own headers (the select-all box).
    return mark_safe("".join(cells))  # noqa: S308


def _is_text_column(method) -> bool:
    """A ModelAdmin method column without the options that change how Django draws it."""
    return (
        callable(method)
        and not getattr(method, "boolean", False)
        and not hasattr(method, "empty_value_display")
    )


def _shown(value, empty: str):
    """As Django's display_for_value shows a column's value (a value of only spaces is empty),
    without its import and type checks for text, which every queue column returns."""
    if isinstance(value, str):
        return value if value.strip() else empty
    return display_for_value(value, empty)


def _checkbox(share, select: str) -> str:
    # What ModelAdmin.action_checkbox renders through the CheckboxInput widget's templates.
    label = select.format(_escaped(str(share)))  # the translation is trusted, as by format_html
    return (
        f'<td class="action-checkbox"><input type="checkbox" name="{ACTION_CHECKBOX_NAME}" '
        f'value="{_escaped(str(share.pk))}" class="action-select" aria-label="{label}"></td>'
    )


def markup(template: str, *values) -> SafeString:
    """`template` with `values` escaped into it: format_html's result for the list's columns,
    without its per-value lazy-string checks (about 12 µs a call, two calls a row)."""
    return mark_safe(template.format(*map(_escaped, values)))  # noqa: S308 (escaped above)


def _escaped(value) -> str:
    """`value` as HTML: as django.utils.html.conditional_escape writes it, which costs a
    lazy-string check per call (thousands a page) for the same standard-library escape."""
    if isinstance(value, SafeData):
        return str(value)
    return escape(str(value))
