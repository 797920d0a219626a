"""The queue's rows, each written in one pass, with the HTML Django's admin writes.

Django's changelist renders a list cell by cell (`items_for_result`: a field look-up per cell,
the empty-value rule, a `format_html`, a reverse and a preserved-filters parse per row, and a
checkbox rendered through the form widget templates): at 50 rows that was about half the queue
page's time (docs/performance.md). Every queue column is a QueueAdmin method that returns text,
so a row here is those methods' values, escaped, in the same cells: the queue's columns are
`Cells` methods (clinics/admin/queue_cells.py), called on one `Cells` a page. A list with any
other column, a popup or inline editing is drawn by Django (`drawn_in_one_pass`), from Share
models, so a new column never breaks the list.
tests/admin/test_queue_rows.py holds both outputs equal.

Drawn in one pass, the page's items are read as `QueueRow`s, not as Share models: one tuple of
the columns' values a row, instead of a model and its assignee's model each built field by
field (about a third of the time the rows took to read, docs/performance.md).
"""

from collections.abc import Iterator, Sequence

from django.contrib.admin.helpers import ACTION_CHECKBOX_NAME
from django.contrib.admin.templatetags.admin_list import ResultList, items_for_result
from django.contrib.admin.templatetags.admin_urls import add_preserved_filters
from django.contrib.admin.utils import display_for_value
from django.contrib.admin.views.main import ChangeList
from django.contrib.auth import get_user_model
from django.db.models import Model, QuerySet
from django.urls import reverse
from django.utils.functional import cached_property
from django.utils.safestring import SafeString, mark_safe
from django.utils.text import capfirst
from django.utils.translation import gettext

from clinics.admin.queue_cells import Cells, escaped
from clinics.models import Share

# Stands for a row's id in its link, reversed once a page instead of once a row (the change
# view's URL takes any text there).
_ID = "QUEUE-ROW-ID"


class Assignee:
    """Who an item is assigned to, as the list shows them: the name they log in with."""

    __slots__ = ("pk", "name")

    def __init__(self, pk, name: str) -> None:
        self.pk, self.name = pk, name

    def get_username(self) -> str:
        return self.name

    def __str__(self) -> str:
        return self.name


class QueueRow:
    """One item of the list's page: the share's fields its columns read, and the Share methods
    they call (the same functions, so a label or a time is written one way)."""

    __slots__ = (
        "id",
        "sent_at",
        "disposition",
        "result_disposition",
        "queue_reasons",
        "due_at",
        "is_open",
        "status",
        "assigned_to_id",
        "assigned_to",
        "contact_way",
        "has_note",
    )
    # What each slot is read from: for the assignee, the name they log in with.
    FIELDS = tuple(
        f"assigned_to__{get_user_model().USERNAME_FIELD}" if name == "assigned_to" else name
        for name in __slots__
    )

    _meta = Share._meta
    __str__ = Share.__str__
    title = Share.title
    get_disposition_display = Share.get_disposition_display
    get_status_display = Share.get_status_display
    get_contact_way_display = Share.get_contact_way_display
    is_overdue = Share.is_overdue
    serializable_value = Model.serializable_value

    def __init__(self, values: tuple) -> None:
        for name, value in zip(self.__slots__, values, strict=True):
            setattr(self, name, value)
        if self.assigned_to_id is not None:
            self.assigned_to = Assignee(self.assigned_to_id, self.assigned_to)

    @property
    def pk(self):
        return self.id

    @classmethod
    def page(cls, shares: QuerySet) -> list["QueueRow"]:
        """The rows of `shares` (a page of the list, in its order), in one query."""
        return [cls(values) for values in shares.values_list(*cls.FIELDS)]


class QueueRows(Sequence):
    """A page's QueueRows, read when first asked for, as Django reads a page of models: an
    action's POST, which selects from the list's queryset, never reads them."""

    def __init__(self, shares: QuerySet) -> None:
        self.shares = shares

    @cached_property
    def rows(self) -> list[QueueRow]:
        return QueueRow.page(self.shares)

    def __getitem__(self, index):
        return self.rows[index]

    def __len__(self) -> int:
        return len(self.rows)


def drawn_in_one_pass(cl: ChangeList) -> bool:
    """Whether queue_rows writes the list's rows (else Django's items_for_result does): every
    column one of the queue's cells, drawn as text, and no popup, no inline editing. Only then
    are the page's items QueueRows, which hold only what the cells read."""
    if cl.is_popup or cl.list_editable:
        return False
    for name in cl.list_display:
        if name == "action_checkbox":
            continue
        method = getattr(cl.model_admin, name, None) if isinstance(name, str) else None
        if not (hasattr(method, "cells_method") and _is_text_column(method)):
            return False
    return True


def queue_rows(cl: ChangeList) -> Iterator[ResultList]:
    """The page's rows for change_list_results.html, which writes each row's items in its
    <tr>: here one item per row, its cells written together."""
    if cl.formset or not drawn_in_one_pass(cl):
        for share in cl.result_list:
            yield ResultList(None, items_for_result(cl, share, None))
        return
    admin = cl.model_admin
    empty = admin.get_empty_value_display()
    link = reverse(
        f"admin:{cl.opts.app_label}_{cl.opts.model_name}_change",
        args=(_ID,),
        current_app=admin.admin_site.name,
    )
    # The filters the list was opened with, carried to each item's page (the same for every
    # row: it depends on the list's URL, not the row's).
    link = add_preserved_filters({"preserved_filters": cl.preserved_filters, "opts": cl.opts}, link)
    before, after = (escaped(part) for part in link.split(_ID, 1))
    links = set(cl.list_display_links or ())
    select = gettext("Select this object for an action - {}")
    # Every column is one of the page's Cells (drawn_in_one_pass): a time zone read once, not
    # once a cell. Each column's cell around its value, worked out once a page.
    page = Cells()
    cells = []
    first_link = True
    for name in cl.list_display:
        if name == "action_checkbox":
            cells.append((None, "", "", False))
            continue
        method = getattr(page, getattr(admin, name).cells_method)
        if name in links:
            tag = "th" if first_link else "td"
            first_link = False
            cells.append((method, f'<{tag} class="field-{name}"><a href="', f"</a></{tag}>", True))
        else:
            cells.append((method, f'<td class="field-{name}">', "</td>", False))
    for share in cl.result_list:
        # A queue item's id is a UUID (Share.id): hex digits and dashes, which neither the
        # admin's quote nor escaping changes.
        pk = str(share.pk)
        url = f"{before}{pk}{after}"
        row = []
        for method, start, end, is_link in cells:
            if method is None:
                row.append(_checkbox(pk, escaped(page.title(share)), select))
            elif is_link:
                row.append(f'{start}{url}">{escaped(_shown(method(share), empty))}{end}')
            else:
                row.append(f"{start}{escaped(_shown(method(share), empty))}{end}")
        # Every value above is escaped, or safe HTML from a column (marked so by format_html).
        # One item a row: the template's loop then writes 50 items a page, not 450.
        yield ResultList(None, [mark_safe("".join(row))])  # noqa: S308


def header_cells(headers: list[dict]) -> SafeString:
    """The table's head cells as change_list_results.html writes them for columns that cannot
    be sorted (the queue's: `sortable_by = ()`)."""
    cells = []
    for header in headers:
        # Escaping first changes no first letter (it only rewrites & < > " ').
        text = capfirst(escaped(header["text"]))
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


def _checkbox(pk: str, title: str, select: str) -> str:
    # What ModelAdmin.action_checkbox renders through the CheckboxInput widget's templates
    # (`pk` and `title`, the item's id and name, escaped).
    label = select.format(title)  # the translation is trusted, as by format_html
    return (
        f'<td class="action-checkbox"><input type="checkbox" name="{ACTION_CHECKBOX_NAME}" '
        f'value="{pk}" class="action-select" aria-label="{label}"></td>'
    )
